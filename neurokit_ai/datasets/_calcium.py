"""Simulated two-photon calcium imaging: stimulus-driven ensembles, neuropil."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    Annotations,
    Recording,
    ValidationError,
    check_random_state,
    check_scalar,
    check_sfreq,
)
from ._common import check_count, simulation_metadata

__all__ = ["simulate_calcium", "calcium_kernel"]

STIM_ON, STIM_OFF = 2.0, 3.0
TAU_RISE, TAU_DECAY = 0.07, 0.7
NEUROPIL_COEF = 0.7


def calcium_kernel(spikes: np.ndarray, fs: float) -> np.ndarray:
    """Convolve spike counts with a double-exponential kernel of peak 1.

    The kernel is ``exp(-t/τ_decay) − exp(-t/τ_rise)`` (τ = 0.7 s and 0.07 s,
    GCaMP6s-like), run as the difference of two AR(1) filters along the last
    axis and scaled so that one spike peaks at 1.

    Examples
    --------
    >>> c = calcium_kernel(np.eye(1, 100), 30.0)
    >>> round(float(c.max()), 6)
    1.0
    """
    from scipy.signal import lfilter

    decay, rise = np.exp(-1.0 / (TAU_DECAY * fs)), np.exp(-1.0 / (TAU_RISE * fs))
    lags = np.arange(int(10 * TAU_DECAY * fs) + 2)
    peak = np.max(decay**lags - rise**lags)
    slow = lfilter([1.0], [1.0, -decay], spikes, axis=-1)
    fast = lfilter([1.0], [1.0, -rise], spikes, axis=-1)
    return (slow - fast) / peak


def _trials(
    rng: np.random.Generator, n_ensembles: int, duration: float
) -> tuple[np.ndarray, np.ndarray]:
    period = STIM_ON + STIM_OFF
    n_trials = int((duration - period) // period)
    if n_trials < 2 * n_ensembles:
        need = period * (2 * n_ensembles + 1)
        raise ValidationError(
            f"duration={duration} s holds {n_trials} stimulus trials, fewer than two "
            f"per ensemble ({n_ensembles} ensembles); use duration >= {need:g} s."
        )
    onsets = period * (1 + np.arange(n_trials))
    stims = np.resize(np.arange(n_ensembles), n_trials)
    return onsets, rng.permutation(stims)


def simulate_calcium(
    n_neurons: int = 120,
    duration: float = 300.0,
    fs: float = 30.0,
    n_ensembles: int = 4,
    random_state: Any = 0,
) -> Recording:
    """Simulate ROI fluorescence with stimulus-locked ensembles and neuropil.

    Stimuli ``"stim_<k>"`` (k < ``n_ensembles``, balanced, shuffled) are shown
    for 2 s every 5 s. Two thirds of the neurons form ``n_ensembles`` equal
    ensembles (``channel_info["ensemble"]``; −1 for the rest). Every neuron
    fires at 0.1–0.3 Hz; during stimulus k, the members of ensemble k co-fire
    at 4 Hz × a gain shared by the ensemble on that trial (log-normal,
    σ = 0.3). Spike counts per frame (Poisson) pass through the
    double-exponential :func:`calcium_kernel`; the cell's fluorescence is
    F0 · (1 + 0.4 · c) · (1 + slow drift of ±5 %), F0 in 200–600 a.u.
    The neuropil trace ``metadata["neuropil"]`` (same shape) mixes a shared
    slow fluctuation with the mean activity of all cells, around 0.5 · F0;
    the recorded F adds 0.7 × neuropil and Gaussian noise (2 % of F0), so
    :func:`~neurokit_ai.preprocessing.neuropil_correct` with ``coef=0.7``
    undoes the contamination.

    Parameters
    ----------
    n_neurons : int
        Number of ROIs (at least ``3 * n_ensembles``).
    duration : float
        Seconds; at least two stimuli per ensemble must fit.
    fs : float
        Frame rate in Hz (at least 5).
    n_ensembles : int
        Number of ensembles (stimuli).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    Recording
        ``(n_neurons, round(duration * fs))`` fluorescence, type ``calcium``.

    Examples
    --------
    >>> rec = simulate_calcium(n_neurons=12, duration=60.0, n_ensembles=2)
    >>> rec.shape, sorted(set(rec.channel_info["ensemble"].tolist()))
    ((12, 1800), [-1, 0, 1])
    """
    n_ensembles = check_count(n_ensembles, "n_ensembles")
    n_neurons = check_count(n_neurons, "n_neurons", min_val=3 * n_ensembles)
    check_scalar(duration, "duration", min_val=0, include_min=False)
    fs = check_sfreq(fs, "fs")
    if fs < 5.0:
        raise ValidationError(f"fs={fs} Hz is too slow for calcium; use >= 5 Hz.")
    rng = check_random_state(random_state)
    onsets, stims = _trials(rng, n_ensembles, float(duration))
    n_times = int(round(duration * fs))
    times = np.arange(n_times) / fs

    per_ensemble = (2 * n_neurons // 3) // n_ensembles
    ensemble = np.full(n_neurons, -1)
    ensemble[: per_ensemble * n_ensembles] = np.repeat(
        np.arange(n_ensembles), per_ensemble
    )
    ensemble = ensemble[rng.permutation(n_neurons)]
    rates = np.repeat(rng.uniform(0.1, 0.3, (n_neurons, 1)), n_times, axis=1)
    for onset, stim in zip(onsets, stims):
        on = (times >= onset) & (times < onset + STIM_ON)
        rates[np.ix_(ensemble == stim, on)] += 4.0 * rng.lognormal(0.0, 0.3)
    calcium = calcium_kernel(rng.poisson(rates / fs).astype(float), fs)

    f0 = rng.uniform(200.0, 600.0, (n_neurons, 1))
    periods = rng.uniform(150.0, 400.0, (n_neurons, 1))
    drift = 0.05 * np.sin(
        2 * np.pi * times / periods + rng.uniform(0, 6.28, (n_neurons, 1))
    )
    cell = f0 * (1.0 + 0.4 * calcium) * (1.0 + drift)
    shared = np.sin(2 * np.pi * times / 90.0 + rng.uniform(0, 6.28))
    activity = calcium.mean(axis=0)
    neuropil = 0.5 * f0 * (1.0 + 0.1 * shared + 0.5 * activity)
    neuropil += 0.01 * f0 * rng.standard_normal((n_neurons, n_times))
    data = cell + NEUROPIL_COEF * neuropil
    data += 0.02 * f0 * rng.standard_normal((n_neurons, n_times))

    metadata = simulation_metadata(
        "simulate_calcium",
        random_state,
        n_neurons=n_neurons,
        duration=float(duration),
        fs=fs,
        n_ensembles=n_ensembles,
    )
    metadata.update({"neuropil": neuropil, "neuropil_coef": NEUROPIL_COEF})
    return Recording(
        data,
        fs,
        [f"roi{i:03d}" for i in range(n_neurons)],
        "calcium",
        annotations=Annotations(onsets, STIM_ON, [f"stim_{s}" for s in stims]),
        modality="calcium",
        source="simulated:calcium",
        subject="sim01",
        channel_info={"ensemble": ensemble},
        metadata=metadata,
    )
