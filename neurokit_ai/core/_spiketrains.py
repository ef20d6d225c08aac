"""Spike times per unit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._errors import ValidationError
from ._recording import Recording
from ._validation import check_array, check_scalar

__all__ = ["SpikeTrains"]


class SpikeTrains:
    """Spike times of several units over a common interval.

    Parameters
    ----------
    spike_times : sequence of array-like
        One array of spike times (seconds) per unit; sorted on input or sorted here.
    t_start, t_stop : float, optional
        The observed interval; default to the first and last spike (``t_stop``
        just after the last spike).
    unit_names : sequence of str, optional
        Names of the units.
    source : str, optional
        Where the spikes came from.
    metadata : dict, optional
        Anything else (electrode group, sorting quality...).

    Examples
    --------
    >>> st = SpikeTrains([[0.1, 0.2, 0.25], [0.5]], t_start=0.0, t_stop=1.0)
    >>> st.bin(bin_width=0.5).data
    array([[3., 0.],
           [0., 1.]])
    """

    def __init__(
        self,
        spike_times: Sequence[Any],
        t_start: float | None = None,
        t_stop: float | None = None,
        unit_names: Sequence[str] | None = None,
        source: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(spike_times, np.ndarray) and spike_times.dtype != object:
            raise ValidationError(
                "spike_times must be a list with one array of times per unit, got a "
                f"single array of shape {spike_times.shape}. Use "
                "SpikeTrains.from_arrays(times, unit_ids) for flat arrays."
            )
        trains = []
        for i, st in enumerate(spike_times):
            arr = np.asarray(st, dtype=float).reshape(-1)
            if arr.size:
                check_array(arr, f"spike_times[{i}]", ndim=1)
            trains.append(np.sort(arr))
        if not trains:
            raise ValidationError("spike_times is empty; give at least one unit.")
        nonempty = [t for t in trains if t.size]
        lo = min((t[0] for t in nonempty), default=0.0)
        hi = max((t[-1] for t in nonempty), default=0.0)
        self.t_start = float(lo if t_start is None else t_start)
        self.t_stop = float(np.nextafter(hi, np.inf) if t_stop is None else t_stop)
        check_scalar(self.t_start, "t_start")
        check_scalar(self.t_stop, "t_stop")
        if self.t_stop <= self.t_start:
            raise ValidationError(
                f"t_stop ({self.t_stop}) must be after t_start ({self.t_start})."
            )
        if nonempty and (lo < self.t_start or hi > self.t_stop):
            raise ValidationError(
                f"Spike times span [{lo}, {hi}] s, outside t_start={self.t_start}, "
                f"t_stop={self.t_stop}. Check the time unit (s expected) or widen the "
                "interval."
            )
        self.spike_times = trains
        if unit_names is None:
            unit_names = [f"unit{i}" for i in range(len(trains))]
        self.unit_names = [str(u) for u in unit_names]
        if len(self.unit_names) != len(trains):
            raise ValidationError(
                f"unit_names has {len(self.unit_names)} names for {len(trains)} units."
            )
        self.source = source
        self.metadata = dict(metadata or {})

    @classmethod
    def from_arrays(cls, times: Any, unit_ids: Any, **kwargs: Any) -> SpikeTrains:
        """Build from a flat array of times and the unit of each spike.

        Examples
        --------
        >>> SpikeTrains.from_arrays([0.1, 0.2, 0.3], [1, 0, 1]).unit_names
        ['0', '1']
        """
        times = check_array(times, "times", ndim=1)
        unit_ids = np.asarray(unit_ids).reshape(-1)
        if unit_ids.size != times.size:
            raise ValidationError(
                f"times ({times.size}) and unit_ids ({unit_ids.size}) differ in length."
            )
        units = np.unique(unit_ids)
        kwargs.setdefault("unit_names", [str(u) for u in units])
        return cls([times[unit_ids == u] for u in units], **kwargs)

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.spike_times)

    @property
    def duration(self) -> float:
        """``t_stop - t_start`` in seconds."""
        return self.t_stop - self.t_start

    def n_spikes(self) -> np.ndarray:
        """Spike count of each unit."""
        return np.array([t.size for t in self.spike_times])

    def firing_rates(self) -> np.ndarray:
        """Mean firing rate of each unit in Hz."""
        return self.n_spikes() / self.duration

    def bin(
        self, bin_width: float | None = None, *, sfreq: float | None = None
    ) -> Recording:
        """Count spikes in contiguous bins and return a ``spikes`` Recording.

        Bins are ``[t_start + k·w, t_start + (k+1)·w)``; a final partial bin is
        dropped.

        Parameters
        ----------
        bin_width : float
            Bin width in seconds; or give ``sfreq`` (= 1 / bin_width).
        sfreq : float
            Bin rate in Hz.

        Returns
        -------
        Recording
            Counts, ``(n_units, n_bins)``, float64, channel type ``spikes``.
        """
        if (bin_width is None) == (sfreq is None):
            raise ValidationError("Give exactly one of bin_width (s) or sfreq (Hz).")
        if bin_width is None:
            bin_width = 1.0 / check_scalar(sfreq, "sfreq", min_val=0, include_min=False)
        check_scalar(bin_width, "bin_width", min_val=0, include_min=False)
        n_bins = int(np.floor(self.duration / bin_width + 1e-9))
        if n_bins < 1:
            raise ValidationError(
                f"bin_width={bin_width} s is longer than the spike trains "
                f"({self.duration} s)."
            )
        counts = np.zeros((self.n_units, n_bins))
        for i, st in enumerate(self.spike_times):
            k = np.floor((st - self.t_start) / bin_width + 1e-9).astype(int)
            k = k[(k >= 0) & (k < n_bins)]
            counts[i] = np.bincount(k, minlength=n_bins)
        return Recording(
            counts,
            sfreq=1.0 / bin_width,
            ch_names=self.unit_names,
            ch_types="spikes",
            modality="spikes",
            source=self.source,
            metadata={"t_start": self.t_start, "bin_width": bin_width},
        )

    def __repr__(self) -> str:
        return (
            f"<SpikeTrains | {self.n_units} units, "
            f"{int(self.n_spikes().sum())} spikes, "
            f"{self.t_start:g}–{self.t_stop:g} s>"
        )
