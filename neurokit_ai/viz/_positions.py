"""Sensor and contact positions, coloured by region."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Recording, ValidationError
from ._common import check_recording, new_figure

__all__ = ["plot_positions"]


def plot_positions(rec: Recording) -> Any:
    """Scatter the montage positions of ``rec``'s channels, coloured by region.

    Channels without a (finite) position are left out. Positions spanning three
    dimensions give a 3-D scatter, flat layouts (one constant coordinate) a
    2-D one. When ``rec.channel_info["region"]`` exists, each region is one
    scatter with its own colour and legend entry.

    Parameters
    ----------
    rec : Recording
        A recording with a montage.

    Returns
    -------
    matplotlib.figure.Figure
        One axes (3-D or 2-D) holding one scatter collection per region (one in
        all without regions). Coordinates are shown in millimetres.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai import Recording
    >>> from neurokit_ai.core import Montage
    >>> pos = {"a": [0.0, 0.0, 0.0], "b": [0.01, 0.0, 0.02], "c": [0.0, 0.03, 0.01]}
    >>> rec = Recording(np.zeros((3, 10)), 10.0, list(pos), "seeg",
    ...                 montage=Montage(pos, "mni_tal"))
    >>> len(plot_positions(rec).axes[0].collections)
    1
    """
    check_recording(rec)
    montage = rec.montage
    names = [] if montage is None else [n for n in rec.ch_names if n in montage.ch_pos]
    pos = montage.positions(names) if names else np.empty((0, 3))
    finite = np.isfinite(pos).all(axis=1)
    if not finite.any():
        raise ValidationError(
            f"The Recording ({rec.source or rec.modality}) has no channel positions; "
            "attach a montage first (a BIDS electrodes.tsv, "
            "neurokit_ai.io.apply_electrodes_tsv, or Recording(..., montage=...))."
        )
    rows = [rec.ch_names.index(n) for n, ok in zip(names, finite) if ok]
    pos = pos[finite] * 1000.0
    if "region" in rec.channel_info:
        regions = np.asarray(rec.channel_info["region"]).astype(str)[rows]
    else:
        regions = np.full(len(rows), "channels")
    spans = np.flatnonzero(np.ptp(pos, axis=0) > 1e-9)
    dims = spans if spans.size >= 2 else np.arange(2)
    three_d = dims.size == 3
    fig = new_figure(7.0, 6.0)
    ax = fig.add_subplot(projection="3d" if three_d else None)
    for region in dict.fromkeys(regions.tolist()):
        sel = regions == region
        ax.scatter(*(pos[sel, d] for d in dims), s=18, label=f"{region} ({sel.sum()})")
    axis_setters = (ax.set_xlabel, ax.set_ylabel) + (
        (ax.set_zlabel,) if three_d else ()
    )
    for setter, d in zip(axis_setters, dims):
        setter(f"{'xyz'[d]} (mm)")
    if not three_d:
        ax.set_aspect("equal", adjustable="datalim")
    frame = montage.coord_frame
    ax.set_title(f"{len(rows)} positions ({frame})")
    if len(set(regions.tolist())) > 1:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig
