"""``StreamDecoder``: run a fitted online decoder on a live source of feature bins."""

from __future__ import annotations

import os
import threading
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...core import (
    DTypeError,
    NotFittedError,
    ValidationError,
    check_option,
    check_path,
    check_scalar,
)
from ._base import Bin, Sink, Source, SourceLostError
from ._log import (
    DECODED,
    HELD,
    INVALID,
    MISSING,
    SKIPPED,
    StreamLog,
    write_json_atomic,
)

__all__ = ["StreamDecoder", "StreamReport", "check_online_decoder"]

_POLL_S = 0.1
_WARN_EVERY_S = 5.0


def check_online_decoder(decoder: Any, n_features: int, bin_width: float | None) -> int:
    """Check that ``decoder`` can run on bins of ``n_features`` at ``bin_width``.

    Returns the number of states it estimates. Raises :class:`DTypeError` for an
    object without ``reset``/``step``, :class:`NotFittedError` before ``fit``
    and :class:`ValidationError` when the feature count or the bin width (when
    both sides state one) disagree.

    Examples
    --------
    >>> check_online_decoder(object(), 3, 0.05)  # doctest: +SKIP
    """
    for method in ("reset", "step", "predict"):
        if not callable(getattr(decoder, method, None)):
            raise DTypeError(
                f"decoder must be an online decoder with reset(), step() and "
                f"predict(); {type(decoder).__name__} has no {method}(). Use a "
                "neurokit_ai.decoding KalmanFilterDecoder or "
                "DiscriminativeKalmanFilter."
            )
    n_in = getattr(decoder, "n_features_in_", None)
    if n_in is None:
        raise NotFittedError(
            f"This {type(decoder).__name__} is not fitted yet. Call fit(X, y) on "
            "calibration bins before streaming."
        )
    if int(n_in) != int(n_features):
        raise ValidationError(
            f"The source delivers {n_features} features per bin but the decoder "
            f"was fitted on {n_in}. Stream the same features (units, order) the "
            "decoder was fitted on."
        )
    width = getattr(decoder, "bin_width_", getattr(decoder, "bin_width", None))
    if width is not None and bin_width is not None:
        if not np.isclose(float(width), float(bin_width), rtol=1e-6, atol=0.0):
            raise ValidationError(
                f"The decoder was fitted on {float(width) * 1e3:g} ms bins but the "
                f"source delivers {float(bin_width) * 1e3:g} ms bins. Re-bin the "
                "stream or refit the decoder at the stream's bin width."
            )
    n_states = getattr(decoder, "n_states_", None)
    if n_states is None:
        n_states = np.asarray(decoder.predict(np.zeros((1, int(n_features))))).shape[-1]
        decoder.reset()
    return int(n_states)


