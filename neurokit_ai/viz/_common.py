"""Checks and helpers shared by the plotting functions."""

from __future__ import annotations

from typing import Any

from ..core import DTypeError, Recording, ValidationError, check_scalar

__all__ = ["check_recording", "select_window", "new_figure"]


def check_recording(rec: Any, name: str = "rec") -> Recording:
    """Raise :class:`DTypeError` unless ``rec`` is a :class:`Recording`."""
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"{name} must be a neurokit_ai Recording, got {type(rec).__name__}. "
            "Read one with neurokit_ai.io.read_recording or build one with "
            "neurokit_ai.Recording(data, sfreq, ch_names, ch_types)."
        )
    return rec


def select_window(
    rec: Recording, picks: Any, tmin: float, duration: float | None
) -> Recording:
    """Return the picked channels of ``rec`` over ``[tmin, tmin + duration)`` s.

    ``duration=None`` keeps everything after ``tmin``; a window running past the
    end is clipped to the recording.
    """
    check_scalar(tmin, "tmin", min_val=0.0)
    if tmin >= rec.duration:
        raise ValidationError(
            f"tmin={tmin} s is at or after the end of the recording "
            f"({rec.duration:g} s); pick a start inside it."
        )
    tmax = None
    if duration is not None:
        check_scalar(duration, "duration", min_val=0.0, include_min=False)
        tmax = min(tmin + duration, rec.duration)
    if int(round(tmin * rec.sfreq)) >= (
        rec.n_times if tmax is None else int(round(tmax * rec.sfreq))
    ):
        raise ValidationError(
            f"The window tmin={tmin} s, duration={duration} s holds no sample at "
            f"{rec.sfreq:g} Hz; make it longer."
        )
    window = rec.crop(tmin, tmax)
    return window if picks is None else window.pick(picks)


def new_figure(width: float, height: float) -> Any:
    """Return a matplotlib Figure not registered with pyplot (no global state)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")
