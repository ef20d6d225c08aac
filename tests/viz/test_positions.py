"""plot_positions: montage scatter in mm, one collection per region."""

import numpy as np
import pytest

from neurokit_ai import Recording
from neurokit_ai.core import DTypeError, Montage, ValidationError
from neurokit_ai.viz import plot_positions


def _rec(pos, regions=None, extra=()):
    names = list(pos) + list(extra)
    info = None if regions is None else {"region": regions}
    return Recording(
        np.zeros((len(names), 10)),
        10.0,
        names,
        "seeg",
        montage=Montage(pos, "mni_tal"),
        channel_info=info,
    )


def test_regions_become_separate_scatters_at_the_positions_in_mm():
    rng = np.random.default_rng(0)
    pos = {f"c{i}": rng.normal(size=3) * 0.02 for i in range(7)}
    regions = ["hippo", "hippo", "amyg", "amyg", "amyg", "insula", "hippo"]
    fig = plot_positions(_rec(pos, regions))
    ax = fig.axes[0]
    assert ax.name == "3d"
    assert len(ax.collections) == 3
    hippo = np.column_stack(ax.collections[0]._offsets3d)
    expected = np.array([pos[n] for n in ("c0", "c1", "c6")]) * 1000.0
    np.testing.assert_allclose(hippo, expected)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["hippo (3)", "amyg (3)", "insula (1)"]


def test_flat_layout_gives_a_2d_plot_and_skips_unplaced_channels():
    pos = {"a": [0.0, 0.0, 0.05], "b": [0.01, 0.02, 0.05], "c": [0.03, 0.01, 0.05]}
    fig = plot_positions(_rec(pos, extra=["no_pos"]))
    ax = fig.axes[0]
    assert ax.name == "rectilinear"
    assert len(ax.collections) == 1
    np.testing.assert_allclose(
        ax.collections[0].get_offsets(), np.array(list(pos.values()))[:, :2] * 1000
    )


def test_recording_without_positions_is_rejected():
    rec = Recording(np.zeros((2, 10)), 10.0, ["a", "b"], "eeg")
    with pytest.raises(ValidationError, match="no channel positions"):
        plot_positions(rec)


def test_wrong_type_is_rejected():
    with pytest.raises(DTypeError):
        plot_positions({"a": [0, 0, 0]})
