"""Atomic storage of pipeline tables and metadata, and content hashes.

Recordings and Responses are written by :mod:`neurokit_ai.io`
(:func:`~neurokit_ai.io.write_recording`, :func:`~neurokit_ai.io.write_responses`)
as deterministic ``.npz`` archives that ``read_recording`` opens. Tables are
TSV, metadata JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core import FileFormatError
from ..core._atomic import atomic_output, write_bytes_atomic

__all__ = [
    "hash_files",
    "hash_json",
    "read_json",
    "write_json",
    "write_tsv",
]


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
