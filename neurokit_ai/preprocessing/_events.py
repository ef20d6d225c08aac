"""Event onsets and labels from a Recording's annotations or stimulus channel."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np

from ..core import DTypeError, Recording, ValidationError
from ..core._validation import short_repr
from ._common import check_recording

__all__ = ["find_events"]


def _stim_events(rec: Recording) -> tuple[np.ndarray, np.ndarray]:
    """Onsets of non-zero runs on the first stimulus channel, labelled by code."""
    first = rec.ch_types.index("stim")
    row = np.asarray(rec.get_data([first])[0], dtype=float)
    starts = np.flatnonzero((row != 0) & (np.diff(row, prepend=0) != 0))
    codes = row[starts]
    labels = [str(int(c)) if float(c).is_integer() else str(c) for c in codes]
    return starts / rec.sfreq, np.asarray(labels, dtype=object)


def _check_descriptions(descriptions: str | Sequence[str]) -> list[str]:
    if isinstance(descriptions, str):
        return [descriptions]
    if not isinstance(descriptions, (list, tuple, np.ndarray)) or not all(
        isinstance(d, str) for d in descriptions
    ):
        raise DTypeError(
            "descriptions must be a str or a list of str, got "
            f"{short_repr(descriptions)}."
        )
    if len(descriptions) == 0:
        raise ValidationError(
            "descriptions is empty; pass None for every event, or the labels to keep."
        )
    return list(descriptions)


def find_events(
    rec: Recording, *, descriptions: str | Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return event onsets (s) and labels, from annotations or a stimulus channel.

    The annotations are used when there are any; otherwise the first ``stim``
    channel is read and every step from one value to a non-zero value is an
    event labelled by its code (``"1"``, ``"2"``...). A recording with neither
    gives empty arrays.

    Parameters
    ----------
    rec : Recording
        The recording.
    descriptions : str or list of str, optional
        Keep only events with these labels; each must occur.

    Returns
    -------
    onsets : ndarray of float, shape (n_events,)
        Seconds from the first sample, sorted.
    labels : ndarray of object (str), shape (n_events,)

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Annotations, Recording
    >>> rec = Recording(np.zeros((1, 100)), 10.0, ["Cz"], "eeg",
    ...                 annotations=Annotations([2.0, 1.0], 0.0, ["b", "a"]))
    >>> onsets, labels = find_events(rec)
    >>> onsets.tolist(), labels.tolist()
    ([1.0, 2.0], ['a', 'b'])
    """
    rec = check_recording(rec)
    wanted = None if descriptions is None else _check_descriptions(descriptions)
    if len(rec.annotations):
        onsets = rec.annotations.onset.copy()
        labels = np.asarray(rec.annotations.description.tolist(), dtype=object)
    elif "stim" in rec.ch_types:
        onsets, labels = _stim_events(rec)
    else:
        onsets, labels = np.zeros(0), np.zeros(0, dtype=object)
    if wanted is not None:
        present = set(labels.tolist())
        missing = [d for d in wanted if d not in present]
        if missing:
            close = difflib.get_close_matches(missing[0], sorted(present), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValidationError(
                f"descriptions {missing} do not occur in {rec.source or 'rec'}; its "
                f"event labels are {sorted(present)[:20]}.{hint}"
            )
        keep = np.isin(labels.astype(str), wanted)
        onsets, labels = onsets[keep], labels[keep]
    order = np.argsort(onsets, kind="stable")
    return onsets[order], labels[order]
