"""Cutting a Recording into epochs around events and turning them into Responses."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from ..core import (
    Annotations,
    DTypeError,
    Recording,
    Responses,
    ValidationError,
    check_scalar,
)
from ..core._validation import short_repr
from ._common import check_recording, pick_indices
from ._events import find_events

__all__ = ["epochs_to_responses"]

_EPS = 1e-9  # seconds of slack when comparing interval edges with sample times


def _normalize_events(rec: Recording, events: Any) -> tuple[np.ndarray, list[Any]]:
    """Return ``(onsets, labels)`` from any accepted form of ``events``."""
    if events is None:
        onsets, labels = find_events(rec)
        return onsets, labels.tolist()
    if isinstance(events, Annotations):
        return events.onset.copy(), events.description.tolist()
    if (
        isinstance(events, tuple)
        and len(events) == 2
        and all(isinstance(e, np.ndarray) for e in events)
    ):
        onsets = np.asarray(events[0])
        labels = list(np.asarray(events[1]).tolist())
        if onsets.ndim != 1 or len(labels) != onsets.size:
            raise ValidationError(
                f"events=(onsets, labels) must hold two 1-D arrays of equal length; "
                f"got shapes {np.shape(events[0])} and {np.shape(events[1])}."
            )
        if onsets.dtype.kind not in "iuf":
            raise DTypeError(f"event onsets must be numbers, got dtype {onsets.dtype}.")
        return onsets.astype(float), labels
    if not isinstance(events, (list, tuple)):
        raise DTypeError(
            "events must be None, an Annotations, a list of (onset_s, label) pairs "
            f"or the (onsets, labels) arrays of find_events; got {short_repr(events)}."
        )
    onsets_list, labels = [], []
    for i, item in enumerate(events):
        if not isinstance(item, (list, tuple, np.ndarray)) or len(item) != 2:
            raise ValidationError(
                f"events[{i}] = {short_repr(item)} is not an (onset_s, label) pair."
            )
        onset, label = item
        if isinstance(onset, bool) or not isinstance(onset, (int, float, np.number)):
            raise DTypeError(
                f"events[{i}] has onset {short_repr(onset)}; onsets are seconds "
                "(a number)."
            )
        if not isinstance(label, Hashable):
            raise DTypeError(
                f"events[{i}] has an unhashable label {short_repr(label)}."
            )
        onsets_list.append(float(onset))
        labels.append(label.item() if isinstance(label, np.generic) else label)
    return np.asarray(onsets_list, dtype=float), labels


def _interval_mask(
    interval: Any, name: str, times: np.ndarray, tmin: float, tmax: float
) -> np.ndarray:
    """Boolean mask of ``times`` inside ``interval`` = (start, stop) seconds.

    ``None`` stands for the first or last sample of the epoch.
    """
    if not isinstance(interval, (list, tuple)) or len(interval) != 2:
        raise ValidationError(
            f"{name} must be a (start, stop) pair of seconds, got "
            f"{short_repr(interval)}."
        )
    first, last = float(times[0]), float(times[-1])
    start = first if interval[0] is None else check_scalar(interval[0], f"{name}[0]")
    stop = last if interval[1] is None else check_scalar(interval[1], f"{name}[1]")
    lo, hi = min(tmin, first), max(tmax, last)
    if start > stop or start < lo - _EPS or stop > hi + _EPS:
        raise ValidationError(
            f"{name}=({start}, {stop}) must satisfy tmin <= start <= stop <= tmax "
            f"with tmin={tmin}, tmax={tmax}. Choose an interval inside the epoch."
        )
    mask = (times >= start - _EPS) & (times <= stop + _EPS)
    if not mask.any():
        raise ValidationError(
            f"{name}=({start}, {stop}) contains no sample at this sampling rate "
            f"(sample times {first:g}..{last:g} s). Widen it."
        )
    return mask


def _select_conditions(
    labels: list[Any], conditions: Any
) -> tuple[list[Any], np.ndarray]:
    """Return the condition order and the mask of events to keep."""
    present = list(dict.fromkeys(labels))
    if conditions is None:
        return present, np.ones(len(labels), dtype=bool)
    if isinstance(conditions, (str, bytes)) or not isinstance(
        conditions, (list, tuple, np.ndarray)
    ):
        raise DTypeError(
            f"conditions must be a list of event labels, got {short_repr(conditions)}."
        )
    wanted = list(np.asarray(conditions, dtype=object).tolist())
    if not wanted:
        raise ValidationError("conditions is empty; pass None to keep every label.")
    missing = [c for c in wanted if c not in set(present)]
    if missing:
        raise ValidationError(
            f"conditions {missing[:10]} match no event; the event labels are "
            f"{present[:20]}. Fix the labels or pass events explicitly."
        )
    wanted_set = set(wanted)
    return wanted, np.array([lab in wanted_set for lab in labels], dtype=bool)


def epochs_to_responses(
    rec: Recording,
    *,
    tmin: float,
    tmax: float,
    events: Any = None,
    conditions: Sequence[Any] | None = None,
    picks: Any = None,
    baseline: tuple[float | None, float | None] | None = None,
    average: bool = False,
    window: tuple[float | None, float | None] | None = None,
    runs: Sequence[Any] | None = None,
) -> Responses:
    """Cut epochs around events and return them as :class:`Responses`.

    Each epoch holds the samples from ``onset + tmin`` to ``onset + tmax``
    (both included, rounded to the nearest sample). Epochs that run outside the
    data are dropped with a warning; their number is kept in
    ``metadata["n_dropped"]``.

    Parameters
    ----------
    rec : Recording
        The recording; it is not modified.
    tmin, tmax : float
        Epoch start and end relative to each onset, in seconds (``tmin < tmax``).
    events : None, Annotations, list of (onset_s, label), or (onsets, labels)
        ``None`` uses the recording's annotations (falling back to its stimulus
        channel, see :func:`find_events`); each label is a condition.
    conditions : list, optional
        Keep only the events with these labels, in this order of conditions.
    picks : None, str, list of str or int, or boolean mask
        Channels (units); ``None`` picks the data channels that are not bad.
    baseline : (float or None, float or None), optional
        Subtract, per epoch and channel, the mean over this interval (``None``
        means the epoch's first or last sample, as in MNE).
    average : bool
        Return one row per condition (the mean of its epochs; runs dropped).
    window : (float or None, float or None), optional
        Average over this time interval to get 2-D ``(n_epochs, n_units)``
        patterns; without it the data are 3-D ``(n_epochs, n_units, n_times)``.
    runs : sequence, optional
        Run (fold, session) of each event, in the order of ``events``.

    Returns
    -------
    Responses
        Unit names are the channel names; ``source`` is
        ``"brain:<subject>/<modality>"``.

    Raises
    ------
    ValidationError
        On empty or mismatched events, unknown conditions, or when every epoch
        falls outside the data.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Annotations, Recording
    >>> rec = Recording(np.arange(20.0)[None], 10.0, ["Cz"], "eeg",
    ...                 annotations=Annotations([0.5, 1.0], 0.0, ["a", "b"]))
    >>> r = epochs_to_responses(rec, tmin=0.0, tmax=0.2)
    >>> r.data[:, 0].tolist(), r.conditions.tolist()
    ([[5.0, 6.0, 7.0], [10.0, 11.0, 12.0]], ['a', 'b'])
    """
    rec = check_recording(rec)
    tmin = float(check_scalar(tmin, "tmin"))
    tmax = float(check_scalar(tmax, "tmax"))
    if tmin >= tmax:
        raise ValidationError(f"tmin={tmin} s must be before tmax={tmax} s; swap them.")
    onsets, labels = _normalize_events(rec, events)
    if onsets.size == 0:
        raise ValidationError(
            f"No events to epoch: {rec.source or 'rec'} has no annotations or "
            "stimulus events, or events is empty. Pass events=[(onset_s, label), ...]."
        )
    if not np.isfinite(onsets).all():
        raise ValidationError("events hold non-finite onsets; remove them.")
    if runs is not None:
        runs = np.asarray(runs)
        if runs.shape != onsets.shape:
            raise ValidationError(
                f"runs has {runs.size} entries for {onsets.size} events; give one "
                "run per event, in the order of events."
            )
    order, keep = _select_conditions(labels, conditions)
    idx = pick_indices(rec, picks, exclude_bads=True)
    sf = rec.sfreq
    first, last = int(round(tmin * sf)), int(round(tmax * sf))
    times = np.arange(first, last + 1) / sf
    starts = np.round(onsets * sf).astype(int) + first
    inside = (starts >= 0) & (starts + times.size <= rec.n_times)
    dropped = keep & ~inside
    selected = np.flatnonzero(keep & inside)
    if dropped.any():
        warnings.warn(
            f"{int(dropped.sum())} of {int(keep.sum())} epochs run outside the data "
            f"(0..{rec.duration:g} s) for tmin={tmin}, tmax={tmax} and were dropped "
            f"(onsets {onsets[dropped][:5].tolist()}...).",
            RuntimeWarning,
            stacklevel=2,
        )
    if selected.size == 0:
        raise ValidationError(
            f"Every epoch runs outside the data (0..{rec.duration:g} s) for "
            f"tmin={tmin}, tmax={tmax}. Shorten the epoch or check the onsets."
        )
    data = rec.get_data(idx)
    epochs = np.stack([data[:, s : s + times.size] for s in starts[selected]])
    epochs = epochs.astype(np.float64, copy=False)
    if baseline is not None:
        mask = _interval_mask(baseline, "baseline", times, tmin, tmax)
        epochs = epochs - epochs[..., mask].mean(axis=-1, keepdims=True)
    out_times: np.ndarray | None = times
    if window is not None:
        mask = _interval_mask(window, "window", times, tmin, tmax)
        epochs = epochs[..., mask].mean(axis=-1)
        out_times = None
    responses = Responses(
        epochs,
        conditions=[labels[i] for i in selected],
        runs=None if runs is None else runs[selected],
        unit_names=[rec.ch_names[i] for i in idx],
        times=out_times,
        source=f"brain:{rec.subject or 'unknown'}/{rec.modality}",
        metadata={
            "tmin": tmin,
            "tmax": tmax,
            "sfreq": sf,
            "baseline": baseline,
            "window": window,
            "n_dropped": int(dropped.sum()),
            "dropped_onsets": onsets[dropped].tolist(),
        },
    )
    if not average:
        return responses
    kept = set(responses.conditions.tolist())
    return responses.average().select_conditions([c for c in order if c in kept])
