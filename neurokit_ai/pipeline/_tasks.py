"""The Dask tasks: read (hash the inputs), one stage of one recording, the study.

Each task returns a small record (status, hash, output path, summary); data pass
between tasks through the derivatives folder. A stage whose sidecar holds the
hash of its inputs, parameters, neurokit_ai version and archive layout
(:data:`neurokit_ai.io.ARCHIVE_VERSION`) is skipped; its outputs are written
atomically and the sidecar last, so a task killed half-way leaves nothing that
looks finished. Exceptions become ``failed`` records (and ``blocked`` ones
downstream) so one bad recording never stops the others.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import Recording, Responses, ValidationError
from ..io import (
    _archive,
    read_recording,
    read_responses,
    write_recording,
    write_responses,
)
from ._inputs import Unit, read_unit
from ._spec import StepSpec
from ._stages import TableResult
from ._store import hash_files, hash_json, read_json, write_json, write_tsv

__all__ = ["StageJob", "read_task", "stage_task", "study_task", "read_tsv"]

Record = dict[str, Any]


def _version() -> str:
    from .. import __version__

    return __version__


@dataclass(frozen=True)
class StageJob:
    """One stage of one recording, with where its outputs go.

    Examples
    --------
    >>> from neurokit_ai.pipeline import StepSpec
    >>> unit = Unit((("sub", "01"),), "eeg", Path("x.edf"))
    >>> job = StageJob(unit, StepSpec("filter", "filter", {}), Path("out"), {})
    >>> job.output.name
    'sub-01_desc-filter_eeg.npz'
    """

    unit: Unit
    step: StepSpec
    out_root: Path
    read_options: dict[str, Any]

    @property
    def output(self) -> Path:
        """The main output file, in BIDS-derivatives naming."""
        stage = self.step.stage
        suffix = stage.suffix or self.unit.suffix
        name = f"{self.unit.label}_desc-{self.step.label}_{suffix}.{stage.extension}"
        return self.out_root / self.unit.folder / name

    @property
    def sidecar(self) -> Path:
        """The JSON sidecar, written last: its presence marks the stage done."""
        return self.output.with_suffix(".json")


def _record(job: StageJob | None, unit: Unit, **fields: Any) -> Record:
    base = {
        "unit": unit.label,
        "step": None if job is None else job.step.label,
        "stage": None if job is None else job.step.name,
        "path": None,
        "summary": {},
        "error": None,
        "seconds": 0.0,
    }
    return base | fields


def _failure(err: BaseException) -> str:
    where = traceback.extract_tb(err.__traceback__)[-1]
    return (
        f"{type(err).__name__}: {err} (at {Path(where.filename).name}:{where.lineno})"
    )


def _sources(unit: Unit) -> list[str]:
    """BIDS URIs (``bids::sub-01/eeg/...``) of a unit's inputs, or their paths."""
    if unit.bids_root is None:
        return [str(p) for p in unit.input_files()]
    return [f"bids::{p.relative_to(unit.bids_root)}" for p in unit.input_files()]


def read_task(unit: Unit, read_options: dict[str, Any]) -> Record:
    """Hash a recording's input files and read options (nothing is written).

    Examples
    --------
    >>> read_task(unit, {})["status"]  # doctest: +SKIP
    'done'
    """
    start = time.perf_counter()
    try:
        digest = hash_json(
            {
                "files": hash_files(unit.input_files()),
                "read": read_options,
                "unit": unit.label,
            }
        )
    except Exception as err:
        return _record(None, unit, status="failed", error=_failure(err))
    return _record(
        None, unit, status="done", hash=digest, seconds=time.perf_counter() - start
    )


def read_tsv(path: str | Path) -> list[dict[str, Any]]:
    """Read a table written by the pipeline; numeric cells become floats.

    Examples
    --------
    >>> read_tsv("sub-01_desc-rdm_rdm.tsv")  # doctest: +SKIP
    """

    def cell(text: str) -> Any:
        try:
            return float(text)
        except ValueError:
            return text

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, map(cell, line.split("\t")))) for line in lines[1:]]


def _load(job: StageJob, upstream: dict[str, Any]) -> Any:
    consumes = job.step.stage.consumes
    if consumes == "recording":
        record = upstream["recording"]
        rec = (
            read_unit(job.unit, job.read_options)
            if record["path"] is None
            else read_recording(record["path"])
        )
        if not isinstance(rec, Recording):
            raise ValidationError(
                f"{job.step.name} needs a continuous Recording, but reading "
                f"{str(job.unit.path)!r} gave a {type(rec).__name__}; bin it first."
            )
        return rec
    if consumes == "responses":
        return read_responses(upstream["responses"]["path"])
    unit: dict[str, Any] = {
        "label": job.unit.label,
        "raw": read_unit(job.unit, job.read_options),
        "results": {
            r["step"]: {
                "stage": r["stage"],
                "summary": r["summary"],
                "rows": read_tsv(r["path"]),
            }
            for r in upstream["results"]
        },
    }
    if upstream["recording"]["path"] is not None:
        unit["recording"] = read_recording(upstream["recording"]["path"])
    if upstream.get("responses") is not None:
        unit["responses"] = read_responses(upstream["responses"]["path"])
    return unit


def _save(job: StageJob, output: Any) -> dict[str, Any]:
    produces = job.step.stage.produces
    expected = {
        "recording": Recording,
        "responses": Responses,
        "table": TableResult,
    }.get(produces)
    if expected is not None and not isinstance(output, expected):
        raise ValidationError(
            f"stage {job.step.name!r} returned {type(output).__name__}, not the "
            f"{expected.__name__} it declares."
        )
    job.output.parent.mkdir(parents=True, exist_ok=True)
    if produces == "recording":
        write_recording(output, job.output)
    elif produces == "responses":
        write_responses(output, job.output)
    elif produces == "table":
        write_tsv(job.output, output.rows, output.columns)
        return output.summary
    else:
        output.save(job.output)
    return {}


