"""Study runs: declarative pipelines over BIDS datasets or file lists, on Dask.

A pipeline file (YAML or TOML) names the inputs and the stages (read → clean →
epoch → analyse → report); :func:`run_pipeline` (``neurokit-ai run``) runs one
task per recording and stage on a Dask cluster, writes BIDS-derivatives outputs
atomically, skips what is up to date and reports failures without stopping.

Examples
--------
>>> from neurokit_ai.pipeline import STAGES, load_pipeline
>>> spec = load_pipeline({"name": "faces", "inputs": {"files": ["a.edf"]},
...                       "derivatives": "out",
...                       "stages": [{"filter": {"l_freq": 1.0, "h_freq": 40.0}}]})
>>> spec.steps[0].params["method"]
'fir'
"""

from ._cluster import SchedulerUnreachableError, connect
from ._inputs import Unit, find_units, read_unit
from ._runner import RunResult, plan_jobs, run_pipeline
from ._schema import REQUIRED, Param
from ._spec import InputSpec, PipelineSpec, StepSpec, load_pipeline
from ._stages import KINDS, STAGES, Stage, TableResult
from ._tasks import StageJob, read_task, stage_task, study_task

__all__ = [
    "InputSpec",
    "KINDS",
    "Param",
    "PipelineSpec",
    "REQUIRED",
    "RunResult",
    "STAGES",
    "SchedulerUnreachableError",
    "Stage",
    "StageJob",
    "StepSpec",
    "TableResult",
    "Unit",
    "connect",
    "find_units",
    "load_pipeline",
    "plan_jobs",
    "read_task",
    "read_unit",
    "run_pipeline",
    "stage_task",
    "study_task",
]
