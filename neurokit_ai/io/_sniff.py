"""Recognise a file's format from its first bytes, whatever its extension."""

from __future__ import annotations

import gzip
from pathlib import Path

__all__ = ["sniff_format", "extension_format", "MNE_EXTENSIONS"]

#: Extensions handed to MNE's raw readers (``mne.io.read_raw``), and their format.
MNE_EXTENSIONS = {
    ".edf": "edf",
    ".edf+": "edf",
    ".bdf": "bdf",
    ".gdf": "gdf",
    ".vhdr": "brainvision",
    ".ahdr": "brainvision",
    ".set": "eeglab",
    ".fif": "fif",
    ".fif.gz": "fif",
    ".eeg": "nihon_kohden",
    ".lay": "persyst",
    ".cnt": "cnt",
    ".mff": "egi",
    ".nxe": "eximia",
    ".hdr": "nirx",
    ".snirf": "snirf",
    ".ds": "ctf",
    ".sqd": "kit",
    ".con": "kit",
    ".mef": "mef",
    ".xdf": "xdf",
    ".data": "nicolet",
    ".bin": "artemis123",
    ".mat": "matlab",
    ".nii": "nifti",
    ".nii.gz": "nifti",
    ".nwb": "nwb",
    ".npz": "npz",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".h5": "hdf5",
    ".hdf5": "hdf5",
    ".txt": "text",
    ".csv": "text",
    ".tsv": "text",
}


def extension_format(path: Path) -> str | None:
    """Return the format implied by ``path``'s extension (longest match first)."""
    name = path.name.lower()
    for ext in sorted(MNE_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return MNE_EXTENSIONS[ext]
    return None


def sniff_format(path: Path) -> str | None:
    """Return the format the file's content shows, or None when it shows none.

    Only signatures that are unambiguous are used: EDF/BDF headers, GDF,
    NIfTI-1/2 (plain or gzipped), HDF5 (NWB and MATLAB 7.3 are HDF5), MATLAB 5,
    TIFF, FIF, zip (``.npz`` archives are zips) and the BrainVision header line.
    """
    if path.is_dir():
        return None
    with open(path, "rb") as fh:
        head = fh.read(352)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as fh:
                inner = fh.read(352)
        except (OSError, EOFError):
            return "gzip"
        if _is_nifti(inner):
            return "nifti"
        return "gzip"
    if head[:8] == b"\xffBIOSEMI":
        return "bdf"
    if len(head) >= 8 and head[:8] == b"0       ":
        return "edf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if head[:3] == b"GDF":
        return "gdf"
    if _is_nifti(head):
        return "nifti"
    if head[:8] == b"\x89HDF\r\n\x1a\n":
        return "hdf5"
    if head[:116].startswith(b"MATLAB 7.3"):
        return "matlab73"
    if head[:10] == b"MATLAB 5.0":
        return "matlab"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"\x00\x00\x00\x64" or head[:4] == b"\x00\x00\x00\x65":
        return "fif"
    text = head.lstrip(b"\xef\xbb\xbf").lower()
    if text.startswith(b"brain vision data exchange header") or text.startswith(
        b"brainvision data exchange header"
    ):
        return "brainvision"
    return None


def _is_nifti(head: bytes) -> bool:
    if len(head) >= 348 and head[344:348] in (b"n+1\x00", b"ni1\x00"):
        return True
    return len(head) >= 8 and head[4:8] in (b"n+2\x00", b"ni2\x00")
