"""Time windows of an affinity tensor: sliding, or tied to the experiment's epochs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import DTypeError, Recording, ValidationError, check_array, check_scalar

__all__ = ["Windows", "sliding_windows", "epoch_windows"]


@dataclass(frozen=True)
class Windows:
    """Half-open time windows ``[start, stop)`` in seconds, with labels.

    Examples
    --------
    >>> w = Windows(np.array([0.0, 5.0]), np.array([5.0, 10.0]), ["off", "on"])
    >>> len(w), w.centers.tolist()
    (2, [2.5, 7.5])
    """

    starts: np.ndarray
    stops: np.ndarray
    labels: Sequence[str]

    def __post_init__(self) -> None:
        starts = check_array(self.starts, "starts", ndim=1)
        stops = check_array(self.stops, "stops", ndim=1, shape=(starts.size,))
        if len(self.labels) != starts.size:
            raise ValidationError(
                f"labels has {len(self.labels)} entries for {starts.size} windows."
            )
        if (starts < 0).any() or (stops <= starts).any():
            raise ValidationError(
                "Every window needs 0 <= start < stop; got starts "
                f"{starts[:5].tolist()} and stops {stops[:5].tolist()}."
            )
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "stops", stops)
        object.__setattr__(self, "labels", [str(x) for x in self.labels])

    def __len__(self) -> int:
        return int(self.starts.size)

    @property
    def centers(self) -> np.ndarray:
        """Window mid-points in seconds."""
        return (self.starts + self.stops) / 2.0

    def samples(self, sfreq: float, n_times: int, name: str = "rec") -> np.ndarray:
        """``(n_windows, 2)`` sample bounds at ``sfreq``; all must fit ``n_times``."""
        bounds = np.stack(
            [np.round(self.starts * sfreq), np.round(self.stops * sfreq)], axis=1
        ).astype(int)
        if bounds[:, 1].max() > n_times:
            raise ValidationError(
                f"The windows end at {self.stops.max():g} s but {name} lasts "
                f"{n_times / sfreq:g} s; build windows within the recording."
            )
        return bounds


def sliding_windows(
    duration: float, length: float, step: float | None = None
) -> Windows:
    """Windows of ``length`` seconds every ``step`` seconds over ``[0, duration)``.

    Examples
    --------
    >>> w = sliding_windows(10.0, 4.0, 2.0)
    >>> w.starts.tolist(), w.labels[:1]
    ([0.0, 2.0, 4.0, 6.0], ['w0'])
    """
    check_scalar(duration, "duration", min_val=0.0, include_min=False)
    check_scalar(length, "length", min_val=0.0, include_min=False)
    step = length if step is None else step
    check_scalar(step, "step", min_val=0.0, include_min=False)
    if length > duration:
        raise ValidationError(
            f"length={length} s is longer than the recording ({duration:g} s); use "
            f"length <= {duration:g}."
        )
    starts = np.arange(0.0, duration - length + 1e-9, step)
    return Windows(starts, starts + length, [f"w{i}" for i in range(starts.size)])


def epoch_windows(
    rec: Recording,
    *,
    max_length: float | None = None,
    baseline_label: str = "baseline",
) -> Windows:
    """Windows following the recording's annotated epochs (stimulus on/off).

    The timeline is cut at every annotation onset and offset; each segment is
    labelled with the annotation covering it (the last one when several do)
    or ``baseline_label``. Segments longer than ``max_length`` seconds are cut
    into equal parts, so long epochs still give the time mode some
    resolution.

    Parameters
    ----------
    rec : Recording
        Its ``annotations`` (with durations) define the epochs.
    max_length : float, optional
        Longest window in seconds.
    baseline_label : str
        Label of the segments no annotation covers.

    Examples
    --------
    >>> from neurokit_ai.core import Annotations
    >>> rec = Recording(np.zeros((1, 100)), 10.0, ["a"], "calcium",
    ...                 annotations=Annotations([2.0], [3.0], ["odor"]))
    >>> w = epoch_windows(rec)
    >>> w.starts.tolist(), w.labels
    ([0.0, 2.0, 5.0], ['baseline', 'odor', 'baseline'])
    """
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}."
        )
    ann = rec.annotations
    if len(ann) == 0:
        raise ValidationError(
            f"{rec.source or 'rec'} has no annotations, so it has no epochs; use "
            "sliding_windows(rec.duration, length) instead."
        )
    if max_length is not None:
        check_scalar(max_length, "max_length", min_val=0.0, include_min=False)
    cuts = np.concatenate([[0.0, rec.duration], ann.onset, ann.onset + ann.duration])
    cuts = np.unique(np.clip(cuts, 0.0, rec.duration))
    starts, stops, labels = [], [], []
    for t0, t1 in zip(cuts[:-1], cuts[1:]):
        if t1 - t0 < 1.0 / rec.sfreq:
            continue
        mid = (t0 + t1) / 2.0
        covering = np.flatnonzero((ann.onset <= mid) & (mid < ann.onset + ann.duration))
        label = str(ann.description[covering[-1]]) if covering.size else baseline_label
        n_parts = 1 if max_length is None else int(np.ceil((t1 - t0) / max_length))
        edges = np.linspace(t0, t1, n_parts + 1)
        starts.extend(edges[:-1])
        stops.extend(edges[1:])
        labels.extend([label] * n_parts)
    return Windows(np.asarray(starts), np.asarray(stops), labels)


def check_windows(windows: Any) -> Windows:
    """Raise :class:`DTypeError` unless ``windows`` is a :class:`Windows`."""
    if not isinstance(windows, Windows):
        raise DTypeError(
            f"windows must be a neurokit_ai.connectome.Windows, got "
            f"{type(windows).__name__}. Build one with sliding_windows(...) or "
            "epoch_windows(rec)."
        )
    return windows
