"""Simulated Poisson spike trains."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    SpikeTrains,
    ValidationError,
    check_array,
    check_random_state,
    check_scalar,
)
from ._common import check_count

__all__ = ["simulate_spike_trains"]


def simulate_spike_trains(
    n_units: int = 10,
    duration: float = 10.0,
    rates: float | Any = 5.0,
    random_state: Any = 0,
) -> SpikeTrains:
    """Simulate homogeneous Poisson spike trains on ``[0, duration)``.

    Parameters
    ----------
    n_units : int
        Number of units.
    duration : float
        Seconds.
    rates : float or array-like, shape (n_units,)
        Firing rate of every unit, or of each unit, in Hz (>= 0).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    SpikeTrains
        Units ``"unit0"``..., ``t_start=0``, ``t_stop=duration``.

    Examples
    --------
    >>> st = simulate_spike_trains(n_units=3, duration=100.0, rates=[1.0, 10.0, 0.0])
    >>> st.n_spikes()[2]
    np.int64(0)
    """
    n_units = check_count(n_units, "n_units")
    check_scalar(duration, "duration", min_val=0, include_min=False)
    rates = check_array(rates, "rates", ndim=(0, 1))
    if rates.ndim == 1 and rates.size != n_units:
        raise ValidationError(
            f"rates has {rates.size} entries for n_units={n_units}; give one rate "
            "or one per unit."
        )
    rates = np.broadcast_to(rates, (n_units,))
    if (rates < 0).any():
        raise ValidationError(f"rates must be >= 0 Hz, got {rates.min()}.")
    rng = check_random_state(random_state)
    counts = rng.poisson(rates * duration)
    trains = [np.sort(rng.uniform(0.0, duration, n)) for n in counts]
    return SpikeTrains(
        trains,
        t_start=0.0,
        t_stop=float(duration),
        unit_names=[f"unit{i}" for i in range(n_units)],
        source="simulated:spike_trains",
    )
