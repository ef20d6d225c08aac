"""Semi-non-negative matrix factorisation (SNMF) of activations.

``X ≈ codes @ components``: ``components`` (features, mixed sign, each a sparse
combination of units) and ``codes`` (non-negative, how strongly each input
expresses each feature). Shafran, Geiger & Geva 2025 (papers.md section 9)
factor MLP activations this way with the semi-NMF updates of Ding, Li & Jordan
(2010) plus a winner-take-all sparsification of the features.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ..core import ValidationError, check_array
from ..core._base import NeurokitTransformer, check_is_fitted
from ..core._validation import check_option, check_random_state, check_scalar
from ._activations import as_activation_matrix

__all__ = ["SNMF", "SNMFResult", "semi_nmf", "top_activating_inputs"]

_EPS = 1e-12
INITS = ("kmeans", "svd", "random")


class SNMFResult(NamedTuple):
    """Output of :func:`semi_nmf`.

    Attributes
    ----------
    components : ndarray, shape (n_components, n_units)
        Features, unit ℓ2 norm rows, mixed sign.
    codes : ndarray, shape (n_samples, n_components)
        Non-negative codes (they carry the scale).
    losses : ndarray, shape (n_iter + 1,)
        ``‖X − codes @ components‖²_F`` at the start and after each iteration.
    n_iter : int
        Iterations run.
    """

    components: np.ndarray
    codes: np.ndarray
    losses: np.ndarray
    n_iter: int


def _loss(xx: float, x: np.ndarray, f: np.ndarray, g: np.ndarray) -> float:
    """``‖X − G Fᵀ‖²`` without forming the residual (X is n × d, F d × k)."""
    cross = float(np.einsum("nk,nk->", x @ f, g))
    quad = float(np.einsum("kl,kl->", f.T @ f, g.T @ g))
    return max(xx - 2.0 * cross + quad, 0.0)


def _init_codes(x: np.ndarray, k: int, init: str, rng: np.random.Generator) -> Any:
    n = x.shape[0]
    if init == "random":
        return rng.random((n, k)) + 0.1
    if init == "svd":
        u, s, _ = np.linalg.svd(x, full_matrices=False)
        g = np.abs(u[:, :k] * s[:k])
        if g.shape[1] < k:
            g = np.hstack([g, rng.random((n, k - g.shape[1]))])
        return g + 0.2 * g.mean()
    from sklearn.cluster import KMeans

    seed = int(rng.integers(2**31 - 1))
    labels = KMeans(k, n_init=4, random_state=seed).fit_predict(x)
    return np.eye(k)[labels] + 0.2


def _wta(f: np.ndarray, keep: int) -> np.ndarray:
    """Keep the ``keep`` largest-|value| entries of each column of ``f``."""
    if keep >= f.shape[0]:
        return f
    cut = np.argpartition(-np.abs(f), keep - 1, axis=0)[:keep]
    out = np.zeros_like(f)
    cols = np.arange(f.shape[1])
    out[cut, cols] = f[cut, cols]
    return out


def _refit_on_support(xg: np.ndarray, gram: np.ndarray, support: np.ndarray) -> Any:
    """Least-squares features restricted to ``support`` (one solve per unit).

    Row ``i`` solves ``gram[m, m] f_m = xg[i, m]`` with ``m = support[i]``.
    """
    mask = support.astype(float)
    k = gram.shape[0]
    lhs = mask[:, :, None] * gram[None] * mask[:, None, :]
    lhs += (1.0 - mask)[:, :, None] * np.eye(k)[None]
    return np.linalg.solve(lhs, (xg * mask)[..., None])[..., 0]


def _update_features(
    x: np.ndarray, g: np.ndarray, f_old: np.ndarray | None, keep: int | None, xx: float
) -> np.ndarray:
    """Least squares for F (Ding et al. step 1), sparsified to ``keep`` per column.

    With sparsity the winner-take-all support is refitted by least squares and
    compared with the previous support refitted the same way. The better of the
    new and the previous features is kept, so the loss never increases.
    """
    k = g.shape[1]
    gram = g.T @ g + 1e-9 * (np.trace(g.T @ g) / k + _EPS) * np.eye(k)
    xg = x.T @ g
    f_ls = np.linalg.solve(gram, xg.T).T
    if keep is None:
        new, old = f_ls, f_old
    else:
        new = _refit_on_support(xg, gram, _wta(f_ls, keep) != 0)
        old = None if f_old is None else _refit_on_support(xg, gram, f_old != 0)
    if old is None:
        return new
    return new if _loss(xx, x, new, g) <= _loss(xx, x, old, g) else old


def _update_codes(x: np.ndarray, f: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Multiplicative semi-NMF update of G (Ding et al. 2010, eq. 12)."""
    xf = x @ f
    ff = f.T @ f
    pos = (np.abs(xf) + xf) / 2 + g @ ((np.abs(ff) - ff) / 2)
    neg = (np.abs(xf) - xf) / 2 + g @ ((np.abs(ff) + ff) / 2)
    return g * np.sqrt(pos / (neg + _EPS))


