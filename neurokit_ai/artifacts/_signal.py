"""Array helpers shared by the artifact module: resampling, filtering, windows."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["resample_array", "bandpass", "cut_segments", "band_power"]


def resample_array(x: np.ndarray, sfreq: float, new_sfreq: float) -> np.ndarray:
    """Polyphase resampling along the last axis (anti-aliased, zero-phase).

    Examples
    --------
    >>> resample_array(np.zeros((2, 1000)), 1000.0, 256.0).shape
    (2, 256)
    """
    from scipy.signal import resample_poly

    if np.isclose(sfreq, new_sfreq, rtol=1e-9, atol=0):
        return np.array(x, dtype=float)
    ratio = Fraction(float(new_sfreq) / float(sfreq)).limit_denominator(1000)
    return resample_poly(x, ratio.numerator, ratio.denominator, axis=-1)


def bandpass(
    x: np.ndarray, sfreq: float, l_freq: float | None, h_freq: float | None
) -> np.ndarray:
    """Zero-phase 4th-order Butterworth band/high/low-pass along the last axis.

    Examples
    --------
    >>> t = np.arange(512) / 256.0
    >>> y = bandpass(np.sin(2 * np.pi * 10 * t) + 1.0, 256.0, 1.0, 45.0)
    >>> bool(abs(y[100:-100].mean()) < 0.05)
    True
    """
    from scipy.signal import butter, sosfiltfilt

    if l_freq is not None and h_freq is not None:
        sos = butter(4, [l_freq, h_freq], "bandpass", fs=sfreq, output="sos")
    elif l_freq is not None:
        sos = butter(4, l_freq, "highpass", fs=sfreq, output="sos")
    else:
        sos = butter(4, h_freq, "lowpass", fs=sfreq, output="sos")
    return sosfiltfilt(sos, x, axis=-1)


def cut_segments(x: np.ndarray, n_samples: int) -> np.ndarray:
    """Non-overlapping segments from the start: ``(..., n, n_samples)``.

    Examples
    --------
    >>> cut_segments(np.arange(10.0), 4).shape
    (2, 4)
    """
    n = x.shape[-1] // n_samples
    trimmed = x[..., : n * n_samples]
    return trimmed.reshape(*x.shape[:-1], n, n_samples)


def band_power(
    x: np.ndarray, sfreq: float, fmin: float, fmax: float, nperseg: int = 256
) -> np.ndarray:
    """Welch power summed over ``[fmin, fmax]`` Hz along the last axis.

    Examples
    --------
    >>> t = np.arange(2048) / 256.0
    >>> x = np.sin(2 * np.pi * 10 * t)
    >>> bool(band_power(x, 256.0, 8, 12) > 100 * band_power(x, 256.0, 20, 40))
    True
    """
    from scipy.signal import welch

    f, p = welch(x, fs=sfreq, nperseg=min(nperseg, x.shape[-1]), axis=-1)
    keep = (f >= fmin) & (f <= fmax)
    return p[..., keep].sum(axis=-1)
