"""Shared helpers: default picks, type check, copies of metadata."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, Montage, Recording, ValidationError
from neurokit_ai.preprocessing._common import check_recording, pick_indices, with_data


def make_rec():
    types = ["eeg", "seeg", "stim", "behavior", "misc", "ecg", "calcium", "fnirs_od"]
    names = [f"c{i}" for i in range(len(types))]
    return Recording(
        np.zeros((len(types), 5)), 5.0, names, types, bads=["c1"],
        montage=Montage({"c0": [0.0, 0.0, 0.1]}),
        channel_info={"x": np.arange(len(types))}, metadata={"a": [1, 2]},
    )  # fmt: skip


def test_default_picks_are_the_data_channels():
    rec = make_rec()
    assert pick_indices(rec, None).tolist() == [0, 1, 6, 7]
    assert pick_indices(rec, None, exclude_bads=True).tolist() == [0, 6, 7]
    assert pick_indices(rec, "stim").tolist() == [2]


def test_no_data_channel_raises():
    rec = Recording(np.zeros((1, 5)), 5.0, ["trig"], "stim")
    with pytest.raises(ValidationError, match="has none"):
        pick_indices(rec, None)


def test_with_data_copies_metadata():
    rec = make_rec()
    out = with_data(rec, np.ones(rec.shape), sfreq=10.0)
    out.metadata["a"].append(3)
    out.channel_info["x"][0] = 99
    out.montage.ch_pos["c0"][0] = 1.0
    assert rec.metadata["a"] == [1, 2] and rec.channel_info["x"][0] == 0
    assert rec.montage.ch_pos["c0"][0] == 0.0
    assert out.sfreq == 10.0 and out.bads == ["c1"] and out.data.sum() == out.data.size


def test_check_recording_rejects_other_types():
    with pytest.raises(DTypeError, match="got ndarray"):
        check_recording(np.zeros((2, 2)))
