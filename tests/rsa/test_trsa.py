"""Topological RSA: GT transform, geodesic RDMs, model identification."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError
from neurokit_ai.rsa import RDMs, geodesic, geotopological, select_model

rt = pytest.importorskip("rsatoolbox")
_transforms = importlib.import_module("rsatoolbox.rdm.transform")
geodesic_transform = _transforms.geodesic_transform
gt_transform = _transforms.geotopological_transform

nx = pytest.importorskip("networkx")
BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "trsa_simulation.py"


def test_gt_matches_formula_and_rsatoolbox_joint():
    rng = np.random.default_rng(0)
    v = rng.random((3, 28)) * np.array([[1.0], [2.0], [5.0]])
    ref = gt_transform(rt.rdm.RDMs(v.copy()), 0.2, 0.7)
    ours = geotopological(RDMs(v), 0.2, 0.7, joint=True)
    np.testing.assert_allclose(ours.vectors, ref.get_vectors(), rtol=1e-12)
    per = geotopological(RDMs(v), 0.2, 0.7).vectors
    for row, out in zip(v, per):
        lo, hi = np.quantile(row, [0.2, 0.7])
        np.testing.assert_allclose(out, np.clip((row - lo) / (hi - lo), 0, 1))
    binary = geotopological(RDMs(v), 0.5, 0.5).vectors
    assert set(np.unique(binary)) == {0.0, 1.0}


def _explicit_zero_geodesic(vec, n):
    g = nx.Graph()
    g.add_nodes_from(range(n))
    iu = np.triu_indices(n, 1)
    for a, b, w in zip(*iu, vec):
        if w < 1:
            g.add_edge(a, b, weight=w)  # zero weights stay edges
    d = nx.floyd_warshall_numpy(g)
    return d[iu]


def test_geodesic_keeps_zero_length_edges():
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(9, 2))
    from scipy.spatial.distance import pdist

    r = RDMs(pdist(pts))
    ours = geodesic(r, 0.3, 0.8).vectors[0]
    gt = geotopological(r, 0.3, 0.8).vectors[0]
    expect = _explicit_zero_geodesic(gt, 9)
    assert np.isfinite(expect).all()
    np.testing.assert_allclose(ours, expect, atol=1e-12)
    # rsatoolbox's networkx graph drops the zero entries as non-edges, so some
    # of its geodesics are longer (or infinite): the pitfall we avoid.
    theirs = geodesic_transform(
        gt_transform(rt.rdm.RDMs(r.vectors.copy()), 0.3, 0.8)
    ).get_vectors()[0]
    assert np.any(theirs > ours + 1e-9)


def test_geodesic_unreachable_fill():
    # two far-apart pairs: a-b and c-d close, everything else saturates
    mats = np.array(
        [[0, 0.1, 5, 5], [0.1, 0, 5, 5], [5, 5, 0, 0.2], [5, 5, 0.2, 0]], float
    )
    r = RDMs(mats)
    out = geodesic(r, 0.0, 0.5, unreachable=np.inf).vectors[0]
    assert np.isinf(out[1:5]).all() and np.isfinite(out[[0, 5]]).all()
    filled = geodesic(r, 0.0, 0.5).vectors[0]
    assert np.isfinite(filled).all() and filled.max() == filled[[0, 5]].max()


def _simulation():
    spec = importlib.util.spec_from_file_location("trsa_simulation", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_simulation_machinery_noise_free_identification_is_perfect():
    pytest.importorskip("torch")
    sim = _simulation()
    acts = sim.layer_activations(n_seeds=2, widths=(16, 16, 16), n_stimuli=12, steps=20)
    # With the brain's own network among the candidates, no noise and no
    # idiosyncrasy, every statistic must pick the true layer.
    table = sim.identification_table(
        acts,
        noise_levels=(0.0,),
        n_trials=3,
        n_subjects=1,
        idiosyncrasy=0.0,
        candidate_seeds=(0, 1),
    )
    assert all(acc == 1.0 for acc in table[0.0].values())
    assert "RDM" in sim.format_table(table)


def test_simulation_cnn_learns_the_shapes_and_identifies_its_own_layers():
    pytest.importorskip("torch")
    sim = _simulation()
    images, labels = sim.shape_images(64, np.random.default_rng(0))
    assert images.shape == (64, 1, 16, 16) and images.dtype == np.float32
    assert set(labels) <= set(range(sim.N_CLASSES))
    acts, accuracy = sim.cnn_activations(
        n_seeds=2, n_stimuli=16, n_train=1200, max_epochs=5
    )
    # trained, not random: far above chance (1/8) on held-out images
    assert min(accuracy.values()) > 0.5
    assert list(acts[0]) == list(sim.CNN_LAYERS)
    assert acts[1]["conv2"].shape == (16, 16 * 8 * 8)
    table = sim.identification_table(
        acts,
        noise_levels=(0.0,),
        n_trials=5,
        n_subjects=1,
        idiosyncrasy=0.0,
        candidate_seeds=(0, 1),
    )
    assert all(acc == 1.0 for acc in table[0.0].values())


def test_paired_comparison_with_the_plain_rdm_is_mcnemar():
    sim = _simulation()
    base = np.array([True, False, False, False, False, False, True, True])
    better = np.array([True, True, True, True, True, True, True, True])
    trials = {
        0.0: {label: np.zeros(8, bool) for label in sim.STATISTICS},
        1.0: {label: base for label in sim.STATISTICS},
    }
    trials[1.0]["GT 0.5-0.5"] = better
    out = sim.paired_against_rdm(trials)
    # 5 wins, 0 losses: two-sided exact binomial p = 2 * 0.5**5; noise 0 ignored
    assert out["GT 0.5-0.5"] == pytest.approx((5 / 8, 2 * 0.5**5))
    assert out["GT 0.1-0.9"] == (0.0, 1.0)
    assert "+-" in sim.format_table(sim.accuracy_table(trials), n_trials=8)


def test_select_model_and_bad_input():
    from scipy.spatial.distance import pdist

    rng = np.random.default_rng(2)
    clouds = rng.normal(size=(4, 10, 3))
    cands = RDMs(np.stack([pdist(c) for c in clouds]), names=list("abcd"))
    noisy = RDMs(pdist(clouds[2] + 0.05 * rng.normal(size=(10, 3))))
    for stat in ("rdm", "gt", "geodesic"):
        assert select_model(noisy, cands, statistic=stat)[0] == "c"
    with pytest.raises(NeurokitError, match="lower"):
        geotopological(cands, 0.8, 0.2)
    with pytest.raises(NeurokitError, match="statistic"):
        select_model(noisy, cands, statistic="topo")
    with pytest.raises(NeurokitError, match="different sizes|only in"):
        select_model(RDMs(np.ones(3)), cands)
