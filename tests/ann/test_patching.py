"""Activation and attribution patching: the planted IOI circuit ranks on top,
attribution patching tracks activation patching, exact cases, a real model."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    HookedModel,
    Intervention,
    PatchingResult,
    activation_patching,
    attribution_patching,
    logit_difference,
)
from neurokit_ai.ann._toy_models import IOI_END_POSITION, IOI_S_POSITION  # noqa: E402


def _names(model):
    return [
        f"blocks.{i}.{part}"
        for i in range(len(model.blocks))
        for part in ("attn.out:input", "mlp")
    ]


def _circuit_heads(model, hooked, task):
    """Heads attending from END to S (> 0.5) — read off attention patterns only."""
    _, cache = hooked.run_with_cache(task.clean, names=r"hook_pattern$")
    heads = set()
    for layer in range(len(model.blocks)):
        pattern = cache[f"blocks.{layer}.attn.hook_pattern"]
        to_s = pattern[:, :, IOI_END_POSITION, IOI_S_POSITION].mean(0)
        heads |= {(layer, h) for h in range(model.n_heads) if to_s[h] > 0.5}
    return heads


def _top_heads(result, k):
    ranked = []
    for name, score in result.scores.items():
        if ":input" in name:
            layer = int(name.split(".")[1])
            ranked += [((layer, h), abs(v)) for h, v in enumerate(score)]
    ranked.sort(key=lambda item: -item[1])
    return {head for head, _ in ranked[:k]}


def test_patching_finds_the_planted_circuit(toy_ioi):
    model, task = toy_ioi
    hooked = HookedModel(model, heads=model.head_points())
    circuit = _circuit_heads(model, hooked, task)
    assert 1 <= len(circuit) <= 3

    def metric(logits):
        return logit_difference(logits, task)

    act = activation_patching(hooked, task.clean, task.corrupt, metric, _names(model))
    atp = attribution_patching(hooked, task.clean, task.corrupt, metric, _names(model))
    assert _top_heads(act, len(circuit)) == circuit
    assert _top_heads(atp, len(circuit)) == circuit
    # the circuit heads carry a large share of the clean-corrupt gap
    gap = act.clean_metric - act.corrupt_metric
    circuit_effect = sum(
        act.scores[f"blocks.{layer}.attn.out:input"][h] for layer, h in circuit
    )
    assert circuit_effect > 0.5 * gap
    # heads that barely look at S have small effects
    for layer in range(len(model.blocks)):
        for h in range(model.n_heads):
            if (layer, h) not in circuit:
                effect = act.scores[f"blocks.{layer}.attn.out:input"][h]
                assert abs(effect) < 0.7 * min(
                    act.scores[f"blocks.{c[0]}.attn.out:input"][c[1]] for c in circuit
                )
    r = np.corrcoef(act.flatten()[1], atp.flatten()[1])[0, 1]
    print(f"attribution vs activation patching, {len(act.flatten()[1])} comps: {r}")
    assert r > 0.95
    assert atp.clean_metric == pytest.approx(act.clean_metric, rel=1e-5)
    assert atp.corrupt_metric == pytest.approx(act.corrupt_metric, rel=1e-5)


def test_per_position_patching_localises_the_effect(toy_ioi):
    model, task = toy_ioi
    hooked = HookedModel(model, heads=model.head_points())
    names = _names(model) + ["blocks.0.hook_resid_pre"]

    def metric(logits):
        return logit_difference(logits, task)

    act = activation_patching(
        hooked, task.clean, task.corrupt, metric, names, per_position=True
    )
    atp = attribution_patching(
        hooked, task.clean, task.corrupt, metric, names, per_position=True
    )
    gap = act.clean_metric - act.corrupt_metric
    resid = act.scores["blocks.0.hook_resid_pre"]
    # the inputs differ only at S: patching the embedding there restores all of
    # the clean metric, patching it anywhere else changes nothing
    assert resid[IOI_S_POSITION] == pytest.approx(gap, rel=1e-4)
    others = np.delete(resid, IOI_S_POSITION)
    np.testing.assert_allclose(others, 0.0, atol=1e-5)
    atp_resid = atp.scores["blocks.0.hook_resid_pre"]
    np.testing.assert_allclose(np.delete(atp_resid, IOI_S_POSITION), 0.0, atol=1e-5)
    # the last-layer heads act at END
    last = act.scores[f"blocks.{len(model.blocks) - 1}.attn.out:input"]
    assert last.shape == (task.clean.shape[1], model.n_heads)
    assert np.abs(last).sum(1).argmax() == IOI_END_POSITION
    components = [n for n in act.flatten()[0] if "resid" not in n]
    keep = np.isin(act.flatten()[0], components)
    r = np.corrcoef(act.flatten()[1][keep], atp.flatten()[1][keep])[0, 1]
    print(f"per position, {keep.sum()} head/MLP components: r={r:.4f}")
    assert r > 0.95
    ranking = act.ranking(3)
    assert len(ranking) == 3 and abs(ranking[0][1]) >= abs(ranking[2][1])


def test_linear_model_is_exact():
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(4, 6), torch.nn.Linear(6, 6), torch.nn.Linear(6, 1)
    ).eval()
    clean, corrupt = torch.randn(3, 4), torch.randn(3, 4)
    hooked = HookedModel(net)

    def metric(out):
        return out.mean()

    act = activation_patching(hooked, clean, corrupt, metric, ["0", "1"])
    atp = attribution_patching(hooked, clean, corrupt, metric, ["0", "1"])
    gap = float(net(clean).mean() - net(corrupt).mean())
    for name in ("0", "1"):
        assert float(act.scores[name]) == pytest.approx(gap, rel=1e-5)
        assert float(atp.scores[name]) == pytest.approx(gap, rel=1e-5)


def test_bad_input(toy_ioi):
    model, task = toy_ioi
    hooked = HookedModel(model, heads=model.head_points())

    def metric(logits):
        return logit_difference(logits, task)

    with pytest.raises(NeurokitError, match="scalar tensor"):
        activation_patching(
            hooked, task.clean, task.corrupt, lambda o: o, ["blocks.0.mlp"]
        )
    with pytest.raises(NeurokitError, match="metric must be a callable"):
        attribution_patching(hooked, task.clean, task.corrupt, 3.0, ["blocks.0.mlp"])
    with pytest.raises(NeurokitError, match="names is empty"):
        activation_patching(hooked, task.clean, task.corrupt, metric, [])
    with pytest.raises(NeurokitError, match="Close matches"):
        attribution_patching(hooked, task.clean, task.corrupt, metric, ["blocks.0.mpl"])
    with pytest.raises(NeurokitError, match="hooked must be HookedModel"):
        activation_patching(model, task.clean, task.corrupt, metric, ["blocks.0.mlp"])
    with pytest.raises(NeurokitError, match="same batch size"):
        activation_patching(
            hooked, task.clean, task.corrupt[:5], lambda o: o.mean(), ["blocks.0.mlp"]
        )
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)).eval()
    with pytest.raises(NeurokitError, match="per_position=True needs"):
        activation_patching(
            HookedModel(net),
            torch.ones(1, 2),
            torch.zeros(1, 2),
            lambda o: o.sum(),
            ["0"],
            per_position=True,
        )
    net.requires_grad_(False)
    with pytest.raises(NeurokitError, match="requires_grad"):
        attribution_patching(
            HookedModel(net),
            torch.ones(1, 2),
            torch.zeros(1, 2),
            lambda o: o.sum(),
            ["0"],
        )


def test_plot_patching_shows_the_scores(toy_ioi):
    from neurokit_ai.viz._ann import patching_matrix, plot_patching

    res = PatchingResult(
        {"a:input": np.arange(6.0).reshape(3, 2), "m": np.array([7.0, 8.0, 9.0])},
        1.0,
        0.0,
        "activation",
        {"a:input": ("position", "head"), "m": ("position",)},
    )
    matrix, rows, cols = patching_matrix(res)
    np.testing.assert_array_equal(matrix, [[0, 2, 4], [1, 3, 5], [7, 8, 9]])
    assert rows == ["a:input head 0", "a:input head 1", "m"]
    assert cols == ["position 0", "position 1", "position 2"]
    fig = plot_patching(res)
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), matrix)
    with pytest.raises(NeurokitError, match="PatchingResult"):
        plot_patching({"a": 1})


def test_real_pretrained_model_minilm(minilm):
    tokenizer, model = minilm
    heads = {f"encoder.layer.{i}.attention.output.dense:input": 12 for i in range(6)}
    hooked = HookedModel(model, heads=heads)
    clean = dict(
        tokenizer(
            ["When Mary and John went to the store, John gave a drink to"],
            return_tensors="pt",
        )
    )
    corrupt = dict(
        tokenizer(
            ["When Mary and John went to the store, Paul gave a drink to"],
            return_tensors="pt",
        )
    )
    out, cache = hooked.run_with_cache(
        **clean, names=r"encoder\.layer\.\d+$|dense:input$"
    )
    hidden = model(**clean, output_hidden_states=True).hidden_states
    # the default cache includes modules returning ModelOutput mappings
    _, everything = hooked.run_with_cache(**clean)
    torch.testing.assert_close(everything["encoder"], hidden[-1])
    for i in range(6):
        torch.testing.assert_close(cache[f"encoder.layer.{i}"], hidden[i + 1])
        assert cache[f"encoder.layer.{i}.attention.output.dense:input"].shape[-2:] == (
            12,
            32,
        )
    with torch.no_grad():
        ref = out.last_hidden_state.mean(1)[0]
    ref = ref / ref.norm()

    def metric(output):
        emb = output.last_hidden_state.mean(1)
        return (emb / emb.norm(dim=-1, keepdim=True) @ ref).mean()

    names = [*heads, *(f"encoder.layer.{i}.output.dense" for i in range(6))]
    act = activation_patching(hooked, clean, corrupt, metric, names)
    atp = attribution_patching(hooked, clean, corrupt, metric, names)
    assert act.clean_metric == pytest.approx(1.0, abs=1e-5)
    assert act.corrupt_metric < 0.99
    r = np.corrcoef(act.flatten()[1], atp.flatten()[1])[0, 1]
    print(f"MiniLM: attribution vs activation patching over 78 components: r={r:.3f}")
    assert r > 0.7
    # ablating every head of the last layer changes the embedding
    ablate = Intervention("encoder.layer.5.attention.output.dense:input", "ablate")
    ablated = hooked.run_with_interventions(**clean, interventions=[ablate])
    assert float(metric(ablated)) < 0.999
