"""Changing the sampling rate of a Recording, via ``mne.filter.resample``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Recording, ValidationError, check_sfreq
from ._common import check_recording, float_copy, with_data
from ._filter import _run_mne

__all__ = ["resample"]


def _resample_stim(row: np.ndarray, ratio: float, n_new: int) -> np.ndarray:
    """Nearest-sample resampling that keeps the onset of every trigger pulse."""
    src = np.minimum(np.round(np.arange(n_new) / ratio).astype(int), row.size - 1)
    out = row[src].copy()
    onsets = np.flatnonzero((row != 0) & (np.diff(row, prepend=0) != 0))
    out[np.minimum(np.round(onsets * ratio).astype(int), n_new - 1)] = row[onsets]
    return out


def resample(rec: Recording, sfreq: float, **kw: Any) -> Recording:
    """Resample every channel to ``sfreq`` Hz.

    Continuous channels go through :func:`mne.filter.resample` (FFT method,
    anti-aliasing included). Stimulus channels are resampled by nearest sample,
    and the onset of every trigger pulse is kept even when the pulse is shorter
    than the new sampling interval, so trigger codes stay integers.
    Annotations keep their times in seconds; ``first_samp`` is rescaled to the
    new rate; ``metadata["lowpass"]`` is capped at the new Nyquist frequency.

    Parameters
    ----------
    rec : Recording
        The input; it is not modified.
    sfreq : float
        New sampling rate in Hz.
    **kw
        Passed on to :func:`mne.filter.resample` (``window``, ``npad``,
        ``method``...).

    Returns
    -------
    Recording
        ``n_times`` becomes ``round(n_times * sfreq / rec.sfreq)``.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Recording
    >>> rec = Recording(np.zeros((1, 1000)), 1000.0, ["Cz"], "eeg")
    >>> resample(rec, 250.0).shape
    (1, 250)
    """
    rec = check_recording(rec)
    new_sfreq = check_sfreq(sfreq, "sfreq")
    ratio = new_sfreq / rec.sfreq
    n_new = int(round(rec.n_times * ratio))
    if n_new < 1:
        raise ValidationError(
            f"sfreq={new_sfreq} Hz leaves no sample of the {rec.n_times}-sample "
            f"recording (at {rec.sfreq:g} Hz). Choose a higher sfreq."
        )
    data = float_copy(rec)
    out = np.empty((rec.n_channels, n_new))
    stim = np.array([t == "stim" for t in rec.ch_types])
    if (~stim).any():
        import mne

        out[~stim] = _run_mne(
            mne.filter.resample,
            f"resample(sfreq={new_sfreq})",
            data[~stim],
            up=new_sfreq,
            down=rec.sfreq,
            **kw,
        )
    for i in np.flatnonzero(stim):
        out[i] = _resample_stim(data[i], ratio, n_new)
    result = with_data(
        rec,
        out,
        sfreq=new_sfreq,
        first_samp=int(round(rec.first_samp * ratio)),
    )
    lowpass = result.metadata.get("lowpass")
    result.metadata["lowpass"] = min(
        new_sfreq / 2.0, rec.sfreq / 2.0 if lowpass is None else float(lowpass)
    )
    return result
