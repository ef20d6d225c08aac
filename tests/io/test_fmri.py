"""NIfTI reading: shapes, TR sanity, masking against nilearn, BIDS events."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import (
    FileFormatError,
    MissingFileError,
    NeurokitError,
    ValidationError,
)
from neurokit_ai.io import read_events_tsv, read_nifti, read_recording

HAXBY = "fmri/haxby2001_pymvpa/sub001"
CATEGORIES = {
    "bottle", "cat", "chair", "face", "house", "scissors", "scrambledpix", "shoe",
}  # fmt: skip


def _files(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir())


def _write_nifti(path, data, *, tr, unit, affine=None):
    import nibabel as nib

    img = nib.Nifti1Image(data, np.eye(4) if affine is None else affine)
    img.header.set_zooms((2.0, 2.0, 2.0, tr, 1.0)[: data.ndim])
    img.header.set_xyzt_units("mm", unit)
    nib.save(img, str(path))
    return path


@pytest.mark.parametrize("reader", [read_nifti, read_recording])
def test_haxby_one_slice_with_events(recordings, reader):
    run = recordings / HAXBY / "task001_run001"
    rec = reader(run / "bold_1slice.nii.gz", events=run / "bold_events.tsv")
    assert rec.shape == (800, 121)  # 40 x 20 x 1 voxels, 121 volumes
    assert rec.sfreq == pytest.approx(0.4)
    assert rec.duration == pytest.approx(302.5)
    assert set(rec.ch_types) == {"fmri"} and rec.units[0] == "a.u."
    assert len(rec.annotations) == 8
    assert set(rec.annotations.description) == CATEGORIES
    assert np.allclose(rec.annotations.duration, 22.5)


def test_voxels_match_nibabel_and_rebuild_the_image(recordings):
    import nibabel as nib

    path = recordings / HAXBY / "task001_run001" / "bold_1slice.nii.gz"
    rec = read_nifti(path)
    img = nib.load(path)
    ijk = rec.channel_info["ijk"]
    raw = img.get_fdata()
    i, j, k = ijk[137]
    assert rec.ch_names[137] == f"v{i}_{j}_{k}"
    np.testing.assert_array_equal(rec.data[137], raw[i, j, k])
    vol = np.zeros(rec.metadata["shape"] + (rec.n_times,))
    vol[tuple(ijk.T)] = rec.data
    np.testing.assert_array_equal(vol, raw)
    np.testing.assert_array_equal(rec.metadata["affine"], img.affine)


def test_mask_agrees_with_nilearn(recordings):
    from nilearn.maskers import NiftiMasker

    bold = recordings / HAXBY / "task001_run001" / "bold_25mm.nii.gz"
    mask = recordings / HAXBY / "masks_25mm" / "brain.nii.gz"
    rec = read_recording(bold, mask=mask)
    ref = NiftiMasker(mask_img=str(mask), standardize=None).fit_transform(str(bold))
    assert rec.shape == (129, 121)
    np.testing.assert_array_equal(rec.data, ref.T)  # int16 data: exact


def test_mask_as_image_and_wrong_grid(recordings, tmp_path):
    import nibabel as nib

    bold = recordings / HAXBY / "task001_run001" / "bold_25mm.nii.gz"
    mask_img = nib.load(recordings / HAXBY / "masks_25mm" / "brain.nii.gz")
    assert read_nifti(bold, mask=mask_img).n_channels == 129
    other = recordings / HAXBY / "task001_run001" / "bold_1slice.nii.gz"
    with pytest.raises(ValidationError, match="resample"):
        read_nifti(other, mask=mask_img)
    labels = np.arange(8, dtype=np.int16).reshape(2, 2, 2)
    shifted = _write_nifti(tmp_path / "m.nii", labels, tr=1.0, unit="sec")
    grid = _write_nifti(tmp_path / "b.nii", np.ones((2, 2, 2, 3)), tr=1.0, unit="sec")
    with pytest.raises(ValidationError, match="binary"):
        read_nifti(grid, mask=shifted)
    before = _files(tmp_path)
    with pytest.raises(ValidationError, match="selects no voxel"):
        read_nifti(grid, mask=nib.Nifti1Image(np.zeros((2, 2, 2)), np.eye(4)))
    assert _files(tmp_path) == before


def test_tr_in_seconds_by_mistake_is_refused(recordings):
    path = recordings / "fmri" / "nibabel" / "example4d.nii.gz"
    with pytest.raises(ValidationError) as err:
        read_recording(path)
    msg = str(err.value)
    assert "example4d.nii.gz" in msg and "2000 sec" in msg and "t_r=2.0" in msg
    rec = read_nifti(path, t_r=2.0)
    assert rec.shape == (128 * 96 * 24, 2) and rec.sfreq == 0.5


@pytest.mark.parametrize(
    ("zoom", "unit", "tr"), [(2500.0, "msec", 2.5), (750000.0, "usec", 0.75)]
)
def test_tr_units_are_converted(tmp_path, zoom, unit, tr):
    data = np.random.default_rng(0).normal(size=(2, 3, 1, 5))
    path = _write_nifti(tmp_path / "bold.nii.gz", data, tr=zoom, unit=unit)
    rec = read_recording(path)
    assert rec.sfreq == pytest.approx(1 / tr)
    assert rec.metadata["t_r_source"] == "header"
    np.testing.assert_allclose(rec.data, data.reshape(6, 5), rtol=1e-6)


def test_tr_errors(tmp_path):
    data = np.zeros((2, 2, 1, 3))
    tiny = _write_nifti(tmp_path / "tiny.nii", data, tr=0.002, unit="sec")
    with pytest.raises(ValidationError, match="t_r=2.0"):
        read_nifti(tiny)
    space = _write_nifti(tmp_path / "hz.nii", data, tr=3.0, unit="hz")
    with pytest.raises(ValidationError, match="not a time"):
        read_nifti(space)
    with pytest.raises(ValidationError, match="in seconds"):
        read_nifti(tiny, t_r=2000.0)
    assert read_nifti(space, t_r=1.5).sfreq == pytest.approx(1 / 1.5)


def test_single_volume_has_no_tr(tmp_path):
    path = _write_nifti(tmp_path / "beta.nii", np.ones((2, 2, 2)), tr=1.0, unit="sec")
    rec = read_nifti(path)
    assert rec.shape == (8, 1) and rec.metadata["t_r"] is None


def test_return_native(recordings):
    import nibabel as nib

    path = recordings / HAXBY / "task001_run001" / "bold_1slice.nii.gz"
    img = read_recording(path, return_native=True)
    assert isinstance(img, nib.Nifti1Image) and img.shape == (40, 20, 1, 121)
    with pytest.raises(ValidationError, match="return_native"):
        read_nifti(path, t_r=2.5, return_native=True)


def test_bad_files(tmp_path):
    corrupt = tmp_path / "bold.nii.gz"
    corrupt.write_bytes(b"\x1f\x8b" + b"\x00" * 40)
    with pytest.raises(FileFormatError, match="bold.nii.gz"):
        read_nifti(corrupt)
    with pytest.raises(MissingFileError, match="nope.nii"):
        read_nifti(tmp_path / "nope.nii")
    five = _write_nifti(
        tmp_path / "five.nii", np.ones((2, 2, 2, 2, 2)), tr=1, unit="sec"
    )
    with pytest.raises(ValidationError, match="5-D"):
        read_nifti(five)
    assert _files(tmp_path) == ["bold.nii.gz", "five.nii"]


def test_read_events_tsv(tmp_path):
    good = tmp_path / "ok_events.tsv"
    good.write_text("onset\tduration\ttrial_type\n1.5\t0.5\tgo\n3\tn/a\tn/a\n")
    ann = read_events_tsv(good)
    np.testing.assert_array_equal(ann.onset, [1.5, 3.0])
    np.testing.assert_array_equal(ann.duration, [0.5, 0.0])
    assert ann.description.tolist() == ["go", "event"]
    cases = {
        "onset\ttrial_type\n1\tgo\n": (FileFormatError, "duration"),
        "onset\tduration\nsoon\t1\n": (ValidationError, "line 2 has onset='soon'"),
        "onset\tduration\n1\t-2\n": (ValidationError, "negative duration"),
    }
    for k, (text, (error, message)) in enumerate(cases.items()):
        bad = tmp_path / f"bad{k}_events.tsv"
        bad.write_text(text)
        with pytest.raises(error, match=message) as err:
            read_events_tsv(bad)
        assert isinstance(err.value, NeurokitError) and bad.name in str(err.value)
