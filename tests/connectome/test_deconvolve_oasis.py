"""OASIS AR(1) deconvolution: exact against NNLS, AR(1) estimate, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import nnls
from scipy.signal import lfilter

from neurokit_ai.core import DTypeError, Recording, ValidationError
from neurokit_ai.preprocessing._deconvolve import (
    deconvolve_ar1,
    estimate_ar1,
    oasis_ar1,
)


@pytest.mark.parametrize("penalty", [0.0, 0.3])
def test_oasis_solves_the_lasso_exactly(penalty):
    rng = np.random.default_rng(1)
    g, n = 0.85, 150
    spikes = (rng.random(n) < 0.08) * rng.uniform(0.5, 2.0, n)
    y = lfilter([1.0], [1.0, -g], spikes) + 0.2 * rng.standard_normal(n)
    c, s = oasis_ar1(y, g, penalty)
    # Same problem as NNLS over spikes: c = K s with K[t, k] = g**(t - k).
    lags = np.subtract.outer(np.arange(n), np.arange(n))
    kernel = np.where(lags >= 0, g ** np.clip(lags, 0, None), 0.0)
    shift = np.linalg.solve(kernel.T, np.ones(n))
    s_ref, _ = nnls(kernel, y - penalty * shift, maxiter=10_000)
    np.testing.assert_allclose(s, s_ref, atol=1e-9)
    np.testing.assert_allclose(c, kernel @ s_ref, atol=1e-9)


def test_noiseless_spikes_are_recovered_with_estimated_decay():
    rng = np.random.default_rng(2)
    spikes = (rng.random((2, 3000)) < 0.03).astype(float)
    rec = Recording(
        lfilter([1.0], [1.0, -0.9], spikes, axis=1), 10.0, ["a", "b"], "calcium"
    )
    out = deconvolve_ar1(rec)
    np.testing.assert_allclose(out.metadata["ar1_g"], 0.9, atol=0.03)
    exact = deconvolve_ar1(rec, g=0.9)
    np.testing.assert_allclose(exact.get_data(), spikes, atol=1e-9)
    assert estimate_ar1(np.r_[rec.get_data()[0]]) == pytest.approx(0.9, abs=0.03)


def test_bad_input():
    with pytest.raises(ValidationError, match="g must be <"):
        oasis_ar1(np.ones(5), 1.0)
    with pytest.raises(ValidationError, match="penalty"):
        oasis_ar1(np.ones(5), 0.5, -1.0)
    with pytest.raises(ValidationError, match="at least 16"):
        estimate_ar1(np.ones(5))
    with pytest.raises(DTypeError, match="Recording"):
        deconvolve_ar1(np.ones((2, 20)))
    nan = Recording(
        np.full((1, 20), np.nan), 10.0, ["a"], "calcium", check_finite=False
    )
    with pytest.raises(ValidationError, match="non-finite"):
        deconvolve_ar1(nan, g=0.5)
