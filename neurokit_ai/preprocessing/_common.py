"""Helpers shared by the preprocessing functions: input checks, picks, output."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..core import DTypeError, Recording, ValidationError

#: Channel types picked by default: brain signals, not triggers, behaviour or
#: auxiliary physiology (as MNE's "data" picks, plus fMRI, calcium and spikes).
DATA_CHANNEL_TYPES = frozenset(
    {"mag", "grad", "eeg", "seeg", "dbs", "ecog", "csd", "hbo", "hbr"}
    | {"fmri", "calcium", "spikes"}
)


def check_recording(rec: Any, name: str = "rec") -> Recording:
    """Raise :class:`DTypeError` unless ``rec`` is a :class:`Recording`."""
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"{name} must be a neurokit_ai Recording, got {type(rec).__name__}. "
            "Load one with neurokit_ai.io.read_recording or wrap an MNE raw with "
            "Recording.from_mne(raw)."
        )
    return rec


def is_data_type(ch_type: str) -> bool:
    """Whether a channel type is picked by default."""
    return ch_type in DATA_CHANNEL_TYPES or ch_type.startswith("fnirs")


def pick_indices(
    rec: Recording, picks: Any, *, exclude_bads: bool = False
) -> np.ndarray:
    """Indices of ``picks``; ``None`` means every data channel.

    Parameters
    ----------
    rec : Recording
        The recording.
    picks : None, str, list of str or int, or boolean mask
        As :meth:`Recording.get_data`.
    exclude_bads : bool
        Leave channels listed in ``rec.bads`` out of the default picks.
    """
    if picks is not None:
        return rec._pick_indices(picks)
    idx = [
        i
        for i, (name, kind) in enumerate(zip(rec.ch_names, rec.ch_types))
        if is_data_type(kind) and not (exclude_bads and name in rec.bads)
    ]
    if not idx:
        raise ValidationError(
            f"picks=None selects the data channels, but {rec.source or 'rec'} has "
            f"none (channel types {sorted(set(rec.ch_types))}). Pass picks, for "
            "instance picks='misc' or a list of channel names."
        )
    return np.asarray(idx, dtype=int)


def with_data(rec: Recording, data: np.ndarray, **changes: Any) -> Recording:
    """Return a new Recording holding ``data`` and copies of ``rec``'s metadata.

    Keyword arguments replace the matching constructor arguments.
    """
    fields: dict[str, Any] = {
        "sfreq": rec.sfreq,
        "ch_names": list(rec.ch_names),
        "ch_types": list(rec.ch_types),
        "units": list(rec.units),
        "annotations": rec.annotations.copy(),
        "montage": copy.deepcopy(rec.montage),
        "first_samp": rec.first_samp,
        "meas_date": rec.meas_date,
        "bads": list(rec.bads),
        "modality": rec.modality,
        "source": rec.source,
        "subject": rec.subject,
        "session": rec.session,
        "channel_info": {k: v.copy() for k, v in rec.channel_info.items()},
        "metadata": copy.deepcopy(rec.metadata),
    }
    fields.update(changes)
    return Recording(data, **fields)


def float_copy(rec: Recording) -> np.ndarray:
    """All samples as a new float64 array (a lazy recording is read, not cached)."""
    return np.array(rec.get_data(), dtype=np.float64, copy=True)
