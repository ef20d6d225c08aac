"""HTML reports: the sections a pipeline writes, and the pages in headless Chromium."""

import pytest
from pipeline_testing import pipeline_dict, write_study

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import simulate_eeg
from neurokit_ai.pipeline import run_pipeline
from neurokit_ai.preprocessing import filter_recording
from neurokit_ai.viz._report import Report

RECORDING_SECTIONS = [
    "Data summary",
    "Cleaning: before and after",
    "Epochs",
    "Decoding (decodeconditions)",
    "RSA (rdm)",
    "Band power (bandpower)",
]
STUDY_SECTIONS = [
    "Study overview",
    "Decoding across recordings (decodeconditions)",
    "RSA across recordings (rdm)",
    "Band power across recordings (bandpower)",
    "Failures",
]


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reported")
    study = write_study(tmp / "study", 2)
    result = run_pipeline(
        pipeline_dict(study, tmp / "out", report=True), n_workers=1, progress=False
    )
    assert result.ok
    return result.out_root


def _html(path):
    return path.read_text(encoding="utf-8")


def test_pipeline_writes_recording_and_study_reports(reported):
    page = reported / "sub-02" / "eeg" / "sub-02_task-faces_desc-report_report.html"
    text = _html(page)
    for heading in RECORDING_SECTIONS:
        assert f"<h2>{heading}</h2>" in text
    assert text.count('src="data:image/png;base64,') == 6  # one figure per section
    study = _html(reported / "study_report.html")
    for heading in STUDY_SECTIONS:
        assert f"<h2>{heading}</h2>" in study
    assert "sub-01_task-faces" in study and "No task failed." in study
    assert (reported / "study_desc-decodeconditions_summary.tsv").read_text().count(
        "\n"
    ) == 3  # header + 2 recordings


def test_cleaning_section_reports_the_filter_edges():
    rec = simulate_eeg(n_channels=4, duration=8.0, n_events=4)
    after = filter_recording(rec, 2.0, 30.0)
    rows = Report("x").add_cleaning(rec, after).sections[0]["table"]
    assert rows[1]["high-pass (Hz)"] == "2" and rows[1]["low-pass (Hz)"] == "30"
    assert float(rows[1]["RMS (data channels)"]) < float(rows[0]["RMS (data channels)"])


def test_report_bad_input():
    with pytest.raises(DTypeError, match="title"):
        Report(3)
    with pytest.raises(DTypeError, match="heading"):
        Report("x").add_section(None)
    with pytest.raises(DTypeError, match="responses"):
        Report("x").add_responses("not responses")
    with pytest.raises(ValidationError, match="rows is empty"):
        Report("x").add_band_power([])


def test_reports_open_in_chromium_without_errors(reported, chromium):
    page = reported / "sub-01" / "eeg" / "sub-01_task-faces_desc-report_report.html"
    for path, sections, n_figures in (
        (page, RECORDING_SECTIONS, 6),
        (reported / "study_report.html", STUDY_SECTIONS, 3),
    ):
        check = chromium(path)
        assert check.errors == []
        assert check.headings == sections
        assert check.images == {"total": n_figures, "broken": 0}


def test_chromium_check_detects_console_errors_and_broken_images(tmp_path, chromium):
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><h2>A</h2>"
        '<img src="data:image/png;base64,AAAA">'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>"
    )
    check = chromium(bad)
    assert any("boom" in e for e in check.errors)
    assert any("undefinedFunction" in e or "Uncaught" in e for e in check.errors)
    assert check.images == {"total": 1, "broken": 1}
