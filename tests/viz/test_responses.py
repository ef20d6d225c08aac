"""plot_responses: averaged heatmap for 2-D, per-condition time courses for 3-D."""

import numpy as np
import pytest

from neurokit_ai import Responses
from neurokit_ai.core import DTypeError
from neurokit_ai.viz import plot_responses


def test_heatmap_shows_condition_means_in_first_appearance_order():
    data = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0], [3.0, 4.0, 5.0]])
    r = Responses(data, conditions=["b", "a", "b"], unit_names=["u", "v", "w"])
    fig = plot_responses(r)
    assert len(fig.axes) == 2  # heatmap + colour bar
    images = fig.axes[0].images
    assert len(images) == 1
    np.testing.assert_allclose(
        images[0].get_array(), [[2.0, 3.0, 4.0], [10.0, 20.0, 30.0]]
    )
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["b", "a"]


def test_signed_heatmap_is_centred_on_zero():
    r = Responses(np.array([[-1.0, 4.0], [2.0, 0.5]]), conditions=["x", "y"])
    image = plot_responses(r).axes[0].images[0]
    assert image.get_clim() == (-4.0, 4.0)


def test_time_courses_one_panel_per_condition_one_line_per_unit():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(6, 4, 25))
    conds = ["face", "house", "face", "house", "face", "car"]
    r = Responses(data, conditions=conds, times=np.linspace(-0.1, 0.5, 25))
    fig = plot_responses(r)
    assert [ax.get_title() for ax in fig.axes] == ["face", "house", "car"]
    assert all(len(ax.lines) == 4 for ax in fig.axes)
    face_mean = data[[0, 2, 4]].mean(axis=0)
    np.testing.assert_allclose(fig.axes[0].lines[2].get_ydata(), face_mean[2])
    np.testing.assert_allclose(fig.axes[0].lines[0].get_xdata(), r.times)


def test_non_responses_are_rejected():
    with pytest.raises(DTypeError, match="responses must be"):
        plot_responses(np.zeros((2, 3)))
