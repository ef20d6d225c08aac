"""Recording: construction, validation, picks, crops, lazy reads, MNE round trip."""

import datetime

import mne
import numpy as np
import pytest

from neurokit_ai.core import (
    Annotations,
    DTypeError,
    Montage,
    Recording,
    ValidationError,
)


def _rec(n_ch=3, n_t=100, sfreq=50.0):
    rng = np.random.default_rng(0)
    return Recording(
        rng.normal(size=(n_ch, n_t)),
        sfreq,
        [f"ch{i}" for i in range(n_ch)],
        ["eeg"] * (n_ch - 1) + ["ecg"],
        annotations=Annotations([0.2, 1.0], [0.1, 0.0], ["go", "stop"]),
    )


def test_basic_properties():
    rec = _rec()
    assert rec.shape == (3, 100) and rec.duration == 2.0
    assert rec.channel_type_counts() == {"eeg": 2, "ecg": 1}
    assert rec.units == ["V", "V", "V"] and rec.modality == "eeg"
    assert rec.times[-1] == pytest.approx(99 / 50)
    assert "3 ch" in repr(rec)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"data": np.zeros(5)}, "2 dimension"),
        ({"ch_names": ["a", "a", "b"]}, "unique"),
        ({"ch_names": ["a"]}, "1 names for 3 channels"),
        ({"ch_types": ["eeg", "eeg", "eegg"]}, "Did you mean"),
        ({"sfreq": 0.0}, "sfreq"),
        ({"data": np.full((3, 4), np.inf)}, "non-finite"),
        ({"bads": ["zz"]}, "unknown channels"),
    ],
)
def test_bad_input(kwargs, match):
    args = dict(data=np.zeros((3, 4)), sfreq=10.0, ch_names=["a", "b", "c"])
    args.update(kwargs)
    with pytest.raises(ValidationError, match=match):
        Recording(**args)


def test_string_data_is_rejected():
    with pytest.raises((ValidationError, DTypeError)):
        Recording(np.array([["a", "b"]]), 1.0, ["x"])


def test_pick_by_name_type_index_mask():
    rec = _rec()
    assert rec.pick("eeg").ch_names == ["ch0", "ch1"]
    assert rec.pick(["ch2"]).ch_types == ["ecg"]
    assert rec.pick([2, 0]).ch_names == ["ch2", "ch0"]
    assert rec.pick(np.array([True, False, True])).ch_names == ["ch0", "ch2"]
    np.testing.assert_array_equal(rec.pick([2]).data, rec.data[[2]])
    with pytest.raises(ValidationError, match="picks"):
        rec.pick("nope")
    with pytest.raises(ValidationError, match="out of range"):
        rec.pick([5])


def test_pick_does_not_alias_input():
    rec = _rec()
    sub = rec.pick("eeg")
    sub.data[0, 0] = 1e9
    assert rec.data[0, 0] != 1e9


def test_crop_moves_annotations():
    rec = _rec()
    cropped = rec.crop(0.5, 1.5)
    assert cropped.n_times == 50
    np.testing.assert_array_equal(cropped.data, rec.data[:, 25:75])
    assert cropped.annotations.description.tolist() == ["stop"]
    assert cropped.annotations.onset[0] == pytest.approx(0.5)
    assert cropped.first_samp == 25


def test_get_data_range_checked():
    rec = _rec()
    with pytest.raises(ValidationError, match="sample range"):
        rec.get_data(start=50, stop=10)


def test_set_channel_types_updates_units_and_validates():
    rec = _rec()
    rec.set_channel_types({"ch0": "stim"})
    assert rec.ch_types[0] == "stim" and rec.units[0] == "NA"
    with pytest.raises(ValidationError, match="Did you mean"):
        rec.set_channel_types({"ch1": "eogg"})
    with pytest.raises(ValidationError, match="channel name"):
        rec.set_channel_types({"nope": "eeg"})


def test_channel_info_follows_picks():
    rec = Recording(
        np.zeros((3, 5)), 5.0, ["a", "b", "c"], channel_info={"region": ["x", "y", "z"]}
    )
    assert rec.pick(["c", "a"]).channel_info["region"].tolist() == ["z", "x"]
    with pytest.raises(ValidationError, match="first axis"):
        Recording(np.zeros((3, 5)), 5.0, ["a", "b", "c"], channel_info={"r": [1, 2]})


def test_lazy_recording_reads_only_requested_segments():
    full = np.arange(40.0).reshape(4, 10)
    calls = []

    def reader(picks, start, stop):
        calls.append((tuple(picks.tolist()), start, stop))
        return full[picks, start:stop]

    rec = Recording(None, 10.0, list("abcd"), reader=reader, n_times=10)
    assert not rec.is_loaded and calls == []
    sub = rec.pick(["b", "d"])
    np.testing.assert_array_equal(sub.get_data(None, 2, 5), full[[1, 3], 2:5])
    assert calls == [((1, 3), 2, 5)]
    np.testing.assert_array_equal(rec.data, full)
    assert rec.is_loaded and calls[-1] == ((0, 1, 2, 3), 0, 10)


