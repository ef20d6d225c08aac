"""Raw imaging movies (multi-page TIFF, HDF5) with named dimensions."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    FileFormatError,
    Recording,
    ValidationError,
    check_path,
    check_sfreq,
)
from ._sniff import sniff_format

__all__ = ["ImagingMovie", "read_movie", "DIM_LABELS"]

#: The dimension names a movie may have: time, depth, rows, columns, colour.
DIM_LABELS = ("t", "z", "y", "x", "c")
_ALIASES = {
    **{name: "t" for name in ("t", "time", "frame", "frames")},
    **{name: "z" for name in ("z", "plane", "planes", "depth", "slice")},
    **{name: "y" for name in ("y", "row", "rows", "height")},
    **{name: "x" for name in ("x", "col", "cols", "column", "columns", "width")},
    **{name: "c" for name in ("c", "channel", "channels", "colour", "color")},
}
# tifffile's axis letters: I (image sequence) counts as time; S (samples) is colour.
_TIFF_AXES = {"T": "t", "I": "t", "Z": "z", "Y": "y", "X": "x", "C": "c", "S": "c"}
_RATE_ATTRS = ("fs", "frame_rate", "sampling_rate", "rate")
_CHUNK_FRAMES = 256


class ImagingMovie:
    """An imaging movie whose axes have names, read lazily or in memory.

    Parameters
    ----------
    data : array-like
        Anything with ``shape``, ``dtype`` and slicing: a numpy array, a
        ``numpy.memmap``, an open ``h5py.Dataset``...
    dims : sequence of str
        One name per axis from :data:`DIM_LABELS` (``"t"`` required), e.g.
        ``("t", "z", "y", "x", "c")``.
    fs : float, optional
        Frame (volume) rate in Hz; needed by :meth:`to_recording`.
    source : str, optional
        Where the movie came from.
    metadata : dict, optional
        Anything else (axes string of the file, dataset path...).
    closer : callable, optional
        Closes the file a lazy ``data`` reads from (:meth:`close`).

    Examples
    --------
    >>> movie = ImagingMovie(np.zeros((5, 4, 3)), dims=("t", "y", "x"), fs=10.0)
    >>> movie.n_frames, movie.mean_image().shape
    (5, (4, 3))
    """

    def __init__(
        self,
        data: Any,
        dims: Sequence[str],
        fs: float | None = None,
        *,
        source: str | None = None,
        metadata: dict[str, Any] | None = None,
        closer: Any = None,
    ) -> None:
        if not all(hasattr(data, a) for a in ("shape", "dtype", "__getitem__")):
            data = np.asarray(data)
        self.data = data
        self.dims = _normalize_dims(dims, len(data.shape), "dims")
        self.fs = None if fs is None else check_sfreq(fs, "fs")
        self.source = source
        self.metadata = dict(metadata or {})
        self._closer = closer

    @property
    def shape(self) -> tuple[int, ...]:
        """Size of each axis, in the order of :attr:`dims`."""
        return tuple(int(n) for n in self.data.shape)

    @property
    def n_frames(self) -> int:
        """Number of time points (the length of the ``"t"`` axis)."""
        return self.shape[self.dims.index("t")]

    @property
    def spatial_dims(self) -> tuple[str, ...]:
        """The dims other than ``"t"``."""
        return tuple(d for d in self.dims if d != "t")

    @property
    def spatial_shape(self) -> tuple[int, ...]:
        """The shape of one frame, in the order of :attr:`spatial_dims`."""
        return tuple(n for d, n in zip(self.dims, self.shape) if d != "t")

    @property
    def is_lazy(self) -> bool:
        """Whether frames are read from disk on demand."""
        return not isinstance(self.data, np.ndarray) or isinstance(self.data, np.memmap)

    def get_frames(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Return frames ``start:stop`` as an array with the movie's dims.

        Only those frames are read from a lazy movie.

        Examples
        --------
        >>> movie = ImagingMovie(np.arange(6).reshape(3, 2, 1), ("t", "y", "x"))
        >>> movie.get_frames(1, 2).ravel().tolist()
        [2, 3]
        """
        stop = self.n_frames if stop is None else stop
        if not (isinstance(start, int) and isinstance(stop, int)) or not (
            0 <= start < stop <= self.n_frames
        ):
            raise ValidationError(
                f"get_frames(start={start!r}, stop={stop!r}) is not a frame range "
                f"inside 0..{self.n_frames}; pass integers with start < stop."
            )
        index = [slice(None)] * len(self.dims)
        index[self.dims.index("t")] = slice(start, stop)
        return np.asarray(self.data[tuple(index)])

    def _frame_chunks(self) -> Any:
        """Yield ``(start, frames)`` with frames shaped ``(n, n_pixels)``."""
        t_axis = self.dims.index("t")
        for start in range(0, self.n_frames, _CHUNK_FRAMES):
            stop = min(start + _CHUNK_FRAMES, self.n_frames)
            frames = np.moveaxis(self.get_frames(start, stop), t_axis, 0)
            yield start, frames.reshape(stop - start, -1)

    def mean_image(self) -> np.ndarray:
        """Return the time-average frame (float64), read in chunks.

        Examples
        --------
        >>> ImagingMovie(np.ones((4, 2, 2)), ("t", "y", "x")).mean_image().sum()
        np.float64(4.0)
        """
        total = np.zeros(int(np.prod(self.spatial_shape)))
        for _, frames in self._frame_chunks():
            total += frames.sum(axis=0, dtype=np.float64)
        return (total / self.n_frames).reshape(self.spatial_shape)

    def to_recording(self, rois: Any = None) -> Recording:
        """Turn the movie into a channels × frames :class:`Recording`, explicitly.

        Parameters
        ----------
        rois : array-like, optional
            ``None``: every pixel (voxel, colour channel) becomes a channel named
            after its index, e.g. ``"z0_y3_x5_c1"`` (``channel_info["index"]``,
            columns ``metadata["index_dims"]``). An integer label image of
            :attr:`spatial_shape` (0 = background) or a stack of masks
            ``(n_rois, *spatial_shape)``: one channel per ROI holding the mean
            over its pixels, named ``"roi{label}"`` / ``"roi{i}"``.

        Returns
        -------
        Recording
            Float64, channel type ``calcium``, ``sfreq = fs``.

        Examples
        --------
        >>> movie = ImagingMovie(np.ones((4, 2, 2)), ("t", "y", "x"), fs=5.0)
        >>> movie.to_recording(rois=np.array([[1, 1], [0, 2]])).ch_names
        ['roi1', 'roi2']
        """
        if self.fs is None:
            raise ValidationError(
                f"The frame rate of {self.source or 'this movie'} is unknown; pass "
                "fs=<frames per second> to read_movie (or set movie.fs)."
            )
        if rois is None:
            index = np.indices(self.spatial_shape).reshape(len(self.spatial_dims), -1)
            weights, info = None, {"index": index.T}
            names = [
                "_".join(f"{d}{i}" for d, i in zip(self.spatial_dims, idx))
                for idx in index.T
            ]
        else:
            weights, names = _roi_weights(rois, self.spatial_shape)
            info = {}
        out = np.empty((len(names), self.n_frames))
        for start, frames in self._frame_chunks():
            block = frames if weights is None else frames @ weights
            out[:, start : start + len(frames)] = block.T
        return Recording(
            out,
            sfreq=self.fs,
            ch_names=names,
            ch_types="calcium",
            modality="calcium",
            source=self.source,
            channel_info=info,
            metadata={
                "index_dims": self.spatial_dims,
                "movie_shape": self.shape,
                "movie_dims": self.dims,
            },
        )

    def close(self) -> None:
        """Close the file a lazy movie reads from (no-op for in-memory movies)."""
        if self._closer is not None:
            self._closer()
            self._closer = None

    def __enter__(self) -> ImagingMovie:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        rate = "fs unknown" if self.fs is None else f"{self.fs:g} Hz"
        dims = dict(zip(self.dims, self.shape))
        return (
            f"<ImagingMovie | {dims} {self.data.dtype} @ {rate}, "
            f"{'lazy' if self.is_lazy else 'in memory'} | {self.source}>"
        )


