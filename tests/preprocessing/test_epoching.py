"""epochs_to_responses: hand-computed epochs, averages, baseline and windows."""

import warnings

import numpy as np
import pytest

from neurokit_ai.core import Annotations, DTypeError, Recording, ValidationError
from neurokit_ai.preprocessing import epochs_to_responses, find_events

SFREQ = 10.0


def make_rec():
    """Two EEG channels (k and 100 + 2k at sample k), a stim and a bad channel."""
    k = np.arange(100.0)
    data = np.vstack([k, 100.0 + 2 * k, np.zeros(100), -k])
    ann = Annotations([1.0, 2.0, 5.0, 6.0], 0.0, ["a", "b", "a", "b"])
    return Recording(
        data, SFREQ, ["C3", "C4", "STI", "Oz"], ["eeg", "eeg", "stim", "eeg"],
        annotations=ann, bads=["Oz"], subject="s01",
    )  # fmt: skip


def test_epochs_by_hand():
    rec = make_rec()
    r = epochs_to_responses(rec, tmin=-0.1, tmax=0.2)
    assert r.data.shape == (4, 2, 4)
    np.testing.assert_allclose(r.times, [-0.1, 0.0, 0.1, 0.2])
    np.testing.assert_array_equal(r.data[0, 0], [9, 10, 11, 12])
    np.testing.assert_array_equal(r.data[3, 1], 100 + 2 * np.array([59, 60, 61, 62]))
    assert r.conditions.tolist() == ["a", "b", "a", "b"]
    assert r.unit_names == ["C3", "C4"]  # stim and bad channels left out
    assert r.source == "brain:s01/eeg"
    assert r.metadata["n_dropped"] == 0


def test_average_recovers_condition_means():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(3, 200))
    onsets = [2.0, 4.5, 7.0, 9.0, 12.0, 15.5]
    labels = ["x", "y", "x", "z", "y", "x"]
    rec = Recording(data, SFREQ, ["a", "b", "c"], "seeg",
                    annotations=Annotations(onsets, 0.0, labels))  # fmt: skip
    r = epochs_to_responses(rec, tmin=-0.5, tmax=1.0, average=True)
    assert r.conditions.tolist() == ["x", "y", "z"]
    for row, cond in enumerate(["x", "y", "z"]):
        starts = [int(o * SFREQ) - 5 for o, lab in zip(onsets, labels) if lab == cond]
        expected = np.mean([data[:, s : s + 16] for s in starts], axis=0)
        np.testing.assert_allclose(r.data[row], expected)


def test_conditions_select_and_order_rows():
    rec = make_rec()
    r = epochs_to_responses(rec, tmin=0.0, tmax=0.1, conditions=["b", "a"],
                            average=True)  # fmt: skip
    assert r.conditions.tolist() == ["b", "a"]
    np.testing.assert_allclose(r.data[0, 0], [(20 + 60) / 2, (21 + 61) / 2])
    only_b = epochs_to_responses(rec, tmin=0.0, tmax=0.1, conditions=["b"])
    assert only_b.conditions.tolist() == ["b", "b"]


def test_baseline_and_window_by_hand():
    rec = make_rec()
    r = epochs_to_responses(rec, tmin=-0.2, tmax=0.3, baseline=(-0.2, 0.0))
    # channel C3 at onset 1.0 s: samples 8..13, baseline mean of 8, 9, 10 = 9
    np.testing.assert_allclose(r.data[0, 0], np.arange(8, 14) - 9.0)
    w = epochs_to_responses(rec, tmin=-0.2, tmax=0.3, window=(0.1, 0.3))
    assert w.data.shape == (4, 2) and w.times is None
    np.testing.assert_allclose(w.data[0], [12.0, 100 + 2 * 12.0])
    both = epochs_to_responses(rec, tmin=-0.2, tmax=0.3, baseline=(None, 0.0),
                               window=(0.1, None))  # fmt: skip
    np.testing.assert_allclose(both.data[:, 0], 12.0 - 9.0)


def test_out_of_range_epochs_are_dropped_and_counted():
    rec = make_rec()
    events = [(0.05, "a"), (1.0, "a"), (9.95, "b"), (5.0, "b")]
    with pytest.warns(RuntimeWarning, match="2 of 4 epochs run outside"):
        r = epochs_to_responses(rec, tmin=-0.2, tmax=0.2, events=events,
                                runs=[1, 2, 3, 4])  # fmt: skip
    assert r.conditions.tolist() == ["a", "b"]
    assert r.runs.tolist() == [2, 4]
    assert r.metadata["n_dropped"] == 2
    assert r.metadata["dropped_onsets"] == [0.05, 9.95]


