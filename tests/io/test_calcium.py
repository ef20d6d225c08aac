"""suite2p folders and raw imaging movies (TIFF, HDF5)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from neurokit_ai.core import (
    FileFormatError,
    MissingFileError,
    ValidationError,
)
from neurokit_ai.io import ImagingMovie, read_movie, read_recording, read_suite2p

PLANE0 = "calcium/suite2p_pynapple/plane0"


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _copy_plane(recordings, dest):
    return shutil.copytree(recordings / PLANE0, dest)


# ----------------------------------------------------------------------- suite2p
def test_suite2p_needs_a_frame_rate(recordings):
    with pytest.raises(ValidationError, match="frame rate .* unknown.*fs="):
        read_recording(recordings / PLANE0)


@pytest.mark.parametrize("reader", [read_suite2p, read_recording])
def test_suite2p_plane(recordings, reader):
    folder = recordings / PLANE0
    rec = reader(folder, fs=30.0)
    assert rec.shape == (219, 2000) and rec.sfreq == 30.0
    assert set(rec.ch_types) == {"calcium"}
    F = np.load(folder / "F.npy")
    np.testing.assert_array_equal(rec.data, F)
    iscell = np.load(folder / "iscell.npy")
    np.testing.assert_array_equal(rec.channel_info["iscell"], iscell[:, 0] == 1)
    np.testing.assert_array_equal(rec.channel_info["iscell_prob"], iscell[:, 1])
    assert rec.channel_info["iscell"].sum() == 20
    stat = np.load(folder / "stat.npy", allow_pickle=True)
    np.testing.assert_array_equal(rec.channel_info["med"][5], stat[5]["med"])
    assert rec.channel_info["npix"][5] == stat[5]["npix"]


def test_suite2p_cells_and_other_signals(recordings):
    folder = recordings / PLANE0
    cells = read_suite2p(folder, fs=30.0, cells_only=True)
    keep = np.flatnonzero(np.load(folder / "iscell.npy")[:, 0] == 1)
    assert cells.n_channels == 20
    assert cells.ch_names == [f"roi{i}" for i in keep]
    np.testing.assert_array_equal(cells.data, np.load(folder / "F.npy")[keep])
    neu = read_suite2p(folder, fs=30.0, signal="Fneu")
    np.testing.assert_array_equal(neu.data, np.load(folder / "Fneu.npy"))
    with pytest.raises(ValidationError, match="Fneu"):
        read_suite2p(folder, fs=30.0, signal="fneu")


def test_suite2p_multiplane_and_ops(recordings, tmp_path):
    for plane in ("plane0", "plane1"):
        _copy_plane(recordings, tmp_path / "suite2p" / plane)
    np.save(tmp_path / "suite2p" / "plane1" / "ops.npy", {"fs": 15.0})
    rec = read_recording(tmp_path)
    assert rec.shape == (438, 2000) and rec.sfreq == 15.0
    assert rec.metadata["fs_source"] == "ops.npy"
    np.testing.assert_array_equal(rec.channel_info["plane"], np.repeat([0, 1], 219))
    assert rec.ch_names[219] == "roi219" and rec.channel_info["plane_roi"][219] == 0
    assert read_suite2p(tmp_path, fs=30.0).sfreq == 30.0


def test_suite2p_mismatched_files(recordings, tmp_path):
    plane = _copy_plane(recordings, tmp_path / "plane0")
    np.save(plane / "Fneu.npy", np.load(plane / "Fneu.npy")[:, :1500])
    before = _files(tmp_path)
    with pytest.raises(FileFormatError) as err:
        read_suite2p(plane, fs=30.0)
    assert "Fneu.npy" in str(err.value) and "(219, 1500)" in str(err.value)
    np.save(plane / "Fneu.npy", np.load(plane / "F.npy"))
    np.save(plane / "iscell.npy", np.load(plane / "iscell.npy")[:200])
    with pytest.raises(FileFormatError, match=r"iscell.npy has shape \(200, 2\)"):
        read_suite2p(plane, fs=30.0)
    assert _files(tmp_path) == before


def test_suite2p_truncated_and_missing_files(recordings, tmp_path):
    plane = _copy_plane(recordings, tmp_path / "plane0")
    raw = (plane / "spks.npy").read_bytes()
    (plane / "spks.npy").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(FileFormatError, match="spks.npy.*corrupt or truncated"):
        read_suite2p(plane, fs=30.0)
    (plane / "spks.npy").unlink()
    (plane / "stat.npy").unlink()
    with pytest.raises(MissingFileError, match="stat.npy"):
        read_suite2p(plane, fs=30.0)
    (tmp_path / "empty").mkdir()
    with pytest.raises(MissingFileError, match="no F.npy"):
        read_suite2p(tmp_path / "empty", fs=30.0)


def test_suite2p_non_finite(recordings, tmp_path):
    plane = _copy_plane(recordings, tmp_path / "plane0")
    F = np.load(plane / "F.npy")
    F[3, 7] = np.nan
    np.save(plane / "F.npy", F)
    with pytest.raises(ValidationError, match=r"F.npy.*non-finite.*\(3, 7\)"):
        read_suite2p(plane, fs=30.0)


# ------------------------------------------------------------------------ movies
def _volume(seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 4000, size=(6, 3, 2, 8, 10), dtype=np.uint16)


@pytest.mark.parametrize("preload", [True, False])
def test_imagej_tiff_keeps_its_axes(tmp_path, preload):
    import tifffile

    movie5d = _volume()  # t, z, c, y, x
    path = tmp_path / "stack.tif"
    tifffile.imwrite(
        path, movie5d, imagej=True, metadata={"axes": "TZCYX", "finterval": 0.05}
    )
    movie = read_recording(path, preload=preload)
    assert isinstance(movie, ImagingMovie)
    assert movie.dims == ("t", "z", "c", "y", "x") and movie.shape == movie5d.shape
    assert movie.is_lazy is not preload and movie.fs == pytest.approx(20.0)
    np.testing.assert_array_equal(movie.get_frames(2, 5), movie5d[2:5])
    np.testing.assert_allclose(movie.mean_image(), movie5d.mean(axis=0))
    movie.close()


def test_ome_tiff_time_increment(tmp_path):
    import tifffile

    movie5d = _volume(1).transpose(0, 2, 1, 3, 4)  # t, c, z, y, x
    path = tmp_path / "ome.tif"
    meta = {"axes": "TCZYX", "TimeIncrement": 40.0, "TimeIncrementUnit": "ms"}
    tifffile.imwrite(path, movie5d, ome=True, metadata=meta)
    movie = read_movie(path)
    assert movie.dims == ("t", "c", "z", "y", "x") and movie.fs == pytest.approx(25.0)
    np.testing.assert_array_equal(movie.get_frames(), movie5d)


def test_compressed_tiff_reads_pages_lazily(tmp_path):
    import tifffile

    frames = _volume(2)[:, 0, 0]  # t, y, x
    path = tmp_path / "zlib.tif"
    tifffile.imwrite(path, frames, compression="zlib", photometric="minisblack")
    with read_movie(path, preload=False, fs=10.0) as movie:
        assert movie.dims == ("t", "y", "x") and movie.is_lazy
        np.testing.assert_array_equal(movie.get_frames(1, 4), frames[1:4])
        rec = movie.to_recording()
    assert rec.shape == (80, 6) and rec.ch_names[13] == "y1_x3"
    np.testing.assert_array_equal(rec.data[13], frames[:, 1, 3])


def _write_h5(path, **datasets):
    import h5py

    with h5py.File(path, "w") as fh:
        for name, (data, labels) in datasets.items():
            ds = fh.create_dataset(name, data=data)
            for axis, label in enumerate(labels):
                ds.dims[axis].label = label
    return path


@pytest.mark.parametrize("preload", [True, False])
def test_hdf5_dimension_labels(tmp_path, preload):
    movie5d = _volume(3).transpose(0, 1, 3, 4, 2)  # t, z, y, x, c
    path = _write_h5(tmp_path / "mov.h5", mov=(movie5d, "tzyxc"))
    movie = read_recording(path, preload=preload, fs=30.0)
    assert movie.dims == ("t", "z", "y", "x", "c") and movie.shape == movie5d.shape
    assert movie.spatial_shape == (3, 8, 10, 2)
    np.testing.assert_array_equal(movie.get_frames(1, 3), movie5d[1:3])
    rois = np.zeros((3, 8, 10, 2), dtype=int)
    rois[0, :2, :2, 0] = 1
    rois[2, 5, 5:9, 1] = 4
    rec = movie.to_recording(rois=rois)
    assert rec.ch_names == ["roi1", "roi4"] and rec.sfreq == 30.0
    np.testing.assert_allclose(rec.data[0], movie5d[:, 0, :2, :2, 0].mean(axis=(1, 2)))
    np.testing.assert_allclose(rec.data[1], movie5d[:, 2, 5, 5:9, 1].mean(axis=1))
    assert ("in memory" if preload else "lazy") in repr(movie)
    movie.close()


def test_hdf5_time_not_first_and_attribute_labels(tmp_path):
    import h5py

    data = _volume(4)[:, 0, 0].transpose(1, 2, 0)  # y, x, t
    path = tmp_path / "yxt.h5"
    with h5py.File(path, "w") as fh:
        fh.create_dataset("movie", data=data).attrs["dims"] = ["y", "x", "time"]
        fh.create_dataset("timestamps", data=np.arange(6.0))
        fh.attrs["frame_rate"] = 7.5
    movie = read_movie(path)
    assert movie.dims == ("y", "x", "t") and movie.n_frames == 6 and movie.fs == 7.5
    np.testing.assert_array_equal(movie.get_frames(2, 3), data[:, :, 2:3])


def test_hdf5_dataset_choice_and_dims_errors(tmp_path):
    movie = _volume(5)[:, 0, 0]
    path = _write_h5(tmp_path / "two.h5", a=(movie, "tyx"), b=(movie[:, :4], "tyx"))
    with pytest.raises(ValidationError) as err:
        read_movie(path)
    assert "/a (6, 8, 10)" in str(err.value) and "/b (6, 4, 10)" in str(err.value)
    assert read_movie(path, dataset="b").shape == (6, 4, 10)
    with pytest.raises(ValidationError, match="not a dataset.*/a"):
        read_movie(path, dataset="c")
    with pytest.raises(ValidationError, match="3 dimensions"):
        read_movie(path, dataset="a", dims=("t", "z", "y", "x"))
    unlabeled = tmp_path / "4d.h5"
    import h5py

    with h5py.File(unlabeled, "w") as fh:
        fh.create_dataset("m", data=_volume(6)[:, :, 0])
    with pytest.raises(ValidationError, match="without axis names.*dims="):
        read_movie(unlabeled)
    assert read_movie(unlabeled, dims="tzyx").dims == ("t", "z", "y", "x")
    with pytest.raises(ValidationError, match="include time"):
        read_movie(unlabeled, dims="czyx")


def test_movie_bad_inputs(tmp_path):
    frames = _volume(7)[:, 0, 0]
    movie = ImagingMovie(frames, ("t", "y", "x"))
    with pytest.raises(ValidationError, match="frame rate"):
        movie.to_recording()
    movie.fs = 5.0
    with pytest.raises(ValidationError, match="label image of shape"):
        movie.to_recording(rois=np.ones((3, 3), int))
    with pytest.raises(ValidationError, match="frame range"):
        movie.get_frames(4, 2)
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00" + b"\x00" * 10)
    with pytest.raises(FileFormatError, match="broken.tif"):
        read_movie(broken)
    with pytest.raises(ValidationError, match="HDF5 files only"):
        read_movie(broken, dataset="x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.tif"]
