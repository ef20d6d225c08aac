"""EEG, MEG and iEEG files (every raw format MNE reads) as a Recording.

EDF and BDF go through neurokit_ai's own fast reader when it can read them;
everything else (and EDF+D, mixed sampling rates, MNE-only options) through
``mne.io.read_raw_*``. Channel typing (explicit, by name pattern, from BIDS
tables) and electrode positions are applied the same way on both paths.
"""

from __future__ import annotations

import inspect
import os
import re
import struct
from pathlib import Path
from typing import Any

from ..core import (
    CHANNEL_TYPES,
    DTypeError,
    FileFormatError,
    MissingFileError,
    Recording,
    ValidationError,
    check_option,
    check_path,
)
from ._bids_tables import (
    COORD_UNITS,
    ELECTRODE_TYPES,
    ON_MISSING,
    _handle_missing,
    apply_channels_tsv,
    apply_electrodes_tsv,
)

__all__ = ["read_raw_file", "set_channel_types_from_patterns"]

#: Format -> reader in ``mne.io``.
MNE_READERS = {
    "edf": "read_raw_edf", "bdf": "read_raw_bdf", "gdf": "read_raw_gdf",
    "brainvision": "read_raw_brainvision", "eeglab": "read_raw_eeglab",
    "fif": "read_raw_fif", "nihon_kohden": "read_raw_nihon",
    "persyst": "read_raw_persyst", "cnt": "read_raw_cnt", "egi": "read_raw_egi",
    "eximia": "read_raw_eximia", "nirx": "read_raw_nirx", "snirf": "read_raw_snirf",
    "ctf": "read_raw_ctf", "kit": "read_raw_kit", "nicolet": "read_raw_nicolet",
    "artemis123": "read_raw_artemis123",
}  # fmt: skip
#: Arguments of the ``mne.io.read_raw_*`` functions that read_raw_file sets itself.
_OWN_MNE_ARGS = {"input_fname", "fname", "preload", "verbose", "infer_types"}
#: read_raw_file's own keyword options (listed in the unknown-option error).
_OWN_OPTIONS = (
    "preload", "return_native", "ch_types", "type_patterns", "infer_types",
    "electrodes", "channels", "coordsystem", "coord_unit", "electrode_type",
    "on_missing", "verbose",
)  # fmt: skip
#: What MNE raises on files it cannot parse (besides FileNotFoundError).
_MNE_ERRORS = (
    ValueError, RuntimeError, OSError, KeyError, IndexError, TypeError,
    AttributeError, struct.error, EOFError,
)  # fmt: skip


# ------------------------------------------------------------- channel types
def _check_channel_type(kind: Any, name: str) -> None:
    if isinstance(kind, str) and kind not in CHANNEL_TYPES:
        if kind.lower() in CHANNEL_TYPES:
            raise ValidationError(
                f"{name} must be one of {list(CHANNEL_TYPES)}, got {kind!r}. Did "
                f"you mean {kind.lower()!r}? (Channel types are lower case.)"
            )
    check_option(kind, name, CHANNEL_TYPES)


def _check_type_map(ch_types: Any) -> dict[str, str]:
    if not isinstance(ch_types, dict):
        raise DTypeError(
            f"ch_types must be a dict of channel name to type, got "
            f"{type(ch_types).__name__}. Example: ch_types={{'EKG1': 'ecg'}}."
        )
    for name, kind in ch_types.items():
        _check_channel_type(kind, f"ch_types[{name!r}] (channel type)")
    return {str(k): str(v) for k, v in ch_types.items()}


def _compile_patterns(patterns: Any) -> dict[str, re.Pattern]:
    if not isinstance(patterns, dict):
        raise DTypeError(
            f"type_patterns must be a dict of channel type to regular expression, got "
            f"{type(patterns).__name__}. Example: type_patterns={{'ecg': '^EKG'}}."
        )
    compiled = {}
    for kind, pattern in patterns.items():
        _check_channel_type(kind, "type_patterns key (channel type)")
        try:
            compiled[kind] = re.compile(pattern)
        except (re.error, TypeError) as err:
            raise ValidationError(
                f"type_patterns[{kind!r}] = {pattern!r} is not a valid regular "
                f"expression ({err}). Fix the pattern (Python re syntax)."
            ) from err
    return compiled


