"""Representational dissimilarity matrices from Responses, vectorised and chunked.

Conventions (those of rsatoolbox, so that results agree with it):

* ``"euclidean"`` is the *squared* Euclidean distance divided by the number of
  units; ``"mahalanobis"`` and ``"crossnobis"`` likewise (squared, per unit).
  Pass ``normalize=False`` for the plain squared distance and ``squared=False``
  for its square root (not for crossnobis, which can be negative).
* ``"correlation"`` is ``1 - r`` and ``"cosine"`` is ``1 - cos``.
* ``"poisson"`` is the symmetrised KL divergence of Poisson rates per unit, with
  rates shrunk towards ``prior_lambda`` by ``prior_weight``.
* Repeated rows of a condition are averaged; crossnobis uses them per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..core import Responses, ValidationError
from ..core._validation import check_option, check_scalar, check_type
from ._rdms import RDMs

__all__ = ["compute_rdm", "noise_precision", "RDM_METHODS"]

RDM_METHODS = (
    "euclidean",
    "correlation",
    "cosine",
    "mahalanobis",
    "crossnobis",
    "poisson",
)
_BLOCK_BYTES = 64 * 2**20


def _condensed_blocks(n: int, width: int) -> Iterator[tuple[int, int]]:
    """Row blocks: at most ``_BLOCK_BYTES`` of kernel each, about 8 per matrix."""
    by_memory = _BLOCK_BYTES // (8 * max(width, n))
    rows = max(1, min(by_memory, max(64, -(-n // 8))))
    for start in range(0, n, rows):
        yield start, min(n, start + rows)


def _from_gram(gram: np.ndarray, scale: float) -> np.ndarray:
    """Condensed ``scale * (g_ii + g_jj - 2 g_ij)`` of a symmetric ``gram``.

    ``gram`` is overwritten.
    """
    from scipy.spatial.distance import squareform

    diag = np.diagonal(gram).copy()
    gram *= -2.0
    gram += diag[:, None]
    gram += diag[None, :]
    out = squareform(gram, checks=False, force="tovector")
    out *= scale
    return out


def _pairwise_from_kernel(
    left: np.ndarray,
    right: np.ndarray,
    scale: float,
    *,
    symmetric: bool,
) -> np.ndarray:
    """Condensed ``scale * (k_ii + k_jj - k_ij - k_ji)`` with ``K = left @ right.T``.

    Up to ``_BLOCK_BYTES`` of kernel, ``K`` is one matrix product (a symmetric
    rank-k update when ``left is right``) and the condensed vector is copied out
    of it in compiled code. Larger kernels are computed in row blocks, each only
    against the columns at and right of its first row, so that about half of
    ``K`` is computed and only a block of it is ever held.
    """
    n = left.shape[0]
    if 8 * n * n <= _BLOCK_BYTES:
        k = left @ right.T
        if not symmetric:
            k += k.T
            k *= 0.5
        return _from_gram(k, scale)
    diag = np.einsum("ij,ij->i", left, right)
    out = np.empty(n * (n - 1) // 2)
    for start, stop in _condensed_blocks(n, left.shape[1]):
        k = left[start:stop] @ right[start:].T
        if symmetric:
            k *= 2.0
        else:
            k += right[start:stop] @ left[start:].T
        for row in range(start, stop):
            i = row - start
            pos = row * n - row * (row + 1) // 2
            seg = out[pos : pos + n - row - 1]
            np.subtract(diag[row] + diag[row + 1 :], k[i, row + 1 - start :], out=seg)
    out *= scale
    return out


def _averaged(responses: Responses) -> tuple[np.ndarray, list[Any]]:
    avg = responses if responses.is_averaged else responses.average()
    return avg.data, list(avg.conditions.tolist())


def _rows(data: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``data[rows]``, as a strided view (no copy) when ``rows`` is evenly spaced."""
    step = int(rows[1] - rows[0]) if rows.size > 1 else 1
    if step > 0 and np.array_equal(rows, rows[0] + step * np.arange(rows.size)):
        return data[rows[0] : rows[-1] + 1 : step]
    return data[rows]


