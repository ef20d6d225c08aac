"""Searchlight RSA: neurokit_ai vs rsatoolbox, then a whole-brain 2 mm volume.

Run: ``python benchmarks/rsa_searchlight.py [--quick] [--fraction F]``.

1. A small volume where rsatoolbox finishes: the same spheres (radius < 3
   voxels, centres whose sphere lies in the mask) and the same data (50
   conditions x 8 runs) through rsatoolbox's ``get_volume_searchlight`` +
   ``get_searchlight_RDMs`` and our ``volume_neighbourhoods`` +
   ``searchlight_rdms`` (correlation; rsatoolbox's searchlight has no
   cross-validation descriptor, so no crossnobis there). Prints wall time,
   the speed ratio, peak resident memory of each process and the largest
   relative difference of the RDMs.
2. Ours alone on a synthetic whole-brain 2 mm volume (~200k voxels, 50
   conditions x 8 runs, 6 mm spheres, crossnobis, 2 threads). With
   ``--fraction F < 1`` only that fraction of the searchlights is computed and
   the full time is extrapolated (printed as such).

Each job runs in its own process so that peak memory (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

N_COND, N_RUNS = 50, 8


def _ellipsoid(shape: tuple[int, ...], radii: tuple[float, ...]) -> np.ndarray:
    grid = np.stack(np.meshgrid(*[np.arange(s) for s in shape], indexing="ij"), -1)
    centre = (np.array(shape) - 1) / 2
    return np.linalg.norm((grid - centre) / np.array(radii), axis=-1) < 1


def _data(n_units: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    events = np.tile(np.arange(N_COND), N_RUNS)
    runs = np.repeat(np.arange(N_RUNS), N_COND)
    return rng.standard_normal((events.size, n_units)), events, runs


def _small_mask(quick: bool) -> np.ndarray:
    return (
        _ellipsoid((16, 18, 16), (6, 7, 6))
        if quick
        else _ellipsoid((24, 28, 24), (10, 12, 10))
    )


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _job(name: str, quick: bool, fraction: float, out: str) -> dict:
    """Run one job in this process; returns times and memory."""
    from neurokit_ai.core import Responses
    from neurokit_ai.rsa import Neighbourhoods, searchlight_rdms, volume_neighbourhoods

    warnings.simplefilter("ignore")
    if name.startswith("small"):
        mask = _small_mask(quick)
        full, events, runs = _data(mask.size)
        before = _rss_mib()
        t0 = time.perf_counter()
        if name == "small-rsatoolbox":
            from rsatoolbox.util.searchlight import (
                get_searchlight_RDMs,
                get_volume_searchlight,
            )

            centres, neighbours = get_volume_searchlight(mask, radius=3, threshold=1.0)
            t1 = time.perf_counter()
            rdms = get_searchlight_RDMs(
                full, centres, neighbours, events, "correlation", verbose=False
            ).dissimilarities
            n = len(centres)
        else:
            data = full[:, mask.ravel()]
            del full
            nb = volume_neighbourhoods(mask, 2.99, min_fraction=1.0)
            t1 = time.perf_counter()
            resp = Responses(data, conditions=events.tolist())
            rdms = searchlight_rdms(resp, nb, "correlation", verbose=False).vectors
            n = len(nb)
        t2 = time.perf_counter()
        np.save(out, rdms)
        return {
            "searchlights": n,
            "neighbourhoods s": t1 - t0,
            "RDMs s": t2 - t1,
            "before MiB": before,
            "peak MiB": _rss_mib(),
        }
    shape, radii = (
        ((30, 36, 30), (12, 14, 12)) if quick else ((91, 109, 91), (34, 41.5, 34))
    )
    mask = _ellipsoid(shape, radii)
    data, events, runs = _data(int(mask.sum()))
    resp = Responses(data, conditions=events.tolist(), runs=runs)
    before = _rss_mib()
    t0 = time.perf_counter()
    nb = volume_neighbourhoods(mask, 6.0, affine=np.diag([2.0, 2.0, 2.0, 1.0]))
    t1 = time.perf_counter()
    n = max(1, int(round(fraction * len(nb))))
    part = Neighbourhoods(
        nb.indptr[: n + 1], nb.indices[: nb.indptr[n]], nb.centres[:n], nb.n_units
    )
    searchlight_rdms(resp, part, "crossnobis", n_jobs=2, verbose=True)
    t2 = time.perf_counter()
    return {
        "voxels": int(mask.sum()),
        "searchlights": len(nb),
        "computed": n,
        "max size": int(nb.sizes.max()),
        "neighbourhoods s": t1 - t0,
        "RDMs s": t2 - t1,
        "before MiB": before,
        "peak MiB": _rss_mib(),
    }


def _spawn(name: str, quick: bool, fraction: float, out: str) -> dict:
    cmd = [sys.executable, __file__, "--job", name, "--out", out]
    cmd += ["--fraction", str(fraction)] + (["--quick"] if quick else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    lines = proc.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(f"  [{name}] {line}")
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and the whole-brain job, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs")
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.job:
        print(json.dumps(_job(args.job, args.quick, args.fraction, args.out)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        ref_out, our_out = Path(tmp) / "rt.npy", Path(tmp) / "ours.npy"
        ref = _spawn("small-rsatoolbox", args.quick, 1.0, str(ref_out))
        ours = _spawn("small-ours", args.quick, 1.0, str(our_out))
        a, b = np.load(our_out), np.load(ref_out)
        diff = float(np.max(np.abs(a - b)) / np.max(np.abs(b)))
    print(
        f"\n1. small volume: {ours['searchlights']} searchlights (rsatoolbox: "
        f"{ref['searchlights']}), {N_COND} conditions x {N_RUNS} runs, correlation"
    )
    header = f"{'step':<28} {'rsatoolbox':>11} {'ours':>9} {'ratio':>7}"
    print(header + "\n" + "-" * len(header))
    for key in ("neighbourhoods s", "RDMs s"):
        print(
            f"{key:<28} {ref[key]:11.3f} {ours[key]:9.3f} {ref[key] / ours[key]:7.1f}"
        )
    total_ref = ref["neighbourhoods s"] + ref["RDMs s"]
    total_our = ours["neighbourhoods s"] + ours["RDMs s"]
    ratio = total_ref / total_our
    print(f"{'total s':<28} {total_ref:11.3f} {total_our:9.3f} {ratio:7.1f}")
    for key in ("before MiB", "peak MiB"):
        print(f"{key + ' (process RSS)':<28} {ref[key]:11.0f} {ours[key]:9.0f}")
    print(f"max relative difference of the RDMs: {diff:.2e}")

    big = _spawn("whole-brain", args.quick, args.fraction, "")
    print(
        f"\n2. whole brain (synthetic 2 mm grid): {big['voxels']} voxels, "
        f"{big['searchlights']} searchlights of <= {big['max size']} voxels "
        f"(6 mm), {N_COND} conditions x {N_RUNS} runs, crossnobis, 2 threads"
    )
    print(f"neighbourhoods: {big['neighbourhoods s']:.1f} s")
    if big["computed"] == big["searchlights"]:
        print(f"RDMs, measured: {big['RDMs s']:.1f} s")
    else:
        est = big["RDMs s"] * big["searchlights"] / big["computed"]
        print(
            f"RDMs, measured on {big['computed']} searchlights: {big['RDMs s']:.1f} s;"
            f" EXTRAPOLATED to all: {est:.0f} s"
        )
    print(
        f"process RSS before: {big['before MiB']:.0f} MiB (data + imports), "
        f"peak: {big['peak MiB']:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
