"""What flows through the live loop: bins, the source and sink protocols, errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ...core import NeurokitError

__all__ = ["Bin", "Source", "Sink", "SourceLostError"]


class SourceLostError(NeurokitError, ConnectionError):
    """A live source went away and did not come back within its timeout."""


@dataclass(slots=True)
class Bin:
    """One feature bin as a source delivers it.

    Attributes
    ----------
    features : ndarray, shape (n_features,)
        The bin's features (may hold NaN or inf; the loop holds the estimate).
    timestamp : float
        When the bin was complete, in seconds on the source's ``clock``
        (dejittered for live streams).
    index : int
        The bin's position in the stream (gaps show lost bins).
    n_missed : int
        Bins lost just before this one (dropped by a full buffer or a gap).
    """

    features: np.ndarray
    timestamp: float
    index: int
    n_missed: int = 0


@runtime_checkable
class Source(Protocol):
    """Where the loop reads feature bins from.

    ``open`` connects and fills ``n_features``, ``bin_width`` (s, or ``None`` when
    irregular) and ``clock`` (a function returning seconds on the clock of the
    bins' timestamps). ``read(timeout)`` returns the next :class:`Bin`, or
    ``None`` when none arrived within ``timeout`` s; ``finished`` becomes true
    when no bin will ever come again; ``pending()`` counts the bins already
    waiting. A live source that vanishes for good raises :class:`SourceLostError`.
    """

    n_features: int
    bin_width: float | None
    clock: Callable[[], float]
    finished: bool

    def open(self) -> None: ...

    def read(self, timeout: float) -> Bin | None: ...

    def pending(self) -> int: ...

    def close(self) -> None: ...


@runtime_checkable
class Sink(Protocol):
    """Where the loop publishes estimates, one per decoded bin."""

    def open(self, n_states: int, rate: float | None) -> None: ...

    def push(self, estimate: np.ndarray, timestamp: float) -> None: ...

    def close(self) -> None: ...
