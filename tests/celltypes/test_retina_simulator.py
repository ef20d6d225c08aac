"""simulate_retina: shapes, planted structure, noise, determinism, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import ValidationError
from neurokit_ai.datasets._retina import RETINA_TYPES, simulate_retina


def test_shapes_types_and_determinism():
    sim = simulate_retina(n_neurons=50, n_types=5, n_stimuli=80, random_state=3)
    assert sim.stimuli.shape == (80, 4, 8, 8)
    assert sim.responses.data.shape == (80, 50)
    assert np.bincount(sim.cell_types).tolist() == [10] * 5
    assert sim.type_names == [t[0] for t in RETINA_TYPES[:5]]
    again = simulate_retina(n_neurons=50, n_types=5, n_stimuli=80, random_state=3)
    assert np.array_equal(sim.responses.data, again.responses.data)


def test_noise_level_sets_the_signal_to_noise_ratio():
    clean = simulate_retina(n_neurons=16, n_stimuli=2000, noise_level=0.0)
    assert np.allclose(clean.responses.data, clean.rates(clean.stimuli))
    noisy = simulate_retina(n_neurons=16, n_stimuli=2000, noise_level=2.0)
    residual = noisy.responses.data - noisy.rates(noisy.stimuli)
    ratio = residual.std(axis=0) / noisy.rates(noisy.stimuli).std(axis=0)
    assert np.allclose(ratio, 2.0, rtol=0.1)


def test_polarity_and_kinetics_are_planted():
    sim = simulate_retina(n_neurons=16, n_types=8, n_stimuli=10, rf_jitter=0.0)
    spot = np.zeros((1, 4, 8, 8))
    spot[0, -1, 3:5, 3:5] = 1.0  # a spot flashed in the last frame
    on, off = sim.rates(spot)[0], sim.rates(-spot)[0]
    pol = sim.polarity
    assert np.all(on[pol == 1] > off[pol == 1]) and np.all(
        off[pol == -1] > on[pol == -1]
    )
    temporal = sim.filters[:, :, 4, 4]
    transient = np.array(["transient" in n for n in sim.type_names])[sim.cell_types]
    assert np.allclose(temporal[transient].sum(axis=1), 0.0, atol=1e-9)
    assert np.all(temporal[~transient] > 0)


def test_respond_repeats_and_subsets():
    sim = simulate_retina(n_neurons=12, n_types=3, n_stimuli=20)
    out = sim.respond(sim.stimuli[:4], neurons=np.array([0, 5]), n_repeats=3)
    assert out.data.shape == (12, 2) and out.n_conditions == 4
    assert out.unit_names == ["cell0", "cell5"]


def test_bad_input():
    with pytest.raises(ValidationError, match="n_types must be <= 12"):
        simulate_retina(n_types=13)
    with pytest.raises(ValidationError, match="n_neurons must be >= 8"):
        simulate_retina(n_neurons=5)
    with pytest.raises(ValidationError, match="stimulus must be one of"):
        simulate_retina(stimulus="movies")
    with pytest.raises(ValidationError, match="noise_level must be >= 0"):
        simulate_retina(noise_level=-1.0)
    with pytest.raises(ValidationError, match="rf_spread must be >= 0"):
        simulate_retina(rf_spread=-1.0)
    sim = simulate_retina(n_neurons=8, n_stimuli=10)
    with pytest.raises(ValidationError, match="outside 0..7"):
        sim.rates(sim.stimuli, neurons=np.array([9]))
    with pytest.raises(ValidationError, match="stimuli must have shape"):
        sim.rates(np.zeros((2, 4, 6, 6)))


def test_rf_centres_are_where_the_filters_peak():
    sim = simulate_retina(n_neurons=24, n_types=4, n_stimuli=10, size=12, rf_spread=3)
    spatial = np.abs(sim.filters[:, -1])  # last frame; separable filters
    peaks = np.array(
        [np.unravel_index(f.argmax(), f.shape) for f in spatial], dtype=float
    )
    assert np.all(np.abs(peaks - sim.rf_centres) <= 0.5 + 1e-9)
    assert np.all((sim.rf_centres >= 0) & (sim.rf_centres <= 11))
    middle = simulate_retina(n_neurons=24, n_stimuli=10, rf_jitter=0.0)
    assert np.all(middle.rf_centres == 3.5)


def test_rf_spread_scatters_every_type_over_the_field():
    sim = simulate_retina(
        n_neurons=400, n_types=4, n_stimuli=10, size=16, rf_jitter=0.0, rf_spread=4
    )
    offsets = sim.rf_centres - 7.5
    assert np.all(np.abs(offsets) <= 4.0)
    for t in range(4):
        # uniform on [-4, 4]: standard deviation 4 / sqrt(3) in each direction
        sd = offsets[sim.cell_types == t].std(axis=0)
        assert np.allclose(sd, 4 / np.sqrt(3), rtol=0.2)


def test_spread_makes_response_correlations_follow_position_not_type():
    """Raw-response clustering finds the types at one position, not over a field."""
    from sklearn.metrics import adjusted_rand_score

    from neurokit_ai.celltypes import cluster_features, response_features

    scores = {}
    for spread in (0.0, 3.0):
        sim = simulate_retina(
            n_neurons=80,
            n_types=4,
            n_stimuli=600,
            size=10,
            noise_level=0.0,
            rf_spread=spread,
            random_state=2,
        )
        labels = cluster_features(response_features(sim.responses), 4)
        scores[spread] = adjusted_rand_score(sim.cell_types, labels)
    assert scores[0.0] > 0.9 and scores[3.0] < 0.6
