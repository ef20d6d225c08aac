"""write_html_summary and save_figure: self-contained, escaped, atomic."""

import base64
import os
import re
import stat
from unittest import mock

import numpy as np
import pytest
from matplotlib.figure import Figure

from neurokit_ai.core import (
    DTypeError,
    FileFormatError,
    MissingFileError,
    ValidationError,
)
from neurokit_ai.viz import save_figure, write_html_summary


def _figure():
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot(np.arange(5))
    return fig


def test_page_embeds_figures_and_escapes_text(tmp_path):
    png = save_figure(_figure(), tmp_path / "f.png")
    out = write_html_summary(
        tmp_path / "index.html",
        title="Run <1>",
        sections=[
            {
                "heading": "EEG & co",
                "text": "<script>alert(1)</script>",
                "figures": [_figure(), png],
                "table": {"sfreq": "128 Hz"},
            },
            {"heading": "Units", "table": [{"unit": "u1", "rate": 3}, {"unit": "u2"}]},
        ],
    )
    page = out.read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<h2>EEG &amp; co</h2>" in page and "<title>Run &lt;1&gt;</title>" in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2
    assert base64.b64decode(images[1]) == png.read_bytes()
    assert re.findall(r'data-file="([^"]+)"', page) == ["f.png"]
    assert base64.b64decode(images[0]).startswith(b"\x89PNG")
    assert "<th>sfreq</th><td>128 Hz</td>" in page
    assert "<tr><td>u2</td><td></td></tr>" in page
    assert 'src="http' not in page and "<link" not in page


def test_failure_mid_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("old report")
    with mock.patch(
        "neurokit_ai.viz._files.os.fsync", side_effect=OSError("disk full")
    ):
        with pytest.raises(OSError, match="disk full"):
            write_html_summary(target, title="new", sections=[{"heading": "x" * 1000}])
    assert target.read_text() == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_save_figure_is_atomic_too(tmp_path):
    target = tmp_path / "f.png"
    target.write_bytes(b"old")
    with mock.patch("neurokit_ai.viz._files.os.replace", side_effect=OSError("boom")):
        with pytest.raises(OSError):
            save_figure(_figure(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.png"]


def test_written_files_get_the_usual_permissions(tmp_path):
    previous = os.umask(0o022)
    try:
        out = save_figure(_figure(), tmp_path / "f.png")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("sections", "error", "match"),
    [
        ({"heading": "x"}, DTypeError, "sections must be a list"),
        ([{"text": "no heading"}], ValidationError, "no 'heading'"),
        ([{"heading": "x", "figure": []}], ValidationError, "unknown key"),
        ([{"heading": 3}], DTypeError, "heading"),
        ([{"heading": "x", "figures": ["missing.png"]}], MissingFileError, "missing"),
        ([{"heading": "x", "figures": [np.zeros((3, 3))]}], DTypeError, "Figure"),
        ([{"heading": "x", "table": "a=1"}], DTypeError, "table"),
        ([{"heading": "x", "table": [1, 2]}], DTypeError, r"table'\]\[0\]"),
    ],
)
def test_bad_sections_raise_and_write_nothing(tmp_path, sections, error, match):
    with pytest.raises(error, match=match):
        write_html_summary(tmp_path / "i.html", title="t", sections=sections)
    assert list(tmp_path.iterdir()) == []


def test_non_png_figure_file_is_rejected(tmp_path):
    fake = tmp_path / "fake.png"
    fake.write_text("not a png")
    with pytest.raises(FileFormatError, match="not a PNG"):
        write_html_summary(
            tmp_path / "i.html",
            title="t",
            sections=[{"heading": "x", "figures": [fake]}],
        )
    assert not (tmp_path / "i.html").exists()


def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(MissingFileError, match="folder"):
        write_html_summary(tmp_path / "nope" / "i.html", title="t", sections=[])
