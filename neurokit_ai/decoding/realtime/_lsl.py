"""Lab Streaming Layer: an inlet source, an outlet sink and a recording player.

What liblsl's ``recover`` gives (checked in tests/decoding/test_realtime.py):
an inlet opened with ``recover=True`` on a stream that has a ``source_id``
re-resolves that source by itself when its outlet disappears and reconnects to a
new outlet with the same ``source_id`` (about 3-4 s on loopback); meanwhile
``pull_sample`` only times out, it does not raise. An outlet sends only to
consumers connected when it pushes: what a new outlet pushes before the inlet
has reconnected is not delivered. So a producer that waits for its consumer
(``StreamOutlet.wait_for_consumers``, as :class:`LSLPlayer` does) loses nothing
across a reconnect; otherwise the lost bins show up as a gap in the dejittered
timestamps and are counted as missing. Without ``recover`` (or without a
``source_id``) the inlet raises ``LostError``; :class:`LSLSource` then resolves
the stream again itself. A source silent for ``lost_timeout`` s ends the session
with :class:`SourceLostError`.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import numpy as np

from ...core import DTypeError, ValidationError, check_scalar
from ._base import Bin, SourceLostError
from ._dejitter import Dejitter
from ._sources import _as_bins

__all__ = ["LSLSource", "LSLSink", "LSLPlayer"]


def _pylsl() -> Any:
    try:
        import pylsl
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "The LSL source and sink need pylsl: pip install 'neurokit_ai[realtime]'."
        ) from err
    return pylsl


def _predicate(name: str | None, source_id: str | None, stream_type: str | None) -> str:
    parts = [
        f"{key}='{value}'"
        for key, value in (
            ("name", name),
            ("source_id", source_id),
            ("type", stream_type),
        )
        if value is not None
    ]
    if not parts:
        raise ValidationError(
            "Give at least one of name, source_id or stream_type to find the LSL "
            "stream, e.g. LSLSource(name='M1-features')."
        )
    return " and ".join(parts)


class LSLSource:
    """Read feature bins from an LSL stream (one sample per bin).

    Timestamps are mapped to the local clock (liblsl's clock synchronisation)
    and dejittered onto the nominal-rate grid (:class:`Dejitter`), whose index
    numbers the bins: a jump in it means bins lost in transport or from the
    inlet's bounded buffer, and is reported as missing. See the module notes for
    what happens when the outlet disappears.

    Parameters
    ----------
    name, source_id, stream_type : str, optional
        What to resolve the stream by (at least one).
    resolve_timeout : float
        Seconds to wait for the stream at :meth:`open`.
    lost_timeout : float
        Seconds without a sample after which the source is given up as lost
        (:class:`SourceLostError`).
    max_buffered : int
        Bins the inlet may hold (rounded up to whole seconds, as liblsl counts).
    recover : bool
        Let liblsl reconnect by itself (needs a ``source_id`` on the stream).
    dejitter : bool
        Dejitter timestamps; without it the raw ones (clock-corrected) are used
        and every sample counts as the next bin.

    Examples
    --------
    >>> src = LSLSource(name="M1-features", lost_timeout=10.0)  # doctest: +SKIP
    >>> src.open()  # doctest: +SKIP
    >>> src.n_features, src.bin_width  # doctest: +SKIP
    (171, 0.05)
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        source_id: str | None = None,
        stream_type: str | None = None,
        resolve_timeout: float = 5.0,
        lost_timeout: float = 10.0,
        max_buffered: int = 100,
        recover: bool = True,
        dejitter: bool = True,
    ) -> None:
        self.predicate = _predicate(name, source_id, stream_type)
        self.resolve_timeout = check_scalar(
            resolve_timeout, "resolve_timeout", min_val=0.0, include_min=False
        )
        self.lost_timeout = check_scalar(
            lost_timeout, "lost_timeout", min_val=0.0, include_min=False
        )
        self.max_buffered = check_scalar(
            max_buffered, "max_buffered", kind=int, min_val=1
        )
        self.recover = bool(recover)
        self.dejitter = bool(dejitter)
        self.clock = _pylsl().local_clock
        self.finished = False
        self.n_reconnects = 0
        self.n_features = 0
        self.bin_width: float | None = None
        self._inlet: Any = None

    def _connect(self, timeout: float) -> bool:
        pylsl = _pylsl()
        infos = pylsl.resolve_bypred(self.predicate, 1, timeout)
        if not infos:
            return False
        info = infos[0]
        if info.channel_format() in (pylsl.cf_string, pylsl.cf_undefined):
            raise DTypeError(
                f"The LSL stream {info.name()!r} carries non-numeric samples "
                "(string channels); stream the features as float32/float64."
            )
        rate = info.nominal_srate()
        buflen = math.ceil(self.max_buffered / rate) if rate > 0 else self.max_buffered
        inlet = pylsl.StreamInlet(
            info,
            max_buflen=max(1, buflen),
            recover=self.recover,
            processing_flags=pylsl.proc_clocksync,
            as_numpy=True,
        )
        # The first clock offset takes a while; get it before the outlet sees a
        # consumer, so that no sample waits for it.
        inlet.time_correction(timeout)
        inlet.open_stream(timeout)
        self._inlet = inlet
        self.n_features = info.channel_count()
        self.bin_width = 1.0 / rate if rate > 0 else None
        return True

    def open(self) -> None:
        """Resolve the stream and open an inlet on it."""
        if not self._connect(self.resolve_timeout):
            raise SourceLostError(
                f"No LSL stream matching {self.predicate} appeared within "
                f"{self.resolve_timeout} s. Start its outlet first, or check the "
                "name/source_id (pylsl.resolve_streams() lists what is visible)."
            )
        self.finished = False
        self._dejitter = Dejitter(1.0 / self.bin_width) if self.bin_width else None
        self._last_index = -1
        self._last_data = self.clock()

    def pending(self) -> int:
        """Samples waiting in the inlet."""
        return int(self._inlet.samples_available()) if self._inlet is not None else 0

    def _lost(self) -> SourceLostError:
        self.finished = True
        return SourceLostError(
            f"The LSL stream {self.predicate} sent nothing for {self.lost_timeout} s "
            "and did not come back; restart its outlet and the session."
        )

    def _reconnect(self) -> None:
        from pylsl.util import LostError, TimeoutError

        self._inlet = None
        deadline = self._last_data + self.lost_timeout
        while (left := deadline - self.clock()) > 0:
            try:
                if self._connect(min(left, 1.0)):
                    self.n_reconnects += 1
                    return
            except (LostError, TimeoutError):
                continue  # a stale answer from the outlet that just went: retry
        raise self._lost()

    def read(self, timeout: float) -> Bin | None:
        """Return the next sample as a bin, ``None`` after ``timeout`` s."""
        from pylsl.util import LostError

        try:
            x, ts = self._inlet.pull_sample(timeout=timeout)
        except LostError:
            self._reconnect()
            return None
        if x is None:
            if self.clock() - self._last_data > self.lost_timeout:
                raise self._lost()
            return None
        self._last_data = self.clock()
        if self._dejitter is not None and self.dejitter:
            ts, index = self._dejitter(ts)
        else:
            index = self._last_index + 1
        n_missed = index - self._last_index - 1 if self._last_index >= 0 else 0
        self._last_index = index
        return Bin(x, ts, index, n_missed)

    def close(self) -> None:
        """Close the inlet."""
        if self._inlet is not None:
            self._inlet.close_stream()
            self._inlet = None