def _upstream_records(upstream: dict[str, Any]) -> list[Record]:
    out = []
    for value in upstream.values():
        if isinstance(value, list):
            out.extend(value)
        elif value is not None:
            out.append(value)
    return out


def stage_task(job: StageJob, upstream: dict[str, Any]) -> Record:
    """Run one stage of one recording, or skip it when its outputs are current.

    Parameters
    ----------
    job : StageJob
        The stage, the recording and the output folder.
    upstream : dict
        Records of the tasks it depends on, by role: ``"recording"`` (the read
        or last cleaning task), ``"responses"`` (the epoch task) and
        ``"results"`` (a list of analysis tasks, for reports).

    Returns
    -------
    dict
        ``status`` is ``"done"``, ``"skipped"`` (up to date), ``"failed"`` (with
        ``error``) or ``"blocked"`` (an upstream task failed).

    Examples
    --------
    >>> stage_task(job, {"recording": read_task(unit, {})})  # doctest: +SKIP
    """
    start = time.perf_counter()
    records = _upstream_records(upstream)
    bad = [r for r in records if r["status"] in ("failed", "blocked")]
    if bad:
        return _record(
            job, job.unit, status="blocked", error=f"upstream {bad[0]['error']}"
        )
    digest = hash_json(
        {
            "stage": job.step.name,
            "params": job.step.params,
            "upstream": sorted(r["hash"] for r in records),
            "version": _version(),
            "archive": _archive.ARCHIVE_VERSION,
        }
    )
    done = dict(
        hash=digest, path=str(job.output), seconds=0.0, summary={}, status="skipped"
    )
    try:
        if job.sidecar.is_file() and job.output.is_file():
            sidecar = read_json(job.sidecar)
            if sidecar.get("Hash") == digest:
                return _record(
                    job, job.unit, **(done | {"summary": sidecar["Summary"]})
                )
        from ._cluster import inner_parallel_context

        data = _load(job, upstream)
        with inner_parallel_context():
            output = job.step.stage.run(data, dict(job.step.params))
        summary = _save(job, output)
        write_json(
            job.sidecar,
            {
                "Description": job.step.stage.doc,
                "Stage": job.step.name,
                "Parameters": job.step.params,
                "Sources": _sources(job.unit),
                "Hash": digest,
                "Summary": summary,
                "GeneratedBy": {"Name": "neurokit_ai", "Version": _version()},
            },
        )
    except Exception as err:
        return _record(job, job.unit, status="failed", error=_failure(err))
    seconds = time.perf_counter() - start
    return _record(
        job,
        job.unit,
        **(done | {"status": "done", "summary": summary, "seconds": seconds}),
    )


def study_task(
    out_root: Path, title: str, steps: list[StepSpec], records: list[Record]
) -> Record:
    """Write the study report and one summary table per analysis stage.

    Skipped when the hashes of every recording's results are unchanged.

    Examples
    --------
    >>> study_task(out_root, "faces", spec.steps, records)  # doctest: +SKIP
    """
    from ..viz._report import build_study_report

    start = time.perf_counter()
    base: Record = {
        "unit": "study",
        "step": "study",
        "stage": "study",
        "path": str(out_root / "study_report.html"),
        "summary": {},
        "error": None,
        "seconds": 0.0,
    }
    output = out_root / "study_report.html"
    sidecar = out_root / "study_report.json"
    digest = hash_json(
        {
            "records": sorted(
                (r["unit"], str(r["step"]), r.get("hash"), str(r["error"]))
                for r in records
            ),
            "title": title,
            "version": _version(),
        }
    )
    try:
        if sidecar.is_file() and output.is_file():
            if read_json(sidecar).get("Hash") == digest:
                return base | {"status": "skipped", "hash": digest}
        tables = {}
        for step in steps:
            if step.stage.produces != "table":
                continue
            rows = [
                {"recording": r["unit"], **r["summary"]}
                for r in sorted(records, key=lambda r: r["unit"])
                if r["step"] == step.label and r["status"] in ("done", "skipped")
            ]
            if rows:
                columns = list(dict.fromkeys(k for row in rows for k in row))
                rows = [{c: row.get(c, "n/a") for c in columns} for row in rows]
                write_tsv(
                    out_root / f"study_desc-{step.label}_summary.tsv", rows, columns
                )
                tables[step.label] = {"stage": step.name, "rows": rows}
        failures = [
            {"recording": r["unit"], "stage": r["stage"], "error": r["error"]}
            for r in records
            if r["status"] == "failed"
        ]
        report = build_study_report(title, tables, failures, _study_overview(records))
        report.save(output)
        write_json(sidecar, {"Hash": digest, "Recordings": len(_units(records))})
    except Exception as err:
        return base | {"status": "failed", "error": _failure(err), "path": None}
    seconds = time.perf_counter() - start
    return base | {"status": "done", "hash": digest, "seconds": seconds}


def _units(records: list[Record]) -> list[str]:
    return sorted({r["unit"] for r in records})


def _study_overview(records: list[Record]) -> list[dict[str, Any]]:
    rows = []
    for label in _units(records):
        mine = [r for r in records if r["unit"] == label and r["step"] is not None]
        failed = [r for r in mine if r["status"] in ("failed", "blocked")]
        rows.append(
            {
                "recording": label,
                "stages": len(mine),
                "status": "failed" if failed else "ok",
                "first error": failed[0]["error"] if failed else "",
            }
        )
    return rows
