"""The ``neurokit-ai rsa`` command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._atomic import atomic_output

__all__ = ["add_rsa_parser", "run_rsa"]


def add_rsa_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``rsa``: patterns (.npy/.csv) -> RDM -> model comparison.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_rsa_parser(sub).prog.endswith("rsa")
    True
    """
    p = subparsers.add_parser(
        "rsa",
        help="compute an RDM from patterns and compare it with model RDMs",
        description=(
            "Read condition x unit patterns (.npy, or .csv whose first column is "
            "the condition label), compute their RDM, and optionally compare it "
            "with model RDMs (.npy, one condensed or square RDM each)."
        ),
    )
    p.add_argument("patterns", type=Path, help="patterns file (.npy or .csv)")
    p.add_argument("--method", default="correlation", help="RDM method")
    p.add_argument("--models", type=Path, nargs="*", default=[], help="model RDMs")
    p.add_argument("--compare", default="corr", help="RDM comparison method")
    p.add_argument("--n-bootstrap", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, help="folder for rdm.npy and figures")
    p.set_defaults(handler=run_rsa)
    return p


def _read_patterns(path: Path) -> Any:
    from ..core import Responses

    if not path.is_file():
        raise ValidationError(f"patterns file {str(path)!r} does not exist.")
    if path.suffix == ".npy":
        return Responses(np.load(path, allow_pickle=False), source=f"file:{path}")
    if path.suffix == ".csv":
        import pandas as pd

        frame = pd.read_csv(path)
        return Responses(
            frame.iloc[:, 1:].to_numpy(float),
            conditions=frame.iloc[:, 0].astype(str).tolist(),
            unit_names=list(frame.columns[1:]),
            source=f"file:{path}",
        )
    raise ValidationError(
        f"patterns file {str(path)!r} must be .npy or .csv, got {path.suffix!r}."
    )


def run_rsa(args: argparse.Namespace) -> int:
    """Run the ``rsa`` command; returns the exit status."""
    from ..rsa import FixedModel, RDMs, compute_rdm, evaluate_models
    from ..viz import plot_model_comparison, plot_rdm, save_figure

    responses = _read_patterns(args.patterns)
    rdm = compute_rdm(responses, args.method)
    print(f"RDM: {rdm.n_conditions} conditions, {args.method}")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        with atomic_output(args.out / "rdm.npy") as tmp, open(tmp, "wb") as fh:
            np.save(fh, rdm.matrices()[0])
        print(f"wrote {args.out / 'rdm.npy'}")
        print(f"wrote {save_figure(plot_rdm(rdm), args.out / 'rdm.png')}")
    if args.models:
        models = []
        for path in args.models:
            vec = np.load(path, allow_pickle=False)
            models.append(FixedModel(Path(path).stem, RDMs(vec, rdm.conditions)))
        result = evaluate_models(
            models,
            rdm,
            args.compare,
            bootstrap="conditions",
            n_bootstrap=args.n_bootstrap,
            random_state=args.seed,
        )
        print(result.summary())
        if args.out is not None:
            fig = plot_model_comparison(result)
            print(f"wrote {save_figure(fig, args.out / 'models.png')}")
    return 0
