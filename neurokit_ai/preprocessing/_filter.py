"""Band-pass and notch filtering of a Recording, via ``mne.filter``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Recording, ValidationError, check_array, check_option, check_scalar
from ._common import check_recording, float_copy, pick_indices, with_data

__all__ = ["filter_recording", "notch_filter"]


def _check_cutoff(value: Any, name: str, nyquist: float) -> float | None:
    if value is None:
        return None
    check_scalar(value, name, min_val=0, include_min=False)
    if value >= nyquist:
        raise ValidationError(
            f"{name}={value} Hz is not below the Nyquist frequency ({nyquist:g} Hz "
            f"= sfreq / 2). Lower {name}, or pass None to skip that edge."
        )
    return float(value)


def _run_mne(func: Any, what: str, *args: Any, **kwargs: Any) -> np.ndarray:
    """Call an ``mne.filter`` function, turning its argument errors into ours."""
    kwargs.setdefault("verbose", False)
    try:
        return func(*args, **kwargs)
    except (TypeError, ValueError) as err:
        raise ValidationError(
            f"{what}: MNE rejected the filter settings ({err}). Check the keyword "
            "arguments against mne.filter.filter_data / notch_filter."
        ) from err


def _covers_data_channels(rec: Recording, idx: np.ndarray) -> bool:
    try:
        data_idx = pick_indices(rec, None)
    except ValidationError:
        return False
    return set(data_idx.tolist()) <= set(idx.tolist())


def filter_recording(
    rec: Recording,
    l_freq: float | None,
    h_freq: float | None,
    *,
    picks: Any = None,
    method: str = "fir",
    iir_params: dict[str, Any] | None = None,
    **kw: Any,
) -> Recording:
    """Band-, high- or low-pass filter the picked channels with MNE.

    A thin layer over :func:`mne.filter.filter_data` (zero-phase FIR by
    default). Channels not picked (stimulus, behaviour, auxiliary) are copied
    unchanged.

    Parameters
    ----------
    rec : Recording
        The input; it is not modified.
    l_freq, h_freq : float or None
        High-pass and low-pass edges in Hz; ``None`` skips that edge. Both must
        be below the Nyquist frequency and ``l_freq < h_freq``.
    picks : None, str, list of str or int, or boolean mask
        Channels to filter; ``None`` picks the data channels (EEG, sEEG, ECoG,
        MEG, fNIRS, fMRI, calcium, spikes).
    method : {"fir", "iir"}
        Filter family.
    iir_params : dict, optional
        IIR design (``{"order": 4, "ftype": "butter"}``...), for ``method="iir"``.
    **kw
        Passed on to :func:`mne.filter.filter_data` (``filter_length``,
        ``l_trans_bandwidth``, ``phase``, ``fir_window``...).

    Returns
    -------
    Recording
        A new recording. When every data channel was filtered,
        ``metadata["highpass"]``/``["lowpass"]`` are updated as MNE does.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Recording
    >>> rec = Recording(np.random.default_rng(0).normal(size=(2, 1000)), 250.0,
    ...                 ["C3", "C4"], "eeg")
    >>> filter_recording(rec, 1.0, 40.0).shape
    (2, 1000)
    """
    rec = check_recording(rec)
    nyquist = rec.sfreq / 2.0
    l_freq = _check_cutoff(l_freq, "l_freq", nyquist)
    h_freq = _check_cutoff(h_freq, "h_freq", nyquist)
    if l_freq is None and h_freq is None:
        raise ValidationError(
            "l_freq and h_freq are both None, so there is nothing to filter. Give a "
            "high-pass edge (l_freq), a low-pass edge (h_freq), or both."
        )
    if l_freq is not None and h_freq is not None and l_freq >= h_freq:
        raise ValidationError(
            f"l_freq={l_freq} Hz must be below h_freq={h_freq} Hz for a band-pass. "
            "Swap them; for a band-stop use notch_filter."
        )
    check_option(method, "method", ("fir", "iir"))
    idx = pick_indices(rec, picks)
    import mne

    data = float_copy(rec)
    data[idx] = _run_mne(
        mne.filter.filter_data,
        f"filter_recording(l_freq={l_freq}, h_freq={h_freq}, method={method!r})",
        data[idx],
        rec.sfreq,
        l_freq,
        h_freq,
        method=method,
        iir_params=iir_params,
        **kw,
    )
    out = with_data(rec, data)
    if _covers_data_channels(rec, idx):
        meta = out.metadata
        if l_freq is not None:
            meta["highpass"] = max(l_freq, float(meta.get("highpass") or 0.0))
        if h_freq is not None:
            meta["lowpass"] = min(h_freq, float(meta.get("lowpass") or nyquist))
    return out


def notch_filter(
    rec: Recording, freqs: float | Any, *, picks: Any = None, **kw: Any
) -> Recording:
    """Remove line noise at ``freqs`` with :func:`mne.filter.notch_filter`.

    Parameters
    ----------
    rec : Recording
        The input; it is not modified.
    freqs : float or array-like of float
        Frequencies to remove in Hz (for instance ``[50, 100, 150]``), each
        strictly between 0 and the Nyquist frequency.
    picks : None, str, list of str or int, or boolean mask
        Channels to filter; ``None`` picks the data channels.
    **kw
        Passed on to :func:`mne.filter.notch_filter` (``notch_widths``,
        ``trans_bandwidth``, ``method``...).

    Returns
    -------
    Recording
        A new recording.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Recording
    >>> t = np.arange(10000) / 500.0
    >>> rec = Recording(np.sin(2 * np.pi * 50 * t)[None], 500.0, ["Cz"], "eeg")
    >>> float(np.abs(notch_filter(rec, 50.0).data[0, 2000:8000]).max()) < 0.05
    True
    """
    rec = check_recording(rec)
    nyquist = rec.sfreq / 2.0
    freqs_arr = np.atleast_1d(check_array(freqs, "freqs", ndim=(0, 1)))
    bad = freqs_arr[(freqs_arr <= 0) | (freqs_arr >= nyquist)]
    if bad.size:
        raise ValidationError(
            f"freqs {bad.tolist()} Hz are not strictly between 0 and the Nyquist "
            f"frequency ({nyquist:g} Hz). Keep only line-noise harmonics below "
            f"{nyquist:g} Hz."
        )
    idx = pick_indices(rec, picks)
    import mne

    data = float_copy(rec)
    data[idx] = _run_mne(
        mne.filter.notch_filter,
        f"notch_filter(freqs={freqs_arr.tolist()})",
        data[idx],
        rec.sfreq,
        freqs_arr,
        **kw,
    )
    return with_data(rec, data)
