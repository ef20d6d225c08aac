"""Closed-loop cursor-control simulator and the BCI metrics people publish.

A simulated user wants to move a cursor to a target: each bin its intended
velocity points from the *decoded* cursor to the target (speed proportional to
the distance, capped), cosine-tuned Poisson neurons fire according to that
intention, the decoder turns the counts into a velocity, the cursor moves by it
and the next intention starts from where the cursor went. Tasks: centre-out
(targets on a circle, each trial from the centre) and random targets (a grid of
targets, each trial from where the last one ended, as in Nuyujukian et al. 2015).

Metrics (per trial, then summarised):

- success: the cursor stayed inside the target for ``hold_time`` before the
  trial timed out;
- time to target: from trial start to entering the target for the hold that
  succeeded (s);
- path efficiency: straight-line distance from the start to where the cursor
  entered the target, over the length of the path travelled until then (1 for
  a straight path);
- Fitts throughput (bits/s): ``log2(1 + D / W) / time_to_target`` with ``D`` the
  start-to-target-centre distance and ``W`` the target diameter, averaged over
  successful trials (as in Gilja et al. 2012);
- achieved bitrate (bits/s), Nuyujukian et al. 2015:
  ``log2(N - 1) * max(S_c - S_i, 0) / t`` with ``N`` the number of possible
  targets, ``S_c`` successes, ``S_i`` failures (timeouts count as wrong
  selections) and ``t`` the total task time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import (
    ValidationError,
    check_array,
    check_option,
    check_random_state,
    check_scalar,
)

__all__ = [
    "ClosedLoopSimulator",
    "ClosedLoopResult",
    "TrialResult",
    "trial_metrics",
    "achieved_bitrate",
    "fitts_throughput",
]


def trial_metrics(
    path: Any,
    target: Any,
    target_radius: float,
    bin_width: float,
    hold_time: float = 0.0,
) -> dict[str, Any]:
    """Success, time to target and path efficiency of one cursor path.

    Parameters
    ----------
    path : array-like, shape (n_steps + 1, 2)
        Cursor positions: the start, then one per bin.
    target : array-like, shape (2,)
        Target centre.
    target_radius : float
        Acceptance radius (the cursor is inside when its distance is ``<=``).
    bin_width : float
        Seconds per bin.
    hold_time : float
        Seconds the cursor must stay inside (``0``: entering is enough).

    Returns
    -------
    dict
        ``success`` (bool), ``time_to_target`` (s, NaN on failure),
        ``path_efficiency`` (NaN on failure), ``path_length``.

    Examples
    --------
    >>> m = trial_metrics([[0, 0], [1, 0], [1, 1], [2, 1]], [2, 1], 0.5, 0.1)
    >>> m["success"], round(m["time_to_target"], 3), round(m["path_efficiency"], 4)
    (True, 0.3, 0.7454)
    """
    path = check_array(path, "path", ndim=2, shape=(None, 2))
    target = check_array(target, "target", ndim=1, shape=(2,))
    check_scalar(target_radius, "target_radius", min_val=0.0, include_min=False)
    check_scalar(bin_width, "bin_width", min_val=0.0, include_min=False)
    check_scalar(hold_time, "hold_time", min_val=0.0)
    hold_bins = int(round(hold_time / bin_width))
    inside = np.linalg.norm(path - target, axis=1) <= target_radius
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    entry = _successful_entry(inside, hold_bins)
    if entry is None:
        return {
            "success": False,
            "time_to_target": float("nan"),
            "path_efficiency": float("nan"),
            "path_length": float(steps.sum()),
        }
    travelled = float(steps[:entry].sum())
    straight = float(np.linalg.norm(path[entry] - path[0]))
    return {
        "success": True,
        "time_to_target": entry * bin_width,
        "path_efficiency": straight / travelled if travelled > 0 else 1.0,
        "path_length": float(steps.sum()),
    }


def _successful_entry(inside: np.ndarray, hold_bins: int) -> int | None:
    """First index of a run of ``inside`` lasting ``hold_bins`` more bins."""
    run_start = None
    for i, flag in enumerate(inside):
        if not flag:
            run_start = None
            continue
        if run_start is None:
            run_start = i
        if i - run_start >= hold_bins:
            return run_start
    return None


def fitts_throughput(distance: float, width: float, time: float) -> float:
    """Fitts throughput ``log2(1 + distance / width) / time`` in bits/s.

    Examples
    --------
    >>> fitts_throughput(0.07, 0.01, 1.5)
    2.0
    """
    check_scalar(distance, "distance", min_val=0.0)
    check_scalar(width, "width", min_val=0.0, include_min=False)
    check_scalar(time, "time", min_val=0.0, include_min=False)
    return float(np.log2(1.0 + distance / width) / time)


def achieved_bitrate(
    n_targets: int, n_correct: int, n_incorrect: int, duration: float
) -> float:
    """Achieved bitrate of Nuyujukian et al. 2015, in bits/s.

    ``log2(n_targets - 1) * max(n_correct - n_incorrect, 0) / duration``.

    Examples
    --------
    >>> achieved_bitrate(9, 10, 2, 8.0)
    3.0
    """
    check_scalar(n_targets, "n_targets", kind=int, min_val=2)
    check_scalar(n_correct, "n_correct", kind=int, min_val=0)
    check_scalar(n_incorrect, "n_incorrect", kind=int, min_val=0)
    check_scalar(duration, "duration", min_val=0.0, include_min=False)
    return float(np.log2(n_targets - 1) * max(n_correct - n_incorrect, 0) / duration)


@dataclass
class TrialResult:
    """One trial: the target, the cursor path and its metrics.

    ``counts`` and ``intended`` (spike counts and intended velocity per bin) are
    kept only when the run was asked to ``record``.
    """

    target: np.ndarray
    path: np.ndarray
    success: bool
    time_to_target: float
    path_efficiency: float
    duration: float
    counts: np.ndarray | None = None
    intended: np.ndarray | None = None


@dataclass
class ClosedLoopResult:
    """All trials of a closed-loop run and the summary metrics."""

    task: str
    trials: list[TrialResult]
    metrics: dict[str, float] = field(default_factory=dict)


class ClosedLoopSimulator:
    """Simulate a user controlling a cursor through a decoder, in closed loop.

    Parameters
    ----------
    task : {"centre_out", "random"}
        Centre-out: ``n_targets`` targets on a circle of radius ``distance``,
        each trial starting at the centre. Random: targets drawn from a
        ``grid_size`` × ``grid_size`` grid spanning ``±distance``, each trial
        starting where the previous ended.
    n_neurons : int
        Simulated units.
    bin_width : float
        Seconds per bin.
    n_targets : int
        Centre-out targets.
    grid_size : int
        Random-task grid side.
    distance : float
        Target distance (m).
    target_radius : float
        Acceptance radius (m).
    hold_time, timeout : float
        Seconds to hold inside the target; seconds before a trial fails.
    max_speed : float
        Cap on the intended speed (m/s).
    reach_time : float
        Time constant (s) of the intention: speed = distance to go / reach_time.
    baseline_rate, modulation : float
        Each neuron fires ``max(0, b + m * (v · d) / max_speed)`` spikes/s, with
        ``b`` and ``m`` drawn around these values and a random preferred
        direction ``d`` (cosine tuning).
    random_state : int, Generator or None
        Seed for tuning, targets and spikes.

    Examples
    --------
    >>> sim = ClosedLoopSimulator(random_state=0)
    >>> result = sim.run(None, n_trials=8)  # None: a perfect decoder
    >>> result.metrics["success_rate"]
    1.0
    """

    def __init__(
        self,
        task: str = "centre_out",
        *,
        n_neurons: int = 60,
        bin_width: float = 0.05,
        n_targets: int = 8,
        grid_size: int = 4,
        distance: float = 0.08,
        target_radius: float = 0.015,
        hold_time: float = 0.2,
        timeout: float = 4.0,
        max_speed: float = 0.25,
        reach_time: float = 0.25,
        baseline_rate: float = 15.0,
        modulation: float = 20.0,
        random_state: Any = None,
    ) -> None:
        self.task = check_option(task, "task", ["centre_out", "random"])
        self.n_neurons = check_scalar(n_neurons, "n_neurons", kind=int, min_val=1)
        self.n_targets = check_scalar(n_targets, "n_targets", kind=int, min_val=2)
        self.grid_size = check_scalar(grid_size, "grid_size", kind=int, min_val=2)
        for name, value in (
            ("bin_width", bin_width),
            ("distance", distance),
            ("target_radius", target_radius),
            ("timeout", timeout),
            ("max_speed", max_speed),
            ("reach_time", reach_time),
        ):
            check_scalar(value, name, min_val=0.0, include_min=False)
        check_scalar(hold_time, "hold_time", min_val=0.0)
        check_scalar(baseline_rate, "baseline_rate", min_val=0.0)
        check_scalar(modulation, "modulation", min_val=0.0)
        if hold_time >= timeout:
            raise ValidationError(
                f"hold_time={hold_time} s must be shorter than timeout={timeout} s."
            )
        self.bin_width = float(bin_width)
        self.distance = float(distance)
        self.target_radius = float(target_radius)
        self.hold_time = float(hold_time)
        self.timeout = float(timeout)
        self.max_speed = float(max_speed)
        self.reach_time = float(reach_time)
        self.baseline_rate = float(baseline_rate)
        self.modulation = float(modulation)
        self.random_state = random_state
        rng = check_random_state(random_state)
        angles = rng.uniform(0, 2 * np.pi, self.n_neurons)
        self.preferred_ = np.column_stack([np.cos(angles), np.sin(angles)])
        self.baseline_ = self.baseline_rate * rng.uniform(0.5, 1.5, self.n_neurons)
        self.depth_ = self.modulation * rng.uniform(0.5, 1.5, self.n_neurons)
        self._rng = rng

    # -------------------------------------------------------------- the user
    def intention(self, cursor: np.ndarray, target: np.ndarray) -> np.ndarray:
        """The user's intended velocity (m/s) from ``cursor`` toward ``target``."""
        to_go = target - cursor
        dist = float(np.hypot(to_go[0], to_go[1]))
        if dist == 0.0:
            return np.zeros(2)
        speed = min(self.max_speed, dist / self.reach_time)
        return to_go * (speed / dist)

    def spikes(self, velocity: np.ndarray) -> np.ndarray:
        """Poisson counts of every neuron in one bin for an intended velocity."""
        drive = self.preferred_ @ velocity / self.max_speed
        rates = np.maximum(self.baseline_ + self.depth_ * drive, 0.0)
        return self._rng.poisson(rates * self.bin_width).astype(float)

    def _targets(self, n_trials: int) -> np.ndarray:
        if self.task == "centre_out":
            order = np.concatenate(
                [
                    self._rng.permutation(self.n_targets)
                    for _ in range(-(-n_trials // self.n_targets))
                ]
            )[:n_trials]
            ang = 2 * np.pi * order / self.n_targets
            return self.distance * np.column_stack([np.cos(ang), np.sin(ang)])
        axis = np.linspace(-self.distance, self.distance, self.grid_size)
        grid = np.array([(x, y) for y in axis for x in axis])
        picks = [int(self._rng.integers(len(grid)))]
        for _ in range(n_trials - 1):
            nxt = int(self._rng.integers(len(grid) - 1))
            picks.append(nxt if nxt < picks[-1] else nxt + 1)
        return grid[picks]

    @property
    def n_choices(self) -> int:
        """Number of possible targets (``N`` of the achieved bitrate)."""
        return self.n_targets if self.task == "centre_out" else self.grid_size**2

    # -------------------------------------------------------------- sessions
    def calibrate(self, n_trials: int = 40) -> tuple[np.ndarray, np.ndarray]:
        """Record an open-loop calibration block.

        The cursor follows the user's intention exactly (as when a monkey
        watches a computer-driven cursor) while the neurons fire.

        Returns
        -------
        counts : ndarray, shape (n_bins, n_neurons)
        velocity : ndarray, shape (n_bins, 2)
            Intended velocity (m/s) of each bin, the decoder's training target.
        """
        check_scalar(n_trials, "n_trials", kind=int, min_val=1)
        counts, velocity = [], []
        for trial in self.run(None, n_trials=n_trials, record=True).trials:
            counts.append(trial.counts)
            velocity.append(trial.intended)
        return np.concatenate(counts), np.concatenate(velocity)

    def run(
        self, decoder: Any, n_trials: int = 40, *, record: bool = False
    ) -> ClosedLoopResult:
        """Run ``n_trials`` trials in closed loop through ``decoder``.

        Parameters
        ----------
        decoder : fitted online decoder or None
            Must estimate a 2-D velocity (m/s) from a bin of counts; it is
            reset once, at the start. ``None`` is a perfect decoder: the cursor
            moves with the intention.
        n_trials : int
            Trials to run.
        record : bool
            Keep each trial's counts and intended velocities (``counts``,
            ``intended`` attributes of the trials).

        Returns
        -------
        ClosedLoopResult
        """
        check_scalar(n_trials, "n_trials", kind=int, min_val=1)
        if decoder is not None:
            _check_velocity_decoder(decoder, self.n_neurons, self.bin_width)
            decoder.reset()
        max_bins = int(round(self.timeout / self.bin_width))
        hold_bins = int(round(self.hold_time / self.bin_width))
        cursor = np.zeros(2)
        trials = []
        for target in self._targets(n_trials):
            if self.task == "centre_out":
                cursor = np.zeros(2)
            path = np.empty((max_bins + 1, 2))
            path[0] = cursor
            counts = np.empty((max_bins, self.n_neurons))
            intended = np.empty((max_bins, 2))
            held = 0
            n = max_bins
            for t in range(max_bins):
                intended[t] = self.intention(cursor, target)
                counts[t] = self.spikes(intended[t])
                velocity = intended[t] if decoder is None else decoder.step(counts[t])
                cursor = cursor + velocity * self.bin_width
                path[t + 1] = cursor
                inside = np.hypot(*(cursor - target)) <= self.target_radius
                held = held + 1 if inside else 0
                if held > hold_bins:
                    n = t + 1
                    break
            m = trial_metrics(
                path[: n + 1],
                target,
                self.target_radius,
                self.bin_width,
                self.hold_time,
            )
            trial = TrialResult(
                target=target,
                path=path[: n + 1].copy(),
                success=m["success"],
                time_to_target=m["time_to_target"],
                path_efficiency=m["path_efficiency"],
                duration=n * self.bin_width,
            )
            if record:
                trial.counts = counts[:n].copy()
                trial.intended = intended[:n].copy()
            trials.append(trial)
        return ClosedLoopResult(self.task, trials, self._summary(trials))

    def _summary(self, trials: list[TrialResult]) -> dict[str, float]:
        ok = [t for t in trials if t.success]
        total = sum(t.duration for t in trials)
        width = 2 * self.target_radius
        fitts = [
            fitts_throughput(
                np.linalg.norm(t.target - t.path[0]), width, t.time_to_target
            )
            for t in ok
            if t.time_to_target > 0
        ]
        return {
            "n_trials": len(trials),
            "success_rate": len(ok) / len(trials),
            "time_to_target_s": float(np.mean([t.time_to_target for t in ok]))
            if ok
            else float("nan"),
            "path_efficiency": float(np.mean([t.path_efficiency for t in ok]))
            if ok
            else float("nan"),
            "fitts_throughput_bps": float(np.mean(fitts)) if fitts else 0.0,
            "achieved_bitrate_bps": achieved_bitrate(
                self.n_choices, len(ok), len(trials) - len(ok), total
            ),
            "task_time_s": total,
        }


def _check_velocity_decoder(decoder: Any, n_neurons: int, bin_width: float) -> None:
    from .realtime import check_online_decoder

    n_states = check_online_decoder(decoder, n_neurons, bin_width)
    if n_states != 2:
        raise ValidationError(
            f"The decoder estimates {n_states} states; the simulator needs a 2-D "
            "velocity (m/s). Fit it on ClosedLoopSimulator.calibrate()'s velocity."
        )
