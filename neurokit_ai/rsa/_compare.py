"""Comparing RDMs: correlation, rank and whitened similarities, all pairs at once.

Every method returns the ``(n_rdms_a, n_rdms_b)`` matrix of similarities, as
rsatoolbox's ``compare``; method names are rsatoolbox's. Dissimilarities that are
NaN in any RDM are left out of every comparison.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._validation import check_option, check_type
from ._rdms import RDMs, n_conditions_from_pairs

__all__ = ["compare", "COMPARE_METHODS"]

COMPARE_METHODS = (
    "cosine",
    "corr",
    "spearman",
    "rho-a",
    "tau-a",
    "tau-b",
    "cosine_cov",
    "corr_cov",
)


def _vectors(rdms: Any, name: str) -> np.ndarray:
    if isinstance(rdms, RDMs):
        return rdms.vectors
    vec = np.asarray(rdms, dtype=float)
    if vec.ndim == 1:
        vec = vec[None]
    if vec.ndim != 2:
        raise ValidationError(
            f"{name} must be RDMs or a (n_rdms, n_pairs) array, got shape {vec.shape}."
        )
    return vec


def _paired_vectors(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if isinstance(a, RDMs) and isinstance(b, RDMs):
        if a.n_conditions != b.n_conditions:
            raise ValidationError(
                f"RDMs of different sizes: {a.n_conditions} vs {b.n_conditions} "
                "conditions. Select the shared conditions on both first."
            )
        b = b.align_to(a)
    va, vb = _vectors(a, "rdms_a"), _vectors(b, "rdms_b")
    if va.shape[1] != vb.shape[1]:
        raise ValidationError(
            f"RDMs of different sizes: {va.shape[1]} vs {vb.shape[1]} dissimilarities "
            f"({n_conditions_from_pairs(va.shape[1])} vs "
            f"{n_conditions_from_pairs(vb.shape[1])} conditions)."
        )
    if np.isfinite(va).all() and np.isfinite(vb).all():
        return va, vb, np.ones(va.shape[1], dtype=bool)
    nan_a, nan_b = np.isnan(va).any(axis=0), np.isnan(vb).any(axis=0)
    if not np.array_equal(nan_a, nan_b):
        raise ValidationError(
            "rdms_a and rdms_b have NaN at different dissimilarities; mask the same "
            "pairs in both."
        )
    keep = ~nan_a
    va, vb = va[:, keep], vb[:, keep]
    if np.isinf(va).any() or np.isinf(vb).any():
        raise ValidationError("RDMs contain infinite dissimilarities.")
    if keep.sum() < 2:
        raise ValidationError(
            "fewer than 2 dissimilarities are shared by the RDMs; nothing to compare."
        )
    return va, vb, keep


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    na = np.sqrt(np.einsum("ij,ij->i", a, a))
    nb = np.sqrt(np.einsum("ij,ij->i", b, b))
    return _divide(a @ b.T, na, nb)


def _centered(v: np.ndarray) -> np.ndarray:
    return v - v.mean(axis=1, keepdims=True)


def _ranks(v: np.ndarray, rows_per_chunk: int = 8) -> np.ndarray:
    """Average (tie-corrected) ranks of each row, as ``scipy.stats.rankdata``.

    Rows are ranked a few at a time so that the sort temporaries stay small;
    a block without ties gets its ranks by one scatter of ``1..n``.
    """
    n_rows, n = v.shape
    out = np.empty((n_rows, n))
    seq = np.arange(1.0, n + 1.0)
    for start in range(0, n_rows, rows_per_chunk):
        block = v[start : start + rows_per_chunk]
        dest = out[start : start + rows_per_chunk]
        order = np.argsort(block, axis=1)
        srt = np.take_along_axis(block, order, axis=1)
        new = np.ones(srt.shape, dtype=bool)
        np.not_equal(srt[:, 1:], srt[:, :-1], out=new[:, 1:])
        del srt
        if new.all():
            np.put_along_axis(dest, order, seq, axis=1)
            continue
        group = np.cumsum(new.ravel()) - 1
        starts = np.flatnonzero(new.ravel())
        ends = np.append(starts[1:], new.size)
        mean_rank = (starts % n + (ends - starts - 1) / 2.0 + 1.0)[group]
        np.put_along_axis(dest, order, mean_rank.reshape(order.shape), axis=1)
    return out


def _center_inplace(v: np.ndarray) -> np.ndarray:
    v -= v.mean(axis=1, keepdims=True)
    return v


def _indicator(n: int) -> np.ndarray:
    """``(n_pairs + n, n)`` matrix: pair rows mark both conditions, then identity."""
    i, j = np.triu_indices(n, 1)
    m = np.zeros((i.size + n, n))
    rows = np.arange(i.size)
    m[rows, i] = 1.0
    m[rows, j] = 1.0
    m[i.size + np.arange(n), np.arange(n)] = 2.0
    return m


def _row_means(v: np.ndarray, i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Row means of the full matrices ``-D / 2`` of RDM vectors, ``(n_rdms, n)``.

    A product with the pairs' incidence matrix: dense while small (cheaper to
    build), sparse otherwise.
    """
    pairs = np.arange(i.size)
    if i.size * n <= 2**16:
        dense = np.zeros((i.size, n))
        dense[pairs, i] = -0.5
        dense[pairs, j] = -0.5
        return v @ dense / n
    from scipy.sparse import csr_matrix

    incidence = csr_matrix(
        (np.full(2 * i.size, -0.5), (np.r_[i, j], np.r_[pairs, pairs])),
        shape=(n, i.size),
    )
    return np.asarray(incidence @ v.T).T / n


