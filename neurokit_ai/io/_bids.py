"""One recording of a BIDS dataset, read through mne-bids."""

from __future__ import annotations

import os
from typing import Any

from ..core import (
    DTypeError,
    FileFormatError,
    MissingFileError,
    Recording,
    ValidationError,
    check_path,
)

__all__ = ["read_bids_recording"]

#: Entities that narrow the search: (argument, BIDSPath attribute, BIDS key).
_ENTITIES = (
    ("session", "session", "ses"),
    ("task", "task", "task"),
    ("run", "run", "run"),
    ("acquisition", "acquisition", "acq"),
    ("datatype", "datatype", "datatype"),
    ("suffix", "suffix", "suffix"),
)


def _check_str(value: Any, name: str, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and name == "run":
        return str(value)
    if not isinstance(value, str) or not value:
        raise DTypeError(
            f"{name} must be a non-empty str (the BIDS label without its key, e.g. "
            f"'01' for sub-01), got {value!r}."
        )
    return value


def _recordings(root: Any, subject: str, wanted: dict[str, str | None]) -> list:
    from mne_bids import find_matching_paths
    from mne_bids.config import reader

    def listify(val: str | None) -> list[str] | None:
        return None if val is None else [val]

    paths = find_matching_paths(
        root,
        subjects=subject,
        sessions=listify(wanted["session"]),
        tasks=listify(wanted["task"]),
        runs=listify(wanted["run"]),
        acquisitions=listify(wanted["acquisition"]),
        datatypes=listify(wanted["datatype"]),
        suffixes=listify(wanted["suffix"]),
        ignore_json=True,
    )
    return [p for p in paths if p.extension in reader and p.extension != ".pdf"]


def _available(root: Any, subject: str) -> str:
    """Describe the entity values the subject's recordings have."""
    everything = _recordings(root, subject, dict.fromkeys(a for a, _, _ in _ENTITIES))
    parts = []
    for arg, attr, _ in _ENTITIES:
        values = sorted({str(getattr(p, attr)) for p in everything} - {"None"})
        if values:
            parts.append(f"{arg}: {values}")
    return "; ".join(parts) or "no recordings at all"


def read_bids_recording(
    bids_root: str | os.PathLike,
    *,
    subject: str,
    session: str | None = None,
    task: str | None = None,
    run: str | int | None = None,
    acquisition: str | None = None,
    datatype: str | None = None,
    suffix: str | None = None,
    preload: bool = True,
    return_native: bool = False,
) -> Any:
    """Read one recording of a BIDS dataset, with its sidecars applied.

    ``mne_bids.read_raw_bids`` applies the channel types, bad channels and
    units of ``*_channels.tsv``, the events of ``*_events.tsv`` and the
    positions of ``*_electrodes.tsv``/``*_coordsystem.json``.

    Parameters
    ----------
    bids_root : str or path-like
        The dataset's root folder (holding ``dataset_description.json``).
    subject : str
        Subject label without ``sub-`` (``"01"``).
    session, task, run, acquisition : str, optional
        Entity labels; they must single out one recording.
    datatype : str, optional
        ``"eeg"``, ``"ieeg"``, ``"meg"``...
    suffix : str, optional
        The BIDS suffix (usually the datatype).
    preload : bool
        Read the samples now, or lazily.
    return_native : bool
        Return the ``mne.io.Raw``.

    Returns
    -------
    Recording or mne.io.Raw
        With ``subject`` and ``session`` set.

    Examples
    --------
    >>> rec = read_bids_recording("ds001", subject="01", task="rest")  # doctest: +SKIP
    >>> rec.subject  # doctest: +SKIP
    '01'
    """
    root = check_path(bids_root, "bids_root", kind="dir")
    subject = _check_str(subject, "subject", required=True)
    wanted = {
        arg: _check_str(val, arg)
        for arg, val in (
            ("session", session),
            ("task", task),
            ("run", run),
            ("acquisition", acquisition),
            ("datatype", datatype),
            ("suffix", suffix),
        )
    }
    for name, value in (("preload", preload), ("return_native", return_native)):
        if not isinstance(value, bool):
            raise DTypeError(f"{name} must be True or False, got {value!r}.")
    if not (root / "dataset_description.json").is_file():
        raise MissingFileError(
            f"bids_root {str(root)!r} has no dataset_description.json, so it is not "
            "the root of a BIDS dataset. Pass the folder that holds it (and the "
            "sub-* folders)."
        )
    from mne_bids import get_entity_vals

    subjects = get_entity_vals(root, "subject")
    if subject not in subjects:
        raise MissingFileError(
            f"subject {subject!r} is not in the BIDS dataset {str(root)!r}; it has "
            f"the subjects {subjects}. Pass one of them (without 'sub-')."
        )
    found = _recordings(root, subject, wanted)
    given = {k: v for k, v in wanted.items() if v is not None}
    if not found:
        raise MissingFileError(
            f"No recording of subject {subject!r} in {str(root)!r} matches {given}. "
            f"This subject has {_available(root, subject)}."
        )
    if len(found) > 1:
        names = [p.basename for p in found]
        raise ValidationError(
            f"{len(found)} recordings of subject {subject!r} match {given}: {names}. "
            "Pass session, task, run, acquisition or datatype to pick one."
        )
    return _read(found[0], subject, preload, return_native)


def _read(bids_path: Any, subject: str, preload: bool, return_native: bool) -> Any:
    from mne_bids import read_raw_bids

    try:
        raw = read_raw_bids(bids_path, extra_params={"preload": preload}, verbose=False)
    except FileNotFoundError as err:
        raise MissingFileError(
            f"mne-bids could not find a file of {str(bids_path.fpath)!r}: {err}. "
            "Restore the recording's files (data, channels.tsv, sidecar JSON)."
        ) from err
    except (ValueError, RuntimeError, OSError, KeyError, IndexError) as err:
        raise FileFormatError(
            f"mne-bids could not read {str(bids_path.fpath)!r}: "
            f"{type(err).__name__}: {err}. Validate the dataset (bids-validator) "
            "and fix the file or sidecar it names."
        ) from err
    if return_native:
        return raw
    return Recording.from_mne(
        raw, copy=False, subject=subject, session=bids_path.session
    )
