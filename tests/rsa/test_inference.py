"""Inference: noise ceiling, model fitting, bootstrap and permutation tests."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError
from neurokit_ai.rsa import (
    FixedModel,
    RDMs,
    WeightedModel,
    evaluate_models,
    noise_ceiling,
    permutation_test,
)
from neurokit_ai.rsa._inference import _correct

rt = pytest.importorskip("rsatoolbox")


def _planted(n_subj=8, n_cond=12, noise=0.5, seed=0):
    rng = np.random.default_rng(seed)
    n_pairs = n_cond * (n_cond - 1) // 2
    truth = rng.random(n_pairs)
    other = rng.random(n_pairs)
    data = truth + noise * rng.normal(size=(n_subj, n_pairs))
    conds = [f"c{i:02d}" for i in range(n_cond)]
    return truth, other, RDMs(data, conds), conds


@pytest.mark.parametrize("method", ["corr", "cosine", "spearman", "tau-a"])
def test_noise_ceiling_agrees_with_rsatoolbox(method):
    _, _, data, _ = _planted()
    ref = rt.inference.boot_noise_ceiling(rt.rdm.RDMs(data.vectors), method=method)
    np.testing.assert_allclose(noise_ceiling(data, method), ref, rtol=1e-8)


@pytest.mark.parametrize("nonneg", [False, True])
def test_weighted_fit_agrees_with_rsatoolbox(nonneg):
    rng = np.random.default_rng(1)
    comps = rng.random((3, 45))
    data = 0.7 * comps[0] + 0.3 * comps[2] + 0.05 * rng.normal(size=(4, 45))
    model = WeightedModel("w", RDMs(comps), nonnegative=nonneg)
    ours = model.fit(RDMs(data), "corr")
    rt_model = rt.model.ModelWeighted("w", rt.rdm.RDMs(comps))
    fit = rt.model.fit_regress_nn if nonneg else rt.model.fit_regress
    ref = fit(rt_model, rt.rdm.RDMs(data), method="corr")
    np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=1e-8)
    assert np.argmax(ours) == 0


@pytest.mark.parametrize(
    ("ours_kind", "rt_fn"),
    [("conditions", "eval_bootstrap_pattern"), ("subjects", "eval_bootstrap_rdm")],
)
def test_bootstrap_distribution_agrees_with_rsatoolbox(ours_kind, rt_fn):
    truth, _, data, conds = _planted(noise=1.0)
    n = 300
    res = evaluate_models(
        FixedModel("truth", RDMs(truth, conds)),
        data,
        "corr",
        bootstrap=ours_kind,
        n_bootstrap=n,
        random_state=0,
    )
    np.random.seed(0)  # noqa: NPY002 - rsatoolbox draws from the legacy global RNG
    ref = getattr(rt.inference, rt_fn)(
        rt.model.ModelFixed("truth", rt.rdm.RDMs(truth)),
        rt.rdm.RDMs(data.vectors),
        method="corr",
        N=n,
    )
    ours_b = res.bootstrap_scores[:, 0]
    ref_b = ref.evaluations[:, 0].ravel()
    ref_b = ref_b[np.isfinite(ref_b)]
    se = ref_b.std() / np.sqrt(n)
    assert abs(np.nanmean(ours_b) - ref_b.mean()) < 4 * np.sqrt(2) * se
    assert 0.8 < np.nanstd(ours_b) / ref_b.std() < 1.25


def test_planted_model_wins_and_tests_work():
    truth, other, data, conds = _planted(noise=0.4)
    models = [
        FixedModel("truth", RDMs(truth, conds)),
        FixedModel("other", RDMs(other, conds)),
        WeightedModel("mix", RDMs(np.stack([truth, other]), conds)),
    ]
    res = evaluate_models(models, data, "corr", n_bootstrap=200, random_state=1)
    assert res.best in ("truth", "mix")
    lo, hi = res.ci()[0]
    assert lo < res.scores[0] < hi
    assert res.noise_ceiling[0] < res.noise_ceiling[1]
    p = res.pairwise_tests()
    assert p[0, 1] < 0.05 and p[0, 1] == p[1, 0]
    assert res.weights["mix"][0] > res.weights["mix"][1]
    same = evaluate_models(
        models, data, "corr", n_bootstrap=40, random_state=5, n_jobs=2
    )
    again = evaluate_models(models, data, "corr", n_bootstrap=40, random_state=5)
    np.testing.assert_allclose(same.bootstrap_scores, again.bootstrap_scores)
    assert "noise ceiling" in res.summary()


def test_permutation_test():
    truth, other, data, conds = _planted(noise=0.3)
    p = permutation_test(
        [FixedModel("truth", RDMs(truth, conds)), FixedModel("o", RDMs(other, conds))],
        data,
        n_permutations=199,
        random_state=0,
    )
    assert p[0] == pytest.approx(1 / 200)
    assert p[1] > 0.05


def test_multiple_comparison_corrections():
    p = np.array([0.01, 0.04, 0.03])
    np.testing.assert_allclose(_correct(p, "fdr"), [0.03, 0.04, 0.04])
    np.testing.assert_allclose(_correct(p, "bonferroni"), [0.03, 0.12, 0.09])


def test_bad_input():
    truth, _, data, conds = _planted()
    model = FixedModel("truth", RDMs(truth, conds))
    with pytest.raises(NeurokitError, match="only in the first"):
        evaluate_models(
            FixedModel("m", RDMs(truth, [c + "x" for c in conds])), data, "corr"
        )
    with pytest.raises(NeurokitError, match="at least 2 subjects"):
        evaluate_models(model, data[0], bootstrap="subjects")
    with pytest.raises(NeurokitError, match="at least 2 subjects"):
        noise_ceiling(data[0])
    with pytest.raises(NeurokitError, match="unique"):
        evaluate_models([model, model], data, bootstrap=None)
    with pytest.raises(NeurokitError, match="exactly one RDM"):
        FixedModel("two", RDMs(np.ones((2, 3))))
