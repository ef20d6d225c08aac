"""BIDS ``*_electrodes.tsv``, ``*_coordsystem.json`` and ``*_channels.tsv`` tables.

They are read with the standard library (they are plain tab-separated text and
JSON), and applied to a :class:`~neurokit_ai.core.Recording`: positions and
electrode types, channel types, bad channels and units.
"""

from __future__ import annotations

import csv
import json
import os
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    FileFormatError,
    Montage,
    Recording,
    ValidationError,
    check_option,
    check_path,
)

__all__ = [
    "read_electrodes_tsv",
    "apply_electrodes_tsv",
    "apply_channels_tsv",
    "find_electrodes_tsv",
]

#: Coordinate units accepted in ``unit`` and in the coordsystem JSON, and what
#: to divide by to get metres (division rounds once, unlike ``* 1e-3``).
COORD_UNITS = {"m": 1.0, "cm": 100.0, "mm": 1000.0}
#: Channel types a BIDS electrodes table may give its contacts.
ELECTRODE_TYPES = ("seeg", "ecog", "dbs", "eeg")
ON_MISSING = ("raise", "warn", "ignore")
#: BIDS channel types (channels.tsv ``type`` column, upper case) -> MNE types.
BIDS_TO_MNE_TYPES = {
    "EEG": "eeg", "SEEG": "seeg", "ECOG": "ecog", "DBS": "dbs", "ECG": "ecg",
    "EKG": "ecg", "EOG": "eog", "VEOG": "eog", "HEOG": "eog", "EMG": "emg",
    "MISC": "misc", "TRIG": "stim", "RESP": "resp", "GSR": "gsr",
    "TEMP": "temperature", "PPG": "bio", "EYEGAZE": "eyegaze", "PUPIL": "pupil",
    "MEGMAG": "mag", "MEGGRADAXIAL": "mag", "MEGGRADPLANAR": "grad",
    "MEGREFMAG": "ref_meg", "MEGREFGRADAXIAL": "ref_meg",
    "MEGREFGRADPLANAR": "ref_meg", "MEGOTHER": "misc", "HLU": "chpi",
    "NIRSCWAMPLITUDE": "fnirs_cw_amplitude", "NIRS": "fnirs_cw_amplitude",
    "NIRSCWOPTICALDENSITY": "fnirs_od", "NIRSCWHBO": "hbo", "NIRSCWHBR": "hbr",
    "AUDIO": "misc", "PD": "misc", "ADC": "misc", "DAC": "misc", "REF": "misc",
    "ORNT": "misc", "SYSCLOCK": "misc",
}  # fmt: skip
#: Units a channels.tsv may give -> the SI unit the samples are in once read
#: (MNE scales every voltage to volts and every field to tesla).
_SI_UNITS = {
    "V": "V", "mV": "V", "uV": "V", "\u00b5V": "V", "\u03bcV": "V", "nV": "V",
    "T": "T", "fT": "T", "pT": "T", "nT": "T", "T/m": "T/m", "fT/cm": "T/m",
    "oC": "°C", "°C": "°C", "degC": "°C", "K": "K", "s": "s",
}  # fmt: skip
#: File-name tokens naming a template space, used when no coordsystem JSON and
#: no ``space-`` entity say which space the positions are in.
_TEMPLATE_TOKENS = {"mni": "MNI", "mni152": "MNI152", "mni305": "MNI305",
                    "fsaverage": "fsaverage", "talairach": "Talairach"}  # fmt: skip
_POSITION_COLUMNS = ("name", "x", "y", "z")
_NA = ("n/a", "")


# ---------------------------------------------------------------- reading
def _read_tsv(path: Path, what: str, required: tuple[str, ...]) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
            columns = [] if not rows else list(rows[0])
    except UnicodeDecodeError as err:
        raise FileFormatError(
            f"{what} {str(path)!r} is not UTF-8 text ({err}). Save it as UTF-8 "
            "tab-separated values."
        ) from err
    missing = [c for c in required if c not in columns]
    if not rows or missing:
        raise FileFormatError(
            f"{what} {str(path)!r} must be a tab-separated table with the columns "
            f"{list(required)}; "
            + (f"it lacks {missing} (found {columns})." if rows else "it has no rows.")
            + " Check the separator (tabs) and the header line."
        )
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in rows]


