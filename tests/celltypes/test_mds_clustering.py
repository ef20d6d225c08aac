"""MDSClustering: toy problems with known answers, prediction, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from neurokit_ai.celltypes import MDSClustering
from neurokit_ai.core import DTypeError, NotFittedError, ValidationError


def _filter_model(filters: np.ndarray, signs: np.ndarray) -> torch.nn.Module:
    """Neuron n: softplus(g_n · (sign_n · ⟨filter_n, x⟩ − 0.5)), fixed weights."""
    gains = np.random.default_rng(7).uniform(0.5, 2.0, len(signs))
    linear = torch.nn.Linear(filters.shape[1], len(signs))
    with torch.no_grad():
        linear.weight.copy_(torch.as_tensor(filters * signs[:, None] * gains[:, None]))
        linear.bias.copy_(torch.as_tensor(-0.5 * gains))
    return torch.nn.Sequential(torch.nn.Flatten(), linear, torch.nn.Softplus())


@pytest.fixture(scope="module")
def on_off():
    rng = np.random.default_rng(0)
    w = rng.normal(size=16)
    w /= np.linalg.norm(w)
    signs = np.array([1.0] * 6 + [-1.0] * 6)
    filters = np.tile(w, (12, 1)) + 0.05 * rng.normal(size=(12, 16))
    reference = rng.normal(size=(300, 16))
    return _filter_model(filters, signs), reference, w, signs


@pytest.mark.parametrize("init", ["kmeans", "random"])
def test_two_type_toy_is_solved_exactly(on_off, init):
    model, reference, w, signs = on_off
    mds = MDSClustering(n_clusters=2, init=init, random_state=0).fit(model, reference)
    assert adjusted_rand_score(signs, mds.labels_) == 1.0
    assert mds.converged_
    # only the norm bound is active; the optimum is ±norm·w (ON: +w, OFF: −w)
    on = mds.labels_[0]
    cos = mds.stimuli_ @ w / np.linalg.norm(mds.stimuli_ - reference.mean(), axis=1)
    assert cos[on] > 0.99 and cos[1 - on] < -0.99
    assert np.diag(mds.cluster_responses_).min() > mds.cluster_responses_[0, 1]


def test_stimuli_respect_norm_and_range(on_off):
    model, reference, _, _ = on_off
    mds = MDSClustering(n_clusters=2, norm=1.5, value_range=(-0.6, 0.8)).fit(
        model, reference
    )
    dev = (mds.stimuli_ - reference.mean()).reshape(2, -1)
    assert np.all(np.linalg.norm(dev, axis=1) <= 1.5 + 1e-5)
    assert mds.stimuli_.min() >= -0.6 - 1e-6 and mds.stimuli_.max() <= 0.8 + 1e-6
    default = MDSClustering(n_clusters=2).fit(model, reference)
    median = np.median(np.linalg.norm(reference - reference.mean(), axis=1))
    assert default.norm_ == pytest.approx(median)
    assert np.all(
        np.linalg.norm(default.stimuli_ - reference.mean(), axis=1) <= median + 1e-4
    )


def test_predict_assigns_new_neurons_from_mds_responses(on_off):
    model, reference, w, _ = on_off
    mds = MDSClustering(n_clusters=2).fit(model, reference)
    rng = np.random.default_rng(3)
    new_signs = rng.choice([-1.0, 1.0], size=30)
    new = _filter_model(
        np.tile(w, (30, 1)) + 0.05 * rng.normal(size=(30, 16)), new_signs
    )
    with torch.no_grad():
        responses = new(torch.as_tensor(mds.stimuli_, dtype=torch.float32)).numpy()
    labels = mds.predict(responses)
    assert adjusted_rand_score(new_signs, labels) == 1.0
    assert np.array_equal(mds.predict_model(new), labels)
    assert np.array_equal(mds.predict_model(model), mds.labels_)


def test_auto_selects_the_planted_number_of_types():
    rng = np.random.default_rng(1)
    basis = np.linalg.qr(rng.normal(size=(16, 3)))[0].T
    types = np.repeat(np.arange(3), 5)
    filters = basis[types] + 0.05 * rng.normal(size=(15, 16))
    model = _filter_model(filters, np.ones(15))
    mds = MDSClustering(n_clusters="auto", max_clusters=5, n_steps=60).fit(
        model, rng.normal(size=(300, 16))
    )
    assert mds.n_clusters_ == 3
    assert adjusted_rand_score(types, mds.labels_) == 1.0
    # "auto" starts from max_clusters and merges down
    sizes = [h["n_clusters"] for h in mds.history_]
    assert sizes[0] == 5 and sizes[-1] == 3 and sizes == sorted(sizes)[::-1]


def _with_singleton(on_off):
    """The ON/OFF toy plus one neuron of its own type (an orthogonal filter)."""
    _, reference, w, signs = on_off
    rng = np.random.default_rng(0)
    filters = np.tile(w, (12, 1)) + 0.05 * rng.normal(size=(12, 16))
    odd = rng.normal(size=16)
    odd -= (odd @ w) * w
    odd /= np.linalg.norm(odd)
    return _filter_model(np.vstack([filters, odd]), np.append(signs, 1.0))


def test_min_cluster_size_dissolves_a_planted_singleton(on_off):
    model, reference = _with_singleton(on_off), on_off[1]
    signs = on_off[3]
    kept = MDSClustering(n_clusters="auto", max_clusters=4, min_cluster_size=1).fit(
        model, reference
    )
    assert kept.n_clusters_ == 3
    assert np.sum(kept.labels_ == kept.labels_[12]) == 1
    assert adjusted_rand_score(signs, kept.labels_[:12]) == 1.0
    mds = MDSClustering(n_clusters="auto", max_clusters=4, min_cluster_size=2).fit(
        model, reference
    )
    assert mds.n_clusters_ == 2
    assert np.bincount(mds.labels_).min() >= 2
    assert adjusted_rand_score(signs, mds.labels_[:12]) == 1.0
    # the singleton joins the cluster whose MDS drives it most
    with torch.no_grad():
        resp = model(torch.as_tensor(mds.stimuli_, dtype=torch.float32)).numpy()
    assert mds.labels_[12] == resp[:, 12].argmax()
    # a fraction of the 13 neurons, rounded up: 0.1 -> 2 neurons, 0.05 -> 1
    assert (
        MDSClustering(n_clusters="auto", max_clusters=4, min_cluster_size=0.1)
        .fit(model, reference)
        .n_clusters_
        == 2
    )
    assert (
        MDSClustering(n_clusters="auto", max_clusters=4, min_cluster_size=0.05)
        .fit(model, reference)
        .n_clusters_
        == 3
    )


def test_estimator_is_clonable():
    est = MDSClustering(n_clusters=3, temperature=0.5)
    assert clone(est).get_params() == est.get_params()


def test_bad_input(on_off):
    model, reference, _, _ = on_off
    with pytest.raises(ValidationError, match="n_clusters=13 is more than the 12"):
        MDSClustering(n_clusters=13).fit(model, reference)
    with pytest.raises(ValidationError, match="n_clusters must be an int"):
        MDSClustering(n_clusters="three").fit(model, reference)
    with pytest.raises(ValidationError, match="n_clusters must be >= 2"):
        MDSClustering(n_clusters=1).fit(model, reference)
    with pytest.raises(ValidationError, match="merge_threshold must be <= 1"):
        MDSClustering(n_clusters=2, merge_threshold=1.5).fit(model, reference)
    with pytest.raises(ValidationError, match="min_cluster_size must be >= 1"):
        MDSClustering(n_clusters=2, min_cluster_size=0).fit(model, reference)
    with pytest.raises(ValidationError, match="min_cluster_size must be < 1"):
        MDSClustering(n_clusters=2, min_cluster_size=1.5).fit(model, reference)
    with pytest.raises(ValidationError, match="min_cluster_size must be an int"):
        MDSClustering(n_clusters=2, min_cluster_size="2").fit(model, reference)
    with pytest.raises(ValidationError, match="max_clusters must be >= 2"):
        MDSClustering(n_clusters="auto", max_clusters=1).fit(model, reference)
    with pytest.raises(DTypeError, match="ConvResponseModel or a torch.nn.Module"):
        MDSClustering(n_clusters=2).fit(np.zeros((3, 3)), reference)
    with pytest.raises(ValidationError, match="stimuli is None"):
        MDSClustering(n_clusters=2).fit(model)
    bad = reference.copy()
    bad[4, 2] = np.nan
    with pytest.raises(ValidationError, match="non-finite"):
        MDSClustering(n_clusters=2).fit(model, bad)
    with pytest.raises(ValidationError, match="value_range"):
        MDSClustering(n_clusters=2, value_range=(1.0, 2.0)).fit(model, reference)
    with pytest.raises(NotFittedError):
        MDSClustering(n_clusters=2).predict(np.ones((2, 3)))
    mds = MDSClustering(n_clusters=2, n_steps=10, max_iter=2).fit(model, reference)
    with pytest.raises(ValidationError, match="X has 3 rows but there are 2 MDS"):
        mds.predict(np.ones((3, 4)))
    flat = np.array([[1.0, 2.0], [1.0, 3.0]])
    with pytest.raises(ValidationError, match="no variance"):
        mds.predict(flat)


def test_constant_model_neuron_is_rejected(on_off):
    _, reference, _, _ = on_off
    linear = torch.nn.Linear(16, 3)
    with torch.no_grad():
        linear.weight[2] = 0.0
    with pytest.raises(ValidationError, match=r"columns \[2\]"):
        MDSClustering(n_clusters=2).fit(linear, reference)


@pytest.mark.parametrize("start", [3, 5])
def test_merging_shrinks_too_many_clusters_to_the_planted_two(on_off, start):
    """Burg et al.'s README example: 5 clusters on an ON/OFF toy end as 2."""
    model, reference, _, signs = on_off
    kept = MDSClustering(n_clusters=start, random_state=0).fit(model, reference)
    assert kept.n_clusters_ == start
    mds = MDSClustering(n_clusters=start, merge_threshold=0.5, random_state=0).fit(
        model, reference
    )
    assert mds.n_clusters_ == 2 and mds.stimuli_.shape == (2, 16)
    assert adjusted_rand_score(signs, mds.labels_) == 1.0
    sizes = [h["n_clusters"] for h in mds.history_]
    assert sizes[0] == start and sizes[-1] == 2 and sizes == sorted(sizes)[::-1]
    assert mds.n_iter_ == len(mds.history_)


def test_merging_stops_at_discriminable_types():
    rng = np.random.default_rng(1)
    basis = np.linalg.qr(rng.normal(size=(16, 3)))[0].T
    types = np.repeat(np.arange(3), 5)
    model = _filter_model(basis[types] + 0.05 * rng.normal(size=(15, 16)), np.ones(15))
    mds = MDSClustering(n_clusters=5, merge_threshold=0.5, n_steps=60).fit(
        model, rng.normal(size=(300, 16))
    )
    assert mds.n_clusters_ == 3
    assert adjusted_rand_score(types, mds.labels_) == 1.0
