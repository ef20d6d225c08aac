"""Sensor positions with their coordinate frame."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._errors import ValidationError
from ._validation import check_array

__all__ = ["Montage"]


class Montage:
    """Channel positions in metres, the frame they live in, and fiducials.

    Parameters
    ----------
    ch_pos : dict of str to array-like of shape (3,)
        Position of each channel in metres.
    coord_frame : str
        The coordinate frame, in MNE's vocabulary (``"head"``, ``"mri"``,
        ``"mni_tal"``, ``"ras"``, ``"unknown"``, ...).
    nasion, lpa, rpa : array-like of shape (3,), optional
        Fiducials in metres.
    hsp : array-like of shape (n_points, 3), optional
        Head-shape points.
    hpi : array-like of shape (n_coils, 3), optional
        Head-position-indicator coils.
    space : str, optional
        The original (for instance BIDS) name of the space, such as
        ``"MNI152NLin2009aSym"`` or ``"fsnative"``.

    Examples
    --------
    >>> m = Montage({"A1": [0.01, 0.0, 0.02]}, coord_frame="mni_tal")
    >>> m.positions().shape
    (1, 3)
    """

    def __init__(
        self,
        ch_pos: dict[str, Any],
        coord_frame: str = "unknown",
        nasion: Any = None,
        lpa: Any = None,
        rpa: Any = None,
        hsp: Any = None,
        hpi: Any = None,
        space: str | None = None,
    ) -> None:
        if not isinstance(ch_pos, dict):
            raise ValidationError(
                f"ch_pos must be a dict of channel name to (x, y, z), got "
                f"{type(ch_pos).__name__}."
            )
        self.ch_pos = {
            str(k): check_array(v, f"ch_pos[{k!r}]", shape=(3,), allow_nonfinite=True)
            for k, v in ch_pos.items()
        }
        self.coord_frame = str(coord_frame)
        self.nasion = (
            None if nasion is None else check_array(nasion, "nasion", shape=(3,))
        )
        self.lpa = None if lpa is None else check_array(lpa, "lpa", shape=(3,))
        self.rpa = None if rpa is None else check_array(rpa, "rpa", shape=(3,))
        self.hsp = None if hsp is None else check_array(hsp, "hsp", ndim=2)
        self.hpi = None if hpi is None else check_array(hpi, "hpi", ndim=2)
        self.space = space

    @property
    def ch_names(self) -> list[str]:
        """Names of the channels with a position."""
        return list(self.ch_pos)

    def positions(self, ch_names: list[str] | None = None) -> np.ndarray:
        """Return the positions (n, 3) in metres, in ``ch_names`` order."""
        names = self.ch_names if ch_names is None else ch_names
        return np.array([self.ch_pos[n] for n in names]).reshape(-1, 3)

    def subset(self, ch_names: list[str]) -> Montage:
        """Return a montage restricted to ``ch_names`` (those that have positions)."""
        keep = {n: self.ch_pos[n].copy() for n in ch_names if n in self.ch_pos}
        return Montage(
            keep,
            self.coord_frame,
            self.nasion,
            self.lpa,
            self.rpa,
            self.hsp,
            self.hpi,
            self.space,
        )

    def rename(self, mapping: dict[str, str]) -> Montage:
        """Return a copy with channels renamed by ``mapping``."""
        out = self.subset(self.ch_names)
        out.ch_pos = {mapping.get(k, k): v for k, v in out.ch_pos.items()}
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Montage):
            return NotImplemented

        def same(a: Any, b: Any) -> bool:
            if a is None or b is None:
                return a is None and b is None
            return np.array_equal(a, b, equal_nan=True)

        return (
            self.ch_names == other.ch_names
            and all(same(self.ch_pos[k], other.ch_pos[k]) for k in self.ch_pos)
            and self.coord_frame == other.coord_frame
            and all(
                same(getattr(self, f), getattr(other, f))
                for f in ("nasion", "lpa", "rpa", "hsp", "hpi")
            )
        )

    def __repr__(self) -> str:
        return (
            f"<Montage | {len(self.ch_pos)} positions, frame {self.coord_frame!r}"
            + (f", space {self.space!r}" if self.space else "")
            + ">"
        )
