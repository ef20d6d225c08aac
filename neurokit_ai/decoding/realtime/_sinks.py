"""In-process sinks: hand each estimate to a function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...core import DTypeError

__all__ = ["CallbackSink"]


class CallbackSink:
    """Call ``callback(estimate, timestamp)`` for every published estimate.

    The estimate array is reused by the loop: copy it to keep it.

    Parameters
    ----------
    callback : callable
        ``callback(estimate: ndarray, timestamp: float) -> None``; it runs in
        the loop, so it must be quick.

    Examples
    --------
    >>> import numpy as np
    >>> seen = []
    >>> sink = CallbackSink(lambda est, t: seen.append(est.copy()))
    >>> sink.open(2, 20.0)
    >>> sink.push(np.ones(2), 0.0)
    >>> seen[0]
    array([1., 1.])
    """

    def __init__(self, callback: Callable[[np.ndarray, float], None]) -> None:
        if not callable(callback):
            raise DTypeError(
                f"callback must be callable as callback(estimate, timestamp), got "
                f"{type(callback).__name__}."
            )
        self.callback = callback

    def open(self, n_states: int, rate: float | None) -> None:
        """Nothing to set up."""

    def push(self, estimate: np.ndarray, timestamp: float) -> None:
        """Hand one estimate to the callback."""
        self.callback(estimate, timestamp)

    def close(self) -> None:
        """Nothing to release."""
