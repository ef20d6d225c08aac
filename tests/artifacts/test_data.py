"""Benchmark data: EMG simulator, clean-segment selection, mixing, file reader."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.artifacts import (
    BENCHMARK_RECORDINGS,
    SEGMENT_SAMPLES,
    clean_eeg_segments,
    emg_segments,
    load_benchmark_segments,
    make_benchmark,
    read_eegdenoisenet,
    simulate_emg,
)
from neurokit_ai.artifacts._signal import band_power
from neurokit_ai.core import DTypeError, FileFormatError, Recording, ValidationError


def test_simulated_emg_is_muscle_band_and_bursty():
    emg = simulate_emg(40, random_state=0)
    assert emg.shape == (40, SEGMENT_SAMPLES)
    np.testing.assert_allclose(emg.std(axis=1), 1.0)
    low = band_power(emg, 256.0, 1.0, 15.0).sum()
    muscle = band_power(emg, 256.0, 20.0, 128.0).sum()
    assert muscle > 20 * low  # 20-250 Hz band-pass: almost nothing below 20 Hz
    # bursty: the 0.25-s envelope varies far more than for Gaussian noise
    env = np.sqrt((emg.reshape(40, 8, 64) ** 2).mean(axis=2))
    noise = np.random.default_rng(0).normal(size=(40, 8, 64))
    env_noise = np.sqrt((noise**2).mean(axis=2))
    assert np.mean(env.std(axis=1)) > 3 * np.mean(env_noise.std(axis=1))
    np.testing.assert_array_equal(emg, simulate_emg(40, random_state=0))


def test_real_emg_channel_segments():
    sim = simulate_emg(1, 5000, 1000.0, random_state=1)
    rec = Recording(
        np.vstack([sim * 1e-4, np.zeros((1, 5000))]),
        1000.0,
        ["EMG", "Cz"],
        ["emg", "eeg"],
    )
    segs = emg_segments(rec)
    assert segs.shape == (2, SEGMENT_SAMPLES)  # 5 s -> two 2-s segments
    np.testing.assert_allclose(segs.std(axis=1), 1.0)
    with pytest.raises(ValidationError, match="no channel of type 'emg'"):
        emg_segments(rec.pick("eeg"))
    with pytest.raises(DTypeError):
        emg_segments(sim)


def _planted_recording() -> Recording:
    """Four 2-s segments: alpha, alpha + muscle noise, flat, alpha."""
    rng = np.random.default_rng(0)
    t = np.arange(8 * 256) / 256.0
    alpha = 10e-6 * np.sin(2 * np.pi * 10 * t) + 2e-6 * rng.normal(size=t.size)
    alpha = np.cumsum(alpha) * 0.02 + alpha  # some 1/f-like low-frequency power
    data = alpha.copy()
    data[512:1024] += 30e-6 * simulate_emg(1, random_state=0)[0]
    data[1024:1536] = 0.0
    return Recording(data[None], 256.0, ["Oz"], "eeg")


def test_clean_segment_selection_drops_planted_bad_segments():
    rec = _planted_recording()
    segs = clean_eeg_segments(rec)
    assert segs.shape == (2, SEGMENT_SAMPLES)  # the muscle and the flat one go
    # each rule drops its own planted segment: the spectral rule the muscle one,
    # the amplitude rule the flat one
    assert clean_eeg_segments(rec, max_high_fraction=1.0).shape[0] == 3
    assert clean_eeg_segments(rec, max_log_rms_z=1e6).shape[0] == 3
    np.testing.assert_array_equal(segs, clean_eeg_segments(rec))


def test_clean_segments_bad_inputs():
    rec = _planted_recording()
    slow = Recording(np.zeros((1, 600)), 60.0, ["Oz"], "eeg")
    with pytest.raises(ValidationError, match="twice the EEG band"):
        clean_eeg_segments(slow)
    with pytest.raises(DTypeError):
        clean_eeg_segments(rec.data)
    with pytest.raises(ValidationError, match="max_high_fraction"):
        clean_eeg_segments(rec, max_high_fraction=2.0)


def test_make_benchmark_mixes_at_every_level():
    rng = np.random.default_rng(0)
    clean, emg = rng.normal(size=(3, 128)), rng.normal(size=(5, 128))
    split = make_benchmark(clean, emg, [-7.0, 0.0, 2.0], n_repeats=2, random_state=1)
    assert len(split) == 18
    x = split.clean * split.scale[:, None]
    y = split.noisy * split.scale[:, None]
    np.testing.assert_allclose(split.noisy.std(axis=1), 1.0)
    noise = y - x
    rms = lambda a: np.sqrt(np.mean(a**2, axis=1))  # noqa: E731
    np.testing.assert_allclose(
        10 * np.log10(rms(x) / rms(noise)), split.snr_db, atol=1e-9
    )
    np.testing.assert_allclose(x, clean[split.meta["clean_index"]])
    with pytest.raises(ValidationError, match="same length"):
        make_benchmark(clean, emg[:, :64])


def test_read_eegdenoisenet(tmp_path):
    rng = np.random.default_rng(0)
    eeg = rng.normal(size=(4, 512))
    np.save(tmp_path / "EEG_all_epochs.npy", eeg)
    np.testing.assert_array_equal(
        read_eegdenoisenet(tmp_path / "EEG_all_epochs.npy"), eeg
    )
    t = np.arange(1024) / 512.0
    np.save(tmp_path / "EMG_all_epochs.npy", np.sin(2 * np.pi * 30 * t)[None])
    emg = read_eegdenoisenet(tmp_path / "EMG_all_epochs.npy")  # 512 Hz -> 256 Hz
    assert emg.shape == (1, 512)
    expected = np.sin(2 * np.pi * 30 * np.arange(512) / 256.0)
    np.testing.assert_allclose(emg[0, 50:-50], expected[50:-50], atol=0.02)
    np.save(tmp_path / "bad.npy", rng.normal(size=(4, 300)))
    with pytest.raises(FileFormatError, match="shape"):
        read_eegdenoisenet(tmp_path / "bad.npy")
    (tmp_path / "junk.npy").write_bytes(b"not numpy")
    with pytest.raises(FileFormatError):
        read_eegdenoisenet(tmp_path / "junk.npy")
    with pytest.raises(FileFormatError, match=".npy"):
        read_eegdenoisenet(__file__)


def test_benchmark_split_is_by_recording(recordings):
    files = list(BENCHMARK_RECORDINGS.values())
    assert len(set(files)) == 3  # one distinct recording per split
    segs = load_benchmark_segments(recordings.parent, "val")
    assert segs.shape[1] == SEGMENT_SAMPLES and segs.shape[0] > 50
    with pytest.raises(ValidationError, match="split"):
        load_benchmark_segments(recordings.parent, "tset")


def test_short_simulated_emg_segments_are_never_silent():
    # with these seeds a 64-sample segment held no action potential, and the
    # z-scoring divided 0 by 0 (NaN), which failed train_denoiser's example
    for seed in (1, 26, 39):
        emg = simulate_emg(4, 64, random_state=seed)
        assert np.isfinite(emg).all()
        np.testing.assert_allclose(emg.std(axis=1), 1.0)
        np.testing.assert_array_equal(emg, simulate_emg(4, 64, random_state=seed))
