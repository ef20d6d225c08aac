"""neurokit_ai's own ``.npz`` archives of Recordings and Responses.

An archive is a zip of ``.npy`` members (``allow_pickle=False``) and a
``meta.json`` that names the format and its version, so that a NumPy ``.npz``
written by anything else is refused with a clear message instead of misread.
Members carry a fixed timestamp: the same object always gives the same bytes
(the pipeline compares re-runs file by file). Files are written atomically.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    Annotations,
    DTypeError,
    FileFormatError,
    Montage,
    Recording,
    Responses,
    ValidationError,
    check_path,
)
from ..core._atomic import write_bytes_atomic

__all__ = [
    "ARCHIVE_VERSION",
    "read_archive",
    "read_responses",
    "write_recording",
    "write_responses",
]

#: Version of the archive layout written by this neurokit_ai; readers accept it
#: and every older one.
ARCHIVE_VERSION = 1
_FORMATS = {"recording": "neurokit_ai.recording", "responses": "neurokit_ai.responses"}
_EPOCH = (1980, 1, 1, 0, 0, 0)
_MONTAGE_POINTS = ("nasion", "lpa", "rpa", "hsp", "hpi")


def _check_npz_path(path: str | os.PathLike, what: str) -> Path:
    out = check_path(path, "path", must_exist=False)
    if out.suffix.lower() != ".npz":
        raise ValidationError(
            f"path {str(out)!r} must end in .npz: {what} archives are .npz files "
            f"(try {str(out.with_suffix('.npz'))!r})."
        )
    check_path(out.parent, "path's folder", kind="dir")
    return out


def _write_archive(
    path: Path, kind: str, arrays: Mapping[str, np.ndarray], meta: dict
) -> Path:
    meta = {"format": _FORMATS[kind], "format_version": ARCHIVE_VERSION, **meta}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", _EPOCH), member.getvalue())
        text = json.dumps(meta, sort_keys=True, default=_json_value)
        archive.writestr(zipfile.ZipInfo("meta.json", _EPOCH), text)
    return write_bytes_atomic(path, buffer.getvalue())


def _json_value(value: Any) -> Any:
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)


def _not_ours(path: Path, why: str) -> FileFormatError:
    return FileFormatError(
        f"{str(path)!r} is not a neurokit_ai archive ({why}). neurokit_ai reads the "
        ".npz files it writes (neurokit_ai.io.write_recording, neurokit-ai clean "
        "--out x.npz, pipeline outputs); load any other .npz with numpy.load, or "
        "write the pipeline output again."
    )


def _read_archive(path: Path, kind: str) -> tuple[dict[str, np.ndarray], dict]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            meta = (
                json.loads(archive.read("meta.json")) if "meta.json" in names else None
            )
            _check_meta(path, meta, kind)
            arrays = {
                name[:-4]: np.lib.format.read_array(
                    io.BytesIO(archive.read(name)), allow_pickle=False
                )
                for name in names
                if name.endswith(".npy")
            }
    except FileFormatError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as err:
        raise FileFormatError(
            f"{str(path)!r} is not a readable .npz archive ({err}): it is corrupt or "
            "truncated. Write it again."
        ) from err
    return arrays, meta


def _check_meta(path: Path, meta: Any, kind: str) -> None:
    if meta is None:
        raise _not_ours(path, "it has no meta.json member")
    if not isinstance(meta, dict) or meta.get("format") not in _FORMATS.values():
        raise _not_ours(path, "its meta.json names no neurokit_ai format")
    version = meta.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise _not_ours(path, f"format_version {version!r} is not a version number")
    if version > ARCHIVE_VERSION:
        raise FileFormatError(
            f"{str(path)!r} is a {meta['format']} archive of version {version}, "
            f"newer than the version {ARCHIVE_VERSION} this neurokit_ai reads. "
            "Upgrade neurokit_ai."
        )
    if meta["format"] != _FORMATS[kind]:
        reader = {
            "recording": "neurokit_ai.io.read_recording",
            "responses": "neurokit_ai.io.read_responses",
        }
        other = next(k for k, v in _FORMATS.items() if v == meta["format"])
        raise FileFormatError(
            f"{str(path)!r} holds {other.capitalize()}, not a {kind.capitalize()}; "
            f"read it with {reader[other]}."
        )


def _storable(value: Any, name: str) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype.kind == "O":
        items = arr.ravel().tolist()
        if not all(isinstance(v, str) for v in items):
            raise DTypeError(
                f"{name} is an object array, which an archive cannot store without "
                "pickle. Convert it to numbers or strings (np.asarray(x, float) or "
                ".astype(str)) before writing."
            )
        arr = arr.astype(str)
    return arr


def write_recording(rec: Recording, path: str | os.PathLike) -> Path:
    """Write a Recording to a neurokit_ai ``.npz`` archive, atomically.

    Everything the Recording carries is kept: samples (dtype unchanged),
    ``sfreq``, channel names, types and units, annotations (with their
    channels), bads, montage, ``first_samp``, ``meas_date``, provenance,
    ``channel_info`` and ``metadata`` (as JSON; values JSON cannot hold are
    written as their ``str``). :func:`read_recording` reads it back.

    Parameters
    ----------
    rec : Recording
        The recording (a lazy one is read in full).
    path : str or path-like
        The output file, ending in ``.npz``. Its folder must exist.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from neurokit_ai.core import Recording
    >>> from neurokit_ai.io import read_recording, write_recording
    >>> rec = Recording(np.ones((1, 10)), 10.0, ["Cz"], "eeg")
    >>> out = write_recording(rec, pathlib.Path(tempfile.mkdtemp()) / "r.npz")
    >>> read_recording(out).shape
    (1, 10)
    """
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}. Build "
            "one with Recording(...) or Recording.from_mne(raw)."
        )
    out = _check_npz_path(path, "Recording")
    ann = rec.annotations
    arrays: dict[str, np.ndarray] = {"data": rec.data}
    for key, val in rec.channel_info.items():
        arrays[f"channel_info/{key}"] = _storable(val, f"channel_info[{key!r}]")
    montage = None
    if rec.montage is not None:
        m = rec.montage
        montage = {
            "ch_names": m.ch_names,
            "coord_frame": m.coord_frame,
            "space": m.space,
        }
        arrays["montage/ch_pos"] = m.positions()
        for point in _MONTAGE_POINTS:
            if getattr(m, point) is not None:
                arrays[f"montage/{point}"] = getattr(m, point)
    meta = {
        "sfreq": rec.sfreq,
        "ch_names": rec.ch_names,
        "ch_types": rec.ch_types,
        "units": rec.units,
        "bads": rec.bads,
        "first_samp": rec.first_samp,
        "meas_date": None if rec.meas_date is None else rec.meas_date.isoformat(),
        "modality": rec.modality,
        "source": rec.source,
        "subject": rec.subject,
        "session": rec.session,
        "metadata": rec.metadata,
        "montage": montage,
        "annotations": {
            "onset": np.asarray(ann.onset, float).tolist(),
            "duration": np.asarray(ann.duration, float).tolist(),
            "description": [str(d) for d in ann.description],
            "ch_names": [list(chs) for chs in ann.ch_names],
        },
    }
    return _write_archive(out, "recording", arrays, meta)


def read_archive(path: str | os.PathLike) -> Recording:
    """Read a Recording archive written by :func:`write_recording`.

    :func:`read_recording` calls it for ``.npz`` files; an ``.npz`` that
    neurokit_ai did not write raises :class:`~neurokit_ai.core.FileFormatError`.

    Examples
    --------
    >>> read_archive("sub-01_desc-clean_eeg.npz")  # doctest: +SKIP
    <Recording | eeg | ...>
    """
    path = check_path(path, "path")
    arrays, meta = _read_archive(path, "recording")
    ann = meta["annotations"]
    channel_info = {
        key.split("/", 1)[1]: val
        for key, val in arrays.items()
        if key.startswith("channel_info/")
    }
    montage = None
    if meta["montage"] is not None:
        m = meta["montage"]
        montage = Montage(
            dict(zip(m["ch_names"], arrays["montage/ch_pos"])),
            coord_frame=m["coord_frame"],
            space=m["space"],
            **{p: arrays.get(f"montage/{p}") for p in _MONTAGE_POINTS},
        )
    meas_date = meta["meas_date"]
    return Recording(
        arrays["data"],
        meta["sfreq"],
        meta["ch_names"],
        meta["ch_types"],
        units=meta["units"],
        annotations=Annotations(
            ann["onset"], ann["duration"], ann["description"], ann["ch_names"]
        ),
        montage=montage,
        first_samp=meta["first_samp"],
        meas_date=None if meas_date is None else _dt.datetime.fromisoformat(meas_date),
        bads=meta["bads"],
        modality=meta["modality"],
        source=meta["source"],
        subject=meta["subject"],
        session=meta["session"],
        channel_info=channel_info,
        metadata=meta["metadata"],
        check_finite=False,
    )


def write_responses(responses: Responses, path: str | os.PathLike) -> Path:
    """Write Responses (patterns, conditions, runs, unit names, times) atomically.

    Parameters
    ----------
    responses : Responses
        The patterns to keep.
    path : str or path-like
        The output file, ending in ``.npz``. Its folder must exist.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from neurokit_ai.core import Responses
    >>> r = Responses(np.eye(2), conditions=["a", "b"])
    >>> out = write_responses(r, pathlib.Path(tempfile.mkdtemp()) / "r.npz")
    >>> read_responses(out).conditions.tolist()
    ['a', 'b']
    """
    if not isinstance(responses, Responses):
        raise DTypeError(
            f"responses must be a neurokit_ai Responses, got "
            f"{type(responses).__name__}."
        )
    out = _check_npz_path(path, "Responses")
    arrays = {"data": responses.data}
    if responses.runs is not None:
        arrays["runs"] = responses.runs
    if responses.times is not None:
        arrays["times"] = responses.times
    meta = {
        "conditions": [
            c if isinstance(c, (str, int, float)) else str(c)
            for c in responses.conditions
        ],
        "unit_names": responses.unit_names,
        "source": responses.source,
        "metadata": responses.metadata,
    }
    return _write_archive(out, "responses", arrays, meta)


def read_responses(path: str | os.PathLike) -> Responses:
    """Read Responses written by :func:`write_responses`.

    Examples
    --------
    >>> read_responses("sub-01_desc-epoch_responses.npz")  # doctest: +SKIP
    <Responses | ...>
    """
    path = check_path(path, "path")
    arrays, meta = _read_archive(path, "responses")
    return Responses(
        arrays["data"],
        conditions=meta["conditions"],
        runs=arrays.get("runs"),
        unit_names=meta["unit_names"],
        times=arrays.get("times"),
        source=meta["source"],
        metadata=meta["metadata"],
    )
