"""A one-page, self-contained HTML summary (figures embedded as base64 PNG)."""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core import DTypeError, FileFormatError, ValidationError, check_path, check_type
from ._files import figure_to_png, write_bytes_atomic

__all__ = ["write_html_summary"]

_SECTION_KEYS = ("heading", "text", "figures", "table")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_STYLE = (
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
    "color:#222}h1{border-bottom:2px solid #444}h2{margin-top:2em;color:#234}"
    "p{white-space:pre-wrap}img{max-width:100%;display:block;margin:1em 0}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left}"
    "th{background:#eee}"
)


def _png_bytes(figure: Any, where: str) -> bytes:
    if isinstance(figure, (str, os.PathLike)):
        path = check_path(figure, where, kind="file")
        payload = path.read_bytes()
        if not payload.startswith(_PNG_MAGIC):
            raise FileFormatError(
                f"{where}: {str(path)!r} is not a PNG file (wrong signature). Pass a "
                "PNG file or a matplotlib Figure."
            )
        return payload
    try:
        return figure_to_png(figure)
    except DTypeError:
        raise DTypeError(
            f"{where} must be a matplotlib Figure or the path of a PNG file, got "
            f"{type(figure).__name__}."
        ) from None


def _cell(value: Any) -> str:
    return html.escape(str(value))


def _table_html(table: Any, where: str) -> str:
    if isinstance(table, Mapping):
        body = "".join(
            f"<tr><th>{_cell(k)}</th><td>{_cell(v)}</td></tr>" for k, v in table.items()
        )
        return f"<table>{body}</table>"
    if not isinstance(table, Sequence) or isinstance(table, (str, bytes)):
        raise DTypeError(
            f"{where} must be a dict (key → value rows) or a list of rows (dicts or "
            f"sequences), got {type(table).__name__}."
        )
    if all(isinstance(row, Mapping) for row in table):
        columns = list(dict.fromkeys(k for row in table for k in row))
        head = "".join(f"<th>{_cell(c)}</th>" for c in columns)
        rows = "".join(
            "<tr>"
            + "".join(f"<td>{_cell(row.get(c, ''))}</td>" for c in columns)
            + "</tr>"
            for row in table
        )
        return f"<table><tr>{head}</tr>{rows}</table>"
    for i, row in enumerate(table):
        if not isinstance(row, Sequence) or isinstance(row, (str, bytes)):
            raise DTypeError(
                f"{where}[{i}] must be a sequence of cells (or every row a dict), got "
                f"{type(row).__name__}."
            )
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in table
    )
    return f"<table>{rows}</table>"


def _section_html(section: Any, index: int) -> str:
    where = f"sections[{index}]"
    check_type(section, where, dict)
    unknown = sorted(set(section) - set(_SECTION_KEYS))
    if unknown:
        raise ValidationError(
            f"{where} has unknown key(s) {unknown}; allowed keys are "
            f"{list(_SECTION_KEYS)}."
        )
    if "heading" not in section:
        raise ValidationError(f"{where} has no 'heading'; give each section one.")
    heading = check_type(section["heading"], f"{where}['heading']", str)
    parts = [f"<section><h2>{html.escape(heading)}</h2>"]
    text = section.get("text")
    if text is not None:
        check_type(text, f"{where}['text']", str)
        parts.append(f"<p>{html.escape(text)}</p>")
    figures = section.get("figures") or []
    if not isinstance(figures, (list, tuple)):
        raise DTypeError(
            f"{where}['figures'] must be a list of Figures or PNG paths, got "
            f"{type(figures).__name__}."
        )
    for k, fig in enumerate(figures):
        payload = _png_bytes(fig, f"{where}['figures'][{k}]")
        encoded = base64.b64encode(payload).decode("ascii")
        origin = (
            f' data-file="{html.escape(Path(fig).name)}"'
            if isinstance(fig, (str, os.PathLike))
            else ""
        )
        parts.append(
            f'<img alt="{html.escape(heading)} figure {k + 1}"{origin} '
            f'src="data:image/png;base64,{encoded}">'
        )
    if section.get("table") is not None:
        parts.append(_table_html(section["table"], f"{where}['table']"))
    parts.append("</section>")
    return "\n".join(parts)


def write_html_summary(
    path: str | os.PathLike,
    *,
    title: str,
    sections: Sequence[dict[str, Any]],
) -> Path:
    """Write a one-page, self-contained HTML summary, atomically.

    Every figure is embedded as a base64 PNG, text is HTML-escaped and the CSS
    is inline, so the single file can be mailed or archived. The page is built
    in memory first, then written to a temp file in the target folder and
    renamed over ``path``: a failure leaves any previous file intact.

    Parameters
    ----------
    path : str or path-like
        The HTML file to write (its folder must exist).
    title : str
        Page title and top heading.
    sections : list of dict
        Each with ``heading`` (str, required), ``text`` (plain str, optional),
        ``figures`` (list of matplotlib Figures or PNG file paths, optional; a
        path's file name is kept in the image's ``data-file`` attribute) and
        ``table`` (a dict, shown as key/value rows, or a list of rows: dicts
        sharing column names, or sequences of cells; optional).

    Returns
    -------
    Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_html_summary(out, title="Demo", sections=[
    ...     {"heading": "Data", "text": "3 channels", "table": {"sfreq": "100 Hz"}}])
    ... # doctest: +ELLIPSIS
    PosixPath('...report.html')
    """
    target = check_path(path, "path", must_exist=False)
    check_path(target.parent, "path's folder", kind="dir")
    check_type(title, "title", str)
    if not isinstance(sections, (list, tuple)):
        raise DTypeError(
            f"sections must be a list of dicts, got {type(sections).__name__}."
        )
    body = "\n".join(_section_html(s, i) for i, s in enumerate(sections))
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )
    return write_bytes_atomic(target, page.encode("utf-8"))
