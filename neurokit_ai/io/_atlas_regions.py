"""Pick sEEG contacts by atlas region (Destrieux or Desikan–Killiany labels)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    Recording,
    ValidationError,
    check_option,
    check_path,
)

__all__ = [
    "ATLAS_COLUMNS",
    "REGION_LABELS",
    "FRONTAL_SPEECH_MOTOR",
    "parse_atlas_label",
    "read_contact_labels",
    "select_region_contacts",
]

#: Column names of each atlas in a BIDS electrodes table. ``destriuex`` is the
#: misspelling used by MNE's sample sEEG table; both spellings are accepted.
ATLAS_COLUMNS = {
    "desikan-killiany": ("desikan-killiany", "desikan_killiany", "dk"),
    "destrieux": ("destrieux", "destriuex"),
}
#: Region name -> atlas -> FreeSurfer labels (without the ``ctx-lh-`` /
#: ``ctx_lh_`` / ``Left-`` prefix) that make up the region. vSMC and STG are the
#: regions Du-IN fuses (papers.md §2); an atlas cannot tell the ventral from
#: the dorsal part of the sensorimotor cortex, so ``"vSMC"`` takes the whole
#: pre/postcentral and subcentral cortex: restrict it further by position if
#: needed. ``"frontal_speech_motor"`` groups pars opercularis, precentral and
#: rostral middle frontal cortex (the speech-motor contacts of the sample
#: patient, who has none in the temporal lobe).
REGION_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "vSMC": {
        "desikan-killiany": ("precentral", "postcentral"),
        "destrieux": (
            "G_precentral", "G_postcentral", "S_central", "G_and_S_subcentral",
            "S_precentral-inf-part", "S_precentral-sup-part", "S_postcentral",
        ),
    },
    "STG": {
        "desikan-killiany": ("superiortemporal", "transversetemporal"),
        "destrieux": (
            "G_temp_sup-Lateral", "G_temp_sup-Plan_tempo", "G_temp_sup-G_T_transv",
            "G_temp_sup-Plan_polar", "S_temporal_transverse",
        ),
    },
    "pars_opercularis": {
        "desikan-killiany": ("parsopercularis",),
        "destrieux": ("G_front_inf-Opercular",),
    },
    "precentral": {
        "desikan-killiany": ("precentral",),
        "destrieux": (
            "G_precentral", "S_precentral-inf-part", "S_precentral-sup-part",
        ),
    },
    "rostral_middle_frontal": {
        "desikan-killiany": ("rostralmiddlefrontal",),
        "destrieux": ("G_front_middle",),
    },
    "white_matter": {
        "desikan-killiany": ("Cerebral-White-Matter",),
        "destrieux": ("Cerebral-White-Matter",),
    },
    "unknown": {"desikan-killiany": ("Unknown",), "destrieux": ("Unknown",)},
}  # fmt: skip
#: The target regions of the simulated word-reading task on the sample patient.
FRONTAL_SPEECH_MOTOR = ("pars_opercularis", "precentral", "rostral_middle_frontal")
_HEMISPHERES = {"left": "lh", "right": "rh", "both": None}
_NA = ("", "n/a", "nan")


def parse_atlas_label(label: str) -> tuple[str | None, str]:
    """Split a FreeSurfer label into hemisphere (``"lh"``/``"rh"``/None) and name.

    Examples
    --------
    >>> parse_atlas_label("ctx-lh-parsopercularis")
    ('lh', 'parsopercularis')
    >>> parse_atlas_label("ctx_rh_G_front_sup")
    ('rh', 'G_front_sup')
    >>> parse_atlas_label("Left-Cerebral-White-Matter")
    ('lh', 'Cerebral-White-Matter')
    >>> parse_atlas_label("Unknown")
    (None, 'Unknown')
    """
    if not isinstance(label, str):
        raise DTypeError(
            f"label must be a FreeSurfer label string, got {type(label).__name__} "
            f"({label!r})."
        )
    for prefix, hemi in (
        ("ctx-lh-", "lh"), ("ctx-rh-", "rh"), ("ctx_lh_", "lh"), ("ctx_rh_", "rh"),
        ("Left-", "lh"), ("Right-", "rh"),
    ):  # fmt: skip
        if label.startswith(prefix):
            return hemi, label[len(prefix) :]
    return None, label


def _atlas_column(columns: Sequence[str], atlas: str, where: str) -> str:
    wanted = (
        [*ATLAS_COLUMNS["desikan-killiany"], *ATLAS_COLUMNS["destrieux"]]
        if atlas == "auto"
        else list(ATLAS_COLUMNS[atlas])
    )
    lowered = {c.lower(): c for c in columns}
    for name in wanted:
        if name in lowered:
            return lowered[name]
    raise ValidationError(
        f"{where} has no atlas labels for atlas={atlas!r}: its columns are "
        f"{list(columns)}, none of {wanted}. Add a 'desikan-killiany' or "
        "'destrieux' column of FreeSurfer labels (BIDS electrodes.tsv), or pass a "
        "{contact: label} mapping."
    )


def _labels_from_table(path: Path, atlas: str) -> tuple[dict[str, str], str]:
    from ._bids_tables import _read_tsv

    rows = _read_tsv(path, "electrodes table", ("name",))
    column = _atlas_column(list(rows[0]), atlas, f"electrodes table {str(path)!r}")
    labels = {r["name"]: r.get(column, "") for r in rows}
    return {k: v for k, v in labels.items() if v not in _NA}, column


def read_contact_labels(source: Any, atlas: str = "auto") -> tuple[dict[str, str], str]:
    """Atlas label of every labelled contact, from a table, a Recording or a dict.

    Parameters
    ----------
    source : str, path-like, Recording or mapping
        A BIDS ``*_electrodes.tsv`` with a Destrieux (``destrieux`` or
        ``destriuex``) or Desikan–Killiany (``desikan-killiany``) column; a
        :class:`~neurokit_ai.core.Recording` whose ``channel_info`` holds such a
        column (as :func:`neurokit_ai.io.apply_electrodes_tsv` stores it); or a
        ``{contact: label}`` mapping.
    atlas : {"auto", "desikan-killiany", "destrieux"}
        Which column; ``"auto"`` prefers Desikan–Killiany. Ignored for a mapping.

    Returns
    -------
    labels : dict
        ``{contact name: label}``, contacts without a label (``n/a``) left out.
    atlas : str
        The column used (``"mapping"`` for a mapping).

    Examples
    --------
    >>> labels, column = read_contact_labels({"A1": "ctx-lh-precentral"})
    >>> labels["A1"], column
    ('ctx-lh-precentral', 'mapping')
    """
    check_option(atlas, "atlas", ["auto", *ATLAS_COLUMNS])
    if isinstance(source, Recording):
        column = _atlas_column(
            list(source.channel_info), atlas, "recording.channel_info"
        )
        values = [str(v) for v in np.asarray(source.channel_info[column])]
        labels = dict(zip(source.ch_names, values))
        return {k: v for k, v in labels.items() if v not in _NA}, column
    if isinstance(source, Mapping):
        labels = {str(k): str(v) for k, v in source.items()}
        return {k: v for k, v in labels.items() if v not in _NA}, "mapping"
    if isinstance(source, (str, os.PathLike)):
        return _labels_from_table(check_path(source, "source", kind="file"), atlas)
    raise DTypeError(
        f"source must be an electrodes.tsv path, a Recording or a {{contact: "
        f"label}} mapping, got {type(source).__name__}."
    )


def _atlas_of(column: str, labels: Mapping[str, str]) -> str:
    if column.lower() in ATLAS_COLUMNS["destrieux"]:
        return "destrieux"
    if column.lower() in ATLAS_COLUMNS["desikan-killiany"]:
        return "desikan-killiany"
    destrieux_like = any(v.startswith(("ctx_lh_", "ctx_rh_")) for v in labels.values())
    return "destrieux" if destrieux_like else "desikan-killiany"


def select_region_contacts(
    source: Any,
    regions: str | Sequence[str],
    *,
    atlas: str = "auto",
    hemisphere: str = "both",
) -> list[str]:
    """Names of the contacts whose atlas label lies in ``regions``.

    Parameters
    ----------
    source : str, path-like, Recording or mapping
        Where the labels come from (see :func:`read_contact_labels`).
    regions : str or sequence of str
        Names in :data:`REGION_LABELS` (``"vSMC"``, ``"STG"``,
        ``"pars_opercularis"``, ``"precentral"``, ``"rostral_middle_frontal"``,
        ``"white_matter"``, ``"unknown"``) or raw labels without their
        hemisphere prefix (``"superiorfrontal"``, ``"G_front_sup"``).
    atlas : {"auto", "desikan-killiany", "destrieux"}
        Which atlas column to read.
    hemisphere : {"both", "left", "right"}
        Keep the contacts of one hemisphere only (unlateralised labels such
        as ``"Unknown"`` are kept with ``"both"`` only).

    Returns
    -------
    list of str
        Contact names, in the order of the table.

    Raises
    ------
    ValidationError
        When no contact lies in ``regions``; the message lists the labels present.

    Examples
    --------
    >>> labels = {"X'11": "ctx-lh-precentral", "O'15": "ctx-lh-parsopercularis",
    ...           "O'3": "Left-Cerebral-White-Matter"}
    >>> select_region_contacts(labels, ["precentral", "pars_opercularis"])
    ["X'11", "O'15"]
    """
    check_option(hemisphere, "hemisphere", list(_HEMISPHERES))
    names = [regions] if isinstance(regions, str) else list(regions)
    if not names or not all(isinstance(r, str) for r in names):
        raise ValidationError(
            f"regions must be a region name or a list of them, got {regions!r}. "
            f"Known regions: {sorted(REGION_LABELS)}."
        )
    labels, column = read_contact_labels(source, atlas)
    if not labels:
        raise ValidationError(
            f"No contact of the {column!r} labels has an atlas label (all n/a). "
            "Label the contacts (e.g. with FreeSurfer) first."
        )
    which = _atlas_of(column, labels)
    wanted = set()
    for name in names:
        wanted.update(REGION_LABELS[name][which] if name in REGION_LABELS else [name])
    hemi = _HEMISPHERES[hemisphere]
    picked = []
    for contact, label in labels.items():
        side, base = parse_atlas_label(label)
        if base in wanted and (hemi is None or side == hemi):
            picked.append(contact)
    if not picked:
        present = Counter(parse_atlas_label(v)[1] for v in labels.values())
        listing = ", ".join(f"{k} ({n})" for k, n in present.most_common())
        raise ValidationError(
            f"No contact lies in regions={names} ({which} labels {sorted(wanted)}, "
            f"hemisphere={hemisphere!r}). The regions present are: {listing}. Pick "
            f"among them, or among the named regions {sorted(REGION_LABELS)}."
        )
    return picked
