"""ΔF/F and neuropil correction: hand-computed values, exact edge baselines."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, Recording, ValidationError
from neurokit_ai.preprocessing import (
    delta_f_over_f,
    neuropil_correct,
    running_percentile,
)

FS = 10.0


def brute_force_baseline(x, half, q):
    """np.percentile(method="lower") over each truncated centred window."""
    n = x.size
    return np.array(
        [np.percentile(x[max(0, t - half) : t + half + 1], q, method="lower")
         for t in range(n)]
    )  # fmt: skip


def test_planted_transient_on_a_known_baseline():
    f = np.full((2, 600), 200.0)
    f[0, 300:303] = [300.0, 250.0, 220.0]
    f[1] = 50.0
    f[1, 100] = 75.0
    rec = Recording(f, FS, ["roi0", "roi1"], "calcium")
    out = delta_f_over_f(rec, window=20.0, percentile=8.0)
    expected = np.zeros((2, 600))
    expected[0, 300:303] = [0.5, 0.25, 0.1]
    expected[1, 100] = 0.5
    np.testing.assert_allclose(out.data, expected, atol=1e-12)
    assert out.units == ["dF/F", "dF/F"]
    assert out.metadata["dff_window_s"] == 20.0


def test_baseline_is_exact_at_the_edges_on_a_drifting_trace():
    rng = np.random.default_rng(0)
    t = np.arange(400) / FS
    f = 100.0 + 20.0 * t / t[-1] + rng.exponential(3.0, t.size)
    rec = Recording(f[None], FS, ["roi0"], "calcium")
    out = delta_f_over_f(rec, window=6.0, percentile=10.0)
    f0 = brute_force_baseline(f, 30, 10.0)
    np.testing.assert_allclose(out.data[0], (f - f0) / f0, rtol=1e-12)
    # padding the edges with copies (mode="nearest") would bias the first baseline
    assert f0[0] != np.percentile(np.r_[np.full(30, f[0]), f[:31]], 10, method="lower")


@pytest.mark.parametrize(("n", "half"), [(50, 7), (31, 15), (12, 0), (200, 40)])
@pytest.mark.parametrize("q", [0.0, 8.0, 33.3, 50.0, 100.0])
def test_running_percentile_matches_brute_force(n, half, q):
    x = np.random.default_rng(n).normal(size=(3, n))
    got = running_percentile(x, half, q)
    expected = np.array([brute_force_baseline(row, half, q) for row in x])
    np.testing.assert_array_equal(got, expected)


def test_neuropil_correct_by_hand_and_with_a_recording():
    f = np.array([[100.0, 110.0, 120.0], [5.0, 6.0, 7.0]])
    fneu = np.array([[10.0, 20.0, 30.0], [1.0, 1.0, 1.0]])
    rec = Recording(f, FS, ["roi0", "speed"], ["calcium", "behavior"])
    out = neuropil_correct(rec, fneu, coef=0.5)
    np.testing.assert_allclose(out.data, [[95.0, 100.0, 105.0], [5.0, 6.0, 7.0]])
    assert out.metadata["neuropil_coef"] == 0.5
    as_rec = neuropil_correct(rec, Recording(fneu, FS, ["a", "b"]), coef=0.5)
    np.testing.assert_array_equal(as_rec.data, out.data)
    np.testing.assert_array_equal(rec.data, f)


def test_dff_with_neuropil_equals_correct_then_dff():
    rng = np.random.default_rng(2)
    f = 300.0 + rng.normal(0, 5, (3, 500))
    fneu = 100.0 + rng.normal(0, 5, (3, 500))
    rec = Recording(f, FS, ["a", "b", "c"], "calcium")
    one = delta_f_over_f(rec, window=10.0, neuropil=fneu, coef=0.7)
    two = delta_f_over_f(neuropil_correct(rec, fneu, coef=0.7), window=10.0)
    np.testing.assert_array_equal(one.data, two.data)


def test_non_data_channels_pass_through():
    f = np.vstack([np.full(100, 50.0), np.zeros(100)])
    rec = Recording(f, FS, ["roi0", "speed"], ["calcium", "behavior"])
    out = delta_f_over_f(rec, window=5.0)
    np.testing.assert_array_equal(out.data[1], 0.0)
    assert out.units == ["dF/F", "a.u."]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"window": 0.0}, ValidationError, "window must be > 0"),
        ({"window": 100.0}, ValidationError, "Use a window of at most 10 s"),
        ({"window": "60"}, DTypeError, "window must be a Real"),
        ({"percentile": 101.0}, ValidationError, "percentile must be <= 100"),
        ({"percentile": -1.0}, ValidationError, "percentile must be >= 0"),
        ({"neuropil": np.zeros((1, 10))}, ValidationError, "neuropil must have shape"),
        ({"neuropil": np.zeros((2, 100)), "coef": 1.5}, ValidationError,
         "coef must be <= 1"),
    ],
)  # fmt: skip
def test_delta_f_over_f_bad_input(kwargs, error, match):
    rec = Recording(np.full((2, 100), 10.0), FS, ["a", "b"], "calcium")
    with pytest.raises(error, match=match):
        delta_f_over_f(rec, **kwargs)


def test_non_positive_baseline_is_rejected_by_channel_name():
    rec = Recording(np.vstack([np.full(100, 10.0), np.full(100, -1.0)]), FS,
                    ["good", "negative"], "calcium")  # fmt: skip
    with pytest.raises(ValidationError, match=r"<= 0 on channels \['negative'\]"):
        delta_f_over_f(rec, window=5.0)
    with pytest.raises(DTypeError, match="rec must be a neurokit_ai Recording"):
        delta_f_over_f(np.ones((1, 100)))


def test_neuropil_correct_bad_input():
    rec = Recording(np.full((2, 100), 10.0), FS, ["a", "b"], "calcium")
    with pytest.raises(ValidationError, match="coef must be >= 0"):
        neuropil_correct(rec, np.zeros((2, 100)), coef=-0.1)
    with pytest.raises(ValidationError, match=r"neuropil must have shape \(2, 100\)"):
        neuropil_correct(rec, np.zeros((100, 2)))
    with pytest.raises(ValidationError, match="sampled at 20 Hz but rec at 10 Hz"):
        neuropil_correct(rec, Recording(np.zeros((2, 100)), 20.0, ["a", "b"]))
    with pytest.raises(ValidationError, match="neuropil is None"):
        neuropil_correct(rec, None)
    with pytest.raises(DTypeError, match="rec must be a neurokit_ai Recording"):
        neuropil_correct(np.ones((2, 100)), np.zeros((2, 100)))


def test_running_percentile_bad_input():
    x = np.zeros((1, 10))
    with pytest.raises(ValidationError, match="Use half_width <= 4"):
        running_percentile(x, 5, 8.0)
    with pytest.raises(ValidationError, match="half_width must be >= 0"):
        running_percentile(x, -1, 8.0)
    with pytest.raises(DTypeError, match="half_width must be a Integral"):
        running_percentile(x, 2.5, 8.0)
    with pytest.raises(ValidationError, match="x must have 2 dimension"):
        running_percentile(np.zeros(10), 2, 8.0)
    with pytest.raises(ValidationError, match="percentile must be <= 100"):
        running_percentile(x, 2, 200.0)
