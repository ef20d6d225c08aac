"""RDM comparison: agreement with rsatoolbox, brute-force tau-a, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError
from neurokit_ai.rsa import COMPARE_METHODS, RDMs, compare

rt = pytest.importorskip("rsatoolbox")
RT_NAME = {"tau-b": "kendall"}


def _rdms(seed=0, n_pairs=45, ties=True):
    rng = np.random.default_rng(seed)
    a, b = rng.random((5, n_pairs)), rng.random((4, n_pairs))
    if ties:
        a[2] = np.round(a[2] * 4)  # a data RDM with ties
        b[1] = np.round(b[1] * 3)  # a categorical model
        b[3] = (b[3] > 0.5).astype(float)
    return a, b


@pytest.mark.parametrize("method", COMPARE_METHODS)
@pytest.mark.parametrize("with_nan", [False, True])
def test_agrees_with_rsatoolbox(method, with_nan):
    a, b = _rdms()
    if with_nan:
        a[:, [3, 17]] = b[:, [3, 17]] = np.nan
    ref = rt.rdm.compare(
        rt.rdm.RDMs(a), rt.rdm.RDMs(b), method=RT_NAME.get(method, method)
    )
    np.testing.assert_allclose(compare(a, b, method), ref, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("method", ["cosine_cov", "corr_cov"])
def test_whitened_with_pattern_variances_agree(method):
    a, b = _rdms(1)
    sk = np.random.default_rng(2).random(10) + 0.5
    ref = rt.rdm.compare(rt.rdm.RDMs(a), rt.rdm.RDMs(b), method=method, sigma_k=sk)
    np.testing.assert_allclose(compare(a, b, method, sigma_k=sk), ref, rtol=1e-8)


@pytest.mark.parametrize("method", ["spearman", "rho-a"])
def test_ranks_over_several_row_blocks_agree(method):
    # 20 data RDMs are ranked in several blocks; ties in some blocks only
    rng = np.random.default_rng(5)
    a, b = rng.random((20, 36)), rng.random((3, 36))
    a[[3, 13]] = np.round(a[[3, 13]] * 3)
    ref = rt.rdm.compare(rt.rdm.RDMs(a), rt.rdm.RDMs(b), method=method)
    np.testing.assert_allclose(compare(a, b, method), ref, rtol=1e-8)


@pytest.mark.parametrize("method", ["cosine_cov", "corr_cov"])
def test_whitened_agrees_whichever_side_is_larger(method):
    rng = np.random.default_rng(6)
    n = 9
    a = rng.random((2, n * (n - 1) // 2))
    # constant RDMs keep the least of their norm (1/n) under double centring
    b = np.vstack([rng.random((5, a.shape[1])), np.full(a.shape[1], 0.7)])
    for x, y in ((a, b), (b, a), (b, b)):
        ref = rt.rdm.compare(rt.rdm.RDMs(x), rt.rdm.RDMs(y), method=method)
        np.testing.assert_allclose(compare(x, y, method), ref, rtol=1e-8, atol=1e-12)


def test_whitened_cosine_of_an_all_zero_rdm_is_zero():
    a = np.zeros((3, 10))
    b = np.random.default_rng(7).random((2, 10))
    assert np.array_equal(compare(a, b, "cosine_cov"), np.zeros((3, 2)))
    # the side with fewer RDMs is transformed: zero on either side
    assert np.array_equal(compare(a[:1], b, "cosine_cov"), np.zeros((1, 2)))


def test_tau_a_matches_definition_and_threads():
    a, b = _rdms(3, n_pairs=28)
    i, j = np.triu_indices(28, 1)
    expect = np.array(
        [[np.mean(np.sign(x[i] - x[j]) * np.sign(y[i] - y[j])) for y in b] for x in a]
    )
    np.testing.assert_allclose(compare(a, b, "tau-a"), expect, atol=1e-12)
    np.testing.assert_array_equal(
        compare(a, b, "tau-a", n_jobs=2), compare(a, b, "tau-a")
    )


def test_rdms_are_aligned_by_condition_label():
    rng = np.random.default_rng(4)
    a = RDMs(rng.random(10), conditions=list("abcde"))
    shuffled = a.select_conditions(list("ecabd"))
    assert compare(a, shuffled, "corr")[0, 0] == pytest.approx(1.0)


def test_bad_input():
    a = RDMs(np.arange(1.0, 7.0), conditions=list("abcd"))
    with pytest.raises(NeurokitError, match="different sizes"):
        compare(a, RDMs(np.arange(1.0, 4.0)), "corr")
    with pytest.raises(NeurokitError, match="only in the second"):
        compare(a, RDMs(np.arange(1.0, 7.0), conditions=list("abcz")))
    with pytest.raises(NeurokitError, match="different sizes"):
        compare(np.ones((1, 6)), np.ones((1, 10)))
    with pytest.raises(NeurokitError, match="method"):
        compare(a, a, "pearson")
    b = a.vectors.copy()
    b[0, 1] = np.nan
    with pytest.raises(NeurokitError, match="NaN at different"):
        compare(a, b)
    with pytest.raises(NeurokitError, match="sigma_k"):
        compare(a, a, "cosine_cov", sigma_k=np.ones(3))
