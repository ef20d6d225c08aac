"""``neurokit-ai decode`` and the decoding demo section."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
import scipy.io

from neurokit_ai.cli._decode import add_decode_parser, decode_file, run_decode
from neurokit_ai.core import MissingFileError, ValidationError
from neurokit_ai.decoding._closed_loop import ClosedLoopSimulator
from neurokit_ai.viz._demo_decoding import decoding_stage


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_decode_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["decode", *argv])


@pytest.fixture(scope="module")
def simulated_mat(tmp_path_factory):
    """A .mat laid out like the M1 file: units × bins counts, time, handVel."""
    sim = ClosedLoopSimulator(n_neurons=30, random_state=0)
    counts, velocity = sim.calibrate(n_trials=40)
    path = tmp_path_factory.mktemp("mat") / "sim.mat"
    scipy.io.savemat(
        path,
        {
            "spikes": counts.T.astype(np.uint8),
            "time": np.arange(len(counts)) * sim.bin_width,
            "handVel": np.vstack([velocity.T, np.zeros(len(velocity))]),
        },
    )
    return path, counts, velocity


def test_decode_simulated_file_equals_offline(simulated_mat, tmp_path, capsys):
    path, counts, velocity = simulated_mat
    out = tmp_path / "out"
    args = _parse(str(path), "--speed", "50", "--on-lag", "catch_up", "--out", str(out))
    assert run_decode(args) == 0
    printed = capsys.readouterr().out
    for name in (
        "stream_log.csv",
        "stream_report.json",
        "decode_metrics.json",
        "decoded_trajectories.png",
        "latency_histogram.png",
    ):
        assert (out / name).is_file() and str(out / name) in printed
    metrics = json.loads((out / "decode_metrics.json").read_text())
    n_train = int(round(0.5 * len(counts)))
    assert metrics["n_train_bins"] == n_train
    assert metrics["n_live_bins"] == len(counts) - n_train == metrics["n_published"]
    # The constant z covariate is dropped; live == offline predict, exactly.
    assert sorted(metrics["r2"]) == ["handVel_0", "handVel_1"]
    assert metrics["max_abs_diff_vs_offline"] == 0.0
    assert min(metrics["r2"].values()) > 0.5
    assert metrics["n_lost"] == 0
    assert (out / "decoded_trajectories.png").read_bytes()[:4] == b"\x89PNG"


def test_decode_real_m1(recordings, tmp_path):
    mat = recordings / "spikes" / "spykesml" / "m1_stevenson_2011.mat"
    result = decode_file(
        mat, ["handVel"], tmp_path, speed=40.0, max_seconds=30.0, on_lag="catch_up"
    )
    m = result["metrics"]
    assert m["n_train_bins"] == 7768 and m["n_live_bins"] == 600
    assert m["bin_width_s"] == pytest.approx(0.05)
    assert m["max_abs_diff_vs_offline"] == 0.0 and m["n_lost"] == 0
    # Hand velocity from M1 with a KF: R² clearly positive on held-out bins.
    assert all(v > 0.2 for v in m["r2"].values())


def test_decode_bad_input(simulated_mat, tmp_path):
    path, _, _ = simulated_mat
    out = tmp_path / "never"
    with pytest.raises(ValidationError, match="train_fraction"):
        decode_file(path, ["handVel"], out, train_fraction=1.0)
    with pytest.raises(MissingFileError):
        decode_file(tmp_path / "absent.mat", ["handVel"], out)
    assert not out.exists()


def test_demo_stage(tmp_path):
    section = decoding_stage(tmp_path)
    assert "centre-out" in section["text"]
    assert len(section["figures"]) == 2
    for fig in section["figures"]:
        assert fig.read_bytes()[:4] == b"\x89PNG"
    assert float(section["table"]["success rate"]) >= 0.9


def test_plots_draw_the_data_and_reject_bad_input():
    from neurokit_ai.viz._decoding import (
        plot_cursor_paths,
        plot_decoded_trajectories,
        plot_latency_histogram,
    )

    y = np.column_stack([np.arange(10.0), -np.arange(10.0)])
    fig = plot_decoded_trajectories(y, y + 1, 0.05, names=["vx", "vy"])
    np.testing.assert_array_equal(fig.axes[1].lines[1].get_ydata(), y[:, 1] + 1)
    lat = np.array([0.001, 0.002, np.nan])
    fig = plot_latency_histogram(lat, bin_width=0.05)
    assert sum(p.get_height() for p in fig.axes[0].patches) == 2
    path = np.array([[0.0, 0.0], [0.05, 0.0]])
    fig = plot_cursor_paths([(path, np.array([0.06, 0.0]))], target_radius=0.01)
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_xdata(), path[:, 0])
    with pytest.raises(ValidationError, match="y_pred has"):
        plot_decoded_trajectories(y, y[:5], 0.05)
    with pytest.raises(ValidationError, match="names has 1"):
        plot_decoded_trajectories(y, y, 0.05, names=["vx"])
    with pytest.raises(ValidationError, match="no finite"):
        plot_latency_histogram([np.nan])
    with pytest.raises(ValidationError, match="no trial"):
        plot_cursor_paths([])
    with pytest.raises(ValidationError, match="path of trial 0"):
        plot_cursor_paths([(np.zeros((3, 3)), np.zeros(2))])
