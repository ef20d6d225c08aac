"""``neurokit-ai run PIPELINE``: exit status, printed outputs, bad files."""

import argparse

import yaml
from pipeline_testing import pipeline_dict, write_study

from neurokit_ai.cli._run import add_run_parser


def _parse(argv):
    parser = argparse.ArgumentParser()
    add_run_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_run_command_writes_outputs_then_skips_them(tmp_path, capsys):
    study = write_study(tmp_path / "study", 2)
    spec = pipeline_dict(study, tmp_path / "out")
    del spec["derivatives"]
    (tmp_path / "faces.yaml").write_text(yaml.safe_dump(spec))
    argv = ["run", str(tmp_path / "faces.yaml"), "--workers", "1", "--quiet"]
    argv += ["--derivatives", str(tmp_path / "cli")]
    args = _parse(argv)
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "8 done" in out and out.count("wrote ") == 8
    assert (tmp_path / "cli" / "neurokit_ai-faces" / "sub-02" / "eeg").is_dir()
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "8 skipped" in out and "wrote " not in out


def test_run_command_fails_with_status_1_when_a_recording_fails(tmp_path, capsys):
    study = write_study(tmp_path / "study", 1)
    (study / "sub-01" / "eeg" / "sub-01_task-faces_eeg.edf").write_bytes(b"0" * 256)
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(pipeline_dict(study, tmp_path)))
    args = _parse(["run", str(tmp_path / "p.yaml"), "--workers", "1", "--quiet"])
    assert args.handler(args) == 1
    assert "FAILED sub-01_task-faces filter" in capsys.readouterr().out
