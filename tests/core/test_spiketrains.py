"""SpikeTrains: binning checked by hand, validation."""

import numpy as np
import pytest

from neurokit_ai.core import SpikeTrains, ValidationError


def test_binning_by_hand():
    st = SpikeTrains([[0.0, 0.09, 0.1, 0.35], [0.2]], t_start=0.0, t_stop=0.4)
    rec = st.bin(0.1)
    np.testing.assert_array_equal(rec.data, [[2, 1, 0, 1], [0, 0, 1, 0]])
    assert rec.sfreq == pytest.approx(10.0) and rec.ch_types == ["spikes", "spikes"]
    assert rec.units == ["count", "count"]


def test_binning_matches_numpy_histogram_on_random_trains():
    rng = np.random.default_rng(0)
    trains = [np.sort(rng.uniform(1.0, 11.0, size=n)) for n in (50, 500, 0)]
    st = SpikeTrains(trains, t_start=1.0, t_stop=11.0)
    rec = st.bin(sfreq=20.0)
    edges = 1.0 + np.arange(201) / 20.0
    for i, t in enumerate(trains):
        np.testing.assert_array_equal(rec.data[i], np.histogram(t, edges)[0])
    np.testing.assert_allclose(st.firing_rates(), [5.0, 50.0, 0.0])


def test_from_arrays_groups_units():
    st = SpikeTrains.from_arrays([0.3, 0.1, 0.2], ["b", "a", "b"])
    assert st.unit_names == ["a", "b"]
    np.testing.assert_array_equal(st.spike_times[1], [0.2, 0.3])


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (([[0.5, 2.0]],), {"t_start": 0.0, "t_stop": 1.0}, "time unit"),
        (([[0.1]],), {"t_start": 1.0, "t_stop": 0.5}, "after t_start"),
        (([],), {}, "empty"),
        ((np.zeros(5),), {}, "from_arrays"),
        (([[np.nan]],), {}, "non-finite"),
    ],
)
def test_bad_input(args, kwargs, match):
    with pytest.raises(ValidationError, match=match):
        SpikeTrains(*args, **kwargs)


def test_bin_width_validation():
    st = SpikeTrains([[0.1]], t_start=0.0, t_stop=1.0)
    with pytest.raises(ValidationError, match="exactly one"):
        st.bin()
    with pytest.raises(ValidationError, match="longer"):
        st.bin(2.0)
