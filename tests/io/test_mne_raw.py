"""EEG/iEEG files through read_recording / read_raw_file, checked against MNE.

Expected shapes, rates, durations, channel-type counts and annotation counts
are those stated in ../shared/datasets/recordings/PROVENANCE.md.
"""

from __future__ import annotations

import shutil
import warnings
from collections import Counter
from pathlib import Path
from unittest import mock

import mne
import numpy as np
import pytest

from neurokit_ai.core import (
    CHANNEL_TYPES,
    FileFormatError,
    MissingFileError,
    NeurokitError,
    Recording,
    ValidationError,
)
from neurokit_ai.io import (
    _edf,
    read_raw_file,
    read_recording,
    set_channel_types_from_patterns,
)

SEEG_PATTERNS = {"ecg": "^EKG", "misc": "^DC"}

# (relative path, options, MNE reader call, shape, sfreq, types, n_annotations)
PROVENANCE = [
    ("eeg/eeglab/test_raw.set", {}, (mne.io.read_raw_eeglab, {}),
     (32, 30504), 128.0, {"eeg": 32}, 154),
    ("eeg/brainvision/bv_dig_test.vhdr", {}, (mne.io.read_raw_brainvision, {}),
     (67, 5000), 5000.0, {"eeg": 67}, 1),
    ("eeg/edf/test.edf", {}, (mne.io.read_raw_edf, {}),
     (139, 3072), 512.0, {"eeg": 138, "stim": 1}, 5),
    ("eeg/edf/test_edf_overlapping_annotations.edf", {}, (mne.io.read_raw_edf, {}),
     (64, 15872), 128.0, {"eeg": 64}, 38),
    ("eeg/edf/chtypes_edf.edf", {"infer_types": True},
     (mne.io.read_raw_edf, {"infer_types": True}),
     (42, 1000), 200.0, {"eeg": 38, "ecg": 2, "bio": 2}, 8),
    ("eeg/bdf/test.bdf", {}, (mne.io.read_raw_bdf, {}),
     (73, 2048), 2048.0, {"eeg": 72, "stim": 1}, None),
]  # fmt: skip


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize(
    "rel, options, mne_call, shape, sfreq, types, n_ann",
    PROVENANCE,
    ids=[p[0].split("/")[-1] for p in PROVENANCE],
)
def test_read_recording_matches_provenance_and_mne(
    recordings, rel, options, mne_call, shape, sfreq, types, n_ann
):
    path = recordings / rel
    native = path.suffix in (".edf", ".bdf")
    original, returned = _edf.read_edf_native, []

    def spy(*args, **kwargs):
        returned.append(original(*args, **kwargs))
        return returned[-1]

    with mock.patch.object(_edf, "read_edf_native", side_effect=spy):
        rec = read_recording(path, **options)
    # EDF/BDF go through the native reader, and it did the reading.
    assert len(returned) == int(native)
    assert all(r is rec for r in returned)
    assert isinstance(rec, Recording)
    assert rec.shape == shape
    assert rec.sfreq == sfreq
    assert rec.duration == pytest.approx(shape[1] / sfreq)
    assert Counter(rec.ch_types) == Counter(types)

    func, kwargs = mne_call
    raw = func(path, preload=True, verbose="error", **kwargs)
    if n_ann is not None:
        assert len(rec.annotations) == n_ann
    assert len(rec.annotations) == len(raw.annotations)
    assert rec.ch_names == raw.ch_names
    assert rec.ch_types == raw.get_channel_types()
    # Same samples as MNE's reader (float64, up to the last bit of the scaling).
    np.testing.assert_allclose(rec.data, raw.get_data(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        rec.annotations.onset, raw.annotations.onset - raw.first_time, atol=1e-9
    )
    assert list(rec.annotations.description) == list(raw.annotations.description)


@pytest.fixture(scope="module")
def seeg(recordings):
    folder = recordings / "ieeg" / "seeg"
    return {
        "edf": folder / "sample_seeg.edf",
        "mni": folder / "sample_seeg_electrodes_mni.tsv",
        "fs": folder / "sample_seeg_electrodes_fsnative.tsv",
        "fs_json": folder / "sample_seeg_coordsystem_fsnative.json",
    }


def _tsv_positions(path: Path) -> dict[str, np.ndarray]:
    import pandas as pd

    table = pd.read_csv(path, sep="\t", na_values=["n/a"])
    table = table.dropna(subset=["x", "y", "z"])
    return {r["name"]: np.array([r.x, r.y, r.z], float) for _, r in table.iterrows()}


def test_seeg_mni_positions_and_types(seeg):
    rec = read_recording(
        seeg["edf"], electrodes=seeg["mni"], type_patterns=SEEG_PATTERNS
    )
    assert rec.channel_type_counts() == {"seeg": 88, "misc": 8, "ecg": 2}
    assert len(rec.annotations) == 3
    assert rec.modality == "ieeg"
    expected = _tsv_positions(seeg["mni"])
    assert len(expected) == 88
    assert rec.montage.coord_frame == "mni_tal"
    seeg_names = [n for n, t in zip(rec.ch_names, rec.ch_types) if t == "seeg"]
    assert sorted(rec.montage.ch_names) == sorted(seeg_names) == sorted(expected)
    for name, xyz_mm in expected.items():
        np.testing.assert_array_equal(rec.montage.ch_pos[name], xyz_mm / 1000)
    ecg = [n for n, t in zip(rec.ch_names, rec.ch_types) if t == "ecg"]
    assert ecg == ["EKG1", "EKG2"]


def test_seeg_return_native_matches_mne_recipe(seeg):
    """return_native gives the raw PROVENANCE's MNE recipe gives."""
    raw = read_recording(
        seeg["edf"],
        electrodes=seeg["mni"],
        type_patterns=SEEG_PATTERNS,
        return_native=True,
    )
    assert isinstance(raw, mne.io.BaseRaw)
    ref = mne.io.read_raw_edf(seeg["edf"], preload=True, verbose="error")
    ref.set_channel_types(
        {
            ch: "ecg"
            if ch.startswith("EKG")
            else "misc"
            if ch.startswith("DC")
            else "seeg"
            for ch in ref.ch_names
        },
        verbose="error",
    )
    pos = _tsv_positions(seeg["mni"])
    montage = mne.channels.make_dig_montage(
        {k: v / 1000 for k, v in pos.items()}, coord_frame="mni_tal"
    )
    ref.set_montage(montage, verbose="error")
    assert raw.get_channel_types() == ref.get_channel_types()
    got = raw.get_montage().get_positions()
    want = ref.get_montage().get_positions()
    assert got["coord_frame"] == want["coord_frame"] == "mni_tal"
    assert list(got["ch_pos"]) == list(want["ch_pos"])
    for name in want["ch_pos"]:
        np.testing.assert_array_equal(got["ch_pos"][name], want["ch_pos"][name])
    np.testing.assert_array_equal(raw.get_data(), ref.get_data())
    # Units follow neurokit_ai's defaults (DC channels stay in volts).
    dc = raw.ch_names.index("DC01")
    assert raw.info["chs"][dc]["unit"] == mne.io.constants.FIFF.FIFF_UNIT_V


def test_seeg_fsnative_with_coordsystem(seeg):
    rec = read_recording(
        seeg["edf"],
        electrodes=seeg["fs"],
        coordsystem=seeg["fs_json"],
        type_patterns=SEEG_PATTERNS,
    )
    # Rows with n/a positions (DC, EKG, MARK, EVENTS) are skipped, not typed.
    assert rec.channel_type_counts() == {"seeg": 88, "misc": 8, "ecg": 2}
    # The JSON says LIA (a FreeSurfer voxel orientation, no BIDS space) in mm.
    assert rec.montage.space == "LIA"
    assert rec.montage.coord_frame == "unknown"
    expected = _tsv_positions(seeg["fs"])
    assert len(expected) == len(rec.montage.ch_pos) == 88
    for name, xyz_mm in expected.items():
        np.testing.assert_array_equal(rec.montage.ch_pos[name], xyz_mm / 1000)
    labels = rec.channel_info["destriuex"]
    assert labels.shape == (98,)
    assert labels[rec.ch_names.index("L'2")] == "ctx_rh_G_front_sup"
    dk = rec.channel_info["desikan-killiany"]
    assert dk[rec.ch_names.index("L'4")] == "ctx-lh-superiorfrontal"
    # Channels the table gives no label to get "".
    assert labels[rec.ch_names.index("EKG1")] == ""
    # Picking keeps the labels in step.
    picked = rec.pick(["L'2", "EKG1"])
    assert picked.channel_info["destriuex"].tolist() == ["ctx_rh_G_front_sup", ""]


def test_coord_unit_overrides_the_json(seeg):
    rec = read_raw_file(
        seeg["edf"], electrodes=seeg["mni"], coord_unit="m", on_missing="raise"
    )
    pos = _tsv_positions(seeg["mni"])
    np.testing.assert_array_equal(rec.montage.ch_pos["L'1"], pos["L'1"])


@pytest.mark.parametrize("target", ["recording", "raw"])
def test_seeg_round_trip_is_lossless(seeg, target):
    rec = read_recording(
        seeg["edf"], electrodes=seeg["mni"], type_patterns=SEEG_PATTERNS
    )
    back = Recording.from_mne(rec.to_mne())
    np.testing.assert_array_equal(back.data, rec.data)
    assert back.ch_names == rec.ch_names
    assert back.ch_types == rec.ch_types
    assert back.units == rec.units
    assert back.sfreq == rec.sfreq
    np.testing.assert_array_equal(back.annotations.onset, rec.annotations.onset)
    np.testing.assert_array_equal(back.annotations.duration, rec.annotations.duration)
    assert list(back.annotations.description) == list(rec.annotations.description)
    assert back.montage == rec.montage
    assert back.montage.coord_frame == "mni_tal"


def test_brainvision_round_trip_is_lossless(recordings):
    path = recordings / "eeg" / "brainvision" / "bv_dig_test.vhdr"
    rec = read_recording(path)
    # MNE reads no digitisation from this header (the CapTrak file is not
    # staged), so there is no montage to keep.
    assert rec.montage is None
    assert mne.io.read_raw_brainvision(path, verbose="error").get_montage() is None
    back = Recording.from_mne(rec.to_mne())
    np.testing.assert_array_equal(back.data, rec.data)
    assert (back.ch_names, back.ch_types, back.units) == (
        rec.ch_names,
        rec.ch_types,
        rec.units,
    )
    np.testing.assert_array_equal(back.annotations.onset, rec.annotations.onset)
    assert list(back.annotations.description) == list(rec.annotations.description)
    assert back.meas_date == rec.meas_date


# ----------------------------------------------------------------- lazy reads
LAZY = [
    ("eeg/brainvision/bv_dig_test.vhdr", mne.io.read_raw_brainvision),
    ("eeg/eeglab/test_raw.set", mne.io.read_raw_eeglab),
]


@pytest.mark.parametrize("rel, func", LAZY, ids=["brainvision", "eeglab"])
def test_lazy_mne_read_reads_no_data_until_asked(recordings, rel, func):
    path = recordings / rel
    raw_cls = type(func(path, preload=False, verbose="error"))
    original = raw_cls._read_segment_file
    with mock.patch.object(
        raw_cls, "_read_segment_file", autospec=True, side_effect=original
    ) as segment:
        rec = read_recording(path, preload=False)
        assert rec.is_loaded is False
        assert segment.call_count == 0
        part = rec.get_data([0, 3], 100, 160)
        assert segment.call_count > 0
    assert rec.is_loaded is False
    eager = read_recording(path)
    np.testing.assert_array_equal(part, eager.data[[0, 3], 100:160])


def test_lazy_edf_read_reads_no_data_until_asked(recordings):
    path = recordings / "eeg" / "edf" / "test_edf_overlapping_annotations.edf"
    with mock.patch.object(_edf, "_read_records", wraps=_edf._read_records) as records:
        rec = read_recording(path, preload=False)
        assert rec.is_loaded is False
        assert records.call_count == 0
        assert len(rec.annotations) == 38
        part = rec.get_data(["Fc5.", "Cz.."], 1000, 1300)
        assert records.call_count > 0
    eager = read_recording(path)
    idx = [eager.ch_names.index("Fc5."), eager.ch_names.index("Cz..")]
    np.testing.assert_array_equal(part, eager.data[idx, 1000:1300])


# ------------------------------------------------------------------ typing
def test_ch_types_and_patterns_order(seeg):
    rec = read_raw_file(
        seeg["edf"],
        type_patterns={"seeg": "'", "ecg": "^EKG"},
        ch_types={"EKG2": "emg", "DC01": "stim"},
    )
    counts = rec.channel_type_counts()
    # ch_types wins over patterns; unmatched channels keep the file's type.
    assert counts == {"seeg": 88, "eeg": 7, "stim": 1, "ecg": 1, "emg": 1}
    assert rec.ch_types[rec.ch_names.index("EKG2")] == "emg"


def test_set_channel_types_from_patterns_in_place():
    rec = Recording(np.zeros((4, 10)), 10.0, ["EKG1", "DC01", "A1", "A2"], "eeg")
    out = set_channel_types_from_patterns(rec, {"ecg": "^EKG", "seeg": r"^A\d"})
    assert out is rec
    assert rec.ch_types == ["ecg", "eeg", "seeg", "seeg"]
    assert rec.modality == "ieeg"


def test_overlapping_patterns_are_an_error():
    rec = Recording(np.zeros((2, 10)), 10.0, ["EKG1", "A1"], "eeg")
    with pytest.raises(ValidationError, match="EKG1.*'ecg'.*'misc'"):
        set_channel_types_from_patterns(rec, {"ecg": "^EKG", "misc": "1$"})
    assert rec.ch_types == ["eeg", "eeg"]


def test_pattern_matching_nothing_follows_on_missing():
    rec = Recording(np.zeros((1, 10)), 10.0, ["A1"], "eeg")
    with pytest.raises(ValidationError, match="EKG"):
        set_channel_types_from_patterns(rec, {"ecg": "^EKG"})
    with pytest.warns(RuntimeWarning, match="EKG"):
        set_channel_types_from_patterns(rec, {"ecg": "^EKG"}, on_missing="warn")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        set_channel_types_from_patterns(rec, {"ecg": "^EKG"}, on_missing="ignore")


def test_bad_regex_is_a_validation_error():
    rec = Recording(np.zeros((1, 10)), 10.0, ["A1"], "eeg")
    with pytest.raises(ValidationError, match=r"type_patterns\['ecg'\].*regular"):
        set_channel_types_from_patterns(rec, {"ecg": "EKG("})


# --------------------------------------------------------------- bad input
def _copy(src: Path, dst_dir: Path, name: str | None = None) -> Path:
    dst = dst_dir / (name or src.name)
    shutil.copyfile(src, dst)
    return dst


def _check_nothing_written(tmp_path: Path, before: set[Path]) -> None:
    assert _files(tmp_path) == before


def test_set_without_fdt(recordings, tmp_path):
    set_file = _copy(recordings / "eeg" / "eeglab" / "test_raw.set", tmp_path)
    before = _files(tmp_path)
    with pytest.raises(MissingFileError) as info:
        read_recording(set_file)
    msg = str(info.value)
    assert "test_raw.set" in msg and "test_raw.fdt" in msg and "same folder" in msg
    _check_nothing_written(tmp_path, before)


@pytest.mark.parametrize(
    "gone, field", [(".eeg", "DataFile="), (".vmrk", "MarkerFile=")]
)
def test_vhdr_without_companion(recordings, tmp_path, gone, field):
    src = recordings / "eeg" / "brainvision"
    for ext in (".vhdr", ".vmrk", ".eeg"):
        if ext != gone:
            _copy(src / f"bv_dig_test{ext}", tmp_path)
    before = _files(tmp_path)
    with pytest.raises(MissingFileError) as info:
        read_recording(tmp_path / "bv_dig_test.vhdr")
    msg = str(info.value)
    assert "bv_dig_test.vhdr" in msg and f"bv_dig_test{gone}" in msg
    assert field in msg
    _check_nothing_written(tmp_path, before)


def test_vhdr_companion_names_are_read_from_the_header(recordings, tmp_path):
    """Renamed data/marker files are found when the .vhdr names them."""
    src = recordings / "eeg" / "brainvision"
    text = (src / "bv_dig_test.vhdr").read_text(encoding="utf-8")
    text = text.replace("DataFile=bv_dig_test.eeg", "DataFile=renamed_data.eeg")
    text = text.replace("MarkerFile=bv_dig_test.vmrk", "MarkerFile=renamed.vmrk")
    (tmp_path / "other.vhdr").write_text(text, encoding="utf-8")
    _copy(src / "bv_dig_test.eeg", tmp_path, "renamed_data.eeg")
    _copy(src / "bv_dig_test.vmrk", tmp_path, "renamed.vmrk")
    rec = read_recording(tmp_path / "other.vhdr")
    ref = read_recording(src / "bv_dig_test.vhdr")
    np.testing.assert_array_equal(rec.data, ref.data)
    # And removing the renamed marker file is reported by its header name.
    (tmp_path / "renamed.vmrk").unlink()
    with pytest.raises(MissingFileError, match="renamed.vmrk"):
        read_recording(tmp_path / "other.vhdr")


def test_corrupt_vhdr_wraps_mne_error(recordings, tmp_path):
    src = recordings / "eeg" / "brainvision"
    text = (src / "bv_dig_test.vhdr").read_text(encoding="utf-8")
    text = text.replace("SamplingInterval=200", "SamplingInterval=fast")
    (tmp_path / "bv_dig_test.vhdr").write_text(text, encoding="utf-8")
    for ext in (".eeg", ".vmrk"):
        _copy(src / f"bv_dig_test{ext}", tmp_path)
    before = _files(tmp_path)
    with pytest.raises(FileFormatError) as info:
        read_recording(tmp_path / "bv_dig_test.vhdr")
    msg = str(info.value)
    assert "bv_dig_test.vhdr" in msg and "read_raw_brainvision" in msg
    assert "fast" in msg and "re-export" in msg
    _check_nothing_written(tmp_path, before)


def test_truncated_edf(recordings, tmp_path):
    data = (recordings / "eeg" / "edf" / "test.edf").read_bytes()
    path = tmp_path / "truncated.edf"
    path.write_bytes(data[: len(data) // 2])
    before = _files(tmp_path)
    for preload in (True, False):
        with pytest.raises(FileFormatError) as info:
            read_recording(path, preload=preload)
        assert "truncated.edf" in str(info.value)
        assert "truncated" in str(info.value).lower()
    # MNE's path (return_native) checks integrity first too.
    with pytest.raises(FileFormatError, match="truncated"):
        read_recording(path, return_native=True)
    _check_nothing_written(tmp_path, before)


def test_unknown_channel_type(seeg):
    with pytest.raises(ValidationError) as info:
        read_recording(seeg["edf"], ch_types={"EKG1": "ekg"})
    msg = str(info.value)
    assert "'ekg'" in msg and "EKG1" in msg and "Did you mean" in msg
    assert all(t in msg for t in ("seeg", "ecog", "ecg", "misc"))


def test_unknown_pattern_type(seeg):
    with pytest.raises(ValidationError, match="sEEG.*Did you mean 'seeg'"):
        read_recording(seeg["edf"], type_patterns={"sEEG": "'"})


def test_ch_types_naming_absent_channels(seeg):
    with pytest.raises(ValidationError, match="NOPE"):
        read_recording(seeg["edf"], ch_types={"NOPE": "ecg"})
    with pytest.warns(RuntimeWarning, match="NOPE"):
        rec = read_recording(
            seeg["edf"], ch_types={"NOPE": "ecg", "EKG1": "ecg"}, on_missing="warn"
        )
    assert rec.ch_types[rec.ch_names.index("EKG1")] == "ecg"


def test_electrodes_naming_absent_channels(seeg, tmp_path):
    table = seeg["mni"].read_text(encoding="utf-8") + "ZZ9\t1.0\t2.0\t3.0\n"
    tsv = tmp_path / "extra_electrodes.tsv"
    tsv.write_text(table, encoding="utf-8")
    before = _files(tmp_path)
    with pytest.raises(ValidationError) as info:
        read_recording(seeg["edf"], electrodes=tsv)
    assert "ZZ9" in str(info.value) and "extra_electrodes.tsv" in str(info.value)
    assert "on_missing" in str(info.value)
    with pytest.warns(RuntimeWarning, match="ZZ9"):
        rec = read_recording(seeg["edf"], electrodes=tsv, on_missing="warn")
    assert "ZZ9" not in rec.montage.ch_pos and len(rec.montage.ch_pos) == 88
    _check_nothing_written(tmp_path, before)


def test_unknown_option(recordings):
    path = recordings / "eeg" / "edf" / "test.edf"
    with pytest.raises(ValidationError) as info:
        read_recording(path, electrode_typ="seeg")
    msg = str(info.value)
    assert "electrode_typ" in msg and "electrode_type" in msg and "exclude" in msg


def test_bad_option_values(recordings, seeg):
    vhdr = recordings / "eeg" / "brainvision" / "bv_dig_test.vhdr"
    with pytest.raises(ValidationError, match="infer_types.*EDF"):
        read_recording(vhdr, infer_types=True)
    with pytest.raises(ValidationError, match="on_missing"):
        read_recording(seeg["edf"], on_missing="skip")
    with pytest.raises(ValidationError, match="electrode_type.*'ecog'"):
        read_recording(seeg["edf"], electrode_type="ecogg")
    with pytest.raises(ValidationError, match="coord_unit"):
        read_recording(seeg["edf"], coord_unit="inch")
    with pytest.raises(NeurokitError, match="ch_types must be a dict"):
        read_recording(seeg["edf"], ch_types=["ecg"])


def test_mne_option_errors_are_wrapped(recordings):
    path = recordings / "eeg" / "edf" / "test.edf"
    # An MNE option takes the MNE path; a bad value there is reported.
    with pytest.raises(FileFormatError, match="read_raw_edf.*test.edf.*options"):
        read_recording(path, exclude=5)
    # A valid MNE option works and is applied.
    rec = read_recording(path, exclude=["A1"])
    assert "A1" not in rec.ch_names and rec.n_channels == 138


def test_read_raw_file_refuses_other_modalities(recordings):
    path = recordings / "fmri" / "nibabel" / "example4d.nii.gz"
    with pytest.raises(ValidationError, match="read_recording"):
        read_raw_file(path)


def test_nihon_kohden_without_companions(tmp_path):
    eeg = tmp_path / "patient.EEG"
    eeg.write_bytes(b"\x00" * 64)
    for suffix in (".21E", ".PNT"):
        eeg.with_suffix(suffix).write_bytes(b"\x00")
    before = _files(tmp_path)
    with pytest.raises(MissingFileError) as info:
        read_recording(eeg)
    assert "patient.EEG" in str(info.value) and "patient.LOG" in str(info.value)
    _check_nothing_written(tmp_path, before)


def test_persyst_without_dat(tmp_path):
    lay = tmp_path / "rec.lay"
    lay.write_text("[FileInfo]\nFile=C:\\data\\rec_data.dat\nFileType=Interleaved\n")
    before = _files(tmp_path)
    with pytest.raises(MissingFileError) as info:
        read_recording(lay)
    assert "rec.lay" in str(info.value) and "rec_data.dat" in str(info.value)
    _check_nothing_written(tmp_path, before)


def test_channel_types_constant_is_what_errors_list():
    """The allowed list in the errors is core's CHANNEL_TYPES."""
    rec = Recording(np.zeros((1, 10)), 10.0, ["A1"], "eeg")
    with pytest.raises(ValidationError) as info:
        set_channel_types_from_patterns(rec, {"voxel": "A"})
    assert str(list(CHANNEL_TYPES)) in str(info.value)


def test_v73_set_without_fdt(tmp_path):
    """A MATLAB 7.3 (HDF5) .set naming its .fdt in EEG.data, which is absent."""
    import h5py

    path = tmp_path / "big.set"
    with h5py.File(path, "w", userblock_size=512) as fh:
        name = np.array([ord(c) for c in "big_data.fdt"], dtype=np.uint16)
        ds = fh.create_dataset("EEG/data", data=name.reshape(-1, 1))
        ds.attrs["MATLAB_class"] = np.bytes_("char")
    header = (
        b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: test HDF5 schema 1.00 ."
    )
    with open(path, "r+b") as fh:
        fh.write(header.ljust(124) + b"\x00\x02IM")
    before = _files(tmp_path)
    with pytest.raises(MissingFileError) as info:
        read_recording(path)
    assert "big.set" in str(info.value) and "big_data.fdt" in str(info.value)
    _check_nothing_written(tmp_path, before)


def test_channels_tsv_applied_to_recording_and_raw(recordings, tmp_path):
    vhdr = recordings / "eeg" / "brainvision" / "bv_dig_test.vhdr"
    rows = ["name\ttype\tunits\tstatus", "Fp1\tEEG\tµV\tbad"]
    rows += ["ECG\tECG\tµV\tgood", "HEOG\tHEOG\tµV\tgood", "VEOG\tVEOG\tµV\tgood"]
    tsv = tmp_path / "sub-01_task-rest_channels.tsv"
    tsv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rec = read_recording(vhdr, channels=tsv)
    assert rec.channel_type_counts() == {"eeg": 64, "ecg": 1, "eog": 2}
    assert rec.bads == ["Fp1"]
    assert rec.channel_info["bids_units"][rec.ch_names.index("ECG")] == "µV"
    raw = read_recording(vhdr, channels=tsv, return_native=True)
    assert raw.get_channel_types() == rec.ch_types
    assert raw.info["bads"] == ["Fp1"]
    ref = mne.io.read_raw_brainvision(vhdr, preload=True, verbose="error")
    np.testing.assert_array_equal(rec.data, ref.get_data())
