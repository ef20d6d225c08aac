"""In-memory sources: a recording replayed bin by bin, paced in real time."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ...core import DTypeError, Recording, ValidationError, check_array, check_scalar
from ._base import Bin

__all__ = ["ReplaySource"]


def _as_bins(data: Any, bin_width: float | None) -> tuple[np.ndarray, float]:
    if isinstance(data, Recording):
        if bin_width is not None and not np.isclose(bin_width, 1.0 / data.sfreq):
            raise ValidationError(
                f"bin_width={bin_width} s disagrees with the recording's sampling "
                f"rate ({data.sfreq:g} Hz, i.e. {1.0 / data.sfreq:g} s bins). Leave "
                "bin_width=None to use the recording's."
            )
        return _numeric(data.get_data().T, "data"), 1.0 / data.sfreq
    if bin_width is None:
        raise ValidationError(
            "bin_width is None: pass the bin width in seconds with an array, or a "
            "Recording whose sfreq is the bin rate."
        )
    check_scalar(bin_width, "bin_width", min_val=0.0, include_min=False)
    return _numeric(data, "data"), float(bin_width)


def _numeric(data: Any, name: str) -> np.ndarray:
    arr = np.asarray(data)
    if arr.dtype.kind not in "biuf":
        raise DTypeError(
            f"{name} must hold numbers (counts or rates), got dtype {arr.dtype}. "
            "Convert the features to floats first."
        )
    return check_array(arr, name, ndim=2, allow_nonfinite=True)


class ReplaySource:
    """Replay binned features from memory, one bin per ``bin_width`` of wall time.

    Bin ``i`` becomes available ``(i + 1) * bin_width / speed`` seconds after
    :meth:`open` (when it is complete), and its timestamp is that moment on
    :func:`time.perf_counter`'s clock, so the loop's latencies are measured from
    the instant a live amplifier would have delivered it. At most ``max_buffered``
    bins wait unread: when a slow reader lets more pile up, the oldest are
    dropped and reported through :attr:`Bin.n_missed` (the buffer is bounded,
    like a device's), so a bin is read at most about ``(max_buffered + 1)``
    times the slower of the period and the reader's time per bin after it was
    due.

    Parameters
    ----------
    data : Recording or array-like, shape (n_bins, n_features)
        The features; a Recording is read as ``(n_features, n_bins)`` with
        ``sfreq`` the bin rate. NaN/inf are allowed (the loop holds them).
    bin_width : float, optional
        Bin width in seconds (required with an array).
    speed : float
        Replay speed: 1 is real time, 10 ten times faster.
    max_buffered : int
        Most bins kept waiting for a slow reader.

    Attributes
    ----------
    period : float
        Wall-clock seconds between bins (``bin_width / speed``).

    Examples
    --------
    >>> import numpy as np
    >>> src = ReplaySource(np.zeros((3, 2)), bin_width=0.01)
    >>> src.open()
    >>> [src.read(timeout=1.0).index for _ in range(3)]
    [0, 1, 2]
    """

    def __init__(
        self,
        data: Any,
        bin_width: float | None = None,
        *,
        speed: float = 1.0,
        max_buffered: int = 100,
    ) -> None:
        self.data, width = _as_bins(data, bin_width)
        self.speed = check_scalar(speed, "speed", min_val=0.0, include_min=False)
        self.max_buffered = check_scalar(
            max_buffered, "max_buffered", kind=int, min_val=1
        )
        self.n_features = self.data.shape[1]
        self.bin_width = width
        self.clock = time.perf_counter
        self.finished = False
        self.n_dropped = 0
        self.period = width / speed
        self._next = 0
        self._t0: float | None = None

    def open(self) -> None:
        """Start the replay clock: bin 0 arrives one bin width from now."""
        self._t0 = self.clock()
        self._next = 0
        self.finished = False
        self.n_dropped = 0

    def _due(self, i: int) -> float:
        return self._t0 + (i + 1) * self.period

    def _available(self, now: float) -> int:
        done = int((now - self._t0) / self.period)
        return min(done, len(self.data))

    def pending(self) -> int:
        """Bins complete and not yet read."""
        if self._t0 is None:
            return 0
        return max(0, self._available(self.clock()) - self._next)

    def read(self, timeout: float) -> Bin | None:
        """Return the next bin once it is due, or ``None`` after ``timeout`` s."""
        if self._t0 is None:
            raise ValidationError("ReplaySource.read() called before open().")
        if self._next >= len(self.data):
            self.finished = True
            return None
        now = self.clock()
        wait = self._due(self._next) - now
        if wait > 0:
            time.sleep(min(wait, timeout))
            now = self.clock()
            if self._due(self._next) > now:
                return None
        n_missed = max(0, self._available(now) - self._next - self.max_buffered)
        self.n_dropped += n_missed
        i = self._next + n_missed
        self._next = i + 1
        return Bin(self.data[i], self._due(i), i, n_missed)

    def close(self) -> None:
        """Stop the replay; later reads find it finished."""
        self._next = len(self.data)
        self.finished = True