def _roi_weights(rois: Any, spatial_shape: tuple[int, ...]) -> tuple[Any, list]:
    rois = np.asarray(rois)
    if rois.shape == spatial_shape and rois.dtype.kind in "iu":
        labels = np.unique(rois[rois > 0])
        masks = np.stack([rois == lab for lab in labels]) if labels.size else rois[:0]
        names = [f"roi{lab}" for lab in labels]
    elif rois.ndim == len(spatial_shape) + 1 and rois.shape[1:] == spatial_shape:
        masks = rois != 0
        names = [f"roi{i}" for i in range(len(rois))]
    else:
        raise ValidationError(
            f"rois has shape {rois.shape} and dtype {rois.dtype}; pass an integer "
            f"label image of shape {spatial_shape} (0 = background) or a stack of "
            f"masks of shape (n_rois, *{spatial_shape})."
        )
    masks = masks.reshape(len(masks), -1)
    sizes = masks.sum(axis=1)
    if masks.shape[0] == 0 or (sizes == 0).any():
        raise ValidationError(
            "rois must define at least one ROI and every ROI at least one pixel; "
            f"ROI sizes are {sizes.tolist()}."
        )
    return (masks / sizes[:, None]).T, names


def _normalize_dims(labels: Sequence[str], ndim: int, origin: str) -> tuple[str, ...]:
    if isinstance(labels, str):
        labels = list(labels)
    labels = [str(lab).strip().lower() for lab in labels]
    if len(labels) != ndim:
        raise ValidationError(
            f"{origin} names {len(labels)} axes {labels} but the movie has {ndim} "
            f"dimensions; give one name per axis from {DIM_LABELS}."
        )
    unknown = [lab for lab in labels if lab not in _ALIASES]
    if unknown:
        raise ValidationError(
            f"{origin} {labels} holds unknown axis name(s) {unknown}; use "
            f"{DIM_LABELS} (or time/plane/row/column/channel), e.g. pass "
            "dims=('t', 'y', 'x')."
        )
    dims = tuple(_ALIASES[lab] for lab in labels)
    if len(set(dims)) != len(dims) or "t" not in dims:
        raise ValidationError(
            f"{origin} {labels} must name each axis once and include time ('t'); "
            "pass dims=(...) naming every axis, e.g. ('t', 'z', 'y', 'x')."
        )
    return dims


