"""The live loop: replay and LSL sources, held/missing/skipped bins, lag, logs."""

from __future__ import annotations

import threading
import time
import uuid

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, NotFittedError, ValidationError
from neurokit_ai.decoding import KalmanFilterDecoder
from neurokit_ai.decoding.realtime import (
    Bin,
    CallbackSink,
    Dejitter,
    ReplaySource,
    SourceLostError,
    StreamDecoder,
    StreamLog,
)

WIDTH = 0.01  # 100 Hz bins keep the real-time tests short


def _data(n: int = 500, n_features: int = 20, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.normal(size=(n, 2)), axis=0) * 0.1
    z = x @ rng.normal(size=(2, n_features)) + rng.normal(size=(n, n_features))
    return z, x


@pytest.fixture(scope="module")
def kf():
    z, x = _data()
    return KalmanFilterDecoder().fit(z[:300], x[:300], bin_width=WIDTH)


@pytest.fixture(scope="module")
def stream_bins():
    return _data(seed=1)[0][:150].copy()


class Collector:
    """A sink keeping copies of every estimate with its timestamp."""

    def __init__(self) -> None:
        self.estimates: list[np.ndarray] = []
        self.timestamps: list[float] = []

    def open(self, n_states, rate):
        self.rate = rate

    def push(self, estimate, timestamp):
        self.estimates.append(estimate.copy())
        self.timestamps.append(timestamp)

    def close(self):
        pass


class SlowDecoder:
    """Wraps a fitted decoder and sleeps in every step (a too-slow decoder)."""

    def __init__(self, inner, delay: float) -> None:
        self.inner, self.delay = inner, delay
        self.n_features_in_ = inner.n_features_in_
        self.n_states_ = inner.n_states_
        self.bin_width_ = inner.bin_width_

    def reset(self):
        self.inner.reset()

    def step(self, z):
        time.sleep(self.delay)
        return self.inner.step(z)

    def predict(self, X):
        return self.inner.predict(X)


# --------------------------------------------------------------------- replay
def test_replay_paced_in_real_time_matches_offline_and_holds_nonfinite(kf, stream_bins):
    Z = stream_bins.copy()
    Z[10, 3] = np.nan
    Z[11, 0] = np.inf
    Z[40, :] = np.nan
    sink = Collector()
    # catch_up: every bin is decoded even if the shared machine hiccups.
    source = ReplaySource(Z, bin_width=WIDTH)
    stream = StreamDecoder(kf, source, sink, on_lag="catch_up")
    t0 = time.perf_counter()
    report = stream.run()
    wall = time.perf_counter() - t0
    # Paced in real time: 150 bins of 10 ms take about 1.5 s, not less.
    assert wall >= len(Z) * WIDTH
    assert wall < len(Z) * WIDTH + 1.0
    # Estimates identical to offline predict on the same bins, NaN rows included.
    offline = kf.predict(Z)
    np.testing.assert_array_equal(np.array(sink.estimates), offline)
    assert report.n_held == 3 and kf.n_held_ == 3
    np.testing.assert_array_equal(offline[10], offline[9])  # held = previous
    assert report.n_decoded == len(Z) - 3 and report.n_published == len(Z)
    assert report.ended == "finished" and report.n_missing == report.n_skipped == 0
    # Latencies logged per bin: published after the bin was complete.
    log = stream.log_.to_dict()
    assert log["index"].tolist() == list(range(len(Z)))
    assert np.all(log["latency"] >= 0)
    assert np.all(log["t_published"] >= log["t_received"])
    assert report.latency_p50_ms < WIDTH * 1e3
    assert (log["status"] == "held").sum() == 3
    # Bin timestamps are one period apart (the replay clock).
    np.testing.assert_allclose(np.diff(log["timestamp"]), WIDTH, rtol=1e-9)


