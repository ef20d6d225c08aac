"""resample: sines stay sines, annotations and triggers keep their times."""

import numpy as np
import pytest

from neurokit_ai.core import Annotations, DTypeError, Recording, ValidationError
from neurokit_ai.preprocessing import find_events, resample


def make_rec(sfreq=1000.0, duration=10.0, freq=10.0):
    t = np.arange(int(duration * sfreq)) / sfreq
    stim = np.zeros_like(t)
    for onset, code in [(1.0, 3), (2.5, 5), (7.2501, 3)]:
        k = int(round(onset * sfreq))
        stim[k : k + 2] = code  # 2 ms pulses, shorter than the new sample interval
    data = np.vstack([np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t), stim])
    ann = Annotations([1.0, 2.5, 7.25], [0.1, 0.0, 0.3], ["a", "b", "a"])
    return Recording(
        data, sfreq, ["E1", "E2", "STI"], ["eeg", "eeg", "stim"],
        annotations=ann, first_samp=2000,
    )  # fmt: skip


@pytest.mark.parametrize("new_sfreq", [250.0, 100.0, 3000.0])
def test_sine_matches_the_sine_at_the_new_times(new_sfreq):
    rec = make_rec()
    out = resample(rec, new_sfreq)
    assert out.sfreq == new_sfreq
    assert out.n_times == int(round(rec.n_times * new_sfreq / rec.sfreq))
    t = np.arange(out.n_times) / new_sfreq
    inner = (t > 0.5) & (t < 9.5)  # away from the edge padding
    expected = np.vstack([np.sin(2 * np.pi * 10.0 * t), np.cos(2 * np.pi * 10.0 * t)])
    np.testing.assert_allclose(out.data[:2, inner], expected[:, inner], atol=1e-4)
    np.testing.assert_allclose(out.data[:2], expected, atol=1e-2)


def test_content_above_the_new_nyquist_is_removed():
    rec = make_rec(freq=200.0)
    out = resample(rec, 250.0)
    inner = slice(125, out.n_times - 125)  # naive decimation would alias to 50 Hz
    assert np.abs(out.data[0, inner]).max() < 0.01
    assert out.metadata["lowpass"] == 125.0


def test_annotations_first_samp_and_input_are_kept():
    rec = make_rec()
    before = rec.data.copy()
    out = resample(rec, 250.0)
    assert out.annotations == rec.annotations
    assert out.first_samp == 500
    assert out.ch_types == rec.ch_types
    np.testing.assert_array_equal(rec.data, before)
    assert rec.sfreq == 1000.0


def test_trigger_pulses_survive_downsampling():
    rec = make_rec()
    ann_free = Recording(rec.data, rec.sfreq, rec.ch_names, rec.ch_types)
    out = resample(ann_free, 100.0)
    onsets, labels = find_events(out)
    np.testing.assert_allclose(onsets, [1.0, 2.5, 7.25], atol=0.01)
    assert labels.tolist() == ["3", "5", "3"]
    assert set(np.unique(out.get_data("STI"))) <= {0.0, 3.0, 5.0}


def test_same_rate_is_a_copy():
    rec = make_rec()
    out = resample(rec, 1000.0)
    np.testing.assert_allclose(out.data, rec.data, atol=1e-12)
    assert out is not rec


@pytest.mark.parametrize(
    ("sfreq", "kwargs", "error", "match"),
    [
        (0.0, {}, ValidationError, "sfreq must be > 0"),
        (-100.0, {}, ValidationError, "sfreq must be > 0"),
        ("250", {}, DTypeError, "sfreq must be a Real"),
        (0.01, {}, ValidationError, "leaves no sample"),
        (250.0, {"npad": "bad"}, ValidationError, "MNE rejected"),
    ],
)
def test_resample_bad_input(sfreq, kwargs, error, match):
    with pytest.raises(error, match=match):
        resample(make_rec(), sfreq, **kwargs)


def test_resample_rejects_non_recording():
    with pytest.raises(DTypeError, match="rec must be a neurokit_ai Recording"):
        resample(np.zeros((1, 100)), 50.0)
