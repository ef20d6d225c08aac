"""Readers for every recording format, behind one :func:`read_recording`.

neurokit_ai's own ``.npz`` archives (:func:`write_recording`, pipeline outputs,
``neurokit-ai clean --out x.npz``) are read by the same function.

Heavy libraries (MNE, nibabel, pynwb, h5py, tifffile) are imported only when
a reader runs.
"""

import importlib

from ._read import READERS, read_recording
from ._sniff import sniff_format

_LAZY = {
    "read_raw_file": "._mne_raw",
    "read_edf_native": "._edf",
    "read_edf_header": "._edf",
    "check_edf_integrity": "._edf",
    "set_channel_types_from_patterns": "._mne_raw",
    "apply_electrodes_tsv": "._bids_tables",
    "apply_channels_tsv": "._bids_tables",
    "read_electrodes_tsv": "._bids_tables",
    "find_electrodes_tsv": "._bids_tables",
    "read_bids_recording": "._bids",
    "read_nifti": "._fmri",
    "read_events_tsv": "._fmri",
    "read_suite2p": "._calcium",
    "read_movie": "._movie",
    "ImagingMovie": "._movie",
    "read_nwb": "._nwb",
    "read_binned_mat": "._spikes",
    "read_spike_times": "._spikes",
    "read_archive": "._archive",
    "write_recording": "._archive",
    "read_responses": "._archive",
    "write_responses": "._archive",
    "ARCHIVE_VERSION": "._archive",
}

__all__ = ["READERS", "read_recording", "sniff_format", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
