"""Wall time of a 20-subject pipeline on a LocalCluster of 1 and 2 workers.

The study: 20 simulated EEG subjects (``simulate_eeg``, seeds 0..19, 32
channels, 120 s at 256 Hz, 80 face/house events) written as BIDS (EDF) with
mne-bids in a temporary folder. The pipeline: band-pass 1–40 Hz, notch 50 Hz,
epochs (−0.2–0.5 s), 5-fold decoding of faces vs houses, RDM, band power. Each
worker count runs into a fresh derivatives folder (nothing skipped); the time
includes starting the cluster. Outputs of both runs are checked identical.

Run: ``python benchmarks/pipeline_scaling.py [n_subjects]``
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from pathlib import Path

from neurokit_ai.pipeline import run_pipeline


def write_study(root: Path, n_subjects: int) -> None:
    import mne
    from mne_bids import BIDSPath, write_raw_bids

    from neurokit_ai.datasets import simulate_eeg

    for i in range(n_subjects):
        rec = simulate_eeg(duration=120.0, n_events=80, random_state=i)
        raw = rec.to_mne()
        ann = rec.annotations
        raw.set_annotations(mne.Annotations(ann.onset, ann.duration, ann.description))
        path = BIDSPath(subject=f"{i + 1:02d}", task="faces", datatype="eeg", root=root)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            write_raw_bids(raw, path, format="EDF", allow_preload=True, verbose=0)


def pipeline(root: Path, out: Path) -> dict:
    return {
        "name": "scaling",
        "inputs": {"bids_root": str(root)},
        "derivatives": str(out),
        "stages": [
            {"filter": {"l_freq": 1.0, "h_freq": 40.0}},
            {"notch": {"freqs": [50.0]}},
            {"epoch": {"tmin": -0.2, "tmax": 0.5, "window": [0.12, 0.22]}},
            {"decode_conditions": {"cv": 5, "C": 0.1}},
            "rdm",
            "band_power",
        ],
    }


def outputs(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "logs" not in p.parts
    }


def main(n_subjects: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp) / "study"
        write_study(study, n_subjects)
        times, results = {}, {}
        for n_workers in (1, 2):
            out = Path(tmp) / f"out{n_workers}"
            start = time.perf_counter()
            result = run_pipeline(
                pipeline(study, out), n_workers=n_workers, progress=False
            )
            times[n_workers] = time.perf_counter() - start
            assert result.ok, result.summary()
            results[n_workers] = outputs(result.out_root)
        same = results[1] == results[2]
    print(f"pipeline over {n_subjects} subjects, {len(result.records)} tasks")
    print(f"{'workers':>8} {'wall (s)':>10} {'speed-up':>9}")
    for n_workers, seconds in times.items():
        print(f"{n_workers:>8} {seconds:>10.2f} {times[1] / seconds:>9.2f}")
    print(f"outputs identical across worker counts: {same}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
