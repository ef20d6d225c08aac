"""``read_recording``: one entry point that picks the reader from the file."""

from __future__ import annotations

import importlib
import inspect
import os
from pathlib import Path
from typing import Any

from ..core import FileFormatError, ValidationError, check_option, check_path
from ._sniff import MNE_EXTENSIONS, extension_format, sniff_format

__all__ = ["read_recording", "READERS"]

_MNE = ("._mne_raw", "read_raw_file")
#: Format name -> (module, reader function).
READERS: dict[str, tuple[str, str]] = {
    **{
        fmt: _MNE
        for fmt in (
            "edf", "bdf", "gdf", "brainvision", "eeglab", "fif", "nihon_kohden",
            "persyst", "cnt", "egi", "eximia", "nirx", "snirf", "ctf", "kit",
            "nicolet", "artemis123",
        )
    },
    "nifti": ("._fmri", "read_nifti"),
    "nwb": ("._nwb", "read_nwb"),
    "matlab": ("._spikes", "read_binned_mat"),
    "tiff": ("._calcium", "read_movie"),
    "hdf5": ("._calcium", "read_movie"),
    "text": ("._spikes", "read_spike_times"),
    "suite2p": ("._calcium", "read_suite2p"),
    "npz": ("._archive", "read_archive"),
}  # fmt: skip

# What the first bytes must show for an extension's format.
_SIGNATURES = {
    "edf": {"edf"},
    "bdf": {"bdf"},
    "gdf": {"gdf"},
    "brainvision": {"brainvision"},
    "eeglab": {"matlab", "matlab73", "hdf5"},
    "fif": {"fif", "gzip"},
    "nifti": {"nifti"},
    "nwb": {"hdf5"},
    "matlab": {"matlab", "matlab73", "hdf5"},
    "tiff": {"tiff"},
    "hdf5": {"hdf5"},
    "npz": {"zip"},
}
_SUGGESTED_EXT = {
    "edf": ".edf", "bdf": ".bdf", "gdf": ".gdf", "brainvision": ".vhdr",
    "nifti": ".nii.gz", "hdf5": ".h5 (or .nwb for NWB files)", "matlab": ".mat",
    "matlab73": ".mat", "tiff": ".tif", "fif": ".fif", "zip": ".npz",
}  # fmt: skip


def _is_suite2p_folder(path: Path) -> bool:
    return (
        (path / "F.npy").is_file()
        or any(path.glob("plane*/F.npy"))
        or any(path.glob("suite2p/plane*/F.npy"))
    )


def _detect_format(path: Path) -> str:
    if path.is_dir():
        if _is_suite2p_folder(path):
            return "suite2p"
        if (path / "dataset_description.json").is_file():
            raise FileFormatError(
                f"{str(path)!r} is a BIDS dataset, not one recording. Use "
                "neurokit_ai.io.read_bids_recording(bids_root, subject=..., task=...)."
            )
        fmt = extension_format(path)
        if fmt in ("ctf", "egi"):
            return fmt
        raise FileFormatError(
            f"{str(path)!r} is a folder that neurokit_ai cannot read: it is neither a "
            "suite2p output folder (F.npy, Fneu.npy, iscell.npy...), a CTF .ds nor an "
            "EGI .mff folder. Pass the recording file itself."
        )
    by_ext = extension_format(path)
    by_content = sniff_format(path)
    if by_ext == "nihon_kohden":
        vhdr = [p for p in path.parent.glob("*.vhdr") if p.stem == path.stem]
        if vhdr:
            raise FileFormatError(
                f"{str(path)!r} is the data file of a BrainVision recording; pass its "
                f"header {str(vhdr[0])!r} instead."
            )
    if by_ext is None:
        hint = (
            f" Its content looks like {by_content}; rename it with the "
            f"{_SUGGESTED_EXT.get(by_content, by_content)} extension or pass "
            f"format={by_content!r}."
            if by_content
            else ""
        )
        supported = ", ".join(sorted(MNE_EXTENSIONS))
        raise FileFormatError(
            f"Cannot tell the format of {str(path)!r} from its extension "
            f"{path.suffix!r}.{hint} Supported extensions: {supported}."
        )
    expected = _SIGNATURES.get(by_ext)
    if expected is not None and by_content not in expected:
        if by_content is None:
            raise FileFormatError(
                f"{str(path)!r} has the extension of a {by_ext} file but its first "
                f"bytes are not a {by_ext} header: it is corrupt, empty or another "
                "format. Check the file (re-export or re-copy it)."
            )
        raise FileFormatError(
            f"{str(path)!r} has the extension of a {by_ext} file but its content is "
            f"{by_content}. Rename it with the "
            f"{_SUGGESTED_EXT.get(by_content, by_content)} extension, or pass "
            f"format={by_content!r} to read it as such."
        )
    if by_ext == "matlab" and by_content == "hdf5":
        return "matlab"
    return by_ext


