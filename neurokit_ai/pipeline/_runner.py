"""Run a pipeline over a study on Dask: the task graph, progress, and the run log."""

from __future__ import annotations

import datetime as _dt
import os
import secrets
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import DTypeError
from ._cluster import connect
from ._inputs import Unit, find_units
from ._spec import PipelineSpec, load_pipeline
from ._store import write_json
from ._tasks import StageJob, read_task, stage_task, study_task

__all__ = ["RunResult", "plan_jobs", "run_pipeline"]

Record = dict[str, Any]


@dataclass(frozen=True)
class RunResult:
    """What a run did: one record per task, and where the outputs are.

    Examples
    --------
    >>> r = RunResult(Path("out"), [{"status": "done", "step": "filter",
    ...                              "unit": "sub-01", "error": None}])
    >>> r.counts, r.ok
    ({'done': 1}, True)
    """

    out_root: Path
    records: list[Record]

    @property
    def counts(self) -> dict[str, int]:
        """Number of stage tasks per status (reads excluded)."""
        return dict(Counter(r["status"] for r in self.records if r["step"]))

    @property
    def failed(self) -> list[Record]:
        """Records of the tasks that raised."""
        return [r for r in self.records if r["status"] == "failed"]

    @property
    def ok(self) -> bool:
        """Whether no task failed."""
        return not self.failed

    def summary(self) -> str:
        """A few lines: counts per status and each failure."""
        counts = ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items()))
        lines = [f"{len(self.records)} tasks: {counts}"]
        lines += [f"FAILED {r['unit']} {r['step']}: {r['error']}" for r in self.failed]
        return "\n".join(lines)


def plan_jobs(spec: PipelineSpec, units: list[Unit]) -> dict[str, list[StageJob]]:
    """The stage jobs of every recording, in pipeline order.

    Examples
    --------
    >>> jobs = plan_jobs(spec, find_units(spec.inputs))  # doctest: +SKIP
    """
    return {
        unit.label: [
            StageJob(unit, step, spec.output_root, spec.inputs.read_options)
            for step in spec.steps
        ]
        for unit in units
    }


def _submit(client: Any, spec: PipelineSpec, units: list[Unit], token: str) -> list:
    futures = []
    per_unit_results = []
    for label, jobs in plan_jobs(spec, units).items():
        unit = jobs[0].unit if jobs else None
        read = client.submit(
            read_task, unit, spec.inputs.read_options, key=f"read-{label}-{token}"
        )
        futures.append(read)
        roles: dict[str, Any] = {"recording": read, "responses": None, "results": []}
        for job in jobs:
            stage = job.step.stage
            if stage.consumes == "unit":
                upstream = dict(roles)
            else:
                upstream = {stage.consumes: roles[stage.consumes]}
            future = client.submit(
                stage_task, job, upstream, key=f"{job.step.label}-{label}-{token}"
            )
            futures.append(future)
            if stage.produces in ("recording", "responses"):
                roles[stage.produces] = future
            elif stage.produces == "table":
                roles["results"] = [*roles["results"], future]
        per_unit_results.extend(f for f in futures[-len(jobs) - 1 :])
    if any(step.stage.kind == "report" for step in spec.steps):
        futures.append(
            client.submit(
                study_task,
                spec.output_root,
                spec.name,
                list(spec.steps),
                per_unit_results,
                key=f"study-{token}",
            )
        )
    return futures


