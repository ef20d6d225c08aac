"""ConvResponseModel: prediction quality on planted LN cells, losses, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from neurokit_ai.celltypes import ConvResponseModel, neuron_correlations
from neurokit_ai.core import NotFittedError, ValidationError
from neurokit_ai.datasets._retina import simulate_retina


@pytest.fixture(scope="module")
def retina():
    return simulate_retina(
        n_neurons=24, n_types=4, n_stimuli=500, noise_level=0.5, random_state=1
    )


@pytest.fixture(scope="module")
def fitted(retina):
    return ConvResponseModel(max_epochs=80, random_state=0).fit(
        retina.stimuli, retina.responses
    )


def test_model_predicts_the_planted_rates(retina, fitted):
    new = simulate_retina(n_neurons=4, n_types=2, n_stimuli=200, random_state=9)
    truth = retina.rates(new.stimuli)
    # noise sd is half the signal's, so a perfect model reaches r = 0.89 on data
    assert np.median(fitted.validation_correlation_) > 0.75
    assert np.median(neuron_correlations(truth, fitted.predict(new.stimuli))) > 0.85
    assert fitted.readout_weights_.shape == (24, fitted.n_features)
    r = fitted.correlation(retina.stimuli, retina.responses)
    assert r.shape == (24,) and np.all(r > 0.5)


def test_gaussian_readout_beats_free_masks_on_noisy_mosaics():
    """Three numbers per neuron instead of one per pixel: on cells spread over
    the field with single-trial noise twice the signal, the bump predicts the
    noise-free rates of new clips better than free masks do."""
    sim = simulate_retina(
        n_neurons=40,
        n_types=4,
        n_stimuli=800,
        size=10,
        rf_spread=3,
        noise_level=2.0,
        random_state=3,
    )
    new = simulate_retina(n_neurons=4, n_types=2, n_stimuli=300, size=10)
    truth = sim.rates(new.stimuli)
    scores = {}
    for readout in ("gaussian", "mask"):
        model = ConvResponseModel(readout=readout, max_epochs=80, random_state=0)
        model.fit(sim.stimuli, sim.responses)
        r = neuron_correlations(truth, model.predict(new.stimuli))
        scores[readout] = float(np.median(r))
    assert scores["gaussian"] > scores["mask"] + 0.15, scores
    assert scores["gaussian"] > 0.65, scores


def test_poisson_loss_on_spike_counts(retina):
    rng = np.random.default_rng(0)
    counts = rng.poisson(2.0 * retina.rates(retina.stimuli))
    model = ConvResponseModel(loss="poisson", max_epochs=60).fit(retina.stimuli, counts)
    assert np.median(model.validation_correlation_) > 0.5
    assert model.predict(retina.stimuli[:5]).min() >= 0.0


def test_images_without_a_frame_axis(retina):
    images = retina.stimuli[:, -1]
    model = ConvResponseModel(max_epochs=3).fit(images, retina.responses)
    assert model.stimulus_shape_ == (8, 8)
    assert model.predict(images[:3]).shape == (3, 24)


def test_neuron_correlations_by_hand():
    obs = np.array([[1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    pred = np.array([[2.0, 1.0], [4.0, 0.0], [6.0, 1.0]])
    assert np.allclose(neuron_correlations(obs, pred), [1.0, -1.0])


def test_clone_keeps_parameters():
    est = ConvResponseModel(n_features=4, loss="poisson")
    assert clone(est).get_params() == est.get_params()


def test_bad_input(retina, fitted):
    x, y = retina.stimuli, retina.responses.data
    with pytest.raises(ValidationError, match="y has 499 rows but there are 500"):
        ConvResponseModel().fit(x, y[:-1])
    flat = y.copy()
    flat[:, 3] = 1.0
    with pytest.raises(ValidationError, match=r"no variance.*columns \[3\]"):
        ConvResponseModel().fit(x, flat)
    bad = x.copy()
    bad[2, 0, 1, 1] = np.inf
    with pytest.raises(ValidationError, match="X holds 1 non-finite"):
        ConvResponseModel().fit(bad, y)
    with pytest.raises(ValidationError, match="non-negative"):
        ConvResponseModel(loss="poisson").fit(x, y - 10)
    with pytest.raises(ValidationError, match="kernel_size must be odd"):
        ConvResponseModel(kernel_size=4).fit(x, y)
    with pytest.raises(ValidationError, match="loss must be one of"):
        ConvResponseModel(loss="gauss").fit(x, y)
    with pytest.raises(ValidationError, match="readout must be one of"):
        ConvResponseModel(readout="gauss").fit(x, y)
    with pytest.raises(ValidationError, match="X has stimuli of shape"):
        fitted.predict(x[:, :, :6, :6])
    with pytest.raises(ValidationError, match="y has 3 neurons"):
        fitted.correlation(x, y[:, :3])
    with pytest.raises(NotFittedError):
        ConvResponseModel().predict(x)