def read_movie(
    path: str | os.PathLike,
    *,
    dataset: str | None = None,
    dims: Sequence[str] | None = None,
    fs: float | None = None,
    preload: bool = True,
) -> ImagingMovie:
    """Read a raw imaging movie from a multi-page TIFF or an HDF5 file.

    Axis names come from the file when it has them (tifffile's OME/ImageJ
    ``series.axes``, where ``I``/``T`` are time and ``S``/``C`` colour; HDF5
    dimension labels, attached dimension-scale names, or a ``dims`` /
    ``axes`` attribute), else a 3-D movie is taken as ``("t", "y", "x")`` and
    higher dimensions must be named with ``dims``. The movie keeps every axis:
    use :meth:`ImagingMovie.to_recording` to flatten it into channels.

    Parameters
    ----------
    path : str or path-like
        ``.tif``/``.tiff`` or ``.h5``/``.hdf5`` file.
    dataset : str, optional
        HDF5 dataset path; required when the file holds several datasets of
        three or more dimensions.
    dims : sequence of str, optional
        Axis names (one per axis, or one string of letters such as ``"tzyx"``),
        overriding the file's.
    fs : float, optional
        Frame rate in Hz, overriding the file's (ImageJ ``finterval``/``fps``,
        OME ``TimeIncrement``, or an HDF5 ``fs``/``frame_rate`` attribute).
    preload : bool
        Read everything now and close the file (``True``), or keep it open and
        read frames on demand (``False``; TIFFs are memory-mapped when possible,
        else read page by page; close with :meth:`ImagingMovie.close`).

    Returns
    -------
    ImagingMovie

    Examples
    --------
    >>> movie = read_movie("stack.tif", fs=30.0, preload=False)  # doctest: +SKIP
    >>> movie.dims, movie.get_frames(0, 10).shape  # doctest: +SKIP
    """
    path = check_path(path, "path", kind="file")
    if fs is not None:
        fs = check_sfreq(fs, "fs")
    kind = sniff_format(path)
    if kind == "tiff":
        if dataset is not None:
            raise ValidationError(
                f"dataset={dataset!r} applies to HDF5 files only; {str(path)!r} is a "
                "TIFF. Drop dataset=."
            )
        data, file_dims, file_fs, meta, closer = _open_tiff(path, preload)
    elif kind == "hdf5":
        data, file_dims, file_fs, meta, closer = _open_hdf5(path, dataset, preload)
    else:
        raise FileFormatError(
            f"{str(path)!r} is neither a TIFF nor an HDF5 file (its content looks "
            f"like {kind or 'nothing known'}). read_movie reads .tif and .h5 movies."
        )
    try:
        if dims is not None:
            names = _normalize_dims(dims, data.ndim, "dims")
        elif file_dims is not None:
            names = _normalize_dims(file_dims, data.ndim, f"{str(path)!r}")
        elif data.ndim == 3:
            names = ("t", "y", "x")
        else:
            raise ValidationError(
                f"{str(path)!r} holds a {data.ndim}-D array of shape {data.shape} "
                "without axis names; pass dims=..., e.g. dims=('t', 'z', 'y', 'x')."
            )
        return ImagingMovie(
            data,
            names,
            fs if fs is not None else file_fs,
            source=str(path),
            metadata=meta,
            closer=closer,
        )
    except Exception:
        if closer is not None:
            closer()
        raise


