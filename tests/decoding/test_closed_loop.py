"""Closed-loop simulator and BCI metrics: hand-checked cases and decoders."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.decoding import KalmanFilterDecoder
from neurokit_ai.decoding._closed_loop import (
    ClosedLoopSimulator,
    achieved_bitrate,
    fitts_throughput,
    trial_metrics,
)


def test_trial_metrics_by_hand():
    # An L-shaped path: right 3, up 4, then a step inside the target at (3, 4).
    path = [[0, 0], [1, 0], [2, 0], [3, 0], [3, 2], [3, 4], [3, 4.1]]
    m = trial_metrics(path, [3, 4], 0.5, 0.1)
    assert m["success"]
    assert m["time_to_target"] == pytest.approx(0.5)  # entered at bin 5
    # straight |(3, 4)| = 5 over travelled 3 + 4 = 7
    assert m["path_efficiency"] == pytest.approx(5 / 7)
    assert m["path_length"] == pytest.approx(7.1)
    # A hold of 0.2 s needs three bins inside (5, 6 and a 7th): not reached.
    assert not trial_metrics(path, [3, 4], 0.5, 0.1, hold_time=0.2)["success"]
    # A hold of 0.1 s: bins 5 and 6 are inside, success from the entry at bin 5.
    held = trial_metrics(path, [3, 4], 0.5, 0.1, hold_time=0.1)
    assert held["success"] and held["time_to_target"] == pytest.approx(0.5)
    # Leaving and re-entering: the successful hold starts at the re-entry.
    wobble = [[0, 0], [1, 0], [3, 0], [1, 0], [3, 0], [3, 0]]
    m = trial_metrics(wobble, [3, 0], 0.1, 1.0, hold_time=1.0)
    assert m["time_to_target"] == 4.0
    assert m["path_efficiency"] == pytest.approx(3 / (1 + 2 + 2 + 2))


def test_bitrate_formulas_by_hand():
    assert fitts_throughput(0.07, 0.01, 1.5) == pytest.approx(3 / 1.5)
    assert achieved_bitrate(9, 10, 2, 8.0) == pytest.approx(np.log2(8) * 8 / 8.0)
    assert achieved_bitrate(9, 2, 5, 8.0) == 0.0  # more errors than successes


def test_perfect_decoder_succeeds_with_straight_paths():
    for task in ("centre_out", "random"):
        result = ClosedLoopSimulator(task, random_state=1).run(None, n_trials=16)
        assert result.metrics["success_rate"] == 1.0
        assert result.metrics["path_efficiency"] > 0.99
        for trial in result.trials:
            assert np.linalg.norm(trial.path[-1] - trial.target) <= 0.015


def test_fitted_kalman_filter_well_above_chance():
    sim = ClosedLoopSimulator(random_state=0)
    counts, velocity = sim.calibrate(n_trials=32)
    assert counts.shape == (len(velocity), sim.n_neurons)
    kf = KalmanFilterDecoder().fit(counts, velocity, bin_width=sim.bin_width)
    fitted = sim.run(kf, n_trials=24).metrics
    # Chance: the same filter fitted on shuffled velocities.
    rng = np.random.default_rng(0)
    shuffled = KalmanFilterDecoder().fit(
        counts, velocity[rng.permutation(len(velocity))], bin_width=sim.bin_width
    )
    chance = sim.run(shuffled, n_trials=24).metrics
    assert fitted["success_rate"] >= 0.9
    assert chance["success_rate"] <= 0.2
    assert fitted["path_efficiency"] > 0.8
    assert fitted["achieved_bitrate_bps"] > 1.0 > chance["achieved_bitrate_bps"]
    expected = (
        np.log2(7)
        * max(round(fitted["success_rate"] * 24) * 2 - 24, 0)
        / fitted["task_time_s"]
    )
    assert fitted["achieved_bitrate_bps"] == pytest.approx(expected)


def test_neurons_are_cosine_tuned_to_intention():
    sim = ClosedLoopSimulator(n_neurons=5, random_state=3)
    v = sim.preferred_[0] * sim.max_speed
    mean = np.mean([sim.spikes(v) for _ in range(4000)], axis=0) / sim.bin_width
    expected = np.maximum(sim.baseline_ + sim.depth_ * (sim.preferred_ @ v) / 0.25, 0)
    np.testing.assert_allclose(mean, expected, rtol=0.1)


def test_seeded_runs_are_identical():
    def once():
        sim = ClosedLoopSimulator("random", random_state=7)
        counts, velocity = sim.calibrate(n_trials=8)
        kf = KalmanFilterDecoder().fit(counts, velocity, bin_width=sim.bin_width)
        return counts, sim.run(kf, n_trials=6)

    (c1, r1), (c2, r2) = once(), once()
    np.testing.assert_array_equal(c1, c2)
    assert r1.metrics == r2.metrics
    for a, b in zip(r1.trials, r2.trials):
        np.testing.assert_array_equal(a.path, b.path)


def test_bad_inputs():
    with pytest.raises(ValidationError, match="Did you mean 'random'"):
        ClosedLoopSimulator("randm")
    with pytest.raises(ValidationError, match="hold_time"):
        ClosedLoopSimulator(hold_time=5.0, timeout=4.0)
    with pytest.raises(ValidationError, match="path must have shape"):
        trial_metrics(np.zeros((4, 3)), [0, 0], 0.1, 0.05)
    with pytest.raises(ValidationError, match="target_radius"):
        trial_metrics(np.zeros((4, 2)), [0, 0], -1.0, 0.05)
    sim = ClosedLoopSimulator(n_neurons=10, random_state=0)
    counts, velocity = sim.calibrate(n_trials=4)
    three = np.column_stack([velocity, velocity[:, 0]])
    kf3 = KalmanFilterDecoder().fit(counts, three, bin_width=sim.bin_width)
    with pytest.raises(ValidationError, match="2-D velocity"):
        sim.run(kf3, n_trials=1)
    kf_wide = KalmanFilterDecoder().fit(counts, velocity, bin_width=0.1)
    with pytest.raises(ValidationError, match="100 ms bins.*50 ms bins"):
        sim.run(kf_wide, n_trials=1)
    with pytest.raises(DTypeError):
        sim.run(object(), n_trials=1)
