"""Re-reference sEEG contacts: bipolar along each shaft, or common average (MNE)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import DTypeError, Recording, ValidationError

__all__ = ["shaft_pairs", "bipolar_reference", "common_average_reference"]

_CONTACT = re.compile(r"^(?P<shaft>.*?)(?P<number>\d+)$")


def _check_rec(rec: Any) -> Recording:
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}. Read "
            "one with neurokit_ai.io.read_recording."
        )
    return rec


def _contacts(rec: Recording, picks: Sequence[str] | None) -> list[str]:
    if picks is None:
        names = [n for n, t in zip(rec.ch_names, rec.ch_types) if t in ("seeg", "ecog")]
        if not names:
            raise ValidationError(
                f"rec has no seeg/ecog channel (types {sorted(set(rec.ch_types))}); "
                "set the contact types or pass picks=[contact names]."
            )
        return names
    names = [picks] if isinstance(picks, str) else list(picks)
    missing = [n for n in names if n not in rec.ch_names]
    if missing or not names:
        raise ValidationError(
            f"picks names {missing or names} that rec does not have; its channels "
            f"are {rec.ch_names[:12]}{'...' if rec.n_channels > 12 else ''}."
        )
    return names


def shaft_pairs(contacts: Sequence[str]) -> list[tuple[str, str]]:
    """Neighbouring contacts on the same shaft: ``(k, k+1)`` pairs, deep first.

    A contact name is a shaft name followed by its number (``"L'3"``,
    ``"LA10"``); pairs are formed only between consecutive numbers, so a gap
    (a contact left out) breaks the chain.

    Examples
    --------
    >>> shaft_pairs(["A'1", "A'2", "A'3", "B'1", "B'3", "B'4"])
    [("A'1", "A'2"), ("A'2", "A'3"), ("B'3", "B'4")]
    """
    if isinstance(contacts, str) or not all(isinstance(c, str) for c in contacts):
        raise DTypeError(
            f"contacts must be a list of contact names (str), got {contacts!r}; "
            "pass e.g. rec.ch_names."
        )
    by_key = {}
    for name in contacts:
        match = _CONTACT.match(name)
        if match:
            by_key[(match["shaft"], int(match["number"]))] = name
    pairs = []
    for (shaft, number), name in sorted(by_key.items()):
        partner = by_key.get((shaft, number + 1))
        if partner is not None:
            pairs.append((name, partner))
    return pairs


def bipolar_reference(rec: Recording, picks: Sequence[str] | None = None) -> Recording:
    """Bipolar montage along each shaft (``A'1-A'2``...), through MNE.

    Parameters
    ----------
    rec : Recording
        Not modified.
    picks : list of str, optional
        Contacts to pair (default: every seeg/ecog channel).

    Returns
    -------
    Recording
        One ``seeg`` channel per neighbouring pair, named ``"<anode>-<cathode>"``
        (anode minus cathode); ``channel_info`` rows are the anode's.

    Examples
    --------
    >>> import numpy as np
    >>> rec = Recording(np.arange(6.0).reshape(3, 2), 100.0, ["A1", "A2", "A3"],
    ...                 "seeg")
    >>> bip = bipolar_reference(rec)
    >>> bip.ch_names, bip.get_data()[0].tolist()
    (['A1-A2', 'A2-A3'], [-2.0, -2.0])
    """
    import mne

    rec = _check_rec(rec)
    pairs = shaft_pairs(_contacts(rec, picks))
    if not pairs:
        raise ValidationError(
            "No two picked contacts are neighbours on a shaft (names like 'A'1', "
            "'A'2'), so no bipolar channel can be formed; use "
            "common_average_reference instead."
        )
    anodes, cathodes = [a for a, _ in pairs], [c for _, c in pairs]
    raw = rec.pick(sorted(set(anodes + cathodes), key=rec.ch_names.index)).to_mne()
    names = [f"{a}-{c}" for a, c in pairs]
    bip = mne.set_bipolar_reference(
        raw,
        anodes,
        cathodes,
        ch_name=names,
        drop_refs=False,
        copy=True,
        verbose="error",
    )
    anode_idx = [rec.ch_names.index(a) for a in anodes]
    return Recording(
        bip.get_data(picks=names),
        rec.sfreq,
        names,
        "seeg",
        annotations=rec.annotations.copy(),
        first_samp=rec.first_samp,
        meas_date=rec.meas_date,
        modality=rec.modality,
        source=rec.source,
        subject=rec.subject,
        session=rec.session,
        channel_info={k: v[anode_idx].copy() for k, v in rec.channel_info.items()},
        metadata={**rec.metadata, "reference": "bipolar"},
    )


def common_average_reference(
    rec: Recording, picks: Sequence[str] | None = None
) -> Recording:
    """Subtract the mean of the picked contacts from each (``mne.set_eeg_reference``).

    Parameters
    ----------
    rec : Recording
        Not modified.
    picks : list of str, optional
        Contacts averaged and re-referenced (default: every seeg/ecog channel);
        other channels are returned unchanged. Bad contacts (``rec.bads``) are
        left out of the average and returned unchanged, as in MNE.

    Returns
    -------
    Recording

    Examples
    --------
    >>> import numpy as np
    >>> rec = Recording(np.array([[1.0, 2.0], [3.0, 6.0]]), 100.0, ["A1", "A2"],
    ...                 "seeg")
    >>> common_average_reference(rec).get_data().tolist()
    [[-1.0, -2.0], [1.0, 2.0]]
    """
    import mne

    from ..preprocessing._common import with_data

    rec = _check_rec(rec)
    names = _contacts(rec, picks)
    sub = rec.pick(names)
    raw = mne.io.RawArray(
        sub.get_data(), mne.create_info(names, rec.sfreq, "seeg"), verbose="error"
    )
    raw.info["bads"] = [n for n in names if n in rec.bads]
    raw, _ = mne.set_eeg_reference(
        raw, "average", ch_type="seeg", projection=False, copy=True, verbose="error"
    )
    data = np.array(rec.get_data(), dtype=np.float64, copy=True)
    data[[rec.ch_names.index(n) for n in names]] = raw.get_data()
    metadata = {**rec.metadata, "reference": "average"}
    return with_data(rec, data, metadata=metadata)
