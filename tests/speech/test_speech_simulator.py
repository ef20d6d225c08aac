"""The simulated word-reading sessions: planted truth where it should be."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import Recording, ValidationError
from neurokit_ai.datasets import simulate_word_reading
from neurokit_ai.speech import high_gamma_envelope

EDF = "ieeg/seeg/sample_seeg.edf"


def _hg_power(sim):
    env = high_gamma_envelope(sim.X, sim.sfreq, log=False)
    return env.mean(axis=(0, 2))


def test_real_background_targets_are_frontal_speech_motor(recordings):
    sim = simulate_word_reading(
        recordings / EDF, n_words=3, n_sessions=1, trials_per_word=3, n_controls=3
    )
    target_labels = {lab for lab, t in zip(sim.labels, sim.target) if t}
    assert target_labels == {
        "ctx-lh-rostralmiddlefrontal",
        "ctx-lh-parsopercularis",
        "ctx-lh-precentral",
    }
    assert sim.target.sum() == 10
    controls = [lab for lab, t in zip(sim.labels, sim.target) if not t]
    assert len(controls) == 3
    assert all(lab == "Unknown" or "White-Matter" in lab for lab in controls)
    assert sim.X.shape == (9, 13, 1000)
    assert sim.metadata["background"].endswith("sample_seeg.edf")


def test_bids_electrodes_table_is_inherited_from_the_subject_folder(
    recordings, tmp_path
):
    import shutil

    ieeg = tmp_path / "sub-01" / "ses-1" / "ieeg"
    ieeg.mkdir(parents=True)
    path = ieeg / "sub-01_ses-1_task-words_run-1_ieeg.edf"
    shutil.copyfile(recordings / EDF, path)
    seeg = (recordings / EDF).parent
    shutil.copyfile(
        seeg / "sample_seeg_electrodes_fsnative.tsv",
        tmp_path / "sub-01" / "sub-01_space-fsnative_electrodes.tsv",
    )
    kw = dict(n_words=2, n_sessions=1, trials_per_word=1, n_controls=1)
    with_bids = simulate_word_reading(path, **kw)
    sample = simulate_word_reading(recordings / EDF, **kw)
    assert with_bids.ch_names == sample.ch_names
    assert with_bids.labels == sample.labels
    np.testing.assert_array_equal(with_bids.X, sample.X)
    (tmp_path / "sub-01" / "sub-01_space-fsnative_electrodes.tsv").rename(
        tmp_path / "sub-01" / "sub-02_space-fsnative_electrodes.tsv"
    )
    with pytest.raises(ValidationError, match="No electrodes table.*sub-<label>"):
        simulate_word_reading(path, **kw)


def test_planted_power_only_on_targets_and_scales_with_snr():
    kw = dict(n_words=3, n_sessions=1, trials_per_word=4, n_controls=3)
    quiet = simulate_word_reading(snr=0.0, random_state=3, **kw)
    loud = simulate_word_reading(snr=4.0, random_state=3, **kw)
    ratio = np.log(_hg_power(loud) / _hg_power(quiet))
    assert (ratio[loud.target] > 0.05).all()
    np.testing.assert_allclose(ratio[~loud.target], 0.0, atol=1e-6)
    # with snr 0 the trials are background only: same background windows
    np.testing.assert_array_equal(quiet.X[:, ~quiet.target], loud.X[:, ~loud.target])


def test_any_recording_works_as_background():
    rng = np.random.default_rng(0)
    rec = Recording(
        rng.normal(size=(4, 5000)) * 1e-5,
        1000.0,
        ["A1", "A2", "B1", "B2"],
        "seeg",
        channel_info={
            "desikan-killiany": np.array(
                [
                    "ctx-lh-superiortemporal",
                    "ctx-lh-superiortemporal",
                    "Unknown",
                    "ctx-lh-insula",
                ]
            )
        },
    )
    sim = simulate_word_reading(
        rec, regions="STG", n_words=5, n_sessions=2, trials_per_word=2, n_controls=2
    )
    assert sim.ch_names == ["A1", "A2", "B1"]
    assert sim.target.tolist() == [True, True, False]
    assert sim.templates.shape == (5, 2, sim.X.shape[2])
    assert np.bincount(sim.y).tolist() == [4] * 5
    assert sorted(set(sim.session.tolist())) == [0, 1]
    sub = sim.pick(["A2", "B1"])
    np.testing.assert_array_equal(sub.X, sim.X[:, 1:])
    np.testing.assert_array_equal(sub.templates, sim.templates[:, 1:])


def test_same_seed_same_sessions():
    a = simulate_word_reading(n_words=3, n_sessions=1, trials_per_word=2)
    b = simulate_word_reading(n_words=3, n_sessions=1, trials_per_word=2)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)


def test_bad_simulation_arguments():
    rec = Recording(
        np.zeros((2, 5000)),
        250.0,
        ["A1", "A2"],
        "seeg",
        channel_info={"desikan-killiany": np.array(["ctx-lh-precentral"] * 2)},
    )
    with pytest.raises(ValidationError, match="too low"):
        simulate_word_reading(rec)
    with pytest.raises(ValidationError, match="difficulty"):
        simulate_word_reading(difficulty="brutal")
    with pytest.raises(ValidationError, match="regions present"):
        simulate_word_reading(regions="hippocampus_tail")
    with pytest.raises(ValidationError, match="trial window"):
        simulate_word_reading(tmin=0.2, tmax=0.25)
    with pytest.raises(ValidationError, match="background must be"):
        simulate_word_reading(background=np.zeros((2, 100)))
