"""NTF: exact recovery, agreement with tensorly, the estimator, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from neurokit_ai.connectome import (
    NonNegativeCP,
    core_consistency,
    cp_to_tensor,
    factor_match_score,
    non_negative_cp,
)
from neurokit_ai.core import NotFittedError, ValidationError


def _low_rank(shape=(30, 20, 6), rank=4, seed=0):
    rng = np.random.default_rng(seed)
    # Sparse-ish factors make the CP model essentially unique.
    factors = [rng.random((n, rank)) * (rng.random((n, rank)) < 0.6) for n in shape]
    weights = rng.uniform(1.0, 3.0, rank)
    return cp_to_tensor(weights, factors), weights, factors


@pytest.mark.parametrize("method", ["hals", "mu"])
def test_exact_low_rank_tensor_is_recovered(method):
    x, weights, factors = _low_rank()
    fit = non_negative_cp(
        x,
        4,
        method=method,
        n_iter_max=3000 if method == "mu" else 1000,
        tol=1e-12,
        random_state=1,
    )
    norms = np.prod([np.linalg.norm(f, axis=0) for f in factors], axis=0)
    score, perm = factor_match_score(factors, fit.factors, weights * norms, fit.weights)
    assert score >= 0.99
    assert fit.error < 1e-2
    assert all((f >= 0).all() for f in fit.factors)


def test_numpy_mu_follows_tensorly_iterates():
    x, _, _ = _low_rank(seed=2)
    rng = np.random.default_rng(5)
    init = [rng.random((n, 4)) for n in x.shape]
    ours = non_negative_cp(x, 4, method="mu", init=init, n_iter_max=40, tol=0.0)
    ref = non_negative_cp(
        x, 4, method="mu", backend="tensorly", init=init, n_iter_max=40, tol=0.0
    )
    np.testing.assert_allclose(ours.errors, ref.errors, rtol=1e-8)
    np.testing.assert_allclose(
        cp_to_tensor(ours.weights, ours.factors),
        cp_to_tensor(ref.weights, ref.factors),
        rtol=1e-7,
        atol=1e-10,
    )


def test_numpy_hals_reaches_tensorly_solution():
    x, _, _ = _low_rank(seed=3)
    rng = np.random.default_rng(6)
    init = [rng.random((n, 4)) for n in x.shape]
    ours = non_negative_cp(x, 4, init=init, n_iter_max=2000, tol=1e-13)
    ref = non_negative_cp(
        x, 4, backend="tensorly", init=init, n_iter_max=2000, tol=1e-13
    )
    assert factor_match_score(ours.factors, ref.factors)[0] >= 0.99
    assert abs(ours.error - ref.error) < 1e-3


def test_error_trace_matches_rebuilt_tensor():
    x, _, _ = _low_rank(seed=4)
    fit = non_negative_cp(x + 0.1, 3, n_iter_max=30, tol=0.0, random_state=0)
    rebuilt = cp_to_tensor(fit.weights, fit.factors)
    direct = np.linalg.norm(x + 0.1 - rebuilt) / np.linalg.norm(x + 0.1)
    assert fit.error == pytest.approx(direct, rel=1e-6)


def test_pivot_last_mode_layout_follows_tensorly():
    # shape[2] > shape[0]: the MTTKRPs pivot on the last mode instead.
    x, _, _ = _low_rank(shape=(6, 20, 30), seed=7)
    rng = np.random.default_rng(0)
    init = [rng.random((n, 3)) for n in x.shape]
    ours = non_negative_cp(x, 3, method="mu", init=init, n_iter_max=20, tol=0.0)
    ref = non_negative_cp(
        x, 3, method="mu", backend="tensorly", init=init, n_iter_max=20, tol=0.0
    )
    np.testing.assert_allclose(ours.errors, ref.errors, rtol=1e-8)


def test_extrapolation_is_monotone_and_needs_fewer_iterations():
    rng = np.random.default_rng(0)
    shape, rank = (20, 20, 40), 8
    x = cp_to_tensor(np.ones(rank), [rng.random((n, rank)) for n in shape])
    x += 0.05 * x.mean() * rng.random(shape)
    init = [rng.random((n, rank)) for n in shape]
    fits = {
        extra: non_negative_cp(
            x, rank, init=init, n_iter_max=100, tol=0.0, extrapolate=extra
        )
        for extra in (False, True)
    }
    fast = fits[True].errors
    assert (np.diff(fast) <= 0).all()
    # Plain HALS is still improving at iteration 100 (its last steps are
    # not converged); the extrapolated run reaches that error by iteration 80.
    plain = fits[False].errors
    assert plain[-2] - plain[-1] > 1e-8
    assert fast[79] <= plain[-1]
    rebuilt = cp_to_tensor(fits[True].weights, fits[True].factors)
    direct = np.linalg.norm(x - rebuilt) / np.linalg.norm(x)
    assert fits[True].error == pytest.approx(direct, rel=1e-6)


def test_extrapolated_fit_stops_at_tolerance_with_plain_error():
    rng = np.random.default_rng(0)
    shape, rank = (171, 10, 1), 4
    x = cp_to_tensor(np.ones(rank), [rng.random((n, rank)) for n in shape])
    x += 0.1 * rng.random(shape)
    plain = non_negative_cp(x, rank, random_state=0, extrapolate=False)
    fast = non_negative_cp(x, rank, random_state=0)
    assert fast.n_iter < plain.n_iter / 2
    assert fast.error == pytest.approx(plain.error, rel=1e-3)


def test_mu_ignores_extrapolate():
    x, _, _ = _low_rank(seed=2)
    fits = [
        non_negative_cp(
            x, 4, method="mu", n_iter_max=20, tol=0.0, random_state=0, extrapolate=e
        )
        for e in (False, True)
    ]
    np.testing.assert_array_equal(fits[0].errors, fits[1].errors)


def test_core_consistency_drops_with_surplus_components():
    x, _, _ = _low_rank(rank=2, seed=8)
    good = non_negative_cp(x, 2, random_state=0, n_iter_max=1000, tol=1e-12)
    over = non_negative_cp(
        x + 0.01 * np.random.default_rng(0).random(x.shape), 5, random_state=0
    )
    assert core_consistency(x, good.weights, good.factors) > 99.0
    assert core_consistency(x, over.weights, over.factors) < 90.0


def test_estimator_transform_recovers_new_window_loadings():
    x, weights, factors = _low_rank(seed=2)
    model = NonNegativeCP(rank=4, n_iter_max=1000, tol=1e-12, random_state=0).fit(x)
    assert model.errors_[-1] < 1e-6
    rng = np.random.default_rng(1)
    new_time = rng.random((7, 4))
    new = cp_to_tensor(weights, [factors[0], new_time, factors[2]])
    loadings = model.transform(new)
    rebuilt = cp_to_tensor(
        model.weights_, [model.factors_[0], loadings, model.factors_[2]]
    )
    assert loadings.shape == (7, 4) and (loadings >= 0).all()
    np.testing.assert_allclose(rebuilt, new, atol=1e-3 * new.max())
    assert clone(model).get_params() == model.get_params()


def test_estimator_passes_every_argument(monkeypatch):
    import neurokit_ai.connectome._estimator as est

    seen = {}

    def fake(tensor, rank, **kwargs):
        seen.update(kwargs, rank=rank)
        return non_negative_cp(tensor, rank, n_iter_max=2)

    monkeypatch.setattr(est, "non_negative_cp", fake)
    params = dict(
        method="mu",
        backend="numpy",
        n_iter_max=7,
        tol=0.5,
        init="random",
        n_inner=2,
        extrapolate=False,
        random_state=3,
        verbose=False,
    )
    NonNegativeCP(rank=2, **params).fit(_low_rank()[0])
    assert seen == {**params, "rank": 2}


def test_unfitted_transform_raises():
    with pytest.raises(NotFittedError):
        NonNegativeCP().transform(np.ones((3, 3, 3)))


@pytest.mark.parametrize(
    "tensor, rank, match",
    [
        (-np.ones((4, 4, 4)), 2, "negative"),
        (np.zeros((4, 4, 4)), 2, "all zeros"),
        (np.ones((4, 4)), 2, "3 dimension"),
        (np.ones((10, 8, 3)), 4, "rank=4 is larger than the smallest"),
        (np.ones((10, 8, 1)), 9, "rank=9 is larger than the smallest"),
        (np.full((4, 4, 4), np.nan), 2, "non-finite"),
    ],
)
def test_bad_tensor_or_rank(tensor, rank, match):
    with pytest.raises(ValidationError, match=match):
        non_negative_cp(tensor, rank)


def test_bad_options_and_transform_shape():
    x = np.ones((5, 4, 3))
    with pytest.raises(ValidationError, match="method"):
        non_negative_cp(x, 2, method="als")
    with pytest.raises(ValidationError, match="backend"):
        non_negative_cp(x, 2, backend="torch")
    with pytest.raises(ValidationError, match="init"):
        non_negative_cp(x, 2, init=[np.ones((5, 2))])
    with pytest.raises(ValidationError, match="extrapolate must be True or False"):
        non_negative_cp(x, 2, extrapolate="yes")
    model = NonNegativeCP(rank=2, random_state=0).fit(x)
    with pytest.raises(ValidationError, match="same pairs and animals"):
        model.transform(np.ones((6, 4, 3)))
