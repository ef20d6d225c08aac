"""simulate_eeg: determinism, spectrum (alpha peak, 1/f), montage, planted ERPs."""

import numpy as np
import pytest
from scipy.signal import welch

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import load_sample, simulate_eeg
from neurokit_ai.preprocessing import epochs_to_responses, filter_recording

POSTERIOR = ["O1", "Oz", "O2", "PO9", "PO10"]


def small(**kw):
    return simulate_eeg(**{"n_channels": 8, "duration": 12.0, "n_events": 8, **kw})


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = small(random_state=3), small(random_state=3), small(random_state=4)
    np.testing.assert_array_equal(a.data, b.data)
    assert a.annotations == b.annotations
    assert not np.allclose(a.data, c.data)


@pytest.mark.parametrize("alpha_freq", [10.0, 8.0])
def test_posterior_spectrum_peaks_at_alpha(alpha_freq):
    rec = load_sample("eeg") if alpha_freq == 10.0 else simulate_eeg(alpha_freq=8.0)
    freqs, psd = welch(rec.get_data(POSTERIOR), rec.sfreq, nperseg=1024)
    band = (freqs >= 4.0) & (freqs <= 20.0)
    peaks = freqs[band][np.argmax(psd[:, band], axis=1)]
    np.testing.assert_allclose(peaks, alpha_freq, atol=0.5)
    alpha = (freqs >= alpha_freq - 1) & (freqs <= alpha_freq + 1)
    _, front = welch(rec.get_data(["Fp1", "Fp2"]), rec.sfreq, nperseg=1024)
    assert psd[:, alpha].mean() > 5 * front[:, alpha].mean()


def test_background_has_a_negative_one_over_f_slope():
    rec = load_sample("eeg")
    freqs, psd = welch(rec.data, rec.sfreq, nperseg=1024)
    fit = (freqs >= 2.0) & (freqs <= 40.0) & (np.abs(freqs - 10.0) > 4.0)
    slopes = np.polyfit(np.log10(freqs[fit]), np.log10(psd[:, fit]).T, 1)[0]
    assert np.all(slopes < -0.5) and np.all(slopes > -1.5)


def test_channels_montage_units_and_events():
    import mne

    rec = load_sample("eeg")
    assert rec.shape == (32, 15360) and rec.sfreq == 256.0
    assert rec.ch_types == ["eeg"] * 32 and rec.units == ["V"] * 32
    assert rec.montage.coord_frame == "head" and rec.montage.ch_names == rec.ch_names
    ref = mne.channels.transform_to_head(
        mne.channels.make_standard_montage("colin27_1020")
    ).get_positions()["ch_pos"]
    for name in ("Fp1", "Cz", "Oz", "PO10"):
        np.testing.assert_allclose(rec.montage.ch_pos[name], ref[name])
    std_uv = rec.data.std(axis=1) * 1e6
    assert np.all((std_uv > 5) & (std_uv < 50))
    labels = rec.annotations.description.tolist()
    assert labels.count("face") == labels.count("house") == 20


def planted_difference(rec, t0, t1):
    """The planted face − house evoked difference (µV), averaged over t0–t1."""
    from neurokit_ai.datasets._eeg import _COMPONENTS, _topographies

    topo = _topographies(rec.montage.positions(rec.ch_names))
    t = np.arange(np.ceil(t0 * rec.sfreq), np.floor(t1 * rec.sfreq) + 1) / rec.sfreq
    return sum(
        (amps["face"] - amps["house"])
        * topo[where]
        * np.exp(-0.5 * ((t - latency) / width) ** 2).mean()
        for latency, width, where, amps in _COMPONENTS
    )


def test_face_house_evoked_difference_is_recovered():
    rec = simulate_eeg(duration=250.0, n_events=160)
    r = epochs_to_responses(rec, tmin=-0.1, tmax=0.4, baseline=(-0.1, 0.0),
                            window=(0.15, 0.19), average=True,
                            conditions=["face", "house"])  # fmt: skip
    diff_uv = (r.data[0] - r.data[1]) * 1e6
    planted = planted_difference(rec, 0.15, 0.19)
    assert planted.min() < -7.0  # the N170 effect at occipito-temporal sites
    assert np.corrcoef(diff_uv, planted)[0, 1] > 0.8
    assert 0.5 < np.polyfit(planted, diff_uv, 1)[0] < 1.5


def test_default_sample_difference_topography_matches_the_planted_one():
    from neurokit_ai.datasets._eeg import _topographies

    rec = filter_recording(load_sample("eeg"), 1.0, 40.0)
    r = epochs_to_responses(rec, tmin=-0.1, tmax=0.4, baseline=(-0.1, 0.0),
                            window=(0.15, 0.19), average=True)  # fmt: skip
    planted = _topographies(rec.montage.positions(rec.ch_names))["occipitotemporal"]
    diff = (
        r.select_conditions(["face"]).data[0] - r.select_conditions(["house"]).data[0]
    )
    assert np.corrcoef(-diff, planted)[0, 1] > 0.5


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_channels": 0}, ValidationError, "n_channels must be >= 1"),
        ({"n_channels": 100}, ValidationError, "use at most 86"),
        ({"n_channels": 3.5}, DTypeError, "n_channels must be a Integral"),
        ({"duration": 1.0}, ValidationError, "duration must be >= 5.0"),
        ({"sfreq": 50.0}, ValidationError, "use at least 100 Hz"),
        ({"alpha_freq": 30.0}, ValidationError, "alpha_freq must be <= 20.0"),
        ({"n_events": 1}, ValidationError, "n_events must be >= 2"),
        ({"n_events": 200}, ValidationError, "do not fit in duration"),
        ({"random_state": "x"}, DTypeError, "random_state must be None"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_eeg(**kwargs)
