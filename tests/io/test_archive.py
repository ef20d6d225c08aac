"""neurokit_ai's .npz archives: write_recording -> read_recording round trips."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import numpy as np
import pytest

from neurokit_ai.core import (
    Annotations,
    DTypeError,
    FileFormatError,
    MissingFileError,
    Montage,
    Recording,
    Responses,
    ValidationError,
)
from neurokit_ai.io import (
    ARCHIVE_VERSION,
    read_recording,
    read_responses,
    write_recording,
    write_responses,
)


def _full_recording() -> Recording:
    rng = np.random.default_rng(0)
    names = ["Fz", "Cz", "EOG", "A1"]
    montage = Montage(
        {"Fz": [0.0, 0.05, 0.08], "Cz": [0.0, 0.0, 0.1], "A1": [0.02, 0.01, -0.01]},
        coord_frame="head",
        nasion=[0.0, 0.1, 0.0],
        lpa=[-0.08, 0.0, 0.0],
        rpa=[0.08, 0.0, 0.0],
        hsp=rng.normal(size=(5, 3)) * 0.1,
        space="CapTrak",
    )
    return Recording(
        rng.normal(size=(4, 250)).astype(np.float32) * 1e-5,
        250.0,
        names,
        ["eeg", "eeg", "eog", "seeg"],
        units=["V", "V", "V", "mV"],
        annotations=Annotations(
            [0.1, 0.5], [0.0, 0.2], ["go", "stop"], [(), ("Fz", "Cz")]
        ),
        montage=montage,
        first_samp=1234,
        meas_date=dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.timezone.utc),
        bads=["EOG"],
        source="sub-01_task-rest_eeg.edf",
        subject="01",
        session="a",
        channel_info={
            "region": np.array(["frontal", "central", "n/a", "n/a"], dtype=object),
            "ijk": np.arange(12).reshape(4, 3),
        },
        metadata={"line_freq": 50.0, "affine": np.eye(2), "steps": ["filter"]},
    )


def test_round_trip_keeps_everything(tmp_path):
    rec = _full_recording()
    path = write_recording(rec, tmp_path / "sub-01_eeg.npz")
    back = read_recording(path)
    assert back.data.dtype == np.float32
    np.testing.assert_array_equal(back.data, rec.data)
    assert back.sfreq == rec.sfreq
    for attr in ("ch_names", "ch_types", "units", "bads", "first_samp", "meas_date"):
        assert getattr(back, attr) == getattr(rec, attr), attr
    for attr in ("modality", "source", "subject", "session"):
        assert getattr(back, attr) == getattr(rec, attr), attr
    assert back.annotations == rec.annotations
    assert back.montage == rec.montage and back.montage.space == "CapTrak"
    assert back.channel_info["region"].tolist() == ["frontal", "central", "n/a", "n/a"]
    np.testing.assert_array_equal(back.channel_info["ijk"], rec.channel_info["ijk"])
    assert back.metadata == {
        "line_freq": 50.0,
        "affine": [[1.0, 0.0], [0.0, 1.0]],
        "steps": ["filter"],
    }


def test_minimal_recording_round_trips_and_keeps_nan(tmp_path):
    data = np.array([[1.0, np.nan, 3.0]])
    rec = Recording(data, 3.0, ["x"], check_finite=False)
    back = read_recording(write_recording(rec, tmp_path / "r.npz"))
    np.testing.assert_array_equal(back.data, data)
    assert (
        back.montage is None and back.meas_date is None and len(back.annotations) == 0
    )


def test_same_recording_gives_the_same_bytes(tmp_path):
    rec = _full_recording()
    a = write_recording(rec, tmp_path / "a.npz").read_bytes()
    b = write_recording(rec, tmp_path / "b.npz").read_bytes()
    assert a == b


def test_archive_names_its_format_and_version(tmp_path):
    path = write_recording(_full_recording(), tmp_path / "r.npz")
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read("meta.json"))
    assert meta["format"] == "neurokit_ai.recording"
    assert meta["format_version"] == ARCHIVE_VERSION


def test_a_numpy_npz_is_refused_clearly(tmp_path):
    path = tmp_path / "arrays.npz"
    np.savez(path, data=np.zeros((2, 3)))
    with pytest.raises(FileFormatError, match="arrays.npz.*not a neurokit_ai archive"):
        read_recording(path)


def _rewrite_meta(src, dst, **changes):
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            payload = old.read(name)
            if name == "meta.json":
                payload = json.dumps({**json.loads(payload), **changes})
            new.writestr(name, payload)


def test_foreign_format_key_and_newer_version_are_refused(tmp_path):
    src = write_recording(_full_recording(), tmp_path / "r.npz")
    _rewrite_meta(src, tmp_path / "other.npz", format="someone.else")
    with pytest.raises(FileFormatError, match="names no neurokit_ai format"):
        read_recording(tmp_path / "other.npz")
    _rewrite_meta(src, tmp_path / "new.npz", format_version=ARCHIVE_VERSION + 1)
    with pytest.raises(FileFormatError, match="newer.*Upgrade neurokit_ai"):
        read_recording(tmp_path / "new.npz")


def test_truncated_archive_and_renamed_file(tmp_path):
    payload = write_recording(_full_recording(), tmp_path / "r.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(payload[: len(payload) // 2])
    with pytest.raises(FileFormatError, match="cut.npz.*corrupt or truncated"):
        read_recording(tmp_path / "cut.npz")
    (tmp_path / "r.edf").write_bytes(payload)
    with pytest.raises(FileFormatError, match="content is zip.*.npz"):
        read_recording(tmp_path / "r.edf")


def test_responses_and_recordings_are_not_mixed_up(tmp_path):
    resp = Responses(np.eye(3), conditions=["a", "b", 3], unit_names=["u", "v", "w"])
    path = write_responses(resp, tmp_path / "resp.npz")
    back = read_responses(path)
    np.testing.assert_array_equal(back.data, resp.data)
    assert back.conditions.tolist() == ["a", "b", 3]
    assert back.unit_names == ["u", "v", "w"]
    with pytest.raises(FileFormatError, match="holds Responses.*read_responses"):
        read_recording(path)
    rec_path = write_recording(_full_recording(), tmp_path / "rec.npz")
    with pytest.raises(FileFormatError, match="holds Recording.*read_recording"):
        read_responses(rec_path)


def test_write_is_atomic_and_leaves_the_old_file_on_failure(tmp_path, monkeypatch):
    import neurokit_ai.core._atomic as atomic

    path = write_recording(_full_recording(), tmp_path / "r.npz")
    before = path.read_bytes()
    bad = _full_recording()
    bad.channel_info["mixed"] = np.array([1, "a", None, None], dtype=object)
    with pytest.raises(DTypeError, match=r"channel_info\['mixed'\].*object array"):
        write_recording(bad, path)

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_recording(Recording(np.zeros((1, 5)), 5.0, ["x"]), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.npz"]


def test_bad_arguments(tmp_path):
    rec = _full_recording()
    with pytest.raises(ValidationError, match=r"must end in \.npz.*r\.npz"):
        write_recording(rec, tmp_path / "r.fif")
    assert read_recording(write_recording(rec, tmp_path / "UP.NPZ")).shape == (4, 250)
    with pytest.raises(DTypeError, match="rec must be a neurokit_ai Recording"):
        write_recording(rec.data, tmp_path / "r.npz")
    with pytest.raises(DTypeError, match="responses must be"):
        write_responses(rec, tmp_path / "r.npz")
    with pytest.raises(MissingFileError, match="folder.*missing"):
        write_recording(rec, tmp_path / "missing" / "r.npz")
