"""Topological RSA (Lin & Kriegeskorte 2023): geo-topological and geodesic RDMs.

The geo-topological (GT) transform maps each dissimilarity ``d`` with two
thresholds ``l < u`` (quantiles of the dissimilarities) to ``0`` below ``l``,
``(d - l) / (u - l)`` between them and ``1`` above ``u``: small distances
collapse ("same neighbourhood"), large ones saturate ("disconnected"). The
geodesic variant treats the GT matrix as a weighted graph without the saturated
edges and replaces each entry with its shortest-path length.

Unlike rsatoolbox's ``geodesic_transform`` (networkx drops zero entries as
non-edges), pairs that the GT transform sets to 0 stay *zero-length edges*
here, so collapsed neighbourhoods are connected as the method intends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._validation import check_option, check_scalar, check_type
from ._compare import COMPARE_METHODS, compare
from ._rdms import RDMs

__all__ = ["geotopological", "geodesic", "select_model", "identify_models"]


def _thresholds(v: np.ndarray, lower: float, upper: float, joint: bool):
    check_scalar(lower, "lower", min_val=0, max_val=1)
    check_scalar(upper, "upper", min_val=0, max_val=1)
    if lower > upper:
        raise ValidationError(
            f"lower ({lower}) must not exceed upper ({upper}); both are quantiles."
        )
    if joint:
        lo = np.full((v.shape[0], 1), np.nanquantile(v, lower))
        hi = np.full((v.shape[0], 1), np.nanquantile(v, upper))
    else:
        lo = np.nanquantile(v, lower, axis=1)[:, None]
        hi = np.nanquantile(v, upper, axis=1)[:, None]
    return lo, hi


def _gt(v: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    width = hi - lo
    safe = np.where(width > 0, width, 1.0)
    out = np.where(width > 0, (v - lo) / safe, (v > lo).astype(float))
    out = np.clip(out, 0.0, 1.0)
    out[np.isnan(v)] = np.nan
    return out


def geotopological(
    rdms: RDMs,
    lower: float = 0.2,
    upper: float = 0.8,
    *,
    joint: bool = False,
    rank: bool = False,
) -> RDMs:
    """Geo-topological transform of RDMs (the RGTM).

    Parameters
    ----------
    rdms : RDMs
    lower, upper : float
        Quantiles (0..1) of the dissimilarities used as thresholds ``l`` and ``u``.
        ``lower == upper`` gives a binary graph (pure topology), ``0, 1`` the
        min-max rescaled RDM (pure geometry).
    joint : bool
        Compute the quantiles over all RDMs together (rsatoolbox's
        ``geotopological_transform``) instead of per RDM (default, so that RDMs
        of different scale are thresholded alike).
    rank : bool
        Rank-transform each RDM first (the authors' original ``gt_transform``).

    Returns
    -------
    RDMs
        Values in [0, 1].

    Examples
    --------
    >>> r = RDMs([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    >>> geotopological(r, 0.2, 0.8).vectors.round(2)
    array([[0.  , 0.  , 0.33, 0.67, 1.  , 1.  ]])
    """
    check_type(rdms, "rdms", RDMs)
    v = rdms.rank_transform().vectors if rank else rdms.vectors
    lo, hi = _thresholds(v, lower, upper, joint)
    out = rdms._with(_gt(v, lo, hi), measure=f"geo-topological {rdms.measure}")
    return out


def _shortest_paths(vec: np.ndarray, n: int, unreachable: Any) -> np.ndarray:
    from scipy.sparse.csgraph import csgraph_from_dense, shortest_path

    mat = np.full((n, n), np.inf)
    iu = np.triu_indices(n, 1)
    weights = np.where(vec < 1.0, vec, np.inf)
    mat[iu] = weights
    mat[iu[1], iu[0]] = weights
    graph = csgraph_from_dense(mat, null_value=np.inf)
    dist = shortest_path(graph, method="D", directed=False)[iu]
    lost = ~np.isfinite(dist)
    if lost.any():
        finite = dist[~lost]
        fill = (
            (finite.max() if finite.size else 1.0)
            if unreachable == "max"
            else (float(unreachable))
        )
        dist[lost] = fill
    return dist


def geodesic(
    rdms: RDMs,
    lower: float = 0.0,
    upper: float = 1.0,
    *,
    joint: bool = False,
    rank: bool = False,
    unreachable: Any = "max",
) -> RDMs:
    """Geodesic RDM (the RGDM): shortest paths on the thresholded GT graph.

    The GT transform with ``(lower, upper)`` is applied first; edges that
    saturate at 1 are removed, entries at 0 stay zero-length edges, and each
    pair gets its shortest-path length (scipy's Dijkstra). With the defaults this
    is rsatoolbox's ``geodesic_transform`` (min-max, longest edges removed)
    without its zero-edge pitfall.

    Parameters
    ----------
    rdms : RDMs
        RDMs without NaN.
    lower, upper : float
        GT quantile thresholds (see :func:`geotopological`).
    joint, rank : bool
        As in :func:`geotopological`.
    unreachable : "max" or float
        Value for pairs in different graph components: the largest finite
        geodesic distance of that RDM, or the given number (``np.inf`` allowed).

    Examples
    --------
    >>> r = RDMs([1.0, 1.0, 3.0])  # a-b, a-c close; b-c far
    >>> geodesic(r).vectors.round(2)
    array([[0., 0., 0.]])
    """
    check_type(rdms, "rdms", RDMs)
    if not (unreachable == "max" or isinstance(unreachable, int | float)):
        raise ValidationError(
            f"unreachable must be 'max' or a number, got {unreachable!r}."
        )
    if np.isnan(rdms.vectors).any():
        raise ValidationError("geodesic needs RDMs without NaN dissimilarities.")
    gt = geotopological(rdms, lower, upper, joint=joint, rank=rank)
    n = rdms.n_conditions
    out = np.stack([_shortest_paths(v, n, unreachable) for v in gt.vectors])
    return rdms._with(out, measure=f"geodesic {rdms.measure}")


_STATISTICS = ("rdm", "gt", "geodesic")


def _transformed(rdms: RDMs, statistic: str, lower: float, upper: float) -> RDMs:
    if statistic == "rdm":
        return rdms
    if statistic == "gt":
        return geotopological(rdms, lower, upper)
    return geodesic(rdms, lower, upper)


def select_model(
    data: RDMs,
    candidates: RDMs,
    *,
    statistic: str = "gt",
    lower: float = 0.2,
    upper: float = 0.8,
    method: str = "spearman",
) -> tuple[str, np.ndarray]:
    """Pick the candidate RDM most similar to the data after a tRSA transform.

    Parameters
    ----------
    data : RDMs
        Data RDMs (scores are averaged over them).
    candidates : RDMs
        Candidate model RDMs, named by their ``"name"`` descriptor.
    statistic : {"rdm", "gt", "geodesic"}
        Compare raw RDMs, GT-transformed RDMs or geodesic RDMs.
    lower, upper : float
        Quantile thresholds of the transform.
    method : str
        Comparison method (see :func:`compare`).

    Returns
    -------
    best : str
        Name of the winning candidate.
    scores : numpy.ndarray, shape (n_candidates,)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> cands = RDMs(rng.random((3, 45)), names=["a", "b", "c"])
    >>> select_model(cands[1], cands)[0]
    'b'
    """
    check_option(statistic, "statistic", _STATISTICS)
    check_option(method, "method", COMPARE_METHODS)
    check_type(data, "data", RDMs)
    check_type(candidates, "candidates", RDMs)
    candidates = candidates.align_to(data)
    d = _transformed(data, statistic, lower, upper)
    c = _transformed(candidates, statistic, lower, upper)
    scores = compare(c, d, method).mean(axis=1)
    return candidates.names[int(np.argmax(scores))], scores


def identify_models(
    data: RDMs,
    candidates: RDMs,
    correct: Sequence[str],
    statistics: Mapping[str, tuple[str, float, float]],
    *,
    method: str = "spearman",
) -> dict[str, bool]:
    """Whether each tRSA statistic ranks a correct candidate first.

    Parameters
    ----------
    data, candidates : RDMs
        As in :func:`select_model`.
    correct : sequence of str
        Names of the candidates that count as a correct identification.
    statistics : mapping of label to (statistic, lower, upper)
        E.g. ``{"RDM": ("rdm", 0, 1), "GT .2-.8": ("gt", .2, .8)}``.
    method : str
        Comparison method.

    Returns
    -------
    dict of label to bool

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> cands = RDMs(rng.random((3, 45)), names=["a", "b", "c"])
    >>> identify_models(cands[0], cands, ["a"], {"RDM": ("rdm", 0, 1)})
    {'RDM': True}
    """
    unknown = [c for c in correct if c not in candidates.names]
    if unknown:
        raise ValidationError(
            f"correct names {unknown} are not candidates; candidates: "
            f"{candidates.names[:10]}."
        )
    out = {}
    for label, (stat, lo, up) in statistics.items():
        best, _ = select_model(
            data, candidates, statistic=stat, lower=lo, upper=up, method=method
        )
        out[label] = best in set(correct)
    return out
