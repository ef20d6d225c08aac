"""ActivationRecorder: recorded activations equal a manual forward pass."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import ActivationRecorder  # noqa: E402


def _net():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 6 * 6, 5),
    )


def test_matches_manual_forward_and_is_batch_invariant():
    net = _net()
    x = torch.randn(10, 3, 8, 8)
    rec = ActivationRecorder(net, ["1", "3"], pool="mean", batch_size=3, name="cnn")
    out = rec.record(x, conditions=[f"s{i}" for i in range(10)])
    with torch.no_grad():
        relu = net[1](net[0](x))
        expect_pool = relu.mean(dim=(2, 3)).numpy()
        expect_last = net(x).numpy()
    np.testing.assert_allclose(out["1"].data, expect_pool, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["3"].data, expect_last, rtol=1e-5, atol=1e-6)
    assert out["3"].source == "model:cnn/3"
    assert out["1"].conditions.tolist()[:2] == ["s0", "s1"]
    flat = ActivationRecorder(net, ["1"], batch_size=64).record(x.numpy())
    np.testing.assert_allclose(
        flat["1"].data, relu.reshape(10, -1).numpy(), rtol=1e-5, atol=1e-6
    )
    maxed = ActivationRecorder(net, ["1"], pool="max").record(x)
    np.testing.assert_allclose(maxed["1"].data, relu.amax(dim=(2, 3)).numpy())


def test_iterable_of_batches_and_training_mode_restored():
    net = _net()
    net.train()
    x = torch.randn(6, 3, 8, 8)
    out = ActivationRecorder(net, ["3"]).record([x[:4], x[4:]])
    assert out["3"].data.shape == (6, 5)
    assert net.training
    assert not any(m._forward_hooks for m in net.modules())


def test_bad_input():
    net = _net()
    with pytest.raises(NeurokitError, match=r"available names: \['0', '1', '2', '3'\]"):
        ActivationRecorder(net, ["conv9"])
    with pytest.raises(NeurokitError, match="max_bytes"):
        ActivationRecorder(net, ["1"], max_bytes=1000).record(torch.randn(4, 3, 8, 8))
    with pytest.raises(NeurokitError, match="pool"):
        ActivationRecorder(net, ["1"], pool="median")
    with pytest.raises(NeurokitError, match="non-empty"):
        ActivationRecorder(net, ["1"]).record(torch.randn(0, 3, 8, 8))
