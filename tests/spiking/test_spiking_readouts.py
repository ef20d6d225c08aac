"""Readouts (ridge, FORCE, three-factor) and the prediction paradigm."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from neurokit_ai.core import NotFittedError, ValidationError
from neurokit_ai.spiking import (
    FORCEReadout,
    RidgeReadout,
    ThreeFactorReadout,
    adaptation_trials,
    encoding_metrics,
    make_prediction_task,
    random_network,
    simulate,
)


def _planted(n=4000, d=10, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w1, w2 = rng.normal(size=d), rng.normal(size=d)
    return X, w1, w2


def test_readouts_recover_planted_weights():
    X, w1, _ = _planted()
    y = X @ w1 + 0.5
    for est in (RidgeReadout(1e-6), FORCEReadout(1.0), ThreeFactorReadout(0.2)):
        fitted = clone(est).fit(X, y)
        assert np.allclose(fitted.coef_[0], w1, atol=0.02), type(est).__name__
        assert fitted.intercept_[0] == pytest.approx(0.5, abs=0.02)
        assert np.allclose(fitted.predict(X[:5]), y[:5], atol=0.05)


def test_closed_gate_freezes_three_factor_learning():
    X, w1, _ = _planted(500)
    est = ThreeFactorReadout(0.2).fit(X, X @ w1, gate=np.zeros(500))
    assert np.all(est.coef_ == 0)
    half = np.r_[np.zeros(250), np.ones(250)]
    est = ThreeFactorReadout(0.2).fit(X, X @ w1, gate=half)
    assert np.all(est.online_predictions_[:250] == 0)  # nothing learnt yet
    assert np.allclose(est.coef_[0], w1, atol=0.05)


def test_after_a_switch_three_factor_tracks_and_force_needs_a_reset():
    X, w1, w2 = _planted(6000)
    before, after = slice(0, 5000), slice(5000, 6000)
    y1, y2 = X[before] @ w1, X[after] @ w2
    errors = {}
    for name, est in (
        ("force", FORCEReadout(1.0)),
        ("force_reset", FORCEReadout(1.0)),
        ("three_factor", ThreeFactorReadout(0.2)),
    ):
        est.fit(X[before], y1)
        if name == "force_reset":
            est.reset()
        est.partial_fit(X[after], y2)
        late = est.online_predictions_[-300:] - y2[-300:]
        errors[name] = float(np.mean(late**2))
    var = float(np.var(y2))
    assert errors["three_factor"] < 0.01 * var
    assert errors["force_reset"] < 0.01 * var
    assert errors["force"] > 10 * errors["three_factor"]


def test_task_statistics_and_targets():
    task = make_prediction_task(
        3000,
        [0.2, 0.4],
        [0.25, 0.75],
        switch_trial=1500,
        new_probabilities=[0.75, 0.25],
        random_state=0,
    )
    for cue, (p_before, p_after) in enumerate(((0.25, 0.75), (0.75, 0.25))):
        first = (task.cues == cue) & (np.arange(3000) < 1500)
        second = (task.cues == cue) & (np.arange(3000) >= 1500)
        assert abs(task.outcomes[first].mean() - p_before) < 0.05
        assert abs(task.outcomes[second].mean() - p_after) < 0.05
    tg = task.targets(0.01)
    when = tg["when"].reshape(3000, 60)
    k = int(np.flatnonzero(task.outcomes & (task.cues == 1))[0])
    assert np.argmax(when[k]) == 40  # bump at the 0.4 s latency
    k = int(np.flatnonzero(~task.outcomes)[0])
    assert when[k].max() < 1e-3  # omitted outcome: no bump of its own
    gate = task.gate(0.01).reshape(3000, 60)
    k = int(np.flatnonzero(task.cues == 0)[0])
    assert gate[k, :30].all() and not gate[k, 30:].any()  # latency 0.2 + 0.1


def test_metrics_on_planted_readouts():
    task = make_prediction_task(
        90,
        [0.15, 0.3, 0.45],
        [1.0, 0.6, 0.3],
        switch_trial=45,
        new_latencies=[0.3, 0.3, 0.45],
        random_state=1,
    )
    bw = 0.01
    t = task.bin_times(bw) % task.trial_duration
    trial = (task.bin_times(bw) // task.trial_duration).astype(int)
    expected = task.probabilities[trial] * np.exp(
        -0.5 * ((t - task.latencies[trial]) / 0.03) ** 2
    )
    m = encoding_metrics(task, expected, bw, np.arange(45))
    assert m["timing_error_s"] == pytest.approx(0.0, abs=1e-9)
    assert m["timing_correlation"] == pytest.approx(1.0)
    assert m["probability_correlation"] == pytest.approx(1.0)
    shifted = np.roll(expected, 5)  # 50 ms late
    assert encoding_metrics(task, shifted, bw, np.arange(45))[
        "timing_error_s"
    ] == pytest.approx(0.05)
    # a readout that keeps the old latency never adapts; the new one at once
    stale = task.probabilities[trial] * np.exp(
        -0.5
        * ((t - np.where(task.cues[trial] == 0, 0.15, task.latencies[trial])) / 0.03)
        ** 2
    )
    assert adaptation_trials(task, stale, bw, cue=0) == np.inf
    assert adaptation_trials(task, expected, bw, cue=0) == 0.0


@pytest.mark.slow
def test_reservoir_three_factor_readout_encodes_when_and_probability():
    task = make_prediction_task(
        160, [0.15, 0.3, 0.45], [1.0, 0.6, 0.3], trial_duration=0.6, random_state=0
    )
    net = random_network(250, 0.1, w_exc=0.5, w_inh=-1.0, random_state=0)
    current = task.input_current(250, 0.5e-3, noise=1.0, random_state=1)
    res = simulate(net, task.duration, I_ext=current)
    bw = 0.01
    X = np.hstack([res.filtered(tau, bin_width=bw) for tau in (0.05, 0.2)])
    X /= X.std(axis=0) + 1.0
    est = ThreeFactorReadout(0.1).fit(X, task.targets(bw)["when"], task.gate(bw))
    m = encoding_metrics(task, est.online_predictions_, bw, np.arange(80, 160))
    assert m["timing_correlation"] > 0.95
    assert m["timing_error_s"] < 0.06
    assert m["probability_correlation"] > 0.8


def test_readout_and_task_bad_input():
    X, w1, _ = _planted(50)
    with pytest.raises(ValidationError, match="X has 50 samples but y has 49"):
        RidgeReadout().fit(X, X[:49] @ w1)
    with pytest.raises(ValidationError, match="gate must lie in"):
        ThreeFactorReadout().fit(X, X @ w1, gate=np.full(50, 2.0))
    with pytest.raises(ValidationError, match="learning_rate must be <"):
        ThreeFactorReadout(learning_rate=3.0).fit(X, X @ w1)
    with pytest.raises(NotFittedError):
        FORCEReadout().predict(X)
    with pytest.raises(ValidationError, match="y holds 1 non-finite"):
        FORCEReadout().fit(X, np.r_[np.nan, np.zeros(49)])
    est = FORCEReadout().fit(X, X @ w1)
    with pytest.raises(ValidationError, match="call fit"):
        est.partial_fit(X[:, :3], X @ w1)
    with pytest.raises(ValidationError, match="probabilities must lie in"):
        make_prediction_task(10, [0.2], [1.5])
    with pytest.raises(ValidationError, match="one per cue"):
        make_prediction_task(10, [0.2, 0.3], [1.0])
    with pytest.raises(ValidationError, match="need switch_trial"):
        make_prediction_task(10, [0.2], [1.0], new_latencies=[0.3])
    task = make_prediction_task(10, [0.2], [1.0], random_state=0)
    with pytest.raises(ValidationError, match="when has 5 samples"):
        encoding_metrics(task, np.zeros(5), 0.01)
    with pytest.raises(ValidationError, match="no switch"):
        adaptation_trials(task, np.zeros(600), 0.01, cue=0)
