"""Degree-corrected weighted SBM: planted blocks, strengths, hierarchy, communities."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from neurokit_ai.connectome import (
    SBMResult,
    affinity_tensor,
    detect_communities,
    dynamic_connectome,
    prepare_traces,
    sliding_windows,
    weighted_sbm,
)
from neurokit_ai.connectome._dcsbm import fit_degree_corrected
from neurokit_ai.core import ValidationError
from neurokit_ai.datasets._connectome import simulate_switching_communities

OMEGA = np.array([[1.0, 0.1, 0.05], [0.1, 0.8, 0.1], [0.05, 0.1, 1.2]])


def _planted(seed: int, noise: float = 0.05):
    """Weights ``θ_i θ_j ω_ab`` + noise, strengths spread over 0.3–1.7."""
    rng = np.random.default_rng(seed)
    z = np.repeat([0, 1, 2], 12)
    theta = rng.uniform(0.3, 1.7, z.size)
    w = np.outer(theta, theta) * OMEGA[z][:, z]
    w = w + rng.normal(0.0, noise, w.shape) if noise else w
    w = np.triu(w.clip(0), 1)
    return w + w.T, z, theta


def test_exact_degree_corrected_matrix_is_fitted_exactly():
    w, z, theta = _planted(0, noise=0.0)
    labels, strengths, omega, rss = fit_degree_corrected(w, z)
    assert np.array_equal(labels, z)
    assert rss < 1e-10 * np.sum(np.triu(w, 1) ** 2)
    # θ is normalised to mean 1 per block; ω absorbs the block means.
    means = np.array([theta[z == b].mean() for b in range(3)])
    np.testing.assert_allclose(strengths, theta / means[z], rtol=1e-5)
    np.testing.assert_allclose(omega, OMEGA * np.outer(means, means), rtol=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_heterogeneous_strengths_split_the_flat_model_not_the_corrected_one(seed):
    w, z, theta = _planted(seed)
    fit = weighted_sbm(w, degree_corrected=True, random_state=0)
    assert fit.n_communities == 3 and adjusted_rand_score(z, fit.labels) == 1.0
    assert np.corrcoef(fit.strengths, theta)[0, 1] > 0.9
    # The flat model explains the strong and weak members by blocks of their own.
    flat = weighted_sbm(w, random_state=0)
    assert flat.n_communities > 3 and adjusted_rand_score(z, flat.labels) < 0.7
    assert flat.strengths is None and len(flat.levels) == 1


def test_auto_keeps_the_model_with_the_larger_icl():
    w, z, _ = _planted(5)
    auto = weighted_sbm(w, degree_corrected="auto", random_state=0)
    assert auto.strengths is not None and adjusted_rand_score(z, auto.labels) == 1.0
    # Equal strengths: the n - K strengths are not worth their penalty.
    rng = np.random.default_rng(5)
    flat_w = OMEGA[z][:, z] + rng.normal(0.0, 0.05, w.shape)
    flat_w = np.triu(flat_w.clip(0), 1)
    flat_w = flat_w + flat_w.T
    auto = weighted_sbm(flat_w, degree_corrected="auto", random_state=0)
    assert auto.strengths is None and adjusted_rand_score(z, auto.labels) == 1.0
    both = [
        weighted_sbm(flat_w, degree_corrected=d, random_state=0) for d in (False, True)
    ]
    assert max(both[0].icl.values()) > max(both[1].icl.values())


def test_nested_levels_merge_one_pair_at_a_time():
    w, z, _ = _planted(3)
    levels = weighted_sbm(w, degree_corrected=True, random_state=0).levels
    assert [int(level.max()) + 1 for level in levels] == [3, 2, 1]
    assert np.array_equal(levels[0], z)
    # Blocks 0 and 2 are the least tied (ω 0.05): they are not merged first.
    assert adjusted_rand_score(levels[1], np.where(z == 2, 1, 0)) == 1.0 or (
        adjusted_rand_score(levels[1], np.where(z == 0, 0, 1)) == 1.0
    )


def test_communities_merge_blocks_tied_as_strongly_as_within():
    means = np.array([[1.0, 0.9, 0.1], [0.9, 0.8, 0.1], [0.1, 0.1, 1.0]])
    fit = SBMResult(np.array([2, 0, 0, 1, 1, 2]), 3, {}, means)
    assert fit.communities().tolist() == [0, 1, 1, 1, 1, 0]
    # By hand: E_01 = 0.9 x 4 = 3.6, m = 7.2, D_0 = 6.0, D_1 = 5.6, so merging
    # 0 and 1 gains 3.6 / 7.2 - γ 6.0 x 5.6 / (2 x 7.2²) > 0 only for γ < 1.54.
    assert fit.communities(resolution=1.5).tolist() == [0, 1, 1, 1, 1, 0]
    assert fit.communities(resolution=1.6).tolist() == [0, 1, 1, 2, 2, 0]
    with pytest.raises(ValidationError, match="resolution"):
        fit.communities(resolution=0.0)


def _set_partitions(items: list[int]) -> list[list[list[int]]]:
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for part in _set_partitions(rest):
        out.append([[first], *part])
        for i in range(len(part)):
            out.append([*part[:i], [first, *part[i]], *part[i + 1 :]])
    return out


@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_communities_reach_the_best_networkx_modularity_of_any_block_merge(
    resolution,
):
    """Exact block-constant weights: the merged blocks maximise the weighted
    modularity of the node graph (networkx) over all 15 merges of 4 blocks."""
    import networkx as nx

    z = np.repeat([0, 1, 2, 3], [3, 4, 5, 6])
    means = np.array(
        [
            [1.0, 0.9, 0.2, 0.1],
            [0.9, 0.8, 0.1, 0.2],
            [0.2, 0.1, 0.7, 0.5],
            [0.1, 0.2, 0.5, 0.9],
        ]
    )
    w = means[z][:, z]
    np.fill_diagonal(w, 0.0)
    graph = nx.from_numpy_array(w)

    def modularity(labels: np.ndarray) -> float:
        parts = [set(np.flatnonzero(labels == c).tolist()) for c in set(labels)]
        return nx.community.modularity(graph, parts, resolution=resolution)

    fit = SBMResult(z, 4, {}, means)
    ours = modularity(fit.communities(resolution=resolution))
    best = max(
        modularity(np.array([next(i for i, p in enumerate(part) if b in p) for b in z]))
        for part in _set_partitions([0, 1, 2, 3])
    )
    assert ours == pytest.approx(best, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_sbm_communities_keep_blocks_tied_almost_as_strongly_as_within(seed):
    """Between-block affinity 0.8 of the within 1.0: three communities, not one."""
    rng = np.random.default_rng(seed)
    z = np.repeat([0, 1, 2], 12)
    theta = rng.uniform(0.5, 1.5, z.size)
    omega = np.where(np.eye(3, dtype=bool), 1.0, 0.8)
    w = np.outer(theta, theta) * omega[z][:, z] + rng.normal(0.0, 0.05, (36, 36))
    w = np.triu(w.clip(0), 1)
    w = w + w.T
    fit = weighted_sbm(w, degree_corrected=True, random_state=0)
    assert adjusted_rand_score(z, fit.labels) == 1.0
    # Every tie is above half the weaker within-block affinity: the former
    # ratio-0.5 rule joined all three blocks into one community.
    within = np.diag(fit.block_means)
    assert (fit.block_means >= 0.5 * np.minimum.outer(within, within)).all()
    assert adjusted_rand_score(z, fit.communities()) == 1.0
    assert adjusted_rand_score(z, detect_communities(w, "sbm", random_state=0)) == 1.0


def test_sbm_communities_recover_planted_motifs():
    rec = simulate_switching_communities(random_state=6)
    dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
    windows = sliding_windows(dff.duration, 20.0)
    dc = dynamic_connectome(
        affinity_tensor(dff, windows),
        3,
        n_restarts=2,
        random_state=0,
        community_method="sbm",
    )
    truth = rec.channel_info["community"]
    for r in range(3):
        epoch = int(np.argmax(np.add.reduceat(dc.time_courses[:, r], [0, 6, 12])))
        assert adjusted_rand_score(dc.communities[r], truth[:, epoch]) >= 0.9


def test_detect_communities_sbm_uses_the_corrected_model():
    w, z, _ = _planted(4)
    assert adjusted_rand_score(z, detect_communities(w, "sbm", random_state=0)) == 1.0


def test_bad_degree_corrected_options():
    w, _, _ = _planted(0)
    with pytest.raises(ValidationError, match="distribution='normal'"):
        weighted_sbm(w, distribution="exponential", degree_corrected=True)
    with pytest.raises(ValidationError, match="degree_corrected must be"):
        weighted_sbm(w, degree_corrected="yes")
    with pytest.raises(ValidationError, match="distribution='normal'"):
        weighted_sbm(w, distribution="exponential", degree_corrected="auto")