def set_channel_types_from_patterns(
    recording: Recording, patterns: dict[str, str], *, on_missing: str = "raise"
) -> Recording:
    """Set channel types in place from ``{type: regex}`` matched against names.

    Each pattern is searched (``re.search``) in every channel name. A channel
    matched by patterns of two different types is an error.

    Parameters
    ----------
    recording : Recording
        Modified in place.
    patterns : dict of str to str
        Channel type (one of ``neurokit_ai.core.CHANNEL_TYPES``) to regular
        expression.
    on_missing : {"raise", "warn", "ignore"}
        What to do when a pattern matches no channel.

    Returns
    -------
    Recording
        The same object.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.core import Recording
    >>> rec = Recording(np.zeros((3, 10)), 10.0, ["EKG1", "DC01", "A1"], "eeg")
    >>> set_channel_types_from_patterns(rec, {"ecg": "^EKG", "misc": "^DC"}).ch_types
    ['ecg', 'misc', 'eeg']
    """
    if not isinstance(recording, Recording):
        raise DTypeError(
            f"recording must be a neurokit_ai.core.Recording, got "
            f"{type(recording).__name__}."
        )
    check_option(on_missing, "on_missing", ON_MISSING)
    compiled = _compile_patterns(patterns)
    mapping: dict[str, str] = {}
    unmatched = []
    for kind, regex in compiled.items():
        hits = [n for n in recording.ch_names if regex.search(n)]
        if not hits:
            unmatched.append(f"{kind}: {regex.pattern!r}")
        for name in hits:
            if mapping.get(name, kind) != kind:
                raise ValidationError(
                    f"Channel {name!r} matches the type_patterns of both "
                    f"{mapping[name]!r} and {kind!r}. Make the patterns exclusive "
                    "(anchor them with ^ and $)."
                )
            mapping[name] = kind
    _handle_missing(unmatched, "type_patterns (no match)", on_missing, recording)
    return recording.set_channel_types(mapping)


# ---------------------------------------------------------------- MNE path
def _mne_reader(fmt: str, path: Path) -> Any:
    import mne

    name = MNE_READERS.get(fmt)
    if name is None or not hasattr(mne.io, name):
        raise FileFormatError(
            f"{str(path)!r} is a {fmt} file, which this MNE version "
            f"({mne.__version__}) cannot read. Convert it to EDF, BrainVision or FIF."
        )
    return getattr(mne.io, name)


def _check_mne_options(func: Any, fmt: str, options: dict, infer_types: bool) -> None:
    params = inspect.signature(func).parameters
    accepted = sorted(k for k in params if k not in _OWN_MNE_ARGS)
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ValidationError(
            f"Unknown option(s) {unknown} for {fmt} files. read_raw_file accepts "
            f"{list(_OWN_OPTIONS)} and, passed on to mne.io.{func.__name__}, "
            f"{accepted}."
        )
    if infer_types and "infer_types" not in params:
        raise ValidationError(
            f"infer_types=True applies to EDF/BDF files only, not to {fmt} files. "
            "Use type_patterns or ch_types to type channels instead."
        )


def _read_with_mne(
    func: Any, path: Path, preload: bool, infer_types: bool, options: dict, verbose
) -> Any:
    kwargs = dict(options)
    if infer_types:
        kwargs["infer_types"] = True
    try:
        return func(path, preload=preload, verbose=verbose, **kwargs)
    except FileNotFoundError as err:
        raise MissingFileError(
            f"MNE could not find a file needed to read {str(path)!r}: {err}. Keep all "
            "the recording's files together in one folder with their original names."
        ) from err
    except _MNE_ERRORS as err:
        opts = f" with options {options}" if options else ""
        raise FileFormatError(
            f"MNE ({func.__name__}) could not read {str(path)!r}{opts}: "
            f"{type(err).__name__}: {err}. Check that the file is a complete, "
            "uncorrupted recording in that format (re-export or re-copy it) and "
            "that the options are valid for it."
        ) from err


def _sync_raw(raw: Any, rec: Recording, montage_changed: bool) -> None:
    """Copy the typing, units, bads (and montage) of ``rec`` onto its MNE raw."""
    import mne

    from ..core._mne_bridge import _unit_code
    from ..core._recording import MNE_CHANNEL_TYPES

    current = raw.get_channel_types()
    changes = {
        name: kind if kind in MNE_CHANNEL_TYPES else "misc"
        for name, kind, old in zip(rec.ch_names, rec.ch_types, current)
        if kind != old
    }
    if changes:
        raw.set_channel_types(changes, on_unit_change="ignore", verbose="error")
    with raw.info._unlock():
        for ch, unit in zip(raw.info["chs"], rec.units):
            code = _unit_code(unit)
            if code is not None:
                ch["unit"] = code
        raw.info["bads"] = list(rec.bads)
    if montage_changed and rec.montage is not None:
        dig = mne.channels.make_dig_montage(
            ch_pos=dict(rec.montage.ch_pos), coord_frame=rec.montage.coord_frame
        )
        raw.set_montage(dig, on_missing="ignore", verbose="error")


