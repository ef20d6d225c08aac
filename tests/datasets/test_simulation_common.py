"""Noise generators and checks shared by the simulators."""

import numpy as np
import pytest
from scipy.signal import welch

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets._common import (
    band_noise,
    check_count,
    pink_noise,
    simulation_metadata,
)


@pytest.mark.parametrize("exponent", [1.0, 2.0])
def test_pink_noise_slope_and_scale(exponent):
    x = pink_noise(np.random.default_rng(0), 4, 20000, exponent=exponent)
    np.testing.assert_allclose(x.std(axis=1), 1.0)
    np.testing.assert_allclose(x.mean(axis=1), 0.0, atol=1e-12)
    freqs, psd = welch(x, 1.0, nperseg=2048)
    fit = (freqs > 0.005) & (freqs < 0.2)
    slope = np.polyfit(np.log10(freqs[fit]), np.log10(psd[:, fit].mean(0)), 1)[0]
    assert slope == pytest.approx(-exponent, abs=0.15)


def test_band_noise_power_stays_in_band():
    x = band_noise(np.random.default_rng(1), 2, 10000, 1000.0, 70.0, 150.0)
    spectrum = np.abs(np.fft.rfft(x, axis=1)) ** 2
    freqs = np.fft.rfftfreq(10000, 1 / 1000.0)
    inside = (freqs >= 70.0) & (freqs <= 150.0)
    assert spectrum[:, inside].sum() / spectrum.sum() > 0.999


def test_check_count_and_metadata():
    assert check_count(3, "n") == 3
    with pytest.raises(ValidationError, match="n must be >= 1"):
        check_count(0, "n")
    with pytest.raises(DTypeError, match="n must be a Integral"):
        check_count(2.0, "n")
    meta = simulation_metadata("simulate_x", 4, a=1)
    assert meta == {
        "generator": "neurokit_ai.datasets.simulate_x",
        "parameters": {"a": 1},
        "random_state": 4,
    }
    assert simulation_metadata("f", np.random.default_rng(0))["random_state"] is None
