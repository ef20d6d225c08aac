"""How good and how stable a CP model is: factor match score, core consistency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ValidationError, check_array

__all__ = ["factor_match_score", "core_consistency"]


def _check_factors(factors: Any, name: str) -> list[np.ndarray]:
    if not isinstance(factors, (list, tuple)) or len(factors) == 0:
        raise ValidationError(
            f"{name} must be a list of factor matrices (one per mode), got "
            f"{type(factors).__name__}."
        )
    out = [check_array(f, f"{name}[{m}]", ndim=2) for m, f in enumerate(factors)]
    ranks = {f.shape[1] for f in out}
    if len(ranks) != 1:
        raise ValidationError(
            f"{name} have different numbers of columns {sorted(ranks)}; every mode "
            "needs one column per component."
        )
    return out


def factor_match_score(
    factors_a: Sequence[np.ndarray],
    factors_b: Sequence[np.ndarray],
    weights_a: np.ndarray | None = None,
    weights_b: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Similarity of two CP models up to permutation and scale (in [0, 1]).

    For components ``r`` of model A and ``s`` of model B the score is the
    product over modes of the cosine between their columns, times
    ``1 − |λ_r − λ_s| / max(λ_r, λ_s)`` when weights are given (Acar et al.
    2011; tensortools' ``kruskal_align``). Components are paired by the
    Hungarian algorithm and the mean over pairs is returned.

    Parameters
    ----------
    factors_a, factors_b : list of ndarray
        Factor matrices of the same shapes (columns are rescaled here).
    weights_a, weights_b : ndarray, optional
        Component weights (with unit-norm columns); both or neither.

    Returns
    -------
    score : float
        Mean matched similarity; 1 for identical models.
    permutation : ndarray of int
        ``permutation[r]`` is the component of B matched with component r of A.

    Examples
    --------
    >>> a = [np.eye(3), np.eye(3), np.eye(3)]
    >>> b = [f[:, [2, 0, 1]] * 5 for f in a]
    >>> score, perm = factor_match_score(a, b)
    >>> round(score, 6), perm.tolist()
    (1.0, [1, 2, 0])
    """
    from scipy.optimize import linear_sum_assignment

    fa = _check_factors(factors_a, "factors_a")
    fb = _check_factors(factors_b, "factors_b")
    if [f.shape for f in fa] != [f.shape for f in fb]:
        raise ValidationError(
            f"factors_a shapes {[f.shape for f in fa]} differ from factors_b "
            f"shapes {[f.shape for f in fb]}; compare models of the same tensor "
            "and rank."
        )
    sim = np.ones((fa[0].shape[1], fb[0].shape[1]))
    for a, b in zip(fa, fb):
        na = np.linalg.norm(a, axis=0)
        nb = np.linalg.norm(b, axis=0)
        sim *= np.abs((a / np.where(na > 0, na, 1)).T @ (b / np.where(nb > 0, nb, 1)))
    if (weights_a is None) != (weights_b is None):
        raise ValidationError("Pass both weights_a and weights_b, or neither.")
    if weights_a is not None:
        wa = check_array(weights_a, "weights_a", ndim=1, shape=(sim.shape[0],))
        wb = check_array(weights_b, "weights_b", ndim=1, shape=(sim.shape[1],))
        top = np.maximum(wa[:, None], wb[None, :])
        sim *= 1.0 - np.abs(wa[:, None] - wb[None, :]) / np.where(top > 0, top, 1)
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean()), cols


def core_consistency(
    tensor: np.ndarray, weights: np.ndarray, factors: Sequence[np.ndarray]
) -> float:
    """Bro & Kiers' (2003) CORCONDIA of a 3-way CP model, in percent.

    The least-squares Tucker core ``G`` of the tensor given the CP factors is
    compared with the superdiagonal core of an exact CP model:
    ``100 (1 − ‖G − I‖² / R)`` with the weights absorbed into the first mode.
    Values near 100 mean the trilinear model is appropriate; low or negative
    values signal too many components.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = [rng.random((n, 2)) for n in (6, 5, 4)]
    >>> x = np.einsum("ir,jr,kr->ijk", *f)
    >>> round(core_consistency(x, np.ones(2), f), 6)
    100.0
    """
    x = check_array(tensor, "tensor", ndim=3)
    fac = _check_factors(list(factors), "factors")
    w = check_array(weights, "weights", ndim=1, shape=(fac[0].shape[1],))
    a = fac[0] * w
    pinv = [np.linalg.pinv(f) for f in (a, fac[1], fac[2])]
    core = np.einsum("ijk,ai,bj,ck->abc", x, *pinv, optimize=True)
    rank = core.shape[0]
    ideal = np.zeros_like(core)
    ideal[np.arange(rank), np.arange(rank), np.arange(rank)] = 1.0
    return float(100.0 * (1.0 - np.sum((core - ideal) ** 2) / rank))
