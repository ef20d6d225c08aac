"""Simulated word-reading sessions on real (or any) sEEG background.

There is no public speech sEEG set small enough to ship, so the Du-IN module
is exercised on a documented simulation: trials of background sEEG, cut at
random times from a real recording, into which word-specific high-gamma
(70–150 Hz) amplitude trajectories are planted on the contacts of chosen
speech regions. Contacts outside those regions (white matter, "Unknown",
other cortex) carry the background only and serve as controls.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    Recording,
    ValidationError,
    check_option,
    check_random_state,
    check_scalar,
)
from ._common import band_noise, check_count

__all__ = ["WordReadingSessions", "simulate_word_reading", "DIFFICULTIES"]

#: Difficulty level -> (SNR, latency jitter in s, session gain drift).
#: SNR is the peak amplitude of the planted high-gamma signal over the RMS of
#: the contact's own 70–150 Hz background.
DIFFICULTIES = {
    "easy": (3.0, 0.02, 0.1),
    "medium": (2.0, 0.04, 0.15),
    "hard": (1.2, 0.06, 0.2),
}
#: Regions looked up (in :data:`neurokit_ai.speech.REGION_LABELS`) for the
#: planted signal: Du-IN's vSMC and STG, and the frontal speech-motor contacts
#: (pars opercularis, precentral, rostral middle frontal) that the sample
#: patient has instead of temporal ones.
DEFAULT_REGIONS = (
    "vSMC",
    "STG",
    "pars_opercularis",
    "precentral",
    "rostral_middle_frontal",
)
_CONTROL_REGIONS = ("white_matter", "unknown")
HIGH_GAMMA = (70.0, 150.0)


@dataclass
class WordReadingSessions:
    """Trials of a simulated word-reading experiment, with the planted truth.

    Attributes
    ----------
    X : ndarray, shape (n_trials, n_channels, n_times)
        Trials in volts (float32), from ``tmin`` to ``tmax`` around word onset.
    y : ndarray of int, shape (n_trials,)
        Word index of each trial (into ``words``).
    session : ndarray of int, shape (n_trials,)
        Session of each trial.
    words : list of str
        The vocabulary.
    sfreq, tmin : float
        Sampling rate (Hz) and start of the trial window relative to onset (s).
    ch_names, labels : list of str
        Contacts and their atlas labels.
    target : ndarray of bool, shape (n_channels,)
        True on contacts carrying the planted signal (the speech regions).
    templates : ndarray, shape (n_words, n_target, n_times)
        Planted high-gamma amplitude trajectory of every word on every target
        contact (peak 1, before scaling by SNR).
    metadata : dict
        Simulation parameters and the background's source.
    """

    X: np.ndarray
    y: np.ndarray
    session: np.ndarray
    words: list[str]
    sfreq: float
    tmin: float
    ch_names: list[str]
    labels: list[str]
    target: np.ndarray
    templates: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def target_names(self) -> list[str]:
        """Names of the contacts carrying the planted signal."""
        return [n for n, t in zip(self.ch_names, self.target) if t]

    def pick(self, names: list[str]) -> WordReadingSessions:
        """The same trials restricted to the contacts ``names`` (in that order)."""
        missing = [n for n in names if n not in self.ch_names]
        if missing or not names:
            raise ValidationError(
                f"names {missing or names} are not contacts of this simulation; "
                f"they are {self.ch_names}."
            )
        idx = [self.ch_names.index(n) for n in names]
        keep = np.flatnonzero(self.target)
        sub = [int(np.flatnonzero(keep == i)[0]) for i in idx if self.target[i]]
        return WordReadingSessions(
            self.X[:, idx],
            self.y,
            self.session,
            self.words,
            self.sfreq,
            self.tmin,
            [self.ch_names[i] for i in idx],
            [self.labels[i] for i in idx],
            self.target[idx],
            self.templates[:, sub],
            dict(self.metadata),
        )


def _background_from_path(path: Path) -> Recording:
    from ..io import apply_electrodes_tsv, find_electrodes_tsv, read_recording

    rec = read_recording(path)
    for table in find_electrodes_tsv(path):
        header = table.read_text().splitlines()[0].lower().split("\t")
        if any(c in header for c in ("destriuex", "destrieux", "desikan-killiany")):
            return apply_electrodes_tsv(rec, table, on_missing="ignore")
    raise ValidationError(
        f"No electrodes table with atlas labels for {str(path)!r}: looked for BIDS "
        "sub-<label>[_ses-<label>][_acq-<label>][_space-<label>]_electrodes.tsv "
        "matching its name, in its folder and up to sub-<label>/, and for "
        f"{path.name.split('.')[0]}_electrodes*.tsv beside it, with a "
        "'desikan-killiany' or 'destrieux' column; pass a Recording whose "
        "channel_info holds the labels."
    )


def _labels(rec: Recording) -> dict[str, str]:
    from ..io._atlas_regions import read_contact_labels

    if "region" in rec.channel_info and not any(
        c in rec.channel_info for c in ("desikan-killiany", "destrieux", "destriuex")
    ):
        return {
            n: str(v)
            for n, v in zip(rec.ch_names, rec.channel_info["region"])
            if str(v) not in ("", "n/a")
        }
    return read_contact_labels(rec)[0]


def _envelopes(
    rng: np.random.Generator, n_words: int, n_target: int, n_bumps: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latencies (s), widths (s) and gains of each word's bumps on each contact."""
    lat = rng.uniform(0.05, 0.55, (n_words, n_bumps))
    width = rng.uniform(0.03, 0.08, (n_words, n_bumps))
    gain = rng.uniform(0.0, 1.0, (n_words, n_target, n_bumps))
    gain *= rng.random((n_words, n_target, 1)) < 0.8
    return lat, width, gain


