"""Pipeline files (YAML or TOML): reading, schema checks, and the validated spec."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import DTypeError, FileFormatError, ValidationError, check_path
from ._schema import check_keys, check_param_type, resolve_params, suggest
from ._stages import KINDS, STAGES

__all__ = ["InputSpec", "PipelineSpec", "StepSpec", "load_pipeline"]

_TOP_KEYS = ("name", "inputs", "stages", "derivatives")
_INPUT_KEYS = (
    "bids_root",
    "subjects",
    "sessions",
    "tasks",
    "runs",
    "acquisitions",
    "datatype",
    "files",
    "read_options",
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_LABEL = re.compile(r"^[A-Za-z0-9]+$")


@dataclass(frozen=True)
class InputSpec:
    """Where the recordings come from: a BIDS root with filters, or a file list.

    Examples
    --------
    >>> InputSpec(files=(Path("a.edf"),)).bids_root is None
    True
    """

    bids_root: Path | None = None
    subjects: tuple[str, ...] | None = None
    sessions: tuple[str, ...] | None = None
    tasks: tuple[str, ...] | None = None
    runs: tuple[str, ...] | None = None
    acquisitions: tuple[str, ...] | None = None
    datatype: str | None = None
    files: tuple[Path, ...] = ()
    read_options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepSpec:
    """One stage of a pipeline with its resolved parameters.

    ``label`` is the stage's BIDS ``desc-`` label (its name without
    underscores, numbered when a stage appears twice).

    Examples
    --------
    >>> StepSpec("filter", "filter", {"l_freq": 1.0}).stage.kind
    'clean'
    """

    name: str
    label: str
    params: dict[str, Any]

    @property
    def stage(self) -> Any:
        """The registered :class:`Stage`."""
        return STAGES[self.name]


@dataclass(frozen=True)
class PipelineSpec:
    """A validated pipeline: its name, inputs, stages and derivatives folder.

    Examples
    --------
    >>> spec = load_pipeline({"name": "demo", "inputs": {"files": ["a.edf"]},
    ...                       "derivatives": "out",
    ...                       "stages": [{"filter": {"l_freq": 1, "h_freq": 40}}]})
    >>> [s.label for s in spec.steps]
    ['filter']
    """

    name: str
    inputs: InputSpec
    steps: tuple[StepSpec, ...]
    derivatives: Path

    @property
    def output_root(self) -> Path:
        """``<derivatives>/neurokit_ai-<name>``: this pipeline's derivatives dataset."""
        return self.derivatives / f"neurokit_ai-{self.name}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (stored with the outputs)."""
        return {
            "name": self.name,
            "stages": [{s.name: s.params} for s in self.steps],
        }


def _read_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise FileFormatError(f"pipeline file {str(path)!r}: {err}") from err
    if path.suffix == ".toml":
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise FileFormatError(f"pipeline file {str(path)!r}: {err}") from err
    raise ValidationError(
        f"pipeline file {str(path)!r} has the extension {path.suffix!r}; use .yaml, "
        ".yml or .toml."
    )


