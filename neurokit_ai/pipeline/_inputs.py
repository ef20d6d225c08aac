"""From a pipeline's inputs to its units: one recording (subject, session, run) each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import MissingFileError, Recording, ValidationError, check_path
from ._spec import InputSpec

__all__ = ["Unit", "find_units", "read_unit"]

_ENTITY_KEYS = (
    ("sub", "subject"),
    ("ses", "session"),
    ("task", "task"),
    ("acq", "acquisition"),
    ("run", "run"),
)


@dataclass(frozen=True)
class Unit:
    """One recording of a study: its BIDS entities, files and how to read it.

    Examples
    --------
    >>> u = Unit((("sub", "01"), ("task", "faces")), "eeg", Path("x.edf"))
    >>> u.label, u.folder
    ('sub-01_task-faces', 'sub-01')
    """

    entities: tuple[tuple[str, str], ...]
    suffix: str
    path: Path
    datatype: str | None = None
    bids_root: Path | None = None
    read_kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``sub-01_ses-1_task-faces``: the entities in BIDS order."""
        return "_".join(f"{k}-{v}" for k, v in self.entities)

    @property
    def folder(self) -> str:
        """Output folder relative to the derivatives root (``sub-01/ses-1/eeg``)."""
        parts = [f"{k}-{v}" for k, v in self.entities if k in ("sub", "ses")]
        if self.datatype:
            parts.append(self.datatype)
        return "/".join(parts)

    def input_files(self) -> list[Path]:
        """The files whose content defines this recording (data and sidecars)."""
        if self.path.is_dir():
            return sorted(p for p in self.path.rglob("*") if p.is_file())
        folder = self.path.parent
        if self.bids_root is not None:
            prefix = self.path.name[: self.path.name.rfind("_") + 1]
            return sorted(
                p
                for p in folder.iterdir()
                if p.is_file() and (p.name.startswith(prefix) or "task-" not in p.name)
            )
        stem = self.path.name.split(".")[0]
        return sorted(
            p for p in folder.iterdir() if p.is_file() and p.name.split(".")[0] == stem
        )


def _bids_units(spec: InputSpec) -> list[Unit]:
    from mne_bids import find_matching_paths, get_entity_vals
    from mne_bids.config import reader

    root = check_path(spec.bids_root, "inputs.bids_root", kind="dir")
    if not (root / "dataset_description.json").is_file():
        raise MissingFileError(
            f"inputs.bids_root {str(root)!r} has no dataset_description.json, so it "
            "is not the root of a BIDS dataset; point it at the folder that holds it."
        )

    def listed(values: tuple[str, ...] | None) -> list[str] | None:
        return None if values is None else list(values)

    paths = find_matching_paths(
        root,
        subjects=listed(spec.subjects),
        sessions=listed(spec.sessions),
        tasks=listed(spec.tasks),
        runs=listed(spec.runs),
        acquisitions=listed(spec.acquisitions),
        datatypes=None if spec.datatype is None else [spec.datatype],
        ignore_json=True,
    )
    found: dict[str, Unit] = {}
    for bp in sorted(paths, key=lambda p: str(p.fpath)):
        if bp.extension not in reader or bp.extension == ".pdf":
            continue
        entities = tuple(
            (key, str(getattr(bp, attr)))
            for key, attr in _ENTITY_KEYS
            if getattr(bp, attr) is not None
        )
        unit = Unit(
            entities,
            bp.suffix or bp.datatype,
            Path(bp.fpath),
            datatype=bp.datatype,
            bids_root=root,
            read_kwargs={attr: getattr(bp, attr) for _, attr in _ENTITY_KEYS}
            | {"datatype": bp.datatype, "suffix": bp.suffix},
        )
        found.setdefault(unit.label, unit)
    if not found:
        filters = {
            k: list(v)
            for k, v in (
                ("subjects", spec.subjects),
                ("sessions", spec.sessions),
                ("tasks", spec.tasks),
                ("runs", spec.runs),
                ("acquisitions", spec.acquisitions),
                ("datatype", (spec.datatype,) if spec.datatype else None),
            )
            if v is not None
        }
        have = {
            key: get_entity_vals(root, key)
            for key in ("subject", "session", "task", "run")
        }
        have = {k: v for k, v in have.items() if v}
        raise MissingFileError(
            f"No recording in the BIDS dataset {str(root)!r} matches the filters "
            f"{filters}. The dataset has {have or 'no sub-* recordings'}; fix "
            "inputs.subjects/sessions/tasks/runs in the pipeline file."
        )
    return list(found.values())


def _file_units(spec: InputSpec) -> list[Unit]:
    units = []
    for k, given in enumerate(spec.files):
        path = check_path(given, f"inputs.files[{k}]")
        stem = path.name.split(".")[0]
        parsed = dict(re.findall(r"(sub|ses|task|acq|run)-([A-Za-z0-9]+)", stem))
        if "sub" not in parsed:
            parsed = {"sub": re.sub(r"[^A-Za-z0-9]", "", stem) or f"file{k}"}
        entities = tuple((key, parsed[key]) for key, _ in _ENTITY_KEYS if key in parsed)
        tail = stem.rsplit("_", 1)[-1]
        suffix = tail if "_" in stem and "-" not in tail else "recording"
        units.append(Unit(entities, suffix, path))
    labels = [u.label for u in units]
    repeated = sorted({x for x in labels if labels.count(x) > 1})
    if repeated:
        raise ValidationError(
            f"inputs.files: several files map to the same unit {repeated}; give "
            "them distinct BIDS entities (sub-, ses-, task-, run-) in their names."
        )
    return units


def find_units(spec: InputSpec) -> list[Unit]:
    """List the recordings a pipeline's inputs select.

    Parameters
    ----------
    spec : InputSpec
        The pipeline's ``inputs``.

    Returns
    -------
    list of Unit
        In the order of their BIDS labels.

    Examples
    --------
    >>> units = find_units(InputSpec(bids_root=Path("ds001")))  # doctest: +SKIP
    >>> units[0].label  # doctest: +SKIP
    'sub-01_task-faces'
    """
    units = _bids_units(spec) if spec.bids_root is not None else _file_units(spec)
    return sorted(units, key=lambda u: u.label)


def read_unit(unit: Unit, read_options: dict[str, Any]) -> Recording:
    """Read a unit's recording (through mne-bids for a BIDS dataset).

    Examples
    --------
    >>> rec = read_unit(find_units(spec)[0], {})  # doctest: +SKIP
    """
    if unit.bids_root is not None:
        from ..io import read_bids_recording

        return read_bids_recording(unit.bids_root, **unit.read_kwargs, **read_options)
    from ..io import read_recording

    return read_recording(unit.path, **read_options)
