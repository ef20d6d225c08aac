"""Recording-level benchmark: multichannel EMG contamination and scoring."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, Recording, check_random_state, check_scalar
from ._constants import EEG_BAND, MODEL_SFREQ, SEGMENT_SAMPLES
from ._emg import simulate_emg
from ._metrics import denoising_metrics
from ._signal import bandpass, cut_segments, resample_array

__all__ = ["contaminate_recording", "score_recording"]


def contaminate_recording(
    rec: Recording,
    snr_db: float,
    n_sources: int = 4,
    random_state: Any = None,
) -> tuple[Recording, Recording]:
    """Clean and EMG-contaminated versions of a recording's EEG, at 256 Hz.

    The clean version is the EEG channels resampled to 256 Hz and band-passed
    to 1-45 Hz. ``n_sources`` simulated EMG sources (:func:`simulate_emg`, each
    as long as the recording) reach every channel through a fixed random
    mixing matrix (half-normal weights), and each channel's artifact is scaled
    so that its SNR over the whole recording is ``snr_db``
    (``10 log10(RMS(x) / RMS(lambda n))``). The mixture stays instantaneous and
    stationary, the model ICA assumes, so ICA gets a fair chance.

    Returns
    -------
    clean, noisy : Recording
        Both at 256 Hz, EEG channels only, in the recording's units.

    Examples
    --------
    >>> from neurokit_ai.datasets import load_sample
    >>> clean, noisy = contaminate_recording(load_sample("eeg").crop(0, 4), 0.0,
    ...                                      random_state=0)
    >>> noisy.shape == clean.shape
    True
    """
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}."
        )
    check_scalar(snr_db, "snr_db")
    check_scalar(n_sources, "n_sources", kind=int, min_val=1)
    rng = check_random_state(random_state)
    eeg = rec.pick("eeg")
    x = bandpass(
        resample_array(eeg.data.astype(float), rec.sfreq, MODEL_SFREQ),
        MODEL_SFREQ,
        *EEG_BAND,
    )
    sources = simulate_emg(n_sources, x.shape[1], MODEL_SFREQ, random_state=rng)
    mixing = np.abs(rng.normal(size=(x.shape[0], n_sources)))
    noise = mixing @ sources
    rms = lambda a: np.sqrt(np.mean(a**2, axis=1, keepdims=True))  # noqa: E731
    lam = rms(x) / (rms(noise) * 10.0 ** (snr_db / 10.0))
    clean = Recording(
        x,
        MODEL_SFREQ,
        eeg.ch_names,
        "eeg",
        units=eeg.units,
        source=f"{rec.source}:clean",
    )
    noisy = Recording(
        x + lam * noise,
        MODEL_SFREQ,
        eeg.ch_names,
        "eeg",
        units=eeg.units,
        source=f"{rec.source}:emg{snr_db:+g}dB",
    )
    return clean, noisy


def score_recording(denoised: Any, clean: Any) -> dict[str, float]:
    """CC, RRMSE_t and RRMSE_f over every channel's 2-s segments at 256 Hz.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(2, 1024))
    >>> score_recording(x, x)["cc"]
    1.0
    """
    d = denoised.data if isinstance(denoised, Recording) else np.asarray(denoised)
    c = clean.data if isinstance(clean, Recording) else np.asarray(clean)
    ds = cut_segments(d, SEGMENT_SAMPLES).reshape(-1, SEGMENT_SAMPLES)
    cs = cut_segments(c, SEGMENT_SAMPLES).reshape(-1, SEGMENT_SAMPLES)
    return denoising_metrics(ds, cs, MODEL_SFREQ)
