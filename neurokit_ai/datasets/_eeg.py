"""Simulated scalp EEG: 1/f background, posterior alpha, face/house evoked responses."""

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

__all__ = ["simulate_eeg", "EEG_CHANNELS"]

#: The 32-channel 10-20 layout used first; more channels come from the 10-10 system.
EEG_CHANNELS = (
    "Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "FC5", "FC1", "FC2", "FC6", "T7",
    "C3", "Cz", "C4", "T8", "TP9", "CP5", "CP1", "CP2", "CP6", "TP10", "P7", "P3",
    "Pz", "P4", "P8", "PO9", "O1", "Oz", "O2", "PO10",
)  # fmt: skip
# Old aliases and reference electrodes of the standard montage, never simulated.
_SKIPPED = {"T3", "T4", "T5", "T6", "M1", "M2", "A1", "A2"}
LINE_FREQ = 50.0

# Evoked components: (latency s, width s, topography, {condition: amplitude µV}).
_COMPONENTS = (
    (0.10, 0.020, "occipital", {"face": 4.0, "house": 4.0}),
    (0.17, 0.025, "occipitotemporal", {"face": -14.0, "house": -4.0}),
    (0.25, 0.040, "parietal", {"face": 2.0, "house": 8.0}),
)


def _head_montage() -> Any:
    """The standard 10-20 template montage, in MNE's head frame."""
    import mne

    name = (
        "colin27_1020"
        if "colin27_1020" in mne.channels.get_builtin_montages()
        else "standard_1020"
    )
    return mne.channels.transform_to_head(mne.channels.make_standard_montage(name))


def _channel_names(all_names: list[str], n_channels: int) -> list[str]:
    extra = [n for n in all_names if n not in EEG_CHANNELS and n not in _SKIPPED]
    names = list(EEG_CHANNELS) + extra
    if n_channels > len(names):
        raise ValidationError(
            f"n_channels={n_channels} exceeds the {len(names)} positions of the "
            f"10-20/10-10 template; use at most {len(names)}."
        )
    return names[:n_channels]


def _topographies(pos: np.ndarray) -> dict[str, np.ndarray]:
    """Spatial weights (0..1) of the alpha source and evoked components."""
    x, y = pos[:, 0], pos[:, 1]
    return {
        "occipital": 1.0 / (1.0 + np.exp((y + 0.05) / 0.01)),
        "occipitotemporal": np.exp(-((np.abs(x) - 0.06) ** 2 + (y + 0.06) ** 2) / 8e-4),
        "parietal": np.exp(-(x**2 + (y + 0.05) ** 2) / 1.8e-3),
    }