def run_condition_means(
    responses: Responses,
) -> tuple[list[np.ndarray], np.ndarray, list[Any]]:
    """Per-run condition means, for the cross-validated (crossnobis) estimators.

    Returns
    -------
    means : list of numpy.ndarray
        One ``(n_conditions, n_units)`` array per run (sorted run labels); with a
        single observation per run and condition these are views of the data.
    counts : numpy.ndarray, shape (n_runs, n_conditions)
        Observations averaged in each mean.
    names : list
        The conditions, in order of first appearance.
    """
    if responses.runs is None:
        raise ValidationError(
            f"crossnobis needs runs: the responses ({responses.source!r}) have none. "
            "Build Responses with runs=... (one run label per row)."
        )
    runs = np.unique(responses.runs)
    if runs.size < 2:
        raise ValidationError(
            f"crossnobis needs at least 2 runs, got {runs.size} ({runs.tolist()}); "
            "use method='mahalanobis' or 'euclidean' for a single run."
        )
    names = responses.condition_names
    code = {c: i for i, c in enumerate(names)}
    cond_idx = np.array([code[c] for c in responses.conditions.tolist()])
    run_idx = np.searchsorted(runs, responses.runs)
    n_c, n_r, p = len(names), runs.size, responses.n_units
    key = run_idx * n_c + cond_idx
    counts = np.bincount(key, minlength=n_r * n_c).reshape(n_r, n_c).astype(float)
    if np.any(counts == 0):
        r, c = np.argwhere(counts == 0)[0]
        raise ValidationError(
            f"run {runs[r]!r} has no observation of condition {names[c]!r}; "
            "crossnobis needs every condition in every run."
        )
    if np.all(counts == 1):
        cell = np.empty(n_r * n_c, dtype=np.intp)
        cell[key] = np.arange(key.size)
        cell = cell.reshape(n_r, n_c)
        return [_rows(responses.data, cell[f]) for f in range(n_r)], counts, names
    order = np.argsort(key, kind="stable")
    starts = np.unique(key[order], return_index=True)[1]
    sums = np.add.reduceat(responses.data[order], starts, axis=0).reshape(n_r, n_c, p)
    return list(sums / counts[..., None]), counts, names


def _crossnobis(
    means: list[np.ndarray], counts: np.ndarray, scale: float
) -> np.ndarray:
    """Condensed crossnobis estimates from per-run means (already whitened)."""
    n_f, n = len(means), means[0].shape[0]
    if np.all(counts == counts[:1]) and 8 * n * n <= _BLOCK_BYTES:
        # balanced runs: train_f = (F * mean - test_f) / (F - 1), so the cross-run
        # kernel is F^2 M M^T - sum_f T_f T_f^T over (F - 1), all symmetric.
        mean = np.add.reduce(means) / n_f
        kernel = mean @ mean.T
        kernel *= n_f * n_f
        for test in means:
            kernel -= test @ test.T
        return _from_gram(kernel, scale / (n_f * (n_f - 1)))
    if np.all(counts == counts[:1]):
        mean = np.add.reduce(means) / n_f
        stacked = np.concatenate(means, axis=1)
        both = _pairwise_from_kernel(mean, mean, n_f * n_f, symmetric=True)
        each = _pairwise_from_kernel(stacked, stacked, 1.0, symmetric=True)
        return (both - each) * (scale / (n_f * (n_f - 1)))
    sums = [m * c[:, None] for m, c in zip(means, counts)]
    total, n_total = np.add.reduce(sums), counts.sum(0)
    train = [(total - s) / (n_total - c)[:, None] for s, c in zip(sums, counts)]
    left = np.concatenate(train, axis=1)
    right = np.concatenate(means, axis=1)
    return _pairwise_from_kernel(left, right, scale / n_f, symmetric=False)


