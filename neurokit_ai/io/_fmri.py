"""fMRI: NIfTI images as voxel × volume recordings, and BIDS events tables."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    Annotations,
    FileFormatError,
    Recording,
    ValidationError,
    check_path,
    check_scalar,
)

__all__ = ["read_nifti", "read_events_tsv"]

#: Plausible repetition times in seconds. The fastest whole-brain fMRI
#: (MREG, inverse imaging, multiband EPI) reaches ~0.05-0.1 s per volume and
#: sparse-sampling auditory designs go up to ~20-30 s; a header value outside
#: this range is almost always a unit error (milliseconds stored as seconds).
TR_RANGE = (0.05, 30.0)
_TIME_UNIT_SCALE = {"sec": 1.0, "msec": 1e-3, "usec": 1e-6, "unknown": 1.0}


def read_nifti(
    path: str | os.PathLike,
    *,
    mask: Any = None,
    events: str | os.PathLike | None = None,
    t_r: float | None = None,
    return_native: bool = False,
) -> Any:
    """Read a 3-D or 4-D NIfTI image as a voxels × volumes :class:`Recording`.

    Each voxel is a channel named ``"v{i}_{j}_{k}"`` (type ``fmri``, unit
    ``"a.u."``), each volume a sample, and ``sfreq = 1 / TR``. Voxels are taken
    in C order of their ``(i, j, k)`` indices (nilearn's masker order), and
    ``channel_info["ijk"]``, ``metadata["affine"]`` and ``metadata["shape"]``
    rebuild an image from any per-voxel values.

    The TR is read from the fourth zoom with the header's time unit (``msec``
    and ``usec`` are converted to seconds; ``unknown`` is taken as seconds, as
    FSL and nilearn do). A TR outside 0.05-30 s (:data:`TR_RANGE`) is refused
    rather than used: such values are unit errors, for instance 2000 "sec"
    that are really milliseconds. ``t_r`` overrides the header.

    Parameters
    ----------
    path : str or path-like
        ``.nii`` or ``.nii.gz`` file.
    mask : str, path-like or nibabel image, optional
        A binary 3-D image on the same grid (shape and affine) as ``path``.
        Without a mask every voxel is kept, background included: pass a brain
        mask to drop the background.
    events : str or path-like, optional
        A BIDS ``*_events.tsv`` file, read with :func:`read_events_tsv` into
        the annotations. Events files are never looked up automatically (their
        names vary: Haxby's is ``bold_events.tsv``); pass the path.
    t_r : float, optional
        Repetition time in seconds, overriding the header.
    return_native : bool
        Return the ``nibabel.Nifti1Image`` itself (``mask``, ``events`` and
        ``t_r`` are then not allowed).

    Returns
    -------
    Recording or nibabel.Nifti1Image
        ``(n_voxels, n_volumes)``, float64. A 3-D image gives one sample; its
        ``sfreq`` is ``1 / t_r``, or 1.0 when no ``t_r`` is given (a single
        volume has no TR; ``metadata["t_r"]`` is then ``None``).

    Examples
    --------
    >>> rec = read_nifti("bold.nii.gz", mask="brain.nii.gz")  # doctest: +SKIP
    >>> rec.sfreq  # 1 / TR  # doctest: +SKIP
    0.4
    >>> vol = np.zeros(rec.metadata["shape"])  # doctest: +SKIP
    >>> vol[tuple(rec.channel_info["ijk"].T)] = rec.data.mean(axis=1)  # doctest: +SKIP
    """
    path = check_path(path, "path", kind="file")
    img = _load_image(path, "path")
    if return_native:
        given = [
            n
            for n, v in (("mask", mask), ("events", events), ("t_r", t_r))
            if v is not None
        ]
        if given:
            raise ValidationError(
                f"{given} cannot be applied with return_native=True: the native "
                "nibabel image is returned untouched. Drop return_native to get a "
                "masked Recording, or apply them with nilearn yourself."
            )
        return img
    if img.ndim not in (3, 4):
        raise ValidationError(
            f"{str(path)!r} is a {img.ndim}-D image (shape {img.shape}); read_nifti "
            "reads 3-D volumes and 4-D time series. Split or squeeze it first "
            "(nilearn.image.index_img)."
        )
    spatial = tuple(int(n) for n in img.shape[:3])
    tr, tr_source = _repetition_time(img, path, t_r)
    voxels, mask_label = (
        _mask_voxels(mask, img, path) if mask is not None else (None, None)
    )
    data = _voxel_data(img, path, voxels)
    ijk = (
        np.argwhere(voxels)
        if voxels is not None
        else np.argwhere(np.ones(spatial, bool))
    )
    names = [f"v{i}_{j}_{k}" for i, j, k in ijk]
    annotations = read_events_tsv(events) if events is not None else None
    return Recording(
        data,
        sfreq=1.0 / tr if tr is not None else 1.0,
        ch_names=names,
        ch_types="fmri",
        annotations=annotations,
        modality="fmri",
        source=str(path),
        channel_info={"ijk": ijk.astype(np.int64)},
        metadata={
            "affine": np.asarray(img.affine, dtype=float),
            "shape": spatial,
            "voxel_size": tuple(float(z) for z in img.header.get_zooms()[:3]),
            "t_r": tr,
            "t_r_source": tr_source,
            "mask": mask_label,
        },
    )


def _load_image(path: Path, name: str) -> Any:
    import nibabel as nib

    try:
        img = nib.load(str(path))
    except Exception as err:
        raise FileFormatError(
            f"{name}: {str(path)!r} could not be read as a NIfTI image ({err}). Check "
            "that it is a complete .nii/.nii.gz file (re-copy or re-export it)."
        ) from err
    if not isinstance(img, (nib.Nifti1Image, nib.Nifti2Image)):
        raise FileFormatError(
            f"{name}: {str(path)!r} is a {type(img).__name__}, not a NIfTI image. "
            "Convert it to NIfTI (nibabel.save(nibabel.Nifti1Image(...), 'x.nii.gz'))."
        )
    return img


def _repetition_time(
    img: Any, path: Path, t_r: float | None
) -> tuple[float | None, str]:
    lo, hi = TR_RANGE
    if t_r is not None:
        check_scalar(t_r, "t_r")
        if not lo <= t_r <= hi:
            raise ValidationError(
                f"t_r={t_r!r} s is outside the plausible fMRI range {lo}-{hi} s. Give "
                "the repetition time in seconds (e.g. t_r=2.0, not 2000)."
            )
        return float(t_r), "user"
    if img.ndim == 3:
        return None, "none"
    header_tr = float(img.header.get_zooms()[3])
    unit = img.header.get_xyzt_units()[1]
    if unit not in _TIME_UNIT_SCALE:
        raise ValidationError(
            f"{str(path)!r}: the header's fourth zoom is {header_tr:g} {unit}, not a "
            "time, so the TR is unknown. Pass t_r=<seconds> (e.g. t_r=2.0)."
        )
    tr = header_tr * _TIME_UNIT_SCALE[unit]
    if not lo <= tr <= hi:
        raise ValidationError(
            f"{str(path)!r}: the header says TR = {header_tr:g} {unit}, i.e. {tr:g} s, "
            f"outside the plausible fMRI range {lo}-{hi} s{_tr_hint(tr)}. Pass the "
            "true TR in seconds with t_r=..."
        )
    return tr, "header"


def _tr_hint(tr: float) -> str:
    lo, hi = TR_RANGE
    if lo <= tr / 1000 <= hi:
        return f"; probably milliseconds: pass t_r={round(tr / 1000, 6)!r}"
    if lo <= tr * 1000 <= hi:
        return f"; probably seconds in the wrong unit: pass t_r={round(tr * 1000, 6)!r}"
    return ""


def _mask_voxels(mask: Any, img: Any, path: Path) -> tuple[np.ndarray, str]:
    import nibabel as nib

    if isinstance(mask, (str, os.PathLike)):
        mask_path = check_path(mask, "mask", kind="file")
        mask_img = _load_image(mask_path, "mask")
        label = str(mask_path)
    elif isinstance(mask, nib.spatialimages.SpatialImage):
        mask_img = mask
        label = mask.get_filename() or "the mask image"
    else:
        raise ValidationError(
            f"mask must be a path or a nibabel image, got {type(mask).__name__}."
        )
    values = np.asanyarray(mask_img.dataobj)
    if values.ndim == 4 and values.shape[3] == 1:
        values = values[..., 0]
    grid_ok = values.shape == tuple(img.shape[:3]) and np.allclose(
        mask_img.affine, img.affine, atol=1e-3
    )
    if not grid_ok:
        raise ValidationError(
            f"mask {label!r} (shape {values.shape}) is not on the grid of "
            f"{str(path)!r} (shape {tuple(img.shape[:3])}, or their affines differ). "
            "Resample it first: nilearn.image.resample_to_img(mask, img, "
            "interpolation='nearest')."
        )
    levels = np.unique(values)
    if levels.size > 2:
        raise ValidationError(
            f"mask {label!r} holds {levels.size} distinct values; it must be binary "
            "(0 outside, one value inside). Threshold it first (e.g. "
            "nilearn.image.math_img('img > 0.5', img=mask))."
        )
    voxels = values != 0
    if not voxels.any():
        raise ValidationError(f"mask {label!r} selects no voxel (all zeros).")
    return voxels, label


def _voxel_data(img: Any, path: Path, voxels: np.ndarray | None) -> np.ndarray:
    try:
        volumes = img.get_fdata()
    except Exception as err:
        raise FileFormatError(
            f"{str(path)!r}: the image data could not be read ({err}); the file is "
            "probably truncated. Re-copy or re-export it."
        ) from err
    if volumes.ndim == 3:
        volumes = volumes[..., np.newaxis]
    if voxels is None:
        return volumes.reshape(-1, volumes.shape[3])
    return volumes[voxels]


def read_events_tsv(path: str | os.PathLike) -> Annotations:
    """Read a BIDS events table (``onset``, ``duration``, ``trial_type``).

    ``onset`` and ``duration`` are required (seconds; a duration of ``n/a``
    becomes 0). The description is ``trial_type``; rows without one (column
    absent or ``n/a``) are described ``"event"``.

    Parameters
    ----------
    path : str or path-like
        Tab-separated file with a header row.

    Returns
    -------
    Annotations

    Examples
    --------
    >>> ann = read_events_tsv("sub-01_task-x_events.tsv")  # doctest: +SKIP
    >>> ann.description[:2]  # doctest: +SKIP
    array(['face', 'house'], dtype=object)
    """
    path = check_path(path, "events", kind="file")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    columns = set(rows[0]) if rows else set()
    missing = [c for c in ("onset", "duration") if c not in columns]
    if missing:
        raise FileFormatError(
            f"events: {str(path)!r} lacks the column(s) {missing} (found "
            f"{sorted(columns)}). A BIDS events file is tab-separated with a header "
            "row holding at least onset and duration."
        )
    onset, duration, description = [], [], []
    for line, row in enumerate(rows, start=2):
        onset.append(_events_number(row["onset"], "onset", line, path))
        dur = row["duration"]
        dur = 0.0 if dur == "n/a" else _events_number(dur, "duration", line, path)
        if dur < 0:
            raise ValidationError(
                f"events: {str(path)!r} line {line} has a negative duration {dur}; "
                "durations are >= 0 seconds (use 0 or n/a for point events)."
            )
        duration.append(dur)
        label = (row.get("trial_type") or "n/a").strip()
        description.append("event" if label == "n/a" else label)
    return Annotations(onset, duration, description)


def _events_number(text: str | None, column: str, line: int, path: Path) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value):
        raise ValidationError(
            f"events: {str(path)!r} line {line} has {column}={text!r}, not a finite "
            f"number of seconds. Fix that row (BIDS {column} is in seconds)."
        )
    return value
