"""Simulated centre-out reaching with cosine-tuned M1 units (Georgopoulos)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Annotations, Recording, check_random_state, check_scalar
from ._common import check_count, simulation_metadata

__all__ = ["simulate_reaching_m1", "minimum_jerk"]

REACH_DISTANCE = 0.08


def minimum_jerk(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum-jerk path fraction and its derivative at phase ``s`` in [0, 1].

    Examples
    --------
    >>> pos, vel = minimum_jerk(np.array([0.0, 0.5, 1.0]))
    >>> pos.tolist(), vel.tolist()
    ([0.0, 0.5, 1.0], [0.0, 1.875, 0.0])
    """
    s = np.clip(s, 0.0, 1.0)
    return 10 * s**3 - 15 * s**4 + 6 * s**5, 30 * s**2 - 60 * s**3 + 30 * s**4


def _movements(
    rng: np.random.Generator, n_trials: int, n_targets: int
) -> tuple[list[tuple[float, float, np.ndarray, np.ndarray]], list[int], float]:
    """Out-and-back movements ``(start s, duration s, from, to)`` and trial targets."""
    angles = 2 * np.pi * np.arange(n_targets) / n_targets
    targets = REACH_DISTANCE * np.column_stack([np.cos(angles), np.sin(angles)])
    order = rng.permutation(np.resize(np.arange(n_targets), n_trials)).tolist()
    centre = np.zeros(2)
    moves, t = [], 0.0
    for k in order:
        t += rng.uniform(0.3, 0.6)
        out_time = rng.uniform(0.5, 0.7)
        moves.append((t, out_time, centre, targets[k]))
        t += out_time + 0.3
        back_time = rng.uniform(0.5, 0.7)
        moves.append((t, back_time, targets[k], centre))
        t += back_time
    return moves, order, t + 0.5


def simulate_reaching_m1(
    n_units: int = 96,
    n_trials: int = 80,
    bin_width: float = 0.05,
    n_targets: int = 8,
    random_state: Any = 0,
) -> Recording:
    """Simulate binned M1 spike counts and hand kinematics during centre-out reaches.

    Each trial: hold at the centre (0.3–0.6 s), a minimum-jerk reach of
    8 cm to one of ``n_targets`` targets on a circle (0.5–0.7 s, annotated
    ``"target_<k>"`` at movement onset), 0.3 s hold, and a return to the
    centre. Targets are balanced and shuffled. Each unit is cosine-tuned to
    hand velocity (Georgopoulos): rate = b + m · (vx cos θ + vy sin θ), with
    baseline b in 5–15 Hz, modulation depth m in 40–100 Hz per m/s
    (``channel_info["modulation_depth"]``) and preferred direction θ uniform
    (``channel_info["preferred_direction"]``, radians; NaN on behaviour
    channels); negative rates are clipped at 0 and counts are Poisson. Bin k
    counts spikes in ``[k·w, (k+1)·w)`` driven by the velocity at ``k·w``
    (no lag).

    Parameters
    ----------
    n_units : int
        Number of units.
    n_trials : int
        Number of reaches.
    bin_width : float
        Bin width in seconds (``sfreq = 1 / bin_width``), at most 0.2.
    n_targets : int
        Number of targets (at least 2).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    Recording
        ``n_units`` ``spikes`` channels (counts per bin) then ``behavior``
        channels ``hand_x``, ``hand_y`` (m) and ``vel_x``, ``vel_y`` (m/s);
        ``metadata["targets"]`` holds the target positions (m).

    Examples
    --------
    >>> rec = simulate_reaching_m1(n_units=4, n_trials=8)
    >>> rec.ch_names[-4:], rec.sfreq
    (['hand_x', 'hand_y', 'vel_x', 'vel_y'], 20.0)
    """
    n_units = check_count(n_units, "n_units")
    n_trials = check_count(n_trials, "n_trials")
    check_scalar(bin_width, "bin_width", min_val=0.001, max_val=0.2)
    n_targets = check_count(n_targets, "n_targets", min_val=2)
    rng = check_random_state(random_state)
    bin_width = float(bin_width)

    moves, order, total = _movements(rng, n_trials, n_targets)
    n_bins = int(np.ceil(total / bin_width))
    times = np.arange(n_bins) * bin_width
    pos = np.zeros((2, n_bins))
    vel = np.zeros((2, n_bins))
    for start, length, p0, p1 in moves:
        frac, speed = minimum_jerk((times - start) / length)
        pos += np.outer(p1 - p0, frac)
        vel += np.outer(p1 - p0, speed / length)

    preferred = rng.uniform(-np.pi, np.pi, n_units)
    depth = rng.uniform(40.0, 100.0, n_units)
    baseline = rng.uniform(5.0, 15.0, n_units)
    drive = np.cos(preferred)[:, None] * vel[0] + np.sin(preferred)[:, None] * vel[1]
    rates = np.clip(baseline[:, None] + depth[:, None] * drive, 0.0, None)
    counts = rng.poisson(rates * bin_width).astype(float)

    n_behavior = 4
    nan = np.full(n_behavior, np.nan)
    starts = [m[0] for m in moves[::2]]
    durations = [m[1] for m in moves[::2]]
    angles = 2 * np.pi * np.arange(n_targets) / n_targets
    metadata = simulation_metadata(
        "simulate_reaching_m1",
        random_state,
        n_units=n_units,
        n_trials=n_trials,
        bin_width=bin_width,
        n_targets=n_targets,
    )
    metadata.update(
        {
            "targets": REACH_DISTANCE
            * np.column_stack([np.cos(angles), np.sin(angles)]),
            "bin_width": bin_width,
        }
    )
    width = len(str(n_units - 1))
    return Recording(
        np.vstack([counts, pos, vel]),
        1.0 / bin_width,
        [f"unit{i:0{width}d}" for i in range(n_units)]
        + ["hand_x", "hand_y", "vel_x", "vel_y"],
        ["spikes"] * n_units + ["behavior"] * n_behavior,
        units=["count"] * n_units + ["m", "m", "m/s", "m/s"],
        annotations=Annotations(starts, durations, [f"target_{k}" for k in order]),
        modality="spikes",
        source="simulated:reaching_m1",
        subject="sim01",
        channel_info={
            "preferred_direction": np.concatenate([preferred, nan]),
            "modulation_depth": np.concatenate([depth, nan]),
        },
        metadata=metadata,
    )
