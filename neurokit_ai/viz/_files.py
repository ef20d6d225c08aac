"""Figures to PNG bytes and files, written atomically."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..core import DTypeError, check_scalar
from ..core._atomic import write_bytes_atomic

__all__ = ["write_bytes_atomic", "figure_to_png", "save_figure"]


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
