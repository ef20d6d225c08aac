"""plot_recording: stacked traces, windows, scaling, annotations, bad input."""

import numpy as np
import pytest

from neurokit_ai import Recording
from neurokit_ai.core import Annotations, DTypeError, ValidationError
from neurokit_ai.viz import plot_recording


@pytest.fixture
def rec():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(4, 2000)) * 1e-5
    ann = Annotations([1.0, 3.5, 15.0], [0.0, 0.0, 0.0], ["go", "stop", "late"])
    return Recording(data, 100.0, ["a", "b", "c", "d"], "eeg", annotations=ann)


def _traces(fig):
    return [line for line in fig.axes[0].lines if line.get_gid() == "trace"]


def test_one_trace_per_picked_channel_over_the_window(rec):
    fig = plot_recording(rec, picks=["b", "d"], tmin=2.0, duration=5.0)
    assert len(fig.axes) == 1
    traces = _traces(fig)
    assert len(traces) == 2
    x = traces[0].get_xdata()
    assert x[0] == pytest.approx(2.0)
    assert x.size == 500
    ax = fig.axes[0]
    rows = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks()))
    assert rows["b"] > rows["d"]  # channel order runs top to bottom
    assert np.median(traces[0].get_ydata()) == pytest.approx(rows["b"])


def test_fixed_scale_maps_data_units_to_trace_spacing(rec):
    fig = plot_recording(rec, picks=["a", "b"], duration=3.0, scale=2e-5)
    top, bottom = _traces(fig)
    a = rec.get_data("a", 0, 300)[0]
    expected = (a - np.median(a)) / 2e-5 + 1.0
    np.testing.assert_allclose(top.get_ydata(), expected)
    assert np.median(bottom.get_ydata()) == pytest.approx(0.0, abs=1e-12)


def test_auto_scale_uses_the_percentile_range_per_type(rec):
    data = rec.data.copy()
    data[3] *= 1000.0
    big = Recording(data, 100.0, rec.ch_names, ["eeg", "eeg", "eeg", "ecg"])
    fig = plot_recording(big, duration=5.0)
    ecg = _traces(fig)[3].get_ydata()
    spread = np.percentile(data[3, :500], 99) - np.percentile(data[3, :500], 1)
    np.testing.assert_allclose(ecg, (data[3, :500] - np.median(data[3, :500])) / spread)


def test_only_annotations_inside_the_window_are_marked(rec):
    fig = plot_recording(rec, tmin=0.5, duration=4.0)
    marks = [line for line in fig.axes[0].lines if line.get_gid() == "annotation"]
    assert sorted(m.get_xdata()[0] for m in marks) == pytest.approx([1.0, 3.5])


def test_window_is_clipped_to_the_recording(rec):
    fig = plot_recording(rec, tmin=18.0, duration=10.0)
    assert _traces(fig)[0].get_xdata().size == 200


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"picks": []}, ValidationError, "selects no channel"),
        ({"picks": ["zz"]}, ValidationError, "picks"),
        ({"tmin": 25.0}, ValidationError, "tmin=25.0"),
        ({"duration": 0.0}, ValidationError, "duration"),
        ({"scale": "big"}, ValidationError, "scale"),
        ({"scale": -1.0}, ValidationError, "scale"),
    ],
)
def test_bad_arguments_raise(rec, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_recording(rec, **kwargs)


def test_non_recording_is_rejected():
    with pytest.raises(DTypeError, match="rec must be a neurokit_ai Recording"):
        plot_recording(np.zeros((2, 10)))