def poisson_rates(
    data: np.ndarray, prior_lambda: float, prior_weight: float
) -> np.ndarray:
    """Rates shrunk towards ``prior_lambda``, checked for the Poisson KL distance."""
    check_scalar(prior_weight, "prior_weight", min_val=0)
    check_scalar(prior_lambda, "prior_lambda", min_val=0, include_min=False)
    if np.any(data < 0):
        raise ValidationError(
            "poisson distance needs non-negative counts or rates; got negative values."
        )
    rates = (data + prior_lambda * prior_weight) / (1 + prior_weight)
    if np.any(rates <= 0):
        raise ValidationError(
            "poisson distance needs positive rates: use prior_weight > 0 when a "
            "unit has zero counts."
        )
    return rates


def check_precision(noise: Any, p: int) -> np.ndarray:
    prec = np.asarray(noise, dtype=float)
    if prec.ndim == 1:
        prec = np.diag(prec)
    if prec.shape != (p, p):
        raise ValidationError(
            f"noise must be a ({p}, {p}) precision matrix (or a length-{p} diagonal) "
            f"for {p} units, got shape {prec.shape}."
        )
    if not np.all(np.isfinite(prec)):
        raise ValidationError("noise precision contains NaN or infinite values.")
    return prec


def _angular_distances(data: np.ndarray, names: list[Any], centre: bool) -> np.ndarray:
    """Condensed ``1 - r`` (``centre``) or ``1 - cos`` between the rows of ``data``.

    When the kernel fits in memory the rows are centred inside the Gram matrix,
    ``G - s s^T / p`` with row sums ``s``, which saves a centred copy of the data;
    this is exact to about ``eps * |G_ii| / |G_c,ii|``, so rows whose mean dwarfs
    their spread (ratio above 1e6) are centred explicitly instead.
    """
    n, p = data.shape
    if 8 * n * n <= _BLOCK_BYTES:
        from scipy.spatial.distance import squareform

        gram = data @ data.T
        raw = np.diagonal(gram).copy()
        if centre:
            sums = data.sum(axis=1)
            gram -= np.multiply.outer(sums / p, sums)
        sq = np.diagonal(gram)
        if np.all(sq * 1e6 > raw) and np.all(sq > 1e-24 * max(1.0, raw.max())):
            inv = 1.0 / np.sqrt(sq)
            gram *= inv[:, None]
            gram *= inv[None, :]
            vec = squareform(gram, checks=False, force="tovector")
            return np.subtract(1.0, vec, out=vec)
    x = data - data.mean(axis=1, keepdims=True) if centre else data
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    flat = norms <= 1e-12 * max(1.0, float(np.abs(data).max()))
    if np.any(flat):
        what = "constant" if centre else "all-zero"
        method = "correlation" if centre else "cosine"
        raise ValidationError(
            f"{method} distance is undefined for {what} patterns: conditions "
            f"{[names[i] for i in np.flatnonzero(flat)][:10]}. Drop them or use "
            "method='euclidean'."
        )
    x = x / norms[:, None]
    return _pairwise_from_kernel(x, x, 0.5, symmetric=True)


