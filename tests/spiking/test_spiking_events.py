"""Simulated event camera: the DVS rule on a moving bar, tensors, validation."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.spiking import EventStream, make_motion_dataset, moving_bar_events


def _bar(**kw):
    args = dict(
        sensor_size=(20, 9),
        duration=0.08,
        bar_width=3.0,
        bar_length=30.0,
        threshold=0.15,
        dt=1e-4,
        random_state=0,
    )
    args.update(kw)
    return moving_bar_events(0.0, 200.0, **args)


def test_each_crossed_pixel_fires_the_dvs_event_count_at_the_edge_times():
    ev = _bar()
    # log(1 + 1) / 0.15 = 4.6: four ON events as the leading edge passes; the
    # trailing edge brings the log brightness back down by 4 x 0.15 less the
    # smooth bar's tail, which crosses the threshold three times
    n_on = int(np.floor(np.log(2.0) / 0.15))
    centre, speed, half = 9.5, 200.0, 1.5
    for x in range(6, 14):
        for pol, edge, n in ((1, half, n_on), (0, -half, n_on - 1)):
            # the edge reaches the pixel at t = T/2 + (x - centre - edge) / speed
            t_edge = 0.04 + (x - centre - edge) / speed
            sel = (ev.x == x) & (ev.y == 4) & (ev.polarity == pol)
            near = sel & (np.abs(ev.t - t_edge) < 4e-3)
            assert near.sum() == n, (x, pol)
            assert sel.sum() <= n_on
            assert abs(np.median(ev.t[near]) - t_edge) < 2e-3
    # no ON before OFF at a pixel for a bright bar: the leading edge is ON
    sel = (ev.x == 10) & (ev.y == 4)
    assert ev.polarity[sel][0] == 1 and ev.polarity[sel][-1] == 0


def test_dark_bar_swaps_polarities_and_direction_moves_the_events():
    bright, dark = _bar(), _bar(contrast=-0.5)
    sel = (dark.x == 10) & (dark.y == 4)
    assert dark.polarity[sel][0] == 0 and dark.polarity[sel][-1] == 1
    assert np.sum(bright.polarity == 1) > np.sum(bright.polarity == 0)
    # event centroid velocity is the planted velocity, for several directions
    for theta in (0.0, np.pi / 2, 3 * np.pi / 4, -np.pi / 3):
        ev = moving_bar_events(
            theta, 150.0, sensor_size=(24, 24), duration=0.06, bar_length=8.0
        )
        t = ev.t
        fit_x = np.polyfit(t, ev.x, 1)[0]
        fit_y = np.polyfit(t, ev.y, 1)[0]
        np.testing.assert_allclose(
            [fit_x, fit_y], 150.0 * np.array([np.cos(theta), np.sin(theta)]), atol=15
        )


def test_noise_and_threshold_mismatch_are_seeded():
    a = _bar(noise_rate=50.0, threshold_sd=0.03, random_state=1)
    b = _bar(noise_rate=50.0, threshold_sd=0.03, random_state=1)
    c = _bar(noise_rate=50.0, threshold_sd=0.03, random_state=2)
    np.testing.assert_array_equal(a.t, b.t)
    assert a.n_events != c.n_events or not np.array_equal(a.t, c.t)
    clean = _bar()
    # 50 Hz per pixel over 0.08 s and 180 pixels: ~720 extra events
    assert 550 < a.n_events - clean.n_events < 900


def test_tensor_and_spiketrains_count_every_event():
    ev = EventStream(
        [0, 3, 3, 1],
        [1, 1, 1, 0],
        [1, 0, 0, 1],
        [0.002, 0.001, 0.0012, 0.009],
        (4, 2),
        0.01,
    )
    assert ev.t.tolist() == [0.001, 0.0012, 0.002, 0.009]  # sorted with its columns
    assert ev.x.tolist() == [3, 3, 0, 1]
    A = ev.to_tensor(0.005)
    assert A.shape == (2, 2, 2, 4) and A.sum() == 4
    assert A[0, 0, 1, 3] == 2 and A[1, 0, 1, 0] == 1 and A[1, 1, 0, 1] == 1
    assert ev.to_tensor(0.005, binary=True)[0, 0, 1, 3] == 1
    st = ev.to_spiketrains()
    assert st.n_units == 16 and st.n_spikes().sum() == 4
    assert st.unit_names[3 + 4] == "OFF(x=3,y=1)"
    np.testing.assert_allclose(st.spike_times[7], [0.001, 0.0012])
    big = _bar()
    assert big.to_tensor(1e-3).sum() == big.n_events


def test_motion_dataset_is_balanced_seeded_and_directional():
    X, y = make_motion_dataset(8, 4, random_state=0)
    X2, _ = make_motion_dataset(8, 4, random_state=0)
    X3, _ = make_motion_dataset(8, 4, random_state=1)
    assert X.shape == (8, 2, 20, 16, 16) and X.dtype == np.float32
    assert np.bincount(y).tolist() == [2, 2, 2, 2]
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(X, X3)
    # the event centroid moves along the labelled direction
    rows, cols = np.mgrid[0:16, 0:16]
    for sample, label in zip(X, y):
        counts = sample.sum(0)
        n = counts.sum((1, 2))
        keep = n > 5
        cx = (counts * cols).sum((1, 2))[keep] / n[keep]
        cy = (counts * rows).sum((1, 2))[keep] / n[keep]
        t = np.arange(20)[keep]
        v = np.array([np.polyfit(t, cx, 1)[0], np.polyfit(t, cy, 1)[0]])
        angle = np.arctan2(v[1], v[0])
        error = np.angle(np.exp(1j * (angle - 2 * np.pi * label / 4)))
        assert abs(error) < np.radians(20)


@pytest.mark.parametrize(
    "cols, match",
    [
        ({"x": [0, 4]}, "x must hold integers in 0 .. 3"),
        ({"x": [0, -1]}, "x must hold integers"),
        ({"y": [0.5, 1]}, "y must hold integers"),
        ({"polarity": [0, 2]}, "0 \\(OFF\\) or 1 \\(ON\\)"),
        ({"t": [0.001, np.nan]}, "non-finite"),
        ({"t": [-0.001, 0.002]}, "outside"),
        ({"t": [0.001, 0.01]}, "outside"),
        ({"x": [0, 1, 2]}, "one value per event"),
        ({"x": [[0, 1]]}, "1-D"),
        ({"x": [np.nan, 1]}, "NaN"),
    ],
)
def test_bad_event_streams(cols, match):
    args = {"x": [0, 1], "y": [0, 1], "polarity": [0, 1], "t": [0.001, 0.002]}
    args.update(cols)
    with pytest.raises(ValidationError, match=match):
        EventStream(**args, sensor_size=(4, 2), duration=0.01)


def test_bad_generator_arguments():
    with pytest.raises(DTypeError, match="x must be numeric"):
        EventStream(["a"], [0], [0], [0.0], (4, 2), 0.01)
    with pytest.raises(ValidationError, match="sensor_size"):
        EventStream([0], [0], [0], [0.0], (4,), 0.01)
    with pytest.raises(ValidationError, match="duration"):
        EventStream([0], [0], [0], [0.0], (4, 2), 0.0)
    with pytest.raises(ValidationError, match="bin_width"):
        _bar().to_tensor(1.0)
    with pytest.raises(ValidationError, match="speed"):
        moving_bar_events(0.0, -1.0)
    with pytest.raises(ValidationError, match="contrast=0"):
        moving_bar_events(0.0, 100.0, contrast=0.0)
    with pytest.raises(ValidationError, match="contrast"):
        moving_bar_events(0.0, 100.0, contrast=-1.0)
    with pytest.raises(ValidationError, match="direction must be finite"):
        moving_bar_events(np.nan, 100.0)
    with pytest.raises(ValidationError, match="dt"):
        moving_bar_events(0.0, 100.0, duration=0.01, dt=0.02)
    with pytest.raises(ValidationError, match="n_directions"):
        make_motion_dataset(4, 1)
    with pytest.raises(ValidationError, match="speed range"):
        make_motion_dataset(4, 2, speed=(300.0, 100.0))


def test_motion_dataset_review_array_speed_range_and_polarity_flag():
    kw = {"sensor_size": (8, 8), "duration": 0.01, "bin_width": 5e-3}
    X_tuple, _ = make_motion_dataset(2, 2, speed=(100.0, 300.0), random_state=0, **kw)
    X_array, _ = make_motion_dataset(
        2, 2, speed=np.array([100.0, 300.0]), random_state=0, **kw
    )
    np.testing.assert_array_equal(X_array, X_tuple)
    with pytest.raises(ValidationError, match="random_polarity"):
        make_motion_dataset(2, 2, random_polarity="no", **kw)


def test_event_streams_compare_by_content():
    a = EventStream([0, 1], [0, 0], [1, 1], [0.1, 0.2], (4, 4), 1.0)
    same = EventStream([1, 0], [0, 0], [1, 1], [0.2, 0.1], (4, 4), 1.0)  # unsorted
    other = EventStream([0, 1], [0, 0], [1, 0], [0.1, 0.2], (4, 4), 1.0)
    assert a == same and a != other and a != "a"
