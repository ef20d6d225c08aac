"""Muscle (EMG) artifacts: a motor-unit simulator and real ``emg`` channels."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    Recording,
    ValidationError,
    check_random_state,
    check_scalar,
)
from ._constants import MODEL_SFREQ, SEGMENT_SAMPLES
from ._signal import bandpass, cut_segments, resample_array

__all__ = ["simulate_emg", "emg_segments"]

#: Rate (Hz) at which motor-unit action potentials are drawn before the
#: 20-250 Hz band-pass and the anti-aliased resampling to the output rate.
_SIM_SFREQ = 1024.0


def _muap(width_s: float, order: int, sfreq: float) -> np.ndarray:
    """Hermite-Rodriguez motor-unit action potential of ``order`` 1 or 2."""
    half = int(np.ceil(4 * width_s * sfreq))
    t = np.arange(-half, half + 1) / sfreq / width_s
    shape = t * np.exp(-(t**2)) if order == 1 else (1 - 2 * t**2) * np.exp(-(t**2))
    return shape / np.max(np.abs(shape))


def _envelope(n: int, sfreq: float, rng: np.random.Generator) -> np.ndarray:
    """Bursty drive in [0, 1]: on/off bursts of 0.1-0.8 s with smooth edges."""
    env = np.zeros(n)
    t = 0
    while t < n:
        off = int(rng.uniform(0.0, 0.6) * sfreq)
        on = int(rng.uniform(0.1, 0.8) * sfreq)
        env[t + off : t + off + on] = rng.uniform(0.3, 1.0)
        t += off + on
    k = max(int(0.03 * sfreq), 1)
    env = np.convolve(env, np.hanning(2 * k + 1) / np.hanning(2 * k + 1).sum(), "same")
    if env.max() == 0:
        env[:] = 1.0
    return env


def _one_train(n: int, rng: np.random.Generator) -> np.ndarray:
    sfreq = _SIM_SFREQ
    drive = _envelope(n, sfreq, rng)
    out = np.zeros(n)
    for _ in range(int(rng.integers(8, 31))):
        rate = rng.uniform(8.0, 30.0)
        isi = np.maximum(rng.normal(1.0, 0.2, int(n / sfreq * 30.0) + 2), 0.3) / rate
        idx = ((rng.uniform(0, 1.0 / rate) + np.cumsum(isi)) * sfreq).astype(int)
        idx = idx[idx < n]
        idx = idx[drive[idx] > rng.uniform(0.0, 0.9)]
        spikes = np.zeros(n)
        spikes[idx] = rng.lognormal(0.0, 0.6)
        pulse = _muap(rng.uniform(2.5e-3, 7e-3), int(rng.integers(1, 3)), sfreq)
        out += np.convolve(spikes, pulse, "same")
    return out


def simulate_emg(
    n_segments: int,
    n_samples: int = SEGMENT_SAMPLES,
    sfreq: float = MODEL_SFREQ,
    random_state: Any = None,
) -> np.ndarray:
    """Simulate surface-EMG segments as summed motor-unit action-potential trains.

    Each segment sums 8-30 motor units. A unit fires a renewal train (8-30 Hz,
    inter-spike-interval CV 0.2) while a shared
    bursty drive (on/off bursts of 0.1-0.8 s) exceeds its recruitment
    threshold; its action potential is a first- or second-order
    Hermite-Rodriguez wave of 2.5-7 ms width with a log-normal amplitude. The
    sum is drawn at 1024 Hz, band-passed to 20-250 Hz, resampled (anti-aliased)
    to ``sfreq`` and scaled to unit standard deviation, as EEGdenoiseNet's
    z-scored EMG epochs. A segment in which no unit fires (possible when it is
    short) is drawn again.

    Parameters
    ----------
    n_segments : int
        Number of segments.
    n_samples : int
        Samples per segment at ``sfreq``.
    sfreq : float
        Output sampling rate in Hz (at least 64 Hz).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    ndarray, shape (n_segments, n_samples)

    Examples
    --------
    >>> emg = simulate_emg(2, random_state=0)
    >>> emg.shape, bool(abs(emg.std(axis=1) - 1).max() < 1e-9)
    ((2, 512), True)
    """
    check_scalar(n_segments, "n_segments", kind=int, min_val=1)
    check_scalar(n_samples, "n_samples", kind=int, min_val=16)
    check_scalar(sfreq, "sfreq", min_val=64.0)
    rng = check_random_state(random_state)
    n_sim = int(np.ceil(n_samples * _SIM_SFREQ / sfreq)) + 64
    raw = np.stack([_one_train(n_sim, rng) for _ in range(n_segments)])
    raw = bandpass(raw, _SIM_SFREQ, 20.0, 250.0)
    out = resample_array(raw, _SIM_SFREQ, float(sfreq))
    start = (out.shape[1] - n_samples) // 2
    out = out[:, start : start + n_samples]
    out = out - out.mean(axis=1, keepdims=True)
    std = out.std(axis=1, keepdims=True)
    silent = std[:, 0] < 1e-12
    if silent.any():  # no unit fired within a short segment: draw it again
        out[silent] = simulate_emg(int(silent.sum()), n_samples, sfreq, rng)
        std[silent] = 1.0
    return out / std


def emg_segments(rec: Recording, picks: Any = "emg") -> np.ndarray:
    """Cut a recording's EMG channels into z-scored 2-s segments at 256 Hz.

    Each picked channel is resampled to 256 Hz, high-passed at 20 Hz (muscle
    activity; slow drifts removed) and cut into non-overlapping segments from
    the start. Flat segments are dropped.

    Parameters
    ----------
    rec : Recording
        A recording holding EMG (channel type ``emg`` by default).
    picks : str or list
        Channels to use.

    Returns
    -------
    ndarray, shape (n_segments, 512)

    Examples
    --------
    >>> from neurokit_ai.core import Recording
    >>> rec = Recording(simulate_emg(1, 2048, 1000.0, random_state=0), 1000.0,
    ...                 ["EMG1"], "emg")
    >>> emg_segments(rec).shape
    (1, 512)
    """
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}; wrap "
            "an array with Recording(data, sfreq, ch_names, 'emg')."
        )
    if picks == "emg" and "emg" not in rec.ch_types:
        raise ValidationError(
            f"{rec.source or 'rec'} has no channel of type 'emg' (types "
            f"{sorted(set(rec.ch_types))}); mark the EMG channels with "
            "rec.set_channel_types({name: 'emg'}) or pass picks."
        )
    if rec.sfreq < 2 * 20.0:
        raise ValidationError(
            f"rec.sfreq={rec.sfreq:g} Hz cannot hold muscle activity above 20 Hz; "
            "EMG needs a sampling rate of at least 64 Hz."
        )
    data = rec.get_data(picks).astype(float)
    data = resample_array(data, rec.sfreq, MODEL_SFREQ)
    data = bandpass(data, MODEL_SFREQ, 20.0, None)
    segs = cut_segments(data, SEGMENT_SAMPLES).reshape(-1, SEGMENT_SAMPLES)
    if segs.shape[0] == 0:
        raise ValidationError(
            f"the EMG channels last {rec.duration:.3g} s, shorter than one 2-s "
            "segment; pass a longer recording."
        )
    segs = segs - segs.mean(axis=1, keepdims=True)
    std = segs.std(axis=1, keepdims=True)
    keep = std[:, 0] > 0
    return segs[keep] / std[keep]