def compute_rdm(
    responses: Responses,
    method: str = "correlation",
    *,
    noise: Any = None,
    normalize: bool = True,
    squared: bool = True,
    prior_lambda: float = 1.0,
    prior_weight: float = 0.1,
) -> RDMs:
    """Compute the RDM of a :class:`~neurokit_ai.core.Responses`.

    Parameters
    ----------
    responses : Responses
        2-D patterns; repeated conditions are averaged (crossnobis: per run).
    method : {"euclidean", "correlation", "cosine", "mahalanobis", "crossnobis", \
"poisson"}
        The dissimilarity; see the module notes for conventions.
    noise : array-like, optional
        Noise *precision* ``(n_units, n_units)`` (or its diagonal) for
        ``"mahalanobis"``/``"crossnobis"``, e.g. from :func:`noise_precision`;
        identity when omitted.
    normalize : bool
        Divide squared distances by the number of units (rsatoolbox's convention).
    squared : bool
        Keep distances squared (default, as rsatoolbox); ``False`` takes the root.
    prior_lambda, prior_weight : float
        Prior rate and weight of the ``"poisson"`` KL divergence.

    Returns
    -------
    RDMs
        One RDM over the conditions in order of first appearance.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Responses
    >>> r = Responses(np.random.default_rng(0).normal(size=(4, 20)))
    >>> compute_rdm(r, "correlation").n_pairs
    6
    """
    check_type(responses, "responses", Responses)
    check_option(method, "method", RDM_METHODS)
    if responses.data.ndim != 2:
        raise ValidationError(
            f"compute_rdm needs 2-D patterns, got shape {responses.data.shape}; "
            "average over time or pick a time window first."
        )
    if not np.all(np.isfinite(responses.data)):
        bad = np.flatnonzero(~np.isfinite(responses.data).all(axis=1))
        raise ValidationError(
            f"responses {responses.source!r} contain NaN or infinite values in rows "
            f"{bad[:10].tolist()} (conditions "
            f"{responses.conditions[bad[:10]].tolist()}); drop or impute them first."
        )
    if responses.n_conditions < 2:
        raise ValidationError(
            f"an RDM needs at least 2 conditions, got {responses.n_conditions} "
            f"({responses.condition_names})."
        )
    p = responses.n_units
    scale = 1.0 / p if normalize else 1.0
    if method == "crossnobis":
        if not squared:
            raise ValidationError(
                "crossnobis estimates can be negative; keep squared=True."
            )
        means, counts, names = run_condition_means(responses)
        if noise is not None:
            try:
                chol = np.linalg.cholesky(check_precision(noise, p))
            except np.linalg.LinAlgError as err:
                raise ValidationError(
                    "noise must be a symmetric positive-definite precision matrix "
                    "(e.g. from noise_precision())."
                ) from err
            means = [m @ chol for m in means]
        vec = _crossnobis(means, counts, scale)
        return RDMs(vec, names, measure="crossnobis")
    data, names = _averaged(responses)
    if method in ("correlation", "cosine"):
        vec = _angular_distances(data, names, centre=method == "correlation")
        return RDMs(vec, names, measure=method)
    if method == "poisson":
        rates = poisson_rates(data, prior_lambda, prior_weight)
        vec = _pairwise_from_kernel(rates, np.log(rates), 1.0 / p, symmetric=False)
        return RDMs(vec, names, measure="poisson")
    left = data
    if method == "mahalanobis" and noise is not None:
        left = data @ check_precision(noise, p)
    vec = _pairwise_from_kernel(left, data, scale, symmetric=True)
    if not squared:
        vec = np.sqrt(np.maximum(vec, 0.0))
    measure = method if squared is False else f"squared {method}"
    return RDMs(vec, names, measure=measure)