def _trajectory(
    t: np.ndarray, lat: np.ndarray, width: np.ndarray, gain: np.ndarray
) -> np.ndarray:
    """Sum of Gaussian bumps: ``(n_target, n_times)`` for one word (peak <= 1)."""
    bumps = np.exp(-0.5 * ((t[None] - lat[:, None]) / width[:, None]) ** 2)
    env = gain @ bumps
    return env / max(env.max(), 1e-12)


def simulate_word_reading(
    background: Any = None,
    *,
    n_words: int = 61,
    n_sessions: int = 3,
    trials_per_word: int = 4,
    difficulty: str = "medium",
    snr: float | None = None,
    jitter: float | None = None,
    regions: Any = DEFAULT_REGIONS,
    n_controls: int = 4,
    tmin: float = -0.2,
    tmax: float = 0.8,
    random_state: Any = 0,
) -> WordReadingSessions:
    """Simulate word-reading sessions with word-specific high-gamma trajectories.

    Every trial is a window of real background sEEG, cut at a random time of
    ``background`` (all contacts at the same time, so spatial correlations are
    real), into which a high-gamma (70–150 Hz band-limited noise) carrier is
    added on every target contact, modulated by the word's amplitude
    trajectory. A word's trajectory on a contact is a sum of three Gaussian
    bumps (latency 50–550 ms after onset, width 30–80 ms) with contact- and
    word-specific gains (20% of word/contact pairs silent), normalised to
    peak 1 per word and scaled so that its peak is ``snr`` times the RMS of that
    contact's own 70–150 Hz background. Per trial, the latency is shifted by a
    uniform jitter in ``±jitter`` s and the amplitude varies by 20% (log-normal);
    per session, every contact's gain drifts (log-normal, the difficulty's
    ``drift``). Words are drawn ``trials_per_word`` times per session, in a
    random order.

    Target contacts are those whose atlas label lies in ``regions`` (see
    :func:`neurokit_ai.speech.select_region_contacts`); ``n_controls`` extra
    contacts from white matter or unlabelled ("Unknown") locations are kept
    as controls. On the shared sample patient (``sample_seeg.edf``; labelled
    contacts mostly frontal: Desikan–Killiany superior frontal 16, rostral
    middle frontal 7, pars opercularis 2, precentral 1, no superior temporal)
    the default regions give the frontal speech-motor contacts (pars
    opercularis, precentral, rostral middle frontal), not Du-IN's vSMC/STG.

    Parameters
    ----------
    background : Recording, path or None
        Background sEEG: a :class:`~neurokit_ai.core.Recording` whose
        ``channel_info`` holds atlas labels (``desikan-killiany``,
        ``destrieux``/``destriuex`` or ``region``); a path to a recording with
        an electrodes table that applies to it (BIDS inheritance, see
        :func:`neurokit_ai.io.find_electrodes_tsv`); or None for a synthetic
        background (:func:`simulate_seeg`, 8 shafts; its own word responses
        then act as unrelated background activity).
    n_words : int
        Vocabulary size (61 as in Du-IN).
    n_sessions, trials_per_word : int
        Sessions, and repetitions of each word per session.
    difficulty : {"easy", "medium", "hard"}
        Sets SNR, jitter and session drift (:data:`DIFFICULTIES`).
    snr, jitter : float, optional
        Override the difficulty's SNR and jitter (s).
    regions : str or sequence of str
        Regions (or raw atlas labels) receiving the planted signal.
    n_controls : int
        Number of white-matter/unknown control contacts kept (0 for none).
    tmin, tmax : float
        Trial window around word onset (s).
    random_state : None, int or Generator
        Seed.

    Returns
    -------
    WordReadingSessions

    Examples
    --------
    >>> sim = simulate_word_reading(n_words=4, n_sessions=2, trials_per_word=2,
    ...                             n_controls=1, tmin=0.0, tmax=0.5)
    >>> sim.X.shape[0], sim.X.shape[2], sorted(set(sim.y.tolist()))
    (16, 500, [0, 1, 2, 3])
    """
    from ..io._atlas_regions import REGION_LABELS, select_region_contacts

    rng = check_random_state(random_state)
    n_words = check_count(n_words, "n_words", 2)
    n_sessions = check_count(n_sessions, "n_sessions", 1)
    trials_per_word = check_count(trials_per_word, "trials_per_word", 1)
    n_controls = check_count(n_controls, "n_controls", 0)
    check_option(difficulty, "difficulty", list(DIFFICULTIES))
    base_snr, base_jitter, drift = DIFFICULTIES[difficulty]
    snr = base_snr if snr is None else check_scalar(snr, "snr", min_val=0)
    jitter = (
        base_jitter if jitter is None else check_scalar(jitter, "jitter", min_val=0)
    )
    check_scalar(tmin, "tmin")
    check_scalar(tmax, "tmax")
    if tmax - tmin < 0.1 or tmin > 0.05 or tmax < 0.3:
        raise ValidationError(
            f"The trial window (tmin, tmax)=({tmin}, {tmax}) s must contain the "
            "word responses (50–550 ms after onset): use tmin <= 0.05 and "
            "tmax >= 0.3 (e.g. -0.2, 0.8)."
        )
    if background is None:
        from ._seeg import simulate_seeg

        background = simulate_seeg(n_shafts=8, contacts_per_shaft=8, duration=30.0)
    elif isinstance(background, (str, os.PathLike)):
        from ..core import check_path

        background = _background_from_path(check_path(background, "background"))
    if not isinstance(background, Recording):
        raise ValidationError(
            "background must be a Recording, a path to a recording or None, got "
            f"{type(background).__name__}."
        )
    sfreq = background.sfreq
    if sfreq <= 2 * HIGH_GAMMA[1]:
        raise ValidationError(
            f"The background is sampled at {sfreq} Hz, too low for the planted "
            f"high-gamma band {HIGH_GAMMA} Hz; use a recording sampled above "
            f"{2 * HIGH_GAMMA[1]:g} Hz (1000 Hz is typical for sEEG)."
        )
    labels = _labels(background)
    targets = select_region_contacts(labels, regions)
    controls = []
    if n_controls:
        try:
            pool = select_region_contacts(labels, list(_CONTROL_REGIONS))
        except ValidationError:
            pool = []
        pool = [c for c in pool if c not in targets]
        if pool:
            pick = rng.choice(len(pool), min(n_controls, len(pool)), replace=False)
            controls = [pool[i] for i in sorted(pick)]
    names = targets + controls
    data = background.get_data(picks=names).astype(np.float64)

    n_times = int(round((tmax - tmin) * sfreq))
    if data.shape[1] < n_times + 1:
        raise ValidationError(
            f"The background lasts {background.duration:.2f} s, shorter than one "
            f"trial ({tmax - tmin} s); use a longer recording."
        )
    from scipy.signal import butter, sosfiltfilt

    sos = butter(4, HIGH_GAMMA, btype="bandpass", fs=sfreq, output="sos")
    hg_rms = np.sqrt(np.mean(sosfiltfilt(sos, data[: len(targets)]) ** 2, axis=1))
    t = tmin + np.arange(n_times) / sfreq
    lat, width, gain = _envelopes(rng, n_words, len(targets), 3)
    templates = np.stack(
        [_trajectory(t, lat[w], width[w], gain[w]) for w in range(n_words)]
    )
    X, y, sessions = [], [], []
    for s in range(n_sessions):
        session_gain = rng.lognormal(0.0, drift, len(targets))
        order = rng.permutation(np.repeat(np.arange(n_words), trials_per_word))
        starts = rng.integers(0, data.shape[1] - n_times, order.size)
        carrier = band_noise(
            rng, order.size * len(targets), n_times, sfreq, *HIGH_GAMMA
        )
        carrier /= carrier.std(axis=1, keepdims=True)
        carrier = carrier.reshape(order.size, len(targets), n_times)
        shifts = rng.uniform(-jitter, jitter, order.size)
        amps = rng.lognormal(0.0, 0.2, order.size)
        for k, (word, start) in enumerate(zip(order, starts)):
            trial = data[:, start : start + n_times].copy()
            env = _trajectory(t - shifts[k], lat[word], width[word], gain[word])
            scale = snr * hg_rms * session_gain * amps[k]
            trial[: len(targets)] += scale[:, None] * env * carrier[k]
            X.append(trial.astype(np.float32))
        y.append(order)
        sessions.append(np.full(order.size, s))
    all_labels = [labels.get(n, "n/a") for n in names]
    metadata = {
        "generator": "simulate_word_reading",
        "random_state": random_state if isinstance(random_state, int) else None,
        "background": background.source,
        "difficulty": difficulty,
        "snr": float(snr),
        "jitter": float(jitter),
        "session_drift": drift,
        "regions": [regions] if isinstance(regions, str) else list(regions),
        "known_regions": sorted(REGION_LABELS),
        "band": HIGH_GAMMA,
    }
    return WordReadingSessions(
        X=np.stack(X),
        y=np.concatenate(y),
        session=np.concatenate(sessions),
        words=[f"word_{w:02d}" for w in range(n_words)],
        sfreq=sfreq,
        tmin=float(tmin),
        ch_names=names,
        labels=all_labels,
        target=np.array([True] * len(targets) + [False] * len(controls)),
        templates=templates,
        metadata=metadata,
    )
