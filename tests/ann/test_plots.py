"""Plots of part 2: concept galleries, insertion/deletion, steering, agreement."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.ann import PatchingResult
from neurokit_ai.core import NeurokitError
from neurokit_ai.viz import (
    plot_concept_gallery,
    plot_insertion_deletion,
    plot_patching_agreement,
    plot_steering,
)


def test_concept_gallery_shows_the_strongest_images_per_concept():
    rng = np.random.default_rng(0)
    images = rng.random((5, 6, 6))
    maps = np.zeros((5, 2, 6, 6))
    maps[3, 0] = 1.0  # image 3 expresses concept 0 most
    maps[1, 1] = 2.0  # image 1 expresses concept 1 most
    maps[4, 1] = 1.0
    fig = plot_concept_gallery(images, maps, [0.2, 0.8], n_images=2)
    axes = np.array(fig.axes).reshape(2, 2)
    # concept 1 (more important) is the first row: images 1 then 4
    np.testing.assert_array_equal(axes[0, 0].images[0].get_array(), images[1])
    np.testing.assert_array_equal(axes[0, 1].images[0].get_array(), images[4])
    np.testing.assert_array_equal(axes[1, 0].images[0].get_array(), images[3])
    assert "importance 0.80" in axes[0, 0].get_ylabel()
    with pytest.raises(NeurokitError, match="same n"):
        plot_concept_gallery(images, maps[:3])
    with pytest.raises(NeurokitError, match="upsample"):
        plot_concept_gallery(images, maps[..., :3, :3])
    with pytest.raises(NeurokitError, match="importances"):
        plot_concept_gallery(images, maps, [1.0])


def test_curve_plots_carry_their_numbers():
    fig = plot_insertion_deletion({"lima": ([0.0, 1.0, 1.0], [1.0, 0.0, 0.0])})
    ins, dele = fig.axes[:2]
    assert ins.get_lines()[0].get_label() == "lima (AUC 0.750)"
    assert dele.get_lines()[0].get_label() == "lima (AUC 0.250)"
    fig = plot_steering([1.0, 2.0, 4.0], {"a": [0.1, 0.2, 0.5]})
    np.testing.assert_array_equal(
        fig.axes[0].get_lines()[0].get_ydata(), [0.1, 0.2, 0.5]
    )
    with pytest.raises(NeurokitError, match="mapping"):
        plot_insertion_deletion([])
    with pytest.raises(NeurokitError, match="pair"):
        plot_insertion_deletion({"a": ([1.0],)})
    with pytest.raises(NeurokitError, match="3 alphas"):
        plot_steering([1, 2, 3], {"a": [1.0]})


def test_patching_agreement_reports_pearson_r():
    axes = {"m": ("head",)}
    truth = PatchingResult({"m": np.array([1.0, 2.0, 4.0])}, 1, 0, "activation", axes)
    est = PatchingResult({"m": np.array([1.0, 3.0, 2.0])}, 1, 0, "attribution", axes)
    r = np.corrcoef([1.0, 3.0, 2.0], [1.0, 2.0, 4.0])[0, 1]
    fig = plot_patching_agreement(truth, {"AtP": est})
    assert fig.axes[0].get_title() == f"AtP: r = {r:.3f}"
    other = PatchingResult({"x": np.array(1.0)}, 1, 0, "activation", {"x": ()})
    with pytest.raises(NeurokitError, match="same components"):
        plot_patching_agreement(truth, {"bad": other})
    with pytest.raises(NeurokitError, match="truth"):
        plot_patching_agreement({"m": 1}, {"AtP": est})
