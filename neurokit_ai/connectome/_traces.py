"""From raw ROI fluorescence to the traces an affinity tensor is built from."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Recording, ValidationError, check_array, check_option, check_scalar
from ..preprocessing._common import check_recording, pick_indices, with_data

__all__ = ["prepare_traces", "fill_nan_frames", "TRACE_OUTPUTS"]

TRACE_OUTPUTS = ("dff", "events")


def fill_nan_frames(data: np.ndarray, names: list[str]) -> tuple[np.ndarray, int]:
    """Linearly interpolate non-finite samples of each row (edges: nearest value).

    Returns the filled copy and the number of filled samples; raises when a
    row has fewer than 2 finite samples.

    Examples
    --------
    >>> fill_nan_frames(np.array([[1.0, np.nan, 3.0, np.nan]]), ["roi0"])[0].tolist()
    [[1.0, 2.0, 3.0, 3.0]]
    """
    out = np.array(data, dtype=float)
    bad = ~np.isfinite(out)
    for i in np.flatnonzero(bad.any(axis=1)):
        good = np.flatnonzero(~bad[i])
        if good.size < 2:
            raise ValidationError(
                f"ROI {names[i]!r} has {good.size} finite sample(s); it cannot be "
                "interpolated. Drop it (rec.pick(...)) before preparing traces."
            )
        out[i, bad[i]] = np.interp(np.flatnonzero(bad[i]), good, out[i, good])
    return out, int(bad.sum())


def _select_cells(rec: Recording, cells_only: bool) -> Recording:
    if not cells_only:
        return rec
    iscell = rec.channel_info.get("iscell")
    if iscell is None:
        raise ValidationError(
            f"cells_only=True but {rec.source or 'rec'} has no channel_info['iscell']; "
            "read suite2p output with neurokit_ai.io.read_suite2p, or pass "
            "cells_only=False."
        )
    keep = np.asarray(iscell, bool)
    if not keep.any():
        raise ValidationError(
            "cells_only=True but iscell marks no ROI as a cell; pass cells_only=False."
        )
    return rec.pick([rec.ch_names[i] for i in np.flatnonzero(keep)])


def _matching(other: Any, rec: Recording, kept: list[str], name: str) -> np.ndarray:
    """Rows of ``other`` (Recording or array over the original ROIs) for ``kept``."""
    if isinstance(other, Recording):
        missing = [n for n in kept if n not in other.ch_names]
        if missing:
            raise ValidationError(
                f"{name} lacks the ROIs {missing[:5]}; pass the {name} traces read "
                "from the same suite2p folder."
            )
        arr = other.pick(kept).get_data().astype(float)
    else:
        arr = check_array(other, name, ndim=2, allow_nonfinite=True)
        if arr.shape[0] == len(rec.ch_names):
            arr = arr[[rec.ch_names.index(n) for n in kept]]
        elif arr.shape[0] != len(kept):
            raise ValidationError(
                f"{name} has {arr.shape[0]} rows; give one per ROI of rec "
                f"({len(rec.ch_names)}) or per selected cell ({len(kept)})."
            )
    if arr.shape[1] != rec.n_times:
        raise ValidationError(
            f"{name} has {arr.shape[1]} frames but rec has {rec.n_times}."
        )
    return arr


def _drop_nonpositive(
    rec: Recording,
    fneu: np.ndarray | None,
    coef: float,
    window: float,
    percentile: float,
) -> tuple[Recording, np.ndarray | None, list[str]]:
    """Leave out the ROIs whose corrected running baseline reaches <= 0."""
    from ..preprocessing import running_percentile

    data = rec.get_data().astype(float)
    corrected = data if fneu is None else data - coef * fneu
    half = min(int(round(window * rec.sfreq / 2.0)), (rec.n_times - 1) // 2)
    baseline = running_percentile(corrected, half, float(percentile))
    bad = (baseline <= 0).any(axis=1)
    if not bad.any():
        return rec, fneu, []
    if bad.all():
        raise ValidationError(
            "Every ROI has a neuropil-corrected baseline <= 0, so ΔF/F is "
            f"undefined; use a smaller neuropil coef than {coef}."
        )
    names = [n for n, b in zip(rec.ch_names, bad) if b]
    good = [n for n, b in zip(rec.ch_names, bad) if not b]
    return rec.pick(good), None if fneu is None else fneu[~bad], names


def prepare_traces(
    rec: Recording,
    *,
    neuropil: Recording | np.ndarray | None = None,
    coef: float = 0.7,
    output: str = "dff",
    events: Recording | np.ndarray | None = None,
    cells_only: bool = False,
    baseline_window: float = 60.0,
    percentile: float = 8.0,
    penalty: float = 0.0,
    fill_nan: bool = True,
    drop_constant: bool = True,
    drop_nonpositive: bool = True,
) -> Recording:
    """Neuropil-corrected ΔF/F (or deconvolved events) of the selected cells.

    Steps: keep the cells (``cells_only``: suite2p's ``iscell``), fill NaN
    frames by linear interpolation (``fill_nan``), ΔF/F with a running
    percentile baseline after neuropil correction ``F − coef · Fneu``
    (:func:`~neurokit_ai.preprocessing.delta_f_over_f`), then optionally
    events: ``events`` given (suite2p's ``spks``) or an OASIS AR(1)
    deconvolution of the ΔF/F (:func:`~neurokit_ai.preprocessing.deconvolve_ar1`).
    ROIs whose output has zero variance carry no affinity information and are
    dropped (``drop_constant``), listed in ``metadata["dropped_constant"]``.
    ROIs whose neuropil-corrected baseline F0 is <= 0 somewhere (dim ROIs
    under bright neuropil, where ΔF/F is undefined) are dropped as well
    (``drop_nonpositive``), listed in ``metadata["dropped_nonpositive"]``.

    Parameters
    ----------
    rec : Recording
        Raw ROI fluorescence F (calcium channels).
    neuropil : Recording or array-like, optional
        Neuropil traces Fneu (same ROIs and frames).
    coef : float
        Neuropil coefficient in [0, 1].
    output : {"dff", "events"}
        What the returned traces hold.
    events : Recording or array-like, optional
        Precomputed events (suite2p ``spks``) used when ``output="events"``.
    cells_only : bool
        Keep the ROIs that ``channel_info["iscell"]`` marks as cells.
    baseline_window : float
        ΔF/F baseline window in seconds.
    percentile : float
        ΔF/F baseline percentile.
    penalty : float
        L1 penalty of the deconvolution.
    fill_nan : bool
        Interpolate NaN frames; ``False`` raises on them.
    drop_constant : bool
        Drop zero-variance ROIs; ``False`` keeps them (their affinities are 0).
    drop_nonpositive : bool
        Drop ROIs with a non-positive baseline; ``False`` raises on them.

    Returns
    -------
    Recording
        ``metadata`` records ``n_filled_nan``, ``dropped_constant`` and the
        steps' settings.

    Examples
    --------
    >>> from neurokit_ai.datasets._connectome import simulate_switching_communities
    >>> rec = simulate_switching_communities(n_neurons=6, epoch_duration=30.0)
    >>> dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
    >>> dff.units[0], dff.n_channels
    ('dF/F', 6)
    """
    from ..preprocessing import delta_f_over_f
    from ..preprocessing._deconvolve import deconvolve_ar1

    rec = check_recording(rec)
    check_option(output, "output", TRACE_OUTPUTS)
    check_scalar(coef, "coef", min_val=0.0, max_val=1.0)
    if events is not None and output != "events":
        raise ValidationError(
            f"events were given but output={output!r}; pass output='events' to use "
            "them."
        )
    original = rec
    rec = _select_cells(rec, cells_only)
    kept = list(rec.ch_names)
    idx = pick_indices(rec, None)
    data = rec.get_data().astype(float)
    if fill_nan:
        data, n_filled = fill_nan_frames(data, kept)
    else:
        check_array(data, "rec data")
        n_filled = 0
    rec = with_data(rec, data)
    fneu = None
    if neuropil is not None:
        fneu, _ = fill_nan_frames(_matching(neuropil, original, kept, "neuropil"), kept)
    nonpositive = []
    if drop_nonpositive:
        rec, fneu, nonpositive = _drop_nonpositive(
            rec, fneu, coef, baseline_window, percentile
        )
        kept = list(rec.ch_names)
        idx = pick_indices(rec, None)
    out = delta_f_over_f(
        rec, window=baseline_window, percentile=percentile, neuropil=fneu, coef=coef
    )
    if output == "events":
        if events is None:
            out = deconvolve_ar1(out, penalty=penalty)
        else:
            spks, _ = fill_nan_frames(_matching(events, original, kept, "events"), kept)
            values = out.get_data().copy()
            values[idx] = spks[idx]
            out = with_data(out, values, units=["a.u."] * len(kept))
    variance = out.get_data()[idx].var(axis=1)
    constant = [kept[i] for i, v in zip(idx, variance) if v == 0]
    if drop_constant and constant:
        if len(constant) == len(idx):
            raise ValidationError(
                f"Every ROI of {original.source or 'rec'} is constant after "
                "preprocessing; there is no activity to relate."
            )
        out = out.pick([n for n in out.ch_names if n not in constant])
    out.metadata.update(
        {
            "n_filled_nan": n_filled,
            "dropped_constant": constant if drop_constant else [],
            "dropped_nonpositive": nonpositive,
            "trace_output": output,
        }
    )
    return out
