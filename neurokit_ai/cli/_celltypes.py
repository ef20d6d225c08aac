"""The ``neurokit-ai celltypes`` command: MDS clustering of recorded neurons."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._atomic import atomic_output

__all__ = ["add_celltypes_parser", "run_celltypes"]


def add_celltypes_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``celltypes``: stimuli + responses (.npy) -> clusters and their MDS.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_celltypes_parser(sub).prog.endswith("celltypes")
    True
    """
    p = subparsers.add_parser(
        "celltypes",
        help="cluster neurons into functional types by most discriminative stimuli",
        description=(
            "Train a convolutional model of the responses (stimuli .npy of shape "
            "(n_stimuli, n_frames, height, width) or (n_stimuli, height, width); "
            "responses .npy of shape (n_stimuli, n_neurons)), then cluster the "
            "neurons by their most discriminative stimuli (Burg et al. 2024)."
        ),
    )
    p.add_argument("stimuli", type=Path, help="stimuli file (.npy)")
    p.add_argument("responses", type=Path, help="responses file (.npy)")
    p.add_argument("--n-clusters", default="8", help="an int, or 'auto'")
    p.add_argument("--max-clusters", type=int, default=12)
    p.add_argument("--loss", default="gaussian", help="gaussian or poisson")
    p.add_argument("--max-epochs", type=int, default=200)
    p.add_argument(
        "--centre-readouts",
        action="store_true",
        help="find MDS as if centred on each neuron's receptive field (for "
        "neurons spread over the field)",
    )
    p.add_argument(
        "--merge-threshold",
        type=float,
        default=None,
        help="merge clusters whose MDS tell them apart less than this (0-1; "
        "e.g. 0.5), starting from --n-clusters",
    )
    p.add_argument(
        "--min-cluster-size",
        default="0.02",
        help="when the cluster count may shrink (auto or --merge-threshold), "
        "dissolve clusters smaller than this: a count (e.g. 3) or a fraction "
        "of the neurons (e.g. 0.02)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.set_defaults(handler=run_celltypes)
    return p


def _load(path: Path, name: str) -> np.ndarray:
    if not path.is_file():
        raise ValidationError(f"{name} file {str(path)!r} does not exist.")
    if path.suffix != ".npy":
        raise ValidationError(
            f"{name} file {str(path)!r} must be .npy, got {path.suffix!r}; save it "
            "with numpy.save."
        )
    return np.load(path, allow_pickle=False)


def _n_clusters(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError as err:
        raise ValidationError(
            f"--n-clusters must be an int or 'auto', got {text!r}."
        ) from err


def _min_cluster_size(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError as err:
        raise ValidationError(
            f"--min-cluster-size must be a count (e.g. 3) or a fraction of the "
            f"neurons (e.g. 0.02), got {text!r}."
        ) from err


def _save_npy(path: Path, array: np.ndarray) -> None:
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:
        np.save(fh, array)


def run_celltypes(args: argparse.Namespace) -> int:
    """Run the ``celltypes`` command; returns the exit status."""
    from ..celltypes import ConvResponseModel, MDSClustering
    from ..viz._celltypes import plot_cluster_responses, plot_discriminative_stimuli
    from ..viz._files import save_figure

    stimuli = _load(args.stimuli, "stimuli")
    responses = _load(args.responses, "responses")
    n_clusters = _n_clusters(args.n_clusters)
    min_cluster_size = _min_cluster_size(args.min_cluster_size)
    model = ConvResponseModel(
        loss=args.loss, max_epochs=args.max_epochs, random_state=args.seed
    ).fit(stimuli, responses)
    print(
        f"model: {model.n_neurons_} neurons, median held-out correlation "
        f"{np.nanmedian(model.validation_correlation_):.3f}"
    )
    mds = MDSClustering(
        n_clusters=n_clusters,
        max_clusters=args.max_clusters,
        centre_readouts=args.centre_readouts,
        merge_threshold=args.merge_threshold,
        min_cluster_size=min_cluster_size,
        random_state=args.seed,
    ).fit(model)
    counts = np.bincount(mds.labels_, minlength=mds.n_clusters_)
    print(
        f"MDS: {mds.n_clusters_} clusters ({', '.join(map(str, counts))} neurons), "
        f"{mds.n_iter_} rounds, converged: {mds.converged_}"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    table = "neuron,cluster\n" + "".join(
        f"{i},{c}\n" for i, c in enumerate(mds.labels_.tolist())
    )
    with atomic_output(args.out / "labels.csv") as tmp:
        Path(tmp).write_text(table)
    print(f"wrote {args.out / 'labels.csv'}")
    _save_npy(args.out / "mds_stimuli.npy", mds.stimuli_)
    print(f"wrote {args.out / 'mds_stimuli.npy'}")
    for name, fig in (
        ("mds_stimuli.png", plot_discriminative_stimuli(mds)),
        ("mds_responses.png", plot_cluster_responses(mds)),
    ):
        print(f"wrote {save_figure(fig, args.out / name)}")
    return 0
