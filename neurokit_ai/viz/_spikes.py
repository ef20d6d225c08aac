"""Spike rasters of spike trains or of binned spike counts."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, Recording, SpikeTrains, ValidationError, check_scalar
from ._common import new_figure

__all__ = ["plot_raster"]


def _check_interval(tmin: Any, tmax: Any, lo: float, hi: float) -> tuple[float, float]:
    tmin = lo if tmin is None else check_scalar(tmin, "tmin")
    tmax = hi if tmax is None else check_scalar(tmax, "tmax")
    if not (lo <= tmin < hi and tmin < tmax):
        raise ValidationError(
            f"Need {lo:g} <= tmin < tmax with tmin before {hi:g} s (the data span "
            f"{lo:g}–{hi:g} s), got tmin={tmin}, tmax={tmax}."
        )
    return float(tmin), float(min(tmax, hi))


def plot_raster(
    spikes: SpikeTrains | Recording,
    *,
    tmin: float | None = None,
    tmax: float | None = None,
) -> Any:
    """Plot a spike raster.

    Parameters
    ----------
    spikes : SpikeTrains or Recording
        Spike times (one row of ticks per unit), or a Recording whose ``spikes``
        channels hold binned counts (drawn as a units × bins image; other
        channel types, such as behaviour, are ignored).
    tmin, tmax : float, optional
        Time range in seconds; defaults to the whole data.

    Returns
    -------
    matplotlib.figure.Figure
        For spike trains: one axes with one event collection per unit (unit 0
        on top). For counts: the image axes and its colour bar.

    Examples
    --------
    >>> from neurokit_ai import SpikeTrains
    >>> st = SpikeTrains([[0.1, 0.5], [0.2]], t_start=0.0, t_stop=1.0)
    >>> len(plot_raster(st).axes[0].collections)
    2
    """
    if isinstance(spikes, SpikeTrains):
        return _raster_from_times(spikes, tmin, tmax)
    if isinstance(spikes, Recording):
        return _raster_from_counts(spikes, tmin, tmax)
    raise DTypeError(
        f"spikes must be a SpikeTrains or a Recording with 'spikes' channels, got "
        f"{type(spikes).__name__}."
    )


def _raster_from_times(st: SpikeTrains, tmin: Any, tmax: Any) -> Any:
    lo, hi = _check_interval(tmin, tmax, st.t_start, st.t_stop)
    trains = [t[(t >= lo) & (t < hi)] for t in st.spike_times]
    n = st.n_units
    fig = new_figure(10.0, min(2.0 + 0.2 * n, 12.0))
    ax = fig.add_subplot()
    offsets = np.arange(n)[::-1]
    ax.eventplot(
        trains, lineoffsets=offsets, linelengths=0.8, colors="k", linewidths=0.5
    )
    if n <= 40:
        ax.set_yticks(offsets)
        ax.set_yticklabels(st.unit_names, fontsize=7)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.5, n - 0.5)
    ax.set_xlabel("Time (s)")
    ax.set_ylabel("Unit")
    ax.set_title(f"{n} units, {sum(t.size for t in trains)} spikes")
    return fig


def _raster_from_counts(rec: Recording, tmin: Any, tmax: Any) -> Any:
    if "spikes" not in rec.ch_types:
        raise ValidationError(
            f"The Recording has no 'spikes' channels (types: "
            f"{sorted(set(rec.ch_types))}); plot_raster needs binned spike counts. "
            "Use plot_recording for continuous signals."
        )
    counts = rec.pick("spikes")
    lo, hi = _check_interval(tmin, tmax, 0.0, counts.duration)
    start = int(round(lo * counts.sfreq))
    stop = max(start + 1, int(round(hi * counts.sfreq)))
    data = counts.get_data(None, start, stop)
    fig = new_figure(10.0, min(2.0 + 0.05 * counts.n_channels, 10.0))
    ax = fig.add_subplot()
    image = ax.imshow(
        data,
        aspect="auto",
        interpolation="nearest",
        cmap="Greys",
        extent=(
            start / counts.sfreq,
            stop / counts.sfreq,
            counts.n_channels - 0.5,
            -0.5,
        ),
    )
    ax.set_xlabel("Time (s)")
    ax.set_ylabel("Unit")
    ax.set_title(f"{counts.n_channels} units, {1000.0 / counts.sfreq:g} ms bins")
    fig.colorbar(image, ax=ax, label="Spike count")
    return fig