def semi_nmf(
    X: Any,
    n_components: int,
    *,
    sparsity: float | None = None,
    init: str = "kmeans",
    max_iter: int = 500,
    tol: float = 1e-7,
    random_state: Any = None,
    verbose: bool = False,
) -> SNMFResult:
    """Factor ``X ≈ codes @ components`` with non-negative codes.

    Alternates the closed-form least-squares update of the features with the
    multiplicative update of the codes (Ding, Li & Jordan 2010; papers.md
    section 9). Both steps never increase ``‖X − codes @ components‖²``.

    Parameters
    ----------
    X : array-like or Responses, shape (n_samples, n_units)
        Activations (any sign); rows are inputs (tokens, stimuli, trials).
    n_components : int
        Number of features.
    sparsity : float in (0, 1], optional
        Fraction of units each feature keeps (hard winner-take-all on
        ``|value|`` after each feature update, the paper's default is 0.01);
        the kept entries are refitted by least squares. None keeps every unit.
    init : {"kmeans", "svd", "random"}
        Codes at the start: k-means cluster indicators + 0.2 (Ding et al.),
        absolute leading singular vectors, or uniform noise.
    max_iter : int
        Maximum iterations.
    tol : float
        Stop when the relative loss decrease of an iteration is below this.
    random_state : None, int or numpy Generator
        Seed for the initialisation.
    verbose : bool
        Show a progress bar.

    Returns
    -------
    SNMFResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((40, 2)) @ rng.standard_normal((2, 6))
    >>> res = semi_nmf(X, 2, init="svd", random_state=0)
    >>> bool(res.codes.min() >= 0), bool(res.losses[-1] < 1e-6 * res.losses[0])
    (True, True)
    """
    from tqdm.auto import tqdm

    x, _ = as_activation_matrix(X, "X")
    check_scalar(n_components, "n_components", kind=int, min_val=1)
    if n_components > min(x.shape):
        raise ValidationError(
            f"n_components={n_components} exceeds min(n_samples, n_units)="
            f"{min(x.shape)} of X with shape {x.shape}; use fewer components."
        )
    keep = None
    if sparsity is not None:
        check_scalar(sparsity, "sparsity", min_val=0.0, max_val=1.0, include_min=False)
        keep = max(1, math.ceil(sparsity * x.shape[1]))
    check_option(init, "init", INITS)
    check_scalar(max_iter, "max_iter", kind=int, min_val=1)
    check_scalar(tol, "tol", min_val=0.0)
    check_option(verbose, "verbose", [True, False])
    rng = check_random_state(random_state)
    xx = float(np.sum(x * x))
    if xx == 0.0:
        raise ValidationError(
            f"X (shape {x.shape}) is all zeros, so it has no features to find; "
            "check the layer (dead units?) or the inputs."
        )
    g = _init_codes(x, n_components, init, rng)
    f = _update_features(x, g, None, keep, xx)
    losses = [_loss(xx, x, f, g)]
    for _ in tqdm(range(max_iter), disable=not verbose, desc="SNMF"):
        f = _update_features(x, g, f, keep, xx)
        norms = np.linalg.norm(g, axis=0)
        norms[norms == 0] = 1.0
        g, f = g / norms, f * norms
        g = _update_codes(x, f, g)
        losses.append(_loss(xx, x, f, g))
        if losses[-2] - losses[-1] <= tol * max(losses[-2], _EPS):
            break
    norms = np.linalg.norm(f, axis=0)
    norms[norms == 0] = 1.0
    return SNMFResult((f / norms).T, g * norms, np.asarray(losses), len(losses) - 1)


def top_activating_inputs(
    codes: Any, n_top: int = 5, labels: Any = None
) -> list[list[tuple[Any, float]]]:
    """The inputs that express each feature most: ``(label, code)`` per feature.

    Parameters
    ----------
    codes : array-like, shape (n_samples, n_components)
        Non-negative codes (``SNMF.transform`` output).
    n_top : int
        Inputs listed per feature.
    labels : sequence, optional
        One label per sample (condition names, tokens); row indices by default.

    Examples
    --------
    >>> top_activating_inputs(np.array([[0.0, 2.0], [1.0, 0.5]]), 1, ["a", "b"])
    [[('b', 1.0)], [('a', 2.0)]]
    """
    c = check_array(codes, "codes", ndim=2)
    check_scalar(n_top, "n_top", kind=int, min_val=1)
    if labels is None:
        labels = np.arange(c.shape[0])
    labels = list(labels)
    if len(labels) != c.shape[0]:
        raise ValidationError(
            f"labels has {len(labels)} entries for {c.shape[0]} rows of codes; "
            "give one label per input."
        )
    order = np.argsort(-c, axis=0, kind="stable")[: min(n_top, c.shape[0])]
    return [
        [(labels[i], float(c[i, j])) for i in order[:, j]] for j in range(c.shape[1])
    ]


