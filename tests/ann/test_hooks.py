"""HookedModel: cached runs equal manual forwards, interventions change what they
should and nothing else, hooks never leak, gradients flow, bad input is caught."""

from __future__ import annotations

import gc
import subprocess
import sys
import warnings

import pytest

from neurokit_ai.core import NeurokitError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    ActivationCache,
    HookedModel,
    Intervention,
    ToyTransformer,
)


def _mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(3, 6), torch.nn.ReLU(), torch.nn.Linear(6, 2)
    ).eval()


def _toy():
    torch.manual_seed(1)
    return ToyTransformer(10, 6, d_model=8, n_heads=2, n_layers=2, d_mlp=8).eval()


def _no_hooks(model):
    return not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())


def test_cache_equals_manual_forward_and_filters():
    net = _mlp()
    x = torch.randn(5, 3)
    out, cache = HookedModel(net).run_with_cache(x, names=r".*")
    h0 = net[0](x)
    h1 = torch.relu(h0)
    torch.testing.assert_close(cache["0"], h0)
    torch.testing.assert_close(cache["1"], h1)
    torch.testing.assert_close(cache["2:input"], h1)
    torch.testing.assert_close(cache["0:input"], x)
    torch.testing.assert_close(out, net[2](h1))
    assert sorted(cache.filter(r":input$")) == ["0:input", "1:input", "2:input"]
    _, default = HookedModel(net).run_with_cache(x)
    assert list(default) == ["0", "1", "2"]
    _, picked = HookedModel(net).run_with_cache(x, names=lambda n: n == "1")
    assert list(picked) == ["1"]
    assert not cache["0"].requires_grad
    assert cache.nbytes == sum(t.numel() * 4 for t in cache.values())
    assert _no_hooks(net)


def test_cache_offloads_to_the_requested_device():
    net = _mlp()
    _, cache = HookedModel(net).run_with_cache(torch.randn(2, 3), device="meta")
    assert {t.device.type for t in cache.values()} == {"meta"}
    moved = ActivationCache({"a": torch.ones(2)}).to("meta")
    assert moved["a"].device.type == "meta"


def test_interventions_hand_checked():
    net = _mlp()
    hooked = HookedModel(net)
    x = torch.randn(4, 3)
    h1 = torch.relu(net[0](x))
    vec = torch.arange(6.0)

    def head(h):
        return net[2](h)

    cases = {
        "replace": (Intervention("1", "replace", vec), head(vec.expand(4, 6))),
        "add": (Intervention("1", "add", vec), head(h1 + vec)),
        "scale": (Intervention("1", "scale", 0.5), head(h1 * 0.5)),
        "zero": (Intervention("1", "ablate"), head(torch.zeros(4, 6))),
        "mean": (
            Intervention("1", "ablate", "mean"),
            head(h1.mean(0, keepdim=True).expand(4, 6)),
        ),
        "callable": (Intervention("1", lambda a: a.flip(-1)), head(h1.flip(-1))),
        "input": (Intervention("2:input", "scale", 2.0), head(2 * h1)),
    }
    for label, (iv, expected) in cases.items():
        got = hooked.run_with_interventions(x, interventions=[iv])
        torch.testing.assert_close(got, expected, msg=label)
    # patch from another run's cache
    y = torch.randn(4, 3)
    _, other = hooked.run_with_cache(y)
    patched = hooked.run_with_interventions(
        x, interventions=[Intervention("1", "patch", other)]
    )
    torch.testing.assert_close(patched, net(y))
    assert _no_hooks(net)


def test_heads_and_positions_select_only_their_slice():
    model = _toy()
    hooked = HookedModel(model, heads=model.head_points())
    tokens = torch.randint(0, 10, (3, 6))
    name = "blocks.1.attn.out:input"
    _, base = hooked.run_with_cache(tokens, names=[name])
    assert base[name].shape == (3, 6, 2, 4)
    iv = Intervention(name, "ablate", positions=[1, 4], heads=1)
    _, changed = hooked.run_with_cache(tokens, names=[name], interventions=[iv])
    a, b = base[name], changed[name]
    assert torch.all(b[:, [1, 4], 1] == 0)
    mask = torch.ones_like(a, dtype=torch.bool)
    mask[:, [1, 4], 1] = False
    torch.testing.assert_close(b[mask], a[mask])
    # the concatenated input of out really is head-major: ablating head 1 zeroes
    # features 4..7 of the projection input
    z = {}

    def grab(_module, args, _output):
        z["z"] = args[0]

    handle = model.blocks[1].attn.out.register_forward_hook(grab)
    try:
        hooked.run_with_interventions(tokens, interventions=[iv])
    finally:
        handle.remove()
    assert torch.all(z["z"][:, [1, 4], 4:] == 0)
    assert torch.any(z["z"][:, [1, 4], :4] != 0)


