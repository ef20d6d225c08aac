"""Benchmark: reading a long EDF with neurokit_ai and with MNE (time, peak memory).

Run::

    python benchmarks/io_read.py [--minutes 60] [--channels 64] [--sfreq 256]

The EDF (planted 1/f-like noise plus a 10 Hz rhythm, one annotation every 10 s)
is written with ``mne.export.export_raw(fmt="edf")`` in a temporary folder that
is removed at the end. Every measurement runs in a fresh Python subprocess, so
each peak is that of one read alone: ``tracemalloc`` peak (Python and numpy
allocations) in one run, and the growth of the resident set size (peak RSS,
``VmHWM`` reset through ``/proc/self/clear_refs`` just before the read, minus
the RSS then; Linux only) in timed runs without tracemalloc. Times are the
best of ``--repeats`` runs. The file is in the page cache for every run.

Cases: eager read (``read_recording(path)`` vs ``mne.io.read_raw_edf(path,
preload=True)``), lazy open (``preload=False``) and a 10-s segment of every
channel read from the lazy object. Targets: eager time <= 1.1x MNE's, eager
peak <= 1.2x the data's own size (float64, n_channels x n_times).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CASES = ("eager", "lazy_open", "segment")
SEGMENT_SECONDS = 10.0
MB = 2**20


def make_edf(path: Path, minutes: float, channels: int, sfreq: float) -> None:
    """Write the benchmark EDF with MNE's exporter, printing progress."""
    import mne
    from scipy.signal import lfilter

    rng = np.random.default_rng(0)
    n = int(round(minutes * 60 * sfreq))
    t = np.arange(n) / sfreq
    data = np.empty((channels, n))
    t0 = time.perf_counter()
    for ch in range(channels):
        red = lfilter([1.0], [1.0, -0.98], rng.standard_normal(n))
        alpha = np.sin(2 * np.pi * 10.0 * t + rng.uniform(0, 2 * np.pi))
        data[ch] = 1e-6 * (3.0 * red / red.std() * 6 + 5.0 * alpha)
        if (ch + 1) % 16 == 0 or ch + 1 == channels:
            print(f"  generated {ch + 1}/{channels} channels", flush=True)
    info = mne.create_info([f"EEG{i:03d}" for i in range(channels)], sfreq, "eeg")
    raw = mne.io.RawArray(data, info, verbose="error")
    onsets = np.arange(5.0, n / sfreq - 1, 10.0)
    raw.set_annotations(mne.Annotations(onsets, 0.0, ["stim"] * len(onsets)))
    print("  exporting with mne.export.export_raw(fmt='edf') ...", flush=True)
    mne.export.export_raw(path, raw, fmt="edf", verbose="error")
    size = path.stat().st_size / MB
    print(f"  wrote {size:.1f} MB in {time.perf_counter() - t0:.1f} s", flush=True)


