"""Atomic file writes: a temp file in the target folder, then ``os.replace``."""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path
from typing import Any

from ..core import DTypeError, check_path, check_scalar

__all__ = ["write_bytes_atomic", "figure_to_png", "save_figure"]


def write_bytes_atomic(path: str | os.PathLike, payload: bytes) -> Path:
    """Write ``payload`` to ``path`` so that readers see the old file or the new one.

    The bytes go to a temp file in the same folder (created with the usual
    permissions, 0o666 less the umask), are flushed to disk, and the temp file is
    renamed over ``path``; on any failure the temp file is removed and an
    existing ``path`` is left untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_bytes_atomic(out, b"hi").read_bytes()
    b'hi'
    """
    target = check_path(path, "path", must_exist=False)
    check_path(target.parent, "path's folder", kind="dir")
    tmp = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def figure_to_png(fig: Any, dpi: float = 100.0) -> bytes:
    """Render a matplotlib Figure to PNG bytes.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure_to_png(Figure())[:4]
    b'\\x89PNG'
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise DTypeError(
            f"fig must be a matplotlib Figure, got {type(fig).__name__}. Pass the "
            "Figure that a neurokit_ai.viz plot function returns."
        )
    check_scalar(dpi, "dpi", min_val=0.0, include_min=False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_figure(fig: Any, path: str | os.PathLike, *, dpi: float = 100.0) -> Path:
    """Save ``fig`` as a PNG file, atomically.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or path-like
        Target file (its folder must exist).
    dpi : float
        Resolution.

    Returns
    -------
    Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from matplotlib.figure import Figure
    >>> out = save_figure(Figure(), pathlib.Path(tempfile.mkdtemp()) / "f.png")
    >>> out.suffix
    '.png'
    """
    return write_bytes_atomic(path, figure_to_png(fig, dpi))