class LSLSink:
    """Publish estimates on an LSL outlet, one sample per bin.

    Each sample carries the timestamp of the bin it decodes, so a receiver can
    align estimates with features (and measure latency against its own clock).

    Parameters
    ----------
    name : str
        Stream name.
    stream_type : str
        Stream type.
    source_id : str, optional
        Unique id (lets receivers' inlets recover); defaults to ``name``.
    channel_names : sequence of str, optional
        Labels of the estimated states.
    linger : float
        Seconds :meth:`close` waits, while a consumer is connected, before
        destroying the outlet: liblsl sends asynchronously and drops what is
        still queued when its outlet goes.

    Examples
    --------
    >>> sink = LSLSink("cursor-velocity", channel_names=["vx", "vy"])  # doctest: +SKIP
    """

    def __init__(
        self,
        name: str = "neurokit_decoder",
        *,
        stream_type: str = "Control",
        source_id: str | None = None,
        channel_names: list[str] | None = None,
        linger: float = 0.5,
    ) -> None:
        self.name = str(name)
        self.linger = check_scalar(linger, "linger", min_val=0.0)
        self.stream_type = str(stream_type)
        self.source_id = self.name if source_id is None else str(source_id)
        self.channel_names = None if channel_names is None else list(channel_names)
        self.outlet: Any = None

    def open(self, n_states: int, rate: float | None) -> None:
        """Create the outlet."""
        pylsl = _pylsl()
        if self.channel_names is not None and len(self.channel_names) != n_states:
            raise ValidationError(
                f"channel_names has {len(self.channel_names)} labels but the decoder "
                f"estimates {n_states} states; give one label per state."
            )
        info = pylsl.StreamInfo(
            self.name,
            self.stream_type,
            n_states,
            rate or pylsl.IRREGULAR_RATE,
            pylsl.cf_double64,
            self.source_id,
        )
        channels = info.desc().append_child("channels")
        for label in self.channel_names or [f"state_{k}" for k in range(n_states)]:
            channels.append_child("channel").append_child_value("label", label)
        self.outlet = pylsl.StreamOutlet(info)

    def push(self, estimate: np.ndarray, timestamp: float) -> None:
        """Send one estimate stamped with its bin's timestamp."""
        self.outlet.push_sample(estimate, timestamp)

    def close(self) -> None:
        """Let queued samples go out (``linger``), then destroy the outlet."""
        if self.outlet is not None and self.outlet.have_consumers():
            time.sleep(self.linger)
        self.outlet = None