def _neurokit_reader():
    """``read_recording``, or ``read_edf_native`` while ``_mne_raw`` is missing."""
    try:
        import neurokit_ai.io._mne_raw  # noqa: F401
    except ImportError:
        from neurokit_ai.io._edf import read_edf_native

        return read_edf_native, "read_edf_native (io._mne_raw not available)"
    from neurokit_ai.io import read_recording

    return read_recording, "read_recording"


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak_rss() -> int:
    """Reset the peak RSS (VmHWM) to the current RSS (Linux) and return it."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return _status_kb("VmRSS")


def _make_action(lib: str, case: str, path: str, nk_read):
    """The call to time: an eager read, a lazy open, or a lazy segment read."""
    import mne

    def read(preload: bool):
        if lib == "mne":
            return mne.io.read_raw_edf(path, preload=preload, verbose="error")
        return nk_read(path, preload=preload)

    if case == "eager":
        return lambda: read(True)
    if case == "lazy_open":
        return lambda: read(False)
    obj = read(False)
    sfreq = obj.info["sfreq"] if lib == "mne" else obj.sfreq
    start = obj.n_times // 2
    stop = start + int(SEGMENT_SECONDS * sfreq)
    if lib == "mne":
        return lambda: obj.get_data(start=start, stop=stop)
    return lambda: obj.get_data(None, start, stop)


def worker(lib: str, case: str, path: str, warmup: str, trace: bool) -> dict:
    """One measurement in this (fresh) process; returns time and memory.

    A read of the small ``warmup`` file first loads every module the reader
    imports on first use, so that only the read itself is measured.
    """
    import mne

    nk_read, nk_name = _neurokit_reader()
    if lib == "mne":
        mne.io.read_raw_edf(warmup, preload=True, verbose="error").get_data(0, 0, 10)
    else:
        nk_read(warmup).get_data(0, 0, 10)
        nk_read(warmup, preload=False).get_data(0, 0, 10)

    action = _make_action(lib, case, path, nk_read)
    before = _reset_peak_rss()
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - t0
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    tracemalloc.stop()
    out = {
        "time": elapsed,
        "rss_growth": _status_kb("VmHWM") - before,
        "traced_peak": traced,
        "reader": "mne.io.read_raw_edf" if lib == "mne" else nk_name,
    }
    if case == "eager":
        data = result.get_data() if lib == "mne" else result.data
        out["shape"] = list(data.shape)
        out["checksum"] = float(np.add.reduce(data, axis=None))
    return out


def _run(lib: str, case: str, path: Path, trace: bool) -> dict:
    warmup = path.with_name("warmup.edf")
    cmd = [sys.executable, __file__, "--worker", lib, case, str(path), str(warmup)]
    cmd += ["--trace"] if trace else []
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{lib} {case} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _check_agreement(path: Path) -> str:
    import mne

    nk_read, _ = _neurokit_reader()
    ours = nk_read(path).data
    ref = mne.io.read_raw_edf(path, preload=True, verbose="error").get_data()
    return (
        "bit-identical"
        if np.array_equal(ours, ref)
        else (f"max |diff| = {np.abs(ours - ref).max():.3g} V")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--channels", type=int, default=64)
    parser.add_argument("--sfreq", type=float, default=256.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", nargs=4, metavar=("LIB", "CASE", "PATH", "WARMUP"))
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker, trace=args.trace)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "benchmark.edf"
        size = f"{args.channels} ch x {args.minutes:g} min @ {args.sfreq:g} Hz"
        print(f"Writing a {size} EDF", flush=True)
        make_edf(path, args.minutes, args.channels, args.sfreq)
        make_edf(path.with_name("warmup.edf"), 0.1, 2, args.sfreq)
        path.read_bytes()  # into the page cache for every reader alike
        n_times = int(round(args.minutes * 60 * args.sfreq))
        data_bytes = args.channels * n_times * 8
        print(
            f"Data size (float64 {args.channels} x {n_times}): {data_bytes / MB:.1f} MB"
        )
        print("Eager data, neurokit vs MNE:", _check_agreement(path), flush=True)
        rows = {}
        for case in CASES:
            for lib in ("neurokit", "mne"):
                timed = [_run(lib, case, path, False) for _ in range(args.repeats)]
                traced = _run(lib, case, path, True)
                rows[lib, case] = {
                    "time": min(r["time"] for r in timed),
                    "rss_growth": max(r["rss_growth"] for r in timed),
                    "traced_peak": traced["traced_peak"],
                    "reader": timed[0]["reader"],
                }
                print(f"  measured {lib:8s} {case}", flush=True)

    print()
    print(f"neurokit reader: {rows['neurokit', 'eager']['reader']}")
    print(
        "Each measurement in a fresh subprocess; time = best of "
        f"{args.repeats}; RSS growth = max over those runs; tracemalloc peak from "
        "one extra run."
    )
    header = (
        f"{'case':12s} {'library':9s} {'time (ms)':>10s} "
        f"{'tracemalloc peak (MB)':>22s} {'RSS growth (MB)':>16s}"
    )
    print(header)
    print("-" * len(header))
    for case in CASES:
        for lib in ("neurokit", "mne"):
            r = rows[lib, case]
            print(
                f"{case:12s} {lib:9s} {r['time'] * 1e3:10.2f} "
                f"{r['traced_peak'] / MB:22.1f} {r['rss_growth'] / MB:16.1f}"
            )
    nk, ref = rows["neurokit", "eager"], rows["mne", "eager"]
    ratio = nk["time"] / ref["time"]
    print()
    verdict = "PASS" if ratio <= 1.1 else "FAIL"
    print(f"eager time neurokit/MNE     = {ratio:.2f}x  (target <= 1.1x: {verdict})")
    for key, label in (("traced_peak", "tracemalloc"), ("rss_growth", "RSS growth")):
        mem = nk[key] / data_bytes
        print(
            f"eager peak neurokit/data    = {mem:.3f}x ({label}; target <= 1.2x: "
            f"{'PASS' if mem <= 1.2 else 'FAIL'}); MNE: {ref[key] / data_bytes:.3f}x"
        )
    for case in ("lazy_open", "segment"):
        a, b = rows["neurokit", case], rows["mne", case]
        print(
            f"{case:12s} neurokit/MNE: time {a['time'] / b['time']:.3g}x, "
            f"tracemalloc peak {a['traced_peak'] / max(b['traced_peak'], 1):.3g}x"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