def noise_precision(
    residuals: Any,
    method: str = "shrinkage_diag",
    *,
    dof: int | None = None,
) -> np.ndarray:
    """Noise precision (inverse covariance) over units from GLM residuals.

    Vectorised versions of rsatoolbox's ``prec_from_residuals`` estimators:
    ``"shrinkage_diag"`` (Schäfer & Strimmer 2005, towards the diagonal),
    ``"shrinkage_eye"`` (Ledoit & Wolf 2004, towards a multiple of the
    identity), ``"diag"`` and ``"full"``.

    Parameters
    ----------
    residuals : array-like, shape (n_samples, n_units)
        Residual time series (rows are samples); the mean is removed.
    method : str
        Covariance estimator.
    dof : int, optional
        Degrees of freedom; ``n_samples - 1`` by default (correct it for the number
        of GLM regressors).

    Returns
    -------
    numpy.ndarray, shape (n_units, n_units)

    Examples
    --------
    >>> import numpy as np
    >>> prec = noise_precision(np.random.default_rng(0).normal(size=(200, 5)))
    >>> prec.shape
    (5, 5)
    """
    check_option(method, "method", ("shrinkage_diag", "shrinkage_eye", "diag", "full"))
    x = np.asarray(residuals, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValidationError(
            f"residuals must be a 2-D (n_samples >= 2, n_units) array, got shape "
            f"{x.shape}."
        )
    if not np.all(np.isfinite(x)):
        raise ValidationError("residuals contain NaN or infinite values.")
    n = x.shape[0]
    dof = n - 1 if dof is None else check_scalar(dof, "dof", kind=int, min_val=1)
    mean = x.mean(axis=0)
    if method == "diag":
        var = np.zeros(x.shape[1])
        for xc in _centred_chunks(x, mean):
            var += np.einsum("ij,ij->j", xc, xc)
        var /= dof
        if np.any(var <= 0):
            raise ValidationError("a unit has zero residual variance.")
        return np.diag(1.0 / var)
    s_sum = _centred_scatter(x, mean)
    if method == "full":
        return _spd_inverse(s_sum / dof)
    # Only sums of the squared-product matrix enter the shrinkage intensity, and
    # sum_jk sum_t x_tj^2 x_tk^2 w_j w_k = sum_t (sum_j x_tj^2 w_j)^2: O(n p).
    if method == "shrinkage_eye":
        s2_total = 0.0
        for xc in _centred_chunks(x, mean):
            xc *= xc
            s2_total += float(np.sum(np.sum(xc, axis=1) ** 2))
        s = s_sum / n
        b2 = (s2_total / n - np.sum(s * s)) / n
        m = np.trace(s) / s.shape[0]
        d2 = np.sum(s * s) - 2 * m * np.trace(s) + m * m * s.shape[0]
        b2 = min(d2, b2)
        cov = (d2 - b2) / d2 * s
        cov[np.diag_indices_from(cov)] += b2 / d2 * m
        return _spd_inverse(cov * n / dof)
    var = np.diag(s_sum) / dof
    if np.any(var <= 0):
        raise ValidationError("a unit has zero residual variance.")
    s2_rows, s2_diag = 0.0, 0.0
    for xc in _centred_chunks(x, mean):
        xc *= xc
        xc /= var
        s2_rows += float(np.sum(np.sum(xc, axis=1) ** 2))
        s2_diag += float(np.einsum("ij,ij->", xc, xc))
    s2_off = (s2_rows - s2_diag) / (n - 1)
    std = np.sqrt(var)
    s_mean = s_sum / np.multiply.outer(std, std)
    s_mean /= n - 1
    s_mean_off2 = float(
        np.einsum("ij,ij->", s_mean, s_mean) - np.sum(s_mean.diagonal() ** 2)
    )
    var_hat_off = n / dof**2 * (s2_off - s_mean_off2)
    lamb = max(min(var_hat_off / s_mean_off2, 1.0), 0.0)
    cov = s_sum
    cov *= (1 - lamb) / dof
    cov[np.diag_indices_from(cov)] = var
    return _spd_inverse(cov)


_CHUNK_BYTES = 8 * 2**20


def _centred_chunks(x: np.ndarray, mean: np.ndarray) -> Iterator[np.ndarray]:
    """Fresh centred copies of consecutive row blocks of ``x`` (about 8 MiB each)."""
    rows = max(1, _CHUNK_BYTES // (8 * x.shape[1]))
    for start in range(0, x.shape[0], rows):
        yield x[start : start + rows] - mean


def _centred_scatter(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """``(x - mean)^T (x - mean)``, from ``x^T x`` when that loses no precision."""
    scatter = x.T @ x
    raw = np.diagonal(scatter).copy()
    scatter -= x.shape[0] * np.multiply.outer(mean, mean)
    if np.all(np.diagonal(scatter) * 1e6 > raw):
        return scatter
    scatter[...] = 0.0
    for xc in _centred_chunks(x, mean):
        scatter += xc.T @ xc
    return scatter


def _spd_inverse(cov: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric matrix, by Cholesky when positive definite."""
    from scipy.linalg import lapack

    factor, info = lapack.dpotrf(cov, lower=False)
    if info == 0:
        inv, info = lapack.dpotri(factor, lower=False)
        if info == 0:
            upper = np.triu(inv)
            upper += np.triu(inv, 1).T
            return upper
    return np.linalg.inv(cov)
