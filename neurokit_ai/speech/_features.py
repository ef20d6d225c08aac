"""High-gamma features of sEEG trials, filtered through MNE."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ValidationError, check_scalar, check_sfreq
from ._checks import check_band, check_trials

__all__ = ["HIGH_GAMMA", "high_gamma_envelope", "high_gamma_power"]

#: The high-gamma band (Hz) used by default.
HIGH_GAMMA = (70.0, 150.0)


def high_gamma_envelope(
    X: Any,
    sfreq: float,
    band: Sequence[float] = HIGH_GAMMA,
    out_sfreq: float = 100.0,
    log: bool = True,
) -> np.ndarray:
    """Amplitude envelope of the high-gamma band, down-sampled.

    Each trial is band-pass filtered with :func:`mne.filter.filter_data`
    (zero-phase FIR), its analytic amplitude taken (Hilbert transform), then
    low-passed and resampled to ``out_sfreq`` with :func:`mne.filter.resample`.

    Parameters
    ----------
    X : array-like, shape (n_trials, n_channels, n_times)
        Trials.
    sfreq : float
        Their sampling rate in Hz; must exceed twice the band's upper edge.
    band : (float, float)
        Band edges in Hz.
    out_sfreq : float
        Sampling rate of the envelope (Hz), at most ``sfreq``.
    log : bool
        Return ``log(envelope)`` (amplitudes are log-normal; this is what the
        decoders see best).

    Returns
    -------
    ndarray, shape (n_trials, n_channels, n_out)
        float32; ``n_out = round(n_times * out_sfreq / sfreq)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> high_gamma_envelope(rng.normal(size=(2, 3, 1000)), 1000.0).shape
    (2, 3, 100)
    """
    X = check_trials(X, "X")
    sfreq = check_sfreq(sfreq)
    low, high = check_band(band, sfreq)
    check_scalar(out_sfreq, "out_sfreq", min_val=0, include_min=False, max_val=sfreq)
    import mne
    from scipy.signal import hilbert

    n, c, t = X.shape
    flat = X.reshape(n * c, t).astype(np.float64)
    filt = mne.filter.filter_data(flat, sfreq, low, high, verbose="error")
    env = np.abs(hilbert(filt, axis=-1))
    if out_sfreq < sfreq:
        env = mne.filter.resample(env, up=out_sfreq, down=sfreq, verbose="error")
    env = np.maximum(env, 1e-12 * max(float(env.max()), 1e-30))
    if log:
        env = np.log(env)
    return env.reshape(n, c, -1).astype(np.float32)


def high_gamma_power(
    X: Any,
    sfreq: float,
    band: Sequence[float] = HIGH_GAMMA,
    n_bins: int = 10,
) -> np.ndarray:
    """Mean log high-gamma amplitude in ``n_bins`` equal time bins per channel.

    The features of the logistic-regression baseline: ``(n_trials, n_channels
    * n_bins)``, channel-major.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> high_gamma_power(rng.normal(size=(2, 3, 1000)), 1000.0, n_bins=5).shape
    (2, 15)
    """
    check_scalar(n_bins, "n_bins", kind=int, min_val=1)
    env = high_gamma_envelope(X, sfreq, band, out_sfreq=100.0, log=True)
    n, c, t = env.shape
    if n_bins > t:
        raise ValidationError(
            f"n_bins={n_bins} exceeds the {t} envelope samples of a trial; use "
            "fewer bins or longer trials."
        )
    edges = np.linspace(0, t, n_bins + 1).astype(int)
    feats = np.stack(
        [env[:, :, a:b].mean(axis=2) for a, b in zip(edges[:-1], edges[1:])], axis=2
    )
    return feats.reshape(n, c * n_bins)