def test_slow_decoder_skips_stale_bins_and_warns(kf, stream_bins):
    Z = stream_bins[:80]
    period = 0.01
    source = ReplaySource(Z, bin_width=WIDTH, speed=WIDTH / period)
    stream = StreamDecoder(SlowDecoder(kf, 2.5 * period), source, on_lag="skip")
    with pytest.warns(RuntimeWarning, match="behind the stream"):
        report = stream.run()
    assert report.n_skipped > 0 and report.n_lag_warnings >= 1
    # Every bin of the stream is accounted for exactly once.
    assert report.n_decoded + report.n_skipped + report.n_missing == len(Z)
    # The policy keeps the loop near the stream: a decoded bin is at most
    # max_lag + one slow step behind (90th percentile: the machine is shared).
    log = stream.log_.to_dict()
    decoded = log["status"] == "decoded"
    lag = (log["t_received"] - log["timestamp"])[decoded]
    assert np.percentile(lag, 90) < report.max_lag_s + 2.5 * period + 0.01
    assert (log["status"] == "skipped").sum() == report.n_skipped


def test_slow_decoder_catch_up_keeps_buffer_bounded(kf, stream_bins):
    Z = stream_bins[:80]
    period = 0.01
    source = ReplaySource(Z, bin_width=WIDTH, speed=WIDTH / period, max_buffered=5)
    stream = StreamDecoder(SlowDecoder(kf, 2.5 * period), source, on_lag="catch_up")
    with pytest.warns(RuntimeWarning):
        report = stream.run()
    assert report.n_skipped == 0
    # The bounded buffer drops bins instead of growing: they are counted missing.
    assert report.n_missing > 0 and source.n_dropped == report.n_missing
    assert report.n_decoded + report.n_missing == len(Z)
    # A kept bin waits behind at most max_buffered others, each taking the
    # slower of a period and a step (90th percentile: the machine is shared).
    log = stream.log_.to_dict()
    decoded = log["status"] == "decoded"
    lag = (log["t_received"] - log["timestamp"])[decoded]
    assert np.percentile(lag, 90) < (5 + 1) * 2.5 * period + 0.01


def test_log_is_bounded(kf, stream_bins):
    Z = stream_bins[:120]
    stream = StreamDecoder(
        kf,
        ReplaySource(Z, bin_width=WIDTH, speed=5.0, max_buffered=200),
        on_lag="catch_up",
        log_capacity=50,
    )
    report = stream.run()
    assert report.n_published == 120
    assert stream.log_.n_rows == 50 and stream.log_.n_overwritten == 70
    assert stream.log_.to_dict()["index"].tolist() == list(range(70, 120))


class VanishingSource(ReplaySource):
    """A replay that is lost for good after ``n_ok`` bins."""

    def __init__(self, data, n_ok, **kwargs):
        super().__init__(data, **kwargs)
        self.n_ok = n_ok

    def read(self, timeout):
        if self._next >= self.n_ok:
            raise SourceLostError("test source vanished")
        return super().read(timeout)


def test_source_lost_mid_session_shuts_down_and_keeps_log(kf, stream_bins, tmp_path):
    source = VanishingSource(stream_bins, 37, bin_width=WIDTH, speed=5.0)
    stream = StreamDecoder(kf, source, log_dir=tmp_path, on_lag="catch_up")
    report = stream.run()
    assert report.ended.startswith("source lost")
    assert report.n_published == 37
    lines = (tmp_path / "stream_log.csv").read_text().splitlines()
    assert len(lines) == 38 and lines[0].startswith("index,status,timestamp")
    first = lines[1].split(",")
    assert first[0] == "0" and first[1] == "decoded"
    np.testing.assert_allclose(
        [float(v) for v in lines[-1].split(",")[-2:]],
        kf.predict(stream_bins[:37])[-1],
        rtol=1e-15,
    )
    import json

    saved = json.loads((tmp_path / "stream_report.json").read_text())
    assert saved["n_published"] == 37 and saved["ended"].startswith("source lost")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "stream_log.csv",
        "stream_report.json",
    ]


