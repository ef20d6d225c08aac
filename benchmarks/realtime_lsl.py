"""Real-time decoding over LSL: M1 features in, decoded velocity out.

The first 40 % of the M1 recording (171 units, 50 ms bins) fits a Kalman
filter; then ``--minutes`` of the rest are played onto an LSL outlet at 20 Hz
(:class:`LSLPlayer`), read by :class:`StreamDecoder` through an
:class:`LSLSource`, decoded, and published on a second LSL stream
(:class:`LSLSink`), where a receiving inlet collects every estimate.

Printed: end-to-end latency (player push -> receiver pull, same clock) and the
loop's own latency (bin timestamp -> estimate published), bins lost, and the
largest difference from offline ``predict`` on the same bins.

Run: ``python benchmarks/realtime_lsl.py --minutes 10`` (data path from
``NEUROKIT_SHARED_DATA`` or ``../shared/datasets``).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import numpy as np
import pylsl
import scipy.io

from neurokit_ai.decoding import KalmanFilterDecoder
from neurokit_ai.decoding.realtime import LSLPlayer, LSLSink, LSLSource, StreamDecoder

REPO = Path(__file__).resolve().parents[1]
M1 = "recordings/spikes/spykesml/m1_stevenson_2011.mat"


def load_m1() -> tuple[np.ndarray, np.ndarray, float]:
    root = Path(os.environ.get("NEUROKIT_SHARED_DATA", REPO.parent / "shared/datasets"))
    mat = scipy.io.loadmat(root / M1, squeeze_me=True)
    counts = mat["spikes"].T.astype(float)  # (n_bins, 171)
    velocity = mat["handVel"][:2].T.astype(float)  # (n_bins, 2); z is always 0
    width = float(np.median(np.diff(mat["time"])))
    return counts, velocity, width


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    counts, velocity, width = load_m1()
    n_train = int(0.4 * len(counts))
    kf = KalmanFilterDecoder(steady_state=False).fit(
        counts[:n_train], velocity[:n_train], bin_width=width
    )
    live = counts[n_train:]
    n_play = int(round(args.minutes * 60 / width))
    if n_play > len(live):  # less held-out data than asked: replay it in a loop
        live = np.concatenate([live] * (n_play // len(live) + 1))
    live = live[:n_play]
    print(
        f"M1: {counts.shape[1]} units, {width * 1e3:g} ms bins; KF fitted on "
        f"{n_train} bins; playing {n_play} bins ({n_play * width / 60:.2f} min) "
        "over LSL at 20 Hz"
    )

    player = LSLPlayer(live, width, name="bench-m1-features")
    stream = StreamDecoder(
        kf,
        LSLSource(source_id="bench-m1-features", lost_timeout=10.0),
        LSLSink("bench-m1-velocity", channel_names=["vx", "vy"]),
    )
    stream.start(max_bins=n_play)
    while getattr(stream.sink, "outlet", None) is None:
        time.sleep(0.01)
    info = pylsl.resolve_byprop("source_id", "bench-m1-velocity", 1, 10.0)[0]
    inlet = pylsl.StreamInlet(info, max_buflen=60)
    inlet.open_stream(10.0)
    received = np.full((n_play, 2), np.nan)
    arrival = np.full(n_play, np.nan)
    n_got = [0]

    def receive() -> None:
        deadline = time.monotonic() + n_play * width + 30.0
        while n_got[0] < n_play and time.monotonic() < deadline:
            x, _ = inlet.pull_sample(timeout=0.5)
            if x is not None:
                arrival[n_got[0]] = pylsl.local_clock()
                received[n_got[0]] = x
                n_got[0] += 1

    receiver = threading.Thread(target=receive, daemon=True)
    receiver.start()
    player.start()
    report = stream.join(timeout=n_play * width + 60.0)
    receiver.join(timeout=30.0)
    player.close()

    offline = kf.predict(live)
    n = n_got[0]
    e2e = (arrival[:n] - player.push_times_[:n]) * 1e3
    loop_lat = stream.log_.latencies() * 1e3
    diff = float(np.abs(received[:n] - offline[:n]).max()) if n else float("nan")
    print(f"bins played {n_play}, decoded {report.n_decoded}, received {n}")
    print(
        f"bins lost: missing {report.n_missing}, skipped {report.n_skipped}, "
        f"not received {n_play - n}; held {report.n_held}"
    )
    print(
        "end-to-end latency (push -> receive) ms: "
        f"p50 {np.percentile(e2e, 50):.3f}, p99 {np.percentile(e2e, 99):.3f}, "
        f"max {e2e.max():.3f}"
    )
    print(
        "loop latency (bin timestamp -> published) ms: "
        f"p50 {np.percentile(loop_lat, 50):.3f}, "
        f"p99 {np.percentile(loop_lat, 99):.3f}, max {loop_lat.max():.3f}"
    )
    print(f"effective rate {report.effective_rate_hz:.3f} Hz (nominal 20 Hz)")
    print(f"max |received - offline predict| = {diff:.3g}")
    target = np.percentile(e2e, 99) < 5.0 and n == n_play and report.n_lost == 0
    print(f"target (p99 < 5 ms, zero lost, identical): {target and diff == 0.0}")


if __name__ == "__main__":
    main()