def _open_tiff(path: Path, preload: bool) -> tuple:
    import tifffile

    try:
        tif = tifffile.TiffFile(path)
        series = tif.series[0]
    except Exception as err:
        raise FileFormatError(
            f"{str(path)!r} could not be read as a TIFF ({err}); it is corrupt or "
            "truncated. Re-copy or re-export it."
        ) from err
    axes = series.axes
    known = all(a in _TIFF_AXES for a in axes)
    file_dims = [_TIFF_AXES[a] for a in axes] if known else None
    meta = {"axes": axes, "format": "tiff"}
    try:
        file_fs = _tiff_rate(tif)
    except Exception:
        tif.close()
        raise
    if preload:
        with tif:
            return series.asarray(), file_dims, file_fs, meta, None
    try:
        data = tifffile.memmap(path, series=0, mode="r")
    except ValueError:
        return _TiffPages(tif, series), file_dims, file_fs, meta, tif.close
    tif.close()
    return data, file_dims, file_fs, meta, None


def _tiff_rate(tif: Any) -> float | None:
    import tifffile

    if tif.is_imagej:
        meta = tif.imagej_metadata or {}
        if meta.get("finterval"):
            return 1.0 / float(meta["finterval"])
        if meta.get("fps"):
            return float(meta["fps"])
    if tif.is_ome:
        pixels = tifffile.xml2dict(tif.ome_metadata)["OME"]["Image"]
        pixels = (pixels[0] if isinstance(pixels, list) else pixels)["Pixels"]
        step = pixels.get("TimeIncrement")
        scale = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "us": 1e-6}
        unit = pixels.get("TimeIncrementUnit", "s")
        if step and unit in scale:
            return 1.0 / (float(step) * scale[unit])
    return None