def test_stop_from_another_thread(kf, stream_bins):
    stream = StreamDecoder(kf, ReplaySource(stream_bins, bin_width=WIDTH))
    stream.start()
    time.sleep(0.3)
    stream.stop()
    report = stream.join(timeout=5.0)
    assert report.ended == "stopped"
    assert 10 < report.n_published < len(stream_bins)


def test_stream_log_ring_order():
    log = StreamLog(n_states=1, capacity=4)
    for i in range(6):
        log.append(i, 0, float(i), float(i), i + 0.5, np.array([i * 10.0]))
    cols = log.to_dict()
    assert cols["index"].tolist() == [2, 3, 4, 5]
    assert cols["estimates"][:, 0].tolist() == [20.0, 30.0, 40.0, 50.0]
    np.testing.assert_allclose(cols["latency"], 0.5)


# ------------------------------------------------------------------ bad input
class ListSource(ReplaySource):
    """Replays given per-bin objects verbatim (malformed bins included)."""

    def __init__(self, rows, n_features, **kwargs):
        super().__init__(np.zeros((len(rows), n_features)), **kwargs)
        self.rows = rows

    def read(self, timeout):
        b = super().read(timeout)
        if b is not None:
            b = Bin(self.rows[b.index], b.timestamp, b.index, b.n_missed)
        return b


def test_malformed_bins_are_held_and_counted(kf, stream_bins):
    rows = [stream_bins[i] for i in range(6)]
    rows[2] = stream_bins[2][:5]  # wrong length
    rows[4] = np.array(["a"] * 20)  # non-numeric
    sink = Collector()
    source = ListSource(rows, 20, bin_width=WIDTH, speed=5.0)
    stream = StreamDecoder(kf, source, sink, on_lag="catch_up")
    report = stream.run()
    assert report.n_invalid == 2 and report.n_published == 6
    expected = stream_bins[:6].copy()
    expected[[2, 4]] = np.nan
    np.testing.assert_array_equal(np.array(sink.estimates), kf.predict(expected))


def test_bad_inputs(kf, stream_bins):
    with pytest.raises(ValidationError, match="19 features.*fitted on 20"):
        StreamDecoder(kf, ReplaySource(stream_bins[:, :19], bin_width=WIDTH)).run()
    kf50 = KalmanFilterDecoder().fit(*[a[:300] for a in _data()], bin_width=0.05)
    with pytest.raises(ValidationError, match="50 ms bins.*100 ms bins"):
        StreamDecoder(kf50, ReplaySource(stream_bins, bin_width=0.1)).run()
    with pytest.raises(DTypeError, match="must hold numbers"):
        ReplaySource(np.full((5, 20), "x"), bin_width=WIDTH)
    with pytest.raises(NotFittedError):
        StreamDecoder(KalmanFilterDecoder(), ReplaySource(stream_bins, 0.01)).run()
    with pytest.raises(DTypeError, match="reset\\(\\), step\\(\\)"):
        StreamDecoder(object(), ReplaySource(stream_bins, 0.01)).run()
    with pytest.raises(DTypeError, match="Source"):
        StreamDecoder(kf, stream_bins)
    with pytest.raises(DTypeError, match="Sink"):
        StreamDecoder(kf, ReplaySource(stream_bins, 0.01), sink=print)
    with pytest.raises(ValidationError, match="Did you mean 'skip'"):
        StreamDecoder(kf, ReplaySource(stream_bins, 0.01), on_lag="skipp")
    with pytest.raises(ValidationError, match="bin_width is None"):
        ReplaySource(stream_bins)
    with pytest.raises(DTypeError, match="callable"):
        CallbackSink(3)


def test_dejitter_smooths_jitter_and_counts_gaps():
    rng = np.random.default_rng(0)
    rate, n = 20.0, 400
    true = 100.0 + np.arange(n) / rate
    keep = np.ones(n, bool)
    keep[200:205] = False  # five lost samples
    raw = true + rng.uniform(-0.01, 0.01, n)
    dj = Dejitter(rate, halftime=10.0)
    out = [dj(t) for t in raw[keep]]
    times = np.array([t for t, _ in out])
    index = np.array([i for _, i in out])
    np.testing.assert_array_equal(index, np.flatnonzero(keep))
    err_raw = np.std(raw[keep][50:] - true[keep][50:])
    err_dj = np.std(times[50:] - true[keep][50:])
    assert err_dj < err_raw / 3