def test_event_forms_agree():
    rec = make_rec()
    ref = epochs_to_responses(rec, tmin=0.0, tmax=0.2)
    pairs = list(zip(rec.annotations.onset.tolist(), rec.annotations.description))
    for events in (rec.annotations, pairs, find_events(rec)):
        r = epochs_to_responses(rec, tmin=0.0, tmax=0.2, events=events)
        np.testing.assert_array_equal(r.data, ref.data)
        assert r.conditions.tolist() == ref.conditions.tolist()


def test_stim_channel_events_and_explicit_picks():
    stim = np.zeros(100)
    stim[[20, 50]] = [1, 2]
    rec = Recording(np.vstack([np.arange(100.0), stim]), SFREQ, ["x", "STI"],
                    ["misc", "stim"])  # fmt: skip
    r = epochs_to_responses(rec, tmin=0.0, tmax=0.1, picks=["x"])
    assert r.conditions.tolist() == ["1", "2"]
    np.testing.assert_array_equal(r.data[:, 0], [[20, 21], [50, 51]])
    assert r.source == "brain:unknown/misc"


def test_input_is_not_modified():
    rec = make_rec()
    before = rec.data.copy()
    epochs_to_responses(rec, tmin=-0.2, tmax=0.3, baseline=(-0.2, 0.0))
    np.testing.assert_array_equal(rec.data, before)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"tmin": 0.2, "tmax": 0.1}, ValidationError, "tmin=0.2 s must be before"),
        ({"tmin": "0", "tmax": 0.1}, DTypeError, "tmin must be a Real"),
        ({"events": []}, ValidationError, "No events to epoch"),
        ({"events": {"a": 1.0}}, DTypeError, "events must be None, an Annotations"),
        ({"events": [(1.0, "a"), (2.0,)]}, ValidationError, r"events\[1\]"),
        ({"events": [("1.0", "a")]}, DTypeError, r"events\[0\] has onset '1.0'"),
        ({"events": [(1.0, ["a"])]}, DTypeError, "unhashable label"),
        ({"events": (np.array([1.0, 2.0]), np.array(["a"]))}, ValidationError,
         "two 1-D arrays of equal length"),
        ({"events": [(np.nan, "a")]}, ValidationError, "non-finite onsets"),
        ({"conditions": ["a", "c"]}, ValidationError, r"conditions \['c'\] match no"),
        ({"conditions": "a"}, DTypeError, "conditions must be a list"),
        ({"conditions": []}, ValidationError, "conditions is empty"),
        ({"runs": [1, 2]}, ValidationError, "runs has 2 entries for 4 events"),
        ({"baseline": (-0.5, 0.0)}, ValidationError, "baseline=.* inside the epoch"),
        ({"baseline": 0.0}, ValidationError, "baseline must be a"),
        ({"window": (0.21, 0.22)}, ValidationError, "window=.* contains no sample"),
        ({"window": (0.2, 0.1)}, ValidationError, "start <= stop"),
        ({"picks": ["C5"]}, ValidationError, "picks must be one of"),
        ({"events": [(50.0, "a")]}, ValidationError, "Every epoch runs outside"),
    ],
)  # fmt: skip
def test_bad_input(kwargs, error, match):
    kwargs = {"tmin": -0.1, "tmax": 0.3, **kwargs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(error, match=match):
            epochs_to_responses(make_rec(), **kwargs)


def test_bad_rec_and_recording_without_events():
    with pytest.raises(DTypeError, match="rec must be a neurokit_ai Recording"):
        epochs_to_responses(np.zeros((2, 10)), tmin=0.0, tmax=0.1)
    bare = Recording(np.zeros((1, 10)), SFREQ, ["Cz"], "eeg")
    with pytest.raises(ValidationError, match="No events to epoch"):
        epochs_to_responses(bare, tmin=0.0, tmax=0.1)


def test_real_eeglab_epochs_match_mne_epochs(recordings):
    import mne

    path = recordings / "eeg" / "eeglab" / "test_raw.set"
    raw = mne.io.read_raw_eeglab(path, preload=True, verbose="error")
    rec = Recording.from_mne(raw)
    ours = epochs_to_responses(rec, tmin=-0.2, tmax=0.5, conditions=["square"],
                               baseline=(None, 0.0))  # fmt: skip
    events, event_id = mne.events_from_annotations(raw, verbose="error")
    reference = mne.Epochs(raw, events, {"square": event_id["square"]}, tmin=-0.2,
                           tmax=0.5, baseline=(None, 0.0), preload=True,
                           verbose="error")  # fmt: skip
    assert ours.data.shape == reference.get_data().shape
    np.testing.assert_allclose(ours.data, reference.get_data(), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(ours.times, reference.times)
