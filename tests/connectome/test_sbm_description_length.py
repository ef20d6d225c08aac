"""Minimum-description-length SBM: the length by hand, planted blocks, choice of K."""

from __future__ import annotations

from math import comb, lgamma, log

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from neurokit_ai.connectome import (
    affinity_tensor,
    detect_communities,
    dynamic_connectome,
    prepare_traces,
    sliding_windows,
    weighted_sbm,
)
from neurokit_ai.connectome._communities import _block_stats
from neurokit_ai.connectome._mdl import description_length
from neurokit_ai.core import ValidationError
from neurokit_ai.datasets import simulate_switching_communities


def _length(w: np.ndarray, z: np.ndarray, degree_corrected: bool) -> float:
    edges = (w > 0).astype(float)
    layers = np.stack([edges, w])
    sizes, sums, _ = _block_stats(layers, z, int(z.max()) + 1)
    n_edges = edges.sum() / 2
    return float(
        description_length(
            sizes,
            sums,
            n_edges=n_edges,
            log_degree_factorials=sum(lgamma(k + 1) for k in edges.sum(axis=1)),
            mean_weight=w.sum() / 2 / n_edges,
            degree_corrected=degree_corrected,
        )
    )


def _multiset(n: int, k: int) -> float:
    return log(comb(n + k - 1, k))


# A path 0-1-2-3 plus the edge 1-3, blocks {0, 1} and {2, 3}; weights 1..4.
TINY = np.zeros((4, 4))
for (i, j), x in zip([(0, 1), (1, 2), (2, 3), (1, 3)], [1.0, 2.0, 3.0, 4.0]):
    TINY[i, j] = TINY[j, i] = x
Z = np.array([0, 0, 1, 1])


def _weights_by_hand() -> float:
    # Block pairs: (0,0) has weight 1; (0,1) has 2 and 4; (1,1) has 3.
    # alpha = 1, beta = mean weight 2.5: -ln[b Γ(1+m) / (b + x)^(1+m)].
    b = 2.5
    total = 0.0
    for m, x in [(1, 1.0), (2, 6.0), (1, 3.0)]:
        total -= log(b) + lgamma(1 + m) - (1 + m) * log(b + x)
    return total


def _common_by_hand() -> float:
    # Partition: ln C(3, 1) + ln 4! - ln 2! - ln 2! + ln 4; edge counts: ((3, 4)).
    return log(3) + log(24) - 2 * log(2) + log(4) + _multiset(3, 4)


def test_degree_corrected_length_matches_the_formula_by_hand():
    # e_00 = 2 (one edge), e_01 = 2, e_11 = 2; e_0 = 4, e_1 = 4; k = 1, 3, 2, 2.
    degrees = _multiset(2, 4) * 2
    graph = 2 * lgamma(5) - lgamma(3) - 2 * (log(2) + lgamma(2))
    graph -= lgamma(2) + lgamma(4) + 2 * lgamma(3)
    expected = _common_by_hand() + degrees + graph + _weights_by_hand()
    assert _length(TINY, Z, True) == pytest.approx(expected, rel=1e-12)


def test_plain_length_matches_the_formula_by_hand():
    # ((n_0 n_1, e_01)) = ((4, 2)); inside ((n(n+1)/2, m_rr)) = ((3, 1)) twice.
    graph = _multiset(4, 2) + 2 * _multiset(3, 1)
    expected = _common_by_hand() + graph + _weights_by_hand()
    assert _length(TINY, Z, False) == pytest.approx(expected, rel=1e-12)


def _planted_graph(seed: int, disassortative: bool = False):
    """Degree-corrected blocks (hubs and leaves) with exponential weights."""
    rng = np.random.default_rng(seed)
    z = np.repeat([0, 1, 2], 20)
    theta = rng.pareto(2.5, z.size) + 1.0
    theta /= theta.mean()
    p = np.full((3, 3), 0.04)
    if disassortative:
        p[[0, 1], [1, 0]] = p[2, 2] = 0.5
    else:
        np.fill_diagonal(p, 0.45)
    prob = np.clip(np.outer(theta, theta) * p[z][:, z], 0, 1)
    edges = np.triu(rng.random(prob.shape) < prob, 1)
    means = np.array([[3.0, 1.0, 1.0], [1.0, 2.0, 1.0], [1.0, 1.0, 4.0]])
    w = np.where(edges, rng.exponential(means[z][:, z]), 0.0)
    return w + w.T, z


