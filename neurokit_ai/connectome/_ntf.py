"""Non-negative CP (PARAFAC) decomposition of 3-way tensors: HALS and MU.

Two solvers share one call: ``backend="numpy"`` is our own path (one
unfolding-free MTTKRP scheme, see :func:`non_negative_cp`), ``"tensorly"``
calls :func:`tensorly.decomposition.non_negative_parafac_hals` or
:func:`~tensorly.decomposition.non_negative_parafac`.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_option, check_scalar

__all__ = ["CPResult", "NTF_METHODS", "NTF_BACKENDS", "non_negative_cp", "cp_to_tensor"]

NTF_METHODS = ("hals", "mu")
NTF_BACKENDS = ("numpy", "tensorly")
#: Floor of the multiplicative updates (as tensorly's ``epsilon``).
MU_EPSILON = 1e-12


@dataclass
class CPResult:
    """A fitted non-negative CP model ``X ≈ Σ_r w_r a_r ∘ b_r ∘ c_r``.

    Attributes
    ----------
    weights : ndarray, shape (rank,)
        Component weights; every factor column has unit Euclidean norm.
        Components are sorted by decreasing weight.
    factors : list of ndarray
        One ``(tensor.shape[m], rank)`` non-negative matrix per mode.
    errors : ndarray
        Relative reconstruction error ``‖X − X̂‖ / ‖X‖`` after each iteration.
    n_iter : int
        Iterations run.
    """

    weights: np.ndarray
    factors: list[np.ndarray]
    errors: np.ndarray = field(repr=False)
    n_iter: int

    @property
    def rank(self) -> int:
        """Number of components."""
        return int(self.weights.size)

    @property
    def error(self) -> float:
        """Final relative reconstruction error."""
        return float(self.errors[-1])


def cp_to_tensor(weights: np.ndarray, factors: Sequence[np.ndarray]) -> np.ndarray:
    """Rebuild the full 3-way tensor ``Σ_r w_r a_r ∘ b_r ∘ c_r``.

    Examples
    --------
    >>> a = np.ones((2, 1))
    >>> cp_to_tensor(np.array([2.0]), [a, a, a]).shape
    (2, 2, 2)
    """
    a, b, c = factors
    return np.einsum("r,ir,jr,kr->ijk", np.asarray(weights, float), a, b, c)


def _check_tensor(tensor: Any) -> np.ndarray:
    x = check_array(tensor, "tensor", ndim=3)
    if (x < 0).any():
        where = tuple(int(i) for i in np.argwhere(x < 0)[0])
        raise ValidationError(
            f"tensor holds {int((x < 0).sum())} negative value(s) (the first, "
            f"{x[where]:g}, at index {where}); non-negative factorization needs "
            "x >= 0. Clip them (np.clip(x, 0, None)) or use a non-negative affinity."
        )
    if not x.any():
        raise ValidationError("tensor is all zeros; there is nothing to factorize.")
    return np.ascontiguousarray(x)


def check_rank(rank: Any, shape: Sequence[int]) -> int:
    """Check a CP rank against the smallest tensor dimension longer than 1.

    A mode of length 1 (one animal) makes the problem a non-negative matrix
    factorization of the other two modes, so it does not bound the rank.
    """
    rank = int(check_scalar(rank, "rank", kind=numbers.Integral, min_val=1))
    limit = min((n for n in shape if n > 1), default=1)
    if rank > limit:
        raise ValidationError(
            f"rank={rank} is larger than the smallest tensor dimension ({limit}, "
            f"shape {tuple(shape)}); the factors would not be identifiable. Use "
            f"rank <= {limit}."
        )
    return rank


def _initial_factors(
    x: np.ndarray, rank: int, init: Any, random_state: Any
) -> list[np.ndarray]:
    from ..core import check_random_state

    if isinstance(init, str):
        check_option(init, "init", ["random"])
        rng = check_random_state(random_state)
        factors = [rng.random((n, rank)) for n in x.shape]
        model_norm = np.sqrt(np.prod([f.T @ f for f in factors], axis=0).sum())
        scale = (np.linalg.norm(x) / model_norm) ** (1.0 / 3.0)
        return [f * scale for f in factors]
    if not isinstance(init, (list, tuple)) or len(init) != 3:
        raise ValidationError(
            f"init must be 'random' or a list of 3 factor matrices, got {init!r:.60}."
        )
    factors = []
    for mode, (f, n) in enumerate(zip(init, x.shape)):
        f = check_array(f, f"init[{mode}]", ndim=2, shape=(n, rank), copy=True)
        if (f < 0).any():
            raise ValidationError(f"init[{mode}] holds negative values; use >= 0.")
        factors.append(f)
    return factors


class _Unfolded:
    """MTTKRPs of a C-contiguous 3-way tensor without unfolding copies.

    The pivot mode (first or last, whichever is longer) is the one whose
    matricization is a view; the other two modes' MTTKRPs come from one
    contraction of the tensor with the pivot factor, so each iteration costs
    two passes over the tensor and at most ``size * rank / shape[pivot]``
    extra floats.
    """

    def __init__(self, x: np.ndarray) -> None:
        self.shape = x.shape
        self.pivot = 0 if x.shape[0] >= x.shape[2] else 2
        i, j, k = x.shape
        self.mat = x.reshape(i, j * k) if self.pivot == 0 else x.reshape(i * j, k)
        self.partial: np.ndarray | None = None

    def mttkrp(self, factors: list[np.ndarray], mode: int) -> np.ndarray:
        a, b, c = factors
        i, j, k = self.shape
        rank = a.shape[1]
        if self.pivot == 0:
            if mode == 0:
                return self.mat @ (b[:, None, :] * c[None, :, :]).reshape(j * k, rank)
            if mode == 1:
                self.partial = (a.T @ self.mat).reshape(rank, j, k)
                return np.einsum("rjk,kr->jr", self.partial, c)
            return np.einsum("rjk,jr->kr", self.partial, b)
        if mode == 0:
            self.partial = (self.mat @ c).reshape(i, j, rank)
            return np.einsum("ijr,jr->ir", self.partial, b)
        if mode == 1:
            return np.einsum("ijr,ir->jr", self.partial, a)
        return self.mat.T @ (a[:, None, :] * b[None, :, :]).reshape(i * j, rank)


def _hals_update(u: np.ndarray, m: np.ndarray, g: np.ndarray, n_inner: int) -> None:
    """Column-wise HALS sweeps on ``min ‖X − U V‖`` in place (Gillis & Glineur 2012).

    A column that the sweeps set to zero is given a tiny positive value
    afterwards, so that no component dies for good.
    """
    diag = np.diag(g)
    for _ in range(n_inner):
        for r in np.flatnonzero(diag > 0):
            col = u[:, r] + (m[:, r] - u @ g[:, r]) / diag[r]
            np.maximum(col, 0.0, out=u[:, r])
    dead = ~u.any(axis=0)
    if dead.any():
        u[:, dead] = np.finfo(float).eps * max(u.max(), 1.0)


def _mu_update(u: np.ndarray, m: np.ndarray, g: np.ndarray) -> None:
    """Lee–Seung multiplicative update in place (tensorly's clipping)."""
    u *= np.maximum(m, MU_EPSILON) / np.maximum(u @ g, MU_EPSILON)


def _balance(factors: list[np.ndarray], *others: list[np.ndarray]) -> None:
    """Give every component the same norm in every mode (model unchanged).

    The same per-column rescaling is applied to the factor lists in
    ``others`` (the previous iterates of extrapolation), so that differences
    between them and ``factors`` stay in one scaling.
    """
    norms = np.stack([np.linalg.norm(f, axis=0) for f in factors])
    norms = np.where(norms > 0, norms, 1.0)
    geo = np.prod(norms, axis=0) ** (1.0 / len(factors))
    for mode, n in enumerate(norms):
        factors[mode] *= geo / n
        for other in others:
            other[mode] *= geo / n


def _normalized(factors: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    norms = np.stack([np.linalg.norm(f, axis=0) for f in factors])
    weights = np.prod(norms, axis=0)
    safe = np.where(norms > 0, norms, 1.0)
    unit = [f / n for f, n in zip(factors, safe)]
    order = np.argsort(-weights, kind="stable")
    return weights[order], [f[:, order] for f in unit]


#: Extrapolation schedule (after Ang & Gillis 2019, "HER"): initial weight,
#: its cut after a rejected step, its growth after an accepted one, and the
#: growth of its ceiling. The initial 0.25 (HER suggests 0.5) and the 5 inner
#: HALS sweeps were the fastest of the settings tried in benchmarks/ntf.py.
_BETA_INIT, _BETA_CUT, _BETA_GROW, _CEIL_GROW = 0.25, 1.5, 1.05, 1.01


def _numpy_cp(
    x: np.ndarray,
    factors: list[np.ndarray],
    method: str,
    n_iter_max: int,
    tol: float,
    n_inner: int,
    extrapolate: bool,
    verbose: bool,
) -> tuple[list[np.ndarray], list[float]]:
    from tqdm.auto import tqdm

    unfolded = _Unfolded(x)
    norm_sq = float(np.vdot(x, x))
    errors: list[float] = []
    # ``model`` holds the factors whose error is known; ``start`` the point
    # the next iteration starts from (``model`` pushed along the last step
    # when extrapolating); ``pure`` the plain block updates of the last
    # accepted iteration, which define the extrapolation direction.
    model = [f.copy() for f in factors]
    start = [f.copy() for f in factors]
    pure = [f.copy() for f in factors]
    beta, ceiling = (_BETA_INIT, 1.0) if extrapolate else (0.0, 0.0)
    for _ in tqdm(range(n_iter_max), desc="NTF", disable=not verbose):
        active = beta > 0
        work = [f.copy() for f in start]
        updated = []
        grams = [f.T @ f for f in work]
        for mode in range(3):
            others = [grams[o] for o in range(3) if o != mode]
            g = others[0] * others[1]
            m = unfolded.mttkrp(work, mode)
            new = work[mode]
            if method == "hals":
                _hals_update(new, m, g, n_inner)
            else:
                _mu_update(new, m, g)
            updated.append(new.copy())
            if active and mode < 2:
                np.maximum(new + beta * (new - pure[mode]), 0.0, out=new)
            grams[mode] = new.T @ new
        inner = float(np.sum(m * work[2]))
        model_sq = float(np.sum(grams[0] * grams[1] * grams[2]))
        error = np.sqrt(abs(norm_sq - 2 * inner + model_sq) / norm_sq)
        if errors and error > errors[-1] and active:
            # Rejected: keep the last model, extrapolate less from now on
            # (or stop, if the rise is below the tolerance).
            errors.append(errors[-1])
            if error - errors[-1] < tol:
                break
            ceiling, beta = beta, beta / _BETA_CUT
            start = [f.copy() for f in model]
            continue
        previous = errors[-1] if errors else np.inf
        errors.append(error)
        model = work
        if active:
            beta = min(ceiling, beta * _BETA_GROW)
            ceiling = min(1.0, ceiling * _CEIL_GROW)
            start = [f.copy() for f in model]
            np.maximum(updated[2] + beta * (updated[2] - pure[2]), 0.0, out=start[2])
        else:
            start = model
        pure = updated
        if method == "hals":
            _balance(model, *([start, pure] if start is not model else [pure]))
        if abs(previous - error) < tol:
            break
    return model, errors


def _tensorly_cp(
    x: np.ndarray,
    factors: list[np.ndarray],
    method: str,
    n_iter_max: int,
    tol: float,
    verbose: bool,
) -> tuple[list[np.ndarray], list[float]]:
    from tensorly.cp_tensor import CPTensor
    from tensorly.decomposition import non_negative_parafac, non_negative_parafac_hals

    solver = non_negative_parafac_hals if method == "hals" else non_negative_parafac
    cp, errors = solver(
        x,
        factors[0].shape[1],
        n_iter_max=n_iter_max,
        init=CPTensor((np.ones(factors[0].shape[1]), [f.copy() for f in factors])),
        tol=tol or np.finfo(float).tiny,
        verbose=verbose,
        return_errors=True,
    )
    weights, out = cp
    return [f * (weights if m == 0 else 1.0) for m, f in enumerate(out)], [
        float(e) for e in errors
    ]


def non_negative_cp(
    tensor: Any,
    rank: int,
    *,
    method: str = "hals",
    backend: str = "numpy",
    n_iter_max: int = 500,
    tol: float = 1e-8,
    init: str | Sequence[np.ndarray] = "random",
    n_inner: int = 5,
    extrapolate: bool = True,
    random_state: Any = None,
    verbose: bool = False,
) -> CPResult:
    """Non-negative CP decomposition of a 3-way tensor.

    Minimises ``‖X − Σ_r a_r ∘ b_r ∘ c_r‖_F`` over non-negative factors by
    block-coordinate descent, one mode at a time (modes 0, 1, 2):

    - ``method="hals"``: hierarchical ALS, ``n_inner`` column-wise sweeps per
      mode (Gillis & Glineur 2012), with the component norms rebalanced
      across modes after each iteration;
    - ``method="mu"``: Lee–Seung multiplicative updates with tensorly's
      clipping at 1e-12, so that from the same ``init`` the numpy and
      tensorly backends follow the same iterates.

    The numpy backend never unfolds the tensor: the mode of the first/last
    axis (the longer) is a reshape view, and the two other MTTKRPs share one
    contraction of the tensor with that mode's factor. Peak extra memory is
    ``size * rank / max(shape[0], shape[2])`` floats, and each iteration makes
    two passes over the data (tensorly: three unfoldings and three passes).
    The error of each iteration comes from the Gram matrices, not from a
    rebuilt tensor.

    With ``extrapolate=True`` (numpy backend, HALS) each block update starts from
    the other modes pushed along their last step, ``max(F + β (F − F_prev),
    0)``, with the "heuristic extrapolation with restarts" schedule of Ang &
    Gillis (2019): ``β`` starts at 0.25, grows by 5 % after each iteration
    that lowers the error (up to a ceiling that grows by 1 % up to 1), and
    an iteration that raises the error is undone and divides ``β`` by 1.5
    (the ceiling becoming the ``β`` that failed), or ends the fit if the
    rise is below ``tol``. The error trace is
    therefore non-increasing. In ``benchmarks/ntf.py`` it reached the error
    of 200 (50) tensorly HALS iterations in 116 (30) iterations on a 50 × 50
    × 200 rank-10 (20000 × 200 × 5 rank-5) noisy tensor, where plain HALS
    needed 200 (50); with multiplicative updates it did not help, so MU
    never extrapolates.

    Parameters
    ----------
    tensor : array-like, shape (I, J, K)
        Non-negative, finite, not all zero.
    rank : int
        Number of components, at most ``min(I, J, K)``.
    method : {"hals", "mu"}
        Update rule.
    backend : {"numpy", "tensorly"}
        Our path or tensorly's ``non_negative_parafac(_hals)`` (which uses
        5 inner HALS sweeps per mode; ``n_inner`` then has no effect).
    n_iter_max : int
        Maximum outer iterations.
    tol : float
        Stop when the relative error changes by less than ``tol``.
    init : "random" or list of 3 arrays
        Random uniform factors scaled to the tensor's norm, or given factors.
    n_inner : int
        HALS sweeps per mode (numpy backend).
    extrapolate : bool
        Extrapolate between HALS iterations (numpy backend; see above).
        ``False`` gives plain block-coordinate descent.
    random_state : None, int or numpy Generator
        Seed of the random initialisation.
    verbose : bool
        Show a progress bar (numpy backend) or tensorly's messages.

    Returns
    -------
    CPResult
        Unit-norm factors, weights sorted in decreasing order, errors.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> true = [rng.random((n, 2)) for n in (8, 6, 5)]
    >>> x = cp_to_tensor(np.ones(2), true)
    >>> fit = non_negative_cp(x, 2, random_state=0)
    >>> fit.error < 1e-3
    True
    """
    x = _check_tensor(tensor)
    rank = check_rank(rank, x.shape)
    check_option(method, "method", NTF_METHODS)
    check_option(backend, "backend", NTF_BACKENDS)
    n_iter_max = check_scalar(
        n_iter_max, "n_iter_max", kind=numbers.Integral, min_val=1
    )
    n_inner = check_scalar(n_inner, "n_inner", kind=numbers.Integral, min_val=1)
    check_scalar(tol, "tol", min_val=0.0)
    if not isinstance(extrapolate, (bool, np.bool_)):
        raise ValidationError(
            f"extrapolate must be True or False, got {extrapolate!r:.60}."
        )
    check_option(verbose, "verbose", [True, False])
    factors = _initial_factors(x, rank, init, random_state)
    if backend == "numpy":
        factors, errors = _numpy_cp(
            x,
            factors,
            method,
            int(n_iter_max),
            float(tol),
            int(n_inner),
            bool(extrapolate) and method == "hals",
            verbose,
        )
    else:
        factors, errors = _tensorly_cp(
            x, factors, method, int(n_iter_max), float(tol), verbose
        )
    weights, unit = _normalized(factors)
    return CPResult(weights, unit, np.asarray(errors), len(errors))