def test_hooks_removed_when_the_run_raises():
    net = _mlp()
    hooked = HookedModel(net)

    def boom(_act):
        raise RuntimeError("intervention failed")

    with pytest.raises(RuntimeError, match="intervention failed"):
        hooked.run_with_cache(
            torch.randn(2, 3), interventions=[Intervention("1", boom)]
        )
    assert _no_hooks(net)
    with pytest.raises(KeyError):
        with hooked.hooks(cache={}, interventions=[Intervention("0", "scale", 2.0)]):
            assert not _no_hooks(net)
            raise KeyError("user code failed")
    assert _no_hooks(net)


def _live_tensors():
    gc.collect()
    count = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for obj in gc.get_objects():
            try:
                count += isinstance(obj, torch.Tensor)
            except ReferenceError:
                continue
    return count


def test_repeated_cached_runs_keep_memory_flat():
    model = _toy()
    hooked = HookedModel(model, heads=model.head_points())
    tokens = torch.randint(0, 10, (8, 6))
    hooked.run_with_cache(tokens)
    baseline = _live_tensors()
    for _ in range(200):
        out, cache = hooked.run_with_cache(tokens, detach=False)
        out.sum().backward()
    del out, cache
    model.zero_grad(set_to_none=True)
    assert _live_tensors() <= baseline + 2
    assert _no_hooks(model)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_repeated_cached_runs_keep_cuda_peak_flat():
    model = _toy().cuda()
    hooked = HookedModel(model, heads=model.head_points())
    tokens = torch.randint(0, 10, (64, 6), device="cuda")
    hooked.run_with_cache(tokens, device="cpu")
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    hooked.run_with_cache(tokens, device="cpu")
    first = torch.cuda.max_memory_allocated()
    for _ in range(200):
        _, cache = hooked.run_with_cache(tokens, device="cpu")
    assert torch.cuda.max_memory_allocated() <= first * 1.05
    assert {t.device.type for t in cache.values()} == {"cpu"}


def test_gradients_flow_through_hooked_modules():
    model = _toy()
    hooked = HookedModel(model, heads=model.head_points())
    tokens = torch.randint(0, 10, (4, 6))
    steer = Intervention("blocks.0.mlp", "add", torch.ones(8))
    out, cache = hooked.run_with_cache(
        tokens, detach=False, interventions=[steer], names=r"attn\.out:input$|mlp$"
    )
    out.sum().backward()
    for name, param in model.named_parameters():
        assert param.grad is not None, name
    # gradient with respect to a head-split cached activation is exact
    model.zero_grad()
    out, cache = hooked.run_with_cache(tokens, detach=False)
    z = cache["blocks.1.attn.out:input"]
    (grad,) = torch.autograd.grad(out[:, -1, 3].sum(), z)
    # out[:, -1] = unembed(resid + out_proj(z) + mlp(...)): the direct path gives
    # a lower bound we can check exactly when the MLP and unembed are linear in z;
    # here check against finite differences instead
    eps = 1e-3
    delta = torch.zeros_like(z)
    delta[0, -1, 1, 2] = eps
    bumped = hooked.run_with_interventions(
        tokens, interventions=[Intervention("blocks.1.attn.out:input", "add", delta)]
    )
    numeric = (bumped[:, -1, 3].sum() - out[:, -1, 3].sum()) / eps
    assert float(numeric.detach()) == pytest.approx(float(grad[0, -1, 1, 2]), rel=1e-2)


def test_train_mode_warns_runs_in_eval_and_restores():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.5))
    x = torch.randn(3, 4)
    with torch.no_grad():
        expected = net.eval()(x)
    net.train()
    with pytest.warns(UserWarning, match="train mode"):
        out, _ = HookedModel(net).run_with_cache(x)
    torch.testing.assert_close(out, expected)
    assert net.training
    with pytest.warns(UserWarning, match="train mode"):
        HookedModel(net).run_with_interventions(x, interventions=[])
    net.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        HookedModel(net).run_with_cache(x)


