"""HTML reports of a recording and of a study, in the spirit of MNE's Report.

A :class:`Report` collects sections (heading, text, figures, table) and writes
them with :func:`write_html_summary`: one self-contained page, figures embedded,
written atomically. ``add_*`` methods turn neurokit_ai objects into sections;
:func:`build_recording_report` and :func:`build_study_report` assemble the pages
that ``neurokit-ai run`` writes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core import Recording, Responses, ValidationError, check_type
from ._common import check_recording, new_figure
from ._html import write_html_summary

__all__ = ["Report", "build_recording_report", "build_study_report"]

_MAX_TABLE_ROWS = 40


def _format(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_format(v) for v in value)
    return str(value)


class Report:
    """An HTML report built section by section.

    Parameters
    ----------
    title : str
        Page title and top heading.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> report = Report("sub-01").add_section("Notes", text="clean run")
    >>> out = report.save(pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> report.headings
    ['Notes']
    """

    def __init__(self, title: str) -> None:
        self.title = check_type(title, "title", str)
        self.sections: list[dict[str, Any]] = []

    @property
    def headings(self) -> list[str]:
        """The section headings, in order."""
        return [s["heading"] for s in self.sections]

    def add_section(
        self,
        heading: str,
        *,
        text: str | None = None,
        figures: Sequence[Any] = (),
        table: Any = None,
    ) -> Report:
        """Add a section (see :func:`write_html_summary` for the accepted values).

        Returns the report, so calls can be chained.

        Examples
        --------
        >>> Report("x").add_section("A", table={"k": 1}).headings
        ['A']
        """
        check_type(heading, "heading", str)
        section: dict[str, Any] = {"heading": heading, "figures": list(figures)}
        if text is not None:
            section["text"] = check_type(text, "text", str)
        if table is not None:
            section["table"] = table
        self.sections.append(section)
        return self

    def add_recording(
        self, rec: Recording, *, heading: str = "Data summary", duration: float = 10.0
    ) -> Report:
        """Channels, rate, duration and events of a recording, with its first traces.

        Examples
        --------
        >>> from neurokit_ai.datasets import simulate_eeg
        >>> rec = simulate_eeg(n_channels=4, duration=6.0, n_events=2)
        >>> Report("x").add_recording(rec).sections[0]["table"]["channels"]
        '4 (eeg: 4)'
        """
        from ._traces import plot_recording

        rec = check_recording(rec)
        counts = rec.channel_type_counts()
        events = _label_counts(rec.annotations.description)
        table = {
            "channels": f"{rec.n_channels} ("
            + ", ".join(f"{k}: {v}" for k, v in counts.items())
            + ")",
            "sampling rate": f"{rec.sfreq:g} Hz",
            "duration": f"{rec.duration:.6g} s",
            "events": events or "none",
            "bad channels": ", ".join(rec.bads) or "none",
            "source": str(rec.source),
        }
        shown = rec.pick(list(range(min(rec.n_channels, 16))))
        figure = plot_recording(shown, duration=min(duration, rec.duration))
        text = (
            f"{rec.modality} recording of subject {rec.subject or 'n/a'}: "
            f"{rec.n_channels} channels × {rec.n_times} samples."
        )
        return self.add_section(heading, text=text, figures=[figure], table=table)

    def add_cleaning(
        self,
        before: Recording,
        after: Recording,
        *,
        heading: str = "Cleaning: before and after",
        fmax: float | None = None,
    ) -> Report:
        """Mean power spectrum and signal size before and after cleaning.

        Examples
        --------
        >>> from neurokit_ai.datasets import simulate_eeg
        >>> from neurokit_ai.preprocessing import filter_recording
        >>> rec = simulate_eeg(n_channels=4, duration=6.0, n_events=2)
        >>> r = Report("x").add_cleaning(rec, filter_recording(rec, 1.0, 30.0))
        >>> r.headings
        ['Cleaning: before and after']
        """
        from ..preprocessing._common import pick_indices
        from ._spectra import welch_psd

        before, after = (
            check_recording(before, "before"),
            check_recording(after, "after"),
        )
        fig = new_figure(7.0, 3.5)
        ax = fig.add_subplot()
        rows = []
        for name, rec, color in (("before", before, "0.5"), ("after", after, "C0")):
            picked = rec.pick(pick_indices(rec, None))
            freqs, psd = welch_psd(picked)
            ax.semilogy(freqs, psd.mean(axis=0), color=color, label=name)
            rows.append(
                {
                    "": name,
                    "sampling rate (Hz)": f"{rec.sfreq:g}",
                    "high-pass (Hz)": _format(rec.metadata.get("highpass", "n/a")),
                    "low-pass (Hz)": _format(rec.metadata.get("lowpass", "n/a")),
                    "RMS (data channels)": f"{np.sqrt(np.mean(picked.data**2)):.4g}",
                }
            )
        top = fmax or min(before.sfreq, after.sfreq) / 2.0
        ax.set_xlim(0.0, top)
        ax.set_xlabel("Frequency (Hz)")
        ax.set_ylabel("Mean power (unit²/Hz)")
        ax.set_title("Power spectrum, mean over data channels")
        ax.legend()
        return self.add_section(heading, figures=[fig], table=rows)

    def add_responses(self, responses: Responses, *, heading: str = "Epochs") -> Report:
        """Condition counts and the average response of each condition.

        Examples
        --------
        >>> r = Responses(np.eye(4), conditions=["a", "b", "a", "b"])
        >>> Report("x").add_responses(r).sections[0]["table"]
        {'a': 2, 'b': 2}
        """
        from ._responses import plot_responses

        check_type(responses, "responses", Responses)
        labels = [str(c) for c in responses.conditions]
        table = {c: labels.count(c) for c in dict.fromkeys(labels)}
        text = (
            f"{responses.n_observations} epochs × {responses.n_units} units, "
            f"{responses.n_conditions} conditions."
        )
        return self.add_section(
            heading, text=text, figures=[plot_responses(responses)], table=table
        )

    def add_decoding(
        self,
        summary: Mapping[str, Any],
        folds: Sequence[Mapping[str, Any]] = (),
        *,
        heading: str = "Decoding",
    ) -> Report:
        """Decoding metrics, with a bar per cross-validation fold.

        ``folds`` are rows with a ``fold`` key and one score column each.

        Examples
        --------
        >>> Report("x").add_decoding({"accuracy": 0.9},
        ...     [{"fold": 0, "accuracy": 0.8}, {"fold": 1, "accuracy": 1.0}]).headings
        ['Decoding']
        """
        check_type(summary, "summary", Mapping)
        figures = []
        if folds:
            scores = [k for k in folds[0] if k != "fold"]
            fig = new_figure(6.0, 3.0)
            ax = fig.add_subplot()
            width = 0.8 / len(scores)
            for j, name in enumerate(scores):
                values = [float(row[name]) for row in folds]
                ax.bar(np.arange(len(values)) + j * width, values, width, label=name)
            if "chance" in summary:
                ax.axhline(float(summary["chance"]), color="k", ls="--", label="chance")
            ax.set_xlabel("Cross-validation fold")
            ax.set_ylabel("Score")
            ax.legend(fontsize=7)
            figures.append(fig)
        table = {k: _format(v) for k, v in summary.items()}
        return self.add_section(heading, figures=figures, table=table)

    def add_rdm(
        self, rdm: Any, *, heading: str = "RSA: dissimilarity matrix"
    ) -> Report:
        """An RDM as a heat map, with its values.

        Examples
        --------
        >>> from neurokit_ai.rsa import RDMs
        >>> rdm = RDMs([1.0, 2.0, 3.0], conditions=["a", "b", "c"])
        >>> Report("x").add_rdm(rdm).headings
        ['RSA: dissimilarity matrix']
        """
        from ._rsa import plot_rdm

        matrix = rdm.matrices()[0]
        names = [str(c) for c in rdm.conditions]
        table = [
            {"": a, **{b: f"{matrix[i, j]:.4g}" for j, b in enumerate(names)}}
            for i, a in enumerate(names[:_MAX_TABLE_ROWS])
        ]
        text = f"{len(names)} conditions, {rdm.measure or 'dissimilarity'}."
        return self.add_section(
            heading, text=text, figures=[plot_rdm(rdm)], table=table
        )

    def add_band_power(
        self, rows: Sequence[Mapping[str, Any]], *, heading: str = "Band power"
    ) -> Report:
        """Power per channel and band (rows: ``channel`` plus one column per band).

        Examples
        --------
        >>> Report("x").add_band_power([{"channel": "Cz", "alpha": 2e-12}]).headings
        ['Band power']
        """
        if not rows:
            raise ValidationError("rows is empty; give one row per channel.")
        bands = [k for k in rows[0] if k != "channel"]
        fig = new_figure(6.0, 3.0)
        ax = fig.add_subplot()
        ax.bar(bands, [np.mean([float(r[b]) for r in rows]) for b in bands])
        ax.set_yscale("log")
        ax.set_ylabel("Mean power over channels")
        table = [{k: _format(v) for k, v in r.items()} for r in rows[:_MAX_TABLE_ROWS]]
        return self.add_section(heading, figures=[fig], table=table)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the report as one self-contained HTML file, atomically.

        Examples
        --------
        >>> Report("x").save("report.html")  # doctest: +SKIP
        PosixPath('report.html')
        """
        return write_html_summary(path, title=self.title, sections=self.sections)


def _label_counts(labels: Sequence[Any]) -> str:
    """``"face: 20, house: 20"``: how often each label occurs, in order of first use."""
    labels = [str(x) for x in labels]
    return ", ".join(f"{x}: {labels.count(x)}" for x in dict.fromkeys(labels))


def _rdm_from_rows(rows: Sequence[Mapping[str, Any]], method: str) -> Any:
    from ..rsa import RDMs

    names = [str(r["condition"]) for r in rows]
    matrix = np.array([[float(r[n]) for n in names] for r in rows])
    return RDMs(matrix, conditions=names, measure=method)


def build_recording_report(
    raw: Recording,
    *,
    title: str,
    cleaned: Recording | None = None,
    responses: Responses | None = None,
    results: Mapping[str, Mapping[str, Any]] | None = None,
    fmax: float | None = None,
) -> Report:
    """The report of one recording: data, cleaning, epochs, decoding, RSA, power.

    Parameters
    ----------
    raw : Recording
        The recording as read.
    title : str
        Page title.
    cleaned : Recording, optional
        After cleaning (adds the before/after section).
    responses : Responses, optional
        The epochs.
    results : dict, optional
        ``{label: {"stage": name, "summary": dict, "rows": list of dict}}`` from
        the pipeline's analysis stages (``decode_*``, ``rdm``, ``band_power``).
    fmax : float, optional
        Highest frequency of the spectra.

    Returns
    -------
    Report

    Examples
    --------
    >>> from neurokit_ai.datasets import simulate_eeg
    >>> rec = simulate_eeg(n_channels=4, duration=6.0, n_events=2)
    >>> build_recording_report(rec, title="sub-01").headings
    ['Data summary']
    """
    report = Report(title).add_recording(raw)
    if cleaned is not None:
        report.add_cleaning(raw, cleaned, fmax=fmax)
    if responses is not None:
        report.add_responses(responses)
    for label, result in (results or {}).items():
        stage, summary, rows = result["stage"], result["summary"], result["rows"]
        if stage.startswith("decode"):
            report.add_decoding(summary, rows, heading=f"Decoding ({label})")
        elif stage == "rdm":
            rdm = _rdm_from_rows(rows, summary.get("method", "dissimilarity"))
            report.add_rdm(rdm, heading=f"RSA ({label})")
        elif stage == "band_power":
            report.add_band_power(rows, heading=f"Band power ({label})")
        else:
            report.add_section(f"{stage} ({label})", table=dict(summary))
    return report


def build_study_report(
    title: str,
    tables: Mapping[str, Mapping[str, Any]],
    failures: Sequence[Mapping[str, Any]],
    overview: Sequence[Mapping[str, Any]],
) -> Report:
    """The report of a study: one row per recording, per-analysis summaries, failures.

    Parameters
    ----------
    title : str
        The study (pipeline) name.
    tables : dict
        ``{label: {"stage": name, "rows": [{"recording": ..., metric: value}]}}``.
    failures : list of dict
        ``recording``, ``stage`` and ``error`` of each failed task.
    overview : list of dict
        One row per recording (status, number of stages...).

    Returns
    -------
    Report

    Examples
    --------
    >>> rows = [{"recording": "sub-01", "accuracy": 0.8, "chance": 0.5}]
    >>> build_study_report("faces", {"decodeconditions": {
    ...     "stage": "decode_conditions", "rows": rows}}, [], rows).headings
    ['Study overview', 'Decoding across recordings (decodeconditions)', 'Failures']
    """
    report = Report(f"Study report: {title}")
    n_ok = sum(1 for r in overview if r.get("status") == "ok")
    report.add_section(
        "Study overview",
        text=f"{len(overview)} recordings, {n_ok} processed without error.",
        table=[dict(r) for r in overview],
    )
    for label, entry in tables.items():
        rows = entry["rows"]
        metrics = [
            k
            for k in rows[0]
            if k != "recording"
            and all(isinstance(r[k], (int, float, np.number)) for r in rows)
            and not k.startswith("n_")
        ]
        figures = []
        if metrics:
            fig = new_figure(max(6.0, 0.3 * len(rows) + 2.0), 3.5)
            ax = fig.add_subplot()
            key = metrics[0]
            ax.bar(range(len(rows)), [float(r[key]) for r in rows])
            if "chance" in rows[0]:
                ax.axhline(
                    float(np.mean([r["chance"] for r in rows])),
                    color="k",
                    ls="--",
                    label="chance",
                )
                ax.legend()
            ax.set_xticks(range(len(rows)), [r["recording"] for r in rows], rotation=90)
            ax.set_ylabel(key)
            figures.append(fig)
            values = np.array([float(r[key]) for r in rows])
            text = (
                f"{key}: mean {values.mean():.4g}, sd {values.std():.4g}, range "
                f"{values.min():.4g}–{values.max():.4g} over {len(rows)} recordings."
            )
        else:
            text = f"{len(rows)} recordings."
        kind = {
            "decode_conditions": "Decoding",
            "decode_covariates": "Decoding",
            "rdm": "RSA",
            "band_power": "Band power",
        }.get(entry["stage"], entry["stage"])
        report.add_section(
            f"{kind} across recordings ({label})",
            text=text,
            figures=figures,
            table=[{k: _format(v) for k, v in r.items()} for r in rows],
        )
    report.add_section(
        "Failures",
        text=f"{len(failures)} failed tasks." if failures else "No task failed.",
        table=[dict(f) for f in failures] or None,
    )
    return report
