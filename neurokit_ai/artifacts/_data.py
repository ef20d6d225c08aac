"""EEGdenoiseNet-style benchmark data: clean real-EEG segments, EMG, mixtures."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    FileFormatError,
    Recording,
    ValidationError,
    check_path,
    check_random_state,
    check_scalar,
)
from ._constants import EEG_BAND, MODEL_SFREQ, SEGMENT_SAMPLES, SNR_LEVELS_DB
from ._mixing import mix_at_snr
from ._signal import band_power, bandpass, cut_segments, resample_array

__all__ = [
    "clean_eeg_segments",
    "BenchmarkSplit",
    "make_benchmark",
    "BENCHMARK_RECORDINGS",
    "load_benchmark_segments",
    "read_eegdenoisenet",
]

#: Real recordings under ``recordings/eeg`` of the shared data and their split.
#: One recording per split, so no segment of a test recording is ever seen in
#: training (EEGdenoiseNet splits by segment; we split by recording).
BENCHMARK_RECORDINGS = {
    "train": "eeg/eeglab/test_raw.set",
    "val": "eeg/edf/test.edf",
    "test": "eeg/edf/test_edf_overlapping_annotations.edf",
}

#: Selection thresholds of :func:`clean_eeg_segments`.
MAX_HIGH_FRACTION = 0.15
MAX_LOG_RMS_Z = 2.5


def clean_eeg_segments(
    rec: Recording,
    picks: Any = "eeg",
    *,
    max_high_fraction: float = MAX_HIGH_FRACTION,
    max_log_rms_z: float = MAX_LOG_RMS_Z,
) -> np.ndarray:
    """Cut a recording into clean single-channel 2-s EEG segments at 256 Hz.

    The selection is deterministic (no randomness) and reproducible:

    1. the picked channels (bad channels excluded) are resampled to 256 Hz and
       band-passed to 1-45 Hz (4th-order zero-phase Butterworth);
    2. each channel is cut into non-overlapping 512-sample segments from the
       first sample;
    3. a segment is kept when (a) its 20-45 Hz power is at most
       ``max_high_fraction`` of its 1-45 Hz power (Welch, 1-s windows) — a
       muscle-contamination index, since clean EEG falls off as 1/f — and
       (b) its log RMS is within ``max_log_rms_z`` robust z-scores (median,
       1.4826 x MAD over all the recording's segments) of the median, which
       drops flat stretches, electrode pops and movement.

    Parameters
    ----------
    rec : Recording
        EEG recording, any sampling rate of at least 90 Hz.
    picks : str or list
        Channels.
    max_high_fraction, max_log_rms_z : float
        Thresholds of rules (a) and (b).

    Returns
    -------
    ndarray, shape (n_segments, 512)
        Segments in the recording's units (volts for EEG).

    Examples
    --------
    >>> from neurokit_ai.datasets import load_sample
    >>> clean_eeg_segments(load_sample("eeg")).shape[1]
    512
    """
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}."
        )
    check_scalar(max_high_fraction, "max_high_fraction", min_val=0, max_val=1)
    check_scalar(max_log_rms_z, "max_log_rms_z", min_val=0, include_min=False)
    if rec.sfreq < 2 * EEG_BAND[1]:
        raise ValidationError(
            f"rec.sfreq={rec.sfreq:g} Hz is below twice the EEG band's upper edge "
            f"({EEG_BAND[1]:g} Hz); use a recording sampled at >= "
            f"{2 * EEG_BAND[1]:g} Hz."
        )
    names = [
        n
        for n in np.asarray(rec.ch_names)[rec._pick_indices(picks)].tolist()
        if n not in rec.bads
    ]
    data = resample_array(rec.get_data(names).astype(float), rec.sfreq, MODEL_SFREQ)
    data = bandpass(data, MODEL_SFREQ, *EEG_BAND)
    segs = cut_segments(data, SEGMENT_SAMPLES).reshape(-1, SEGMENT_SAMPLES)
    if segs.shape[0] == 0:
        return segs
    total = band_power(segs, MODEL_SFREQ, *EEG_BAND)
    high = band_power(segs, MODEL_SFREQ, 20.0, EEG_BAND[1])
    rms = np.sqrt(np.mean(segs**2, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rms = np.log(rms)
        frac = high / total
    finite = np.isfinite(log_rms)
    med = np.median(log_rms[finite]) if finite.any() else 0.0
    mad = 1.4826 * np.median(np.abs(log_rms[finite] - med)) if finite.any() else 0.0
    z = np.abs(log_rms - med) / (mad if mad > 0 else 1.0)
    keep = finite & (frac <= max_high_fraction) & (z <= max_log_rms_z)
    return segs[keep]


def read_eegdenoisenet(path: str | os.PathLike) -> np.ndarray:
    """Read an EEGdenoiseNet epoch file (``EEG_all_epochs.npy``, ``EMG_...``).

    The files hold ``(n_epochs, n_samples)`` z-scored 2-s epochs: 512 samples
    (256 Hz) or 1024 samples (512 Hz, the EMG set). 1024-sample epochs are
    resampled to 256 Hz, so every output matches the models' input.

    Parameters
    ----------
    path : str or path-like
        A ``.npy`` file (loaded with ``allow_pickle=False``).

    Returns
    -------
    ndarray, shape (n_epochs, 512)

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "EMG_all_epochs.npy")
    >>> np.save(path, np.random.default_rng(0).normal(size=(3, 1024)))
    >>> read_eegdenoisenet(path).shape
    (3, 512)
    """
    path = check_path(path, "path", kind="file")
    if path.suffix != ".npy":
        raise FileFormatError(
            f"{str(path)!r} is not a .npy file; EEGdenoiseNet ships "
            "EEG_all_epochs.npy, EOG_all_epochs.npy and EMG_all_epochs.npy."
        )
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as err:
        raise FileFormatError(
            f"{str(path)!r} could not be read as a numeric .npy array ({err})."
        ) from err
    if arr.ndim != 2 or arr.shape[1] not in (SEGMENT_SAMPLES, 2 * SEGMENT_SAMPLES):
        raise FileFormatError(
            f"{str(path)!r} holds an array of shape {arr.shape}; EEGdenoiseNet "
            "epochs are (n_epochs, 512) at 256 Hz or (n_epochs, 1024) at 512 Hz."
        )
    if arr.dtype.kind not in "iuf" or not np.isfinite(arr).all():
        raise FileFormatError(
            f"{str(path)!r} holds non-numeric or non-finite values (dtype "
            f"{arr.dtype}); the file is damaged."
        )
    arr = arr.astype(float)
    if arr.shape[1] == 2 * SEGMENT_SAMPLES:
        arr = resample_array(arr, 2 * MODEL_SFREQ, MODEL_SFREQ)
    return arr


def load_benchmark_segments(root: str | os.PathLike, split: str) -> np.ndarray:
    """Clean segments of one split's real recording under ``root``.

    ``root`` is the shared data folder holding ``recordings/``; the split's file
    is :data:`BENCHMARK_RECORDINGS` ``[split]``.

    Examples
    --------
    >>> load_benchmark_segments("/data", "train")  # doctest: +SKIP
    """
    from ..core import check_option
    from ..io import read_recording

    check_option(split, "split", list(BENCHMARK_RECORDINGS))
    path = check_path(Path(root) / "recordings" / BENCHMARK_RECORDINGS[split])
    return clean_eeg_segments(read_recording(path), "eeg")


@dataclass
class BenchmarkSplit:
    """Mixed segments of one split, normalised as in EEGdenoiseNet.

    ``noisy`` and ``clean`` are divided by the standard deviation of ``noisy``
    (``scale``), so ``clean * scale[:, None]`` is the segment in volts.
    """

    noisy: np.ndarray
    clean: np.ndarray
    snr_db: np.ndarray
    lam: np.ndarray
    scale: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.noisy.shape[0])


def make_benchmark(
    clean: Any,
    emg: Any,
    snr_db: Any = SNR_LEVELS_DB,
    *,
    n_repeats: int = 1,
    random_state: Any = None,
) -> BenchmarkSplit:
    """Mix every clean segment with a random EMG segment at each SNR level.

    ``y = x + lambda n`` with ``lambda`` from
    :func:`~neurokit_ai.artifacts.snr_scale`; then both ``y`` and ``x`` are
    divided by ``std(y)`` (EEGdenoiseNet's normalisation).

    Parameters
    ----------
    clean : array-like, shape (n_clean, n_samples)
        Clean EEG segments.
    emg : array-like, shape (n_emg, n_samples)
        Artifact segments, drawn with replacement.
    snr_db : array-like
        SNR levels (dB); every clean segment is mixed at every level.
    n_repeats : int
        Independent EMG draws per clean segment and level.
    random_state : None, int or Generator
        Seed of the EMG draws.

    Returns
    -------
    BenchmarkSplit

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> split = make_benchmark(rng.normal(size=(4, 64)), rng.normal(size=(3, 64)),
    ...                        [-7.0, 2.0], random_state=0)
    >>> len(split), sorted(set(split.snr_db.tolist()))
    (8, [-7.0, 2.0])
    """
    from ..core import check_array

    x = check_array(clean, "clean", ndim=2)
    n = check_array(emg, "emg", ndim=2)
    if x.shape[1] != n.shape[1]:
        raise ValidationError(
            f"clean segments have {x.shape[1]} samples but emg segments "
            f"{n.shape[1]}; cut both to the same length."
        )
    levels = check_array(snr_db, "snr_db", ndim=(0, 1)).reshape(-1)
    check_scalar(n_repeats, "n_repeats", kind=int, min_val=1)
    rng = check_random_state(random_state)
    reps = x.shape[0] * levels.size * n_repeats
    xi = np.tile(np.arange(x.shape[0]), levels.size * n_repeats)
    snr = np.repeat(np.tile(levels, n_repeats), x.shape[0])
    ni = rng.integers(0, n.shape[0], reps)
    y, lam = mix_at_snr(x[xi], n[ni], snr)
    scale = y.std(axis=1)
    return BenchmarkSplit(
        noisy=y / scale[:, None],
        clean=x[xi] / scale[:, None],
        snr_db=snr,
        lam=lam,
        scale=scale,
        meta={"clean_index": xi, "emg_index": ni},
    )
