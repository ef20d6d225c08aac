"""RDM computation: rsatoolbox agreement, chunking, hand-checked cases, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from neurokit_ai.core import NeurokitError, Responses
from neurokit_ai.rsa import RDMs, compute_rdm, noise_precision
from neurokit_ai.rsa import _rdm as rdm_module

rt = pytest.importorskip("rsatoolbox")
RTOL = 1e-8


def _dataset(n_cond=9, n_rep=4, n_units=30, seed=0, positive=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_cond * n_rep, n_units))
    if positive:
        x = rng.poisson(3.0, size=x.shape).astype(float)
    cond = [f"c{i}" for i in np.repeat(np.arange(n_cond), n_rep)]
    runs = np.tile(np.arange(n_rep), n_cond)
    return x, cond, runs


@pytest.mark.parametrize(
    "method", ["euclidean", "correlation", "mahalanobis", "crossnobis", "poisson"]
)
def test_agrees_with_rsatoolbox(method):
    x, cond, runs = _dataset(positive=method == "poisson")
    prec = noise_precision(np.random.default_rng(1).normal(size=(300, x.shape[1])))
    noise = prec if method in ("mahalanobis", "crossnobis") else None
    ds = rt.data.Dataset(x, obs_descriptors={"c": np.array(cond), "r": runs})
    ref = rt.rdm.calc_rdm(
        ds,
        method,
        "c",
        noise=noise,
        cv_descriptor="r" if method == "crossnobis" else None,
    )
    ours = compute_rdm(Responses(x, conditions=cond, runs=runs), method, noise=noise)
    ours = ours.select_conditions(list(ref.pattern_descriptors["c"]))
    np.testing.assert_allclose(ours.vectors, ref.get_vectors(), rtol=RTOL)


@pytest.mark.parametrize("method", ["shrinkage_diag", "shrinkage_eye", "diag", "full"])
def test_noise_precision_agrees_with_rsatoolbox(method):
    res = np.random.default_rng(2).normal(size=(200, 12)) @ np.diag(np.arange(1, 13))
    ref = rt.data.noise.prec_from_residuals(res, method=method)
    np.testing.assert_allclose(noise_precision(res, method), ref, rtol=RTOL, atol=0)


def test_cosine_and_unnormalized_match_scipy():
    x = np.random.default_rng(3).normal(size=(7, 11))
    r = Responses(x)
    np.testing.assert_allclose(compute_rdm(r, "cosine").vectors[0], pdist(x, "cosine"))
    eu = compute_rdm(r, "euclidean", normalize=False, squared=False).vectors[0]
    np.testing.assert_allclose(eu, pdist(x), rtol=1e-10)


def test_chunked_equals_unchunked(monkeypatch):
    x = np.random.default_rng(4).normal(size=(60, 9))
    full = compute_rdm(Responses(x), "correlation").vectors
    monkeypatch.setattr(rdm_module, "_BLOCK_BYTES", 8 * 60 * 7)  # 7-row blocks
    np.testing.assert_allclose(compute_rdm(Responses(x), "correlation").vectors, full)
    np.testing.assert_allclose(full[0], pdist(x, "correlation"), rtol=1e-10)


def test_hand_checked_crossnobis_is_unbiased():
    # Two conditions whose true patterns are identical: crossnobis is ~0 on
    # average while the plain Euclidean distance of noisy means is positive.
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2 * 20, 50))
    cond, runs = ["a", "b"] * 20, np.repeat(np.arange(20), 2)
    cv = compute_rdm(Responses(x, conditions=cond, runs=runs), "crossnobis")
    eu = compute_rdm(Responses(x, conditions=cond), "euclidean")
    assert abs(cv.vectors[0, 0]) < 0.3 * eu.vectors[0, 0]


def test_conditions_keep_first_appearance_order():
    x = np.arange(12.0).reshape(4, 3) ** 2
    r = compute_rdm(Responses(x, conditions=["z", "a", "z", "a"]), "euclidean")
    assert r.conditions == ["z", "a"]
    means = np.array([(x[0] + x[2]) / 2, (x[1] + x[3]) / 2])
    assert r.vectors[0, 0] == pytest.approx(np.sum((means[0] - means[1]) ** 2) / 3)


def test_ten_thousand_conditions_fit():
    x = np.random.default_rng(6).normal(size=(10_000, 4)).astype(np.float32)
    r = compute_rdm(Responses(x), "euclidean")
    assert r.n_pairs == 10_000 * 9_999 // 2
    i, j = 1234, 9876
    k = i * 10_000 - i * (i + 1) // 2 + (j - i - 1)
    d = np.sum((x[i].astype(float) - x[j]) ** 2) / 4
    assert r.vectors[0, k] == pytest.approx(d, rel=1e-10)


def test_rank_transform_and_subsetting():
    r = RDMs(
        [[3.0, 1.0, 2.0], [1.0, 1.0, 5.0]],
        conditions=["a", "b", "c"],
        descriptors={"subject": ["s1", "s2"]},
    )
    np.testing.assert_allclose(r.rank_transform().vectors, [[3, 1, 2], [1.5, 1.5, 3]])
    assert r.subset("subject", "s2").vectors.tolist() == [[1.0, 1.0, 5.0]]
    re = r.select_conditions(["c", "a", "b"])  # pairs (c,a) (c,b) (a,b)
    assert re.vectors[0].tolist() == [1.0, 2.0, 3.0]
    np.testing.assert_array_equal(RDMs(r.matrices()).vectors, r.vectors)


@pytest.mark.parametrize(
    ("kwargs", "data", "match"),
    [
        ({}, np.array([[np.nan, 1.0], [1.0, 2.0], [0.0, 1.0]]), "NaN"),
        ({}, np.array([[1.0, 2.0, 3.0]]), "at least 2 conditions"),
        ({"method": "correlation"}, np.array([[1.0, 1, 1], [1, 2, 3]]), "constant"),
        ({"method": "crossnobis"}, np.ones((2, 3)), "runs"),
        ({"method": "noway"}, np.ones((2, 3)), "method"),
        ({"method": "mahalanobis", "noise": np.eye(2)}, np.eye(3)[:2], "precision"),
        ({"method": "poisson"}, -np.eye(3)[:2], "non-negative"),
    ],
)
def test_bad_input(kwargs, data, match):
    with pytest.raises(NeurokitError, match=match):
        compute_rdm(Responses(data), **kwargs)


def test_crossnobis_needs_two_runs_and_complete_runs():
    x = np.random.default_rng(7).normal(size=(4, 5))
    one_run = Responses(x, conditions=list("abcd"), runs=[0, 0, 0, 0])
    with pytest.raises(NeurokitError, match="at least 2 runs"):
        compute_rdm(one_run, "crossnobis")
    gap = Responses(x, conditions=["a", "b", "a", "a"], runs=[0, 0, 1, 1])
    with pytest.raises(NeurokitError, match="no observation of condition 'b'"):
        compute_rdm(gap, "crossnobis")


def test_bad_rdms_input():
    with pytest.raises(NeurokitError, match="upper triangle"):
        RDMs(np.ones(4))
    with pytest.raises(NeurokitError, match="unique"):
        RDMs(np.ones(3), conditions=["a", "a", "b"])
    with pytest.raises(NeurokitError, match="only in the first"):
        RDMs(np.ones(3), conditions=list("abc")).align_to(
            RDMs(np.ones(3), conditions=list("abd"))
        )


def test_unbalanced_crossnobis_agrees_with_rsatoolbox():
    rng = np.random.default_rng(8)
    cond = ["a", "b", "c", "a", "b", "c", "a", "b", "c", "a"]
    runs = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 0])
    x = rng.normal(size=(10, 6))
    ds = rt.data.Dataset(x, obs_descriptors={"c": np.array(cond), "r": runs})
    ref = rt.rdm.calc_rdm(ds, "crossnobis", "c", cv_descriptor="r").get_vectors()
    ours = compute_rdm(Responses(x, conditions=cond, runs=runs), "crossnobis")
    np.testing.assert_allclose(ours.vectors, ref, rtol=RTOL)
    with pytest.raises(NeurokitError, match="positive-definite"):
        compute_rdm(
            Responses(x, conditions=cond, runs=runs), "crossnobis", noise=-np.eye(6)
        )


def test_large_offsets_fall_back_to_explicit_centring():
    # rows whose mean dwarfs their spread (1e7 vs 1): the in-Gram centring would
    # lose ~7 digits, so the explicit path must be taken and match scipy.
    x = 1e7 + np.random.default_rng(6).normal(size=(8, 40))
    ours = compute_rdm(Responses(x), "correlation").vectors[0]
    np.testing.assert_allclose(ours, pdist(x, "correlation"), rtol=1e-8)


def test_blocked_crossnobis_equals_unblocked(monkeypatch):
    x, cond, runs = _dataset(n_cond=12, n_rep=3)
    resp = Responses(x, conditions=cond, runs=runs)
    full = compute_rdm(resp, "crossnobis").vectors
    monkeypatch.setattr(rdm_module, "_BLOCK_BYTES", 8 * 12 * 5)
    np.testing.assert_allclose(
        compute_rdm(resp, "crossnobis").vectors, full, rtol=1e-10
    )


@pytest.mark.parametrize("method", ["shrinkage_diag", "shrinkage_eye", "full"])
def test_noise_precision_with_large_mean_agrees_with_rsatoolbox(method):
    res = 1e5 + np.random.default_rng(7).normal(size=(200, 12))
    ref = rt.data.noise.prec_from_residuals(res, method=method)
    np.testing.assert_allclose(noise_precision(res, method), ref, rtol=1e-6, atol=0)