class _TiffPages:
    """A TIFF series that cannot be memory-mapped, read page by page.

    Only the pages of the requested range of the first axis are decoded.
    """

    def __init__(self, tif: Any, series: Any) -> None:
        self._tif = tif
        self._series = series
        self.shape = tuple(series.shape)
        self.ndim = len(self.shape)
        self.dtype = series.dtype
        page_size = int(np.prod(series.keyframe.shape))
        self._pages_per_frame = int(np.prod(self.shape[1:])) // page_size

    def __getitem__(self, key: tuple) -> np.ndarray:
        start, stop, _ = key[0].indices(self.shape[0])
        pages = range(start * self._pages_per_frame, stop * self._pages_per_frame)
        frames = self._tif.asarray(key=pages, series=self._series)
        return frames.reshape((stop - start, *self.shape[1:]))[(slice(None),) + key[1:]]


def _open_hdf5(path: Path, dataset: str | None, preload: bool) -> tuple:
    import h5py

    try:
        fh = h5py.File(path, "r")
    except OSError as err:
        raise FileFormatError(
            f"{str(path)!r} could not be opened as HDF5 ({err}); it is corrupt or "
            "truncated. Re-copy it."
        ) from err
    try:
        ds = _pick_dataset(fh, path, dataset)
        file_dims = _hdf5_dims(ds)
        file_fs = _hdf5_rate(ds, fh, path)
        meta = {"dataset": ds.name, "format": "hdf5"}
        if preload:
            data = ds[()]
            fh.close()
            return data, file_dims, file_fs, meta, None
        return ds, file_dims, file_fs, meta, fh.close
    except Exception:
        fh.close()
        raise


def _pick_dataset(fh: Any, path: Path, dataset: str | None) -> Any:
    import h5py

    found: dict[str, tuple] = {}
    fh.visititems(
        lambda name, obj: (
            found.__setitem__("/" + name, obj.shape)
            if isinstance(obj, h5py.Dataset)
            else None
        )
    )
    listing = ", ".join(f"{n} {s}" for n, s in found.items()) or "none"
    if dataset is not None:
        obj = fh.get(dataset)
        if not isinstance(obj, h5py.Dataset):
            raise ValidationError(
                f"dataset={dataset!r} is not a dataset of {str(path)!r}; its datasets "
                f"are: {listing}."
            )
        return obj
    movies = [name for name, shape in found.items() if len(shape) >= 3]
    if len(movies) == 1:
        return fh[movies[0]]
    if not movies:
        raise FileFormatError(
            f"{str(path)!r} holds no dataset with 3 or more dimensions (datasets: "
            f"{listing}); a movie is (t, y, x) or more."
        )
    raise ValidationError(
        f"{str(path)!r} holds several movie-like datasets: {listing}. Pass "
        f"dataset=... to choose one, e.g. dataset={movies[0]!r}."
    )


def _hdf5_rate(ds: Any, fh: Any, path: Path) -> float | None:
    for obj in (ds, fh):
        for key in _RATE_ATTRS:
            if key in obj.attrs:
                try:
                    return check_sfreq(float(obj.attrs[key]), key)
                except (TypeError, ValueError) as err:
                    raise FileFormatError(
                        f"{str(path)!r}: the attribute {key}={obj.attrs[key]!r} of "
                        f"{obj.name!r} is not a frame rate in Hz; pass fs=... "
                        "(and fix the attribute)."
                    ) from err
    return None


def _hdf5_dims(ds: Any) -> list[str] | None:
    labels = [ds.dims[i].label for i in range(ds.ndim)]
    if all(labels):
        return labels
    scales = [
        ds.dims[i][0].name.rsplit("/", 1)[-1] if len(ds.dims[i]) else ""
        for i in range(ds.ndim)
    ]
    if all(scales):
        return scales
    for key in ("dims", "axes", "DIMENSION_LABELS"):
        if key in ds.attrs:
            value = ds.attrs[key]
            if isinstance(value, bytes):
                value = value.decode()
            if isinstance(value, str):
                return list(value) if "," not in value else value.split(",")
            return [v.decode() if isinstance(v, bytes) else str(v) for v in value]
    return None
