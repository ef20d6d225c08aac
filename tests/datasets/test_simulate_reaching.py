"""simulate_reaching_m1: cosine tuning recovered, kinematics consistent."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import load_sample, minimum_jerk, simulate_reaching_m1


def test_same_seed_same_data_other_seed_other_data():
    a, b = simulate_reaching_m1(n_trials=8), simulate_reaching_m1(n_trials=8)
    c = simulate_reaching_m1(n_trials=8, random_state=1)
    np.testing.assert_array_equal(a.data, b.data)
    assert not np.array_equal(a.data, c.data)


def test_cosine_fit_recovers_preferred_directions():
    rec = load_sample("reaching")
    counts = rec.get_data("spikes")
    vel = rec.get_data(["vel_x", "vel_y"])
    design = np.column_stack([np.ones(rec.n_times), vel.T])
    coef = np.linalg.lstsq(design, counts.T, rcond=None)[0]
    fitted = np.arctan2(coef[2], coef[1])
    true = rec.channel_info["preferred_direction"][:96]
    error = np.degrees(np.abs(np.angle(np.exp(1j * (fitted - true)))))
    assert np.median(error) < 15.0
    depth = np.hypot(coef[1], coef[2]) / (1.0 / rec.sfreq)  # Hz per m/s
    assert np.corrcoef(depth, rec.channel_info["modulation_depth"][:96])[0, 1] > 0.8


def test_kinematics_and_annotations():
    rec = load_sample("reaching")
    assert rec.sfreq == 20.0 and rec.modality == "spikes"
    assert rec.ch_types.count("spikes") == 96 and rec.ch_types[-4:] == ["behavior"] * 4
    assert rec.units[-4:] == ["m", "m", "m/s", "m/s"]
    assert np.isnan(rec.channel_info["preferred_direction"][-4:]).all()
    pos = rec.get_data(["hand_x", "hand_y"])
    vel = rec.get_data(["vel_x", "vel_y"])
    np.testing.assert_allclose(np.gradient(pos, 1 / rec.sfreq, axis=1), vel, atol=0.03)
    targets = rec.metadata["targets"]
    for onset, length, label in zip(
        rec.annotations.onset, rec.annotations.duration, rec.annotations.description
    ):
        k = int(label.split("_")[1])
        end = int(np.ceil((onset + length) * rec.sfreq))
        np.testing.assert_allclose(pos[:, end], targets[k], atol=1e-12)
        np.testing.assert_allclose(np.hypot(*targets[k]), 0.08)
    labels = rec.annotations.description.tolist()
    assert all(labels.count(f"target_{k}") == 10 for k in range(8))
    assert np.all(rec.get_data("spikes") >= 0)


def test_minimum_jerk_profile():
    s = np.linspace(0, 1, 101)
    pos, vel = minimum_jerk(s)
    np.testing.assert_allclose(np.gradient(pos, s), vel, atol=2e-3)
    assert pos[0] == 0.0 and pos[-1] == 1.0 and vel.max() == pytest.approx(1.875)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_units": 0}, ValidationError, "n_units must be >= 1"),
        ({"n_trials": 0}, ValidationError, "n_trials must be >= 1"),
        ({"bin_width": 0.5}, ValidationError, "bin_width must be <= 0.2"),
        ({"bin_width": 0.0}, ValidationError, "bin_width must be >= 0.001"),
        ({"n_targets": 1}, ValidationError, "n_targets must be >= 2"),
        ({"n_targets": "8"}, DTypeError, "n_targets must be a Integral"),
        ({"random_state": "seed"}, DTypeError, "random_state must be None"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_reaching_m1(**kwargs)
