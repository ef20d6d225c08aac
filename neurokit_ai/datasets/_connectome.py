"""Simulated calcium imaging whose coupling communities switch at known times."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    Annotations,
    Recording,
    ValidationError,
    check_array,
    check_random_state,
    check_scalar,
    check_sfreq,
)
from ._calcium import NEUROPIL_COEF, calcium_kernel
from ._common import check_count, simulation_metadata

__all__ = ["simulate_switching_communities"]


def _planted_communities(
    rng: np.random.Generator, n_neurons: int, n_communities: int, n_epochs: int
) -> np.ndarray:
    balanced = np.arange(n_neurons) % n_communities
    return np.stack([rng.permutation(balanced) for _ in range(n_epochs)], axis=1)


def _check_communities(
    communities: Any, n_neurons: int, n_epochs: int, n_communities: int
) -> np.ndarray:
    labels = check_array(
        communities, "communities", ndim=2, dtype=None, shape=(n_neurons, n_epochs)
    )
    if labels.dtype.kind not in "iu" or labels.min() < 0:
        raise ValidationError(
            "communities must hold non-negative integer labels, got dtype "
            f"{labels.dtype} with minimum {labels.min()}."
        )
    if labels.max() >= n_communities:
        raise ValidationError(
            f"communities uses label {labels.max()} but n_communities="
            f"{n_communities}; labels must be < n_communities."
        )
    return labels.astype(int)


def simulate_switching_communities(
    n_neurons: int = 30,
    n_communities: int = 3,
    n_epochs: int = 3,
    epoch_duration: float = 120.0,
    fs: float = 10.0,
    *,
    event_rate: float = 0.4,
    coupling: float = 0.8,
    background_rate: float = 0.05,
    communities: Any = None,
    random_state: Any = 0,
) -> Recording:
    """Simulate ROI fluorescence from neurons whose communities switch.

    The recording has ``n_epochs`` epochs of ``epoch_duration`` seconds
    (annotations ``"epoch_<e>"``). In each epoch the neurons are split into
    ``n_communities`` equal communities, a new random partition per epoch
    (``channel_info["community"]``, shape ``(n_neurons, n_epochs)``). Each
    community has its own Poisson stream of events at ``event_rate`` Hz; at
    an event every member fires, with probability ``coupling``, a burst of
    1 + Poisson(1) spikes within ±1 frame. All neurons also fire at
    ``background_rate`` Hz on their own. Spike counts go through the
    GCaMP6s-like :func:`~neurokit_ai.datasets.calcium_kernel`; the cell's
    fluorescence is F0 · (1 + 0.5 c) · (1 + slow drift of ±3 %), F0 in
    200–600 a.u.; the recorded F adds 0.7 × a neuropil trace (a shared slow
    fluctuation plus the population's mean calcium, around 0.5 · F0, kept in
    ``metadata["neuropil"]``) and Gaussian noise of 2 % of F0.

    Parameters
    ----------
    n_neurons : int
        ROIs, at least ``2 * n_communities``.
    n_communities : int
        Communities per epoch (at least 2).
    n_epochs : int
        Epochs, so ``n_epochs - 1`` switches.
    epoch_duration : float
        Seconds per epoch (at least 10).
    fs : float
        Frame rate in Hz (at least 2).
    event_rate : float
        Community events per second.
    coupling : float
        Probability that a member joins an event, in (0, 1].
    background_rate : float
        Independent spikes per second per neuron.
    communities : array-like of int, shape (n_neurons, n_epochs), optional
        Planted labels to reuse (e.g. the same partitions in several animals).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    Recording
        ``(n_neurons, n_epochs * round(epoch_duration * fs))`` fluorescence of
        type ``calcium``; ``metadata["switch_times"]`` (seconds),
        ``metadata["neuropil"]``, ``metadata["neuropil_coef"]`` (0.7) and
        ``metadata["spikes"]``.

    Examples
    --------
    >>> rec = simulate_switching_communities(n_neurons=12, epoch_duration=30.0)
    >>> rec.shape, rec.channel_info["community"].shape
    ((12, 900), (12, 3))
    >>> rec.metadata["switch_times"]
    [30.0, 60.0]
    """
    n_communities = check_count(n_communities, "n_communities", min_val=2)
    n_neurons = check_count(n_neurons, "n_neurons", min_val=2 * n_communities)
    n_epochs = check_count(n_epochs, "n_epochs")
    check_scalar(epoch_duration, "epoch_duration", min_val=10.0)
    fs = check_sfreq(fs, "fs")
    if fs < 2.0:
        raise ValidationError(f"fs={fs} Hz is too slow for calcium; use >= 2 Hz.")
    check_scalar(event_rate, "event_rate", min_val=0.0, include_min=False)
    check_scalar(coupling, "coupling", min_val=0.0, max_val=1.0, include_min=False)
    check_scalar(background_rate, "background_rate", min_val=0.0)
    rng = check_random_state(random_state)
    if communities is None:
        labels = _planted_communities(rng, n_neurons, n_communities, n_epochs)
    else:
        labels = _check_communities(communities, n_neurons, n_epochs, n_communities)

    n_epoch_times = int(round(epoch_duration * fs))
    n_times = n_epochs * n_epoch_times
    spikes = rng.poisson(background_rate / fs, (n_neurons, n_times)).astype(float)
    for epoch in range(n_epochs):
        start = epoch * n_epoch_times
        for community in range(n_communities):
            members = np.flatnonzero(labels[:, epoch] == community)
            events = np.flatnonzero(rng.random(n_epoch_times) < event_rate / fs)
            for t in start + events:
                joined = members[rng.random(members.size) < coupling]
                frames = np.clip(t + rng.integers(-1, 2, joined.size), 0, n_times - 1)
                np.add.at(spikes, (joined, frames), 1.0 + rng.poisson(1.0, joined.size))
    calcium = calcium_kernel(spikes, fs)

    times = np.arange(n_times) / fs
    f0 = rng.uniform(200.0, 600.0, (n_neurons, 1))
    drift = 0.03 * np.sin(
        2 * np.pi * times / rng.uniform(150.0, 400.0, (n_neurons, 1))
        + rng.uniform(0, 2 * np.pi, (n_neurons, 1))
    )
    cell = f0 * (1.0 + 0.5 * calcium) * (1.0 + drift)
    shared = np.sin(2 * np.pi * times / 90.0 + rng.uniform(0, 2 * np.pi))
    neuropil = 0.5 * f0 * (1.0 + 0.1 * shared + 0.3 * calcium.mean(axis=0))
    neuropil += 0.01 * f0 * rng.standard_normal((n_neurons, n_times))
    data = cell + NEUROPIL_COEF * neuropil
    data += 0.02 * f0 * rng.standard_normal((n_neurons, n_times))

    onsets = epoch_duration * np.arange(n_epochs)
    metadata = simulation_metadata(
        "simulate_switching_communities",
        random_state,
        n_neurons=n_neurons,
        n_communities=n_communities,
        n_epochs=n_epochs,
        epoch_duration=float(epoch_duration),
        fs=fs,
        event_rate=float(event_rate),
        coupling=float(coupling),
        background_rate=float(background_rate),
    )
    metadata.update(
        {
            "neuropil": neuropil,
            "neuropil_coef": NEUROPIL_COEF,
            "spikes": spikes,
            "switch_times": [float(t) for t in onsets[1:]],
        }
    )
    return Recording(
        data,
        fs,
        [f"n{i:03d}" for i in range(n_neurons)],
        "calcium",
        annotations=Annotations(
            onsets, epoch_duration, [f"epoch_{e}" for e in range(n_epochs)]
        ),
        modality="calcium",
        source="simulated:switching_communities",
        subject="sim01",
        channel_info={"community": labels},
        metadata=metadata,
    )
