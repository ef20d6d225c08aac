"""Simulated sEEG: depth shafts in MNI space, high-gamma responses to words."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    Annotations,
    Montage,
    Recording,
    ValidationError,
    check_random_state,
    check_scalar,
    check_sfreq,
)
from ._common import band_noise, check_count, pink_noise, simulation_metadata

__all__ = ["simulate_seeg", "SPEECH_REGIONS"]

#: Destrieux/aseg labels whose contacts carry the planted high-gamma responses
#: (superior temporal gyrus and ventral sensorimotor cortex).
SPEECH_REGIONS = (
    "ctx_lh_G_temp_sup-Lateral",
    "ctx_lh_G_temp_sup-Plan_tempo",
    "ctx_lh_G_precentral",
    "ctx_lh_S_central",
)
_WM = "Left-Cerebral-White-Matter"
# (letter, deep target, lateral entry (MNI, m), [(depth fraction, region), ...]).
_SHAFTS = (
    ("A", (-0.040, -0.020, 0.005), (-0.068, -0.018, 0.006),
     [(0.25, _WM), (0.5, "ctx_lh_G_temp_sup-Plan_tempo"),
      (1.0, "ctx_lh_G_temp_sup-Lateral")]),
    ("B", (-0.035, -0.010, 0.030), (-0.062, -0.008, 0.034),
     [(0.3, _WM), (0.6, "ctx_lh_S_central"), (1.0, "ctx_lh_G_precentral")]),
    ("C", (-0.028, -0.022, -0.012), (-0.066, -0.025, -0.015),
     [(0.3, "Left-Hippocampus"), (0.6, _WM), (1.0, "ctx_lh_G_temporal_middle")]),
    ("D", (-0.025, 0.030, 0.035), (-0.050, 0.035, 0.040),
     [(0.4, _WM), (1.0, "ctx_lh_G_front_middle")]),
    ("E", (-0.030, -0.055, 0.045), (-0.050, -0.060, 0.055),
     [(0.4, _WM), (1.0, "ctx_lh_G_parietal_sup")]),
    ("F", (-0.020, -0.080, 0.005), (-0.045, -0.085, 0.008),
     [(0.4, _WM), (1.0, "ctx_lh_G_occipital_middle")]),
    ("G", (-0.034, 0.010, 0.002), (-0.060, 0.012, 0.004),
     [(0.5, "ctx_lh_G_insular_short"), (1.0, "ctx_lh_G_front_inf-Opercular")]),
    ("H", (-0.008, 0.030, 0.025), (-0.040, 0.032, 0.030),
     [(0.4, "ctx_lh_G_and_S_cingul-Ant"), (1.0, _WM)]),
)  # fmt: skip
N_WORDS = 8
HIGH_GAMMA = (70.0, 150.0)
LINE_FREQ = 50.0


def _contacts(n_shafts: int, per_shaft: int) -> tuple[list[str], np.ndarray, list[str]]:
    """Names ("A'1" deepest), MNI positions (m) and regions of every contact."""
    names, positions, regions = [], [], []
    for letter, target, entry, segments in _SHAFTS[:n_shafts]:
        depth = np.linspace(0.0, 1.0, per_shaft)
        pts = np.asarray(target) + depth[:, None] * np.subtract(entry, target)
        for k, (frac, point) in enumerate(zip(depth, pts)):
            names.append(f"{letter}'{k + 1}")
            positions.append(point)
            regions.append(next(r for bound, r in segments if frac <= bound + 1e-9))
    return names, np.array(positions), regions


def _word_schedule(
    rng: np.random.Generator, duration: float
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    n_words = int((duration - 2.0) // 2.2)
    onsets = 1.0 + 2.2 * np.arange(n_words) + rng.uniform(0.0, 0.4, n_words)
    durations = rng.uniform(0.4, 0.7, n_words)
    words = [int(w) for w in rng.integers(0, N_WORDS, n_words)]
    return onsets, durations, words


def simulate_seeg(
    n_shafts: int = 4,
    contacts_per_shaft: int = 8,
    duration: float = 60.0,
    sfreq: float = 1000.0,
    random_state: Any = 0,
) -> Recording:
    """Simulate sEEG during word listening/production with high-gamma responses.

    Shafts ``A'``, ``B'``, ... (left hemisphere, primes as in the Talairach
    convention) run straight from a deep target to a lateral entry point in
    MNI space; contacts ``A'1`` (deepest) to ``A'n`` are evenly spaced on them.
    Shaft A' crosses the superior temporal gyrus (STG), B' the ventral
    sensorimotor cortex (vSMC), C' hippocampus and middle temporal gyrus, D'
    middle frontal gyrus, and further shafts parietal, occipital, insular and
    cingulate cortex. ``channel_info["region"]`` holds the Destrieux-like
    label of each contact (``"n/a"`` for the auxiliary channels).

    The signal is pink noise (30 µV std, half shared along each shaft), a
    3 µV 50 Hz line-noise sine, and, on contacts in :data:`SPEECH_REGIONS`,
    70–150 Hz noise whose amplitude follows a Hann envelope over each word
    (from 50 ms after onset to its end) with a gain specific to the contact and
    the word. Words are annotated ``"word_<k>"`` (k < 8, one every ~2.2 s,
    0.4–0.7 s long). Two auxiliary channels are added: ``"ECG"`` (ecg, ~1 mV
    QRS-like pulses at ~70 bpm) and ``"AUDIO"`` (misc, the word envelope).

    Parameters
    ----------
    n_shafts : int
        Number of shafts, 1 to 8.
    contacts_per_shaft : int
        Contacts per shaft, 2 to 16.
    duration : float
        Seconds (at least 5).
    sfreq : float
        Sampling rate in Hz (at least 400, to hold high gamma).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    Recording
        ``seeg`` contacts then ``ECG`` and ``AUDIO``, in volts (AUDIO in a.u.),
        with an MNI (``mni_tal``) montage in metres.

    Examples
    --------
    >>> rec = simulate_seeg(n_shafts=2, contacts_per_shaft=4, duration=10.0)
    >>> rec.ch_names[:4], rec.ch_types[-2:]
    (["A'1", "A'2", "A'3", "A'4"], ['ecg', 'misc'])
    """
    n_shafts = check_count(n_shafts, "n_shafts", max_val=len(_SHAFTS))
    per_shaft = check_count(contacts_per_shaft, "contacts_per_shaft", 2, 16)
    check_scalar(duration, "duration", min_val=5.0)
    sfreq = check_sfreq(sfreq)
    if sfreq < 400.0:
        raise ValidationError(
            f"sfreq={sfreq} Hz cannot hold high gamma (70–150 Hz); use >= 400 Hz."
        )
    rng = check_random_state(random_state)
    names, positions, regions = _contacts(n_shafts, per_shaft)
    n_contacts = len(names)
    n_times = int(round(duration * sfreq))
    times = np.arange(n_times) / sfreq

    shaft_of = np.repeat(np.arange(n_shafts), per_shaft)
    shared = pink_noise(rng, n_shafts, n_times)[shaft_of]
    data_uv = 30.0 * (0.7 * pink_noise(rng, n_contacts, n_times) + 0.7 * shared)
    data_uv += 3.0 * np.sin(2 * np.pi * LINE_FREQ * times + rng.uniform(0, 6.28))

    onsets, durations, words = _word_schedule(rng, duration)
    responsive = np.flatnonzero(np.isin(regions, SPEECH_REGIONS))
    gains = rng.uniform(0.5, 1.5, (responsive.size, N_WORDS))
    envelope = np.zeros((responsive.size, n_times))
    audio = np.zeros(n_times)
    for onset, length, word in zip(onsets, durations, words):
        start = int(round((onset + 0.05) * sfreq))
        hann = np.hanning(int(round((length - 0.05) * sfreq)))
        stop = min(start + hann.size, n_times)
        envelope[:, start:stop] += np.outer(gains[:, word], hann[: stop - start])
        audio[start:stop] += hann[: stop - start]
    hg = band_noise(rng, responsive.size, n_times, sfreq, *HIGH_GAMMA)
    data_uv[responsive] += 20.0 * envelope * hg

    beats = np.cumsum(rng.uniform(0.8, 0.92, int(duration / 0.8) + 2))
    ecg = np.zeros(n_times)
    for beat in beats[beats < duration]:
        ecg += 1e-3 * np.exp(-0.5 * ((times - beat) / 0.012) ** 2)
    audio += 0.01 * rng.standard_normal(n_times)

    data = np.vstack([data_uv * 1e-6, ecg[None], audio[None]])
    metadata = simulation_metadata(
        "simulate_seeg",
        random_state,
        n_shafts=n_shafts,
        contacts_per_shaft=per_shaft,
        duration=float(duration),
        sfreq=sfreq,
    )
    metadata.update({"line_freq": LINE_FREQ, "responsive_regions": SPEECH_REGIONS})
    return Recording(
        data,
        sfreq,
        names + ["ECG", "AUDIO"],
        ["seeg"] * n_contacts + ["ecg", "misc"],
        units=["V"] * (n_contacts + 1) + ["a.u."],
        annotations=Annotations(onsets, durations, [f"word_{w}" for w in words]),
        montage=Montage(
            dict(zip(names, positions)),
            coord_frame="mni_tal",
            space="MNI152NLin2009aSym",
        ),
        modality="ieeg",
        source="simulated:seeg",
        subject="sim01",
        channel_info={"region": np.array(regions + ["n/a", "n/a"])},
        metadata=metadata,
    )
