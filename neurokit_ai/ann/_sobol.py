"""Variance-based (Sobol) sensitivity indices from a Saltelli design.

The design stacks a base matrix ``A``, a second matrix ``B`` and, for each
input ``i``, ``C(i)``: ``A`` with column ``i`` taken from ``B`` (``N (d + 2)``
rows in all, the layout CRAFT uses; papers.md section 10). From the model
outputs on these rows,

- total order (Jansen 1999): ``S_T,i = sum_k (f(A)_k - f(C(i))_k)^2 / (2 N V)``,
- first order (Saltelli 2010): ``S_i = mean_k f(B)_k (f(C(i))_k - f(A)_k) / V``,

with ``V`` the variance of ``f`` over the rows of ``A`` and ``B``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._validation import check_array, check_scalar

__all__ = ["SobolIndices", "sobol_design", "sobol_from_outputs", "sobol_indices"]


@dataclass
class SobolIndices:
    """First-order and total-order Sobol indices, one per input dimension."""

    first_order: np.ndarray
    total_order: np.ndarray


def sobol_design(
    n_dims: int, n_design: int = 32, *, random_state: int | None = None
) -> np.ndarray:
    """Quasi-Monte-Carlo Saltelli design in ``[0, 1]^n_dims``.

    Parameters
    ----------
    n_dims : int
        Number of inputs ``d``.
    n_design : int
        Base sample size ``N`` (a power of two keeps the Sobol sequence balanced).
    random_state : int, optional
        Seed of the scrambled Sobol sequence.

    Returns
    -------
    numpy.ndarray, shape (n_design * (n_dims + 2), n_dims)
        Rows of ``A``, then ``B``, then ``C(0)``, ..., ``C(d-1)``.

    Examples
    --------
    >>> design = sobol_design(3, 8, random_state=0)
    >>> design.shape
    (40, 3)
    >>> bool((design[16:24, 1:] == design[:8, 1:]).all())
    True
    """
    from scipy.stats import qmc

    check_scalar(n_dims, "n_dims", kind=int, min_val=1)
    check_scalar(n_design, "n_design", kind=int, min_val=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        base = qmc.Sobol(2 * n_dims, scramble=True, seed=random_state).random(n_design)
    a, b = base[:, :n_dims], base[:, n_dims:]
    blocks = [a, b]
    for i in range(n_dims):
        c = a.copy()
        c[:, i] = b[:, i]
        blocks.append(c)
    return np.concatenate(blocks)


def sobol_from_outputs(outputs: Any, n_dims: int) -> SobolIndices:
    """Sobol indices from the outputs of a model on a :func:`sobol_design`.

    Parameters
    ----------
    outputs : array-like, shape (n_design * (n_dims + 2),)
        Model output on each design row, in the design's order.
    n_dims : int
        Number of inputs.

    Returns
    -------
    SobolIndices
        Zeros when the output does not vary.

    Examples
    --------
    >>> design = sobol_design(2, 256, random_state=0)
    >>> y = 3 * design[:, 0] + design[:, 1]
    >>> np.round(sobol_from_outputs(y, 2).total_order, 1)
    array([0.9, 0.1])
    """
    check_scalar(n_dims, "n_dims", kind=int, min_val=1)
    y = check_array(outputs, "outputs", ndim=1)
    if y.size % (n_dims + 2):
        raise ValidationError(
            f"outputs has {y.size} values, not a multiple of n_dims + 2 = "
            f"{n_dims + 2}; pass one output per row of sobol_design(n_dims, ...)."
        )
    n = y.size // (n_dims + 2)
    f_a, f_b = y[:n], y[n : 2 * n]
    f_c = y[2 * n :].reshape(n_dims, n)
    var = np.var(np.concatenate([f_a, f_b]), ddof=1)
    if var <= 1e-12 * max(1.0, float(np.mean(y**2))):
        zeros = np.zeros(n_dims)
        return SobolIndices(zeros, zeros.copy())
    total = ((f_a[None] - f_c) ** 2).sum(1) / (2 * n * var)
    first = (f_b[None] * (f_c - f_a[None])).mean(1) / var
    return SobolIndices(first, total)


def sobol_indices(
    fn: Callable[[np.ndarray], Any],
    n_dims: int,
    *,
    n_design: int = 1024,
    random_state: int | None = None,
) -> SobolIndices:
    """Sobol indices of ``fn`` for independent inputs uniform on ``[0, 1]``.

    Parameters
    ----------
    fn : callable
        Maps a design ``(n_rows, n_dims)`` to one output per row.
    n_dims : int
        Number of inputs.
    n_design : int
        Base sample size; ``fn`` is evaluated on ``n_design * (n_dims + 2)`` rows.
    random_state : int, optional
        Seed of the design.

    Examples
    --------
    >>> res = sobol_indices(lambda x: x[:, 0] + 0 * x[:, 1], 2, random_state=0)
    >>> np.round(res.total_order, 3)
    array([1., 0.])
    """
    if not callable(fn):
        raise ValidationError(
            f"fn must be a callable design -> outputs, got {type(fn).__name__}."
        )
    design = sobol_design(n_dims, n_design, random_state=random_state)
    outputs = np.asarray(fn(design), dtype=float).reshape(-1)
    if outputs.size != design.shape[0]:
        raise ValidationError(
            f"fn returned {outputs.size} values for {design.shape[0]} design rows; "
            "it must return one output per row."
        )
    return sobol_from_outputs(outputs, n_dims)