def _read_coordsystem(coordsystem: Any) -> dict:
    if isinstance(coordsystem, dict):
        return dict(coordsystem)
    path = check_path(coordsystem, "coordsystem", kind="file")
    try:
        with open(path, encoding="utf-8-sig") as fh:
            content = json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise FileFormatError(
            f"coordsystem {str(path)!r} is not valid JSON ({err}). Fix the file or "
            "pass coordsystem=None with unit=... instead."
        ) from err
    if not isinstance(content, dict):
        raise FileFormatError(
            f"coordsystem {str(path)!r} must hold a JSON object, got "
            f"{type(content).__name__}."
        )
    return content


def _sidecar_coordsystem(path: Path) -> Path | None:
    """``<prefix>_electrodes.tsv`` -> ``<prefix>_coordsystem.json`` when present."""
    name = path.name
    if not name.endswith("_electrodes.tsv"):
        return None
    cand = path.with_name(name[: -len("_electrodes.tsv")] + "_coordsystem.json")
    return cand if cand.is_file() else None


def _coordsystem_field(content: dict, field: str) -> str | None:
    for prefix in ("iEEG", "EEG", "MEG", "NIRS", ""):
        value = content.get(f"{prefix}Coordinate{field}")
        if isinstance(value, str) and value.strip() and value.strip() != "n/a":
            return value.strip()
    return None


def _space_from_name(path: Path) -> str | None:
    match = re.search(r"(?:^|_)space-([A-Za-z0-9]+)", path.name)
    if match:
        return match.group(1)
    tokens = re.split(r"[_\-.]", path.name.lower())
    for token in tokens:
        if token in _TEMPLATE_TOKENS:
            return _TEMPLATE_TOKENS[token]
    return None


def _mne_frame(space: str | None) -> str:
    """Map a BIDS coordinate system name to MNE's frame (``"unknown"`` if none)."""
    if space is None:
        return "unknown"
    from mne_bids.config import BIDS_TO_MNE_FRAMES

    if space in BIDS_TO_MNE_FRAMES:
        return BIDS_TO_MNE_FRAMES[space]
    if space.upper().startswith("MNI") or space.lower() == "fsaverage":
        return "mni_tal"
    return "unknown"


def _detect_unit(coords: np.ndarray) -> str:
    """Guess the unit of head/brain coordinates from their largest magnitude.

    A human head spans about ±0.1 m from any usual origin, so the largest
    ``|coordinate|`` is at most ~0.2 in metres, ~20 in centimetres and tens to
    hundreds in millimetres (scanner frames can be offset by 100+ mm):

    * ``max > 25``  -> millimetres (no head reaches 25 cm from its origin),
    * ``max > 0.5`` -> centimetres (no head reaches 0.5 m from its origin),
    * otherwise     -> metres.

    Millimetre positions all within 25 mm of the origin (a few deep contacts,
    e.g. only DBS leads) would be misread as centimetres: give ``unit`` or a
    coordsystem JSON for such tables.
    """
    biggest = float(np.nanmax(np.abs(coords))) if coords.size else 0.0
    if biggest > 25:
        return "mm"
    if biggest > 0.5:
        return "cm"
    return "m"


def _parse_positions(path: Path, rows: list[dict]) -> dict[str, np.ndarray]:
    positions: dict[str, np.ndarray] = {}
    for line, row in enumerate(rows, start=2):
        values = [row.get(c, "") for c in ("x", "y", "z")]
        if all(v in _NA for v in values):
            continue
        try:
            xyz = np.array([float(v) for v in values])
        except ValueError as err:
            raise FileFormatError(
                f"electrodes {str(path)!r}, line {line} ({row['name']!r}): x/y/z "
                f"{values} are not numbers ({err}). Use numbers, or 'n/a' in all "
                "three for a contact without a position."
            ) from err
        if not np.isfinite(xyz).all():
            continue
        if row["name"] in positions:
            raise FileFormatError(
                f"electrodes {str(path)!r} lists {row['name']!r} twice (line {line}). "
                "Keep one row per contact."
            )
        positions[row["name"]] = xyz
    return positions


