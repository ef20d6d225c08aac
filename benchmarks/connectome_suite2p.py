"""The connectome pipeline on real suite2p output (pynapple's test plane).

Run: ``python benchmarks/connectome_suite2p.py [--fs 10] [--window 20]``.
Reads ``../shared/datasets/recordings/calcium/suite2p_pynapple/plane0`` (219
ROIs, 20 classified as cells, 2000 frames). ``ops.npy`` is absent, so the
frame rate is unknown: it is an assumption (default 10 Hz, a typical
two-photon volume rate; all times below scale with it). Prints the cells kept,
the rank-selection table, the chosen rank, each motif's time course and its
communities, and the wall time of each stage.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from neurokit_ai.connectome import (
    affinity_tensor,
    dynamic_connectome,
    prepare_traces,
    sliding_windows,
)
from neurokit_ai.io import read_suite2p

FOLDER = (
    Path(__file__).resolve().parents[2]
    / "shared/datasets/recordings/calcium/suite2p_pynapple/plane0"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fs", type=float, default=10.0, help="assumed frame rate")
    parser.add_argument("--window", type=float, default=20.0, help="window (s)")
    parser.add_argument("--affinity", default="correlation")
    parser.add_argument("--communities", default="louvain")
    args = parser.parse_args()

    t0 = time.perf_counter()
    raw = read_suite2p(FOLDER, fs=args.fs, cells_only=True)
    fneu = read_suite2p(FOLDER, fs=args.fs, signal="Fneu", cells_only=True)
    dff = prepare_traces(raw, neuropil=fneu)
    t1 = time.perf_counter()
    windows = sliding_windows(dff.duration, args.window)
    tensor = affinity_tensor(dff, windows, method=args.affinity)
    t2 = time.perf_counter()
    dc = dynamic_connectome(
        tensor, "auto", community_method=args.communities, random_state=0
    )
    t3 = time.perf_counter()

    print(f"assumed frame rate: {args.fs:g} Hz ({dff.duration:g} s)")
    print(
        f"cells: {raw.n_channels} by iscell; dropped (non-positive corrected "
        f"baseline): {dff.metadata['dropped_nonpositive']}; constant: "
        f"{dff.metadata['dropped_constant']}; kept {dff.n_channels}"
    )
    print(f"tensor (pairs, windows, animals): {tensor.shape}, {args.affinity}")
    print(dc.rank_selection.table())
    print(f"chosen rank: {dc.rank}")
    np.set_printoptions(precision=3, suppress=True, linewidth=120)
    for r in range(dc.rank):
        print(f"motif {r} time course (windows of {args.window:g} s):")
        print(dc.time_courses[:, r])
    print(dc.summary())
    print(f"dominant motif per window: {dc.dominant_motif().tolist()}")
    print(f"switch times (s): {dc.switch_times().tolist()}")
    print(
        f"timing: read + dF/F {t1 - t0:.2f} s, affinities {t2 - t1:.2f} s, "
        f"rank selection + NTF + communities {t3 - t2:.2f} s"
    )


if __name__ == "__main__":
    main()