def test_lazy_load_rejects_nonfinite():
    def reader(picks, start, stop):
        out = np.zeros((len(picks), stop - start))
        out[0, 3] = np.nan
        return out

    rec = Recording(None, 10.0, ["a"], reader=reader, n_times=10)
    with pytest.raises(ValidationError, match="channel 0, sample 3"):
        rec.load_data()


def _mne_raw_with_everything():
    rng = np.random.default_rng(1)
    names = ["Fp1", "Fp2", "Cz", "EKG", "STI"]
    info = mne.create_info(names, 250.0, ["eeg", "eeg", "eeg", "ecg", "stim"])
    raw = mne.io.RawArray(rng.normal(size=(5, 1000)) * 1e-5, info, verbose="error")
    raw.set_meas_date(
        datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    )
    raw.set_annotations(
        mne.Annotations([0.5, 1.25], [0.0, 0.5], ["a", "b"], ch_names=[[], ["Cz"]])
    )
    builtin = mne.channels.get_builtin_montages()
    name = "colin27_1020" if "colin27_1020" in builtin else "standard_1020"
    montage = mne.channels.make_standard_montage(name)
    raw.set_montage(montage, on_missing="ignore", verbose="error")
    raw.info["bads"] = ["Fp2"]
    return raw


def test_mne_round_trip_is_lossless():
    raw = _mne_raw_with_everything()
    rec = Recording.from_mne(raw)
    raw2 = rec.to_mne()
    assert np.array_equal(raw.get_data(), raw2.get_data())
    assert raw2.ch_names == raw.ch_names
    assert raw2.get_channel_types() == raw.get_channel_types()
    assert [c["unit"] for c in raw2.info["chs"]] == [c["unit"] for c in raw.info["chs"]]
    assert (
        raw2.info["bads"] == ["Fp2"] and raw2.info["meas_date"] == raw.info["meas_date"]
    )
    np.testing.assert_array_equal(raw2.annotations.onset, raw.annotations.onset)
    assert list(raw2.annotations.description) == ["a", "b"]
    assert raw2.annotations.ch_names[1] == ("Cz",)
    p1, p2 = raw.get_montage().get_positions(), raw2.get_montage().get_positions()
    assert p1["coord_frame"] == p2["coord_frame"]
    for name in ("Fp1", "Fp2", "Cz"):
        np.testing.assert_array_equal(p1["ch_pos"][name], p2["ch_pos"][name])
    np.testing.assert_array_equal(p1["nasion"], p2["nasion"])
    rec2 = Recording.from_mne(raw2)
    assert rec2.montage == rec.montage and rec2.annotations == rec.annotations


def test_mne_round_trip_with_first_samp():
    info = mne.create_info(["a"], 100.0, "eeg")
    raw = mne.io.RawArray(np.ones((1, 300)), info, first_samp=150, verbose="error")
    raw.set_meas_date(datetime.datetime(2021, 5, 5, tzinfo=datetime.timezone.utc))
    raw.set_annotations(
        mne.Annotations([1.6], [0.0], ["x"], orig_time=raw.info["meas_date"])
    )
    rec = Recording.from_mne(raw)
    assert rec.first_samp == 150
    assert rec.annotations.onset[0] == pytest.approx(0.1)
    raw2 = rec.to_mne()
    assert raw2.first_samp == 150
    np.testing.assert_allclose(
        raw2.annotations.onset, raw.annotations.onset, atol=1e-12
    )


def test_from_mne_copy_semantics_and_type_check():
    raw = _mne_raw_with_everything()
    shared = Recording.from_mne(raw, copy=False)
    assert np.shares_memory(shared.data, raw._data)
    assert not np.shares_memory(Recording.from_mne(raw).data, raw._data)
    with pytest.raises(TypeError, match="mne.io.BaseRaw"):
        Recording.from_mne(np.zeros((2, 2)))


def test_to_mne_maps_extra_types_to_misc():
    rec = Recording(np.zeros((2, 10)), 10.0, ["v1", "v2"], "fmri")
    assert rec.to_mne().get_channel_types() == ["misc", "misc"]


def test_montage_kept_by_pick():
    rec = Recording(
        np.zeros((2, 4)),
        4.0,
        ["a", "b"],
        "seeg",
        montage=Montage({"a": [0, 0, 0.01], "b": [0, 0, 0.02]}, "mni_tal"),
    )
    assert rec.pick(["b"]).montage.ch_names == ["b"]
