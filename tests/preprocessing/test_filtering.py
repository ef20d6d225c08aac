"""filter_recording / notch_filter: attenuation of planted sines, agreement with MNE."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, Recording, ValidationError
from neurokit_ai.preprocessing import filter_recording, notch_filter

SFREQ = 250.0


def amplitude(x, freq, sfreq=SFREQ):
    """Amplitude of the ``freq`` sine over the central 10 s (integer cycles)."""
    t = np.arange(x.size) / sfreq
    mid = (t >= 5.0) & (t < 15.0)
    return 2 * np.abs(np.mean(x[mid] * np.exp(-2j * np.pi * freq * t[mid])))


def make_rec(components, n_eeg=2):
    t = np.arange(int(20 * SFREQ)) / SFREQ
    sig = sum(a * np.sin(2 * np.pi * f * t) for f, a in components)
    stim = np.zeros_like(t)
    stim[1000:1010] = 3.0
    data = np.vstack([np.tile(sig, (n_eeg, 1)), stim, sig])
    names = [f"E{i}" for i in range(n_eeg)] + ["STI", "speed"]
    types = ["eeg"] * n_eeg + ["stim", "behavior"]
    return Recording(data, SFREQ, names, types, metadata={"lowpass": 125.0})


def db(ratio):
    return 20 * np.log10(ratio)


def test_band_pass_attenuates_out_of_band_and_passes_in_band():
    rec = make_rec([(10.0, 1.0), (60.0, 1.0), (0.1, 1.0)])
    out = filter_recording(rec, 1.0, 30.0)
    x = out.data[0]
    assert abs(db(amplitude(x, 10.0))) < 1.0
    assert db(amplitude(x, 60.0)) < -30.0
    assert db(amplitude(x, 0.1) + 1e-12) < -30.0


def test_iir_band_pass_attenuates_too():
    rec = make_rec([(10.0, 1.0), (80.0, 1.0)])
    out = filter_recording(
        rec, None, 30.0, method="iir", iir_params={"order": 8, "ftype": "butter"}
    )
    assert abs(db(amplitude(out.data[0], 10.0))) < 1.0
    assert db(amplitude(out.data[0], 80.0)) < -30.0


def test_matches_mne_raw_filter():
    rng = np.random.default_rng(0)
    rec = Recording(rng.normal(size=(3, 3000)) * 1e-5, SFREQ, ["a", "b", "c"], "eeg")
    ours = filter_recording(rec, 1.0, 40.0).data
    raw = rec.to_mne().filter(1.0, 40.0, verbose="error")
    np.testing.assert_allclose(ours, raw.get_data(), rtol=1e-10, atol=1e-18)


def test_default_picks_leave_stim_and_behavior_and_input_untouched():
    rec = make_rec([(10.0, 1.0), (60.0, 1.0)])
    before = rec.data.copy()
    out = filter_recording(rec, None, 30.0)
    np.testing.assert_array_equal(rec.data, before)
    np.testing.assert_array_equal(out.get_data(["STI", "speed"]), before[2:])
    assert out.metadata["lowpass"] == 30.0 and "highpass" not in out.metadata
    assert out.ch_names == rec.ch_names and out.annotations == rec.annotations


def test_explicit_picks_filter_only_those():
    rec = make_rec([(10.0, 1.0), (60.0, 1.0)])
    out = filter_recording(rec, None, 30.0, picks=["speed"])
    np.testing.assert_array_equal(out.data[:2], rec.data[:2])
    assert db(amplitude(out.get_data("speed")[0], 60.0)) < -30.0
    assert out.metadata["lowpass"] == 125.0  # not every data channel was filtered


def test_notch_removes_line_noise_and_keeps_the_rest():
    rec = make_rec([(10.0, 1.0), (50.0, 1.0), (100.0, 0.5)])
    out = notch_filter(rec, [50.0, 100.0])
    x = out.data[0]
    assert db(amplitude(x, 50.0)) < -30.0
    assert db(amplitude(x, 100.0) / 0.5) < -30.0
    assert abs(db(amplitude(x, 10.0))) < 1.0
    np.testing.assert_array_equal(out.get_data("STI"), rec.get_data("STI"))


def test_notch_single_frequency_scalar():
    rec = make_rec([(10.0, 1.0), (50.0, 1.0)])
    assert db(amplitude(notch_filter(rec, 50.0).data[1], 50.0)) < -30.0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((1.0, 30.0), {}, DTypeError, "rec must be a neurokit_ai Recording"),
        ((30.0, 1.0), {}, ValidationError, "l_freq=30.0 Hz must be below h_freq"),
        ((1.0, 125.0), {}, ValidationError, "h_freq=125.0 Hz is not below the Nyquist"),
        ((-1.0, 30.0), {}, ValidationError, "l_freq must be > 0"),
        ((None, None), {}, ValidationError, "both None"),
        (("1", 30.0), {}, DTypeError, "l_freq must be a Real"),
        ((1.0, 30.0), {"method": "fr"}, ValidationError, "Did you mean 'fir'"),
        ((1.0, 30.0), {"picks": ["E9"]}, ValidationError, "picks must be one of"),
        ((1.0, 30.0), {"filter_length": "abc"}, ValidationError, "MNE rejected"),
    ],
)
def test_filter_recording_bad_input(args, kwargs, error, match):
    rec = make_rec([(10.0, 1.0)])
    target = "not a recording" if "Recording" in match else rec
    with pytest.raises(error, match=match):
        filter_recording(target, *args, **kwargs)


def test_filter_without_data_channels_asks_for_picks():
    rec = Recording(np.zeros((1, 1000)), SFREQ, ["speed"], "behavior")
    with pytest.raises(ValidationError, match="Pass picks"):
        filter_recording(rec, 1.0, 30.0)


@pytest.mark.parametrize(
    ("freqs", "error", "match"),
    [
        (125.0, ValidationError, "Nyquist"),
        ([50.0, -1.0], ValidationError, r"\[-1.0\]"),
        ("50", DTypeError, "freqs must be numeric"),
        ([], ValidationError, "freqs is empty"),
        ([[50.0]], ValidationError, "freqs must have 0 or 1 dimension"),
    ],
)
def test_notch_filter_bad_freqs(freqs, error, match):
    with pytest.raises(error, match=match):
        notch_filter(make_rec([(10.0, 1.0)]), freqs)


def test_notch_filter_bad_rec_and_kwargs():
    with pytest.raises(DTypeError, match="rec must be"):
        notch_filter(np.zeros((2, 100)), 50.0)
    with pytest.raises(ValidationError, match="MNE rejected"):
        notch_filter(make_rec([(10.0, 1.0)]), 50.0, method="nonsense")
