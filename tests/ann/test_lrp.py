"""LRP rules and RelP: relevance is conserved where the rules are conservative,
hand-checked rules on tiny cases, RelP finds the planted circuit and is compared
with attribution patching against activation patching."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    HookedModel,
    activation_patching,
    attribution_patching,
    logit_difference,
    lrp_relevance,
    lrp_rules,
    relevance_patching,
)


def _bias_free(model):
    """A float64 copy of ``model`` with every bias set to zero."""
    net = copy.deepcopy(model).double()
    with torch.no_grad():
        for name, param in net.named_parameters():
            if name.endswith("bias"):
                param.zero_()
    return net


def test_relevance_is_conserved_through_the_transformer(toy_ioi):
    model, task = toy_ioi
    net = _bias_free(model)
    hooked = HookedModel(net, heads=net.head_points())

    def metric(logits):
        return logit_difference(logits, task)

    with torch.no_grad():
        total = float(metric(net(task.clean)))
    names = [f"blocks.{i}.hook_resid_pre" for i in range(len(net.blocks))]
    names.append("unembed:input")
    rel = lrp_relevance(hooked, task.clean, metric, names, constant=r"hook_pattern$")
    for name in names:
        # every residual-stream cut carries the whole metric (AH-, Identity-rules)
        assert float(rel[name].sum()) == pytest.approx(total, abs=1e-4)
    # without the AH-rule relevance leaks into queries and keys: not conserved
    leaky = lrp_relevance(hooked, task.clean, metric, names[:1])
    assert abs(float(leaky[names[0]].sum()) - total) > 1e-2
    # the plain gradient (no Identity-rule) is not conservative either
    grad = lrp_relevance(
        hooked,
        task.clean,
        metric,
        names[:1],
        activation=False,
        constant=r"hook_pattern$",
    )
    assert abs(float(grad[names[0]].sum()) - total) > 1e-3


def test_layer_norm_rule_is_conservative_in_a_pre_ln_transformer():
    from neurokit_ai.ann import ToyTransformer, make_ioi_task

    torch.manual_seed(0)
    task = make_ioi_task(32, random_state=0)
    net = _bias_free(ToyTransformer(task.vocab_size, 7, layer_norm=True)).eval()
    hooked = HookedModel(net)

    def metric(logits):
        return logit_difference(logits, task)

    with torch.no_grad():
        total = float(metric(net(task.clean)))
    names = ["blocks.0.hook_resid_pre", "blocks.1.hook_resid_pre", "ln_final"]
    kwargs = dict(constant=r"hook_pattern$")
    rel = lrp_relevance(hooked, task.clean, metric, names, **kwargs)
    for name in names:
        assert float(rel[name].sum()) == pytest.approx(total, abs=1e-4)
    plain = lrp_relevance(hooked, task.clean, metric, names[:1], norm=False, **kwargs)
    assert abs(float(plain[names[0]].sum()) - total) > 1e-3


def test_layer_norm_rule_is_conservative():
    torch.manual_seed(0)
    net = (
        torch.nn.Sequential(
            torch.nn.Linear(5, 8, bias=False),
            torch.nn.LayerNorm(8, bias=False),
            torch.nn.GELU(),
            torch.nn.Linear(8, 8, bias=False),
            torch.nn.SiLU(),
            torch.nn.Linear(8, 1, bias=False),
        )
        .double()
        .eval()
    )
    with torch.no_grad():
        net[1].weight.uniform_(0.5, 1.5)
    x = torch.randn(16, 5, dtype=torch.float64)
    hooked = HookedModel(net)

    def metric(out):
        return out.sum()

    with torch.no_grad():
        total = float(metric(net(x)))
    rel = lrp_relevance(hooked, x, metric, ["0", "1", "2", "3", "4"])
    for name in ("0", "1", "2", "3", "4"):
        assert float(rel[name].sum()) == pytest.approx(total, abs=1e-4)
    plain = lrp_relevance(hooked, x, metric, ["0"], norm=False)
    assert abs(float(plain["0"].sum()) - total) > 1e-2


def test_lrp_rules_by_hand():
    w = torch.tensor([[1.0, -2.0], [0.5, 1.0]], dtype=torch.float64)
    lin = torch.nn.Linear(2, 2, bias=False).double()
    with torch.no_grad():
        lin.weight.copy_(w)
    net = torch.nn.Sequential(lin).eval()
    x = torch.tensor([[3.0, 1.0]], dtype=torch.float64, requires_grad=True)
    hooked = HookedModel(net)
    c = torch.tensor([[3.0, 5.0]], dtype=torch.float64)

    def metric(out):
        return (out * c).sum()

    z = x.detach() @ w.T  # [1, 2.5]
    r_z = z * c  # relevance of the outputs
    eps = 0.5
    rel = lrp_relevance(hooked, x, metric, ["0:input"], linear="epsilon", epsilon=eps)
    # epsilon rule: R_x = x * W^T (R_z / (z + eps sign z)); absorbs eps/(z+eps)
    expected = x.detach() * ((r_z / (z + eps)) @ w)
    torch.testing.assert_close(rel["0:input"], expected)
    assert float(rel["0:input"].sum()) < float(r_z.sum())
    # z+ rule: only positive weights carry relevance; with x > 0 it is conservative
    rel = lrp_relevance(hooked, x, metric, ["0:input"], linear="zplus", epsilon=1e-9)
    wp = w.clamp(min=0)
    expected = x.detach() * ((r_z / (x.detach() @ wp.T)) @ wp)
    torch.testing.assert_close(rel["0:input"], expected)
    assert bool((rel["0:input"] > 0).all())
    assert float(rel["0:input"].sum()) == pytest.approx(float(r_z.sum()))
    # the 0-rule is gradient x input: here exactly conservative
    rel = lrp_relevance(hooked, x, metric, ["0:input"])
    torch.testing.assert_close(rel["0:input"], x.detach() * (c @ w))


def test_lrp_rules_leave_the_forward_and_remove_their_hooks():
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.GELU()).eval()
    x = torch.randn(2, 3)
    with pytest.raises(RuntimeError, match="boom"):
        with lrp_rules(net, linear="epsilon") as applied:
            assert applied == {"0": "epsilon-rule", "1": "Identity-rule"}
            torch.testing.assert_close(net(x), torch.nn.functional.gelu(net[0](x)))
            raise RuntimeError("boom")
    assert all(not m._forward_hooks for m in net.modules())


def test_lrp_bad_inputs():
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.GELU()).eval()
    hooked = HookedModel(net)
    x = torch.randn(2, 3)
    with pytest.raises(NeurokitError, match="linear"):
        with lrp_rules(net, linear="gamma"):
            pass
    with pytest.raises(NeurokitError, match="epsilon"):
        lrp_relevance(hooked, x, lambda o: o.sum(), ["0"], epsilon=0.0)
    with pytest.raises(NeurokitError, match="regular expression"):
        with lrp_rules(net, constant="(("):
            pass
    with pytest.raises(NeurokitError, match="matches no submodule"):
        with lrp_rules(net, constant="attn"):
            pass
    with pytest.raises(NeurokitError, match="does not exist"):
        with lrp_rules(net, constant=["2"]):
            pass
    with pytest.raises(NeurokitError, match="model"):
        with lrp_rules("net"):
            pass
    with pytest.raises(NeurokitError, match="scalar"):
        lrp_relevance(hooked, x, lambda o: o, ["0"])
    with pytest.raises(NeurokitError, match="hooked"):
        relevance_patching(net, x, x, lambda o: o.sum(), ["0"])


def test_relp_equals_attribution_patching_on_a_linear_model():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Linear(6, 1)).eval()
    hooked = HookedModel(net)
    clean, corrupt = torch.randn(3, 4), torch.randn(3, 4)
    relp = relevance_patching(hooked, clean, corrupt, lambda o: o.mean(), ["0"])
    act = activation_patching(hooked, clean, corrupt, lambda o: o.mean(), ["0"])
    assert relp.method == "relevance"
    assert float(relp.scores["0"]) == pytest.approx(float(act.scores["0"]), rel=1e-5)


def _top_heads(result, k):
    ranked = []
    for name, score in result.scores.items():
        if ":input" in name:
            layer = int(name.split(".")[1])
            ranked += [((layer, h), abs(v)) for h, v in enumerate(score)]
    ranked.sort(key=lambda item: -item[1])
    return {head for head, _ in ranked[:k]}


def test_relp_finds_the_planted_circuit(toy_ioi):
    model, task = toy_ioi
    hooked = HookedModel(model, heads=model.head_points())
    names = [
        f"blocks.{i}.{part}"
        for i in range(len(model.blocks))
        for part in ("attn.out:input", "mlp")
    ]

    def metric(logits):
        return logit_difference(logits, task)

    act = activation_patching(hooked, task.clean, task.corrupt, metric, names)
    atp = attribution_patching(hooked, task.clean, task.corrupt, metric, names)
    relp = relevance_patching(
        hooked, task.clean, task.corrupt, metric, names, constant=r"hook_pattern$"
    )
    k = 2
    assert _top_heads(relp, k) == _top_heads(act, k)
    truth = act.flatten()[1]
    r_atp = np.corrcoef(truth, atp.flatten()[1])[0, 1]
    r_relp = np.corrcoef(truth, relp.flatten()[1])[0, 1]
    print(f"toy IOI, {truth.size} heads+MLPs: AtP r={r_atp:.3f}, RelP r={r_relp:.3f}")
    assert r_relp > 0.9


def test_relp_beats_attribution_patching_on_minilm_residual_stream(minilm):
    tokenizer, model = minilm
    hooked = HookedModel(model)
    prompts = [
        "When Mary and John went out, John gave a drink to",
        "When Mary and John went out, Paul gave a drink to",
    ]
    clean, corrupt = (dict(tokenizer([p], return_tensors="pt")) for p in prompts)
    with torch.no_grad():
        ref = model(**clean).last_hidden_state.mean(1)[0]
    ref = ref / ref.norm()

    def metric(output):
        emb = output.last_hidden_state.mean(1)
        return (emb / emb.norm(dim=-1, keepdim=True) @ ref).mean()

    # the residual stream after each layer, position by position (84 components)
    names = [f"encoder.layer.{i}.output.LayerNorm" for i in range(6)]
    kwargs = dict(per_position=True)
    act = activation_patching(hooked, clean, corrupt, metric, names, **kwargs)
    atp = attribution_patching(hooked, clean, corrupt, metric, names, **kwargs)
    relp = relevance_patching(hooked, clean, corrupt, metric, names, **kwargs)
    truth = act.flatten()[1]
    r_atp = np.corrcoef(truth, atp.flatten()[1])[0, 1]
    r_relp = np.corrcoef(truth, relp.flatten()[1])[0, 1]
    print(
        f"MiniLM residual stream, {truth.size} comps: AtP {r_atp:.3f} RelP {r_relp:.3f}"
    )
    assert r_relp > r_atp


def test_lrp_review_non_finite_metric_and_bad_constant():
    net = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.GELU(), torch.nn.Linear(4, 1)
    ).eval()
    hooked = HookedModel(net)
    nan = torch.full((1, 3), float("nan"))
    with pytest.raises(NeurokitError, match="metric is nan"):
        lrp_relevance(hooked, nan, lambda out: out.sum(), ["1"])
    with pytest.raises(NeurokitError, match="clean inputs"):
        relevance_patching(hooked, nan, torch.zeros(1, 3), lambda o: o.sum(), ["1"])
    with pytest.raises(NeurokitError, match="constant"):
        with lrp_rules(net, constant=3):
            pass
