"""NWB files: units tables, optical-physiology traces and extracellular series."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    FileFormatError,
    Recording,
    SpikeTrains,
    ValidationError,
    check_option,
    check_path,
)
from ._spikes import regular_step

__all__ = ["read_nwb", "NWB_KINDS"]

#: What read_nwb converts: units tables, ROI response series, electrical series.
NWB_KINDS = ("units", "ophys", "ecephys")


def read_nwb(
    path: str | os.PathLike,
    *,
    kind: str | None = None,
    name: str | None = None,
    return_native: bool = False,
) -> Any:
    """Read spikes, calcium traces or extracellular voltages from an NWB file.

    Parameters
    ----------
    path : str or path-like
        An NWB 2 (HDF5) file.
    kind : {"units", "ophys", "ecephys"}, optional
        What to read; needed when the file holds more than one kind. ``units``:
        a ``Units`` table; ``ophys``: a ``RoiResponseSeries`` (e.g. under
        ``processing/ophys`` ``Fluorescence`` or ``DfOverF``); ``ecephys``: an
        ``ElectricalSeries`` (acquisition, or ``LFP``...).
    name : str, optional
        Which object of that kind, as ``"Parent/name"`` (e.g.
        ``"DfOverF/RoiResponseSeries"``) or its bare name when unique; needed
        when there are several. The error lists them.
    return_native : bool
        Return the ``pynwb.NWBFile`` with its file left open (it reads lazily);
        close it with ``nwbfile.get_read_io().close()``.

    Returns
    -------
    SpikeTrains, Recording or pynwb.NWBFile
        ``units``: SpikeTrains named after a ``unit_name``/``name`` column or
        the unit ids; ``t_start``/``t_stop`` span the file's ``epochs`` and
        ``trials`` (widened to include every spike), else the spike range.
        ``ophys``: ROIs × frames (channel type ``calcium``, names ``"roi{id}"``,
        ``conversion``/``offset`` applied). ``ecephys``: channels × samples in
        volts (``conversion``, ``channel_conversion`` and ``offset`` applied),
        channel type ``misc``, names from the electrodes table's ``label``
        column or ids. ``sfreq`` comes from ``rate`` or regular ``timestamps``;
        ``metadata["t_start"]`` is the first sample's time. Samples are read
        into memory and the file is closed.

    Examples
    --------
    >>> spikes = read_nwb("session.nwb", kind="units")  # doctest: +SKIP
    >>> spikes.n_spikes()  # doctest: +SKIP
    """
    path = check_path(path, "path", kind="file")
    if kind is not None:
        check_option(kind, "kind", NWB_KINDS)
    if return_native and (kind is not None or name is not None):
        raise ValidationError(
            "kind/name choose what to convert and cannot be combined with "
            "return_native=True, which returns the whole NWBFile. Drop one of them."
        )
    io, nwb = _open(path)
    if return_native:
        return nwb
    try:
        found = _inventory(nwb)
        kind = _pick_kind(found, kind, path)
        label, obj = _pick_object(found[kind], kind, name, path)
        if kind == "units":
            return _spike_trains(obj, nwb, path, label)
        return _series_recording(obj, kind, path, label)
    finally:
        io.close()


def _open(path: Path) -> tuple[Any, Any]:
    import pynwb

    try:
        io = pynwb.NWBHDF5IO(str(path), "r")
    except Exception as err:
        raise FileFormatError(
            f"{str(path)!r} could not be opened as an NWB file ({err}). Check that "
            "it is a complete NWB 2 (HDF5) file."
        ) from err
    try:
        return io, io.read()
    except Exception as err:
        io.close()
        raise FileFormatError(
            f"{str(path)!r} is HDF5 but pynwb cannot read it as NWB ({err}); it may "
            "be truncated, or use a newer NWB version than pynwb supports (update "
            "pynwb)."
        ) from err


def _label(obj: Any) -> str:
    parent = obj.parent
    is_root = parent is None or type(parent).__name__ == "NWBFile"
    return obj.name if is_root else f"{parent.name}/{obj.name}"


def _inventory(nwb: Any) -> dict[str, dict[str, Any]]:
    from pynwb.ecephys import ElectricalSeries, SpikeEventSeries
    from pynwb.misc import Units
    from pynwb.ophys import RoiResponseSeries

    found: dict[str, dict[str, Any]] = {kind: {} for kind in NWB_KINDS}
    for obj in nwb.objects.values():
        if isinstance(obj, Units) and len(obj) > 0:
            found["units"][_label(obj)] = obj
        elif isinstance(obj, RoiResponseSeries):
            found["ophys"][_label(obj)] = obj
        elif isinstance(obj, ElectricalSeries) and not isinstance(
            obj, SpikeEventSeries
        ):
            found["ecephys"][_label(obj)] = obj
    return found


def _holdings(found: dict[str, dict[str, Any]]) -> str:
    held = [f"{kind}: {sorted(objs)}" for kind, objs in found.items() if objs]
    return "; ".join(held) or "nothing read_nwb converts"


def _pick_kind(found: dict[str, dict[str, Any]], kind: str | None, path: Path) -> str:
    present = [k for k, objs in found.items() if objs]
    if kind is None and len(present) == 1:
        return present[0]
    if kind is not None and kind in present:
        return kind
    if kind is None and present:
        raise ValidationError(
            f"{str(path)!r} holds several kinds of data ({_holdings(found)}); pass "
            f"kind= one of {present}."
        )
    if present:
        raise ValidationError(
            f"kind={kind!r}: {str(path)!r} holds no {kind} data, only "
            f"{_holdings(found)}. Pass kind= one of {present}."
        )
    raise FileFormatError(
        f"{str(path)!r} holds no units table, RoiResponseSeries or ElectricalSeries "
        "that read_nwb converts. Pass return_native=True to explore the NWBFile."
    )


def _pick_object(
    objs: dict[str, Any], kind: str, name: str | None, path: Path
) -> tuple[str, Any]:
    if name is None:
        if len(objs) == 1:
            return next(iter(objs.items()))
        raise ValidationError(
            f"{str(path)!r} holds several {kind} objects {sorted(objs)}; pass name= "
            "one of them."
        )
    matches = [lab for lab in objs if name in (lab, lab.rsplit("/", 1)[-1])]
    if len(matches) != 1:
        reason = "matches none" if not matches else f"is ambiguous ({matches})"
        raise ValidationError(
            f"name={name!r} {reason} of the {kind} objects of {str(path)!r}: "
            f"{sorted(objs)}. Pass one of those."
        )
    return matches[0], objs[matches[0]]


def _spike_trains(units: Any, nwb: Any, path: Path, label: str) -> SpikeTrains:
    if "spike_times" not in units.colnames:
        raise FileFormatError(
            f"The units table {label!r} of {str(path)!r} has no spike_times column "
            f"(columns: {list(units.colnames)}); it cannot give spike trains."
        )
    flat = np.asarray(units.spike_times.data[:], dtype=float)
    ends = np.asarray(units.spike_times_index.data[:], dtype=int)
    trains = np.split(flat, ends[:-1])
    ids = np.asarray(units.id.data[:])
    names = [str(i) for i in ids]
    for column in ("unit_name", "name", "label"):
        if column in units.colnames:
            names = [str(v) for v in units[column].data[:]]
            break
    starts, stops, sources = [], [], []
    for table_name in ("epochs", "trials"):
        table = getattr(nwb, table_name)
        if table is not None and len(table) > 0:
            starts.append(np.min(table.start_time.data[:]))
            stops.append(np.max(table.stop_time.data[:]))
            sources.append(table_name)
    t_start = t_stop = None
    if sources:
        if flat.size:  # widen the intervals to every spike
            starts.append(flat.min())
            stops.append(np.nextafter(flat.max(), np.inf))
        t_start, t_stop = float(min(starts)), float(max(stops))
    return SpikeTrains(
        trains,
        t_start=t_start,
        t_stop=t_stop,
        unit_names=names,
        source=str(path),
        metadata={
            "unit_ids": ids.tolist(),
            "units_table": label,
            "interval_source": "+".join(sources) or "spikes",
            "session_start_time": str(nwb.session_start_time),
        },
    )


def _series_recording(series: Any, kind: str, path: Path, label: str) -> Recording:
    data = np.asarray(series.data[()])
    if data.ndim == 1:
        data = data[:, np.newaxis]
    if data.ndim != 2:
        raise FileFormatError(
            f"{label!r} in {str(path)!r} has data of shape {data.shape}; expected "
            "(n_times, n_channels)."
        )
    region = series.electrodes if kind == "ecephys" else series.rois
    rows = np.asarray(region.data[:], dtype=int)
    table = region.table
    if rows.size != data.shape[1]:
        raise FileFormatError(
            f"{label!r} in {str(path)!r} has {data.shape[1]} channels but references "
            f"{rows.size} rows of {table.name!r}; the file is inconsistent."
        )
    ids = np.asarray(table.id.data[:])[rows]
    offset = float(getattr(series, "offset", 0.0) or 0.0)
    scale = float(series.conversion)
    if kind == "ecephys":
        if series.channel_conversion is not None:
            scale = scale * np.asarray(series.channel_conversion[:], dtype=float)
        values = data * scale + offset
        names = [f"e{i}" for i in ids]
        if "label" in table.colnames:
            names = [str(table["label"].data[r]) for r in rows]
        ch_type, units = "misc", ["V"] * len(names)
    else:
        converted = scale != 1.0 or offset != 0.0
        values = data * scale + offset if converted else data
        names = [f"roi{i}" for i in ids]
        ch_type, units = "calcium", None
    sfreq, t_first = _series_rate(series, path, label)
    return Recording(
        values.T,
        sfreq=sfreq,
        ch_names=names,
        ch_types=ch_type,
        units=units,
        modality="calcium" if kind == "ophys" else "ecephys",
        source=str(path),
        channel_info={"id": ids},
        metadata={
            "t_start": t_first,
            "nwb_object": label,
            "nwb_unit": series.unit,
            "description": series.description,
        },
    )


def _series_rate(series: Any, path: Path, label: str) -> tuple[float, float]:
    if series.rate is not None:
        return float(series.rate), float(series.starting_time or 0.0)
    stamps = np.asarray(series.timestamps[:], dtype=float)
    step = regular_step(stamps, f"the timestamps of {label!r} in {str(path)!r}")
    return 1.0 / step, float(stamps[0])
