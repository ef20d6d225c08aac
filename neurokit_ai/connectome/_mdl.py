"""Description length of a weighted SBM: microcanonical topology + exponential weights.

The topology part is Peixoto's microcanonical stochastic block model (Peixoto,
"Nonparametric Bayesian inference of the microcanonical stochastic block
model", Phys. Rev. E 95, 012317, 2017) with a flat (non-nested) prior on the
block edge counts; the edge weights are exponential with one rate per block
pair, integrated over a Gamma prior (the "real-exponential" covariate of
Peixoto, "Nonparametric weighted stochastic block models", Phys. Rev. E 97,
012306, 2018). All quantities are in nats.

With ``E`` edges, ``B`` non-empty blocks of sizes ``n_r``, ``e_rs`` edges
between blocks ``r ≠ s``, ``m_rr`` edges inside ``r`` (``e_rr = 2 m_rr``),
``e_r = Σ_s e_rs`` and node degrees ``k_i``:

- partition: ``ln C(N − 1, B − 1) + ln N! − Σ_r ln n_r! + ln N``;
- block edge counts: ``ln ((B(B+1)/2, E))`` (multiset coefficient);
- degree-corrected: degrees uniform within a block (Peixoto's "uniform"
  degree prior, not graph-tool's default "distributed" one),
  ``Σ_r ln ((n_r, e_r))``, and the graph's entropy given degrees and edge
  counts ``Σ_r ln e_r! − Σ_{r<s} ln e_rs! − Σ_r ln e_rr!! − Σ_i ln k_i!``;
- not degree-corrected:
  ``Σ_{r<s} ln ((n_r n_s, e_rs)) + Σ_r ln ((n_r(n_r+1)/2, m_rr))``;

both are multigraph ensembles (graph-tool's default ``multigraph=True``), so
the two models' lengths compare;
- weights: for each block pair with ``m`` edges of total weight ``x``,
  ``−ln[β^α Γ(α + m) / (Γ(α) (β + x)^(α + m))]`` with ``α = 1`` and
  ``β`` the graph's mean edge weight (a prior mean rate of one over it); the
  discretisation term ``−E ln Δ`` is the same for every partition and left out.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

__all__ = ["cheapest_merge", "description_length", "merge_by_description_length"]


def _log_binom(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def _log_multiset(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``ln ((n, k)) = ln C(n + k − 1, k)``, 0 when ``k = 0``."""
    return np.where(k > 0, _log_binom(np.maximum(n + k - 1, 0), k), 0.0)


def description_length(
    sizes: np.ndarray,
    sums: np.ndarray,
    *,
    n_edges: float,
    log_degree_factorials: float,
    mean_weight: float,
    degree_corrected: bool,
) -> np.ndarray:
    """Description length of partitions given their block statistics.

    ``sizes`` is ``(..., K)`` (empty blocks allowed); ``sums`` is
    ``(..., 2, K, K)``: edge counts and weight sums per block pair, symmetric,
    the diagonal counting each internal edge once. Returns ``(...)``.
    """
    counts, weights = sums[..., 0, :, :], sums[..., 1, :, :]
    k = sizes.shape[-1]
    upper = np.triu(np.ones((k, k), bool), 1)
    idx = np.arange(k)
    inside = counts[..., idx, idx]
    n = sizes.sum(axis=-1)
    blocks = (sizes > 0).sum(axis=-1)

    length = _log_binom(n - 1, blocks - 1) + gammaln(n + 1) + np.log(n)
    length -= gammaln(sizes + 1).sum(axis=-1)
    length += _log_multiset(blocks * (blocks + 1) / 2.0, np.asarray(n_edges))
    if degree_corrected:
        ends = counts.sum(axis=-1) + inside
        length += _log_multiset(sizes, ends).sum(axis=-1)
        length += gammaln(ends + 1).sum(axis=-1) - log_degree_factorials
        length -= np.where(upper, gammaln(counts + 1), 0.0).sum(axis=(-2, -1))
        length -= (inside * np.log(2.0) + gammaln(inside + 1)).sum(axis=-1)
    else:
        pairs = sizes[..., :, None] * sizes[..., None, :]
        length += np.where(upper, _log_multiset(pairs, counts), 0.0).sum(axis=(-2, -1))
        length += _log_multiset(sizes * (sizes + 1) / 2.0, inside).sum(axis=-1)
    alpha, beta = 1.0, mean_weight
    tri = upper | np.eye(k, dtype=bool)
    marginal = (
        alpha * np.log(beta)
        + gammaln(alpha + counts)
        - gammaln(alpha)
        - (alpha + counts) * np.log(beta + weights)
    )
    length -= np.where(tri & (counts > 0), marginal, 0.0).sum(axis=(-2, -1))
    return length


def cheapest_merge(layers: np.ndarray, z: np.ndarray, score, block_stats) -> np.ndarray:
    """``z`` with the two blocks whose union lengthens the description least merged.

    ``score(sizes, sums)`` is the description length and ``block_stats`` the
    function giving ``(sizes, sums, onehot)`` of a partition.
    """
    k = int(z.max()) + 1
    best, best_z = np.inf, z
    for a in range(k):
        for b in range(a + 1, k):
            merged = np.where(z == b, a, z)
            merged = np.where(merged > b, merged - 1, merged)
            sizes, sums, _ = block_stats(layers, merged, k - 1)
            length = float(score(sizes, sums))
            if length < best:
                best, best_z = length, merged
    return best_z


def merge_by_description_length(
    layers: np.ndarray, z: np.ndarray, score, block_stats
) -> list[np.ndarray]:
    """Levels from ``z`` down to one block, merging by :func:`cheapest_merge`."""
    levels = [z]
    while levels[-1].max() > 0:
        levels.append(cheapest_merge(layers, levels[-1], score, block_stats))
    return levels