class LSLPlayer:
    """Play binned features onto an LSL outlet in real time, in a thread.

    A stand-in for a live amplifier when testing a decoder: bin ``i`` is pushed
    ``(i + 1) * bin_width`` s after :meth:`start`, stamped with that
    scheduled moment (``pylsl.local_clock``). It waits for a consumer before the
    first bin, so nothing is pushed into the void.

    Parameters
    ----------
    data : Recording or array-like, shape (n_bins, n_features)
        Features, as for :class:`ReplaySource`.
    bin_width : float, optional
        Bin width (s), required with an array.
    name : str
        Stream name.
    source_id : str, optional
        Defaults to ``name``.
    wait_for_consumer : float
        Seconds to wait for an inlet before playing.

    Attributes
    ----------
    push_times_ : ndarray, shape (n_bins,)
        ``local_clock()`` just after each bin was pushed (NaN if it was not).

    Examples
    --------
    >>> player = LSLPlayer(X, bin_width=0.05, name="M1-features")  # doctest: +SKIP
    >>> player.start(); player.join(); player.close()  # doctest: +SKIP
    """

    def __init__(
        self,
        data: Any,
        bin_width: float | None = None,
        *,
        name: str = "neurokit_replay",
        stream_type: str = "Features",
        source_id: str | None = None,
        wait_for_consumer: float = 10.0,
    ) -> None:
        self.data, self.bin_width = _as_bins(data, bin_width)
        self.name = str(name)
        self.stream_type = str(stream_type)
        self.source_id = self.name if source_id is None else str(source_id)
        self.wait_for_consumer = check_scalar(
            wait_for_consumer, "wait_for_consumer", min_val=0.0
        )
        pylsl = _pylsl()
        info = pylsl.StreamInfo(
            self.name,
            self.stream_type,
            self.data.shape[1],
            1.0 / self.bin_width,
            pylsl.cf_double64,
            self.source_id,
        )
        self.outlet = pylsl.StreamOutlet(info)
        self.push_times_ = np.full(len(self.data), np.nan)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start playing in a background thread."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._play, name="LSLPlayer", daemon=True
        )
        self._thread.start()

    def _play(self) -> None:
        pylsl = _pylsl()
        if not self.outlet.wait_for_consumers(self.wait_for_consumer):
            return
        clock = pylsl.local_clock
        period = self.bin_width
        t0 = clock()
        for i, row in enumerate(self.data):
            due = t0 + (i + 1) * period
            while (left := due - clock()) > 0:
                if self._stop.wait(left):
                    return
            self.outlet.push_sample(row, due)
            self.push_times_[i] = clock()

    def join(self, timeout: float | None = None) -> None:
        """Wait until every bin was pushed (or ``timeout`` s)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def stop(self) -> None:
        """Stop playing."""
        self._stop.set()
        self.join(5.0)

    def close(self) -> None:
        """Stop and destroy the outlet (its inlets see the stream go)."""
        self.stop()
        self.outlet = None