def _event_schedule(
    rng: np.random.Generator, n_events: int, duration: float
) -> tuple[np.ndarray, list[str]]:
    spacing = (duration - 4.0) / n_events
    if spacing < 0.8:
        raise ValidationError(
            f"n_events={n_events} do not fit in duration={duration} s (events need "
            f"0.8 s each plus 4 s margin); use duration >= {0.8 * n_events + 4:g} s "
            "or fewer events."
        )
    onsets = 2.0 + spacing * (np.arange(n_events) + 0.5)
    onsets += rng.uniform(-0.2, 0.2, n_events) * spacing
    labels = ["face", "house"] * (n_events // 2) + ["face"] * (n_events % 2)
    return onsets, [labels[i] for i in rng.permutation(n_events)]


def simulate_eeg(
    n_channels: int = 32,
    duration: float = 60.0,
    sfreq: float = 256.0,
    alpha_freq: float = 10.0,
    n_events: int = 40,
    random_state: Any = 0,
) -> Recording:
    """Simulate scalp EEG with an alpha rhythm and face/house evoked responses.

    The signal (volts) is the sum of

    * per-channel pink (1/f) noise plus a weaker pink component shared by all
      channels (8 µV std in all);
    * an alpha rhythm (``alpha_freq`` ± 1 Hz band-limited noise, 15 µV std at
      the back of the head) weighted by a posterior topography;
    * an evoked response after each event: P1 (100 ms, occipital, equal in
      both conditions), N170 (170 ms, occipito-temporal, −14 µV for faces,
      −4 µV for houses) and P2 (250 ms, parietal, +2 µV faces, +8 µV houses),
      each scaled per trial by 1 + 0.2·N(0, 1);
    * a 0.5 µV line-noise sine at 50 Hz when below Nyquist.

    Channel names and positions (head frame, metres) come from MNE's 10-20
    template (``colin27_1020``, formerly ``standard_1020``). Events are
    annotated ``"face"``/``"house"`` (balanced, random order, 0.5 s long).
    ``channel_info["alpha_weight"]`` holds the planted alpha topography.

    Parameters
    ----------
    n_channels : int
        Number of channels (the 32 classic 10-20 sites first), at most 86.
    duration : float
        Seconds.
    sfreq : float
        Sampling rate in Hz (at least 100).
    alpha_freq : float
        Alpha peak frequency in Hz (between 4 and 20).
    n_events : int
        Number of stimulus events (at least 2).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    Recording
        ``(n_channels, round(duration * sfreq))`` EEG in volts.

    Examples
    --------
    >>> rec = simulate_eeg(n_channels=8, duration=10.0, n_events=6)
    >>> rec.shape, sorted(set(rec.annotations.description))
    ((8, 2560), ['face', 'house'])
    """
    n_channels = check_count(n_channels, "n_channels")
    check_scalar(duration, "duration", min_val=5.0)
    sfreq = check_sfreq(sfreq)
    if sfreq < 100.0:
        raise ValidationError(f"sfreq={sfreq} Hz is too low; use at least 100 Hz.")
    check_scalar(alpha_freq, "alpha_freq", min_val=4.0, max_val=20.0)
    n_events = check_count(n_events, "n_events", min_val=2)
    rng = check_random_state(random_state)

    head = _head_montage()
    positions = head.get_positions()
    names = _channel_names(head.ch_names, n_channels)
    pos = np.array([positions["ch_pos"][n] for n in names])
    topo = _topographies(pos)
    n_times = int(round(duration * sfreq))
    times = np.arange(n_times) / sfreq

    background = 0.8 * pink_noise(rng, n_channels, n_times)
    background += 0.6 * pink_noise(rng, 1, n_times)
    alpha = band_noise(rng, 1, n_times, sfreq, alpha_freq - 1.0, alpha_freq + 1.0)
    alpha_weight = 0.1 + 0.9 * topo["occipital"]
    data_uv = 8.0 * background + 15.0 * alpha_weight[:, None] * alpha
    if LINE_FREQ < sfreq / 2.0:
        data_uv += 0.5 * np.sin(2 * np.pi * LINE_FREQ * times + rng.uniform(0, 6.28))

    onsets, labels = _event_schedule(rng, n_events, duration)
    erp_t = np.arange(int(round(0.6 * sfreq))) / sfreq
    for onset, label in zip(onsets, labels):
        start = int(round(onset * sfreq))
        for latency, width, where, amps in _COMPONENTS:
            wave = np.exp(-0.5 * ((erp_t - latency) / width) ** 2)
            gain = amps[label] * (1.0 + 0.2 * rng.standard_normal())
            data_uv[:, start : start + erp_t.size] += gain * np.outer(topo[where], wave)

    montage = Montage(
        {n: p for n, p in zip(names, pos)},
        coord_frame="head",
        nasion=positions["nasion"],
        lpa=positions["lpa"],
        rpa=positions["rpa"],
    )
    metadata = simulation_metadata(
        "simulate_eeg",
        random_state,
        n_channels=n_channels,
        duration=float(duration),
        sfreq=sfreq,
        alpha_freq=float(alpha_freq),
        n_events=n_events,
    )
    metadata["line_freq"] = LINE_FREQ
    return Recording(
        data_uv * 1e-6,
        sfreq,
        names,
        "eeg",
        annotations=Annotations(onsets, 0.5, labels),
        montage=montage,
        modality="eeg",
        source="simulated:eeg",
        subject="sim01",
        channel_info={"alpha_weight": alpha_weight},
        metadata=metadata,
    )
