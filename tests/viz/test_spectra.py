"""plot_psd / welch_psd: planted spectral peaks, one panel per type, ranges."""

import numpy as np
import pytest

from neurokit_ai import Recording
from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.viz import plot_psd, welch_psd


@pytest.fixture
def rec():
    rng = np.random.default_rng(1)
    sfreq = 200.0
    t = np.arange(4000) / sfreq
    data = rng.normal(size=(4, t.size)) * 0.1
    data[0] += np.sin(2 * np.pi * 12.0 * t)
    data[1] += np.sin(2 * np.pi * 30.0 * t)
    return Recording(data, sfreq, ["e1", "e2", "e3", "hr"], ["eeg"] * 3 + ["ecg"])


def test_one_panel_per_type_and_one_line_per_channel(rec):
    fig = plot_psd(rec)
    assert len(fig.axes) == 2
    assert [len(ax.lines) for ax in fig.axes] == [3, 1]
    assert fig.axes[0].get_yscale() == "log"


def test_planted_peaks_are_where_they_were_put(rec):
    fig = plot_psd(rec, picks="eeg")
    peaks = [
        line.get_xdata()[np.argmax(line.get_ydata())] for line in fig.axes[0].lines
    ]
    assert peaks[:2] == pytest.approx([12.0, 30.0])


def test_frequency_range_is_honoured(rec):
    fig = plot_psd(rec, fmin=5.0, fmax=40.0)
    x = fig.axes[0].lines[0].get_xdata()
    assert x.min() >= 5.0 and x.max() <= 40.0
    assert x.min() < 6.0 and x.max() > 39.0


def test_welch_power_integrates_to_the_variance():
    rng = np.random.default_rng(2)
    white = Recording(rng.normal(scale=3.0, size=(1, 20000)), 100.0, ["x"])
    freqs, psd = welch_psd(white)
    assert np.sum(psd[0]) * (freqs[1] - freqs[0]) == pytest.approx(9.0, rel=0.05)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fmax": 150.0}, "Nyquist"),
        ({"fmin": 50.0, "fmax": 40.0}, "fmin < fmax"),
        ({"fmin": -1.0}, "fmin"),
        ({"picks": []}, "selects no channel"),
    ],
)
def test_bad_ranges_raise(rec, kwargs, match):
    with pytest.raises(ValidationError, match=match):
        plot_psd(rec, **kwargs)


def test_non_recording_is_rejected():
    with pytest.raises(DTypeError):
        plot_psd([[1.0, 2.0]])