@pytest.mark.parametrize("disassortative", [False, True])
def test_planted_blocks_are_recovered_with_their_number(disassortative):
    w, z = _planted_graph(0, disassortative)
    fit = weighted_sbm(
        w,
        distribution="exponential",
        degree_corrected=True,
        criterion="mdl",
        max_communities=5,
        random_state=0,
    )
    assert fit.n_communities == 3
    assert adjusted_rand_score(z, fit.labels) > 0.9
    assert min(fit.description_length, key=fit.description_length.get) == 3
    assert fit.description_length[3] <= _length(w, z, True) + 1e-6
    assert fit.icl == {}
    assert np.array_equal(fit.levels[0], fit.labels) and fit.levels[-1].max() == 0
    assert [int(level.max()) + 1 for level in fit.levels] == [3, 2, 1]


def test_a_random_graph_is_one_block():
    rng = np.random.default_rng(1)
    edges = np.triu(rng.random((50, 50)) < 0.2, 1)
    w = np.where(edges, rng.exponential(1.0, edges.shape), 0.0)
    fit = weighted_sbm(
        w + w.T, distribution="exponential", criterion="mdl", max_communities=4
    )
    assert fit.n_communities == 1


def test_weights_alone_reveal_blocks_on_a_uniform_topology():
    # Every pair linked with the same probability; only the weights differ.
    rng = np.random.default_rng(2)
    z = np.repeat([0, 1], 25)
    edges = np.triu(rng.random((50, 50)) < 0.5, 1)
    means = np.where(z[:, None] == z[None, :], 5.0, 0.5)
    w = np.where(edges, rng.exponential(means), 0.0)
    fit = weighted_sbm(
        w + w.T,
        distribution="exponential",
        degree_corrected=False,
        criterion="mdl",
        max_communities=4,
        random_state=0,
    )
    assert adjusted_rand_score(z, fit.labels) > 0.9


def test_auto_keeps_the_shorter_model():
    w, _ = _planted_graph(3)
    kw = {"distribution": "exponential", "criterion": "mdl", "max_communities": 3}
    fits = [
        weighted_sbm(w, degree_corrected=dc, random_state=0, **kw)
        for dc in (True, False, "auto")
    ]
    shortest = [min(f.description_length.values()) for f in fits]
    assert shortest[2] == pytest.approx(min(shortest[:2]))


def test_detect_communities_sbm_mdl_is_the_auto_fit():
    w, z = _planted_graph(5)
    labels = detect_communities(w, "sbm-mdl", max_communities=3, random_state=0)
    fit = weighted_sbm(
        w,
        distribution="exponential",
        degree_corrected="auto",
        criterion="mdl",
        max_communities=3,
        random_state=0,
    )
    np.testing.assert_array_equal(labels, fit.labels)
    assert adjusted_rand_score(z, labels) > 0.9


def test_sbm_mdl_recovers_the_simulator_motifs():
    rec = simulate_switching_communities(n_neurons=24, random_state=2)
    dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
    windows = sliding_windows(dff.duration, 20.0)
    dc = dynamic_connectome(
        affinity_tensor(dff, windows),
        3,
        n_restarts=2,
        random_state=0,
        community_method="sbm-mdl",
        max_communities=4,
    )
    truth = rec.channel_info["community"]
    for r in range(3):
        epoch = int(np.argmax(np.add.reduceat(dc.time_courses[:, r], [0, 6, 12])))
        assert adjusted_rand_score(dc.communities[r], truth[:, epoch]) >= 0.9


def test_bad_mdl_options():
    w, _ = _planted_graph(0)
    with pytest.raises(ValidationError, match="criterion"):
        weighted_sbm(w, criterion="bic")
    with pytest.raises(ValidationError, match="distribution='exponential'"):
        weighted_sbm(w, criterion="mdl")
    with pytest.raises(ValidationError, match="non-zero weight"):
        weighted_sbm(np.zeros((5, 5)), distribution="exponential", criterion="mdl")
