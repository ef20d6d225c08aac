"""The scikit-learn-style NTF estimator (a thin wrapper of :func:`non_negative_cp`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ValidationError, check_array
from ..core._base import NeurokitTransformer, check_is_fitted
from ._ntf import _check_tensor, non_negative_cp

__all__ = ["NonNegativeCP"]


class NonNegativeCP(NeurokitTransformer):
    """Non-negative CP decomposition of pairs × windows × animals tensors.

    ``fit`` learns the three factors; ``transform`` gives the time-window
    loadings of a *new* tensor (same pairs and animals, any windows) with the
    pair and animal factors held fixed, by exact non-negative least squares.

    Parameters
    ----------
    rank : int
        Number of components.
    method : {"hals", "mu"}
        Update rule.
    backend : {"numpy", "tensorly"}
        Our solver or tensorly's.
    n_iter_max : int
        Maximum iterations.
    tol : float
        Convergence tolerance on the relative error.
    init : "random" or list of arrays
        Initialisation.
    n_inner : int
        HALS sweeps per mode (numpy backend).
    extrapolate : bool
        Extrapolate between iterations (numpy backend).
    random_state : None, int or numpy Generator
        Seed.
    verbose : bool
        Progress bar.

    Attributes
    ----------
    weights_ : ndarray, shape (rank,)
    factors_ : list of ndarray
        Unit-norm ``(n_pairs, rank)``, ``(n_windows, rank)``, ``(n_animals, rank)``.
    errors_ : ndarray
        Relative error per iteration.
    n_iter_ : int

    Examples
    --------
    >>> from neurokit_ai.connectome import cp_to_tensor
    >>> rng = np.random.default_rng(0)
    >>> x = cp_to_tensor(np.ones(2), [rng.random((n, 2)) for n in (10, 8, 3)])
    >>> model = NonNegativeCP(rank=2, random_state=0).fit(x)
    >>> model.transform(x).shape
    (8, 2)
    """

    def __init__(
        self,
        rank: int = 2,
        *,
        method: str = "hals",
        backend: str = "numpy",
        n_iter_max: int = 500,
        tol: float = 1e-8,
        init: Any = "random",
        n_inner: int = 5,
        extrapolate: bool = True,
        random_state: Any = None,
        verbose: bool = False,
    ) -> None:
        self.rank = rank
        self.method = method
        self.backend = backend
        self.n_iter_max = n_iter_max
        self.tol = tol
        self.init = init
        self.n_inner = n_inner
        self.extrapolate = extrapolate
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X: Any, y: Any = None) -> NonNegativeCP:
        """Fit the factors of the 3-way tensor ``X``."""
        result = non_negative_cp(
            X,
            self.rank,
            method=self.method,
            backend=self.backend,
            n_iter_max=self.n_iter_max,
            tol=self.tol,
            init=self.init,
            n_inner=self.n_inner,
            extrapolate=self.extrapolate,
            random_state=self.random_state,
            verbose=self.verbose,
        )
        self.weights_ = result.weights
        self.factors_ = result.factors
        self.errors_ = result.errors
        self.n_iter_ = result.n_iter
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Window loadings of ``X`` with the pair and animal factors fixed.

        Each window's row solves ``min_{t >= 0} ‖X[:, j, :] − Σ_r t_r w_r a_r c_rᵀ‖``
        exactly (scipy's NNLS on the Cholesky factor of the Gram matrix).

        Parameters
        ----------
        X : array-like, shape (n_pairs, n_windows, n_animals)
            Non-negative tensor with the fitted pairs and animals.

        Returns
        -------
        ndarray, shape (X.shape[1], rank)
        """
        from scipy.linalg import solve_triangular
        from scipy.optimize import nnls

        check_is_fitted(self, "factors_")
        x = _check_tensor(X)
        a, _, c = self.factors_
        expected = (a.shape[0], None, c.shape[0])
        if x.shape[0] != a.shape[0] or x.shape[2] != c.shape[0]:
            raise ValidationError(
                f"X has shape {x.shape} but the model was fitted on "
                f"({expected[0]}, any, {expected[2]}) tensors (same pairs and "
                "animals); build X with the same neurons and animals."
            )
        aw = a * self.weights_
        gram = (aw.T @ aw) * (c.T @ c)
        gram += 1e-12 * np.trace(gram) * np.eye(gram.shape[0])
        chol = np.linalg.cholesky(gram)
        mttkrp = np.einsum("ijk,ir,kr->jr", x, aw, c, optimize=True)
        rhs = solve_triangular(chol, mttkrp.T, lower=True)
        check_array(rhs, "projected X")
        return np.stack([nnls(chol.T, col)[0] for col in rhs.T])
