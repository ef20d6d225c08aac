"""Time-stamped annotations (events) carried by a :class:`Recording`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._errors import ValidationError
from ._validation import check_array

__all__ = ["Annotations"]


class Annotations:
    """Events with onset, duration and description, in seconds from the first sample.

    Parameters
    ----------
    onset : array-like of float, shape (n_annotations,)
        Onsets in seconds relative to the recording's first sample.
    duration : array-like of float, shape (n_annotations,)
        Durations in seconds (0 for point events).
    description : sequence of str, shape (n_annotations,)
        Labels.
    ch_names : sequence of tuple of str, optional
        Channels each annotation applies to (empty tuple: all channels).

    Examples
    --------
    >>> ann = Annotations([1.0, 2.5], [0.0, 0.5], ["go", "stop"])
    >>> len(ann), ann.description.tolist()
    (2, ['go', 'stop'])
    """

    def __init__(
        self,
        onset: Any = (),
        duration: Any = (),
        description: Sequence[str] = (),
        ch_names: Sequence[Sequence[str]] | None = None,
    ) -> None:
        onset = np.asarray(onset, dtype=float).reshape(-1)
        duration = np.asarray(duration, dtype=float).reshape(-1)
        if duration.size == 1 and onset.size > 1:
            duration = np.repeat(duration, onset.size)
        description = np.asarray([str(d) for d in description], dtype=object)
        if not (onset.size == duration.size == description.size):
            raise ValidationError(
                "Annotations need as many onsets, durations and descriptions; got "
                f"{onset.size}, {duration.size} and {description.size}."
            )
        if onset.size:
            check_array(onset, "onset", ndim=1)
            check_array(duration, "duration", ndim=1)
            if (duration < 0).any():
                raise ValidationError(
                    f"Annotation durations must be >= 0, got {duration.min()}."
                )
        if ch_names is None:
            ch_names = [()] * onset.size
        ch_names = [tuple(str(c) for c in chs) for chs in ch_names]
        if len(ch_names) != onset.size:
            raise ValidationError(
                f"ch_names has {len(ch_names)} entries for {onset.size} annotations."
            )
        self.onset = onset
        self.duration = duration
        self.description = description
        self.ch_names = ch_names

    def __len__(self) -> int:
        return int(self.onset.size)

    def __repr__(self) -> str:
        kinds = sorted(set(self.description.tolist()))
        shown = ", ".join(kinds[:5]) + (", ..." if len(kinds) > 5 else "")
        return f"<Annotations | {len(self)} events: {shown}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Annotations):
            return NotImplemented
        return (
            np.array_equal(self.onset, other.onset)
            and np.array_equal(self.duration, other.duration)
            and self.description.tolist() == other.description.tolist()
            and self.ch_names == other.ch_names
        )

    def copy(self) -> Annotations:
        """Return a deep copy."""
        return Annotations(
            self.onset.copy(),
            self.duration.copy(),
            list(self.description),
            list(self.ch_names),
        )

    def select(self, mask: Any) -> Annotations:
        """Return the annotations where boolean ``mask`` (or index array) selects."""
        idx = np.arange(len(self))[np.asarray(mask)]
        return Annotations(
            self.onset[idx],
            self.duration[idx],
            self.description[idx].tolist(),
            [self.ch_names[i] for i in idx],
        )

    def shift(self, seconds: float) -> Annotations:
        """Return a copy with every onset moved by ``seconds``."""
        out = self.copy()
        out.onset = out.onset + seconds
        return out
