"""The per-bin log of a live session: a bounded table written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ...core import check_scalar
from ...core._atomic import write_bytes_atomic

__all__ = ["StreamLog", "STATUS_NAMES", "write_text_atomic", "write_json_atomic"]

#: Status code of a log row -> its name.
STATUS_NAMES = ("decoded", "held", "invalid", "missing", "skipped")
DECODED, HELD, INVALID, MISSING, SKIPPED = range(len(STATUS_NAMES))
_TIME_COLUMNS = ("timestamp", "t_received", "t_published")
_FIRST_CHUNK = 4096


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` through a temp file renamed over it.

    Readers see the old file or the new one, never half of one; on failure the
    temp file is removed and ``path`` is untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_text_atomic(out, "hi").read_text()
    'hi'
    """
    return write_bytes_atomic(path, text.encode("utf-8"))


class StreamLog:
    """Per-bin record of a live session, bounded to ``capacity`` rows.

    Each row holds the bin index, its status (:data:`STATUS_NAMES`), the bin's
    timestamp, when the loop received it and when the estimate was published
    (seconds on the source's clock) and the estimate. Storage grows in chunks up
    to ``capacity`` rows; past that the oldest rows are overwritten and counted
    in :attr:`n_overwritten`, so memory never grows without bound.

    Parameters
    ----------
    n_states : int
        Length of an estimate.
    capacity : int
        Most rows kept.

    Examples
    --------
    >>> import numpy as np
    >>> log = StreamLog(n_states=2, capacity=3)
    >>> for i in range(5):
    ...     log.append(i, 0, i * 0.05, i * 0.05, i * 0.05 + 0.001, np.zeros(2))
    >>> log.n_rows, log.n_overwritten, log.to_dict()["index"].tolist()
    (3, 2, [2, 3, 4])
    """

    def __init__(self, n_states: int, capacity: int = 1_000_000) -> None:
        self.n_states = check_scalar(n_states, "n_states", kind=int, min_val=1)
        self.capacity = check_scalar(capacity, "capacity", kind=int, min_val=1)
        size = min(_FIRST_CHUNK, self.capacity)
        self._index = np.zeros(size, dtype=np.int64)
        self._status = np.zeros(size, dtype=np.int8)
        self._times = np.zeros((size, 3))
        self._estimates = np.zeros((size, self.n_states))
        self._n_total = 0

    @property
    def n_rows(self) -> int:
        """Rows currently kept."""
        return min(self._n_total, self.capacity)

    @property
    def n_overwritten(self) -> int:
        """Oldest rows dropped because the log was full."""
        return max(0, self._n_total - self.capacity)

    def _grow(self) -> None:
        size = min(2 * len(self._index), self.capacity)
        self._index = np.resize(self._index, size)
        self._status = np.resize(self._status, size)
        self._times = np.resize(self._times, (size, 3))
        self._estimates = np.resize(self._estimates, (size, self.n_states))

    def append(
        self,
        index: int,
        status: int,
        timestamp: float,
        t_received: float,
        t_published: float,
        estimate: np.ndarray,
    ) -> None:
        """Add one row (the estimate is copied)."""
        if self._n_total == len(self._index) and len(self._index) < self.capacity:
            self._grow()
        row = self._n_total % self.capacity
        self._index[row] = index
        self._status[row] = status
        times = self._times[row]
        times[0] = timestamp
        times[1] = t_received
        times[2] = t_published
        self._estimates[row] = estimate
        self._n_total += 1

    def _order(self) -> np.ndarray:
        n = self.n_rows
        start = self._n_total % self.capacity if self._n_total > self.capacity else 0
        return (start + np.arange(n)) % self.capacity

    def to_dict(self) -> dict[str, np.ndarray]:
        """Return the kept rows, oldest first, as named columns.

        ``latency`` is ``t_published - timestamp`` (NaN for rows that were not
        published); ``status`` holds names from :data:`STATUS_NAMES`.
        """
        order = self._order()
        times = self._times[order]
        status = self._status[order]
        published = (status == DECODED) | (status == HELD) | (status == INVALID)
        latency = np.where(published, times[:, 2] - times[:, 0], np.nan)
        out = {
            "index": self._index[order].copy(),
            "status": np.asarray(STATUS_NAMES, dtype=object)[status],
        }
        out.update({name: times[:, k] for k, name in enumerate(_TIME_COLUMNS)})
        out["latency"] = latency
        out["estimates"] = self._estimates[order].copy()
        return out

    def latencies(self) -> np.ndarray:
        """Latencies (s) of the kept rows whose estimate was published."""
        lat = self.to_dict()["latency"]
        return lat[np.isfinite(lat)]

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write the kept rows to a CSV file, atomically.

        Columns: index, status, timestamp, t_received, t_published, latency,
        then ``state_0 ... state_{n-1}``; times in seconds.
        """
        cols = self.to_dict()
        header = ["index", "status", *_TIME_COLUMNS, "latency"]
        header += [f"state_{k}" for k in range(self.n_states)]
        lines = [",".join(header)]
        for i in range(self.n_rows):
            values = [str(cols["index"][i]), cols["status"][i]]
            values += [repr(float(cols[c][i])) for c in (*_TIME_COLUMNS, "latency")]
            values += [repr(float(v)) for v in cols["estimates"][i]]
            lines.append(",".join(values))
        return write_text_atomic(path, "\n".join(lines) + "\n")


def write_json_atomic(path: str | os.PathLike, payload: dict[str, Any]) -> Path:
    """Write ``payload`` as indented JSON, atomically (NaN written as null)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        if isinstance(value, (float, np.floating)):
            return float(value) if np.isfinite(value) else None
        if isinstance(value, np.integer):
            return int(value)
        return value

    return write_text_atomic(path, json.dumps(clean(payload), indent=2) + "\n")
