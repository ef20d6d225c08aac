"""Saliency, input x gradient and integrated gradients: agreement with captum to
1e-5, exact linear cases, completeness, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    input_x_gradient,
    integrated_gradients,
    saliency,
)
from neurokit_ai.ann._attribution import IG_METHODS  # noqa: E402


def _mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(20, 16), torch.nn.Tanh(), torch.nn.Linear(16, 5)
    ).eval()


def _cnn():
    torch.manual_seed(1)
    return torch.nn.Sequential(
        torch.nn.Conv2d(2, 3, 3),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(3 * 4 * 4, 4),
    ).eval()


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_agrees_with_captum(kind):
    captum = pytest.importorskip("captum.attr")
    net = _mlp() if kind == "mlp" else _cnn()
    gen = torch.Generator().manual_seed(2)
    shape = (6, 20) if kind == "mlp" else (6, 2, 6, 6)
    x = torch.randn(shape, generator=gen)
    base = torch.randn(shape, generator=gen) * 0.1
    target = [0, 1, 2, 3, 0, 1]
    t = torch.tensor(target)
    with pytest.warns(UserWarning):  # captum warns that inputs did not need grad
        expected_sal = captum.Saliency(net).attribute(x, target=t)
        expected_ixg = captum.InputXGradient(net).attribute(x, target=t)
    torch.testing.assert_close(
        saliency(net, x, target), expected_sal, atol=1e-5, rtol=0
    )
    torch.testing.assert_close(
        saliency(net, x, target, abs=False).abs(), expected_sal, atol=1e-5, rtol=0
    )
    torch.testing.assert_close(
        input_x_gradient(net, x, t), expected_ixg.detach(), atol=1e-5, rtol=0
    )
    ig = captum.IntegratedGradients(net)
    for method in IG_METHODS:
        expected = ig.attribute(x, base, target=t, n_steps=24, method=method)
        got = integrated_gradients(
            net, x, target, baselines=base, n_steps=24, method=method
        )
        torch.testing.assert_close(got, expected, atol=1e-5, rtol=0, msg=method)
    expected, delta = ig.attribute(
        x, target=3, n_steps=10, internal_batch_size=7, return_convergence_delta=True
    )
    got, got_delta = integrated_gradients(
        net, x, 3, n_steps=10, internal_batch_size=7, return_convergence_delta=True
    )
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(got_delta, delta.to(got_delta.dtype), atol=1e-5, rtol=0)


def test_linear_model_hand_checked():
    torch.manual_seed(0)
    net = torch.nn.Linear(4, 3).eval()
    x = torch.randn(5, 4)
    base = torch.randn(1, 4)
    expected = (x - base) * net.weight[2]
    for method in IG_METHODS:
        got = integrated_gradients(net, x, 2, baselines=base, n_steps=3, method=method)
        # captum's trapezoid weights (1/n, halved at both ends) sum to 1 - 1/n
        total = 2 / 3 if method == "riemann_trapezoid" else 1.0
        torch.testing.assert_close(got, expected * total)
    torch.testing.assert_close(saliency(net, x, 1), net.weight[1].abs().expand(5, 4))
    torch.testing.assert_close(input_x_gradient(net, x, 0), x * net.weight[0])


def test_completeness_and_batching():
    net = _mlp()
    x = torch.randn(8, 20)
    attr, delta = integrated_gradients(
        net, x, 1, n_steps=64, return_convergence_delta=True
    )
    with torch.no_grad():
        scale = (net(x)[:, 1] - net(torch.zeros_like(x))[:, 1]).abs().max()
    assert float(delta.abs().max()) < 1e-4 * float(scale) + 1e-6
    chunked = integrated_gradients(net, x, 1, n_steps=64, internal_batch_size=50)
    torch.testing.assert_close(chunked, attr)
    # a callable on a single-output model, target=None
    scalar = integrated_gradients(lambda z: net(z)[:, 1], x, n_steps=64)
    torch.testing.assert_close(scalar, attr)
    # each row's attribution depends only on that row
    single = integrated_gradients(net, x[3:4], 1, n_steps=64)
    torch.testing.assert_close(single[0], attr[3], atol=1e-6, rtol=1e-5)


def test_train_mode_warns_and_restores():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Dropout(0.9))
    x = torch.randn(2, 4)
    expected = input_x_gradient(net.eval(), x, 0)
    net.train()
    with pytest.warns(UserWarning, match="train mode"):
        got = input_x_gradient(net, x, 0)
    torch.testing.assert_close(got, expected)
    assert net.training


def test_plot_attribution_maps():
    from neurokit_ai.viz._ann import plot_attribution

    attr = np.arange(32.0).reshape(2, 16) - 16
    fig = plot_attribution(attr, np.ones((2, 16)), image_shape=(4, 4))
    shown = [im.get_array() for ax in fig.axes for im in ax.images]
    np.testing.assert_array_equal(shown[1], attr[0].reshape(4, 4))
    flat = plot_attribution(torch.tensor(attr))
    np.testing.assert_array_equal(flat.axes[0].images[0].get_array(), attr)
    with pytest.raises(NeurokitError, match="image_shape"):
        plot_attribution(attr, image_shape=(3, 3))


def test_bad_input():
    net = _mlp()
    x = torch.randn(3, 20)
    with pytest.raises(NeurokitError, match="torch.Tensor"):
        saliency(net, x.numpy(), 0)
    with pytest.raises(NeurokitError, match="floating point"):
        integrated_gradients(net, torch.ones(3, 20, dtype=torch.long), 0)
    with pytest.raises(NeurokitError, match="non-empty"):
        saliency(net, torch.randn(0, 20), 0)
    with pytest.raises(NeurokitError, match="one index per input"):
        saliency(net, x, [0, 1])
    with pytest.raises(NeurokitError, match="integers"):
        saliency(net, x, [0.5, 1.0, 2.0])
    with pytest.raises(NeurokitError, match="give target"):
        input_x_gradient(net, x)
    with pytest.raises(NeurokitError, match="do not broadcast"):
        integrated_gradients(net, x, 0, baselines=torch.zeros(2, 20))
    with pytest.raises(NeurokitError, match="n_steps"):
        integrated_gradients(net, x, 0, n_steps=1)
    with pytest.raises(NeurokitError, match="Did you mean 'gausslegendre'"):
        integrated_gradients(net, x, 0, method="gauss_legendre")
    with pytest.raises(NeurokitError, match="internal_batch_size"):
        integrated_gradients(net, x, 0, internal_batch_size=0)
    with pytest.raises(NeurokitError, match="one row per input"):
        saliency(lambda z: z.sum(), x)
    with pytest.raises(NeurokitError, match="callable"):
        saliency("net", x, 0)
    with torch.device("meta"):
        meta = torch.nn.Linear(20, 2)
    with pytest.raises(NeurokitError, match="on device cpu but the model is on meta"):
        integrated_gradients(meta, x, 0)