def read_electrodes_tsv(
    path: str | os.PathLike,
    *,
    coordsystem: str | os.PathLike | dict | None = None,
    unit: str = "auto",
) -> Montage:
    """Read a BIDS ``*_electrodes.tsv`` into a :class:`~neurokit_ai.core.Montage`.

    Positions are returned in metres. Rows whose ``x``, ``y``, ``z`` are
    ``n/a`` (channels without a position) are skipped.

    Parameters
    ----------
    path : str or path-like
        The electrodes table (tab-separated, columns ``name``, ``x``, ``y``,
        ``z`` and optional extra columns).
    coordsystem : str, path-like or dict, optional
        The matching ``*_coordsystem.json`` (or its content as a dict). When
        omitted, ``<prefix>_coordsystem.json`` beside a ``<prefix>_electrodes.tsv``
        is used if it exists.
    unit : {"auto", "m", "cm", "mm"}
        Unit of the table's coordinates. ``"auto"`` takes the JSON's
        ``iEEGCoordinateUnits``/``EEGCoordinateUnits`` and, failing that,
        guesses from the magnitudes: largest ``|coordinate|`` > 25 -> mm,
        > 0.5 -> cm, else m (a head spans about ±0.1 m). Pass the unit
        explicitly for tables of a few contacts near the origin.

    Returns
    -------
    Montage
        Positions in metres. ``coord_frame`` is MNE's frame for the BIDS space
        (``"mni_tal"`` for the MNI templates and fsaverage, ``"head"`` for
        CapTrak, ``"ras"`` for ACPC/ScanRAS, ``"unknown"`` otherwise) and
        ``space`` keeps the BIDS name. The space comes from the JSON's
        ``*CoordinateSystem``, else from a ``space-<label>`` entity in the file
        name, else from a file-name token naming a template (``mni``,
        ``mni152``, ``mni305``, ``fsaverage``, ``talairach``).

    Examples
    --------
    >>> m = read_electrodes_tsv("sub-01_space-MNI305_electrodes.tsv")  # doctest: +SKIP
    >>> m.coord_frame, m.space  # doctest: +SKIP
    ('mni_tal', 'MNI305')
    """
    path = check_path(path, "electrodes", kind="file")
    check_option(unit, "unit", ["auto", *COORD_UNITS])
    if coordsystem is None:
        coordsystem = _sidecar_coordsystem(path)
    content = _read_coordsystem(coordsystem) if coordsystem is not None else {}
    rows = _read_tsv(path, "electrodes", _POSITION_COLUMNS)
    positions = _parse_positions(path, rows)
    if unit == "auto":
        json_unit = _coordsystem_field(content, "Units")
        if json_unit is not None and json_unit not in COORD_UNITS:
            raise FileFormatError(
                f"coordsystem for {str(path)!r} gives the unit {json_unit!r}, which "
                f"is not one of {list(COORD_UNITS)}. Pass unit='m', 'cm' or 'mm'."
            )
        coords = np.array(list(positions.values())).reshape(-1, 3)
        unit = json_unit or _detect_unit(coords)
    divisor = COORD_UNITS[unit]
    space = _coordsystem_field(content, "System") or _space_from_name(path)
    return Montage(
        {name: xyz / divisor for name, xyz in positions.items()},
        coord_frame=_mne_frame(space),
        space=space,
    )


# ---------------------------------------------------------------- finding
#: Entities an electrodes table may carry that its recordings do not (BIDS:
#: ``sub-<label>[_ses-<label>][_acq-<label>][_space-<label>]_electrodes.tsv``).
_TABLE_ONLY_ENTITIES = ("space",)


def _entities(name: str) -> dict[str, str] | None:
    """BIDS key-value entities of a file name, or None if it is not BIDS-like."""
    parts = name.split(".")[0].split("_")[:-1]
    pairs = [p.split("-", 1) for p in parts]
    if any(len(p) != 2 or not p[0] or not p[1] for p in pairs):
        return None
    return dict(pairs)  # type: ignore[arg-type]


def _bids_folders(recording: Path) -> list[Path]:
    """The recording's folder and its parents up to ``sub-*`` (and the root)."""
    chain = list(recording.parents)
    subject = next(
        (i for i, folder in enumerate(chain) if folder.name.startswith("sub-")), None
    )
    if subject is None:
        return chain[:1]
    folders = chain[: subject + 1]
    root = chain[subject].parent
    if (root / "dataset_description.json").is_file():
        folders.append(root)
    return folders


