"""The prediction paradigm: cue -> outcome with controlled timing and probability."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_random_state, check_scalar

__all__ = [
    "PredictionTask",
    "make_prediction_task",
    "encoding_metrics",
    "adaptation_trials",
]


@dataclass
class PredictionTask:
    """A sequence of trials: a cue, then (with some probability) an outcome.

    Attributes
    ----------
    cues : ndarray of int, shape (n_trials,)
        Cue identity of each trial (what will come).
    outcomes : ndarray of bool
        Whether the outcome was delivered.
    latencies : ndarray of float
        Cue-onset to outcome-onset delay (s) in force on each trial (when).
    probabilities : ndarray of float
        Outcome probability in force on each trial.
    trial_duration, cue_duration : float
        Seconds.
    n_cues : int
    switch_trial : int or None
        First trial with the new statistics.
    """

    cues: np.ndarray
    outcomes: np.ndarray
    latencies: np.ndarray
    probabilities: np.ndarray
    trial_duration: float
    cue_duration: float
    n_cues: int
    switch_trial: int | None = None

    @property
    def n_trials(self) -> int:
        """Number of trials."""
        return int(self.cues.size)

    @property
    def duration(self) -> float:
        """Total time (s)."""
        return self.n_trials * self.trial_duration

    def input_current(
        self,
        n_neurons: int,
        dt: float,
        *,
        gain: float = 10.0,
        fraction: float = 0.2,
        background: float = 3.0,
        noise: float = 2.0,
        random_state: Any = None,
    ) -> np.ndarray:
        """External current ``(n_steps, n_neurons)`` for :func:`simulate`.

        Each cue drives its own random ``fraction`` of neurons with ``gain``
        during the cue; every neuron gets ``background`` plus Gaussian noise.
        Outcomes are not injected: they reach only the learning signal, so the
        readout before and at the outcome time is a pure prediction.

        Examples
        --------
        >>> task = make_prediction_task(4, [0.2], [1.0], random_state=0)
        >>> task.input_current(10, 1e-3, random_state=0).shape
        (2400, 10)
        """
        rng = check_random_state(random_state)
        check_scalar(fraction, "fraction", min_val=0, max_val=1, include_min=False)
        n_steps = int(round(self.duration / dt))
        per_trial = int(round(self.trial_duration / dt))
        cue_steps = int(round(self.cue_duration / dt))
        members = rng.random((self.n_cues, n_neurons)) < fraction
        current = background + noise * rng.standard_normal((n_steps, n_neurons))
        for k, cue in enumerate(self.cues):
            start = k * per_trial
            current[start : start + cue_steps] += gain * members[cue]
        return current

    def targets(self, bin_width: float, width: float = 0.03) -> dict[str, np.ndarray]:
        """Readout targets sampled every ``bin_width`` s.

        Returns
        -------
        dict
            ``"when"``: a Gaussian bump (peak 1, s.d. ``width``) at each delivered
            outcome, ``(n_bins,)``; ``"what"``: one-hot cue identity from cue
            onset to the expected outcome, ``(n_bins, n_cues)``.
        """
        t = self.bin_times(bin_width)
        when = np.zeros(t.size)
        what = np.zeros((t.size, self.n_cues))
        for k in range(self.n_trials):
            onset = k * self.trial_duration
            if self.outcomes[k]:
                lo, hi = np.searchsorted(
                    t, onset + self.latencies[k] + np.array([-8.0, 8.0]) * width
                )
                centre = onset + self.latencies[k]
                when[lo:hi] += np.exp(-0.5 * ((t[lo:hi] - centre) / width) ** 2)
            inside = (t >= onset) & (t < onset + self.latencies[k])
            what[inside, self.cues[k]] = 1.0
        return {"when": when, "what": what}

    def gate(self, bin_width: float, margin: float = 0.1) -> np.ndarray:
        """Attention window: 1 from cue onset to the expected outcome + ``margin``."""
        t = self.bin_times(bin_width)
        local = t % self.trial_duration
        trial = np.minimum((t // self.trial_duration).astype(int), self.n_trials - 1)
        return (local < self.latencies[trial] + margin).astype(float)

    def bin_times(self, bin_width: float) -> np.ndarray:
        """Start time of each readout bin (s)."""
        check_scalar(bin_width, "bin_width", min_val=0, include_min=False)
        return np.arange(int(round(self.duration / bin_width))) * bin_width


def make_prediction_task(
    n_trials: int,
    latencies: Sequence[float],
    probabilities: Sequence[float],
    *,
    switch_trial: int | None = None,
    new_latencies: Sequence[float] | None = None,
    new_probabilities: Sequence[float] | None = None,
    trial_duration: float = 0.6,
    cue_duration: float = 0.05,
    random_state: Any = None,
) -> PredictionTask:
    """Random cue sequence with per-cue outcome latency and probability.

    Parameters
    ----------
    n_trials : int
    latencies, probabilities : sequence of float, one per cue
        Outcome delay after cue onset (s) and outcome probability.
    switch_trial : int, optional
        From this trial on, ``new_latencies`` / ``new_probabilities`` hold.
    new_latencies, new_probabilities : sequence of float, optional
        The statistics after the switch (default: unchanged).
    trial_duration, cue_duration : float
        Seconds.
    random_state : None, int or Generator

    Returns
    -------
    PredictionTask

    Examples
    --------
    >>> task = make_prediction_task(100, [0.2, 0.3], [1.0, 0.5], random_state=0)
    >>> task.n_trials, task.n_cues
    (100, 2)
    """
    rng = check_random_state(random_state)
    check_scalar(n_trials, "n_trials", kind=int, min_val=1)
    check_scalar(trial_duration, "trial_duration", min_val=0, include_min=False)
    check_scalar(cue_duration, "cue_duration", min_val=0, include_min=False)
    lat = _per_cue(latencies, "latencies", None, trial_duration, cue_duration)
    prob = _per_cue(probabilities, "probabilities", lat.size, 1.0, 0.0)
    new_lat, new_prob = lat, prob
    if switch_trial is not None:
        check_scalar(
            switch_trial, "switch_trial", kind=int, min_val=1, max_val=n_trials - 1
        )
        if new_latencies is not None:
            new_lat = _per_cue(
                new_latencies, "new_latencies", lat.size, trial_duration, cue_duration
            )
        if new_probabilities is not None:
            new_prob = _per_cue(
                new_probabilities, "new_probabilities", lat.size, 1.0, 0.0
            )
    elif new_latencies is not None or new_probabilities is not None:
        raise ValidationError(
            "new_latencies/new_probabilities need switch_trial (the first trial "
            "with the new statistics)."
        )
    cues = rng.integers(0, lat.size, n_trials)
    after = np.arange(n_trials) >= (n_trials if switch_trial is None else switch_trial)
    latency = np.where(after, new_lat[cues], lat[cues])
    probability = np.where(after, new_prob[cues], prob[cues])
    return PredictionTask(
        cues=cues,
        outcomes=rng.random(n_trials) < probability,
        latencies=latency,
        probabilities=probability,
        trial_duration=float(trial_duration),
        cue_duration=float(cue_duration),
        n_cues=int(lat.size),
        switch_trial=switch_trial,
    )


def _per_cue(
    values: Any, name: str, n: int | None, high: float, low: float
) -> np.ndarray:
    arr = check_array(values, name, ndim=1)
    if n is not None and arr.size != n:
        raise ValidationError(f"{name} has {arr.size} values; give one per cue ({n}).")
    if arr.min() < low or arr.max() > high:
        raise ValidationError(
            f"{name} must lie in [{low:g}, {high:g}], got [{arr.min():g}, "
            f"{arr.max():g}]."
        )
    return arr


def _trial_traces(task: PredictionTask, when: Any, bin_width: float) -> np.ndarray:
    check_scalar(bin_width, "bin_width", min_val=0, include_min=False)
    per_trial = int(round(task.trial_duration / bin_width))
    when = check_array(when, "when", ndim=1)
    if when.size != per_trial * task.n_trials:
        raise ValidationError(
            f"when has {when.size} samples; the task has {task.n_trials} trials of "
            f"{per_trial} bins ({per_trial * task.n_trials})."
        )
    return when.reshape(task.n_trials, per_trial)


def _peak(trace: np.ndarray, task: PredictionTask, bin_width: float) -> tuple:
    start = int(np.ceil(task.cue_duration / bin_width))
    k = int(np.argmax(trace[start:])) + start
    return k * bin_width, float(trace[k])


def encoding_metrics(
    task: PredictionTask, when: Any, bin_width: float, trials: Any = None
) -> dict[str, Any]:
    """How well a "when" readout encodes timing and probability.

    The readout is averaged over the selected trials of each cue; the peak of
    that average after the cue gives the predicted outcome time, its height
    the predicted strength.

    Parameters
    ----------
    task : PredictionTask
    when : array-like, shape (n_bins,)
        The readout, one value per ``bin_width`` over the whole task.
    bin_width : float
    trials : array-like of int, optional
        Trials to use (default: all); all must share one set of statistics.

    Returns
    -------
    dict
        ``timing_error_s`` (mean over cues of ``|peak time − latency|``),
        ``timing_correlation`` (peak time vs latency across cues, Pearson),
        ``probability_correlation`` (peak height vs probability across cues),
        ``peak_times``, ``peak_heights``, ``latencies``, ``probabilities``
        (one per cue present).

    Examples
    --------
    >>> task = make_prediction_task(60, [0.2, 0.3, 0.4], [0.3, 0.6, 1.0],
    ...                             random_state=0)
    >>> m = encoding_metrics(task, task.targets(0.01)["when"], 0.01)
    >>> round(m["timing_error_s"], 3), m["probability_correlation"] > 0.9
    (0.0, True)
    """
    traces = _trial_traces(task, when, bin_width)
    sel = np.arange(task.n_trials) if trials is None else np.asarray(trials, int)
    times, heights, lat, prob = [], [], [], []
    for cue in np.unique(task.cues[sel]):
        rows = sel[task.cues[sel] == cue]
        t, h = _peak(traces[rows].mean(axis=0), task, bin_width)
        times.append(t)
        heights.append(h)
        lat.append(task.latencies[rows].mean())
        prob.append(task.probabilities[rows].mean())
    times, heights = np.array(times), np.array(heights)
    lat, prob = np.array(lat), np.array(prob)

    def corr(a: np.ndarray, b: np.ndarray) -> float:
        ok = a.size > 2 and a.std() > 0 and b.std() > 0
        return float(np.corrcoef(a, b)[0, 1]) if ok else float("nan")

    return {
        "timing_error_s": float(np.mean(np.abs(times - lat))),
        "timing_correlation": corr(times, lat),
        "probability_correlation": corr(heights, prob),
        "peak_times": times,
        "peak_heights": heights,
        "latencies": lat,
        "probabilities": prob,
    }


def adaptation_trials(
    task: PredictionTask,
    when: Any,
    bin_width: float,
    *,
    cue: int,
    tolerance: float = 0.03,
    window: int = 5,
) -> float:
    """Trials of ``cue`` after the switch until its predicted timing is right.

    Slides a window of ``window`` consecutive post-switch trials of ``cue``;
    returns the index of the first window whose average readout peaks within
    ``tolerance`` s of the new latency (0 = immediately), ``inf`` if none does.

    Examples
    --------
    >>> task = make_prediction_task(60, [0.2], [1.0], switch_trial=30,
    ...                             new_latencies=[0.4], random_state=0)
    >>> adaptation_trials(task, task.targets(0.01)["when"], 0.01, cue=0)
    0.0
    """
    if task.switch_trial is None:
        raise ValidationError("The task has no switch; build it with switch_trial.")
    traces = _trial_traces(task, when, bin_width)
    sel = np.flatnonzero(
        (np.arange(task.n_trials) >= task.switch_trial) & (task.cues == cue)
    )
    if sel.size < window:
        raise ValidationError(
            f"Only {sel.size} trials of cue {cue} after the switch; need at least "
            f"window={window}."
        )
    for k in range(sel.size - window + 1):
        rows = sel[k : k + window]
        t, _ = _peak(traces[rows].mean(axis=0), task, bin_width)
        if abs(t - task.latencies[rows[0]]) <= tolerance:
            return float(k)
    return float("inf")
