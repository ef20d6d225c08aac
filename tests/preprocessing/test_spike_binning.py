"""bin_spikes: counts by hand and against numpy.histogram; validation."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, SpikeTrains, ValidationError
from neurokit_ai.preprocessing import bin_spikes


def test_counts_by_hand():
    st = SpikeTrains([[0.01, 0.04, 0.06, 0.19], []], t_start=0.0, t_stop=0.2,
                     unit_names=["u1", "u2"])  # fmt: skip
    rec = bin_spikes(st, 0.05)
    np.testing.assert_array_equal(rec.data, [[2, 1, 0, 1], [0, 0, 0, 0]])
    assert rec.sfreq == pytest.approx(20.0)
    assert rec.ch_names == ["u1", "u2"] and rec.ch_types == ["spikes", "spikes"]


def test_counts_match_numpy_histogram():
    rng = np.random.default_rng(1)
    trains = [np.sort(rng.uniform(2.0, 12.0, n)) for n in (30, 300)]
    rec = bin_spikes(SpikeTrains(trains, t_start=2.0, t_stop=12.0), 0.25)
    edges = 2.0 + 0.25 * np.arange(41)
    for i, t in enumerate(trains):
        np.testing.assert_array_equal(rec.data[i], np.histogram(t, edges)[0])


@pytest.mark.parametrize(
    ("bin_width", "error", "match"),
    [
        (0.0, ValidationError, "bin_width must be > 0"),
        (-0.1, ValidationError, "bin_width must be > 0"),
        ("0.1", DTypeError, "bin_width must be a Real"),
        (5.0, ValidationError, "longer than the spike trains"),
    ],
)
def test_bad_bin_width(bin_width, error, match):
    st = SpikeTrains([[0.1, 0.5]], t_start=0.0, t_stop=1.0)
    with pytest.raises(error, match=match):
        bin_spikes(st, bin_width)


def test_bad_spike_trains():
    with pytest.raises(DTypeError, match="spike_trains must be SpikeTrains"):
        bin_spikes([[0.1, 0.2]], 0.05)
