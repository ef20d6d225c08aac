"""Atomic file writes: a temp file in the target folder, then ``os.replace``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ._validation import check_path

__all__ = ["atomic_output", "write_bytes_atomic"]


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    Readers see the old file or the new one, never a half-written file. On any
    exception the temporary file is removed and an existing ``path`` is left
    untouched. The temporary file is created (empty, with the usual 0o666-less-
    umask permissions) before the body runs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_output(out) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> out.read_text()
    'hello'
    """
    target = check_path(path, "path", must_exist=False)
    check_path(target.parent, "path's folder", kind="dir")
    tmp = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | os.PathLike, payload: bytes) -> Path:
    """Write ``payload`` to ``path`` atomically (see :func:`atomic_output`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_bytes_atomic(out, b"hi").read_bytes()
    b'hi'
    """
    with atomic_output(path) as tmp:
        tmp.write_bytes(payload)
    return Path(path)
