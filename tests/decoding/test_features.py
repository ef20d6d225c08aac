"""Decoder feature pipeline: binners, lag stacking, calibration z-scoring."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from neurokit_ai.core import NotFittedError, Recording, SpikeTrains, ValidationError
from neurokit_ai.decoding import (
    BandPowerBinner,
    CalibrationScaler,
    KalmanFilterDecoder,
    LagStacker,
    SpikeCountBinner,
    ThresholdCrossingBinner,
)


def test_spike_counts_match_histogram():
    rng = np.random.default_rng(0)
    trains = [np.sort(rng.uniform(0, 2, size=k)) for k in (30, 5, 0)]
    counts = SpikeCountBinner(0.1, t_start=0.0, t_stop=2.0).fit_transform(trains)
    edges = np.arange(0, 2.0001, 0.1)
    expected = np.stack([np.histogram(t, edges)[0] for t in trains], axis=1)
    np.testing.assert_array_equal(counts, expected)
    st = SpikeTrains(trains, t_start=0.0, t_stop=2.0)
    np.testing.assert_array_equal(SpikeCountBinner(0.1).fit(st).transform(st), expected)
    with pytest.raises(ValidationError, match="list of spike-time arrays"):
        SpikeCountBinner().fit(np.zeros((3, 4)))
    with pytest.raises(ValidationError, match="2 units but 3"):
        SpikeCountBinner(0.1).fit(st).transform(trains[:2])


def test_threshold_crossings_of_planted_spikes():
    rng = np.random.default_rng(0)
    sfreq, n = 10_000.0, 20_000
    x = rng.normal(scale=5e-6, size=(n, 2))  # 5 µV noise
    spikes = {0: [1000, 1500, 9000, 15_000], 1: [300, 19_990]}
    for ch, times in spikes.items():
        for t in times:
            x[t : t + 3, ch] -= 60e-6  # 3-sample, −60 µV spike
    binner = ThresholdCrossingBinner(0.05, sfreq=sfreq).fit(x)
    np.testing.assert_allclose(binner.thresholds_, -4.5 * 5e-6, rtol=0.05)
    counts = binner.transform(x)
    assert counts.shape == (40, 2)
    expected = np.zeros((40, 2))
    for ch, times in spikes.items():
        for t in times:
            expected[t // 500, ch] += 1
    np.testing.assert_array_equal(counts, expected)
    rec = Recording(x.T, sfreq=sfreq, ch_names=["a", "b"], ch_types="seeg")
    np.testing.assert_array_equal(binner.transform(rec), expected)


def test_band_power_of_sinusoids():
    sfreq = 1000.0
    t = np.arange(4000) / sfreq
    x = np.stack(
        [2.0 * np.sin(2 * np.pi * 100 * t), 2.0 * np.sin(2 * np.pi * 10 * t)], 1
    )
    power = BandPowerBinner(0.1, sfreq=sfreq, log=False).fit_transform(x)
    assert power.shape == (40, 2)
    # a sine of amplitude 2 has power 2²/2 = 2 in its band; 10 Hz is stopped
    np.testing.assert_allclose(power[5:, 0], 2.0, rtol=0.05)
    assert np.all(power[5:, 1] < 1e-3)
    logp = BandPowerBinner(0.1, sfreq=sfreq).fit_transform(x)
    np.testing.assert_allclose(logp, np.log10(np.maximum(power, 1e-30)))


def test_binner_bad_input():
    x = np.zeros((1000, 2))
    x[::3] = 1.0
    with pytest.raises(ValidationError, match="sfreq is None"):
        BandPowerBinner().fit(x)
    with pytest.raises(ValidationError, match="whole number"):
        BandPowerBinner(0.0505, sfreq=1000.0).fit(x)
    with pytest.raises(ValidationError, match="band"):
        BandPowerBinner(0.05, sfreq=200.0, band=(70, 150)).fit(x)
    with pytest.raises(ValidationError, match="flat"):
        ThresholdCrossingBinner(0.05, sfreq=1000.0).fit(np.zeros((1000, 2)))
    binner = ThresholdCrossingBinner(0.05, sfreq=1000.0).fit(
        np.random.default_rng(0).normal(size=(1000, 2))
    )
    with pytest.raises(ValidationError, match="3 channels but 2"):
        binner.transform(np.zeros((1000, 3)))
    with pytest.raises(ValidationError, match="fewer than one bin"):
        binner.transform(np.zeros((10, 2)))
    with pytest.raises(NotFittedError):
        ThresholdCrossingBinner(0.05, sfreq=1000.0).transform(x)
    rec = Recording(x.T, sfreq=1000.0, ch_names=["a", "b"], ch_types="eeg")
    with pytest.raises(ValidationError, match="sampled at 1000.0 Hz"):
        BandPowerBinner(0.05, sfreq=500.0).fit(rec)


def test_lag_stacker_offline_and_online():
    X = np.arange(12.0).reshape(6, 2)
    out = LagStacker(2).fit_transform(X)
    assert out.shape == (6, 6)
    # row t = [x_t, x_{t-1}, x_{t-2}], edge-padded with x_0
    np.testing.assert_array_equal(out[0], [0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(out[1], [2, 3, 0, 1, 0, 1])
    np.testing.assert_array_equal(out[4], [8, 9, 6, 7, 4, 5])
    lags = LagStacker(2).fit(X)
    online = np.array([lags.step(row).copy() for row in X])
    np.testing.assert_array_equal(online, out)
    lags.reset()
    np.testing.assert_array_equal(lags.step(X[3]), np.tile(X[3], 3))
    np.testing.assert_array_equal(LagStacker(0).fit_transform(X), X)
    with pytest.raises(ValidationError, match=r"shape \(2,\)"):
        lags.step(np.zeros(3))
    with pytest.raises(ValidationError, match="3 features but 2"):
        lags.transform(np.zeros((4, 3)))
    with pytest.raises(ValidationError, match="n_lags"):
        LagStacker(-1).fit(X)


def test_calibration_scaler_uses_calibration_statistics_only():
    calib = np.array([[0.0, 5.0, 1.0], [2.0, 5.0, 3.0], [4.0, 5.0, 5.0]])
    scaler = CalibrationScaler().fit(calib)
    np.testing.assert_array_equal(scaler.constant_features_, [1])
    sd = np.std([0.0, 2.0, 4.0])
    run = np.array([[10.0, 6.0, np.nan]])
    out = scaler.transform(run)
    assert out[0, 0] == pytest.approx((10.0 - 2.0) / sd)
    assert out[0, 1] == 1.0  # centred, not scaled
    assert np.isnan(out[0, 2])  # passed through, for the decoder to hold
    np.testing.assert_allclose(scaler.inverse_transform(out)[:, :2], run[:, :2])
    with pytest.raises(ValidationError, match="non-finite"):
        CalibrationScaler().fit([[np.nan, 1.0], [1.0, 2.0]])
    with pytest.raises(ValidationError, match="2 features but 3"):
        scaler.transform(np.zeros((1, 2)))


def test_pipeline_into_a_decoder_and_clone():
    rng = np.random.default_rng(0)
    x = np.zeros((1000, 2))
    for t in range(1, 1000):
        x[t] = 0.95 * x[t - 1] + 0.3 * rng.normal(size=2)
    z = rng.poisson(np.exp(x @ rng.normal(size=(2, 20)) * 0.5 + 1.0)).astype(float)
    pipe = make_pipeline(LagStacker(1), CalibrationScaler(), KalmanFilterDecoder())
    pipe.fit(z[:800], x[:800])
    assert pipe.score(z[800:], x[800:]) > 0.5
    assert clone(pipe).get_params()["lagstacker__n_lags"] == 1
