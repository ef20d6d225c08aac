"""weighted_lfr_graph: the planted degrees, communities, mixing and strengths."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import weighted_lfr_graph

KW = {"n_nodes": 100, "average_degree": 10, "max_degree": 25, "mu_t": 0.3}


@pytest.fixture(scope="module")
def graphs():
    return [weighted_lfr_graph(**KW, mu_w=0.2, random_state=s) for s in range(4)]


def test_graph_is_simple_symmetric_and_realises_the_degree_sequence(graphs):
    for g in graphs:
        assert g.weights.shape == g.adjacency.shape == (100, 100)
        np.testing.assert_array_equal(g.weights, g.weights.T)
        np.testing.assert_array_equal(g.adjacency, g.adjacency.T)
        assert not g.adjacency.diagonal().any()
        assert (g.weights[~g.adjacency] == 0).all() and (g.weights >= 0).all()
        np.testing.assert_array_equal(g.adjacency.sum(axis=1), g.degrees)
        assert g.degrees.max() <= 25 and g.degrees.min() >= g.params["min_degree"]


def test_degrees_follow_the_power_law_with_the_requested_mean(graphs):
    # tau1 = 2 on [k_min, 25]: k_min is the integer whose discrete mean is 10.
    values = np.arange(1, 26)
    means = [
        (values[k - 1 :] ** -1.0).sum() / (values[k - 1 :] ** -2.0).sum()
        for k in values
    ]
    k_min = graphs[0].params["min_degree"]
    assert k_min == int(np.argmin(np.abs(np.array(means) - 10.0))) + 1
    pooled = np.concatenate([g.degrees for g in graphs])
    pmf = values[k_min - 1 :] ** -2.0
    pmf /= pmf.sum()
    sem = np.sqrt(((values[k_min - 1 :] - means[k_min - 1]) ** 2 * pmf).sum() / 400)
    assert abs(pooled.mean() - means[k_min - 1]) < 4 * sem
    # The most likely degree, k_min, is drawn about as often as its probability.
    share = np.mean(pooled == k_min)
    assert abs(share - pmf[0]) < 4 * np.sqrt(pmf[0] * (1 - pmf[0]) / 400)


def test_communities_host_their_members_internal_links(graphs):
    for g in graphs:
        sizes = np.bincount(g.communities)
        assert sizes.sum() == 100 and sizes.min() >= 2
        assert (sizes[g.communities] > g.internal_degrees).all()
        kin = 0.7 * g.degrees
        assert (np.abs(g.internal_degrees - kin) < 1).all()


def test_topological_and_weight_mixing_match_mu_t_and_mu_w(graphs):
    for g in graphs:
        mu_t, mu_w = g.mixing()
        assert abs(mu_t.mean() - 0.3) < 0.03
        assert abs(mu_w.mean() - 0.2) < 0.01
        same = g.communities[:, None] == g.communities[None, :]
        realised_in = (g.adjacency & same).sum(axis=1)
        assert np.mean(realised_in == g.internal_degrees) >= 0.9


@pytest.mark.parametrize("beta", [0.5, 1.0])
def test_strengths_are_k_to_the_beta_split_by_mu_w(graphs, beta):
    g = weighted_lfr_graph(**KW, mu_w=0.2, beta=beta, random_state=1)
    s = g.weights.sum(axis=1)
    target = g.degrees.astype(float) ** beta
    np.testing.assert_allclose(g.strengths, target)
    np.testing.assert_allclose(s, target, rtol=1e-4)
    outside = g.communities[:, None] != g.communities[None, :]
    np.testing.assert_allclose((g.weights * outside).sum(axis=1), 0.2 * s, rtol=1e-4)
    assert g.params["strength_error"] < 1e-4


def test_beta_two_makes_hubs_heavy_within_the_stated_error():
    g = weighted_lfr_graph(**KW, mu_w=0.2, beta=2.0, random_state=0)
    s = g.weights.sum(axis=1)
    slope = np.polyfit(np.log(g.degrees), np.log(s), 1)[0]
    assert 1.8 < slope < 2.2
    rel = np.abs(s - g.degrees**2.0) / g.degrees**2.0
    assert rel.max() <= g.params["strength_error"] + 1e-12


def test_paper_settings_always_give_several_communities():
    # N = 125, max degree 100: the largest hub's community may hold most
    # nodes; with seeds 15 and 20 the first draw of sizes left one community.
    for seed in (15, 20):
        g = weighted_lfr_graph(125, 25, 100, 0.25, 0.25, random_state=seed)
        sizes = np.bincount(g.communities)
        assert sizes.size >= 2 and (sizes[g.communities] > g.internal_degrees).all()


def test_sizes_that_leave_one_community_are_refused():
    with pytest.raises(ValidationError, match="two or more"):
        weighted_lfr_graph(
            12, 3, 6, 0.3, 0.3, min_community=9, max_community=10, random_state=0
        )


def test_no_mixing_keeps_links_and_weight_inside():
    # Stubs that a small community cannot pair inside (a non-graphical
    # internal sequence) go outside, so a few links leave; they carry no weight.
    g = weighted_lfr_graph(60, 6, 12, mu_t=0.0, mu_w=0.0, random_state=0)
    outside = g.communities[:, None] != g.communities[None, :]
    assert (g.adjacency & outside).sum() <= 0.03 * g.adjacency.sum()
    assert not (g.weights * outside).any()


def test_same_seed_same_graph_and_networkx_export():
    a = weighted_lfr_graph(40, 8, 16, mu_t=0.4, mu_w=0.4, random_state=3)
    b = weighted_lfr_graph(40, 8, 16, mu_t=0.4, mu_w=0.4, random_state=3)
    c = weighted_lfr_graph(40, 8, 16, mu_t=0.4, mu_w=0.4, random_state=4)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.array_equal(a.adjacency, c.adjacency)
    nxg = a.to_networkx()
    assert nxg.number_of_nodes() == 40
    u, v = next(iter(nxg.edges))
    assert nxg[u][v]["weight"] == a.weights[u, v]
    assert nxg.nodes[u]["community"] == a.communities[u]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mu_t": 1.5}, "mu_t"),
        ({"mu_w": -0.1}, "mu_w"),
        ({"beta": -1.0}, "beta"),
        ({"average_degree": 30}, "average_degree"),
        ({"max_degree": 100}, "max_degree"),
        ({"n_nodes": 3}, "n_nodes"),
        ({"min_community": 30, "max_community": 20}, "max_community"),
        ({"average_degree": 2.0, "tau1": 0.0}, "out of reach"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        weighted_lfr_graph(**{**KW, "mu_w": 0.2, **kwargs})


def test_non_integer_degree_bound_is_a_dtype_error():
    with pytest.raises(DTypeError, match="max_degree"):
        weighted_lfr_graph(**{**KW, "max_degree": 25.5})
