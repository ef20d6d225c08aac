"""simulate_spike_trains: rates, determinism, validation."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import simulate_spike_trains


def test_rates_and_interval():
    rates = np.array([2.0, 20.0, 0.0])
    st = simulate_spike_trains(n_units=3, duration=200.0, rates=rates)
    expected = rates * 200.0
    assert np.all(np.abs(st.n_spikes() - expected) <= 5 * np.sqrt(expected) + 1e-9)
    assert st.t_start == 0.0 and st.t_stop == 200.0
    assert all(np.all(np.diff(t) >= 0) for t in st.spike_times)


def test_same_seed_same_trains():
    a, b = simulate_spike_trains(random_state=2), simulate_spike_trains(random_state=2)
    c = simulate_spike_trains(random_state=3)
    assert all(np.array_equal(x, y) for x, y in zip(a.spike_times, b.spike_times))
    assert not all(
        x.size == y.size and np.array_equal(x, y)
        for x, y in zip(a.spike_times, c.spike_times)
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_units": 0}, ValidationError, "n_units must be >= 1"),
        ({"duration": 0.0}, ValidationError, "duration must be > 0"),
        ({"rates": -1.0}, ValidationError, "rates must be >= 0"),
        ({"rates": [1.0, 2.0]}, ValidationError, "rates has 2 entries for n_units=10"),
        ({"rates": "5"}, DTypeError, "rates must be numeric"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_spike_trains(**kwargs)
