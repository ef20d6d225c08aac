"""The neurokit-ai command: info on real files, errors, and the demo end to end."""

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from neurokit_ai.cli import main, parse_option
from neurokit_ai.core import ValidationError
from neurokit_ai.io import read_recording
from neurokit_ai.viz import DemoStage, run_demo

HAXBY = "fmri/haxby2001_pymvpa/sub001/task001_run001/bold_25mm.nii.gz"
SUITE2P = "calcium/suite2p_pynapple/plane0"
EEGLAB = "eeg/eeglab/test_raw.set"
NWB_SPIKES = "spikes/pynapple_phy/A8604-211122.nwb"


def test_parse_option_reads_json_values_and_keeps_plain_strings():
    assert parse_option("fs=30") == ("fs", 30)
    assert parse_option("fs=30.5") == ("fs", 30.5)
    assert parse_option('covariates=["handPos"]') == ("covariates", ["handPos"])
    assert parse_option("format=suite2p") == ("format", "suite2p")
    with pytest.raises(ValidationError, match="KEY=VALUE"):
        parse_option("fs")


@pytest.mark.parametrize("name", [EEGLAB, HAXBY])
def test_info_prints_what_read_recording_sees(recordings, capsys, name):
    path = recordings / name
    rec = read_recording(path)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"shape:         {rec.n_channels} channels × {rec.n_times} samples" in out
    assert f"sampling rate: {rec.sfreq:g} Hz" in out
    assert f"duration:      {rec.duration:.6g} s" in out
    types = ", ".join(f"{k}: {v}" for k, v in rec.channel_type_counts().items())
    assert f"channel types: {types}" in out


def test_info_counts_annotations_per_label(recordings, capsys):
    assert main(["info", str(recordings / EEGLAB)]) == 0
    out = capsys.readouterr().out
    # PROVENANCE.md: 32 x 30504 at 128 Hz, 154 annotations (square, rt).
    assert "32 channels × 30504 samples" in out and "128 Hz" in out
    line = next(x for x in out.splitlines() if x.startswith("annotations:"))
    counts = dict(re.findall(r"(square|rt): (\d+)", line))
    assert line.split()[1] == "154"
    assert int(counts["square"]) + int(counts["rt"]) == 154


