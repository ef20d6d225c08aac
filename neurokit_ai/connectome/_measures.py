"""Pairwise non-negative affinities between the traces of one time window.

Each measure maps a window ``x`` of shape ``(n_neurons, n_samples)`` to a
symmetric ``(n_neurons, n_neurons)`` matrix of non-negative affinities (the
diagonal is not used). Rows with no variance in the window get affinity 0.
"""

from __future__ import annotations

import numpy as np

from ..core import ValidationError

__all__ = [
    "AFFINITY_METHODS",
    "differential_affinity",
    "correlation_affinity",
    "lagged_correlation_affinity",
    "mutual_information_affinity",
]

AFFINITY_METHODS = (
    "differential",
    "correlation",
    "lagged_correlation",
    "mutual_information",
)


def differential_affinity(slopes: np.ndarray) -> np.ndarray:
    """Mean co-change of standardized derivatives: ``mean_t max(d_i d_j, 0)``.

    ``slopes`` are the time derivatives of the (smoothed) traces, each divided
    by its standard deviation over the *whole* recording (so a quiet window
    has low affinities). The product is positive when the two neurons rise
    together or fall together; opposite or independent changes add nothing,
    which makes the measure non-linear and non-negative. It is computed as
    ``(D⁺ D⁺ᵀ + D⁻ D⁻ᵀ) / T`` with ``D⁺ = max(D, 0)`` and ``D⁻ = max(−D, 0)``.
    This kernel is our own reading of Dyballa et al.'s (2024) "differential
    affinity" (high when two traces change together); it has not been
    checked against the paper's formula.

    Examples
    --------
    >>> d = np.array([[1.0, -1.0, 2.0], [1.0, -1.0, 2.0], [-1.0, 1.0, -2.0]])
    >>> differential_affinity(d)[0].round(3).tolist()
    [2.0, 2.0, 0.0]
    """
    pos = np.maximum(slopes, 0.0)
    neg = np.maximum(-slopes, 0.0)
    return (pos @ pos.T + neg @ neg.T) / slopes.shape[1]


def _standardized(x: np.ndarray) -> np.ndarray:
    centred = x - x.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(centred, axis=1, keepdims=True)
    return np.divide(centred, norm, out=np.zeros_like(centred), where=norm > 0)


def correlation_affinity(x: np.ndarray) -> np.ndarray:
    """Pearson correlation clipped at 0 (anti-correlation counts as no affinity).

    Examples
    --------
    >>> x = np.array([[0.0, 1.0, 2.0], [0.0, 2.0, 4.0], [2.0, 1.0, 0.0]])
    >>> correlation_affinity(x)[0].round(6).tolist()
    [1.0, 1.0, 0.0]
    """
    z = _standardized(x)
    return np.maximum(z @ z.T, 0.0)


def lagged_correlation_affinity(x: np.ndarray, max_lag: int) -> np.ndarray:
    """Largest Pearson correlation over lags of up to ``max_lag`` samples, clipped at 0.

    For each lag τ >= 0 the correlation of ``x_i[t]`` with ``x_j[t + τ]`` is
    computed on the overlapping samples (and its transpose covers
    ``x_j`` leading ``x_i``); the result is the maximum over lags and
    directions, so it is symmetric.

    Examples
    --------
    >>> t = np.arange(50.0)
    >>> x = np.stack([np.sin(t / 3), np.sin((t - 2) / 3)])
    >>> float(lagged_correlation_affinity(x, 3)[0, 1].round(6))
    1.0
    """
    n_samples = x.shape[1]
    if n_samples < 2 * max_lag + 3:
        raise ValidationError(
            f"A window of {n_samples} samples is too short for max_lag={max_lag} "
            f"samples; windows need at least 2 * max_lag + 3 = {2 * max_lag + 3} "
            "samples. Use longer windows or a smaller max_lag."
        )
    best = np.zeros((x.shape[0], x.shape[0]))
    for lag in range(max_lag + 1):
        lead = _standardized(x[:, : n_samples - lag])
        follow = _standardized(x[:, lag:])
        corr = lead @ follow.T
        best = np.maximum(best, np.maximum(corr, corr.T))
    return best


def mutual_information_affinity(x: np.ndarray, n_bins: int) -> np.ndarray:
    """Plug-in mutual information (nats) between equal-count binned traces.

    Each trace is cut into ``n_bins`` quantile bins over the window; the joint
    histograms of all pairs come from one product of one-hot codes. The
    plug-in estimate is biased upwards by about
    ``(n_bins − 1)² / (2 T)`` nats for independent traces.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.standard_normal(400)
    >>> mi = mutual_information_affinity(np.stack([a, a, rng.standard_normal(400)]), 4)
    >>> bool(mi[0, 1] > 1.3 > 0.1 > mi[0, 2])
    True
    """
    n_rows, n_samples = x.shape
    ranks = np.argsort(np.argsort(x, axis=1, kind="stable"), axis=1, kind="stable")
    codes = np.minimum(ranks * n_bins // n_samples, n_bins - 1)
    constant = np.ptp(x, axis=1) == 0
    codes[constant] = 0
    onehot = np.zeros((n_rows, n_bins, n_samples))
    np.put_along_axis(onehot, codes[:, None, :], 1.0, axis=1)
    flat = onehot.reshape(n_rows * n_bins, n_samples)
    joint = (flat @ flat.T).reshape(n_rows, n_bins, n_rows, n_bins) / n_samples
    marg = onehot.mean(axis=2)
    expected = marg[:, :, None, None] * marg[None, None, :, :]
    ratio = np.divide(joint, expected, out=np.ones_like(joint), where=joint > 0)
    mi = np.einsum("abcd,abcd->ac", joint, np.log(ratio))
    return np.maximum(mi, 0.0)
