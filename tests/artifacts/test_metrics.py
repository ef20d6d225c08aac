"""Denoising metrics and the SNR mixing formula, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.artifacts import (
    correlation_coefficient,
    denoising_metrics,
    metrics_by_snr,
    mix_at_snr,
    rrmse_spectral,
    rrmse_temporal,
    snr_scale,
)
from neurokit_ai.core import DTypeError, NeurokitError, ValidationError

X = np.array([1.0, 2.0, 3.0, 4.0])
D = np.array([1.0, 3.0, 2.0, 4.0])


def test_cc_by_hand():
    # centred: x' = [-1.5, -.5, .5, 1.5], d' = [-1.5, .5, -.5, 1.5]
    # sum x'd' = 2.25 - .25 - .25 + 2.25 = 4; sum x'^2 = sum d'^2 = 5
    assert correlation_coefficient(D, X)[0] == pytest.approx(4 / 5)
    assert correlation_coefficient(-X, X)[0] == pytest.approx(-1.0)


def test_rrmse_temporal_by_hand():
    # RMS(d - x) = sqrt(2 / 4), RMS(x) = sqrt(30 / 4)
    assert rrmse_temporal(D, X)[0] == pytest.approx(np.sqrt(2 / 30))
    assert rrmse_temporal(X, X)[0] == 0.0


def _one_sided_periodogram(x: np.ndarray) -> np.ndarray:
    x = x - x.mean()
    n = x.size
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)  # periodic Hann
    p = np.abs(np.fft.rfft(w * x)) ** 2
    p[1:-1] *= 2  # one-sided: every bin but DC and Nyquist counted twice
    return p


def test_rrmse_spectral_by_hand():
    rng = np.random.default_rng(3)
    x, d = rng.normal(size=8), rng.normal(size=8)
    px, pd = _one_sided_periodogram(x), _one_sided_periodogram(d)
    expected = np.sqrt(np.mean((pd - px) ** 2)) / np.sqrt(np.mean(px**2))
    got = rrmse_spectral(d, x, sfreq=8.0, nperseg=None)[0]
    assert got == pytest.approx(expected, rel=1e-10)


def test_metrics_are_per_segment_and_grouped_by_snr():
    rng = np.random.default_rng(0)
    clean = rng.normal(size=(4, 64))
    denoised = clean.copy()
    denoised[2:] += rng.normal(size=(2, 64))  # the +2 dB rows are worse
    by_snr = metrics_by_snr(denoised, clean, [-7, -7, 2, 2], sfreq=64.0)
    assert by_snr[-7.0] == {"cc": 1.0, "rrmse_t": 0.0, "rrmse_f": 0.0}
    expected_cc = correlation_coefficient(denoised[2:], clean[2:]).mean()
    assert by_snr[2.0]["cc"] == pytest.approx(expected_cc)
    assert denoising_metrics(denoised[2:], clean[2:], 64.0)["cc"] == pytest.approx(
        expected_cc
    )


def test_lambda_recovered_from_snr():
    rng = np.random.default_rng(1)
    x, n = rng.normal(size=(5, 512)), rng.normal(size=(5, 512)) * 3.0
    lam_true = rng.uniform(0.1, 2.0, 5)
    rms = lambda a: np.sqrt(np.mean(a**2, axis=-1))  # noqa: E731
    snr_true = 10 * np.log10(rms(x) / rms(lam_true[:, None] * n))
    np.testing.assert_allclose(snr_scale(x, n, snr_true), lam_true, rtol=1e-12)
    y, lam = mix_at_snr(x, n, -7.0)
    np.testing.assert_allclose(10 * np.log10(rms(x) / rms(y - x)), -7.0)
    np.testing.assert_allclose(y, x + lam[:, None] * n)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: rrmse_temporal(np.ones(4), np.ones(5)), "same shape"),
        (lambda: rrmse_temporal(np.ones(4), np.zeros(4)), "zero RMS"),
        (lambda: correlation_coefficient([np.nan, 1.0], [1.0, 2.0]), "non-finite"),
        (lambda: rrmse_spectral(X, X, sfreq=-1.0), "sfreq"),
        (lambda: metrics_by_snr(np.ones((2, 4)), np.ones((2, 4)), [1.0]), "one SNR"),
        (lambda: snr_scale(np.ones(4), np.zeros(4), 0.0), "all zeros"),
        (lambda: snr_scale(np.ones(4), np.ones(4), np.inf), "finite"),
        (lambda: mix_at_snr(np.ones((2, 4)), np.ones((3, 4)), 0.0), "pair one"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_non_numeric_input():
    with pytest.raises(DTypeError):
        rrmse_temporal(["a", "b"], [1.0, 2.0])
    assert issubclass(DTypeError, NeurokitError)
