"""RSA plots: RDM heat map, 2-D MDS embedding, model-comparison bars."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError
from ._common import new_figure

__all__ = ["plot_rdm", "plot_mds", "plot_model_comparison", "mds_embedding"]


def _check_rdms(rdms: Any, index: int) -> tuple[np.ndarray, list[str]]:
    from ..rsa import RDMs

    if not isinstance(rdms, RDMs):
        raise DTypeError(
            f"rdms must be neurokit_ai.rsa.RDMs, got {type(rdms).__name__}; build it "
            "with neurokit_ai.rsa.compute_rdm."
        )
    if not -rdms.n_rdms <= index < rdms.n_rdms:
        raise ValidationError(
            f"index={index} is out of range for {rdms.n_rdms} RDM(s)."
        )
    return rdms.matrices()[index], [str(c) for c in rdms.conditions]


def plot_rdm(rdms: Any, index: int = 0, *, cmap: str = "viridis") -> Any:
    """Heat map of one RDM with condition labels on both axes.

    Examples
    --------
    >>> from neurokit_ai.rsa import RDMs
    >>> fig = plot_rdm(RDMs([1.0, 2.0, 3.0], conditions=["a", "b", "c"]))
    """
    mat, labels = _check_rdms(rdms, index)
    n = len(labels)
    size = min(12.0, 3.0 + 0.25 * n)
    fig = new_figure(size + 1.0, size)
    ax = fig.add_subplot()
    im = ax.imshow(mat, cmap=cmap, interpolation="nearest")
    if n <= 60:
        ax.set_xticks(range(n), labels, rotation=90, fontsize=8)
        ax.set_yticks(range(n), labels, fontsize=8)
    name = rdms.names[index]
    ax.set_title(f"{name} ({rdms.measure or 'dissimilarity'})")
    fig.colorbar(im, ax=ax, label=rdms.measure or "dissimilarity")
    return fig


def mds_embedding(mat: np.ndarray, n_components: int = 2) -> np.ndarray:
    """Classical (Torgerson) MDS coordinates of a dissimilarity matrix.

    Examples
    --------
    >>> from scipy.spatial.distance import pdist, squareform
    >>> pts = np.array([[0.0, 0], [3, 0], [0, 4]])
    >>> emb = mds_embedding(squareform(pdist(pts)))
    >>> bool(np.allclose(squareform(pdist(emb)), squareform(pdist(pts))))
    True
    """
    n = mat.shape[0]
    h = np.eye(n) - 1.0 / n
    b = -0.5 * h @ (mat**2) @ h
    vals, vecs = np.linalg.eigh(b)
    order = np.argsort(vals)[::-1][:n_components]
    return vecs[:, order] * np.sqrt(np.maximum(vals[order], 0.0))


def plot_mds(rdms: Any, index: int = 0, *, squared: bool = False) -> Any:
    """2-D classical MDS embedding of one RDM, points labelled by condition.

    ``squared=True`` takes the square root first (for squared distances such
    as rsatoolbox-style Euclidean or crossnobis RDMs; negatives are set to 0).

    Examples
    --------
    >>> from neurokit_ai.rsa import RDMs
    >>> fig = plot_mds(RDMs([1.0, 2.0, 2.5], conditions=["a", "b", "c"]))
    """
    mat, labels = _check_rdms(rdms, index)
    if not np.all(np.isfinite(mat)):
        raise ValidationError("plot_mds needs an RDM without NaN or inf entries.")
    if squared:
        mat = np.sqrt(np.maximum(mat, 0.0))
    emb = mds_embedding(mat)
    fig = new_figure(5.0, 5.0)
    ax = fig.add_subplot()
    ax.scatter(emb[:, 0], emb[:, 1], s=30)
    for (x, y), lab in zip(emb, labels):
        ax.annotate(lab, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=8)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_title(f"MDS of {rdms.names[index]}")
    ax.set_xlabel("dimension 1")
    ax.set_ylabel("dimension 2")
    return fig


def plot_model_comparison(
    result: Any, *, level: float = 0.95, alpha: float = 0.05, test: str = "t"
) -> Any:
    """Bars of model scores with bootstrap intervals, noise ceiling and pairwise tests.

    The grey band is the noise ceiling (lower to upper bound); a line above two
    bars marks a pairwise difference significant at ``alpha`` after FDR
    correction.

    Examples
    --------
    >>> from neurokit_ai.rsa import FixedModel, RDMs, evaluate_models
    >>> rng = np.random.default_rng(0)
    >>> data = RDMs(rng.random((4, 15)))
    >>> res = evaluate_models(FixedModel("m", RDMs(rng.random(15))), data,
    ...                       n_bootstrap=20, random_state=0)
    >>> fig = plot_model_comparison(res)
    """
    from ..rsa import ModelComparison

    if not isinstance(result, ModelComparison):
        raise DTypeError(
            f"result must be a ModelComparison from evaluate_models, got "
            f"{type(result).__name__}."
        )
    names, scores = result.model_names, result.scores
    m = len(names)
    fig = new_figure(max(4.0, 1.2 * m + 2), 4.5)
    ax = fig.add_subplot()
    x = np.arange(m)
    ax.bar(x, scores, color="tab:blue", alpha=0.8)
    has_boot = (
        result.bootstrap is not None
        and np.isfinite(result.bootstrap_scores).all(axis=1).sum() >= 2
    )
    if has_boot:
        ci = result.ci(level)
        ax.errorbar(
            x,
            scores,
            yerr=[scores - ci[:, 0], ci[:, 1] - scores],
            fmt="none",
            ecolor="black",
            capsize=4,
        )
    low, up = result.noise_ceiling
    if np.isfinite(low) and np.isfinite(up):
        ax.axhspan(low, up, color="0.8", alpha=0.7, zorder=0, label="noise ceiling")
        ax.legend(loc="upper right", fontsize=8)
    if has_boot and m > 1:
        p = result.pairwise_tests(test=test)
        top = max(np.nanmax(ci[:, 1]), up if np.isfinite(up) else -np.inf)
        step = 0.05 * (abs(top) + 1e-9)
        level_y = top + step
        for a in range(m):
            for b in range(a + 1, m):
                if p[a, b] < alpha:
                    bracket = [level_y, level_y + step / 2, level_y + step / 2, level_y]
                    ax.plot([a, a, b, b], bracket, color="black", lw=1)
                    level_y += 1.5 * step
    ax.set_xticks(x, names, rotation=30, ha="right")
    ax.set_ylabel(f"RDM similarity ({result.method})")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_title(f"Model comparison (bootstrap over {result.bootstrap})")
    return fig
