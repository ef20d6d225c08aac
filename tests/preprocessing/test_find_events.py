"""find_events: annotations first, then the stimulus channel."""

import numpy as np
import pytest

from neurokit_ai.core import Annotations, DTypeError, Recording, ValidationError
from neurokit_ai.preprocessing import find_events


def test_annotations_sorted_and_filtered():
    ann = Annotations([3.0, 1.0, 2.0], 0.0, ["b", "a", "c"])
    rec = Recording(np.zeros((1, 50)), 10.0, ["Cz"], "eeg", annotations=ann)
    onsets, labels = find_events(rec)
    assert onsets.tolist() == [1.0, 2.0, 3.0] and labels.tolist() == ["a", "c", "b"]
    onsets, labels = find_events(rec, descriptions=["b", "a"])
    assert onsets.tolist() == [1.0, 3.0] and labels.tolist() == ["a", "b"]
    onsets, labels = find_events(rec, descriptions="c")
    assert onsets.tolist() == [2.0] and labels.tolist() == ["c"]


def test_stim_channel_steps_are_events_when_no_annotations():
    stim = np.zeros(100)
    stim[10:13] = 1
    stim[13:15] = 2  # a change of code without a return to zero is a new event
    stim[40] = 7
    stim[99] = 1
    rec = Recording(np.vstack([np.ones(100), stim]), 100.0, ["Cz", "STI"],
                    ["eeg", "stim"])  # fmt: skip
    onsets, labels = find_events(rec)
    np.testing.assert_allclose(onsets, [0.10, 0.13, 0.40, 0.99])
    assert labels.tolist() == ["1", "2", "7", "1"]


def test_no_events_gives_empty_arrays():
    rec = Recording(np.zeros((1, 10)), 10.0, ["Cz"], "eeg")
    onsets, labels = find_events(rec)
    assert onsets.shape == (0,) and labels.shape == (0,)


def test_bad_input():
    rec = Recording(np.zeros((1, 50)), 10.0, ["Cz"], "eeg",
                    annotations=Annotations([1.0], 0.0, ["face"]))  # fmt: skip
    with pytest.raises(DTypeError, match="rec must be a neurokit_ai Recording"):
        find_events(rec.data)
    with pytest.raises(ValidationError, match=r"\['fase'\].*Did you mean 'face'"):
        find_events(rec, descriptions=["fase"])
    with pytest.raises(DTypeError, match="descriptions must be a str or a list"):
        find_events(rec, descriptions=[1])
    with pytest.raises(ValidationError, match="descriptions is empty"):
        find_events(rec, descriptions=[])