# ------------------------------------------------------------------------ LSL
pylsl = pytest.importorskip("pylsl")
from neurokit_ai.decoding.realtime import LSLPlayer, LSLSink, LSLSource  # noqa: E402


def _uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Receiver(threading.Thread):
    """Pulls every sample of an LSL stream until ``n`` arrived or ``timeout``."""

    def __init__(self, source_id: str, n: int, timeout: float = 20.0) -> None:
        super().__init__(daemon=True)
        infos = pylsl.resolve_byprop("source_id", source_id, 1, 5.0)
        assert infos, "the sink's outlet was not found"
        self.inlet = pylsl.StreamInlet(infos[0], processing_flags=0)
        self.inlet.open_stream(5.0)
        self.n, self.timeout = n, timeout
        self.samples: list[list[float]] = []
        self.stamps: list[float] = []

    def run(self) -> None:
        deadline = time.monotonic() + self.timeout
        while len(self.samples) < self.n and time.monotonic() < deadline:
            x, t = self.inlet.pull_sample(timeout=0.2)
            if x is not None:
                self.samples.append(x)
                self.stamps.append(t)


def _wait_for_sink(stream: StreamDecoder, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while getattr(stream.sink, "outlet", None) is None:
        assert time.monotonic() < deadline, "the session did not open its sink"
        time.sleep(0.01)


def _push(outlet, rows, stamps):
    """Push ``rows`` at the moments ``stamps`` (local_clock), stamped so."""
    for row, t in zip(rows, stamps):
        while (left := t - pylsl.local_clock()) > 0:
            time.sleep(left)
        outlet.push_sample(row, t)


def test_lsl_round_trip_in_order_equal_offline_dejittered(kf, stream_bins):
    Z = stream_bins[:120]
    sid = _uid("feat")
    out_id = _uid("est")
    info = pylsl.StreamInfo(sid, "Features", 20, 1 / WIDTH, pylsl.cf_double64, sid)
    outlet = pylsl.StreamOutlet(info)
    stream = StreamDecoder(
        kf,
        LSLSource(source_id=sid, lost_timeout=2.0),
        LSLSink(out_id, source_id=out_id),
    )
    stream.start(max_bins=len(Z))
    _wait_for_sink(stream)
    receiver = Receiver(out_id, len(Z))
    receiver.start()
    assert outlet.wait_for_consumers(5.0)
    rng = np.random.default_rng(0)
    t0 = pylsl.local_clock() + 0.05
    grid = t0 + np.arange(len(Z)) * WIDTH
    jitter = rng.uniform(-0.003, 0.003, len(Z))
    _push(outlet, Z, grid + jitter)
    report = stream.join(timeout=10.0)
    receiver.join(timeout=10.0)
    # Every estimate arrived, in order, equal to offline predict on the bins.
    assert len(receiver.samples) == len(Z)
    np.testing.assert_array_equal(np.array(receiver.samples), kf.predict(Z))
    assert report.n_missing == 0 and report.n_decoded == len(Z)
    assert report.ended == "max_bins"
    # Dejittered stamps lie near the jitter-free grid; the raw ones did not.
    stamps = np.array(receiver.stamps)
    assert np.all(np.diff(stamps) > 0)
    assert np.std(stamps[40:] - grid[40:]) < 0.4 * np.std(jitter[40:])
    del outlet


@pytest.mark.parametrize("recover", [True, False])
def test_lsl_dropped_source_is_reresolved_without_loss(kf, stream_bins, recover):
    Z = stream_bins[:80]
    k = 40
    sid = _uid("feat")
    out_id = _uid("est")

    def make_outlet():
        info = pylsl.StreamInfo(sid, "Features", 20, 1 / WIDTH, pylsl.cf_double64, sid)
        return pylsl.StreamOutlet(info)

    outlet = make_outlet()
    source = LSLSource(source_id=sid, lost_timeout=15.0, recover=recover)
    sink = LSLSink(out_id, source_id=out_id)
    # catch_up: this test is about loss; a slow reconnect must not cause skips.
    stream = StreamDecoder(kf, source, sink, on_lag="catch_up")
    stream.start(max_bins=len(Z))
    _wait_for_sink(stream)
    receiver = Receiver(out_id, len(Z), timeout=30.0)
    receiver.start()
    assert outlet.wait_for_consumers(5.0)
    t0 = pylsl.local_clock() + 0.05
    _push(outlet, Z[:k], t0 + np.arange(k) * WIDTH)
    time.sleep(0.2)
    del outlet  # the source drops out ...
    outlet = make_outlet()  # ... and comes back with the same source_id
    assert outlet.wait_for_consumers(15.0), "the inlet did not reconnect"
    t1 = pylsl.local_clock() + 0.05
    _push(outlet, Z[k:], t1 + np.arange(len(Z) - k) * WIDTH)
    report = stream.join(timeout=20.0)
    receiver.join(timeout=10.0)
    # No sample pushed after the reconnect is lost; order and values hold.
    assert len(receiver.samples) == len(Z)
    np.testing.assert_array_equal(np.array(receiver.samples), kf.predict(Z))
    assert report.n_decoded == len(Z)
    # liblsl's recover reconnects by itself; without it LSLSource re-resolves.
    assert source.n_reconnects == (0 if recover else 1)
    # The outage is reported as missing bins against the nominal rate.
    gap_bins = round((t1 - (t0 + (k - 1) * WIDTH)) / WIDTH) - 1
    assert abs(report.n_missing - gap_bins) <= 2
    assert report.longest_silence_s > 0.2
    del outlet


def test_lsl_source_lost_for_good_ends_cleanly(kf, stream_bins, tmp_path):
    sid = _uid("feat")
    player = LSLPlayer(stream_bins[:30], bin_width=WIDTH, name=sid)
    stream = StreamDecoder(
        kf, LSLSource(source_id=sid, lost_timeout=1.0), log_dir=tmp_path
    )
    stream.start()
    player.start()
    player.join(timeout=5.0)
    time.sleep(0.1)
    player.close()
    report = stream.join(timeout=10.0)
    assert report.ended.startswith("source lost")
    assert report.n_published == 30
    assert len((tmp_path / "stream_log.csv").read_text().splitlines()) == 31
    assert np.all(np.isfinite(player.push_times_))


def test_lsl_bad_inputs(kf):
    sid = _uid("text")
    info = pylsl.StreamInfo(sid, "Markers", 20, 100.0, pylsl.cf_string, sid)
    outlet = pylsl.StreamOutlet(info)
    with pytest.raises(DTypeError, match="non-numeric"):
        LSLSource(source_id=sid, resolve_timeout=2.0).open()
    sid50 = _uid("feat50")
    info50 = pylsl.StreamInfo(sid50, "Features", 20, 50.0, pylsl.cf_float32, sid50)
    outlet50 = pylsl.StreamOutlet(info50)
    with pytest.raises(ValidationError, match="10 ms bins.*20 ms bins"):
        StreamDecoder(kf, LSLSource(source_id=sid50)).run()
    sid7 = _uid("feat7")
    info7 = pylsl.StreamInfo(sid7, "Features", 7, 100.0, pylsl.cf_float32, sid7)
    outlet7 = pylsl.StreamOutlet(info7)
    with pytest.raises(ValidationError, match="7 features"):
        StreamDecoder(kf, LSLSource(source_id=sid7)).run()
    with pytest.raises(SourceLostError, match="No LSL stream"):
        LSLSource(source_id=_uid("absent"), resolve_timeout=0.3).open()
    with pytest.raises(ValidationError, match="at least one of name"):
        LSLSource()
    del outlet, outlet50, outlet7