class SNMF(NeurokitTransformer):
    """Semi-NMF features of activations (network layers or brain responses).

    A thin wrapper of :func:`semi_nmf`. ``transform`` gives the non-negative
    codes of new inputs with the features fixed (exact non-negative least
    squares per input).

    Parameters
    ----------
    n_components : int
        Number of features.
    sparsity : float in (0, 1], optional
        Fraction of units each feature keeps (winner-take-all); None: dense.
    init : {"kmeans", "svd", "random"}
        Initialisation of the codes.
    max_iter : int
        Maximum iterations.
    tol : float
        Relative loss decrease below which fitting stops.
    random_state : None, int or numpy Generator
        Seed.
    verbose : bool
        Progress bar.

    Attributes
    ----------
    components_ : ndarray, shape (n_components, n_units)
        Unit-norm features (mixed sign); ``components_[i]`` is a steering
        direction in the factorised layer.
    codes_ : ndarray, shape (n_samples, n_components)
        Codes of the training inputs (exact NNLS with the final features,
        as :meth:`transform` gives them).
    labels_ : ndarray, shape (n_samples,)
        Labels of the training inputs (Responses conditions or row indices).
    loss_curve_ : ndarray
        Loss at the start and after each iteration (non-increasing).
    reconstruction_err_ : float
        Final ``‖X − codes_ @ components_‖_F``.
    n_iter_ : int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((50, 3)) @ rng.standard_normal((3, 8))
    >>> snmf = SNMF(3, random_state=0).fit(X)
    >>> snmf.components_.shape, bool((snmf.transform(X) >= 0).all())
    ((3, 8), True)
    """

    def __init__(
        self,
        n_components: int = 10,
        *,
        sparsity: float | None = None,
        init: str = "kmeans",
        max_iter: int = 500,
        tol: float = 1e-7,
        random_state: Any = None,
        verbose: bool = False,
    ) -> None:
        self.n_components = n_components
        self.sparsity = sparsity
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X: Any, y: Any = None) -> SNMF:
        """Learn the features of ``X`` (array, tensor or Responses)."""
        _, labels = as_activation_matrix(X, "X")
        result = semi_nmf(
            X,
            self.n_components,
            sparsity=self.sparsity,
            init=self.init,
            max_iter=self.max_iter,
            tol=self.tol,
            random_state=self.random_state,
            verbose=self.verbose,
        )
        self.components_ = result.components
        self.n_features_in_ = result.components.shape[1]
        self.labels_ = labels
        self.loss_curve_ = result.losses
        self.n_iter_ = result.n_iter
        # final exact NNLS codes with the features fixed: never a worse fit
        # than the last multiplicative update, and what transform(X) returns
        self.codes_ = self.transform(X)
        x, _ = as_activation_matrix(X, "X")
        self.reconstruction_err_ = float(
            np.linalg.norm(x - self.codes_ @ self.components_)
        )
        return self

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        """Fit, then return the training codes ``codes_``."""
        return self.fit(X).codes_

    def transform(self, X: Any) -> np.ndarray:
        """Non-negative codes of ``X`` with the features fixed (NNLS per row).

        Returns
        -------
        ndarray, shape (n_samples, n_components)
        """
        from scipy.linalg import solve_triangular
        from scipy.optimize import nnls

        check_is_fitted(self, "components_")
        x, _ = as_activation_matrix(X, "X")
        if x.shape[1] != self.n_features_in_:
            raise ValidationError(
                f"X has {x.shape[1]} features, but SNMF is expecting "
                f"{self.n_features_in_} features as input (the units it was "
                "fitted on); pass activations of the same layer/units."
            )
        comp = self.components_
        gram = comp @ comp.T
        gram += 1e-12 * np.trace(gram) * np.eye(gram.shape[0])
        chol = np.linalg.cholesky(gram)
        rhs = solve_triangular(chol, comp @ x.T, lower=True)
        return np.stack([nnls(chol.T, col)[0] for col in rhs.T])

    def inverse_transform(self, codes: Any) -> np.ndarray:
        """Activations ``codes @ components_`` reconstructed from codes."""
        check_is_fitted(self, "components_")
        c = check_array(codes, "codes", ndim=2, shape=(None, self.n_components))
        return c @ self.components_

    def top_inputs(
        self, n_top: int = 5, X: Any = None
    ) -> list[list[tuple[Any, float]]]:
        """Inputs expressing each feature most (training inputs, or ``X``).

        Labels are Responses conditions (or row indices for arrays).

        Examples
        --------
        >>> from neurokit_ai.core import Responses
        >>> r = Responses(np.array([[1.0, 0.0], [0.0, 1.0]]), conditions=["x", "y"])
        >>> SNMF(2, init="svd", random_state=0).fit(r).top_inputs(1)[0][0][0] in "xy"
        True
        """
        check_is_fitted(self, "components_")
        if X is None:
            return top_activating_inputs(self.codes_, n_top, self.labels_)
        _, labels = as_activation_matrix(X, "X")
        return top_activating_inputs(self.transform(X), n_top, labels)
