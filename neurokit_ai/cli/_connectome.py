"""The ``neurokit-ai connectome`` command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from ..core._atomic import atomic_output

__all__ = ["add_connectome_parser", "run_connectome"]


def add_connectome_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``connectome``: suite2p folder -> dynamic functional connectome.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_connectome_parser(sub).prog.endswith("connectome")
    True
    """
    p = subparsers.add_parser(
        "connectome",
        help="NTF motifs and their communities from suite2p output",
        description=(
            "Read a suite2p plane folder, compute neuropil-corrected dF/F of the "
            "cells, build a pairs x windows affinity tensor, factorize it with "
            "non-negative CP and detect the communities of every motif."
        ),
    )
    p.add_argument("suite2p", type=Path, help="suite2p plane folder (F.npy, ...)")
    p.add_argument("--fs", type=float, help="frame rate in Hz (if no ops.npy)")
    p.add_argument("--all-rois", action="store_true", help="ignore iscell.npy")
    p.add_argument("--coef", type=float, default=0.7, help="neuropil coefficient")
    p.add_argument("--events", action="store_true", help="use suite2p spks")
    p.add_argument("--window", type=float, default=20.0, help="window (s)")
    p.add_argument("--step", type=float, help="window step (s), default: window")
    p.add_argument("--affinity", default="correlation", help="affinity measure")
    p.add_argument("--rank", default="auto", help="NTF rank or 'auto'")
    p.add_argument("--max-rank", type=int, default=6, help="largest rank for auto")
    p.add_argument(
        "--communities",
        default="louvain",
        help="louvain, sbm (degree-corrected SBM, blocks merged into "
        "assortative communities) or sbm-mdl (SBM blocks, K and degree "
        "correction by minimum description length)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, help="folder for connectome.json and figures")
    p.set_defaults(handler=run_connectome)
    return p


def _result_json(dc: Any) -> dict[str, Any]:
    windows = dc.tensor.windows
    return {
        "rank": dc.rank,
        "neurons": dc.tensor.neuron_names,
        "windows": {
            "start_s": windows.starts.tolist(),
            "stop_s": windows.stops.tolist(),
            "label": list(windows.labels),
        },
        "motifs": [
            {
                "weight": float(dc.cp.weights[r]),
                "time_course": dc.time_courses[:, r].tolist(),
                "animal_loadings": dc.animal_loadings[:, r].tolist(),
                "communities": np.asarray(dc.communities[r]).tolist(),
            }
            for r in range(dc.rank)
        ],
        "switch_times_s": dc.switch_times().tolist(),
    }


def run_connectome(args: argparse.Namespace) -> int:
    """Run the ``connectome`` command; returns the exit status."""
    from ..connectome import (
        affinity_tensor,
        dynamic_connectome,
        prepare_traces,
        sliding_windows,
    )
    from ..core import ValidationError
    from ..io import read_suite2p

    rank: int | str = args.rank
    if rank != "auto":
        if not str(rank).isdigit():
            raise ValidationError(f"--rank must be 'auto' or an integer, got {rank!r}.")
        rank = int(rank)
    cells = not args.all_rois
    raw = read_suite2p(args.suite2p, fs=args.fs, cells_only=cells)
    fneu = read_suite2p(args.suite2p, fs=args.fs, signal="Fneu", cells_only=cells)
    spks = None
    if args.events:
        spks = read_suite2p(args.suite2p, fs=args.fs, signal="spks", cells_only=cells)
    traces = prepare_traces(
        raw,
        neuropil=fneu,
        coef=args.coef,
        output="events" if args.events else "dff",
        events=spks,
    )
    windows = sliding_windows(traces.duration, args.window, args.step)
    tensor = affinity_tensor(traces, windows, method=args.affinity)
    dc = dynamic_connectome(
        tensor,
        rank,
        ranks=list(range(1, args.max_rank + 1)),
        community_method=args.communities,
        random_state=args.seed,
    )
    dropped = (
        traces.metadata["dropped_constant"] + traces.metadata["dropped_nonpositive"]
    )
    print(
        f"{traces.n_channels} cells at {traces.sfreq:g} Hz "
        f"(dropped: {dropped or 'none'}), tensor {tensor.shape}, rank {dc.rank}"
    )
    if dc.rank_selection is not None:
        print(dc.rank_selection.table())
    print(dc.summary())
    if args.out is not None:
        from ..viz._connectome import (
            plot_community_graphs,
            plot_factor_loadings,
            plot_motif_time_courses,
        )
        from ..viz._files import save_figure

        args.out.mkdir(parents=True, exist_ok=True)
        target = args.out / "connectome.json"
        with atomic_output(target) as tmp:
            tmp.write_text(json.dumps(_result_json(dc), indent=1))
        print(f"wrote {target}")
        for name, fig in [
            ("connectome_loadings.png", plot_factor_loadings(dc)),
            ("connectome_communities.png", plot_community_graphs(dc)),
            ("connectome_time_courses.png", plot_motif_time_courses(dc)),
        ]:
            print(f"wrote {save_figure(fig, args.out / name)}")
    return 0
