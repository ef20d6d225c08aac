"""BIDS electrodes/coordsystem/channels tables, on small hand-written tables."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from neurokit_ai.core import (
    CHANNEL_TYPES,
    DTypeError,
    FileFormatError,
    MissingFileError,
    Recording,
    ValidationError,
)
from neurokit_ai.io import apply_channels_tsv, apply_electrodes_tsv, read_electrodes_tsv
from neurokit_ai.io._bids_tables import BIDS_TO_MNE_TYPES


def _write(path: Path, rows: list[list]) -> Path:
    path.write_text("\n".join("\t".join(map(str, r)) for r in rows) + "\n")
    return path


def _rec(names=("A1", "A2", "EKG"), kind="eeg") -> Recording:
    return Recording(np.zeros((len(names), 20)), 10.0, list(names), kind)


ELECTRODES = [
    ["name", "x", "y", "z", "group", "hemisphere"],
    ["A1", "-30.5", "12.25", "40", "A", "L"],
    ["A2", "-33.5", "12.25", "41", "A", "n/a"],
    ["EKG", "n/a", "n/a", "n/a", "n/a", "n/a"],
]


def test_positions_in_metres_from_json_unit(tmp_path):
    tsv = _write(tmp_path / "sub-01_electrodes.tsv", ELECTRODES)
    cs = {"iEEGCoordinateSystem": "MNI152NLin2009aSym", "iEEGCoordinateUnits": "cm"}
    montage = read_electrodes_tsv(tsv, coordsystem=cs)
    # The JSON's cm wins over the magnitude rule (which would say mm).
    np.testing.assert_array_equal(montage.ch_pos["A1"], [-0.305, 0.1225, 0.40])
    assert montage.ch_names == ["A1", "A2"]  # the n/a row is skipped
    assert montage.coord_frame == "mni_tal"
    assert montage.space == "MNI152NLin2009aSym"


@pytest.mark.parametrize(
    "values, unit, divisor",
    [
        ([-30.5, 70.0, 12.0], "mm", 1000),  # brain coordinates in mm
        ([-3.05, 7.0, 1.2], "cm", 100),  # the same in cm
        ([-0.0305, 0.07, 0.012], "m", 1),  # and in m
        ([26.0, 0.0, 0.0], "mm", 1000),  # just above 25 -> mm
        ([25.0, 0.0, 0.0], "cm", 100),  # 25 itself is still cm
        ([0.5, 0.0, 0.0], "m", 1),  # 0.5 itself is still m
    ],
)
def test_unit_detected_from_magnitude(tmp_path, values, unit, divisor):
    tsv = _write(tmp_path / "e.tsv", [["name", "x", "y", "z"], ["A1", *values]])
    montage = read_electrodes_tsv(tsv)
    np.testing.assert_array_equal(montage.ch_pos["A1"], np.array(values) / divisor)
    assert montage.coord_frame == "unknown" and montage.space is None


def test_explicit_unit_beats_detection(tmp_path):
    tsv = _write(tmp_path / "e.tsv", [["name", "x", "y", "z"], ["A1", 10, 20, 5]])
    np.testing.assert_array_equal(
        read_electrodes_tsv(tsv, unit="mm").ch_pos["A1"], [0.01, 0.02, 0.005]
    )


def test_sidecar_coordsystem_found_by_prefix(tmp_path):
    tsv = _write(tmp_path / "sub-01_ses-1_space-CapTrak_electrodes.tsv", ELECTRODES)
    (tmp_path / "sub-01_ses-1_space-CapTrak_coordsystem.json").write_text(
        json.dumps({"EEGCoordinateSystem": "CapTrak", "EEGCoordinateUnits": "m"})
    )
    montage = read_electrodes_tsv(tsv)
    assert montage.coord_frame == "head" and montage.space == "CapTrak"
    np.testing.assert_array_equal(montage.ch_pos["A2"], [-33.5, 12.25, 41.0])


@pytest.mark.parametrize(
    "name, frame, space",
    [
        ("sub-01_space-fsaverage_electrodes.tsv", "mni_tal", "fsaverage"),
        ("sub-01_space-ACPC_electrodes.tsv", "ras", "ACPC"),
        ("sub-01_space-Other_electrodes.tsv", "unknown", "Other"),
        ("contacts_mni305.tsv", "mni_tal", "MNI305"),
        ("contacts.tsv", "unknown", None),
    ],
)
def test_space_from_file_name(tmp_path, name, frame, space):
    montage = read_electrodes_tsv(_write(tmp_path / name, ELECTRODES))
    assert (montage.coord_frame, montage.space) == (frame, space)


def test_apply_electrodes_types_positions_and_columns(tmp_path):
    tsv = _write(tmp_path / "e.tsv", ELECTRODES)
    rec = _rec(("EKG", "A2", "A1", "Cz"))
    out = apply_electrodes_tsv(rec, tsv, electrode_type="ecog")
    assert out is rec
    assert rec.ch_types == ["eeg", "ecog", "ecog", "eeg"]
    assert rec.modality == "ieeg"
    assert rec.montage.ch_names == ["A2", "A1"]
    np.testing.assert_array_equal(rec.montage.ch_pos["A1"], [-0.0305, 0.01225, 0.04])
    assert rec.channel_info["group"].tolist() == ["", "A", "A", ""]
    assert rec.channel_info["hemisphere"].tolist() == ["", "", "L", ""]


def test_apply_electrodes_missing_channels(tmp_path):
    tsv = _write(tmp_path / "e.tsv", ELECTRODES)
    rec = _rec(("A1", "EKG"))
    with pytest.raises(ValidationError) as info:
        apply_electrodes_tsv(rec, tsv)
    assert "'A2'" in str(info.value) and "e.tsv" in str(info.value)
    assert rec.ch_types == ["eeg", "eeg"] and rec.montage is None  # untouched
    with pytest.warns(RuntimeWarning, match="'A2'"):
        apply_electrodes_tsv(rec, tsv, on_missing="warn")
    assert rec.ch_types == ["seeg", "eeg"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        apply_electrodes_tsv(_rec(("A1",)), tsv, on_missing="ignore")


@pytest.mark.parametrize(
    "rows, match",
    [
        ([["name", "x", "y"], ["A1", 1, 2]], r"lacks \['z'\]"),
        ([["name", "x", "y", "z"]], "no rows"),
        ([["name", "x", "y", "z"], ["A1", "1", "two", "3"]], "line 2.*'A1'.*two"),
        ([["name", "x", "y", "z"], ["A1", 1, 2, 3], ["A1", 1, 2, 4]], "twice"),
    ],
)
def test_malformed_electrodes_table(tmp_path, rows, match):
    tsv = _write(tmp_path / "bad_electrodes.tsv", rows)
    with pytest.raises(FileFormatError, match=match) as info:
        read_electrodes_tsv(tsv)
    assert "bad_electrodes.tsv" in str(info.value)


def test_bad_coordsystem(tmp_path):
    tsv = _write(tmp_path / "e.tsv", ELECTRODES)
    broken = tmp_path / "cs.json"
    broken.write_text("{not json")
    with pytest.raises(FileFormatError, match="cs.json.*not valid JSON"):
        read_electrodes_tsv(tsv, coordsystem=broken)
    with pytest.raises(FileFormatError, match="'pixels'.*unit='m'"):
        read_electrodes_tsv(tsv, coordsystem={"iEEGCoordinateUnits": "pixels"})
    with pytest.raises(MissingFileError, match="coordsystem"):
        read_electrodes_tsv(tsv, coordsystem=tmp_path / "absent.json")
    with pytest.raises(ValidationError, match="unit.*'mm'"):
        read_electrodes_tsv(tsv, unit="MM")
    with pytest.raises(ValidationError, match="electrode_type"):
        apply_electrodes_tsv(_rec(), tsv, electrode_type="grid")


CHANNELS = [
    ["name", "type", "units", "status"],
    ["A1", "SEEG", "µV", "good"],
    ["A2", "SEEG", "mV", "bad"],
    ["EKG", "ECG", "uV", "n/a"],
]


def test_apply_channels_types_bads_units(tmp_path):
    tsv = _write(tmp_path / "sub-01_channels.tsv", CHANNELS)
    rec = _rec()
    rec.units[0] = "NA"
    out = apply_channels_tsv(rec, tsv)
    assert out is rec
    assert rec.ch_types == ["seeg", "seeg", "ecg"]
    assert rec.bads == ["A2"]
    assert rec.units == ["V", "V", "V"]
    assert rec.channel_info["bids_units"].tolist() == ["µV", "mV", "uV"]


def test_channels_tsv_lowercase_and_trigger(tmp_path):
    rows = [
        ["name", "type", "units"],
        ["A1", "trig", "n/a"],
        ["A2", "MEGGRADPLANAR", "fT/cm"],
    ]
    tsv = _write(tmp_path / "c.tsv", rows)
    rec = apply_channels_tsv(_rec(("A1", "A2")), tsv)
    assert rec.ch_types == ["stim", "grad"]
    assert rec.units == ["NA", "T/m"]


def test_unknown_bids_type(tmp_path):
    rows = [["name", "type", "units"], ["A1", "SEEEG", "V"]]
    tsv = _write(tmp_path / "c.tsv", rows)
    rec = _rec()
    with pytest.raises(ValidationError) as info:
        apply_channels_tsv(rec, tsv)
    msg = str(info.value)
    assert "c.tsv" in msg and "'A1'" in msg and "SEEEG" in msg and "'SEEG'" in msg
    assert rec.ch_types == ["eeg"] * 3


def test_channels_tsv_missing_channel(tmp_path):
    tsv = _write(tmp_path / "c.tsv", [*CHANNELS, ["GONE", "EEG", "V", "good"]])
    with pytest.raises(ValidationError, match="GONE"):
        apply_channels_tsv(_rec(), tsv)
    with pytest.warns(RuntimeWarning, match="GONE"):
        rec = apply_channels_tsv(_rec(), tsv, on_missing="warn")
    assert rec.bads == ["A2"]


def test_apply_needs_a_recording(tmp_path):
    tsv = _write(tmp_path / "c.tsv", CHANNELS)
    with pytest.raises(DTypeError, match="read_recording"):
        apply_channels_tsv(np.zeros((3, 10)), tsv)


def test_bids_type_table_maps_to_known_types():
    assert set(BIDS_TO_MNE_TYPES.values()) <= set(CHANNEL_TYPES)


def _touch(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text("name\tx\ty\tz\n")


def test_find_electrodes_tsv_follows_bids_inheritance(tmp_path):
    from neurokit_ai.io import find_electrodes_tsv

    root = tmp_path / "study"
    root.mkdir()
    (root / "dataset_description.json").write_text("{}")
    ieeg = root / "sub-01" / "ses-1" / "ieeg"
    rec = ieeg / "sub-01_ses-1_task-words_acq-clinical_run-01_ieeg.edf"
    _touch(
        ieeg,
        rec.name,
        "sub-01_ses-1_space-ACPC_electrodes.tsv",  # applies (space is table-only)
        "sub-01_ses-1_acq-clinical_space-MNI_electrodes.tsv",  # applies, more specific
        "sub-01_ses-1_acq-research_electrodes.tsv",  # another acquisition
        "sub-01_ses-2_electrodes.tsv",  # another session
        "sub-02_ses-1_electrodes.tsv",  # another subject
        "sub-01_ses-1_channels.tsv",  # not an electrodes table
    )
    _touch(root / "sub-01", "sub-01_electrodes.tsv", "sub-01_ses-2_electrodes.tsv")
    _touch(root / "sub-01" / "ses-1", "sub-01_ses-1_electrodes.tsv")
    _touch(root, "space-fsaverage_electrodes.tsv")
    _touch(tmp_path, "electrodes.tsv")  # above the dataset root: never looked at
    found = find_electrodes_tsv(rec)
    assert [p.relative_to(root).as_posix() for p in found] == [
        "sub-01/ses-1/ieeg/sub-01_ses-1_acq-clinical_space-MNI_electrodes.tsv",
        "sub-01/ses-1/ieeg/sub-01_ses-1_space-ACPC_electrodes.tsv",
        "sub-01/ses-1/sub-01_ses-1_electrodes.tsv",
        "sub-01/sub-01_electrodes.tsv",
        "space-fsaverage_electrodes.tsv",
    ]


def test_find_electrodes_tsv_keeps_the_stem_convention(tmp_path):
    from neurokit_ai.io import find_electrodes_tsv

    _touch(
        tmp_path,
        "sample.edf",
        "sample_electrodes_mni.tsv",
        "sample_electrodes.tsv",
        "other_electrodes.tsv",
        "sub-01_electrodes.tsv",  # BIDS-named, but not this recording's subject
    )
    found = [p.name for p in find_electrodes_tsv(tmp_path / "sample.edf")]
    assert found == ["sample_electrodes.tsv", "sample_electrodes_mni.tsv"]
    with pytest.raises(MissingFileError, match="nope.edf"):
        find_electrodes_tsv(tmp_path / "nope.edf")