def test_bad_input():
    model = _toy()
    hooked = HookedModel(model, heads=model.head_points())
    tokens = torch.randint(0, 10, (2, 6))
    with pytest.raises(NeurokitError, match=r"Close matches: \['blocks\.0\.attn'"):
        hooked.run_with_cache(tokens, names=["blocks.0.atn"])
    with pytest.raises(NeurokitError, match="blocks.1.mlp"):
        hooked.run_with_interventions(
            tokens, interventions=[Intervention("blocks.1.mpl", "ablate")]
        )
    with pytest.raises(NeurokitError, match="does not exist"):
        HookedModel(model, heads={"blocks.9.attn": 2})
    with pytest.raises(NeurokitError, match="cache entry"):
        hooked.run_with_cache(tokens, names=["blocks.0.mlp"])[1]["blocks.0.mpl"]
    # shape-changing interventions
    with pytest.raises(NeurokitError, match=r"change the activation shape"):
        hooked.run_with_interventions(
            tokens, interventions=[Intervention("blocks.0.mlp", lambda a: a[:, :2])]
        )
    with pytest.raises(NeurokitError, match="does not broadcast"):
        hooked.run_with_interventions(
            tokens, interventions=[Intervention("blocks.0.mlp", "add", torch.ones(5))]
        )
    with pytest.raises(NeurokitError, match="same batch size"):
        _, small = hooked.run_with_cache(tokens[:1])
        hooked.run_with_interventions(
            tokens, interventions=[Intervention("blocks.0.mlp", "patch", small)]
        )
    assert _no_hooks(model)
    # heads/positions misuse
    with pytest.raises(NeurokitError, match="not split into heads"):
        hooked.run_with_interventions(
            tokens, interventions=[Intervention("blocks.0.mlp", "ablate", heads=0)]
        )
    with pytest.raises(NeurokitError, match="out of range"):
        hooked.run_with_interventions(
            tokens,
            interventions=[Intervention("blocks.0.attn.out:input", "ablate", heads=5)],
        )
    with pytest.raises(NeurokitError, match="not divisible"):
        HookedModel(model, heads={"blocks.0.mlp": 3}).run_with_cache(tokens)
    with pytest.raises(NeurokitError, match="op must be one of"):
        Intervention("blocks.0.mlp", "steer")
    with pytest.raises(NeurokitError, match="needs a value"):
        Intervention("blocks.0.mlp", "add")
    with pytest.raises(NeurokitError, match="ablate"):
        Intervention("blocks.0.mlp", "ablate", "median")
    with pytest.raises(NeurokitError, match="positions"):
        Intervention("blocks.0.mlp", "ablate", positions="x")
    with pytest.raises(NeurokitError, match="matches no hook point"):
        hooked.run_with_cache(tokens, names="^nothing$")
    with pytest.raises(NeurokitError, match="regular expression"):
        ActivationCache({}).filter("(")

    class Labeller(torch.nn.Module):
        def forward(self, x):
            return {"label": "no tensor"}, x

    wrapper = torch.nn.Sequential(Labeller()).eval()
    _, skipped = HookedModel(wrapper).run_with_cache(torch.ones(1), names=r".*")
    assert list(skipped) == ["0:input"]
    with pytest.raises(NeurokitError, match="holds no tensor"):
        HookedModel(wrapper).run_with_cache(torch.ones(1), names=["0"])
    with pytest.raises(NeurokitError, match="model must be Module"):
        HookedModel(lambda x: x)
    assert _no_hooks(model)


def test_inputs_on_another_device_are_refused():
    with torch.device("meta"):
        net = torch.nn.Linear(3, 2)
    with pytest.raises(NeurokitError, match=r"device cpu but the model is on meta"):
        HookedModel(net).run_with_cache(torch.randn(2, 3))
    with pytest.raises(NeurokitError, match=r"\.to\('meta'\)"):
        HookedModel(net).run_with_interventions(
            input=torch.randn(2, 3), interventions=[]
        )
    assert _no_hooks(net)


def test_importing_ann_does_not_import_torch():
    code = (
        "import sys, neurokit_ai.ann; "
        "print('torch' in sys.modules, 'sklearn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False False"