# ------------------------------------------------------------------ reader
def read_raw_file(
    path: str | os.PathLike,
    *,
    preload: bool = True,
    return_native: bool = False,
    ch_types: dict[str, str] | None = None,
    type_patterns: dict[str, str] | None = None,
    infer_types: bool = False,
    electrodes: str | os.PathLike | None = None,
    channels: str | os.PathLike | None = None,
    coordsystem: str | os.PathLike | dict | None = None,
    coord_unit: str = "auto",
    electrode_type: str = "seeg",
    on_missing: str = "raise",
    verbose: bool | str | int | None = False,
    **mne_options: Any,
) -> Any:
    """Read an EEG/MEG/iEEG file (any raw format MNE reads) as a Recording.

    Companion files are checked first (EEGLAB ``.fdt``, BrainVision data and
    marker files named in the ``.vhdr``, Nihon Kohden ``.21E``/``.PNT``/``.LOG``,
    Persyst ``.dat``), and EDF/BDF files for truncation. EDF/BDF are read by
    neurokit_ai's own reader unless MNE options or ``return_native`` are given
    or the file needs MNE (EDF+D, mixed sampling rates). Channel types are then
    set in this order, later steps winning: ``infer_types``, ``channels``
    table, ``electrodes`` table, ``type_patterns``, ``ch_types``. Nothing is
    written to disk.

    Parameters
    ----------
    path : str or path-like
        The recording (header file for multi-file formats).
    preload : bool
        Read the samples now; ``False`` gives a lazy Recording that reads only
        the segments asked for.
    return_native : bool
        Return the ``mne.io.Raw`` (with the same typing and montage applied).
    ch_types : dict of str to str, optional
        ``{channel name: type}``, types from ``neurokit_ai.core.CHANNEL_TYPES``.
    type_patterns : dict of str to str, optional
        ``{type: regular expression}`` searched in the channel names, e.g.
        ``{"ecg": "^EKG", "misc": "^DC"}``.
    infer_types : bool
        EDF/BDF only: type channels from label prefixes such as ``"ECG "``.
    electrodes : str or path-like, optional
        A BIDS ``*_electrodes.tsv``: positions (montage) and ``electrode_type``
        for the listed contacts; extra columns go to ``channel_info``.
    channels : str or path-like, optional
        A BIDS ``*_channels.tsv``: types, bad channels and units.
    coordsystem : str, path-like or dict, optional
        The ``*_coordsystem.json`` of ``electrodes`` (found automatically when
        it shares the electrodes table's BIDS prefix).
    coord_unit : {"auto", "m", "cm", "mm"}
        Unit of the electrodes table; see :func:`read_electrodes_tsv`.
    electrode_type : {"seeg", "ecog", "dbs", "eeg"}
        Type of the contacts listed (with a position) in ``electrodes``.
    on_missing : {"raise", "warn", "ignore"}
        What to do when ``ch_types``, ``type_patterns`` or the tables name
        channels the file does not have.
    verbose : bool, str or int, optional
        MNE's verbosity while reading.
    **mne_options
        Passed to the ``mne.io.read_raw_*`` function of the format (for
        instance ``exclude``, ``stim_channel``, ``eog``, ``misc``, ``encoding``).

    Returns
    -------
    Recording or mne.io.Raw

    Examples
    --------
    >>> rec = read_raw_file(
    ...     "sample_seeg.edf", electrodes="sample_seeg_electrodes_mni.tsv",
    ...     type_patterns={"ecg": "^EKG", "misc": "^DC"})  # doctest: +SKIP
    >>> rec.channel_type_counts()  # doctest: +SKIP
    {'seeg': 88, 'misc': 8, 'ecg': 2}
    """
    from ._companions import check_companions
    from ._read import READERS, _detect_format

    path = check_path(path, "path")
    check_option(on_missing, "on_missing", ON_MISSING)
    check_option(electrode_type, "electrode_type", ELECTRODE_TYPES)
    check_option(coord_unit, "coord_unit", ["auto", *COORD_UNITS])
    for name, value in (("preload", preload), ("return_native", return_native)):
        if not isinstance(value, bool):
            raise DTypeError(f"{name} must be True or False, got {value!r}.")
    ch_types = None if ch_types is None else _check_type_map(ch_types)
    if type_patterns is not None:
        _compile_patterns(type_patterns)
    fmt = _detect_format(path)
    if READERS.get(fmt, ("", ""))[1] != "read_raw_file":
        raise ValidationError(
            f"{str(path)!r} is a {fmt} file, not an EEG/MEG/iEEG recording that "
            "read_raw_file reads. Use neurokit_ai.io.read_recording(path)."
        )
    func = _mne_reader(fmt, path)
    _check_mne_options(func, fmt, mne_options, infer_types)
    check_companions(path, fmt)

    rec = raw = None
    if fmt in ("edf", "bdf"):
        from ._edf import check_edf_integrity, read_edf_native

        if not return_native and not mne_options:
            rec = read_edf_native(path, preload=preload, infer_types=infer_types)
        if rec is None:
            check_edf_integrity(path)
    if rec is None:
        raw = _read_with_mne(func, path, preload, infer_types, mne_options, verbose)
        rec = Recording.from_mne(raw, copy=False)

    if channels is not None:
        apply_channels_tsv(rec, channels, on_missing=on_missing)
    if electrodes is not None:
        apply_electrodes_tsv(
            rec,
            electrodes,
            coordsystem=coordsystem,
            unit=coord_unit,
            electrode_type=electrode_type,
            on_missing=on_missing,
        )
    if type_patterns is not None:
        set_channel_types_from_patterns(rec, type_patterns, on_missing=on_missing)
    if ch_types is not None:
        present = set(rec.ch_names)
        _handle_missing(
            [n for n in ch_types if n not in present], "ch_types", on_missing, rec
        )
        rec.set_channel_types({n: t for n, t in ch_types.items() if n in present})
    if return_native:
        _sync_raw(raw, rec, montage_changed=electrodes is not None)
        return raw
    return rec
