"""Delay-layer and subspace-angle plots, 'spiking motion' and the demo stage."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from neurokit_ai.cli._spiking import add_spiking_parser
from neurokit_ai.core import DTypeError, NotFittedError, ValidationError
from neurokit_ai.spiking import HeterogeneousDelayLayer
from neurokit_ai.viz._spiking import (
    plot_delay_kernels,
    plot_pruning_curve,
    plot_weight_subspace_angles,
)


def _layer(n_classes=2, n_delays=3, k=3, seed=0):
    layer = HeterogeneousDelayLayer(n_delays=n_delays, kernel_size=k)
    layer.kernel_ = np.random.default_rng(seed).normal(
        size=(n_classes, 2, n_delays, k, k)
    )
    layer.intercept_ = np.zeros(n_classes)
    layer.classes_ = np.arange(n_classes)
    return layer


def test_subspace_angles_of_planted_readouts():
    rng = np.random.default_rng(0)
    basis = np.linalg.qr(rng.normal(size=(6, 6)))[0].T  # orthonormal rows
    rot = np.cos(np.pi / 6) * basis[0] + np.sin(np.pi / 6) * basis[3]
    weights = {
        "what": 3.0 * basis[:2],
        "when": basis[2:3],
        "tilted": rot[None],  # 30 degrees from "what"'s first axis
    }
    fig = plot_weight_subspace_angles(weights)
    img = np.asarray(fig.axes[0].images[0].get_array())
    np.testing.assert_allclose(np.diag(img), 0.0)
    assert img[0, 1] == pytest.approx(90.0)
    assert img[0, 2] == pytest.approx(30.0)
    assert img[1, 2] == pytest.approx(90.0)
    (pairs,) = [ax for ax in fig.axes if ax.get_title() == "Readout weight subspaces"]
    lines = pairs.lines
    assert [ln.get_label() for ln in lines] == [
        "what vs when",
        "what vs tilted",
        "when vs tilted",
    ]
    assert lines[1].get_ydata() == pytest.approx([30.0])


def test_delay_kernel_images_are_the_weights():
    layer = _layer()
    fig = plot_delay_kernels(layer, polarity="OFF")
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 2 * 3
    for k, image in enumerate(images):
        c, d = divmod(k, 3)
        np.testing.assert_array_equal(image.get_array(), layer.kernel_[c, 0, d])
    vmin, vmax = images[0].get_clim()
    assert vmin == -vmax == -np.abs(layer.kernel_[:, 0]).max()


def test_pruning_curve_lines():
    curves = {
        "largest |w|": {
            "n_synapses": np.array([100, 10, 1]),
            "accuracy": np.array([0.9, 0.8, 0.3]),
            "chance": 0.25,
        },
        "shortest delays": {
            "n_synapses": np.array([100, 10]),
            "accuracy": np.array([0.9, 0.5]),
            "chance": 0.25,
        },
    }
    ax = plot_pruning_curve(curves).axes[0]
    assert [ln.get_label() for ln in ax.lines] == [*curves, "chance"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [100, 10, 1])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [0.9, 0.5])
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), [0.25, 0.25])
    assert ax.get_xscale() == "log"


def test_bad_plot_inputs():
    with pytest.raises(ValidationError, match="at least two"):
        plot_weight_subspace_angles({"what": np.eye(3)})
    with pytest.raises(ValidationError, match="different numbers of features"):
        plot_weight_subspace_angles({"a": np.eye(3), "b": np.eye(4)})
    with pytest.raises(ValidationError, match="all zeros"):
        plot_weight_subspace_angles({"a": np.eye(3), "b": np.zeros((1, 3))})
    with pytest.raises(ValidationError, match="non-finite"):
        plot_weight_subspace_angles({"a": np.eye(3), "b": [[np.nan, 0, 1]]})
    with pytest.raises(DTypeError, match="HeterogeneousDelayLayer"):
        plot_delay_kernels(np.zeros((2, 2, 3, 3, 3)))
    with pytest.raises(NotFittedError):
        plot_delay_kernels(HeterogeneousDelayLayer())
    with pytest.raises(ValidationError, match="polarity must be one of"):
        plot_delay_kernels(_layer(), polarity="on")
    with pytest.raises(ValidationError, match="pruning_curve"):
        plot_pruning_curve({"accuracy": [1.0]})
    bad = {"n_synapses": [10, 1], "accuracy": [1.0], "chance": 0.5}
    with pytest.raises(ValidationError, match="one accuracy per kept count"):
        plot_pruning_curve(bad)


def _cli(argv):
    parser = argparse.ArgumentParser()
    add_spiking_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_cli_motion_writes_the_pruning_curve(tmp_path, capsys):
    argv = ["spiking", "motion", "--directions", "4", "--train", "32"]
    argv += ["--test", "16", "--delays", "3", "--epochs", "3"]
    assert _cli([*argv, "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    table = np.loadtxt(tmp_path / "pruning.csv", delimiter=",", skiprows=1)
    assert (
        (tmp_path / "pruning.csv")
        .read_text()
        .startswith("keep_fraction,n_synapses,accuracy_weight,accuracy_shortest\n")
    )
    np.testing.assert_allclose(table[:, 0], [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001])
    assert table[0, 1] == 4 * 2 * 3 * 5 * 5
    assert np.all(np.diff(table[:, 1]) <= 0)
    assert table[0, 2] >= 0.75 and table[-1, 2] <= 0.5
    assert f"test accuracy {table[0, 2]:.3f}" in printed
    for name in ("kernels.png", "pruning.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
        assert str(tmp_path / name) in printed


@pytest.mark.parametrize(
    "extra, match",
    [
        (["--directions", "1"], "--directions"),
        (["--train", "2"], "--train"),
        (["--delays", "0"], "--delays"),
        (["--kernel", "4"], "--kernel must be odd"),
    ],
)
def test_cli_motion_bad_arguments_write_nothing(tmp_path, extra, match):
    argv = ["spiking", "motion", "--out", str(tmp_path), "--train", "8", *extra]
    with pytest.raises(ValidationError, match=match):
        _cli(argv)
    assert list(tmp_path.iterdir()) == []