def _labels(value: Any, where: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    check_param_type(value, (list,), where)
    out = []
    for item in value:
        text = str(check_param_type(item, (str, int), f"{where} item"))
        if not _LABEL.match(text):
            raise ValidationError(
                f"{where}: {text!r} is not a BIDS label (letters and digits, without "
                "the 'sub-'/'ses-' key)."
            )
        out.append(text)
    return tuple(out)


def _path(value: Any, where: str, base: Path) -> Path:
    check_param_type(value, (str,), where)
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _inputs(raw: Any, base: Path) -> InputSpec:
    check_param_type(raw, (dict,), "inputs")
    check_keys(raw, _INPUT_KEYS, "inputs")
    if ("bids_root" in raw) == ("files" in raw):
        raise ValidationError(
            "inputs: give exactly one of 'bids_root' (a BIDS dataset, with optional "
            "subjects/sessions/tasks/runs filters) or 'files' (a list of recordings)."
        )
    read_options = check_param_type(
        raw.get("read_options", {}), (dict,), "inputs.read_options"
    )
    if "files" in raw:
        given = check_param_type(raw["files"], (list,), "inputs.files")
        if not given:
            raise ValidationError("inputs.files is empty; list at least one file.")
        extra = sorted(set(raw) - {"files", "read_options"})
        if extra:
            raise ValidationError(
                f"inputs: {extra} only apply to a BIDS root; remove them or use "
                "'bids_root' instead of 'files'."
            )
        files = tuple(_path(f, "inputs.files item", base) for f in given)
        return InputSpec(files=files, read_options=read_options)
    datatype = raw.get("datatype")
    if datatype is not None:
        check_param_type(datatype, (str,), "inputs.datatype")
    return InputSpec(
        bids_root=_path(raw["bids_root"], "inputs.bids_root", base),
        subjects=_labels(raw.get("subjects"), "inputs.subjects"),
        sessions=_labels(raw.get("sessions"), "inputs.sessions"),
        tasks=_labels(raw.get("tasks"), "inputs.tasks"),
        runs=_labels(raw.get("runs"), "inputs.runs"),
        acquisitions=_labels(raw.get("acquisitions"), "inputs.acquisitions"),
        datatype=datatype,
        read_options=read_options,
    )


def _step(item: Any, index: int) -> tuple[str, dict[str, Any]]:
    where = f"stages[{index}]"
    if isinstance(item, str):
        name, given = item, {}
    elif isinstance(item, Mapping) and len(item) == 1:
        name, given = next(iter(item.items()))
        given = {} if given is None else given
        check_param_type(given, (dict,), f"{where}.{name}")
    else:
        raise DTypeError(
            f"{where} must be a stage name or a one-key mapping "
            f"'{{stage: {{param: value}}}}', got {item!r}."
        )
    if name not in STAGES:
        raise ValidationError(
            f"{where}: unknown stage {name!r}; valid stages are {sorted(STAGES)}."
            + suggest(str(name), STAGES)
        )
    return name, resolve_params(given, STAGES[name].params, f"{where} ({name})")


def _steps(raw: Any) -> tuple[StepSpec, ...]:
    check_param_type(raw, (list,), "stages")
    if not raw:
        raise ValidationError("stages is empty; list at least one stage.")
    steps: list[StepSpec] = []
    seen: dict[str, int] = {}
    last_kind = 0
    for index, item in enumerate(raw):
        name, params = _step(item, index)
        stage = STAGES[name]
        kind = KINDS.index(stage.kind)
        if kind < last_kind:
            raise ValidationError(
                f"stages[{index}] ({name}, a {stage.kind} stage) comes after a "
                f"{KINDS[last_kind]} stage; order the stages {' → '.join(KINDS)}."
            )
        last_kind = kind
        if stage.consumes == "responses" and "epoch" not in seen:
            raise ValidationError(
                f"stages[{index}] ({name}) analyses epochs; put an epoch stage "
                "before it."
            )
        if name in ("epoch", "report") and name in seen:
            raise ValidationError(f"stages[{index}]: {name!r} may appear only once.")
        seen[name] = seen.get(name, 0) + 1
        base = name.replace("_", "")
        label = base if seen[name] == 1 else f"{base}{seen[name]}"
        steps.append(StepSpec(name, label, params))
    return tuple(steps)


def load_pipeline(
    source: str | os.PathLike | Mapping[str, Any],
    *,
    derivatives: str | os.PathLike | None = None,
) -> PipelineSpec:
    """Read and validate a pipeline file (YAML or TOML) or mapping.

    A pipeline names its inputs and its stages; every key and every stage
    parameter is checked, and an error names the bad one and lists the valid
    ones. Relative paths are relative to the file's folder (or the current
    folder for a mapping).

    Parameters
    ----------
    source : str, path-like or mapping
        A ``.yaml``/``.yml``/``.toml`` file, or its content as a dict::

            name: faces                 # output: <derivatives>/neurokit_ai-faces
            inputs:
              bids_root: ds001          # or  files: [a.edf, b.fif]
              subjects: [01, 02]        # optional filters: sessions, tasks,
              tasks: [faces]            #   runs, acquisitions, datatype
            derivatives: ds001/derivatives   # default: <bids_root>/derivatives
            stages:
              - filter: {l_freq: 1.0, h_freq: 40.0}
              - epoch: {tmin: -0.2, tmax: 0.5, window: [0.1, 0.3]}
              - decode_conditions: {cv: 5, n_jobs: 2}
              - report

    derivatives : str or path-like, optional
        Overrides the file's ``derivatives``.

    Returns
    -------
    PipelineSpec

    Examples
    --------
    >>> load_pipeline({"name": "x", "inputs": {"files": ["a.edf"]},
    ...                "stages": ["filtr"]})
    Traceback (most recent call last):
    ...
    neurokit_ai.core._errors.ValidationError: stages[0]: unknown stage 'filtr'; \
valid stages are ['band_power', 'decode_conditions', 'decode_covariates', 'epoch', \
'filter', 'notch', 'rdm', 'remove_artifacts', 'report', 'resample']. \
Did you mean 'filter'?
    """
    if isinstance(source, Mapping):
        raw, base = dict(source), Path.cwd()
    else:
        path = check_path(source, "pipeline", kind="file")
        raw, base = _read_file(path), path.parent.resolve()
    if not isinstance(raw, Mapping):
        raise FileFormatError(
            f"the pipeline must be a mapping with keys {list(_TOP_KEYS)}, got "
            f"{type(raw).__name__}."
        )
    check_keys(raw, _TOP_KEYS, "pipeline", required=("name", "inputs", "stages"))
    name = check_param_type(raw["name"], (str,), "name")
    if not _NAME.match(name):
        raise ValidationError(
            f"name {name!r} must be letters, digits, '-' or '_' (it names the "
            "derivatives folder)."
        )
    inputs = _inputs(raw["inputs"], base)
    steps = _steps(raw["stages"])
    if derivatives is not None:
        out = Path(derivatives)
    elif "derivatives" in raw:
        out = _path(raw["derivatives"], "derivatives", base)
    elif inputs.bids_root is not None:
        out = inputs.bids_root / "derivatives"
    else:
        raise ValidationError(
            "derivatives is missing; with a list of files, say where the outputs go "
            "(derivatives: <folder>), or pass --derivatives."
        )
    return PipelineSpec(name, inputs, steps, out)