def _clean_stale(out_root: Path) -> list[Path]:
    stale = [p for p in out_root.rglob(".*.tmp") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _describe_dataset(spec: PipelineSpec) -> None:
    from .. import __version__

    source = spec.inputs.bids_root
    write_json(
        spec.output_root / "dataset_description.json",
        {
            "Name": f"neurokit_ai pipeline {spec.name}",
            "BIDSVersion": "1.9.0",
            "DatasetType": "derivative",
            "GeneratedBy": [{"Name": "neurokit_ai", "Version": __version__}],
            "SourceDatasets": [{"URL": str(source)}] if source else [],
            "Pipeline": spec.to_dict(),
        },
    )


def run_pipeline(
    pipeline: str | os.PathLike | Mapping[str, Any] | PipelineSpec,
    *,
    scheduler: str | None = None,
    n_workers: int = 2,
    derivatives: str | os.PathLike | None = None,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
    timeout: float = 10.0,
) -> RunResult:
    """Run a pipeline over every selected recording, on Dask.

    Every recording gets one task per stage (read, clean..., epoch, analyses,
    report) and the study one report task; they run on a local cluster of
    ``n_workers`` processes, or on the cluster of ``scheduler``. Outputs go
    under ``<derivatives>/neurokit_ai-<name>/`` in BIDS-derivatives naming, each
    written atomically with a JSON sidecar holding the hash of its inputs and
    parameters: a re-run skips every stage whose hash is unchanged. A failing
    recording is reported (``RunResult.failed``) and the others go on.

    Parameters
    ----------
    pipeline : str, path-like, mapping or PipelineSpec
        A pipeline file (see :func:`load_pipeline`) or its content.
    scheduler : str, optional
        Address of a running Dask scheduler; default: a local cluster.
    n_workers : int
        Worker processes of the local cluster.
    derivatives : str or path-like, optional
        Overrides the pipeline's derivatives folder.
    progress : bool
        Show a tqdm bar over the tasks.
    echo : callable, optional
        Called with one line per failure and a final summary (the CLI passes
        ``print``).
    timeout : float
        Seconds to wait for ``scheduler``.

    Returns
    -------
    RunResult

    Raises
    ------
    SchedulerUnreachableError
        When ``scheduler`` does not answer (nothing is written then).
    MissingFileError
        When the inputs select no recording.

    Examples
    --------
    >>> result = run_pipeline("faces.yaml", n_workers=2)  # doctest: +SKIP
    >>> result.counts  # doctest: +SKIP
    {'done': 80}
    """
    from tqdm.auto import tqdm

    if isinstance(pipeline, PipelineSpec):
        spec = pipeline
        if derivatives is not None:
            spec = PipelineSpec(spec.name, spec.inputs, spec.steps, Path(derivatives))
    elif isinstance(pipeline, (str, os.PathLike, Mapping)):
        spec = load_pipeline(pipeline, derivatives=derivatives)
    else:
        raise DTypeError(
            "pipeline must be a pipeline file, a mapping or a PipelineSpec, got "
            f"{type(pipeline).__name__}."
        )
    if not isinstance(progress, bool):
        raise DTypeError(f"progress must be True or False, got {progress!r}.")
    say = echo or (lambda line: None)
    units = find_units(spec.inputs)
    started = _dt.datetime.now(_dt.timezone.utc)
    with connect(scheduler, n_workers=n_workers, timeout=timeout) as client:
        from distributed import as_completed

        spec.output_root.mkdir(parents=True, exist_ok=True)
        for path in _clean_stale(spec.output_root):
            say(f"removed a temporary file left by an interrupted run: {path}")
        _describe_dataset(spec)
        futures = _submit(client, spec, units, secrets.token_hex(4))
        records: list[Record] = []
        bar = tqdm(
            total=len(futures), desc=spec.name, unit="task", disable=not progress
        )
        with bar:
            for future in as_completed(futures):
                if future.status == "error":
                    unit, step = str(future.key).split("-", 1)[1], "?"
                    record = {
                        "unit": unit,
                        "step": step,
                        "stage": step,
                        "status": "failed",
                        "error": f"{type(future.exception()).__name__}: "
                        f"{future.exception()}",
                        "path": None,
                        "summary": {},
                        "seconds": 0.0,
                    }
                else:
                    record = future.result()
                records.append(record)
                if record["status"] == "failed":
                    say(f"FAILED {record['unit']} {record['step']}: {record['error']}")
                bar.set_postfix(Counter(r["status"] for r in records), refresh=False)
                bar.update()
    result = RunResult(spec.output_root, records)
    log = spec.output_root / "logs" / f"run-{started:%Y%m%dT%H%M%S%fZ}.json"
    log.parent.mkdir(exist_ok=True)
    write_json(log, {"started": started.isoformat(), "records": records})
    say(result.summary())
    say(f"outputs: {spec.output_root}")
    return result
