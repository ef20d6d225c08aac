"""The read_recording dispatcher on EEG files: extensions, renamed files, options."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from neurokit_ai.core import (
    DTypeError,
    FileFormatError,
    MissingFileError,
    ValidationError,
)
from neurokit_ai.io import read_recording


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.fixture
def edf(recordings) -> Path:
    return recordings / "eeg" / "edf" / "test.edf"


@pytest.fixture
def bdf(recordings) -> Path:
    return recordings / "eeg" / "bdf" / "test.bdf"


def test_bdf_renamed_edf(bdf, tmp_path):
    path = tmp_path / "test.edf"
    shutil.copyfile(bdf, path)
    before = _files(tmp_path)
    with pytest.raises(FileFormatError) as info:
        read_recording(path)
    msg = str(info.value)
    assert "test.edf" in msg and "bdf" in msg and "Rename it with the .bdf" in msg
    assert _files(tmp_path) == before


def test_edf_renamed_bdf(edf, tmp_path):
    path = tmp_path / "test.bdf"
    shutil.copyfile(edf, path)
    with pytest.raises(FileFormatError, match="test.bdf.*content is edf.*.edf"):
        read_recording(path)


def test_text_file_named_edf(tmp_path):
    path = tmp_path / "notes.edf"
    path.write_text("subject 1, eyes closed\n" * 20)
    before = _files(tmp_path)
    with pytest.raises(FileFormatError) as info:
        read_recording(path)
    msg = str(info.value)
    assert "notes.edf" in msg and "not a edf header" in msg and "re-copy" in msg
    assert _files(tmp_path) == before


def test_empty_edf(tmp_path):
    path = tmp_path / "empty.edf"
    path.write_bytes(b"")
    with pytest.raises(FileFormatError, match="empty.edf"):
        read_recording(path)


def test_unknown_extension_with_edf_content(edf, tmp_path):
    path = tmp_path / "night1.rec"
    shutil.copyfile(edf, path)
    with pytest.raises(FileFormatError) as info:
        read_recording(path)
    msg = str(info.value)
    assert "night1.rec" in msg and "'.rec'" in msg and "looks like edf" in msg
    assert ".vhdr" in msg  # lists the supported extensions


def test_unknown_extension_unknown_content(tmp_path):
    path = tmp_path / "data.xyz"
    path.write_bytes(b"\x00\x01\x02" * 10)
    with pytest.raises(FileFormatError, match="data.xyz.*'.xyz'.*Supported"):
        read_recording(path)


def test_renamed_edf_with_right_extension_reads(edf, tmp_path):
    """A single-file format may be renamed freely; its content is what counts."""
    path = tmp_path / "sub-07_task-rest_eeg.EDF"
    shutil.copyfile(edf, path)
    rec = read_recording(path)
    ref = read_recording(edf)
    np.testing.assert_array_equal(rec.data, ref.data)
    assert rec.ch_names == ref.ch_names
    assert rec.source == str(path)


def test_brainvision_data_file_passed_instead_of_header(recordings):
    eeg = recordings / "eeg" / "brainvision" / "bv_dig_test.eeg"
    with pytest.raises(FileFormatError, match="bv_dig_test.vhdr.*instead"):
        read_recording(eeg)


def test_format_without_reader(tmp_path):
    path = tmp_path / "session.mef"
    path.write_bytes(b"\x00" * 32)
    with pytest.raises(FileFormatError, match="session.mef.*mef.*no reader"):
        read_recording(path)


def test_forced_format_must_be_known(edf):
    with pytest.raises(ValidationError, match="format.*'edf'"):
        read_recording(edf, format="edff")


def test_unknown_option(edf, recordings):
    with pytest.raises(ValidationError) as info:
        read_recording(edf, type_pattern={"ecg": "^EKG"})
    msg = str(info.value)
    assert "type_pattern" in msg and "type_patterns" in msg
    vhdr = recordings / "eeg" / "brainvision" / "bv_dig_test.vhdr"
    with pytest.raises(ValidationError, match="stim_channel.*read_raw_brainvision"):
        read_recording(vhdr, stim_channel="Status")


def test_wrong_option_types(edf):
    with pytest.raises(DTypeError, match="preload"):
        read_recording(edf, preload="no")
    with pytest.raises(DTypeError, match="path"):
        read_recording(42)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(MissingFileError, match="absent.edf.*does not exist"):
        read_recording(tmp_path / "absent.edf")
    with pytest.raises(FileFormatError, match="folder"):
        read_recording(tmp_path)


def test_bids_root_is_redirected(tmp_path):
    (tmp_path / "dataset_description.json").write_text("{}")
    with pytest.raises(FileFormatError, match="read_bids_recording"):
        read_recording(tmp_path)
