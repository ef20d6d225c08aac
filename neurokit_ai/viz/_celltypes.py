"""Cell-type plots: most discriminative stimuli and the clusters' responses to them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError
from ._common import new_figure

__all__ = [
    "plot_discriminative_stimuli",
    "plot_cluster_responses",
    "space_time_components",
]


def _check_clustering(clustering: Any) -> Any:
    from ..celltypes import MDSClustering
    from ..core._base import check_is_fitted

    if not isinstance(clustering, MDSClustering):
        raise DTypeError(
            "clustering must be a fitted neurokit_ai.celltypes.MDSClustering, got "
            f"{type(clustering).__name__}."
        )
    check_is_fitted(clustering, "stimuli_")
    return clustering


def space_time_components(stimulus: Any) -> tuple[np.ndarray, np.ndarray]:
    """Best rank-1 split of a ``(n_frames, height, width)`` stimulus.

    Returns the spatial map (scaled by the singular value, signed so that the
    temporal component's largest-magnitude frame is positive) and the unit
    temporal component.

    Examples
    --------
    >>> clip = np.arange(1.0, 3.0)[:, None, None] * np.ones((2, 3, 3))
    >>> spatial, temporal = space_time_components(clip)
    >>> rebuilt = np.outer(temporal, spatial).reshape(clip.shape)
    >>> spatial.shape, bool(np.allclose(rebuilt, clip))
    ((3, 3), True)
    """
    clip = np.asarray(stimulus, dtype=float)
    if clip.ndim == 2:
        clip = clip[None]
    u, s, vt = np.linalg.svd(clip.reshape(len(clip), -1), full_matrices=False)
    temporal, spatial = u[:, 0], s[0] * vt[0]
    sign = np.sign(temporal[np.argmax(np.abs(temporal))]) or 1.0
    return (sign * spatial).reshape(clip.shape[1:]), sign * temporal


def plot_discriminative_stimuli(
    clustering: Any, names: list[str] | None = None, *, cmap: str = "RdBu_r"
) -> Any:
    """The MDS of every cluster: spatial map (top) and time course (bottom).

    Each MDS, centred on the mean reference pixel value, is split into its
    best space × time product (:func:`space_time_components`); images share
    one symmetric colour scale. Image stimuli show the map only.

    Parameters
    ----------
    clustering : MDSClustering
        A fitted clustering.
    names : list of str, optional
        A title per cluster (e.g. the matched planted type).
    cmap : str
        Colour map of the spatial maps.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import torch
    >>> from neurokit_ai.celltypes import MDSClustering
    >>> net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(18, 4))
    >>> ref = np.random.default_rng(0).normal(size=(50, 2, 3, 3))
    >>> mds = MDSClustering(n_clusters=2, n_steps=5, max_iter=2).fit(net, ref)
    >>> fig = plot_discriminative_stimuli(mds)
    """
    mds = _check_clustering(clustering)
    k = mds.n_clusters_
    stimuli = mds.stimuli_ - mds.stimuli_.mean()
    movie = stimuli.ndim == 4 and stimuli.shape[1] > 1
    parts = [space_time_components(s) for s in stimuli]
    vmax = max(float(np.abs(p[0]).max()) for p in parts) or 1.0
    fig = new_figure(1.6 * k + 1.0, 3.4 if movie else 2.0)
    axes = fig.subplots(2 if movie else 1, k, squeeze=False)
    for j, (spatial, temporal) in enumerate(parts):
        ax = axes[0, j]
        im = ax.imshow(spatial, cmap=cmap, vmin=-vmax, vmax=vmax)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(names[j] if names else f"MDS {j}", fontsize=8)
        if movie:
            lags = np.arange(len(temporal)) - len(temporal) + 1
            axes[1, j].plot(lags, temporal, marker="o", color="k")
            axes[1, j].axhline(0.0, color="0.7", lw=0.8)
            axes[1, j].set_xlabel("frame (0 = last)", fontsize=8)
            axes[1, j].tick_params(labelsize=7)
    fig.colorbar(im, ax=axes[0, :].tolist(), shrink=0.8, label="contrast")
    return fig


def plot_cluster_responses(clustering: Any, *, cmap: str = "viridis") -> Any:
    """Mean normalised predicted response of each cluster (columns) to each MDS.

    A dominant diagonal means every MDS drives its own cluster most.

    Parameters
    ----------
    clustering : MDSClustering
        A fitted clustering.
    cmap : str
        Colour map.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import torch
    >>> from neurokit_ai.celltypes import MDSClustering
    >>> net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(18, 4))
    >>> ref = np.random.default_rng(0).normal(size=(50, 2, 3, 3))
    >>> mds = MDSClustering(n_clusters=2, n_steps=5, max_iter=2).fit(net, ref)
    >>> fig = plot_cluster_responses(mds)
    """
    mds = _check_clustering(clustering)
    mat = mds.cluster_responses_
    k = len(mat)
    fig = new_figure(2.0 + 0.45 * k, 1.6 + 0.4 * k)
    ax = fig.add_subplot()
    im = ax.imshow(mat, cmap=cmap, interpolation="nearest")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("cluster")
    ax.set_ylabel("MDS")
    counts = np.bincount(mds.labels_, minlength=k)
    ax.set_title(f"{k} clusters ({', '.join(map(str, counts))} neurons)", fontsize=9)
    fig.colorbar(im, ax=ax, label="mean normalised response")
    return fig
