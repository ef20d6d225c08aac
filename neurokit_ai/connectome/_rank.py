"""Choosing the NTF rank: error, stability across restarts, core consistency."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import (
    ValidationError,
    check_option,
    check_random_state,
    check_scalar,
)
from ._cp_metrics import core_consistency, factor_match_score
from ._ntf import CPResult, _check_tensor, check_rank, cp_to_tensor, non_negative_cp

__all__ = ["RankSelection", "select_rank", "held_out_error"]


@dataclass
class RankSelection:
    """Diagnostics of :func:`select_rank` for each candidate rank.

    Attributes
    ----------
    ranks : ndarray of int
        Candidate ranks.
    errors : ndarray, shape (n_ranks, n_restarts)
        Final relative error of every restart (all entries fitted).
    cv_errors : ndarray, shape (n_ranks, n_folds)
        Relative error on the held-out entries of each fold.
    stability : ndarray, shape (n_ranks,)
        Mean factor match score of the other restarts against the best one.
    core_consistency : ndarray, shape (n_ranks,)
        CORCONDIA (percent) of the best restart; NaN where undefined (a mode
        shorter than the rank, e.g. one animal).
    rank : int
        The chosen rank.
    criterion : str
        How it was chosen.
    fits : dict of int to CPResult
        The best restart of each rank.
    """

    ranks: np.ndarray
    errors: np.ndarray
    cv_errors: np.ndarray
    stability: np.ndarray
    core_consistency: np.ndarray
    rank: int
    criterion: str
    fits: dict[int, CPResult] = field(repr=False)

    def table(self) -> str:
        """The diagnostics as a plain-text table."""
        lines = ["rank  fit_error  cv_error  stability  core_consistency  chosen"]
        for i, r in enumerate(self.ranks):
            lines.append(
                f"{r:>4d}  {self.errors[i].min():>9.4f}"
                f"  {self.cv_errors[i].mean():>8.4f}"
                f"  {self.stability[i]:>9.3f}  {self.core_consistency[i]:>16.1f}"
                f"  {'*' if r == self.rank else ''}"
            )
        return "\n".join(lines)


def held_out_error(
    tensor: np.ndarray,
    rank: int,
    *,
    fraction: float = 0.1,
    n_em: int = 60,
    random_state: Any = None,
) -> float:
    """Relative error of NTF on randomly held-out entries (masked cross-validation).

    A random ``fraction`` of the entries is hidden; the model is fitted to the
    rest by expectation–maximisation (hidden entries replaced by the current
    model's values, then 5 HALS iterations, ``n_em`` times) and scored on the
    hidden entries only. Surplus components fit noise, so this error rises
    past the true rank (Bro et al. 2008; Williams et al. 2018).

    Examples
    --------
    >>> from neurokit_ai.connectome import cp_to_tensor
    >>> rng = np.random.default_rng(0)
    >>> x = cp_to_tensor(np.ones(2), [rng.random((n, 2)) for n in (10, 8, 6)])
    >>> held_out_error(x, 2, random_state=0) < 0.01
    True
    """
    x = _check_tensor(tensor)
    rank = check_rank(rank, x.shape)
    check_scalar(fraction, "fraction", min_val=0.0, max_val=0.5, include_min=False)
    rng = check_random_state(random_state)
    hidden = rng.random(x.shape) < fraction
    if not hidden.any() or hidden.all():
        raise ValidationError(
            f"fraction={fraction} hides {int(hidden.sum())} of {x.size} entries; "
            "use a larger tensor or fraction."
        )
    filled = np.where(hidden, x[~hidden].mean(), x)
    fit = non_negative_cp(filled, rank, n_iter_max=50, random_state=rng.integers(2**32))
    for _ in range(int(n_em)):
        model = cp_to_tensor(fit.weights, fit.factors)
        filled[hidden] = model[hidden]
        init = [fit.factors[0] * fit.weights, fit.factors[1], fit.factors[2]]
        fit = non_negative_cp(filled, rank, init=init, n_iter_max=5, tol=0.0)
    model = cp_to_tensor(fit.weights, fit.factors)
    return float(
        np.linalg.norm((x - model)[hidden]) / max(np.linalg.norm(x[hidden]), 1e-300)
    )


def select_rank(
    tensor: Any,
    ranks: Sequence[int] = (1, 2, 3, 4, 5, 6),
    *,
    criterion: str = "cv",
    n_restarts: int = 5,
    n_folds: int = 3,
    cv_tolerance: float = 0.1,
    stability_threshold: float = 0.95,
    consistency_threshold: float = 80.0,
    method: str = "hals",
    n_iter_max: int = 300,
    tol: float = 1e-7,
    random_state: Any = None,
    verbose: bool = False,
) -> RankSelection:
    """Fit NTF at several ranks and pick one.

    Every rank is fitted ``n_restarts`` times from random starts (error,
    stability = mean factor match score of the restarts against the
    lowest-error one, core consistency of that one) and ``n_folds`` times
    with 10 % of the entries held out (:func:`held_out_error`).

    - ``criterion="cv"`` (default): the smallest rank whose mean held-out
      error is within ``cv_tolerance`` (relative) of the lowest one, a
      parsimony rule like the one-standard-error rule. Works for one animal
      (a matrix factorization) as for many.
    - ``criterion="stability"``: the largest *reliable* rank, one whose
      stability is ``>= stability_threshold`` and whose core consistency is
      ``>= consistency_threshold`` (or undefined): surplus components split
      or swap between restarts and break the trilinear structure (Bro &
      Kiers 2003; Williams et al. 2018). The smallest candidate always
      counts as reliable.

    Parameters
    ----------
    tensor : array-like, shape (I, J, K)
        Non-negative tensor.
    ranks : sequence of int
        Candidates (see :func:`non_negative_cp` for the limit).
    criterion : {"cv", "stability"}
        The rule above.
    n_restarts : int
        Random starts per rank (at least 2).
    n_folds : int
        Held-out masks per rank (at least 1).
    cv_tolerance : float
        Relative slack of the ``"cv"`` rule (>= 0).
    stability_threshold : float
        In [0, 1].
    consistency_threshold : float
        Percent, at most 100.
    method : {"hals", "mu"}
        NTF update rule of the restarts.
    n_iter_max, tol : int, float
        Passed to :func:`non_negative_cp`.
    random_state : None, int or numpy Generator
        Seed.
    verbose : bool
        Progress bar over ranks.

    Returns
    -------
    RankSelection

    Examples
    --------
    >>> from neurokit_ai.connectome import cp_to_tensor
    >>> rng = np.random.default_rng(0)
    >>> x = cp_to_tensor(np.ones(2), [rng.random((n, 2)) for n in (10, 8, 6)])
    >>> x += 0.01 * rng.random(x.shape)
    >>> select_rank(x, ranks=[1, 2, 3], n_restarts=3, random_state=0).rank
    2
    """
    from tqdm.auto import tqdm

    x = _check_tensor(tensor)
    if isinstance(ranks, (str, bytes)) or not isinstance(ranks, Sequence):
        raise ValidationError(
            f"ranks must be a sequence of ints such as [1, 2, 3], got {ranks!r:.60}."
        )
    if len(ranks) == 0:
        raise ValidationError("ranks is empty; pass candidate ranks such as [1, 2, 3].")
    cands = sorted({check_rank(r, x.shape) for r in ranks})
    check_option(criterion, "criterion", ["cv", "stability"])
    n_restarts = check_scalar(
        n_restarts, "n_restarts", kind=numbers.Integral, min_val=2
    )
    n_folds = check_scalar(n_folds, "n_folds", kind=numbers.Integral, min_val=1)
    check_scalar(cv_tolerance, "cv_tolerance", min_val=0.0)
    check_scalar(stability_threshold, "stability_threshold", min_val=0.0, max_val=1.0)
    check_scalar(consistency_threshold, "consistency_threshold", max_val=100.0)
    rng = check_random_state(random_state)
    errors = np.empty((len(cands), n_restarts))
    cv_errors = np.empty((len(cands), n_folds))
    stability = np.empty(len(cands))
    consistency = np.full(len(cands), np.nan)
    fits: dict[int, CPResult] = {}
    for i, rank in enumerate(tqdm(cands, desc="ranks", disable=not verbose)):
        runs = [
            non_negative_cp(
                x,
                rank,
                method=method,
                n_iter_max=n_iter_max,
                tol=tol,
                random_state=rng.integers(2**32),
            )
            for _ in range(int(n_restarts))
        ]
        errors[i] = [run.error for run in runs]
        best = runs[int(np.argmin(errors[i]))]
        stability[i] = np.mean(
            [
                factor_match_score(best.factors, run.factors)[0]
                for run in runs
                if run is not best
            ]
        )
        if rank <= min(x.shape):
            consistency[i] = core_consistency(x, best.weights, best.factors)
        cv_errors[i] = [
            held_out_error(x, rank, random_state=rng) for _ in range(int(n_folds))
        ]
        fits[rank] = best
    if criterion == "cv":
        mean_cv = cv_errors.mean(axis=1)
        ok = mean_cv <= (1.0 + cv_tolerance) * mean_cv.min()
        chosen = int(np.asarray(cands)[ok].min())
    else:
        reliable = (stability >= stability_threshold) & ~(
            consistency < consistency_threshold
        )
        reliable[0] = True
        chosen = int(np.asarray(cands)[reliable].max())
    return RankSelection(
        np.asarray(cands),
        errors,
        cv_errors,
        stability,
        consistency,
        chosen,
        criterion,
        fits,
    )
