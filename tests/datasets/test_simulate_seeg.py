"""simulate_seeg: shafts, MNI positions, regions and planted high-gamma responses."""

import numpy as np
import pytest
from scipy.signal import butter, hilbert, sosfiltfilt

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import SPEECH_REGIONS, load_sample, simulate_seeg


def test_same_seed_same_data_other_seed_other_data():
    kw = {"n_shafts": 2, "contacts_per_shaft": 4, "duration": 10.0}
    a, b = simulate_seeg(**kw, random_state=1), simulate_seeg(**kw, random_state=1)
    c = simulate_seeg(**kw, random_state=2)
    np.testing.assert_array_equal(a.data, b.data)
    assert not np.allclose(a.data, c.data)


def test_channels_shafts_and_positions():
    rec = load_sample("seeg")
    assert rec.ch_names[:8] == [f"A'{k}" for k in range(1, 9)]
    assert rec.ch_names[-2:] == ["ECG", "AUDIO"]
    assert rec.ch_types == ["seeg"] * 32 + ["ecg", "misc"]
    assert rec.montage.coord_frame == "mni_tal"
    assert rec.montage.ch_names == rec.ch_names[:32]
    pos = rec.montage.positions()
    assert np.all(pos[:, 0] < 0) and np.all(np.abs(pos) < 0.1)  # left, metres
    for shaft in range(4):
        pts = pos[8 * shaft : 8 * shaft + 8]
        centred = pts - pts.mean(axis=0)
        singular = np.linalg.svd(centred, compute_uv=False)
        assert singular[1] < 1e-9 * singular[0] + 1e-12  # on a straight line
        steps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        np.testing.assert_allclose(steps, steps[0], rtol=1e-9)  # evenly spaced
    regions = rec.channel_info["region"].tolist()
    assert regions[-2:] == ["n/a", "n/a"]
    assert any(r in SPEECH_REGIONS for r in regions)
    assert any(r not in SPEECH_REGIONS and r != "n/a" for r in regions)
    assert all(f"word_{k}" in set(rec.annotations.description) for k in range(3))


def high_gamma_change(rec):
    """Word (0.1–0.4 s) over pre-word (−0.6–−0.1 s) high-gamma power, per contact."""
    contacts = rec.pick("seeg")
    sos = butter(4, [70.0, 150.0], btype="bandpass", fs=rec.sfreq, output="sos")
    power = np.abs(hilbert(sosfiltfilt(sos, contacts.data, axis=1), axis=1)) ** 2
    onsets = np.round(rec.annotations.onset * rec.sfreq).astype(int)

    def mean_power(t0, t1):
        a, b = int(t0 * rec.sfreq), int(t1 * rec.sfreq)
        return np.mean([power[:, o + a : o + b].mean(axis=1) for o in onsets], axis=0)

    return mean_power(0.1, 0.4) / mean_power(-0.6, -0.1), contacts


def test_high_gamma_rises_during_words_on_speech_contacts_only():
    ratio, contacts = high_gamma_change(load_sample("seeg"))
    regions = contacts.channel_info["region"]
    stg = np.char.find(regions.astype(str), "temp_sup") >= 0
    speech = np.isin(regions, SPEECH_REGIONS)
    assert stg.sum() >= 4
    assert np.all(ratio[stg] > 2.0)
    assert np.all(ratio[speech] > 2.0)
    assert np.all(np.abs(ratio[~speech] - 1.0) < 0.3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_shafts": 0}, ValidationError, "n_shafts must be >= 1"),
        ({"n_shafts": 9}, ValidationError, "n_shafts must be <= 8"),
        ({"contacts_per_shaft": 1}, ValidationError, "contacts_per_shaft must be >= 2"),
        ({"contacts_per_shaft": 17}, ValidationError, "must be <= 16"),
        ({"contacts_per_shaft": "8"}, DTypeError, "contacts_per_shaft must be a"),
        ({"duration": 2.0}, ValidationError, "duration must be >= 5.0"),
        ({"sfreq": 250.0}, ValidationError, "cannot hold high gamma"),
        ({"random_state": 1.5}, DTypeError, "random_state must be None"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_seeg(**kwargs)
