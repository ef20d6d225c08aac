"""Lossless conversion between :class:`Recording` and ``mne.io.Raw``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._annotations import Annotations
from ._errors import DTypeError
from ._montage import Montage
from ._recording import MNE_CHANNEL_TYPES

_FIFF_UNITS = {
    -1: "NA", 0: "unitless", 1: "m", 2: "kg", 3: "s", 4: "A", 5: "K", 6: "mol",
    7: "rad", 101: "Hz", 102: "N", 103: "Pa", 104: "J", 105: "W", 106: "C",
    107: "V", 108: "F", 109: "Ohm", 110: "S", 111: "Wb", 112: "T", 113: "H",
    114: "°C", 201: "T/m", 202: "Am", 210: "px",
}  # fmt: skip
_UNIT_CODES = {v: k for k, v in _FIFF_UNITS.items()}
_INFO_KEYS = ("highpass", "lowpass", "line_freq")


def _unit_name(code: int) -> str:
    return _FIFF_UNITS.get(int(code), f"fiff:{int(code)}")


def _unit_code(name: str) -> int | None:
    if name in _UNIT_CODES:
        return _UNIT_CODES[name]
    if name.startswith("fiff:"):
        return int(name[5:])
    return None


def recording_from_mne(cls: type, raw: Any, *, copy: bool = True, **kwargs: Any) -> Any:
    """Build ``cls`` (a Recording) from an MNE raw; see ``Recording.from_mne``."""
    import mne

    if not isinstance(raw, mne.io.BaseRaw):
        raise DTypeError(
            f"raw must be an mne.io.BaseRaw, got {type(raw).__name__}. Read the file "
            "with mne.io.read_raw first, or use neurokit_ai.io.read_recording."
        )
    info = raw.info
    ch_types = raw.get_channel_types()
    units = [_unit_name(ch["unit"]) for ch in info["chs"]]
    ann = raw.annotations
    offset = raw.first_time if ann.orig_time is not None else 0.0
    annotations = Annotations(
        ann.onset - offset, ann.duration, list(ann.description), list(ann.ch_names)
    )
    montage = None
    mne_montage = raw.get_montage()
    if mne_montage is not None:
        pos = mne_montage.get_positions()
        ch_pos = {
            k: np.asarray(v, float)
            for k, v in pos["ch_pos"].items()
            if not np.isnan(np.asarray(v, float)).all()
        }
        hsp = pos.get("hsp")
        hpi = pos.get("hpi")
        montage = Montage(
            ch_pos,
            coord_frame=pos["coord_frame"],
            nasion=pos["nasion"],
            lpa=pos["lpa"],
            rpa=pos["rpa"],
            hsp=None if hsp is None or len(hsp) == 0 else hsp,
            hpi=None if hpi is None or len(hpi) == 0 else hpi,
        )
    channel_info = {
        "mne_loc": np.array([ch["loc"] for ch in info["chs"]]),
        "mne_coil_type": np.array([int(ch["coil_type"]) for ch in info["chs"]]),
    }
    metadata = {k: info[k] for k in _INFO_KEYS if info.get(k) is not None}
    fnames = getattr(raw, "filenames", ())
    source = kwargs.pop("source", str(fnames[0]) if fnames and fnames[0] else None)
    common = dict(
        sfreq=info["sfreq"],
        ch_names=list(info["ch_names"]),
        ch_types=ch_types,
        units=units,
        annotations=annotations,
        montage=montage,
        first_samp=raw.first_samp,
        meas_date=info["meas_date"],
        bads=list(info["bads"]),
        source=source,
        channel_info=channel_info,
        metadata=metadata,
    )
    common.update(kwargs)
    if raw.preload:
        data = raw._data.copy() if copy else raw._data
        return cls(data, **common)

    def reader(picks: np.ndarray, start: int, stop: int) -> np.ndarray:
        return raw.get_data(picks=picks, start=start, stop=stop)

    return cls(None, reader=reader, n_times=raw.n_times, **common)


def recording_to_mne(rec: Any) -> Any:
    """Return an ``mne.io.RawArray`` equivalent to ``rec``."""
    import mne

    types = [t if t in MNE_CHANNEL_TYPES else "misc" for t in rec.ch_types]
    info = mne.create_info(list(rec.ch_names), rec.sfreq, types)
    loc = rec.channel_info.get("mne_loc")
    coil = rec.channel_info.get("mne_coil_type")
    with info._unlock():
        for i, ch in enumerate(info["chs"]):
            code = _unit_code(rec.units[i])
            if code is not None:
                ch["unit"] = code
            if loc is not None:
                ch["loc"] = np.array(loc[i], float)
            if coil is not None:
                ch["coil_type"] = int(coil[i])
        for key in _INFO_KEYS:
            if key in rec.metadata:
                info[key] = rec.metadata[key]
        info["bads"] = list(rec.bads)
        if rec.meas_date is not None:
            info["meas_date"] = rec.meas_date
    data = np.asarray(rec.data, dtype=np.float64)
    raw = mne.io.RawArray(data, info, first_samp=rec.first_samp, verbose="error")
    if rec.montage is not None and rec.montage.ch_pos:
        m = rec.montage
        dig = mne.channels.make_dig_montage(
            ch_pos=dict(m.ch_pos),
            nasion=m.nasion,
            lpa=m.lpa,
            rpa=m.rpa,
            hsp=m.hsp,
            hpi=m.hpi,
            coord_frame=m.coord_frame,
        )
        raw.set_montage(dig, on_missing="ignore", verbose="error")
    ann = rec.annotations
    if len(ann):
        orig_time = raw.info["meas_date"]
        offset = raw.first_time if orig_time is not None else 0.0
        raw.set_annotations(
            mne.Annotations(
                ann.onset + offset,
                ann.duration,
                list(ann.description),
                orig_time=orig_time,
                ch_names=list(ann.ch_names),
            ),
            verbose="error",
        )
    return raw
