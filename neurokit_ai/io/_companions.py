"""Check that a multi-file recording has its companion files before MNE reads it.

Some formats keep the header and the samples in separate files (EEGLAB ``.set``
+ ``.fdt``, BrainVision ``.vhdr`` + ``.eeg`` + ``.vmrk``, Nihon Kohden ``.EEG`` +
``.21E``/``.PNT``/``.LOG``, Persyst ``.lay`` + ``.dat``). When one is missing,
MNE fails late and with a message that does not say which file to restore, so
the companions are looked up first, by the names the header itself gives.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core import FileFormatError, MissingFileError

__all__ = ["check_companions"]


def check_companions(path: Path, fmt: str) -> None:
    """Raise :class:`MissingFileError` when a file the recording needs is absent.

    Parameters
    ----------
    path : Path
        The recording's header file.
    fmt : str
        Its format (a key of ``neurokit_ai.io.READERS``). Formats stored in a
        single file need nothing and pass.

    Examples
    --------
    >>> from pathlib import Path
    >>> check_companions(Path("sub-01_eeg.edf"), "edf")  # one file: nothing to check
    """
    checker = _CHECKERS.get(fmt)
    if checker is not None:
        checker(path)


def _missing(path: Path, what: str, expected: Path, fix: str) -> MissingFileError:
    return MissingFileError(
        f"{str(path)!r} needs its {what} {str(expected)!r}, which does not exist. {fix}"
    )


# ------------------------------------------------------------------ EEGLAB
def _eeglab_data_field(path: Path) -> str | None:
    """Return the file name in the ``.set``'s data field, or None if data is inline."""
    import scipy.io

    try:
        mat = scipy.io.loadmat(
            str(path),
            squeeze_me=True,
            struct_as_record=False,
            variable_names=["EEG", "data", "datfile"],
        )
    except NotImplementedError:  # MATLAB 7.3 (HDF5) file
        return _eeglab_data_field_h5(path)
    except (ValueError, OSError, TypeError) as err:
        raise FileFormatError(
            f"{str(path)!r} is not a readable EEGLAB .set file (MATLAB said: {err}). "
            "Re-save it from EEGLAB (pop_saveset)."
        ) from err
    eeg = mat.get("EEG")
    for holder, key in ((eeg, "data"), (eeg, "datfile"), (None, "data")):
        value = getattr(holder, key, None) if holder is not None else mat.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _eeglab_data_field_h5(path: Path) -> str | None:
    import h5py
    import numpy as np

    with h5py.File(path, "r") as fh:
        for key in ("EEG/data", "data", "EEG/datfile", "datfile"):
            if key in fh and isinstance(fh[key], h5py.Dataset):
                ds = fh[key]
                if ds.attrs.get("MATLAB_class", b"") in (b"char", "char"):
                    codes = np.asarray(ds[()]).ravel()
                    return "".join(chr(int(c)) for c in codes)
    return None


def _check_eeglab(path: Path) -> None:
    beside = path.with_suffix(".fdt")
    if beside.is_file():
        return
    dataname = _eeglab_data_field(path)
    if dataname is None:
        return
    expected = path.parent / Path(dataname).name
    if not expected.is_file():
        raise _missing(
            path,
            "data file (named in the .set's EEG.data field)",
            expected,
            f"Put {expected.name!r} (or {beside.name!r}) in the same folder as the "
            ".set file, or re-save the dataset from EEGLAB with its data inside the "
            ".set.",
        )


# ------------------------------------------------------------- BrainVision
def _ini_section(path: Path, section: str) -> dict[str, str] | None:
    """Return ``key=value`` lines (lower-case keys) of ``[section]``, or None.

    BrainVision and Persyst headers are INI-like but hold free text elsewhere
    (comments, channel tables), so only the wanted section is parsed.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    found: dict[str, str] | None = None
    current = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            if current == section.lower() and found is None:
                found = {}
            continue
        if current == section.lower() and "=" in line and not line.startswith(";"):
            key, value = line.split("=", 1)
            found[key.strip().lower()] = value.strip()
    return found


def _check_brainvision(path: Path) -> None:
    info = _ini_section(path, "Common Infos")
    if info is None:
        raise FileFormatError(
            f"{str(path)!r} has no [Common Infos] section, so the names of its data "
            "and marker files are unknown. Use the .vhdr written by the recorder."
        )
    for key, what, field in (
        ("datafile", "data file", "DataFile="),
        ("markerfile", "marker file", "MarkerFile="),
    ):
        name = info.get(key, "").strip()
        if not name:
            if key == "datafile":
                raise FileFormatError(
                    f"{str(path)!r} does not name its data file (no DataFile= in "
                    "[Common Infos]). Add DataFile=<name>.eeg to the header."
                )
            continue
        expected = path.parent / Path(name.replace("\\", "/")).name
        if not expected.is_file():
            raise _missing(
                path,
                f"{what} (DataFile=/MarkerFile= in the .vhdr)",
                expected,
                f"Restore {expected.name!r} beside the .vhdr; if it was renamed, "
                f"edit the {field} line of the .vhdr "
                "to its new name (BrainVision files cannot be renamed one by one).",
            )


# ------------------------------------------------------------ Nihon Kohden
def _with_any_case_suffix(path: Path, suffix: str) -> Path | None:
    for cand in (path.with_suffix(suffix.upper()), path.with_suffix(suffix.lower())):
        if cand.is_file():
            return cand
    return None


def _check_nihon_kohden(path: Path) -> None:
    roles = {".21E": "electrode names", ".PNT": "patient/metadata", ".LOG": "events"}
    for suffix, role in roles.items():
        if _with_any_case_suffix(path, suffix) is None:
            raise _missing(
                path,
                f"Nihon Kohden {suffix} file ({role})",
                path.with_suffix(suffix),
                "Copy the whole Nihon Kohden export (.EEG, .21E, .PNT, .LOG and "
                ".11D when present) into one folder with the same base name.",
            )


# ----------------------------------------------------------------- Persyst
def _check_persyst(path: Path) -> None:
    name = (_ini_section(path, "FileInfo") or {}).get("file", "")
    if not name:
        raise FileFormatError(
            f"{str(path)!r} does not name its data file (no File= in [FileInfo]). "
            "Use the .lay written by Persyst."
        )
    expected = path.parent / re.split(r"[\\/]", name)[-1]
    if not expected.is_file():
        raise _missing(
            path,
            "data file (File= in [FileInfo])",
            expected,
            f"Put {expected.name!r} in the same folder as the .lay file.",
        )


_CHECKERS = {
    "eeglab": _check_eeglab,
    "brainvision": _check_brainvision,
    "nihon_kohden": _check_nihon_kohden,
    "persyst": _check_persyst,
}