def find_electrodes_tsv(path: str | os.PathLike) -> list[Path]:
    """Find the electrodes tables that apply to a recording file.

    BIDS inheritance: a ``[sub-<label>][_ses-<label>][_acq-<label>][_space-<label>]
    _electrodes.tsv`` applies when each of its entities other than ``space``
    has the same value in the recording's name, and it lies in the recording's
    folder or a parent up to ``sub-<label>/`` (or the dataset root beside
    ``dataset_description.json``). Tables named ``<stem>_electrodes*.tsv``
    beside the recording (the shared sample files' convention) apply too.

    Parameters
    ----------
    path : str or path-like
        The recording file (``sub-01_ses-1_task-x_ieeg.edf``...).

    Returns
    -------
    list of Path
        Nearest folder first; in one folder, the tables naming more of the
        recording's entities first (one per ``space``, for instance). Empty when
        none applies.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "sub-01" / "ses-1" / "ieeg"
    >>> d.mkdir(parents=True)
    >>> for name in ("sub-01_ses-1_task-x_ieeg.edf", "sub-01_ses-1_electrodes.tsv",
    ...              "sub-01_ses-2_electrodes.tsv"):
    ...     _ = (d / name).write_text("")
    >>> [p.name for p in find_electrodes_tsv(d / "sub-01_ses-1_task-x_ieeg.edf")]
    ['sub-01_ses-1_electrodes.tsv']
    """
    path = check_path(path, "path")
    wanted = _entities(path.name) or {}
    stem = path.name.split(".")[0]
    found: list[Path] = []
    for folder in _bids_folders(path):
        ranked = []
        for table in folder.glob("*electrodes.tsv"):
            if table.name != "electrodes.tsv" and not table.name.endswith(
                "_electrodes.tsv"
            ):
                continue
            entities = _entities(table.name)
            if entities is None:
                continue
            own = {k: v for k, v in entities.items() if k not in _TABLE_ONLY_ENTITIES}
            if all(wanted.get(k) == v for k, v in own.items()):
                ranked.append((-len(own), table.name, table))
        found += [table for *_, table in sorted(ranked)]
    legacy = sorted(path.parent.glob(f"{stem}_electrodes*.tsv"))
    return found + [t for t in legacy if t not in found]


# --------------------------------------------------------------- applying
def _handle_missing(names: list[str], what: str, on_missing: str, rec: Recording):
    if not names:
        return
    shown = names[:10] + (["..."] if len(names) > 10 else [])
    msg = (
        f"{what} names {len(names)} channel(s) that the recording "
        f"({rec.source or 'in memory'}) does not have: {shown}. Its channels are "
        f"{rec.ch_names[:10]}{'...' if rec.n_channels > 10 else ''}. Fix the "
        "names, or pass on_missing='warn' or 'ignore' to skip them."
    )
    if on_missing == "raise":
        raise ValidationError(msg)
    if on_missing == "warn":
        warnings.warn(msg, RuntimeWarning, stacklevel=3)


def _store_columns(
    rec: Recording, rows: list[dict], skip: tuple[str, ...], prefix: str = ""
) -> None:
    index = {n: i for i, n in enumerate(rec.ch_names)}
    columns = [c for c in rows[0] if c not in skip]
    for col in columns:
        values = [""] * rec.n_channels
        for row in rows:
            i = index.get(row["name"])
            if i is not None and row.get(col, "") not in _NA:
                values[i] = row[col]
        rec.channel_info[prefix + col] = np.asarray(values, dtype=object)


