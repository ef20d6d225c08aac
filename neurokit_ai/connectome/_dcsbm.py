"""Degree-corrected weighted stochastic block model with a nested hierarchy.

Edge weights are normal around ``θ_i θ_j ω_{z_i z_j}`` with one shared
variance: ``θ_i`` is node ``i``'s own strength, ``ω`` the block-pair affinity.
Nodes of one community whose affinities differ in scale (a strongly and a
weakly coupled neuron of the same ensemble) then differ in ``θ`` only, and are
not split into blocks of their own as in the flat model.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fit_degree_corrected", "merge_hierarchy"]


def _onehot(z: np.ndarray, k: int) -> np.ndarray:
    return np.eye(k)[z]


def _block_parameters(
    w: np.ndarray, onehot: np.ndarray, theta: np.ndarray
) -> np.ndarray:
    """Least-squares ``ω`` given the labels and strengths (pairs ``i ≠ j``)."""
    scaled = onehot * theta[:, None]
    num = scaled.T @ w @ scaled
    s2 = (onehot * theta[:, None] ** 2).sum(axis=0)
    den = np.outer(s2, s2) - np.diag((onehot * theta[:, None] ** 4).sum(axis=0))
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _fit_parameters(
    w: np.ndarray, z: np.ndarray, k: int, n_iter: int = 30
) -> tuple[np.ndarray, np.ndarray, float]:
    """Alternating least squares for ``θ`` and ``ω``; returns them and the RSS.

    ``θ`` is normalised to mean 1 within each block (its scale lives in ``ω``).
    """
    onehot = _onehot(z, k)
    strength = w.sum(axis=1)
    block_mean = (onehot.T @ strength) / np.maximum(onehot.sum(axis=0), 1)
    theta = np.divide(
        strength, block_mean[z], out=np.ones_like(strength), where=block_mean[z] > 0
    )
    for _ in range(n_iter):
        omega = _block_parameters(w, onehot, theta)
        pair = omega[z][:, z]
        np.fill_diagonal(pair, 0.0)
        num = (w * pair) @ theta
        den = (pair**2) @ theta**2
        new = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
        means = (onehot.T @ new) / np.maximum(onehot.sum(axis=0), 1)
        new = np.divide(new, means[z], out=np.zeros_like(new), where=means[z] > 0)
        done = np.allclose(new, theta, rtol=1e-6, atol=1e-9)
        theta = new
        if done:
            break
    omega = _block_parameters(w, onehot, theta)
    return theta, omega, _rss(w, z, theta, omega)


def _rss(w: np.ndarray, z: np.ndarray, theta: np.ndarray, omega: np.ndarray) -> float:
    model = np.outer(theta, theta) * omega[z][:, z]
    resid = np.triu(w - model, 1)
    return float(np.sum(resid**2))


def _reassign(
    w: np.ndarray, z: np.ndarray, k: int, theta: np.ndarray, omega: np.ndarray
) -> np.ndarray:
    """Move every node to the block that best explains its row, ``θ_i`` profiled.

    With the other nodes fixed, node ``i`` in block ``c`` explains
    ``(Σ_b ω_cb A_ib)² / Σ_b ω_cb² B_ib`` of its squared weights, where
    ``A_ib = Σ_{j∈b} w_ij θ_j`` and ``B_ib = Σ_{j∈b, j≠i} θ_j²``.
    """
    onehot = _onehot(z, k)
    a = w @ (onehot * theta[:, None])
    b = np.tile((onehot * theta[:, None] ** 2).sum(axis=0), (len(z), 1))
    b[np.arange(len(z)), z] -= theta**2
    num = (a @ omega.T) ** 2
    den = b @ (omega.T**2)
    score = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    best = np.argmax(score, axis=1)
    current = score[np.arange(len(z)), z]
    gain = score[np.arange(len(z)), best] - current
    return np.where(gain > 1e-12 * np.maximum(np.abs(current), 1e-300), best, z)


def _relabel(z: np.ndarray) -> np.ndarray:
    _, first, inverse = np.unique(z, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse]


def fit_degree_corrected(
    w: np.ndarray, z: np.ndarray, max_rounds: int = 30
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Refine labels ``z`` by alternating parameter fits and node moves.

    Returns the labels (numbered by first appearance, empty blocks dropped),
    ``θ``, ``ω`` and the residual sum of squares; the best RSS seen is kept.
    """
    z = _relabel(z)
    k = int(z.max()) + 1
    theta, omega, rss = _fit_parameters(w, z, k)
    best = (z, theta, omega, rss)
    for _ in range(max_rounds):
        moved = _reassign(w, z, k, theta, omega)
        if np.array_equal(moved, z):
            break
        z = _relabel(moved)
        k = int(z.max()) + 1
        theta, omega, rss = _fit_parameters(w, z, k)
        if rss < best[3] - 1e-12 * max(best[3], 1e-300):
            best = (z, theta, omega, rss)
        else:
            break
    return best


def merge_hierarchy(w: np.ndarray, z: np.ndarray) -> list[np.ndarray]:
    """Coarser and coarser partitions: merge the two blocks that cost least.

    Starting from ``z``, each level merges the pair of blocks whose union
    raises the residual sum of squares the least (parameters refitted), until
    one block is left. Returns the levels, ``z`` first and one block last.
    """
    levels = [_relabel(z)]
    while levels[-1].max() > 0:
        current = levels[-1]
        k = int(current.max()) + 1
        best_rss, best_z = np.inf, current
        for a in range(k):
            for b in range(a + 1, k):
                merged = _relabel(np.where(current == b, a, current))
                rss = _fit_parameters(w, merged, k - 1)[2]
                if rss < best_rss:
                    best_rss, best_z = rss, merged
        levels.append(best_z)
    return levels
