"""Dynamic-connectome plots: NTF loadings, motif communities, motif time courses."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Annotations, DTypeError
from ._common import new_figure

__all__ = ["plot_factor_loadings", "plot_community_graphs", "plot_motif_time_courses"]


def _check_connectome(connectome: Any) -> Any:
    from ..connectome import DynamicConnectome

    if not isinstance(connectome, DynamicConnectome):
        raise DTypeError(
            "connectome must be a neurokit_ai.connectome.DynamicConnectome, got "
            f"{type(connectome).__name__}; build it with dynamic_connectome(...)."
        )
    return connectome


def plot_factor_loadings(connectome: Any) -> Any:
    """One row per NTF component: pair weights, window loadings, animal loadings.

    Examples
    --------
    >>> fig = plot_factor_loadings(dc)  # doctest: +SKIP
    """
    dc = _check_connectome(connectome)
    windows = dc.tensor.windows
    fig = new_figure(11.0, 1.8 * dc.rank + 0.8)
    axes = fig.subplots(dc.rank, 3, squeeze=False)
    for r in range(dc.rank):
        ax_pair, ax_time, ax_animal = axes[r]
        ax_pair.bar(np.arange(len(dc.pair_weights)), dc.pair_weights[:, r], width=1.0)
        ax_pair.set_ylabel(f"motif {r}")
        ax_time.plot(windows.centers, dc.time_courses[:, r], marker="o", ms=3)
        ax_animal.bar(dc.tensor.animals, dc.animal_loadings[:, r])
        ax_animal.tick_params(axis="x", labelrotation=45, labelsize=7)
    axes[0, 0].set_title("neuron pairs")
    axes[0, 1].set_title("time windows")
    axes[0, 2].set_title("animals")
    axes[-1, 0].set_xlabel("pair index")
    axes[-1, 1].set_xlabel("time (s)")
    return fig


def _circle_layout(labels: np.ndarray) -> np.ndarray:
    """Nodes on a circle, members of a community next to each other."""
    order = np.argsort(labels, kind="stable")
    angles = np.empty(len(labels))
    angles[order] = 2 * np.pi * np.arange(len(labels)) / len(labels)
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def plot_community_graphs(connectome: Any, *, top_fraction: float = 0.1) -> Any:
    """Each motif as a graph: nodes coloured by community, strongest edges drawn.

    Parameters
    ----------
    connectome : DynamicConnectome
    top_fraction : float
        Fraction of the pairs (largest weights) drawn as edges.

    Examples
    --------
    >>> fig = plot_community_graphs(dc)  # doctest: +SKIP
    """
    from matplotlib import colormaps

    from ..core import check_scalar

    dc = _check_connectome(connectome)
    check_scalar(
        top_fraction, "top_fraction", min_val=0.0, max_val=1.0, include_min=False
    )
    names = dc.tensor.neuron_names
    fig = new_figure(3.4 * dc.rank, 3.6)
    axes = np.atleast_1d(fig.subplots(1, dc.rank))
    cmap = colormaps["tab10"]
    for r, ax in enumerate(axes):
        labels = dc.communities[r]
        pos = _circle_layout(labels)
        weights = dc.pair_weights[:, r]
        n_edges = max(1, int(round(top_fraction * len(weights))))
        strongest = np.argsort(weights)[::-1][:n_edges]
        top = weights[strongest].max()
        for p in strongest:
            i, j = dc.tensor.pairs[p]
            ax.plot(
                *pos[[i, j]].T,
                color="0.4",
                lw=0.3 + 2.5 * weights[p] / top,
                alpha=0.6,
                zorder=1,
            )
        ax.scatter(*pos.T, c=[cmap(k % 10) for k in labels], s=40, zorder=2)
        if len(names) <= 40:
            for (x, y), name in zip(pos, names):
                ax.annotate(
                    name, (1.12 * x, 1.12 * y), fontsize=6, ha="center", va="center"
                )
        ax.set_title(f"motif {r}: {labels.max() + 1} communities", fontsize=9)
        ax.set_aspect("equal")
        ax.set_axis_off()
    return fig


def plot_motif_time_courses(
    connectome: Any, annotations: Annotations | None = None
) -> Any:
    """Time course of each motif over the windows, with the experiment's epochs.

    Parameters
    ----------
    connectome : DynamicConnectome
    annotations : Annotations, optional
        Epochs (stimulus on/off) drawn as shaded spans with their labels.

    Examples
    --------
    >>> fig = plot_motif_time_courses(dc, rec.annotations)  # doctest: +SKIP
    """
    dc = _check_connectome(connectome)
    if annotations is not None and not isinstance(annotations, Annotations):
        raise DTypeError(
            "annotations must be neurokit_ai Annotations (rec.annotations), got "
            f"{type(annotations).__name__}."
        )
    windows = dc.tensor.windows
    fig = new_figure(9.0, 3.2)
    ax = fig.add_subplot()
    if annotations is not None:
        kinds = sorted(set(annotations.description.tolist()))
        for onset, dur, desc in zip(
            annotations.onset, annotations.duration, annotations.description
        ):
            shade = 0.08 + 0.12 * (kinds.index(desc) % 3)
            ax.axvspan(onset, onset + dur, color="k", alpha=shade, lw=0)
            ax.text(
                onset,
                1.0,
                str(desc),
                transform=ax.get_xaxis_transform(),
                fontsize=7,
                va="bottom",
            )
    for r in range(dc.rank):
        ax.step(windows.starts, dc.time_courses[:, r], where="post", label=f"motif {r}")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("motif loading")
    ax.legend(fontsize=7, ncols=min(dc.rank, 4))
    return fig
