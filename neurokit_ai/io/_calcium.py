"""Calcium imaging: suite2p output folders (and raw movies, from ``_movie``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    FileFormatError,
    MissingFileError,
    Recording,
    ValidationError,
    check_finite,
    check_option,
    check_path,
    check_sfreq,
)

# Raw movies live in _movie; re-exported because io.READERS maps TIFF/HDF5 here.
from ._movie import ImagingMovie, read_movie

__all__ = ["read_suite2p", "read_movie", "ImagingMovie"]

SUITE2P_SIGNALS = ("F", "Fneu", "spks")


def read_suite2p(
    path: str | os.PathLike,
    *,
    fs: float | None = None,
    signal: str = "F",
    cells_only: bool = False,
) -> Recording:
    """Read suite2p's ROI traces as a ROIs × frames :class:`Recording`.

    ``path`` is a plane folder (holding ``F.npy``) or a suite2p output folder
    holding ``plane0/``, ``plane1/``... (directly or under ``suite2p/``), whose
    planes are then stacked (``channel_info["plane"]``). One signal is read per
    call; read again with ``signal="Fneu"`` for the neuropil or ``"spks"`` for
    the deconvolved activity (the shapes of all three are checked every time).

    Parameters
    ----------
    path : str or path-like
        Plane folder or suite2p folder.
    fs : float, optional
        Frame rate in Hz (per volume for multi-plane recordings). Overrides
        ``ops.npy``; required when the folder has no ``ops.npy``.
    signal : {"F", "Fneu", "spks"}
        Raw fluorescence, neuropil fluorescence or deconvolved spikes.
    cells_only : bool
        Keep only the ROIs that suite2p's classifier (``iscell.npy``) calls cells.

    Returns
    -------
    Recording
        ``(n_rois, n_frames)`` in the files' dtype (float32), channel type
        ``calcium``, names ``"roi{i}"`` (``i`` counts ROIs over all planes), and
        ``channel_info`` ``iscell`` (bool), ``iscell_prob``, ``med`` (y, x
        centroid in pixels), ``npix``, ``plane`` and ``plane_roi`` (index inside
        its plane).

    Examples
    --------
    >>> rec = read_suite2p("suite2p/plane0", fs=30.0, cells_only=True)  # doctest: +SKIP
    >>> rec.channel_info["med"][:2]  # doctest: +SKIP
    """
    path = check_path(path, "path", kind="dir")
    check_option(signal, "signal", SUITE2P_SIGNALS)
    if fs is not None:
        fs = check_sfreq(fs, "fs")
    planes = _plane_folders(path)
    parts = [_read_plane(folder, signal) for folder in planes]
    n_frames = {p["data"].shape[1] for p in parts}
    if len(n_frames) > 1:
        shapes = {str(f): p["data"].shape for f, p in zip(planes, parts)}
        raise FileFormatError(
            f"The planes of {str(path)!r} have different numbers of frames {shapes}; "
            "read each plane folder on its own."
        )
    rate, rate_source = _frame_rate(path, parts, fs)
    info = {
        key: np.concatenate([p[key] for p in parts])
        for key in ("iscell", "iscell_prob", "med", "npix", "plane", "plane_roi")
    }
    data = np.concatenate([p["data"] for p in parts])
    keep = info["iscell"] if cells_only else np.ones(len(data), bool)
    if not keep.any():
        raise ValidationError(
            f"cells_only=True but iscell.npy in {str(path)!r} marks no ROI as a cell; "
            "pass cells_only=False or re-run suite2p's classifier."
        )
    names = [f"roi{i}" for i in np.flatnonzero(keep)]
    return Recording(
        data[keep],
        sfreq=rate,
        ch_names=names,
        ch_types="calcium",
        modality="calcium",
        source=str(path),
        channel_info={key: val[keep] for key, val in info.items()},
        metadata={
            "signal": signal,
            "fs_source": rate_source,
            "planes": [str(f) for f in planes],
            "cells_only": cells_only,
        },
    )


def _plane_folders(path: Path) -> list[Path]:
    if (path / "F.npy").is_file():
        return [path]
    for root in (path, path / "suite2p"):
        planes = [p for p in root.glob("plane*") if re.fullmatch(r"plane\d+", p.name)]
        planes = [p for p in planes if (p / "F.npy").is_file()]
        if planes:
            return sorted(planes, key=lambda p: int(p.name[5:]))
    raise MissingFileError(
        f"path: {str(path)!r} holds no F.npy, nor plane*/F.npy folders. Pass a "
        "suite2p plane folder (e.g. .../suite2p/plane0) or the suite2p folder."
    )


def _load_npy(path: Path, *, mmap: bool = False, pickled: bool = False) -> Any:
    if not path.is_file():
        raise MissingFileError(
            f"{str(path)!r} is missing. suite2p writes F.npy, Fneu.npy, spks.npy, "
            "iscell.npy and stat.npy together: copy the whole plane folder."
        )
    try:
        return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=pickled)
    except (ValueError, OSError, EOFError) as err:
        raise FileFormatError(
            f"{str(path)!r} could not be read as a .npy array ({err}); it is corrupt "
            "or truncated. Re-copy it from the suite2p output."
        ) from err


def _read_plane(folder: Path, signal: str) -> dict[str, Any]:
    shapes = {}
    for name in SUITE2P_SIGNALS:
        file = folder / f"{name}.npy"
        if file.is_file() or name == signal:
            shapes[file.name] = _load_npy(file, mmap=True).shape
    if len(set(shapes.values())) > 1 or len(shapes[f"{signal}.npy"]) != 2:
        raise FileFormatError(
            f"The traces in {str(folder)!r} disagree: shapes {shapes} (each should "
            "be (n_rois, n_frames), all equal). A file is truncated or comes from "
            "another run; re-copy the plane folder."
        )
    data = np.array(_load_npy(folder / f"{signal}.npy"))
    check_finite(data, repr(str(folder / f"{signal}.npy")))
    n_rois = data.shape[0]
    iscell = _load_npy(folder / "iscell.npy")
    # stat.npy is an object array of dicts, suite2p's own output format: it can
    # only be read with pickle, so load it only from folders you trust.
    stat = _load_npy(folder / "stat.npy", pickled=True)
    if iscell.ndim != 2 or iscell.shape != (n_rois, 2) or len(stat) != n_rois:
        raise FileFormatError(
            f"In {str(folder)!r}, {signal}.npy has {n_rois} ROIs but iscell.npy has "
            f"shape {iscell.shape} (expected ({n_rois}, 2)) and stat.npy has "
            f"{len(stat)} entries. The files come from different runs; re-copy the "
            "plane folder."
        )
    try:
        med = np.array([np.asarray(s["med"], dtype=float).reshape(2) for s in stat])
        npix = np.array(
            [int(s["npix"] if "npix" in s else len(s["ypix"])) for s in stat]
        )
    except (KeyError, TypeError, ValueError) as err:
        raise FileFormatError(
            f"{str(folder / 'stat.npy')!r} does not hold suite2p ROI statistics (a "
            f"dict with 'med' and 'npix' per ROI): {err!r}. Re-copy it."
        ) from err
    plane = int(folder.name[5:]) if re.fullmatch(r"plane\d+", folder.name) else 0
    return {
        "data": data,
        "iscell": iscell[:, 0] > 0.5,
        "iscell_prob": iscell[:, 1].astype(float),
        "med": med,
        "npix": npix,
        "plane": np.full(n_rois, plane),
        "plane_roi": np.arange(n_rois),
        "fs": _ops_rate(folder),
    }


def _ops_rate(folder: Path) -> float | None:
    file = folder / "ops.npy"
    if not file.is_file():
        return None
    # ops.npy is suite2p's pickled settings dict (its own output format).
    ops = _load_npy(file, pickled=True).item()
    return float(ops["fs"]) if "fs" in ops else None


def _frame_rate(
    path: Path, parts: list[dict[str, Any]], fs: float | None
) -> tuple[float, str]:
    if fs is not None:
        return fs, "user"
    rates = {p["fs"] for p in parts if p["fs"] is not None}
    if not rates:
        raise ValidationError(
            f"The frame rate of {str(path)!r} is unknown: there is no ops.npy (or it "
            "has no 'fs'). Pass fs=<frames per second>, e.g. fs=30.0."
        )
    if len(rates) > 1:
        raise FileFormatError(
            f"The ops.npy files of {str(path)!r} give different frame rates "
            f"{sorted(rates)}; pass fs= to choose."
        )
    return check_sfreq(rates.pop(), "ops['fs']"), "ops.npy"
