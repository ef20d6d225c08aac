"""Denoising metrics of EEGdenoiseNet: CC, RRMSE in time and in spectrum."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_sfreq

__all__ = [
    "correlation_coefficient",
    "rrmse_temporal",
    "rrmse_spectral",
    "denoising_metrics",
    "metrics_by_snr",
]


def _pair(denoised: Any, clean: Any) -> tuple[np.ndarray, np.ndarray]:
    d = check_array(denoised, "denoised", ndim=(1, 2))
    c = check_array(clean, "clean", ndim=(1, 2))
    if d.shape != c.shape:
        raise ValidationError(
            f"denoised has shape {d.shape} but clean has shape {c.shape}; pass "
            "segments of the same shape (n_samples,) or (n_segments, n_samples)."
        )
    if d.shape[-1] < 2:
        raise ValidationError(
            f"segments need at least 2 samples, got shape {d.shape}; pass longer "
            "segments."
        )
    return np.atleast_2d(d), np.atleast_2d(c)


def _rms(x: np.ndarray) -> np.ndarray:
    return np.sqrt(np.mean(x**2, axis=-1))


def _ratio(num: np.ndarray, den: np.ndarray, what: str) -> np.ndarray:
    if np.any(den == 0):
        raise ValidationError(
            f"a clean segment has zero {what}, so the relative error is undefined; "
            "drop flat segments first."
        )
    return num / den


def correlation_coefficient(denoised: Any, clean: Any) -> np.ndarray:
    """Pearson correlation of each denoised segment with its clean segment.

    ``CC = Cov(f(y), x) / sqrt(Var(f(y)) Var(x))`` (EEGdenoiseNet's "ACC").

    Parameters
    ----------
    denoised, clean : array-like, shape (n_samples,) or (n_segments, n_samples)
        Output of a denoiser and the ground truth.

    Returns
    -------
    ndarray, shape (n_segments,)
        One value per segment (a constant segment gives NaN).

    Examples
    --------
    >>> correlation_coefficient([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    array([1.])
    """
    d, c = _pair(denoised, clean)
    d = d - d.mean(axis=-1, keepdims=True)
    c = c - c.mean(axis=-1, keepdims=True)
    den = np.sqrt(np.sum(d**2, axis=-1) * np.sum(c**2, axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sum(d * c, axis=-1) / den


def rrmse_temporal(denoised: Any, clean: Any) -> np.ndarray:
    """Relative RMS error in time: ``RMS(f(y) - x) / RMS(x)`` per segment.

    Examples
    --------
    >>> rrmse_temporal([2.0, 0.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0])
    array([1.])
    """
    d, c = _pair(denoised, clean)
    return _ratio(_rms(d - c), _rms(c), "RMS")


def _welch(x: np.ndarray, sfreq: float, nperseg: int | None) -> np.ndarray:
    from scipy.signal import welch

    n = x.shape[-1] if nperseg is None else min(int(nperseg), x.shape[-1])
    return welch(x, fs=sfreq, nperseg=n, axis=-1)[1]


def rrmse_spectral(
    denoised: Any, clean: Any, sfreq: float = 256.0, nperseg: int | None = 256
) -> np.ndarray:
    """Relative RMS error of the power spectrum: ``RMS(P(f(y)) - P(x)) / RMS(P(x))``.

    ``P`` is Welch's power spectral density (Hann window, ``nperseg`` samples,
    50 % overlap; ``None`` uses one whole-segment window).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.sin(np.linspace(0, 20, 64))
    >>> rrmse_spectral(2 * x, x, sfreq=32.0, nperseg=None)  # power x4: error 3
    array([3.])
    """
    d, c = _pair(denoised, clean)
    sfreq = check_sfreq(sfreq)
    pd_, pc = _welch(d, sfreq, nperseg), _welch(c, sfreq, nperseg)
    return _ratio(_rms(pd_ - pc), _rms(pc), "power")


def denoising_metrics(
    denoised: Any, clean: Any, sfreq: float = 256.0
) -> dict[str, float]:
    """Mean CC, RRMSE_temporal and RRMSE_spectral over segments.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(3, 512))
    >>> denoising_metrics(x, x)["cc"]
    1.0
    """
    return {
        "cc": float(np.nanmean(correlation_coefficient(denoised, clean))),
        "rrmse_t": float(np.mean(rrmse_temporal(denoised, clean))),
        "rrmse_f": float(np.mean(rrmse_spectral(denoised, clean, sfreq))),
    }


def metrics_by_snr(
    denoised: Any, clean: Any, snr_db: Any, sfreq: float = 256.0
) -> dict[float, dict[str, float]]:
    """:func:`denoising_metrics` for each distinct SNR level.

    Parameters
    ----------
    denoised, clean : array-like, shape (n_segments, n_samples)
        Denoised and clean segments.
    snr_db : array-like, shape (n_segments,)
        SNR level of each segment.

    Returns
    -------
    dict
        ``{snr: {"cc", "rrmse_t", "rrmse_f"}}`` in increasing SNR.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(4, 64))
    >>> sorted(metrics_by_snr(x, x, [-7, -7, 2, 2], sfreq=64.0))
    [-7.0, 2.0]
    """
    d, c = _pair(denoised, clean)
    snr = check_array(snr_db, "snr_db", ndim=1)
    if snr.size != d.shape[0]:
        raise ValidationError(
            f"snr_db has {snr.size} values for {d.shape[0]} segments; give one SNR "
            "per segment."
        )
    return {
        float(level): denoising_metrics(d[snr == level], c[snr == level], sfreq)
        for level in np.unique(snr)
    }
