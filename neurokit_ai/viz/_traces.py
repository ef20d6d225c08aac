"""Stacked time traces of a Recording, with its annotations."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Recording, ValidationError, check_scalar
from ._common import check_recording, new_figure, select_window

__all__ = ["plot_recording"]


def _trace_spacing(rec: Recording, scale: str | float) -> np.ndarray:
    """Data units between adjacent traces, one value per channel."""
    if isinstance(scale, str):
        if scale != "auto":
            raise ValidationError(
                f"scale must be 'auto' or a positive number (data units between "
                f"adjacent traces), got {scale!r}."
            )
        data = rec.data
        spread = np.percentile(data, 99, axis=1) - np.percentile(data, 1, axis=1)
        types = np.asarray(rec.ch_types)
        spacing = np.empty(rec.n_channels)
        for kind in set(rec.ch_types):
            mask = types == kind
            typical = float(np.median(spread[mask]))
            spacing[mask] = typical if typical > 0 else 1.0
        return spacing
    check_scalar(scale, "scale", min_val=0.0, include_min=False)
    return np.full(rec.n_channels, float(scale))


def plot_recording(
    rec: Recording,
    *,
    picks: Any = None,
    tmin: float = 0.0,
    duration: float | None = 10.0,
    scale: str | float = "auto",
) -> Any:
    """Plot channels as stacked traces, with annotation onsets as vertical lines.

    Parameters
    ----------
    rec : Recording
        The data.
    picks : None, str, list of str or int, or boolean mask
        Channels (names, indices, a channel type); ``None`` plots all.
    tmin : float
        Start of the window in seconds from the first sample.
    duration : float or None
        Length of the window in seconds (clipped to the recording); ``None``
        shows everything after ``tmin``.
    scale : "auto" or float
        Data units between adjacent traces. ``"auto"`` uses, for each channel
        type, the median over its channels of the 1–99 percentile range.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; trace lines have gid ``"trace"`` (top to bottom in channel
        order) and annotation markers gid ``"annotation"``.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai import Recording
    >>> rec = Recording(np.random.default_rng(0).normal(size=(3, 500)), 100.0,
    ...                 ["a", "b", "c"], "eeg")
    >>> fig = plot_recording(rec, duration=2.0)
    >>> len(fig.axes[0].lines)
    3
    """
    check_recording(rec)
    window = select_window(rec, picks, tmin, duration)
    spacing = _trace_spacing(window, scale)
    times = tmin + window.times
    n = window.n_channels
    fig = new_figure(10.0, min(2.0 + 0.25 * n, 20.0))
    ax = fig.add_subplot()
    offsets = np.arange(n)[::-1].astype(float)
    data = window.data
    for i in range(n):
        trace = (data[i] - np.median(data[i])) / spacing[i]
        ax.plot(times, trace + offsets[i], lw=0.6, color="k", gid="trace")
    ann = window.annotations
    for onset, label in zip(ann.onset, ann.description):
        if 0.0 <= onset < window.duration:
            ax.axvline(
                tmin + onset, color="tab:red", lw=0.8, alpha=0.7, gid="annotation"
            )
            ax.text(
                tmin + onset,
                n - 0.4,
                str(label),
                color="tab:red",
                fontsize=7,
                rotation=90,
                va="bottom",
                ha="right",
            )
    ax.set_yticks(offsets)
    ax.set_yticklabels(window.ch_names, fontsize=7 if n > 20 else 9)
    ax.set_xlim(times[0], times[-1] + 1.0 / window.sfreq)
    ax.set_ylim(-1.0, n + 0.5)
    ax.set_xlabel("Time (s)")
    ax.set_title(f"{window.modality}: {n} channels")
    return fig