def _whitened(
    v: np.ndarray, keep: np.ndarray, sigma_k: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Double-centred second-moment form of RDM vectors (rsatoolbox ``_cov_weighting``).

    Returns the off-diagonal part (already scaled by sqrt(2)) and the diagonal
    part; cosines of their concatenation are cosines after whitening by the RDM
    entries' covariance under i.i.d. pattern noise (Diedrichsen et al. 2021).
    """
    n = n_conditions_from_pairs(keep.size)
    i, j = np.triu_indices(n, 1)
    i, j = i[keep], j[keep]
    if keep.all():
        m = _row_means(v, i, j, n)
        mm = m.sum(axis=1, keepdims=True) / n
        off = v * -0.5
        off += mm
        off -= m[:, i]
        off -= m[:, j]
        diag = mm - 2 * m
    else:
        ind = _indicator(n)[np.concatenate([keep, np.ones(n, bool)])]
        ind[keep.sum() :] /= 2
        wts = np.concatenate([np.full(keep.sum(), 0.5), np.ones(n)])[:, None]
        full = np.concatenate([-0.5 * v, np.zeros((v.shape[0], n))], axis=1)
        proj = ind @ np.linalg.inv(ind.T @ (wts * ind)) @ (wts * ind).T
        full = full - full @ proj
        off, diag = full[:, : keep.sum()], full[:, keep.sum() :]
    if sigma_k is not None:
        s = np.sqrt(np.asarray(sigma_k, dtype=float))
        off /= s[i] * s[j]
        diag /= s * s
    off *= np.sqrt(2)
    return off, diag


def _cosine_of_parts(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Cosines of the row-wise concatenations ``[a0, a1]`` and ``[b0, b1]``."""
    na = np.sqrt(sum(np.einsum("ij,ij->i", x, x) for x in a))
    nb = np.sqrt(sum(np.einsum("ij,ij->i", x, x) for x in b))
    return _divide(a[0] @ b[0].T + a[1] @ b[1].T, na, nb)


def _divide(num: np.ndarray, na: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """``num / outer(na, nb)``, zero where a norm is zero."""
    den = np.outer(na, nb)
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _whitened_cosine(
    va: np.ndarray, vb: np.ndarray, keep: np.ndarray, sigma_k: np.ndarray | None
) -> np.ndarray:
    """Cosines of the whitened forms of the rows of ``va`` and ``vb``.

    Without NaN or pattern variances the whitening is the double centring
    ``A -> H A H`` of ``A = -D / 2``, an orthogonal projection, so
    ``<HAH, HBH> = <A, HBH>`` and ``|HAH|^2 = |A|^2 - 2 n |r|^2 + n^2 s^2``
    (``r`` the row means and ``s`` the grand mean of ``A``): only the side with
    fewer RDMs is transformed. As ``A`` has a zero diagonal,
    ``|HAH|^2 >= |A|^2 / n``, so the difference loses at most ``log10(n)`` digits.
    """
    if sigma_k is not None or not keep.all():
        return _cosine_of_parts(
            _whitened(va, keep, sigma_k), _whitened(vb, keep, sigma_k)
        )
    if va.shape[0] < vb.shape[0]:
        return _whitened_cosine(vb, va, keep, None).T
    n = n_conditions_from_pairs(keep.size)
    i, j = np.triu_indices(n, 1)
    m = _row_means(va, i, j, n)
    mm = m.sum(axis=1) / n
    sq = 0.5 * np.einsum("ij,ij->i", va, va)
    sq -= 2 * n * np.einsum("ij,ij->i", m, m)
    sq += (n * mm) ** 2
    off_b, diag_b = _whitened(vb, keep, None)
    nb = np.einsum("ij,ij->i", off_b, off_b) + np.einsum("ij,ij->i", diag_b, diag_b)
    num = va @ off_b.T
    num *= -np.sqrt(0.5)
    return _divide(num, np.sqrt(np.maximum(sq, 0.0)), np.sqrt(nb))


def _sorted_dense_ranks(row: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Sort order, dense ranks (in sorted order, 1-based) and tie count of a row."""
    order = np.argsort(row)
    srt = row[order]
    new = np.empty(row.size, dtype=bool)
    new[0] = True
    np.not_equal(srt[1:], srt[:-1], out=new[1:])
    rank = np.cumsum(new, dtype=np.intp)
    counts = np.diff(np.r_[np.flatnonzero(new), row.size])
    return order, rank, int((counts * (counts - 1) // 2).sum()), bool(counts.max() > 1)


def _discordance_counter():
    """scipy's compiled merge-sort discordance count, or a public-API fallback."""
    try:
        from scipy.stats._stats import _kendall_dis

        return _kendall_dis
    except ImportError:  # pragma: no cover - private scipy helper moved
        return _discordant_via_kendalltau


def _discordant_via_kendalltau(x_sorted: np.ndarray, y: np.ndarray) -> int:
    from scipy.stats import kendalltau

    n = x_sorted.size
    tot = n * (n - 1) // 2
    xt, yt, nt = _ties_of(x_sorted), _ties_of(y), _joint_ties(x_sorted, y)
    tau_b = kendalltau(x_sorted, y).statistic
    con_minus_dis = tau_b * np.sqrt(float(tot - xt) * float(tot - yt))
    return int(round((tot - xt - yt + nt - con_minus_dis) / 2))


def _ties_of(r: np.ndarray) -> int:
    c = np.unique(r, return_counts=True)[1]
    return int((c * (c - 1) // 2).sum())


def _joint_ties(x: np.ndarray, y: np.ndarray) -> int:
    key = x.astype(np.int64) * (int(y.max()) + 1) + y
    return _ties_of(key)


def _kendall(a: np.ndarray, b: np.ndarray, variant: str, n_jobs: int) -> np.ndarray:
    """Kendall's tau-a or tau-b for all row pairs, O(n log n) per pair.

    Each row of ``a`` is sorted once, in the thread that handles it; each pair
    then costs one gather and one merge-sort count of discordant pairs (the
    sort and the count release the GIL, so threads run in parallel).
    """
    n = a.shape[1]
    tot = n * (n - 1) // 2
    count = _discordance_counter()
    ranks_b, ties_b, has_b = [], [], []
    for row in b:
        uniq, inv = np.unique(row, return_inverse=True)
        ranks_b.append((inv + 1).astype(np.intp))
        c = np.bincount(inv)
        ties_b.append(int((c * (c - 1) // 2).sum()))
        has_b.append(bool((c > 1).any()))

    def one_row(k: int) -> np.ndarray:
        order, dense_a, ties_a, has_a = _sorted_dense_ranks(a[k])
        out = np.empty(len(ranks_b))
        for m, yr in enumerate(ranks_b):
            ys = yr[order]
            dis = int(count(dense_a, ys))
            nt = _joint_ties(dense_a, ys) if has_a and has_b[m] else 0
            num = tot - ties_a - ties_b[m] + nt - 2 * dis
            if variant == "tau-a":
                out[m] = num / tot
            else:
                den = np.sqrt(float(tot - ties_a) * float(tot - ties_b[m]))
                out[m] = num / den if den > 0 else np.nan
        return out

    if n_jobs == 1 or a.shape[0] == 1:
        rows = [one_row(k) for k in range(a.shape[0])]
    else:
        from concurrent.futures import ThreadPoolExecutor

        workers = None if n_jobs == -1 else n_jobs
        with ThreadPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(one_row, range(a.shape[0])))
    return np.clip(np.array(rows), -1.0, 1.0)


def compare(
    rdms_a: RDMs | np.ndarray,
    rdms_b: RDMs | np.ndarray,
    method: str = "corr",
    *,
    sigma_k: np.ndarray | None = None,
    n_jobs: int = 1,
) -> np.ndarray:
    """Similarity of every RDM in ``rdms_a`` with every RDM in ``rdms_b``.

    Parameters
    ----------
    rdms_a, rdms_b : RDMs or array-like, shape (n_rdms, n_pairs)
        RDMs over the same conditions; RDMs objects are aligned by condition
        label (a different condition set is refused, a different order fixed).
    method : str
        ``"cosine"``, ``"corr"`` (Pearson), ``"spearman"``, ``"rho-a"`` (Spearman
        without tie correction, expected value under random tie breaking),
        ``"tau-a"``, ``"tau-b"`` (Kendall), ``"cosine_cov"`` / ``"corr_cov"``
        (cosine / Pearson after whitening by the dissimilarities' covariance).
    sigma_k : array-like, shape (n_conditions,), optional
        Variances of the pattern estimates, for the whitened methods.
    n_jobs : int
        Threads for the Kendall methods (``-1``: all cores).

    Returns
    -------
    numpy.ndarray, shape (n_rdms_a, n_rdms_b)

    Examples
    --------
    >>> import numpy as np
    >>> a = RDMs(np.arange(1.0, 7.0))
    >>> float(compare(a, a, "spearman")[0, 0])
    1.0
    """
    check_option(method, "method", COMPARE_METHODS)
    check_type(n_jobs, "n_jobs", int)
    va, vb, keep = _paired_vectors(rdms_a, rdms_b)
    if method == "cosine":
        return _cosine(va, vb)
    if method == "corr":
        return _cosine(_centered(va), _centered(vb))
    if method in ("spearman", "rho-a"):
        ra, rb = _center_inplace(_ranks(va)), _center_inplace(_ranks(vb))
        if method == "spearman":
            return _cosine(ra, rb)
        n = va.shape[1]
        return ra @ rb.T * 12.0 / (n**3 - n)
    if method in ("tau-a", "tau-b"):
        return _kendall(va, vb, method, n_jobs)
    if sigma_k is not None:
        sigma_k = np.asarray(sigma_k, dtype=float)
        n_cond = n_conditions_from_pairs(keep.size)
        if sigma_k.shape != (n_cond,) or np.any(sigma_k <= 0):
            raise ValidationError(
                f"sigma_k must hold {n_cond} positive pattern variances, got "
                f"shape {sigma_k.shape}."
            )
    if method == "corr_cov":
        va, vb = _centered(va), _centered(vb)
    return _whitened_cosine(va, vb, keep, sigma_k)
