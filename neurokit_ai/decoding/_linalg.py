"""Small symmetric positive-definite (SPD) matrix kernels for the decoders' hot path.

The filters only ever invert ``n_states × n_states`` SPD matrices at run time.
:class:`SPDInverter` does it in place with LAPACK's Cholesky routines
(``potrf`` then ``potri``) on preallocated buffers, so a step allocates no
array, the result is exactly symmetric, and a matrix that is not positive
definite is caught by the factorisation itself and reported by name and step.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import lapack

from ..core import NeurokitError

__all__ = ["NotPositiveDefiniteError", "SPDInverter", "regularized"]


class NotPositiveDefiniteError(NeurokitError, np.linalg.LinAlgError):
    """A covariance or information matrix lost positive definiteness.

    Attributes
    ----------
    matrix : str
        Which matrix failed (for instance ``"predicted covariance A·P·Aᵀ + W"``).
    step : int or None
        The filter step (0-based, counted from the last ``reset``) where it
        failed; ``None`` at fit time.

    Examples
    --------
    >>> err = NotPositiveDefiniteError("W", None, "States are constant.")
    >>> err.matrix
    'W'
    """

    def __init__(self, matrix: str, step: int | None, hint: str) -> None:
        self.matrix = matrix
        self.step = step
        where = "at fit time" if step is None else f"at step {step}"
        super().__init__(
            f"The matrix {matrix} is not positive definite {where}. {hint}"
        )


def regularized(cov: np.ndarray, ridge: float, name: str) -> np.ndarray:
    """Return ``cov + ridge · mean(diag(cov)) · I``, symmetrised.

    Raises :class:`NotPositiveDefiniteError` when the result is still not
    positive definite (for instance a zero matrix, or ``ridge=0`` with a
    singular estimate).

    Examples
    --------
    >>> regularized(np.eye(2), 0.5, "W")
    array([[1.5, 0. ],
           [0. , 1.5]])
    """
    cov = 0.5 * (cov + cov.T)
    scale = float(np.mean(np.diag(cov)))
    out = cov + ridge * max(scale, 0.0) * np.eye(cov.shape[0])
    _, info = lapack.dpotrf(out, lower=1, clean=1)
    if info != 0:
        raise NotPositiveDefiniteError(
            name,
            None,
            f"Its mean diagonal is {scale:.3g} and the ridge {ridge:g}. The training "
            "data do not vary enough (constant or collinear columns, or fewer "
            "samples than dimensions): drop constant columns or raise `ridge`.",
        )
    return out


class SPDInverter:
    """In-place inverse of a small SPD matrix with preallocated buffers.

    Parameters
    ----------
    n : int
        Matrix size.

    Examples
    --------
    >>> inv = SPDInverter(2)
    >>> out = np.empty((2, 2))
    >>> inv.invert(np.array([[2.0, 1.0], [1.0, 2.0]]), out, "M", 0)
    >>> bool(np.allclose(out @ [[2.0, 1.0], [1.0, 2.0]], np.eye(2)))
    True
    """

    def __init__(self, n: int) -> None:
        self._buf = np.empty((n, n))
        # The C-ordered buffer seen transposed is Fortran-contiguous, so LAPACK
        # works on it in place; its "lower" triangle is the buffer's upper one.
        self._buf_f = self._buf.T
        self._lower = np.tril(np.ones((n, n), dtype=bool), -1)

    def factor(self, a: np.ndarray) -> bool:
        """Cholesky-factorise a copy of ``a``; return whether it is SPD."""
        np.copyto(self._buf, a)
        _, info = lapack.dpotrf(self._buf_f, lower=1, overwrite_a=1, clean=0)
        return info == 0

    def invert(self, a: np.ndarray, out: np.ndarray, name: str, step: int) -> None:
        """Write ``inv(a)`` into ``out``; raise if ``a`` is not SPD.

        ``a`` and ``out`` may be the same array.
        """
        if not self.factor(a):
            raise NotPositiveDefiniteError(
                name,
                step,
                "The filter diverged or was fed inconsistent parameters; check "
                "the fitted covariances for huge or tiny scales and refit with a "
                "larger `ridge`.",
            )
        _, info = lapack.dpotri(self._buf_f, lower=1, overwrite_c=1)
        if info != 0:
            raise NotPositiveDefiniteError(
                name, step, "Its Cholesky factor is singular; raise `ridge`."
            )
        np.copyto(out, self._buf)
        np.copyto(out, self._buf.T, where=self._lower)
