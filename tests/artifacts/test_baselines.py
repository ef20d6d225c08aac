"""Filtering and ICA baselines, and the recording-level benchmark helpers."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.artifacts import (
    contaminate_recording,
    filter_denoise,
    ica_denoise,
    score_recording,
    simulate_emg,
    spectral_slope,
)
from neurokit_ai.core import DTypeError, Recording, ValidationError


def _pink(rng: np.random.Generator, n_rows: int, n: int) -> np.ndarray:
    spec = np.fft.rfft(rng.normal(size=(n_rows, n)))
    f = np.fft.rfftfreq(n)
    spec[:, 1:] /= np.sqrt(f[1:])  # power ~ 1/f
    spec[:, 0] = 0
    return np.fft.irfft(spec, n)


def test_spectral_slope_of_planted_spectra():
    rng = np.random.default_rng(0)
    slopes = spectral_slope(
        np.vstack([_pink(rng, 1, 8192), rng.normal(size=(1, 8192))]), 256.0
    )
    assert slopes[0] == pytest.approx(-1.0, abs=0.2)
    assert slopes[1] == pytest.approx(0.0, abs=0.2)
    assert spectral_slope(simulate_emg(1, 2048, random_state=0), 256.0)[0] > 0.5


def test_filter_keeps_the_band_and_removes_the_rest():
    t = np.arange(2048) / 256.0
    alpha, muscle = np.sin(2 * np.pi * 10 * t), np.sin(2 * np.pi * 80 * t)
    out = filter_denoise(alpha + muscle)
    np.testing.assert_allclose(out[512:-512], alpha[512:-512], atol=0.02)
    with pytest.raises(ValidationError, match="both None"):
        filter_denoise(alpha, l_freq=None, h_freq=None)
    with pytest.raises(ValidationError, match="h_freq"):
        filter_denoise(alpha, h_freq=200.0)


def test_ica_flags_the_planted_muscle_source():
    rng = np.random.default_rng(1)
    n = 256 * 30
    brain = _pink(rng, 4, n)
    brain /= brain.std(axis=1, keepdims=True)
    emg = simulate_emg(1, n, random_state=2)
    mixing = rng.normal(size=(8, 4))
    clean = mixing @ brain * 1e-5
    noisy = clean + np.abs(rng.normal(size=(8, 1))) * emg * 2e-5
    rec = Recording(noisy, 256.0, [f"E{i}" for i in range(8)], "eeg")
    cleaned, info = ica_denoise(rec, n_components=5)
    assert len(info["flagged"]) == 1
    before = score_recording(noisy, clean)["cc"]
    after = score_recording(cleaned.data, clean)["cc"]
    assert after > 0.95 > before
    with pytest.raises(ValidationError, match="at least 2 channels"):
        ica_denoise(rec, picks=["E0"])
    with pytest.raises(DTypeError):
        ica_denoise(noisy)


def test_contaminated_recording_has_the_asked_snr_per_channel():
    rng = np.random.default_rng(0)
    rec = Recording(rng.normal(size=(3, 1280)) * 1e-5, 128.0, ["a", "b", "c"], "eeg")
    clean, noisy = contaminate_recording(rec, -3.0, n_sources=2, random_state=0)
    assert clean.sfreq == noisy.sfreq == 256.0 and clean.shape == (3, 2560)
    rms = lambda a: np.sqrt(np.mean(a**2, axis=1))  # noqa: E731
    snr = 10 * np.log10(rms(clean.data) / rms(noisy.data - clean.data))
    np.testing.assert_allclose(snr, -3.0)
    # two sources reach three channels: the artifact has rank 2
    s = np.linalg.svd(noisy.data - clean.data, compute_uv=False)
    assert s[2] < 1e-8 * s[0]
    assert score_recording(clean, clean)["cc"] == pytest.approx(1.0)
