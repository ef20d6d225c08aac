"""Artifact plots, the demo stage and the ``neurokit-ai clean`` command."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.artifacts import simulate_emg
from neurokit_ai.cli import main
from neurokit_ai.core import Recording, ValidationError
from neurokit_ai.viz import plot_cleaning, plot_cleaning_spectra, plot_metrics_by_snr
from neurokit_ai.viz._demo_artifacts import artifacts_stage


def _pair() -> tuple[Recording, Recording]:
    rng = np.random.default_rng(0)
    before = Recording(rng.normal(size=(3, 1024)), 256.0, ["C3", "C4", "Pz"], "eeg")
    after = before.copy()
    after.data[:] *= 0.5
    return before, after


def test_plots_draw_what_they_are_given():
    before, after = _pair()
    fig = plot_cleaning(before, after, ["C3", "C4"], duration=2.0)
    axes = fig.axes
    assert len(axes) == 2
    np.testing.assert_array_equal(axes[1].lines[1].get_ydata(), after.data[1, :512])
    spectra = plot_cleaning_spectra(before, after, before)
    assert [line.get_label() for line in spectra.axes[0].lines] == [
        "before",
        "after",
        "clean (truth)",
    ]
    curves = spectra.axes[0].lines
    ratio = curves[1].get_ydata() / curves[0].get_ydata()
    np.testing.assert_allclose(ratio, 0.25)  # half the amplitude: a quarter the power
    res = {
        "a": {
            -7.0: {"cc": 0.5, "rrmse_t": 1, "rrmse_f": 1},
            2.0: {"cc": 0.9, "rrmse_t": 1, "rrmse_f": 1},
        }
    }
    fig = plot_metrics_by_snr(res)
    assert len(fig.axes) == 3
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_ydata(), [0.5, 0.9])


def test_plot_bad_inputs():
    before, after = _pair()
    with pytest.raises(ValidationError, match="same channels"):
        plot_cleaning(before, after.pick(["C3"]))
    with pytest.raises(ValidationError, match="non-empty"):
        plot_metrics_by_snr({})
    with pytest.raises(ValidationError, match="metrics"):
        plot_metrics_by_snr({"a": {0.0: {"cc": 1.0}}}, metrics=("ccc",))


def test_demo_stage_cleans_the_contaminated_channels(tmp_path):
    section = artifacts_stage(tmp_path)
    assert all(p.is_file() for p in section["figures"])
    assert float(section["table"]["20-45 Hz excess removed"]) > 0.5
    assert abs(float(section["table"]["1-12 Hz power kept"]) - 1) < 0.1


def test_clean_command(tmp_path, capsys):
    import mne

    sf = 500.0
    rng = np.random.default_rng(0)
    t = np.arange(int(6 * sf)) / sf
    eeg = 10e-6 * np.sin(2 * np.pi * 10 * t) + 2e-6 * rng.normal(size=(2, t.size))
    eeg[0] += 10e-6 * simulate_emg(1, t.size, sf, random_state=0)[0]
    info = mne.create_info(["C3", "C4", "EMG"], sf, ["eeg", "eeg", "emg"])
    raw = mne.io.RawArray(
        np.vstack([eeg, rng.normal(size=(1, t.size))]), info, verbose=False
    )
    src = tmp_path / "in_raw.fif"
    raw.save(src, verbose=False)
    out = tmp_path / "clean_raw.fif"
    assert main(["clean", str(src), "--out", str(out), "--plots", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed and "cleaned 2 channel(s)" in printed
    back = mne.io.read_raw_fif(out, verbose=False).get_data()
    given = mne.io.read_raw_fif(src, verbose=False).get_data()  # float32 on disk
    np.testing.assert_array_equal(back[2], given[2])  # the EMG channel is kept
    assert not np.allclose(back[0], given[0])
    assert (tmp_path / "clean_traces.png").is_file()
    assert main(["clean", str(src), "--out", str(tmp_path / "x.edf")]) == 2
    assert "must end in" in capsys.readouterr().err
    assert main(["clean", str(src), "--out", str(out), "--method", "cnn"]) == 2
    assert "--weights FILE" in capsys.readouterr().err
