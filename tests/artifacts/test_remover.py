"""ArtifactRemover on whole recordings: do no harm, remove EMG, keep metadata."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from neurokit_ai.artifacts import (
    BENCHMARK_RECORDINGS,
    ArtifactRemover,
    clean_eeg_segments,
    simulate_emg,
)
from neurokit_ai.artifacts._signal import band_power, bandpass
from neurokit_ai.artifacts._weights import shipped_weights_path
from neurokit_ai.core import (
    Annotations,
    DTypeError,
    FileFormatError,
    NotFittedError,
    Recording,
    ValidationError,
)
from neurokit_ai.io import read_recording


@pytest.fixture(scope="module")
def held_out(recordings) -> Recording:
    """Clean channels of 60 s of the test recording, which training never sees.

    Of every fourth channel, those with at least two thirds of their 2-s
    segments passing the documented clean-segment criterion
    (:func:`clean_eeg_segments`) are kept: "clean real EEG". A channel with
    muscle activity of its own (the temporal T7 here) is left out.
    """
    rec = read_recording(recordings / BENCHMARK_RECORDINGS["test"])
    rec = rec.pick(rec.ch_names[::4]).crop(10.0, 70.0)
    n_segments = int(rec.duration // 2)
    keep = [
        name
        for name in rec.ch_names
        if clean_eeg_segments(rec.pick([name])).shape[0] >= 2 * n_segments / 3
    ]
    assert len(keep) >= 12
    return rec.pick(keep)


@pytest.fixture(scope="module")
def remover() -> ArtifactRemover:
    return ArtifactRemover().fit()


def _power(x: np.ndarray, sfreq: float, lo: float, hi: float) -> np.ndarray:
    return band_power(x, sfreq, lo, hi, nperseg=int(2 * sfreq))


def test_do_no_harm_on_clean_held_out_eeg(held_out, remover):
    cleaned = remover.transform(held_out)
    x, c = held_out.data, cleaned.data
    cc = [np.corrcoef(a, b)[0, 1] for a, b in zip(x, c)]
    # the bar on average over channels; no channel far below it (the
    # posterior ones, with a flat 30-64 Hz floor, are the lowest, about 0.95)
    assert np.mean(cc) >= 0.95 and np.min(cc) >= 0.94
    ratio = _power(c, held_out.sfreq, 1, 12) / _power(x, held_out.sfreq, 1, 12)
    np.testing.assert_allclose(ratio, 1.0, atol=0.05)


def test_simulated_emg_is_removed_from_held_out_eeg(held_out, remover):
    sf = held_out.sfreq
    clean = held_out.data
    emg = simulate_emg(held_out.n_channels, held_out.n_times, sf, random_state=5)
    band = bandpass(clean, sf, 1.0, 45.0)
    rms = np.sqrt(np.mean(band**2, axis=1, keepdims=True))
    noisy = held_out.copy()
    noisy.data[:] = clean + rms * emg  # 0 dB against the 1-45 Hz EEG
    cleaned = remover.transform(noisy).data
    p_clean, p_noisy, p_out = (
        _power(d, sf, 20, 45) for d in (clean, noisy.data, cleaned)
    )
    excess = p_noisy - p_clean
    assert np.all(excess > 2 * p_clean)  # the contamination is real
    assert np.all(np.abs(p_out - p_clean) <= 0.5 * excess)  # most of it removed
    low = _power(cleaned, sf, 1, 12) / _power(clean, sf, 1, 12)
    np.testing.assert_allclose(low, 1.0, atol=0.10)


def _toy(sfreq: float = 500.0, seconds: float = 5.0) -> Recording:
    rng = np.random.default_rng(0)
    n = int(sfreq * seconds)
    data = np.cumsum(rng.normal(size=(3, n)), axis=1) * 1e-7
    ann = Annotations([0.5, 2.0], [0.1, 0.0], ["blink", "stim"])
    return Recording(
        data,
        sfreq,
        ["Fz", "EKG", "Cz"],
        ["eeg", "ecg", "eeg"],
        units=["uV", "V", "uV"],
        annotations=ann,
    )


def test_rate_units_order_annotations_and_untouched_channels(remover):
    rec = _toy()
    out = remover.transform(rec)
    assert out.sfreq == rec.sfreq and out.shape == rec.shape
    assert out.ch_names == rec.ch_names and out.units == rec.units
    np.testing.assert_array_equal(out.annotations.onset, rec.annotations.onset)
    np.testing.assert_array_equal(out.data[1], rec.data[1])  # ECG left alone
    assert not np.array_equal(out.data[0], rec.data[0])
    assert out.metadata["artifact_removal"]["channels"] == ["Fz", "Cz"]
    only_cz = clone(remover).set_params(picks=["Cz"]).fit().transform(rec)
    np.testing.assert_array_equal(only_cz.data[:2], rec.data[:2])
    np.testing.assert_allclose(only_cz.data[2], out.data[2])


def test_segments_in_segments_out(remover):
    segs = np.random.default_rng(0).normal(size=(3, 512))
    assert remover.transform(segs).shape == (3, 512)
    filt = ArtifactRemover(method="filter").fit()
    assert filt.n_parameters_ == 0 and filt.transform(segs).shape == (3, 512)


def test_training_from_a_recording(held_out):
    model = ArtifactRemover(method="atat", weights=None, max_epochs=1).fit(
        held_out.crop(0, 20)
    )
    assert model.n_parameters_ > 0 and len(model.info_["train_loss"]) == 1


def test_bad_inputs(remover, tmp_path):
    rec = _toy()
    with pytest.raises(ValidationError, match="shorter than one"):
        remover.transform(rec.crop(0, 1.5))
    nan = rec.copy()
    nan.data[2, 100:200] = np.nan
    with pytest.raises(ValidationError, match="'Cz' holds NaN"):
        remover.transform(nan)
    slow = Recording(np.zeros((1, 800)), 80.0, ["Cz"], "eeg")
    with pytest.raises(ValidationError, match="below twice"):
        remover.transform(slow)
    no_eeg = rec.pick("ecg")
    with pytest.raises(ValidationError, match="no EEG channel"):
        remover.transform(no_eeg)
    with pytest.raises(NotFittedError):
        ArtifactRemover().transform(rec)
    with pytest.raises(ValidationError, match="method"):
        ArtifactRemover(method="atta").fit()
    with pytest.raises(ValidationError, match="shipped"):
        ArtifactRemover(method="cnn").fit()
    with pytest.raises(ValidationError, match="clean EEG"):
        ArtifactRemover(weights=None).fit()
    with pytest.raises(DTypeError, match="weights must be"):
        ArtifactRemover(weights=5).fit()
    with pytest.raises(ValidationError, match="overlap"):  # set after fit
        clone(remover).fit().set_params(overlap=0.99).transform(rec)
    with pytest.raises(ValidationError, match="shape"):
        remover.transform(np.zeros((2, 100)))
    with pytest.raises(DTypeError):
        remover.transform(rec.to_mne())
    import torch

    state = torch.load(shipped_weights_path(), weights_only=True)
    state["version"] = 0
    torch.save(state, tmp_path / "old.pt")
    with pytest.raises(FileFormatError, match="version 0"):
        ArtifactRemover(weights=tmp_path / "old.pt").fit()


def test_shipped_atat_targets_contaminated_segments(recordings):
    """Held-out clean segments mostly skip the transformer; mixed ones do not."""
    import torch

    from neurokit_ai.artifacts import (
        load_benchmark_segments,
        load_weights,
        make_benchmark,
        shipped_weights_path,
    )

    net, _, _ = load_weights(shipped_weights_path())
    clean = load_benchmark_segments(recordings.parent, "test")[::40]
    split = make_benchmark(clean, simulate_emg(40, random_state=9), [0.0])
    quiet = split.clean / split.clean.std(axis=1, keepdims=True)
    with torch.no_grad():
        _, noisy = net(torch.as_tensor(split.noisy, dtype=torch.float32), True)
        _, calm = net(torch.as_tensor(quiet, dtype=torch.float32), True)
    assert noisy["routed"].float().mean() > 0.9
    assert calm["routed"].float().mean() < 0.2
    assert noisy["gate"].mean() > 10 * calm["gate"].mean()


def test_bad_channels_pass_through_unless_named(remover):
    rec = _toy()
    rec.data[2, 100:200] = np.nan
    rec.bads = ["Cz"]
    out = remover.transform(rec)
    np.testing.assert_array_equal(out.data[2], rec.data[2])  # bad: untouched
    np.testing.assert_array_equal(out.data[1], rec.data[1])  # ecg: untouched
    assert not np.allclose(out.data[0], rec.data[0])  # good EEG: cleaned
    with pytest.raises(ValidationError, match="'Cz' holds NaN"):
        clone(remover).set_params(picks=["Fz", "Cz"]).fit().transform(rec)
    rec.bads = ["Fz", "Cz"]
    with pytest.raises(ValidationError, match="every eeg channel is marked bad"):
        remover.transform(rec)
