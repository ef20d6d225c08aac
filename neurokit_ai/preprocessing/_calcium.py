"""Neuropil subtraction and ΔF/F with a running-percentile baseline."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..core import Recording, ValidationError, check_array, check_scalar
from ._common import check_recording, float_copy, pick_indices, with_data

__all__ = ["neuropil_correct", "delta_f_over_f", "running_percentile"]


def _neuropil_array(rec: Recording, neuropil: Any) -> np.ndarray:
    if isinstance(neuropil, Recording):
        if not np.isclose(neuropil.sfreq, rec.sfreq, rtol=1e-9, atol=0):
            raise ValidationError(
                f"neuropil is sampled at {neuropil.sfreq:g} Hz but rec at "
                f"{rec.sfreq:g} Hz; they must be the same traces' neuropil."
            )
        neuropil = neuropil.get_data()
    return check_array(neuropil, "neuropil", shape=rec.shape)


def neuropil_correct(
    rec: Recording, neuropil: Recording | np.ndarray, *, coef: float = 0.7
) -> Recording:
    """Subtract scaled neuropil fluorescence: ``F - coef * Fneu``.

    Applied to the data channels (``calcium``...); other channels are copied.

    Parameters
    ----------
    rec : Recording
        Raw ROI fluorescence F.
    neuropil : Recording or array-like, shape (n_channels, n_times)
        The matching neuropil traces Fneu (rows of non-data channels are ignored).
    coef : float
        Contamination coefficient in [0, 1]; 0.7 is the usual choice (suite2p).

    Returns
    -------
    Recording
        A new recording; ``metadata["neuropil_coef"]`` records ``coef``.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Recording
    >>> rec = Recording(np.full((1, 4), 100.0), 30.0, ["roi0"], "calcium")
    >>> neuropil_correct(rec, np.full((1, 4), 10.0)).data
    array([[93., 93., 93., 93.]])
    """
    rec = check_recording(rec)
    check_scalar(coef, "coef", min_val=0.0, max_val=1.0)
    fneu = _neuropil_array(rec, neuropil)
    idx = pick_indices(rec, None)
    data = float_copy(rec)
    data[idx] -= coef * fneu[idx]
    out = with_data(rec, data)
    out.metadata["neuropil_coef"] = float(coef)
    return out


def running_percentile(x: np.ndarray, half_width: int, percentile: float) -> np.ndarray:
    """Percentile of each sample's centred window, truncated at the edges.

    The baseline at sample ``t`` of row ``x[i]`` is
    ``np.percentile(x[i, max(0, t-h):t+h+1], q, method="lower")``: near the
    edges the window holds only the samples that exist (no padding, mirroring
    or repetition biases the edge baseline). It is computed in
    O(n log w) per row with the 1-D fast path of
    :func:`scipy.ndimage.rank_filter` on a row padded with ``-inf``/``+inf``
    values arranged so that, for every truncated window, the fixed rank of the
    full window lands on the wanted rank among the real samples.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n_times)
        Finite data.
    half_width : int
        ``h``; windows span ``2h + 1`` samples, at most ``n_times``.
    percentile : float
        ``q`` in [0, 100].

    Returns
    -------
    ndarray, shape (n_rows, n_times)

    Examples
    --------
    >>> running_percentile(np.array([[5.0, 1.0, 4.0, 2.0, 3.0]]), 1, 50.0)
    array([[1., 4., 2., 3., 2.]])
    """
    from scipy.ndimage import rank_filter

    x = check_array(x, "x", ndim=2)
    h = check_scalar(half_width, "half_width", kind=numbers.Integral, min_val=0)
    check_scalar(percentile, "percentile", min_val=0.0, max_val=100.0)
    n = x.shape[1]
    if 2 * h + 1 > n:
        raise ValidationError(
            f"half_width={h} gives windows of {2 * h + 1} samples, longer than "
            f"x ({n} samples). Use half_width <= {(n - 1) // 2}."
        )
    width = 2 * h + 1

    def rank(m: np.ndarray | int) -> np.ndarray:
        return np.floor((percentile / 100.0) * (np.asarray(m) - 1)).astype(int)

    full_rank = int(rank(width))
    # Window with k padded samples: put rank(width) - rank(width - k) of them at -inf.
    n_low = full_rank - rank(width - np.arange(h + 1))
    is_low = np.diff(n_low) == 1
    right_pad = np.where(is_low, -np.inf, np.inf)
    left_pad = right_pad[::-1]
    out = np.empty_like(x)
    for i, row in enumerate(x):
        padded = np.concatenate([left_pad, row, right_pad])
        out[i] = rank_filter(padded, full_rank, size=width, mode="nearest")[h : h + n]
    return out


def delta_f_over_f(
    rec: Recording,
    *,
    window: float = 60.0,
    percentile: float = 8.0,
    neuropil: Recording | np.ndarray | None = None,
    coef: float = 0.7,
) -> Recording:
    """ΔF/F = (F − F0) / F0 with a running-percentile baseline F0.

    F0 at each sample is the ``percentile``-th value (numpy's ``"lower"``
    method) of F in a centred window of ``window`` seconds; near the start and
    end the window is truncated to the samples that exist (see
    :func:`running_percentile`). With ``neuropil``, F is first corrected by
    :func:`neuropil_correct`. Data channels (``calcium``...) are converted;
    other channels are copied unchanged.

    Parameters
    ----------
    rec : Recording
        Fluorescence traces.
    window : float
        Baseline window in seconds (at most the recording's duration).
    percentile : float
        Baseline percentile in [0, 100].
    neuropil : Recording or array-like, optional
        Neuropil traces of the same shape as ``rec``.
    coef : float
        Neuropil coefficient (used only with ``neuropil``).

    Returns
    -------
    Recording
        Data channels in unit ``"dF/F"``.

    Raises
    ------
    ValidationError
        When the baseline is <= 0 somewhere (ΔF/F is undefined there).

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Recording
    >>> f = np.full((1, 300), 100.0)
    >>> f[0, 150] = 150.0
    >>> rec = Recording(f, 30.0, ["roi0"], "calcium")
    >>> float(delta_f_over_f(rec, window=5.0).data[0, 150])
    0.5
    """
    rec = check_recording(rec)
    check_scalar(window, "window", min_val=0, include_min=False)
    check_scalar(percentile, "percentile", min_val=0.0, max_val=100.0)
    if neuropil is not None:
        rec = neuropil_correct(rec, neuropil, coef=coef)
    half = int(round(window * rec.sfreq / 2.0))
    if 2 * half + 1 > rec.n_times:
        raise ValidationError(
            f"window={window} s spans {2 * half + 1} samples, more than the "
            f"recording ({rec.n_times} samples, {rec.duration:g} s). Use a window "
            f"of at most {rec.duration:g} s."
        )
    idx = pick_indices(rec, None)
    data = float_copy(rec)
    f = data[idx]
    f0 = running_percentile(f, half, float(percentile))
    bad = np.flatnonzero((f0 <= 0).any(axis=1))
    if bad.size:
        names = [rec.ch_names[idx[i]] for i in bad[:10]]
        raise ValidationError(
            f"The F0 baseline is <= 0 on channels {names}, so ΔF/F is undefined. "
            "Pass raw (positive) fluorescence, or a smaller neuropil coef."
        )
    data[idx] = (f - f0) / f0
    units = list(rec.units)
    for i in idx:
        units[i] = "dF/F"
    out = with_data(rec, data, units=units)
    out.metadata.update(
        {"dff_window_s": float(window), "dff_percentile": float(percentile)}
    )
    return out