def apply_electrodes_tsv(
    recording: Recording,
    path: str | os.PathLike,
    *,
    coordsystem: str | os.PathLike | dict | None = None,
    unit: str = "auto",
    electrode_type: str = "seeg",
    on_missing: str = "raise",
) -> Recording:
    """Set positions and electrode types from a BIDS ``*_electrodes.tsv``, in place.

    Every contact with a position becomes ``electrode_type`` and the recording's
    montage becomes the table's (see :func:`read_electrodes_tsv`). Extra columns
    (atlas labels, ``group``, ``hemisphere``, ``size``...) are stored in
    ``recording.channel_info[<column>]`` as per-channel string arrays, ``""``
    for channels the table does not describe.

    Parameters
    ----------
    recording : Recording
        Modified in place.
    path : str or path-like
        The electrodes table.
    coordsystem, unit
        See :func:`read_electrodes_tsv`.
    electrode_type : {"seeg", "ecog", "dbs", "eeg"}
        Channel type given to the contacts with a position.
    on_missing : {"raise", "warn", "ignore"}
        What to do when contacts with a position are not channels of the
        recording.

    Returns
    -------
    Recording
        The same object.

    Examples
    --------
    >>> rec = apply_electrodes_tsv(rec, "sub-01_electrodes.tsv")  # doctest: +SKIP
    >>> rec.channel_type_counts()  # doctest: +SKIP
    """
    _check_recording(recording)
    check_option(electrode_type, "electrode_type", ELECTRODE_TYPES)
    check_option(on_missing, "on_missing", ON_MISSING)
    montage = read_electrodes_tsv(path, coordsystem=coordsystem, unit=unit)
    rows = _read_tsv(Path(path), "electrodes", _POSITION_COLUMNS)
    present = set(recording.ch_names)
    _handle_missing(
        [n for n in montage.ch_names if n not in present],
        f"electrodes table {str(path)!r}",
        on_missing,
        recording,
    )
    recording.set_channel_types(
        {n: electrode_type for n in montage.ch_names if n in present}
    )
    recording.montage = montage.subset(recording.ch_names)
    _store_columns(recording, rows, _POSITION_COLUMNS)
    return recording


def apply_channels_tsv(
    recording: Recording, path: str | os.PathLike, *, on_missing: str = "raise"
) -> Recording:
    """Set channel types, bad channels and units from a BIDS ``*_channels.tsv``.

    The BIDS ``type`` (EEG, SEEG, ECOG, DBS, ECG, EOG, EMG, MISC, TRIG,
    MEGMAG...) is mapped to MNE's type; ``status`` ``bad`` adds the channel to
    ``recording.bads``; the ``units`` column is kept in
    ``recording.channel_info["bids_units"]`` and sets ``recording.units`` to
    the SI unit of the samples (``"µV"`` -> ``"V"``, since samples are read in
    volts).

    Parameters
    ----------
    recording : Recording
        Modified in place.
    path : str or path-like
        The channels table (columns ``name``, ``type``, ``units``, optional
        ``status``).
    on_missing : {"raise", "warn", "ignore"}
        What to do with rows naming channels the recording does not have.

    Returns
    -------
    Recording
        The same object.

    Examples
    --------
    >>> rec = apply_channels_tsv(rec, "sub-01_task-rest_channels.tsv")  # doctest: +SKIP
    >>> rec.bads  # doctest: +SKIP
    """
    _check_recording(recording)
    check_option(on_missing, "on_missing", ON_MISSING)
    path = check_path(path, "channels", kind="file")
    rows = _read_tsv(path, "channels", ("name", "type"))
    present = set(recording.ch_names)
    _handle_missing(
        [r["name"] for r in rows if r["name"] not in present],
        f"channels table {str(path)!r}",
        on_missing,
        recording,
    )
    rows = [r for r in rows if r["name"] in present]
    types = {}
    for row in rows:
        bids_type = row["type"].upper()
        if bids_type not in BIDS_TO_MNE_TYPES:
            check_option(
                bids_type,
                f"channels {str(path)!r}: type of {row['name']!r}",
                sorted(BIDS_TO_MNE_TYPES),
            )
        types[row["name"]] = BIDS_TO_MNE_TYPES[bids_type]
    recording.set_channel_types(types)
    for row in rows:
        si = _SI_UNITS.get(row.get("units", ""))
        if si is not None:
            recording.units[recording.ch_names.index(row["name"])] = si
    bads = [r["name"] for r in rows if r.get("status", "").lower() == "bad"]
    recording.bads = list(dict.fromkeys([*recording.bads, *bads]))
    info_rows = [{"name": r["name"], "bids_units": r.get("units", "")} for r in rows]
    if info_rows:
        _store_columns(recording, info_rows, ("name",))
    return recording


def _check_recording(recording: Any) -> None:
    if not isinstance(recording, Recording):
        raise DTypeError(
            f"recording must be a neurokit_ai.core.Recording, got "
            f"{type(recording).__name__}. Read the file with "
            "neurokit_ai.io.read_recording first."
        )
