"""Heterogeneous-delay layer: the paper's equations, planted motion, pruning."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from neurokit_ai.core import DTypeError, NotFittedError, ValidationError
from neurokit_ai.spiking import (
    HeterogeneousDelayLayer,
    cone_mask,
    make_motion_dataset,
    pruning_curve,
)


@pytest.fixture(scope="module")
def motion():
    X, y = make_motion_dataset(48, 4, random_state=0)
    Xt, yt = make_motion_dataset(32, 4, random_state=1)
    layer = HeterogeneousDelayLayer(
        n_delays=4, kernel_size=5, max_epochs=5, random_state=0
    ).fit(X, y)
    return layer, X, y, Xt, yt


def _hand_layer(kernel, bias, polarity_invariant=False):
    layer = HeterogeneousDelayLayer(
        n_delays=kernel.shape[2],
        kernel_size=kernel.shape[3:],
        polarity_invariant=polarity_invariant,
    )
    layer.kernel_, layer.intercept_ = kernel, bias
    layer.classes_ = np.arange(kernel.shape[0])
    layer.offset_ = np.zeros(kernel.shape[0])
    return layer


def _synapse_sum(kernel, bias, A):
    """C[c, t, y, x] = b[c] + sum K[c, p, d, dy, dx] A[p, t - d, y + dy, x + dx]."""
    n_classes, _, n_delays, kh, kw = kernel.shape
    _, n_bins, height, width = A.shape
    out = np.zeros((n_classes, n_bins - n_delays + 1, height - kh + 1, width - kw + 1))
    for c, t, y, x in np.ndindex(out.shape):
        now, row, col = t + n_delays - 1, y + kh // 2, x + kw // 2
        total = bias[c]
        for p, d, iy, ix in np.ndindex(2, n_delays, kh, kw):
            dy, dx = iy - kh // 2, ix - kw // 2
            total += kernel[c, p, d, iy, ix] * A[p, now - d, row + dy, col + dx]
        out[c, t, y, x] = total
    return out


def test_evidence_is_the_delayed_weighted_event_sum():
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(3, 2, 3, 3, 1))
    bias = rng.normal(size=3)
    X = (rng.random((2, 2, 5, 4, 3)) < 0.3).astype(float)
    layer = _hand_layer(kernel, bias)
    ev = layer.evidence(X)
    for i in range(2):
        np.testing.assert_allclose(ev[i], _synapse_sum(kernel, bias, X[i]), atol=1e-5)
    # one event seen through one synapse: delay 2, offset dy = +1, OFF
    kernel = np.zeros((2, 2, 3, 3, 3))
    kernel[1, 0, 2, 2, 1] = 1.5
    single = np.zeros((1, 2, 6, 5, 5))
    single[0, 0, 1, 3, 2] = 1.0  # OFF event at bin 1, row 3, col 2
    ev = _hand_layer(kernel, np.zeros(2)).evidence(single)[0, 1]
    # it reaches the neuron at row 2, col 2 at bin 3: output (3 - 2, 2 - 1, 2 - 1)
    assert ev[1, 1, 1] == pytest.approx(1.5)
    assert np.count_nonzero(ev) == 1


def test_probabilities_decisions_and_spikes_follow_the_softmax():
    rng = np.random.default_rng(1)
    kernel = rng.normal(size=(3, 2, 2, 3, 3))
    bias = rng.normal(size=3)
    X = (rng.random((4, 2, 6, 5, 5)) < 0.2).astype(float)
    layer = _hand_layer(kernel, bias)
    ev = layer.evidence(X)
    where = layer.event_positions(X)
    expected_where = X.sum(1)[:, 1:, 1:-1, 1:-1] > 0
    np.testing.assert_array_equal(where, expected_where)
    log_p = ev - np.log(np.exp(ev).sum(1, keepdims=True))
    scores = layer.decision_function(X)
    for i in range(4):
        np.testing.assert_allclose(
            scores[i], log_p[i][:, where[i]].mean(1), rtol=1e-5, atol=1e-6
        )
    np.testing.assert_array_equal(layer.predict(X), np.argmax(scores, 1))
    running = layer.decision_over_time(X)
    assert running.shape == (4, 5, 3)
    np.testing.assert_allclose(running[:, -1], scores, rtol=1e-6, atol=1e-9)
    for t in range(5):  # only the positions of output bins 0 .. t count
        seen = where[1, : t + 1]
        expected = log_p[1][:, : t + 1][:, seen].mean(1) if seen.any() else -np.log(3)
        np.testing.assert_allclose(running[1, t], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.predict_proba(X).sum(1), 1.0)
    spikes = layer.output_spikes(X, threshold=0.6)
    assert spikes.sum(1).max() <= 1  # winner-take-all
    assert np.all(np.exp(log_p)[spikes] > 0.6)
    assert np.all(
        np.argmax(ev, 1)[spikes.any(1)] == np.argmax(spikes, 1)[spikes.any(1)]
    )
    # no event anywhere: uniform decision
    empty = layer.decision_function(np.zeros((1, 2, 6, 5, 5)))
    np.testing.assert_allclose(empty, np.log(1 / 3))
    # the offset is subtracted from every decision
    layer.offset_ = np.array([0.5, -1.0, 0.0])
    np.testing.assert_allclose(layer.decision_function(X), scores - layer.offset_)
    np.testing.assert_allclose(layer.decision_over_time(X), running - layer.offset_)
    # recenter: class-balanced mean of the uncentred decisions
    layer.recenter(X, np.array([0, 1, 2, 2]))
    expected = (scores[0] + scores[1] + scores[2:].mean(0)) / 3
    np.testing.assert_allclose(layer.offset_, expected, rtol=1e-6)


def test_polarity_invariance_is_the_max_over_the_flipped_stream():
    rng = np.random.default_rng(2)
    kernel = rng.normal(size=(2, 2, 2, 3, 3))
    X = (rng.random((1, 2, 5, 4, 4)) < 0.3).astype(float)
    plain = _hand_layer(kernel, np.zeros(2)).evidence(X)
    flipped = _hand_layer(kernel, np.zeros(2)).evidence(X[:, ::-1])
    inv = _hand_layer(kernel, np.zeros(2), polarity_invariant=True)
    np.testing.assert_allclose(inv.evidence(X), np.maximum(plain, flipped), atol=1e-6)
    np.testing.assert_allclose(inv.evidence(X[:, ::-1]), inv.evidence(X), atol=1e-6)


def test_planted_motion_direction_is_recovered(motion):
    layer, X, y, Xt, yt = motion
    assert layer.history_["train_loss"][-1] < layer.history_["train_loss"][0]
    assert np.mean(layer.predict(Xt) == yt) >= 0.9
    # fast detection: the first output bin (4 bins = 8 ms of events) suffices
    running = layer.decision_over_time(Xt).argmax(2) == yt[:, None]
    assert running.shape == (32, 17)
    assert running[:, 0].mean() >= 0.8 and running[:, -1].mean() >= 0.9
    # played backwards (time reversed, ON <-> OFF) a bar moves the other way
    backwards = Xt[:, ::-1, ::-1]
    assert np.mean(layer.predict(backwards) == (yt + 2) % 4) >= 0.9
    # excitatory synapses with long delays come from behind the motion:
    # their delay-weighted mean offset points against the direction
    _, _, n_delays, kh, kw = layer.kernel_.shape
    dy, dx = np.mgrid[-(kh // 2) : kh // 2 + 1, -(kw // 2) : kw // 2 + 1]
    delay = np.arange(n_delays)[:, None, None]
    for c in range(4):
        w = np.maximum(layer.kernel_[c], 0).sum(0) * delay
        angle = np.arctan2(-(w * dy).sum(), -(w * dx).sum())
        error = np.angle(np.exp(1j * (angle - 2 * np.pi * c / 4)))
        assert abs(error) < np.radians(30), (c, np.degrees(error))


def test_centring_recovers_motion_in_heavy_background_noise():
    # 300 noise events per pixel per second: 5x more noise than bar events
    X, y = make_motion_dataset(48, 4, noise_rate=300.0, random_state=0)
    Xt, yt = make_motion_dataset(32, 4, noise_rate=300.0, random_state=1)
    layer = HeterogeneousDelayLayer(
        n_delays=4, kernel_size=5, max_epochs=5, random_state=0
    ).fit(X, y)
    assert np.mean(layer.predict(Xt) == yt) >= 0.9
    # the offset is the class-balanced mean of the training decisions
    raw = layer.decision_function(X) + layer.offset_
    balanced = np.mean([raw[y == k].mean(0) for k in range(4)], axis=0)
    np.testing.assert_allclose(layer.offset_, balanced, rtol=1e-6)
    # without it the noise's class-dependent constant decides
    raw_test = layer.decision_function(Xt) + layer.offset_
    assert np.mean(raw_test.argmax(1) == yt) <= 0.5


def test_synapse_list_rebuilds_the_kernel(motion):
    layer = motion[0].pruned(0.05)
    syn = layer.synapses()
    assert syn["weight"].size == layer.n_synapses_ == 40
    assert np.all(np.diff(np.abs(syn["weight"])) <= 0)
    assert syn["delay"].min() >= 0 and syn["delay"].max() < layer.n_delays
    rebuilt = np.zeros_like(layer.kernel_)
    rebuilt[
        np.searchsorted(layer.classes_, syn["neuron"]),
        syn["polarity"],
        syn["delay"],
        syn["dy"] + 2,
        syn["dx"] + 2,
    ] = syn["weight"]
    np.testing.assert_array_equal(rebuilt, layer.kernel_)
    # the pruned layer learnt heterogeneous delays
    assert np.unique(syn["delay"]).size > 1


def test_pruning_keeps_the_largest_or_the_shortest(motion):
    layer, *_ = motion
    K = layer.kernel_
    kept = layer.pruned(0.1).kernel_
    assert np.count_nonzero(kept) == int(np.ceil(0.1 * K.size))
    assert np.abs(K[kept != 0]).min() >= np.abs(K[kept == 0]).max()
    short = layer.pruned(0.5, strategy="shortest").kernel_
    delays = np.broadcast_to(np.arange(K.shape[2])[None, None, :, None, None], K.shape)
    assert delays[short != 0].max() <= delays[(short == 0) & (K != 0)].min()
    assert layer.n_synapses_ == np.count_nonzero(K)  # the original is untouched


def test_pruning_curve_degrades_to_chance(motion):
    layer, _, _, Xt, yt = motion
    curve = pruning_curve(layer, Xt, yt, [1.0, 0.3, 0.001])
    np.testing.assert_array_equal(curve["keep_fraction"], [1.0, 0.3, 0.001])
    assert curve["n_synapses"].tolist() == [800, 240, 1]
    assert curve["accuracy"][0] >= 0.9 and curve["accuracy"][1] >= 0.9
    # one synapse cannot tell four directions apart
    assert curve["accuracy"][2] <= 0.5
    assert curve["chance"] == 0.25
    short = pruning_curve(layer, Xt, yt, [1.0], strategy="shortest")
    assert short["accuracy"][0] == curve["accuracy"][0]
    # re-centred on the training streams, the same counts
    X, y = motion[1], motion[2]
    again = pruning_curve(layer, Xt, yt, [1.0, 0.3], X_train=X, y_train=y)
    assert again["n_synapses"].tolist() == [800, 240]
    assert again["accuracy"][0] == curve["accuracy"][0]  # unpruned: same offset
    pruned = layer.pruned(0.3)
    np.testing.assert_array_equal(pruned.offset_, layer.offset_)
    assert not np.allclose(pruned.recenter(X, y).offset_, layer.offset_)


def test_cone_mask_grows_with_delay_and_constrains_training():
    m = cone_mask(3, (5, 5))
    assert m[0].sum() == 1 and m[-1].sum() == 13  # centre only; disk of radius 2
    assert np.all(m[:-1] <= m[1:])
    X, y = make_motion_dataset(8, 2, random_state=0)
    layer = HeterogeneousDelayLayer(
        n_delays=3, kernel_size=5, mask="cone", max_epochs=1, random_state=0
    ).fit(X, y)
    assert np.all(layer.kernel_[:, :, ~m] == 0)
    assert np.count_nonzero(layer.kernel_) > 0


def test_estimator_api(motion):
    layer = motion[0]
    twin = clone(layer)
    assert twin.get_params() == layer.get_params()
    assert not hasattr(twin, "kernel_")
    X, y = make_motion_dataset(8, 2, random_state=3)
    a = clone(layer).set_params(max_epochs=1).fit(X, ["left", "right"] * 4)
    b = clone(layer).set_params(max_epochs=1).fit(X, ["left", "right"] * 4)
    np.testing.assert_array_equal(a.kernel_, b.kernel_)  # seeded
    assert set(a.predict(X)) <= {"left", "right"}


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_delays": -1}, "n_delays"),
        ({"n_delays": 0}, "n_delays"),
        ({"kernel_size": 4}, "kernel_size"),
        ({"kernel_size": (3, 3, 3)}, "kernel_size"),
        ({"mask": "cones"}, "Did you mean 'cone'"),
        ({"lr": 0.0}, "lr"),
        ({"alpha": -1.0}, "alpha"),
        ({"n_delays": 50}, "smaller than the kernel"),
        ({"verbose": "yes"}, "verbose"),
    ],
)
def test_bad_parameters(params, match):
    X, y = make_motion_dataset(4, 2, random_state=0)
    with pytest.raises(ValidationError, match=match):
        HeterogeneousDelayLayer(**params).fit(X, y)


def test_bad_inputs(motion):
    layer, X, y, *_ = motion
    est = HeterogeneousDelayLayer(n_delays=2, kernel_size=3, max_epochs=1)
    nan = X[:4].copy()
    nan[0, 1, 3, 2, 2] = np.nan
    with pytest.raises(ValidationError, match="non-finite"):
        est.fit(nan, y[:4])
    with pytest.raises(ValidationError, match="negative"):
        est.fit(-X[:4], y[:4])
    with pytest.raises(ValidationError, match="OFF and 1 = ON"):
        est.fit(X[:4, :1], y[:4])
    with pytest.raises(ValidationError, match="5 dimension"):
        est.fit(X[0], y[:1])
    with pytest.raises(ValidationError, match="one label per sample"):
        est.fit(X[:4], y[:3])
    with pytest.raises(ValidationError, match="single class"):
        est.fit(X[:4], np.zeros(4))
    with pytest.raises(ValidationError, match="no event"):
        est.fit(np.zeros((4, 2, 5, 5, 5)), y[:4])
    with pytest.raises(NotFittedError):
        est.predict(X[:2])
    with pytest.raises(ValidationError, match="smaller than the kernel"):
        layer.predict(X[:2, :, :2])
    with pytest.raises(ValidationError, match="keep_fraction"):
        layer.pruned(0.0)
    with pytest.raises(ValidationError, match="Did you mean 'shortest'"):
        layer.pruned(0.5, strategy="shortes")
    with pytest.raises(ValidationError, match="keep_fractions"):
        pruning_curve(layer, X, y, [1.5])
    with pytest.raises(ValidationError, match="one label per sample"):
        pruning_curve(layer, X, y[:-1])
    with pytest.raises(DTypeError, match="HeterogeneousDelayLayer"):
        pruning_curve("layer", X, y)
    with pytest.raises(ValidationError, match="threshold"):
        layer.output_spikes(X[:1], threshold=1.0)
    with pytest.raises(ValidationError, match="every class"):
        layer.recenter(X[:4], np.zeros(4, int))
    with pytest.raises(ValidationError, match="one label per sample"):
        layer.recenter(X[:4], y[:3])
    with pytest.raises(ValidationError, match="both X_train and y_train"):
        pruning_curve(layer, X, y, X_train=X)


def test_review_fresh_layer_and_foreign_labels(motion):
    layer, X, y, *_ = motion
    with pytest.raises(NotFittedError):
        HeterogeneousDelayLayer().predict(X[:2])
    failed = HeterogeneousDelayLayer(n_delays=2, kernel_size=3)
    with pytest.raises(ValidationError, match="single class"):
        failed.fit(X[:4], np.zeros(4))
    assert not hasattr(failed, "classes_")  # a failed fit leaves no learned state
    with pytest.raises(DTypeError, match="random_state"):
        HeterogeneousDelayLayer(random_state=1.5).fit(X[:4], y[:4])
    for bad in (True, 3.0, "3"):
        with pytest.raises(ValidationError, match="kernel_size"):
            HeterogeneousDelayLayer(kernel_size=bad).fit(X[:4], y[:4])
    with pytest.raises(ValidationError, match=r"labels \[7\]"):
        pruning_curve(layer, X, np.where(y == 0, 7, y))


def test_cone_mask_review_bad_arguments():
    assert cone_mask(2, 3).shape == (2, 3, 3)
    with pytest.raises(ValidationError, match="kernel_size"):
        cone_mask(2, (4, 4))  # used to give a (2, 5, 5) mask
    with pytest.raises(ValidationError, match="kernel_size"):
        cone_mask(2, (3,))
    with pytest.raises(ValidationError, match="n_delays"):
        cone_mask(0, (3, 3))
    with pytest.raises(DTypeError, match="n_delays"):
        cone_mask(2.5, (3, 3))
