"""Classical baselines: filtering, and ICA with muscle components flagged by slope."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, Recording, ValidationError, check_array, check_scalar
from ._constants import MODEL_SFREQ
from ._signal import bandpass

__all__ = ["filter_denoise", "spectral_slope", "ica_denoise"]


def filter_denoise(
    segments: Any,
    sfreq: float = MODEL_SFREQ,
    l_freq: float | None = 1.0,
    h_freq: float | None = 45.0,
) -> np.ndarray:
    """Band-pass (or low-/high-pass) baseline: zero-phase Butterworth, order 4.

    Examples
    --------
    >>> import numpy as np
    >>> filter_denoise(np.zeros((2, 512))).shape
    (2, 512)
    """
    x = check_array(segments, "segments", ndim=(1, 2))
    check_scalar(sfreq, "sfreq", min_val=0, include_min=False)
    if l_freq is None and h_freq is None:
        raise ValidationError(
            "l_freq and h_freq are both None; give at least one edge."
        )
    for name, edge in (("l_freq", l_freq), ("h_freq", h_freq)):
        if edge is not None:
            check_scalar(
                edge,
                name,
                min_val=0,
                include_min=False,
                max_val=sfreq / 2,
                include_max=False,
            )
    return bandpass(x, float(sfreq), l_freq, h_freq)


def spectral_slope(
    x: Any, sfreq: float, fmin: float = 7.0, fmax: float = 45.0
) -> np.ndarray:
    """Log-log slope of each row's Welch spectrum between ``fmin`` and ``fmax`` Hz.

    Brain activity falls off (slope about -1 to -2); muscle activity is flat or
    rising (Dharmaprani et al. 2016: positive slope from 7 Hz on).

    Examples
    --------
    >>> import numpy as np
    >>> white = np.random.default_rng(0).normal(size=(1, 4096))
    >>> bool(abs(spectral_slope(white, 256.0)[0]) < 0.3)
    True
    """
    from scipy.signal import welch

    data = check_array(x, "x", ndim=2)
    f, p = welch(data, fs=sfreq, nperseg=min(int(sfreq), data.shape[1]), axis=-1)
    keep = (f >= fmin) & (f <= fmax)
    logf = np.log10(f[keep])
    logp = np.log10(p[:, keep] + np.finfo(float).tiny)
    return np.polyfit(logf, logp.T, 1)[0]


def ica_denoise(
    rec: Recording,
    picks: Any = "eeg",
    n_components: int | float | None = 0.999,
    slope_threshold: float = 0.0,
    random_state: int = 0,
) -> tuple[Recording, dict[str, Any]]:
    """MNE ICA with automatic rejection of muscle components by spectral slope.

    ICA (FastICA) is fitted on a 1-Hz high-passed copy of the picked channels;
    a component whose log-log spectral slope over 7-45 Hz exceeds
    ``slope_threshold`` (:func:`spectral_slope`) is flagged as muscle and
    removed from the (unfiltered) data.

    Parameters
    ----------
    rec : Recording
        Multichannel recording.
    picks : str or list
        Channels to decompose.
    n_components : int, float or None
        As :class:`mne.preprocessing.ICA` (a float keeps that fraction of
        variance).
    slope_threshold : float
        Slope above which a component is muscle.
    random_state : int
        FastICA seed.

    Returns
    -------
    cleaned : Recording
    info : dict
        ``flagged`` component indices and every component's ``slopes``.

    Examples
    --------
    >>> from neurokit_ai.datasets import load_sample
    >>> rec = load_sample("eeg").crop(0, 10)
    >>> cleaned, info = ica_denoise(rec, n_components=3)
    >>> cleaned.shape == rec.shape, len(info["slopes"])
    (True, 3)
    """
    from mne.preprocessing import ICA

    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}."
        )
    idx = rec._pick_indices(picks)
    if idx.size < 2:
        raise ValidationError(
            f"ICA needs at least 2 channels, picks {picks!r} selects {idx.size}."
        )
    sub = rec.pick(idx.tolist())
    raw = sub.to_mne()
    fit_raw = raw.copy().filter(1.0, None, verbose=False)
    ica = ICA(
        n_components=n_components,
        method="fastica",
        random_state=random_state,
        max_iter=1000,
        verbose=False,
    )
    ica.fit(fit_raw, verbose=False)
    sources = ica.get_sources(fit_raw).get_data()
    slopes = spectral_slope(sources, rec.sfreq)
    flagged = np.flatnonzero(slopes > slope_threshold).tolist()
    ica.exclude = flagged
    cleaned_raw = ica.apply(raw.copy(), verbose=False)
    out = rec.copy()
    out.data[idx] = cleaned_raw.get_data()
    return out, {
        "flagged": flagged,
        "slopes": slopes,
        "n_components": ica.n_components_,
    }
