"""Binning spike times into a count Recording."""

from __future__ import annotations

from ..core import Recording, SpikeTrains, ValidationError, check_scalar, check_type

__all__ = ["bin_spikes"]


def bin_spikes(spike_trains: SpikeTrains, bin_width: float) -> Recording:
    """Count spikes in contiguous bins of ``bin_width`` seconds.

    A checked wrapper of :meth:`SpikeTrains.bin`: bins are
    ``[t_start + k·w, t_start + (k+1)·w)`` and a final partial bin is dropped.

    Parameters
    ----------
    spike_trains : SpikeTrains
        Spike times of each unit.
    bin_width : float
        Bin width in seconds, at most the spike trains' duration.

    Returns
    -------
    Recording
        ``(n_units, n_bins)`` counts, channel type ``spikes``,
        ``sfreq = 1 / bin_width``.

    Examples
    --------
    >>> from neurokit_ai.core import SpikeTrains
    >>> st = SpikeTrains([[0.01, 0.02, 0.07]], t_start=0.0, t_stop=0.1)
    >>> bin_spikes(st, 0.05).data
    array([[2., 1.]])
    """
    check_type(spike_trains, "spike_trains", SpikeTrains)
    check_scalar(bin_width, "bin_width", min_val=0, include_min=False)
    if bin_width > spike_trains.duration:
        raise ValidationError(
            f"bin_width={bin_width} s is longer than the spike trains "
            f"({spike_trains.duration:g} s from t_start={spike_trains.t_start:g}); "
            "use a shorter bin."
        )
    return spike_trains.bin(float(bin_width))