@dataclass
class StreamReport:
    """What happened in a live session: counts, rates, lag and latency.

    Rates are in wall-clock time (a replay at ``speed=10`` runs at ten times the
    data's bin rate). Latencies are ``t_published - timestamp``: from the moment
    a bin was complete (its dejittered timestamp) to the moment its estimate left
    the sink, over the rows kept in the log. Lag is how far behind the stream
    the loop picked a bin up (``t_received - timestamp``).
    """

    ended: str
    on_lag: str
    max_lag_s: float
    nominal_rate_hz: float | None
    n_received: int
    n_decoded: int
    n_held: int
    n_invalid: int
    n_missing: int
    n_skipped: int
    n_published: int
    expected_bins: int
    wall_time_s: float
    effective_rate_hz: float
    latency_p50_ms: float
    latency_p99_ms: float
    latency_max_ms: float
    lag_max_s: float
    n_lag_warnings: int
    longest_silence_s: float
    log_rows: int
    log_overwritten: int

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a plain dict."""
        return asdict(self)

    @property
    def n_lost(self) -> int:
        """Bins of the stream that produced no estimate (missing + skipped)."""
        return self.n_missing + self.n_skipped


class StreamDecoder:
    """Read feature bins from a source, decode each, publish at the bin rate.

    The loop never stops on bad data: a non-finite bin, or one of the wrong
    length or type, is passed to the decoder as NaN so it holds its previous
    estimate (counted as *held* or *invalid*); bins the source lost (gaps in the
    stream, drops from its bounded buffer) are logged as *missing*. It stops
    when the source is finished, after ``max_bins``/``duration``, on
    :meth:`stop`, or when a live source is lost for good
    (:class:`SourceLostError`): then the log kept so far is written (atomically)
    and the report says why it ended.

    Lag policy: a bin picked up more than ``max_lag`` s after its timestamp, with
    newer bins already waiting, is *skipped* (``on_lag="skip"``: neither decoded
    nor published, counted, so the loop catches up with the stream), or decoded
    anyway (``on_lag="catch_up"``: every bin is decoded and the lag is
    reported). Either way memory is bounded: the sources buffer at most a fixed
    number of bins (older ones are dropped and counted as missing) and the log
    keeps at most ``log_capacity`` rows. A :class:`RuntimeWarning` is raised
    (at most every 5 s) while the lag exceeds ``warn_lag``.

    Parameters
    ----------
    decoder : object
        A fitted online decoder (``reset()``, ``step(z)``, ``predict(X)``,
        ``n_features_in_``, optional ``bin_width_`` or ``bin_width`` in s).
    source : Source
        Where bins come from (:class:`ReplaySource`, :class:`LSLSource`...).
    sink : Sink, optional
        Where estimates go (:class:`LSLSink`, :class:`CallbackSink`...).
    on_lag : {"skip", "catch_up"}
        What to do with stale bins.
    max_lag : float, optional
        Staleness (s) beyond which ``on_lag="skip"`` skips; default two bins.
    warn_lag : float, optional
        Lag (s) that triggers a warning; default one bin.
    log_capacity : int
        Most log rows kept in memory.
    log_dir : str or path-like, optional
        Folder (must exist) where ``stream_log.csv`` and ``stream_report.json``
        are written atomically when the session ends, however it ends.

    Attributes
    ----------
    log_ : StreamLog
        The per-bin log of the last run.
    report_ : StreamReport
        The last run's report.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.decoding.realtime import ReplaySource, StreamDecoder
    >>> source = ReplaySource(X, bin_width=0.05)  # doctest: +SKIP
    >>> stream = StreamDecoder(fitted_kf, source)  # doctest: +SKIP
    >>> report = stream.run()  # doctest: +SKIP
    >>> report.latency_p99_ms < 5  # doctest: +SKIP
    True
    """

    def __init__(
        self,
        decoder: Any,
        source: Source,
        sink: Sink | None = None,
        *,
        on_lag: str = "skip",
        max_lag: float | None = None,
        warn_lag: float | None = None,
        log_capacity: int = 1_000_000,
        log_dir: str | os.PathLike | None = None,
    ) -> None:
        if not isinstance(source, Source):
            raise DTypeError(
                f"source must provide open/read/pending/close (a Source), got "
                f"{type(source).__name__}. Use ReplaySource or LSLSource."
            )
        if sink is not None and not isinstance(sink, Sink):
            raise DTypeError(
                f"sink must provide open/push/close (a Sink), got "
                f"{type(sink).__name__}. Use LSLSink or CallbackSink."
            )
        self.decoder = decoder
        self.source = source
        self.sink = sink
        self.on_lag = check_option(on_lag, "on_lag", ["skip", "catch_up"])
        for name, value in (("max_lag", max_lag), ("warn_lag", warn_lag)):
            if value is not None:
                check_scalar(value, name, min_val=0.0, include_min=False)
        self.max_lag = max_lag
        self.warn_lag = warn_lag
        self.log_capacity = check_scalar(
            log_capacity, "log_capacity", kind=int, min_val=1
        )
        self.log_dir = (
            None if log_dir is None else check_path(log_dir, "log_dir", kind="dir")
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- control
    def stop(self) -> None:
        """Ask a running session to end after the current bin."""
        self._stop.set()

    def start(self, **kwargs: Any) -> None:
        """Run :meth:`run` in a background thread (same keyword arguments)."""
        if self._thread is not None and self._thread.is_alive():
            raise ValidationError("This StreamDecoder is already running; stop() it.")
        self._stop.clear()
        self._error: BaseException | None = None

        def target() -> None:
            try:
                self.run(**kwargs)
            except BaseException as err:  # re-raised in join()
                self._error = err

        self._thread = threading.Thread(
            target=target, name="StreamDecoder", daemon=True
        )
        self._thread.start()

    def join(self, timeout: float | None = None) -> StreamReport:
        """Wait for a session started with :meth:`start`; return its report."""
        if self._thread is None:
            raise ValidationError("join() needs a session started with start().")
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise ValidationError(
                f"The session is still running after {timeout} s; call stop() first."
            )
        if self._error is not None:
            raise self._error
        return self.report_

    # -------------------------------------------------------------------- run
    def run(
        self, *, max_bins: int | None = None, duration: float | None = None
    ) -> StreamReport:
        """Decode until the source ends, ``max_bins`` bins or ``duration`` s.

        Returns
        -------
        StreamReport
        """
        if max_bins is not None:
            check_scalar(max_bins, "max_bins", kind=int, min_val=1)
        if duration is not None:
            check_scalar(duration, "duration", min_val=0.0, include_min=False)
        self.source.open()
        try:
            n_states = check_online_decoder(
                self.decoder, self.source.n_features, self.source.bin_width
            )
        except BaseException:
            self.source.close()
            raise
        width = self.source.bin_width
        period = getattr(self.source, "period", width)
        self._period = period
        self._max_lag = self.max_lag or (2 * period if period else 0.1)
        self._warn_lag = self.warn_lag or (period if period else 0.05)
        self.log_ = StreamLog(n_states, self.log_capacity)
        self._estimate = np.full(n_states, np.nan)
        self._nan_bin = np.full(self.source.n_features, np.nan)
        self._buffer = np.empty(self.source.n_features)
        self._counts = dict.fromkeys(
            ("received", "decoded", "held", "invalid", "missing", "skipped"), 0
        )
        self._lag_max = 0.0
        self._n_warnings = 0
        self._last_warning = -np.inf
        self._first_index: int | None = None
        self._last_index = -1
        self._longest_silence = 0.0
        self.decoder.reset()
        ended = "finished"
        clock = self.source.clock
        t_start = clock()
        try:
            if self.sink is not None:
                self.sink.open(n_states, None if not period else 1.0 / period)
            ended = self._loop(max_bins, duration, t_start)
        except SourceLostError as err:
            ended = f"source lost: {err}"
        finally:
            wall = clock() - t_start
            self.source.close()
            if self.sink is not None:
                self.sink.close()
            self.report_ = self._make_report(ended, wall)
            if self.log_dir is not None:
                self.save(self.log_dir)
        return self.report_

    def _loop(
        self, max_bins: int | None, duration: float | None, t_start: float
    ) -> str:
        clock = self.source.clock
        last_arrival = t_start
        while True:
            if self._stop.is_set():
                return "stopped"
            if max_bins is not None and self._counts["received"] >= max_bins:
                return "max_bins"
            now = clock()
            if duration is not None and now - t_start >= duration:
                return "duration"
            timeout = (
                _POLL_S if duration is None else min(_POLL_S, t_start + duration - now)
            )
            b = self.source.read(max(timeout, 0.0))
            t_received = clock()
            if b is None:
                self._longest_silence = max(
                    self._longest_silence, t_received - last_arrival
                )
                if self.source.finished:
                    return "finished"
                continue
            self._longest_silence = max(
                self._longest_silence, t_received - last_arrival
            )
            last_arrival = t_received
            self._handle(b, t_received)

    def _handle(self, b: Bin, t_received: float) -> None:
        counts = self._counts
        counts["received"] += 1
        if self._first_index is None:
            self._first_index = b.index - b.n_missed
        self._last_index = b.index
        if b.n_missed:
            self._log_missing(b, t_received)
        lag = t_received - b.timestamp
        self._lag_max = max(self._lag_max, lag)
        if lag > self._warn_lag:
            self._warn(lag, t_received)
        if self.on_lag == "skip" and lag > self._max_lag and self.source.pending() > 0:
            counts["skipped"] += 1
            self.log_.append(
                b.index, SKIPPED, b.timestamp, t_received, np.nan, self._estimate
            )
            return
        x, status = self._features(b.features)
        np.copyto(self._estimate, self.decoder.step(x))
        if self.sink is not None:
            self.sink.push(self._estimate, b.timestamp)
        t_published = self.source.clock()
        counts[("decoded", "held", "invalid")[status]] += 1
        self.log_.append(
            b.index, status, b.timestamp, t_received, t_published, self._estimate
        )

    def _features(self, x: Any) -> tuple[np.ndarray, int]:
        if not isinstance(x, np.ndarray) or x.dtype.kind not in "biuf":
            try:
                x = np.asarray(x, dtype=float)
            except (TypeError, ValueError):
                return self._nan_bin, INVALID
        if x.shape != self._buffer.shape:
            return self._nan_bin, INVALID
        if x.dtype != np.float64:
            np.copyto(self._buffer, x)
            x = self._buffer
        return x, (DECODED if np.isfinite(x).all() else HELD)

    def _log_missing(self, b: Bin, t_received: float) -> None:
        self._counts["missing"] += b.n_missed
        width = self._period or 0.0
        for k in range(min(b.n_missed, self.log_capacity), 0, -1):
            self.log_.append(
                b.index - k, MISSING, b.timestamp - k * width, t_received, np.nan,
                self._estimate,
            )  # fmt: skip

    def _warn(self, lag: float, now: float) -> None:
        if now - self._last_warning < _WARN_EVERY_S:
            return
        self._last_warning = now
        self._n_warnings += 1
        warnings.warn(
            f"StreamDecoder is {lag * 1e3:.1f} ms behind the stream (more than "
            f"warn_lag={self._warn_lag * 1e3:.1f} ms); policy on_lag={self.on_lag!r}. "
            "Use a faster decoder or fewer features.",
            RuntimeWarning,
            stacklevel=2,
        )

    def _make_report(self, ended: str, wall: float) -> StreamReport:
        c = self._counts
        lat = self.log_.latencies() * 1e3
        width = self._period
        published = c["decoded"] + c["held"] + c["invalid"]
        expected = (
            0 if self._first_index is None else self._last_index - self._first_index + 1
        )
        pct = np.percentile(lat, [50, 99]) if lat.size else (np.nan, np.nan)
        return StreamReport(
            ended=ended,
            on_lag=self.on_lag,
            max_lag_s=float(self._max_lag),
            nominal_rate_hz=None if not width else 1.0 / width,
            n_received=c["received"],
            n_decoded=c["decoded"],
            n_held=c["held"],
            n_invalid=c["invalid"],
            n_missing=c["missing"],
            n_skipped=c["skipped"],
            n_published=published,
            expected_bins=int(expected),
            wall_time_s=float(wall),
            effective_rate_hz=published / wall if wall > 0 else 0.0,
            latency_p50_ms=float(pct[0]),
            latency_p99_ms=float(pct[1]),
            latency_max_ms=float(lat.max()) if lat.size else float("nan"),
            lag_max_s=float(self._lag_max),
            n_lag_warnings=self._n_warnings,
            longest_silence_s=float(self._longest_silence),
            log_rows=self.log_.n_rows,
            log_overwritten=self.log_.n_overwritten,
        )

    def save(self, out_dir: str | os.PathLike) -> dict[str, Path]:
        """Write ``stream_log.csv`` and ``stream_report.json`` into ``out_dir``.

        Both files are written atomically; returns their paths.
        """
        folder = check_path(out_dir, "out_dir", kind="dir")
        if not hasattr(self, "report_"):
            raise ValidationError("Nothing to save yet: call run() first.")
        log_path = self.log_.to_csv(folder / "stream_log.csv")
        report_path = write_json_atomic(
            folder / "stream_report.json", self.report_.to_dict()
        )
        return {"log": log_path, "report": report_path}