def test_info_on_spike_times_lists_units_and_counts(recordings, capsys):
    assert main(["info", str(recordings / NWB_SPIKES), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["object"] == "SpikeTrains"
    # PROVENANCE.md: 3 units with 11020, 4690 and 5644 spikes.
    assert sorted(info["spikes_per_unit"].values()) == [4690, 5644, 11020]
    assert info["n_spikes"] == 21354


def test_info_on_a_movie_gives_its_dims(tmp_path, capsys):
    import numpy as np
    import tifffile

    movie = tmp_path / "movie.tif"
    tifffile.imwrite(movie, np.zeros((12, 8, 6), dtype=np.uint16))
    assert main(["info", str(movie), "--option", "fs=4"]) == 0
    out = capsys.readouterr().out
    assert "12 t × 8 y × 6 x" in out
    assert "frame rate: 4 Hz" in out and "duration:   3 s" in out


def test_info_json_passes_options_to_the_reader(recordings, capsys):
    path = recordings / SUITE2P
    rec = read_recording(path, fs=30)
    assert main(["info", str(path), "--option", "fs=30", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["object"] == "Recording"
    assert info["n_channels"] == rec.n_channels == 219
    assert info["sfreq"] == rec.sfreq == 30.0
    assert info["duration_s"] == pytest.approx(rec.duration)
    assert info["channel_types"] == rec.channel_type_counts()


def test_clean_npz_output_reads_back_and_info_opens_it(tmp_path, capsys):
    import numpy as np

    from neurokit_ai.core import Annotations, Recording
    from neurokit_ai.io import write_recording

    rng = np.random.default_rng(0)
    src = Recording(
        rng.normal(size=(3, 1000)) * 1e-5,
        250.0,
        ["C3", "C4", "ECG"],
        ["eeg", "eeg", "ecg"],
        annotations=Annotations([1.0], [0.5], ["blink"]),
        bads=["C4"],
    )
    path = write_recording(src, tmp_path / "in.npz")
    out = tmp_path / "clean.npz"
    assert main(["clean", str(path), "--out", str(out), "--method", "filter"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    back = read_recording(out)
    assert back.ch_names == src.ch_names and back.ch_types == src.ch_types
    assert back.bads == ["C4"] and back.annotations == src.annotations
    np.testing.assert_array_equal(back.data[2], src.data[2])  # ECG left alone
    assert not np.allclose(back.data[0], src.data[0])
    assert main(["info", str(out)]) == 0
    assert "3 channels × 1000 samples" in capsys.readouterr().out


def test_spiking_motion_creates_a_missing_out_folder(tmp_path, capsys):
    out = tmp_path / "runs" / "motion"
    argv = ["spiking", "motion", "--directions", "2", "--train", "4", "--test", "2"]
    argv += ["--delays", "1", "--kernel", "3", "--epochs", "1", "--out", str(out)]
    assert main(argv) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "kernels.png",
        "pruning.csv",
        "pruning.png",
    ]
    assert f"wrote {out / 'pruning.csv'}" in capsys.readouterr().out


def _assert_clean_error(capsys, code):
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("error: ")
    assert "Traceback" not in captured.err
    return captured.err


def test_info_on_a_missing_file_is_a_clean_error(tmp_path, capsys):
    err = _assert_clean_error(capsys, main(["info", str(tmp_path / "none.edf")]))
    assert "does not exist" in err


def test_info_on_an_unknown_extension_is_a_clean_error(tmp_path, capsys):
    bad = tmp_path / "data.xyz"
    bad.write_bytes(b"\x00" * 64)
    err = _assert_clean_error(capsys, main(["info", str(bad)]))
    assert ".xyz" in err


def test_info_with_an_option_the_reader_lacks_is_a_clean_error(recordings, capsys):
    code = main(["info", str(recordings / HAXBY), "--option", "bogus=1"])
    assert "bogus" in _assert_clean_error(capsys, code)


def test_malformed_option_is_a_clean_error(tmp_path, capsys):
    code = main(["info", str(tmp_path), "--option", "noequals"])
    assert "KEY=VALUE" in _assert_clean_error(capsys, code)


def test_verbose_adds_the_traceback(tmp_path, capsys):
    assert main(["info", str(tmp_path / "none.edf"), "--verbose"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "error: " in err


def test_usage_errors_exit_2_without_raising(capsys):
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["--help"]) == 0


def _ok_stage(out_dir):
    return {"text": "fine"}


def _broken_stage(out_dir):
    raise ValidationError("stage broke")


def test_failed_demo_leaves_the_previous_report_untouched(tmp_path):
    report = tmp_path / "index.html"
    report.write_text("previous report")
    stages = [DemoStage("ok", _ok_stage), DemoStage("broken", _broken_stage)]
    with pytest.raises(ValidationError, match="stage broke"):
        run_demo(tmp_path, progress=False, stages=stages)
    assert report.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_python_dash_m_runs_the_cli(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "neurokit_ai", "info", str(tmp_path / "x.edf")],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")


@pytest.mark.slow
def test_demo_writes_a_self_contained_report(tmp_path, capsys):
    from neurokit_ai.viz import DEMO_STAGES

    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--quiet"]) == 0
    stdout = capsys.readouterr().out
    page = (out / "index.html").read_text()
    for stage in DEMO_STAGES:
        assert f"<h2>{stage.name}</h2>" in page.replace("&amp;", "&")
    files = re.findall(r'data-file="([^"]+)"', page)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert files and len(files) == len(images)
    for name, encoded in zip(files, images):
        assert base64.b64decode(encoded) == (out / name).read_bytes()
    r2 = re.findall(r"R² (vel_[xy]) = (-?\d+\.\d+)", stdout)
    assert [axis for axis, _ in r2] == ["vel_x", "vel_y"]
    for axis, value in r2:
        assert f"R² {axis} = {value}" in page
        assert float(value) > 0.2  # the planted tuning is decodable
    wrote = {
        Path(line.split("wrote ", 1)[1])
        for line in stdout.splitlines()
        if line.startswith("wrote ")
    }
    assert wrote == set(out.iterdir())
    assert f"output folder: {out.resolve()}" in stdout
