"""plot_raster: spike trains as event rows, binned counts as an image."""

import numpy as np
import pytest

from neurokit_ai import Recording, SpikeTrains
from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.viz import plot_raster


@pytest.fixture
def trains():
    rng = np.random.default_rng(3)
    times = [np.sort(rng.uniform(0, 10, n)) for n in (5, 40, 12)]
    return SpikeTrains(times, t_start=0.0, t_stop=10.0, unit_names=["a", "b", "c"])


def test_one_event_row_per_unit_at_the_spike_times(trains):
    fig = plot_raster(trains)
    rows = fig.axes[0].collections
    assert len(rows) == 3
    for row, times in zip(rows, trains.spike_times):
        np.testing.assert_allclose(np.sort(row.get_positions()), times)
    assert [r.get_lineoffset() for r in rows] == [2, 1, 0]


def test_time_window_keeps_only_spikes_inside(trains):
    fig = plot_raster(trains, tmin=2.0, tmax=4.0)
    for row, times in zip(fig.axes[0].collections, trains.spike_times):
        inside = times[(times >= 2.0) & (times < 4.0)]
        np.testing.assert_allclose(np.sort(row.get_positions()), inside)


def test_counts_recording_is_drawn_as_its_spike_channels_only(trains):
    counts = trains.bin(0.5)
    behaviour = np.arange(counts.n_times, dtype=float)[None]
    mixed = Recording(
        np.vstack([counts.data, behaviour]),
        counts.sfreq,
        counts.ch_names + ["hand_x"],
        ["spikes"] * 3 + ["behavior"],
    )
    fig = plot_raster(mixed)
    assert len(fig.axes) == 2  # image + colour bar
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), counts.data)


def test_recording_without_spike_channels_is_rejected():
    rec = Recording(np.zeros((2, 10)), 10.0, ["x", "y"], "eeg")
    with pytest.raises(ValidationError, match="no 'spikes' channels"):
        plot_raster(rec)


@pytest.mark.parametrize(("tmin", "tmax"), [(5.0, 5.0), (-1.0, 3.0), (12.0, 15.0)])
def test_bad_window_is_rejected(trains, tmin, tmax):
    with pytest.raises(ValidationError, match="tmin"):
        plot_raster(trains, tmin=tmin, tmax=tmax)


def test_wrong_type_is_rejected():
    with pytest.raises(DTypeError, match="SpikeTrains"):
        plot_raster([[0.1, 0.2]])
