"""Deterministic, atomic storage of pipeline outputs, and content hashes.

Recordings and Responses are written as ``.npz`` archives whose members carry a
fixed timestamp, so the same result always gives the same bytes (a re-run on
another cluster can be compared file by file). Tables are TSV, metadata JSON.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core import Annotations, FileFormatError, Recording, Responses
from ..core._atomic import atomic_output, write_bytes_atomic

__all__ = [
    "hash_files",
    "hash_json",
    "load_recording",
    "load_responses",
    "read_json",
    "save_recording",
    "save_responses",
    "write_json",
    "write_tsv",
]

_EPOCH = (1980, 1, 1, 0, 0, 0)


def hash_json(value: Any) -> str:
    """SHA-256 of a JSON-serialisable value (keys sorted).

    Examples
    --------
    >>> hash_json({"b": 1, "a": [1.0]}) == hash_json({"a": [1.0], "b": 1})
    True
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_files(paths: Iterable[str | os.PathLike]) -> str:
    """SHA-256 over the names and contents of files (in sorted order).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("x")
    >>> len(hash_files([p]))
    64
    """
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _write_npz(path: Path, arrays: Mapping[str, np.ndarray], meta: dict) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", _EPOCH), member.getvalue())
        text = json.dumps(meta, sort_keys=True, default=str)
        archive.writestr(zipfile.ZipInfo("meta.json", _EPOCH), text)
    return write_bytes_atomic(path, buffer.getvalue())


def _read_npz(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read("meta.json"))
            arrays = {
                name[:-4]: np.lib.format.read_array(
                    io.BytesIO(archive.read(name)), allow_pickle=False
                )
                for name in archive.namelist()
                if name.endswith(".npy")
            }
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise FileFormatError(
            f"{str(path)!r} is not a pipeline output archive ({err}); delete it and "
            "run the pipeline again."
        ) from err
    return arrays, meta


def save_recording(rec: Recording, path: str | os.PathLike) -> Path:
    """Write a Recording (data, channels, events, provenance) to ``path``.

    Positions and ``channel_info`` are not kept; ``metadata`` is kept as JSON.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> rec = Recording(np.ones((1, 10)), 10.0, ["Cz"], "eeg")
    >>> out = save_recording(rec, pathlib.Path(tempfile.mkdtemp()) / "r.npz")
    >>> load_recording(out).shape
    (1, 10)
    """
    ann = rec.annotations
    meta = {
        "sfreq": rec.sfreq,
        "ch_names": rec.ch_names,
        "ch_types": rec.ch_types,
        "units": rec.units,
        "bads": rec.bads,
        "first_samp": rec.first_samp,
        "modality": rec.modality,
        "source": rec.source,
        "subject": rec.subject,
        "session": rec.session,
        "metadata": rec.metadata,
        "annotations": {
            "onset": np.asarray(ann.onset, float).tolist(),
            "duration": np.asarray(ann.duration, float).tolist(),
            "description": [str(d) for d in ann.description],
        },
    }
    return _write_npz(Path(path), {"data": rec.data}, meta)


def load_recording(path: str | os.PathLike) -> Recording:
    """Read a Recording written by :func:`save_recording`.

    Examples
    --------
    >>> load_recording("sub-01_desc-filter_eeg.npz")  # doctest: +SKIP
    <Recording | eeg | ...>
    """
    arrays, meta = _read_npz(Path(path))
    ann = meta.pop("annotations")
    return Recording(
        arrays["data"],
        annotations=Annotations(ann["onset"], ann["duration"], ann["description"]),
        **meta,
    )


def save_responses(responses: Responses, path: str | os.PathLike) -> Path:
    """Write Responses (patterns, conditions, runs, unit names, times) to ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> r = Responses(np.eye(2), conditions=["a", "b"])
    >>> out = save_responses(r, pathlib.Path(tempfile.mkdtemp()) / "r.npz")
    >>> load_responses(out).conditions.tolist()
    ['a', 'b']
    """
    arrays = {"data": responses.data}
    if responses.runs is not None:
        arrays["runs"] = responses.runs
    if responses.times is not None:
        arrays["times"] = responses.times
    meta = {
        "conditions": [str(c) for c in responses.conditions],
        "unit_names": responses.unit_names,
        "source": responses.source,
        "metadata": responses.metadata,
    }
    return _write_npz(Path(path), arrays, meta)


def load_responses(path: str | os.PathLike) -> Responses:
    """Read Responses written by :func:`save_responses`.

    Examples
    --------
    >>> load_responses("sub-01_desc-epoch_responses.npz")  # doctest: +SKIP
    <Responses | ...>
    """
    arrays, meta = _read_npz(Path(path))
    return Responses(
        arrays["data"],
        conditions=meta["conditions"],
        runs=arrays.get("runs"),
        unit_names=meta["unit_names"],
        times=arrays.get("times"),
        source=meta["source"],
        metadata=meta["metadata"],
    )


def write_json(path: str | os.PathLike, value: Any) -> Path:
    """Write ``value`` as indented, key-sorted JSON, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_json(pathlib.Path(tempfile.mkdtemp()) / "a.json", {"x": 1})
    >>> read_json(out)
    {'x': 1}
    """
    text = json.dumps(value, indent=2, sort_keys=True, default=str) + "\n"
    return write_bytes_atomic(path, text.encode("utf-8"))


def read_json(path: str | os.PathLike) -> Any:
    """Read a JSON file; a corrupt file raises :class:`FileFormatError`.

    Examples
    --------
    >>> read_json("sidecar.json")  # doctest: +SKIP
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise FileFormatError(
            f"{str(path)!r} is not valid JSON ({err}); delete it and run again."
        ) from err


def _format_cell(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    return str(value).replace("\t", " ").replace("\n", " ")


def write_tsv(
    path: str | os.PathLike, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> Path:
    """Write rows (dicts) as a tab-separated table with a header, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_tsv(pathlib.Path(tempfile.mkdtemp()) / "t.tsv",
    ...                 [{"a": 1, "b": 0.5}], ["a", "b"])
    >>> out.read_text()
    'a\\tb\\n1\\t0.5\\n'
    """
    with atomic_output(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write("\t".join(columns) + "\n")
            for row in rows:
                handle.write("\t".join(_format_cell(row[c]) for c in columns) + "\n")
    return Path(path)