def read_recording(
    path: str | os.PathLike,
    *,
    format: str | None = None,
    preload: bool = True,
    return_native: bool = False,
    **options: Any,
) -> Any:
    """Read a recording in its native format, choosing the reader from the file.

    The format is taken from the extension and checked against the file's first
    bytes, so a renamed or corrupt file is reported instead of misread.

    Parameters
    ----------
    path : str or path-like
        A file (EDF, BDF, GDF, BrainVision ``.vhdr``, EEGLAB ``.set``, FIF,
        Nihon Kohden, Persyst and every raw format MNE reads; NIfTI; NWB; MATLAB
        ``.mat`` of binned counts; TIFF/HDF5 movies; text spike times;
        neurokit_ai ``.npz`` archives from :func:`write_recording`) or a
        suite2p ``plane*`` folder.
    format : str, optional
        Force a reader (a key of :data:`READERS`), bypassing detection.
    preload : bool
        Read the samples now (``True``) or on first access (``False``), for the
        readers that support lazy reading (MNE formats, movies).
    return_native : bool
        Return the underlying library's object (``mne.io.Raw``,
        ``nibabel.Nifti1Image``, ``pynwb.NWBFile``) instead of a neurokit_ai one.
    **options
        Passed to the reader; see :func:`read_raw_file`, :func:`read_nifti`,
        :func:`read_suite2p`, :func:`read_movie`, :func:`read_nwb`,
        :func:`read_binned_mat`, :func:`read_spike_times` and :func:`read_archive`.

    Returns
    -------
    Recording, SpikeTrains or ImagingMovie
        Or the native object with ``return_native=True``.

    Examples
    --------
    >>> from neurokit_ai.io import read_recording
    >>> rec = read_recording("sub-01_task-rest_eeg.edf")  # doctest: +SKIP
    >>> rec.sfreq, rec.channel_type_counts()  # doctest: +SKIP
    """
    path = check_path(path, "path")
    if format is None:
        fmt = _detect_format(path)
    else:
        fmt = check_option(format, "format", sorted(READERS))
    if fmt not in READERS:
        raise FileFormatError(
            f"{str(path)!r} is a {fmt} file, which neurokit_ai has no reader for. "
            "Convert it to EDF, BrainVision or FIF, or pass format=... to force a "
            f"reader from {sorted(READERS)}."
        )
    module, name = READERS[fmt]
    reader = getattr(importlib.import_module(module, __package__), name)
    params = inspect.signature(reader).parameters
    kwargs: dict[str, Any] = dict(options)
    for key, val in (("preload", preload), ("return_native", return_native)):
        if key in params:
            kwargs[key] = val
        elif key == "return_native" and val:
            raise ValidationError(
                f"return_native=True is not available for {fmt} files: neurokit_ai "
                "reads them without an intermediate library object."
            )
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    if not accepts_any:
        unknown = sorted(set(kwargs) - set(params))
        if unknown:
            allowed = sorted(k for k in params if k != "path")
            raise ValidationError(
                f"Unknown option(s) {unknown} for {fmt} files (reader {name}). "
                f"Accepted options: {allowed}."
            )
    return reader(path, **kwargs)
