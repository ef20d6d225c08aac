"""``neurokit-ai run PIPELINE``: run a pipeline file over a study on Dask."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_run_parser", "run_pipeline_command"]


def add_run_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``run``: a pipeline file (YAML/TOML) → derivatives and reports.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> _ = add_run_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["run", "faces.yaml", "--workers", "4"]).workers
    4
    """
    stages = ", ".join(_stage_names())
    p = subparsers.add_parser(
        "run",
        help="run a pipeline file over a study (BIDS or file list) on Dask",
        description=(
            "Run a pipeline file (YAML or TOML) on a local Dask cluster or on the "
            "cluster of --scheduler. Outputs go to <derivatives>/neurokit_ai-<name> "
            "in BIDS-derivatives naming; a re-run skips what is up to date. "
            f"Stages: {stages}."
        ),
    )
    p.add_argument("pipeline", type=Path, help="pipeline file (.yaml, .yml, .toml)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler (default: a local cluster)",
    )
    p.add_argument(
        "--workers", type=int, default=2, help="local cluster workers (default 2)"
    )
    p.add_argument(
        "--derivatives", type=Path, help="output folder (overrides the file's)"
    )
    p.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for --scheduler"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=run_pipeline_command)
    return p


def _stage_names() -> list[str]:
    from ..pipeline import STAGES

    return sorted(STAGES)


def run_pipeline_command(args: argparse.Namespace) -> int:
    """Run the ``run`` command; 0 when every task succeeded, 1 otherwise."""
    from tqdm.auto import tqdm

    from ..pipeline import run_pipeline

    def echo(line: str) -> None:
        tqdm.write(line, file=sys.stdout)

    result = run_pipeline(
        args.pipeline,
        scheduler=args.scheduler,
        n_workers=args.workers,
        derivatives=args.derivatives,
        progress=not args.quiet,
        echo=echo,
        timeout=args.timeout,
    )
    for record in result.records:
        if record["status"] == "done" and record["path"]:
            print(f"wrote {record['path']}")
    return 0 if result.ok else 1
