"""A fast, memory-lean reader for EDF, EDF+ and BDF files.

Written from the EDF/EDF+/BDF specifications (https://www.edfplus.info/specs/).
The results match ``mne.io.read_raw_edf``/``read_raw_bdf`` (names, types, units,
scaling, annotations), but the samples go straight from the file into one
preallocated float64 array, a few records at a time, and a lazy recording reads
only the records that a requested segment covers.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core import Annotations, DTypeError, FileFormatError, Recording, check_path

__all__ = ["EdfHeader", "read_edf_header", "check_edf_integrity", "read_edf_native"]

_BDF_MAGIC = b"\xffBIOSEMI"
_TAL_LABELS = ("EDF Annotations", "BDF Annotations")
_STIM_LABELS = ("status", "trigger")
_STIM_MASK = 2**17 - 1
#: The per-signal header fields, in file order, with their width in bytes.
_SIGNAL_FIELDS = (
    ("label", 16), ("transducer", 80), ("physical dimension", 8),
    ("physical minimum", 8), ("physical maximum", 8), ("digital minimum", 8),
    ("digital maximum", 8), ("prefiltering", 80),
    ("number of samples per record", 8), ("reserved", 32),
)  # fmt: skip
_FIX_TRUNCATED = "the file is truncated or still being written; re-copy or re-export it"
#: Bytes read from disk at a time when filling the output.
_BLOCK_BYTES = 2**20
#: Physical dimension -> factor to volts. Other dimensions keep their values.
_TO_VOLTS = {
    "V": 1.0, "mV": 1e-3, "uV": 1e-6, "\u00b5V": 1e-6, "\u03bcV": 1e-6,
    "\x83\xcaV": 1e-6, "\xc2\xb5V": 1e-6, "nV": 1e-9,
}  # fmt: skip
#: Label prefix -> channel type, for ``infer_types=True`` (MNE's vocabulary).
_TYPE_PREFIXES = {
    "EEG": "eeg", "SEEG": "seeg", "ECOG": "ecog", "DBS": "dbs", "EOG": "eog",
    "ECG": "ecg", "EMG": "emg", "BIO": "bio", "RESP": "resp",
    "TEMP": "temperature", "MISC": "misc", "SAO2": "bio", "STIM": "stim",
}  # fmt: skip
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
         "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    )
}  # fmt: skip


@dataclass(eq=False)
class EdfHeader:
    """What the header of an EDF, EDF+ or BDF file says.

    Per-signal fields hold one entry per signal, annotation signals included.

    Examples
    --------
    >>> hdr = read_edf_header("recording.edf")  # doctest: +SKIP
    >>> hdr.n_records, hdr.record_duration, hdr.labels[:2]  # doctest: +SKIP
    (124, 1.0, ('Fc5.', 'Fc3.'))
    """

    path: str
    is_bdf: bool
    is_edf_plus: bool
    is_discontinuous: bool
    patient_id: str
    recording_id: str
    start_datetime: _dt.datetime | None
    header_bytes: int
    data_offset: int
    n_records: int
    record_duration: float
    labels: tuple[str, ...]
    transducer: tuple[str, ...]
    physical_dimension: tuple[str, ...]
    physical_min: np.ndarray
    physical_max: np.ndarray
    digital_min: np.ndarray
    digital_max: np.ndarray
    prefiltering: tuple[str, ...]
    samples_per_record: np.ndarray

    @property
    def n_signals(self) -> int:
        """Number of signals, annotation signals included."""
        return len(self.labels)

    @property
    def bytes_per_sample(self) -> int:
        """3 for BDF (24-bit), 2 for EDF (16-bit)."""
        return 3 if self.is_bdf else 2

    @property
    def record_bytes(self) -> int:
        """Size of one data record in bytes."""
        return int(self.samples_per_record.sum()) * self.bytes_per_sample

    @property
    def annotation_signals(self) -> list[int]:
        """Indices of the EDF+/BDF+ annotation (TAL) signals."""
        return [i for i, label in enumerate(self.labels) if label in _TAL_LABELS]

    @property
    def data_signals(self) -> list[int]:
        """Indices of the signals holding samples."""
        tal = set(self.annotation_signals)
        return [i for i in range(self.n_signals) if i not in tal]

    def signal_byte_offset(self, signal: int) -> int:
        """Byte offset of ``signal``'s samples inside a data record."""
        return int(self.samples_per_record[:signal].sum()) * self.bytes_per_sample


def _text(raw: bytes) -> str:
    return raw.decode("latin-1").split("\x00")[0].strip()


def _bad_field(path: Path, field: str, value: str, why: str) -> FileFormatError:
    return FileFormatError(
        f"{str(path)!r} is not a valid EDF/BDF file: the header field {field} is "
        f"{value!r}, {why}. The file is corrupt or not EDF/BDF; re-export it from "
        "the acquisition software."
    )


def _number(path: Path, raw: bytes, field: str, kind: type) -> float | int:
    text = _text(raw).replace(",", ".")
    try:
        value = kind(text)
    except ValueError:
        raise _bad_field(
            path, field, text, f"not a{'n integer' if kind is int else ' number'}"
        ) from None
    if not np.isfinite(value):
        raise _bad_field(path, field, text, "not a finite number")
    return value


def _numbers(
    path: Path, fields: list[bytes], name: str, labels: Sequence[str], kind: type
) -> np.ndarray:
    values = [
        _number(path, raw, f"{name!r} of signal {label!r}", kind)
        for raw, label in zip(fields, labels)
    ]
    return np.array(values, dtype=np.int64 if kind is int else np.float64)


def _parse_start(main: bytes) -> _dt.datetime | None:
    """Start of the recording, preferring the 4-digit year of an EDF+ header."""
    recording = main[88:168].decode("latin-1").rstrip().split(" ")
    date = None
    if len(recording) == 5:
        parts = recording[1].split("-")
        if len(parts) == 3 and parts[1].upper() in _MONTHS:
            try:
                date = _dt.date(int(parts[2]), _MONTHS[parts[1].upper()], int(parts[0]))
            except ValueError:
                date = None
    if date is None:
        try:
            day, month, year = (
                int(x) for x in main[168:176].decode("latin-1").split(".")
            )
            date = _dt.date(year + (2000 if year < 85 else 1900), month, day)
        except ValueError:
            return None
    try:
        hour, minute, second = (
            int(x) for x in main[176:184].decode("latin-1").split(".")
        )
        clock = _dt.time(hour, minute, second)
    except ValueError:
        clock = _dt.time(0, 0, 0)
    return _dt.datetime.combine(date, clock, tzinfo=_dt.timezone.utc)


def _truncated(path: Path, what: str, expected: int, actual: int) -> FileFormatError:
    return FileFormatError(
        f"{str(path)!r} is truncated: {what} needs {expected} bytes but the file holds "
        f"{actual} bytes ({expected - actual} missing); {_FIX_TRUNCATED}."
    )


def read_edf_header(path: str | os.PathLike) -> EdfHeader:
    """Read and check the header of an EDF, EDF+ or BDF file.

    Only the header is read. The file size is checked against it, so a
    truncated file is reported here instead of being misread later.

    Parameters
    ----------
    path : str or path-like
        The ``.edf``/``.bdf`` file.

    Returns
    -------
    EdfHeader
        With ``n_records`` taken from the file size when the header says -1.

    Raises
    ------
    FileFormatError
        When the file is truncated (with the expected and actual byte counts),
        is not EDF/BDF, or has a header field that cannot be used.

    Examples
    --------
    >>> hdr = read_edf_header("sleep.edf")  # doctest: +SKIP
    >>> hdr.n_signals, hdr.is_edf_plus  # doctest: +SKIP
    (7, True)
    """
    path = check_path(path, "path", kind="file")
    size = path.stat().st_size
    with open(path, "rb", buffering=0) as fh:
        main = fh.read(256)
        if len(main) < 256:
            raise _truncated(path, "the fixed EDF header", 256, len(main))
        if main[:8] != _BDF_MAGIC and main[:1] != b"0":
            raise _bad_field(
                path,
                "version (bytes 0-8)",
                main[:8].decode("latin-1"),
                "which is neither EDF's '0' nor BDF's '\\xffBIOSEMI'",
            )
        n_signals = int(_number(path, main[252:256], "'number of signals'", int))
        if n_signals < 1:
            raise _bad_field(path, "'number of signals'", str(n_signals), "not >= 1")
        header_bytes = int(_number(path, main[184:192], "'header bytes'", int))
        if header_bytes != 256 * (n_signals + 1):
            raise _bad_field(
                path,
                "'header bytes'",
                str(header_bytes),
                f"but {n_signals} signals need a header of {256 * (n_signals + 1)}",
            )
        if size < header_bytes:
            raise _truncated(
                path, f"the header of {n_signals} signals", header_bytes, size
            )
        signals = fh.read(256 * n_signals)
    reserved = _text(main[192:236])
    n_records = int(_number(path, main[236:244], "'number of data records'", int))
    record_duration = float(
        _number(path, main[244:252], "'duration of a data record'", float)
    )
    if record_duration < 0:
        raise _bad_field(
            path, "'duration of a data record'", str(record_duration), "negative"
        )

    fields, at = {}, 0
    for name, width in _SIGNAL_FIELDS:
        fields[name] = [
            signals[at + i * width : at + (i + 1) * width] for i in range(n_signals)
        ]
        at += width * n_signals
    labels = tuple(raw.strip().decode("latin-1") for raw in fields["label"])
    header = EdfHeader(
        path=str(path),
        is_bdf=main[:8] == _BDF_MAGIC,
        is_edf_plus=reserved[:4] in ("EDF+", "BDF+"),
        is_discontinuous=reserved[:5] in ("EDF+D", "BDF+D"),
        patient_id=_text(main[8:88]),
        recording_id=_text(main[88:168]),
        start_datetime=_parse_start(main),
        header_bytes=header_bytes,
        data_offset=header_bytes,
        n_records=n_records,
        record_duration=record_duration,
        labels=labels,
        transducer=tuple(_text(raw) for raw in fields["transducer"]),
        physical_dimension=tuple(
            raw.strip().decode("latin-1") for raw in fields["physical dimension"]
        ),
        **{
            key: _numbers(path, fields[name], name, labels, kind)
            for key, name, kind in (
                ("physical_min", "physical minimum", float),
                ("physical_max", "physical maximum", float),
                ("digital_min", "digital minimum", float),
                ("digital_max", "digital maximum", float),
                ("samples_per_record", "number of samples per record", int),
            )
        },
        prefiltering=tuple(_text(raw) for raw in fields["prefiltering"]),
    )
    for i, label in enumerate(labels):
        if header.samples_per_record[i] < 1:
            raise _bad_field(
                path,
                f"'number of samples per record' of signal {label!r}",
                str(header.samples_per_record[i]),
                "not >= 1",
            )
    for i in header.data_signals:
        if header.digital_max[i] == header.digital_min[i]:
            raise _bad_field(
                path,
                f"'digital maximum' of signal {labels[i]!r}",
                str(header.digital_max[i]),
                "equal to the digital minimum, so the samples cannot be scaled",
            )
    n_complete = (size - header_bytes) // header.record_bytes
    if n_records == -1:
        if n_complete < 1:
            raise _truncated(
                path,
                "one data record after the header",
                header_bytes + header.record_bytes,
                size,
            )
        header.n_records = int(n_complete)
    elif n_records < 1:
        raise _bad_field(
            path,
            "'number of data records'",
            str(n_records),
            "not >= 1 (or -1 for unknown)",
        )
    else:
        expected = header_bytes + n_records * header.record_bytes
        if size < expected:
            raise _truncated(
                path,
                f"the header and {n_records} data records of "
                f"{header.record_bytes} bytes",
                expected,
                size,
            )
    return header


def check_edf_integrity(path: str | os.PathLike) -> None:
    """Raise :class:`FileFormatError` if an EDF/BDF file is truncated or malformed.

    Parameters
    ----------
    path : str or path-like
        The ``.edf``/``.bdf`` file.

    Examples
    --------
    >>> check_edf_integrity("recording.edf")  # doctest: +SKIP
    """
    read_edf_header(path)


def _channels(
    header: EdfHeader, signals: list[int], infer_types: bool
) -> tuple[list[str], list[str], np.ndarray]:
    """Names, types and stim flags of the data signals, as MNE derives them."""
    names, types = [], []
    for i in signals:
        label, kind = header.labels[i], "eeg"
        prefix, _, rest = label.partition(" ")
        if infer_types and rest and prefix.upper() in _TYPE_PREFIXES:
            kind, label = _TYPE_PREFIXES[prefix.upper()], rest
        names.append(label)
        types.append(kind)
    lower = [n.lower() for n in names]
    is_stim = np.zeros(len(names), bool)
    for stim in _STIM_LABELS:
        if stim in lower:
            is_stim[lower.index(stim)] = True
            types[lower.index(stim)] = "stim"
    return names, types, is_stim


def _scaling(
    header: EdfHeader, signals: list[int], is_stim: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-signal ``cal``, ``offset``, ``gain``: volts = (d * cal + offset) * gain."""
    pmin, pmax = header.physical_min[signals], header.physical_max[signals]
    dmin, dmax = header.digital_min[signals], header.digital_max[signals]
    prange = pmax - pmin
    prange[prange == 0] = 1.0
    cal = prange / (dmax - dmin)
    offset = pmin - dmin * cal
    gain = np.array([_TO_VOLTS.get(header.physical_dimension[i], 1.0) for i in signals])
    gain[is_stim] = 1.0
    if header.is_bdf:
        cal[is_stim] = 1.0
        offset[is_stim] = 0.0
    return cal, offset, gain


def _read_at(fh, position: int, view: memoryview, path: str) -> None:
    """Fill ``view`` with the file's bytes from ``position`` on."""
    fh.seek(position)
    done = 0
    while done < len(view):
        n = fh.readinto(view[done:])
        if not n:
            end = position + len(view)
            what = f"reading bytes {position}-{end}"
            raise _truncated(Path(path), what, end, position + done)
        done += n


def _read_records(
    fh, header: EdfHeader, first: int, count: int, buf: np.ndarray
) -> None:
    """Read data records ``first:first + count`` into ``buf``."""
    position = header.data_offset + first * header.record_bytes
    _read_at(fh, position, memoryview(buf)[: count * header.record_bytes], header.path)


class _EdfSegmentReader:
    """Reads samples ``start:stop`` of some data signals, record block by block."""

    def __init__(
        self, header: EdfHeader, signals: list[int], is_stim: np.ndarray
    ) -> None:
        self.header = header
        self.signals = signals
        self.is_stim = is_stim
        self.cal, self.offset, self.gain = _scaling(header, signals, is_stim)
        self.n_per_record = int(header.samples_per_record[signals[0]])
        self.byte_offsets = [header.signal_byte_offset(i) for i in signals]
        step = self.n_per_record * header.bytes_per_sample
        self.side_by_side = all(
            at == self.byte_offsets[0] + i * step
            for i, at in enumerate(self.byte_offsets)
        )

    def __call__(self, picks: np.ndarray, start: int, stop: int) -> np.ndarray:
        out = np.empty((len(picks), stop - start))
        self.fill(out, np.asarray(picks, int), start, stop)
        return out

    def _digital(self, buf: np.ndarray, n: int, picks: np.ndarray) -> np.ndarray:
        """Digital values of channels ``picks`` in a block of ``n`` records.

        Returns shape ``(len(picks), n, n_per_record)``. For EDF files whose data
        signals lie side by side in the record (the annotation signal first or
        last) and all of them picked, it is a strided view of ``buf``.
        """
        hdr, per = self.header, self.n_per_record
        width = hdr.bytes_per_sample
        dtype = "<u4" if hdr.is_bdf else "<i2"

        def view(offset: int, count: int) -> np.ndarray:
            strides = (hdr.record_bytes, per * width, width)
            return np.ndarray(
                (n, count, per), dtype, buf, offset=offset, strides=strides
            )

        if self.side_by_side:
            raw = view(self.byte_offsets[0], len(self.signals))
            if not self._all_picked(picks):
                raw = raw[:, picks]
        else:
            raw = np.concatenate([view(self.byte_offsets[c], 1) for c in picks], 1)
        if hdr.is_bdf:
            # Each 3-byte sample is the low 3 bytes of a little-endian 4-byte
            # word (the 4th byte belongs to the next sample, or to buf's spare
            # last byte): shift it out, then back arithmetically to extend the
            # sign.
            raw = np.left_shift(raw, 8).view(np.int32)
            raw >>= 8
        return raw.transpose(1, 0, 2)

    def _all_picked(self, picks: np.ndarray) -> bool:
        return len(picks) == len(self.signals) and bool(
            (picks == np.arange(len(self.signals))).all()
        )

    def _scale(self, digital: np.ndarray, picks: np.ndarray, out: np.ndarray) -> None:
        """``out = (digital * cal + offset) * gain`` per channel; stim rows masked."""
        np.multiply(digital, self.cal[picks, None, None], out=out)
        out += self.offset[picks, None, None]
        out *= self.gain[picks, None, None]
        for row in np.flatnonzero(self.is_stim[picks]):
            out[row] = np.bitwise_and(out[row].astype(np.int64), _STIM_MASK)

    def fill(
        self,
        out: np.ndarray,
        picks: np.ndarray,
        start: int,
        stop: int,
        tal_chunks: list[bytes] | None = None,
    ) -> None:
        """Write samples ``start:stop`` of channels ``picks`` into ``out``.

        Only the records covering the segment are read. With ``tal_chunks``,
        the annotation signals' bytes of those records are appended to it.
        """
        hdr, per = self.header, self.n_per_record
        first, last = start // per, -(-stop // per)
        n_max = min(max(1, _BLOCK_BYTES // hdr.record_bytes), last - first)
        buf = np.empty(n_max * hdr.record_bytes + 1, np.uint8)
        tal = [
            (hdr.signal_byte_offset(i), hdr.samples_per_record[i])
            for i in hdr.annotation_signals
        ]
        with open(hdr.path, "rb", buffering=0) as fh:
            for block in range(first, last, n_max):
                n = min(n_max, last - block)
                _read_records(fh, hdr, block, n, buf)
                lo, hi = max(start, block * per), min(stop, (block + n) * per)
                target = out[:, lo - start : hi - start]
                digital = self._digital(buf, n, picks)
                if lo == block * per and hi == (block + n) * per:
                    self._scale(digital, picks, target.reshape(len(picks), n, per))
                else:  # the segment starts or stops inside this block
                    whole = np.empty((len(picks), n, per))
                    self._scale(digital, picks, whole)
                    skip = lo - block * per
                    target[:] = whole.reshape(len(picks), -1)[:, skip : skip + hi - lo]
                if tal_chunks is not None and tal:
                    records = buf[: n * hdr.record_bytes].reshape(n, hdr.record_bytes)
                    width = hdr.bytes_per_sample
                    parts = [records[:, at : at + k * width] for at, k in tal]
                    tal_chunks.append(np.concatenate(parts, axis=1).tobytes())


def _read_tal_bytes(header: EdfHeader) -> bytes:
    """Read only the annotation signals of every record (not the samples)."""
    width = header.bytes_per_sample
    spans = [
        (header.signal_byte_offset(i), int(header.samples_per_record[i]) * width)
        for i in header.annotation_signals
    ]
    out = bytearray(header.n_records * sum(k for _, k in spans))
    view, pos = memoryview(out), 0
    with open(header.path, "rb", buffering=0) as fh:
        for record in range(header.n_records):
            base = header.data_offset + record * header.record_bytes
            for at, k in spans:
                _read_at(fh, base + at, view[pos : pos + k], header.path)
                pos += k
    return bytes(out)


def _parse_tals(raw: bytes) -> list[tuple[float, float, list[str]]]:
    """Split EDF+ annotation bytes into (onset, duration, texts) per TAL.

    A TAL is ``+onset[\\x15duration]\\x14text\\x14...\\x14\\x00``; malformed ones
    are skipped, as MNE does.
    """
    tals = []
    for tal in re.findall(rb"[^\x00]+", raw):
        fields = tal.split(b"\x14")
        if len(fields) < 3:
            continue
        onset, _, duration = fields[0].partition(b"\x15")
        try:
            if onset[:1] not in (b"+", b"-"):
                raise ValueError
            when = float(onset)
            length = float(duration) if duration else 0.0
        except ValueError:
            continue
        if not (math.isfinite(when) and math.isfinite(length) and length >= 0):
            continue
        texts = [f.decode("utf-8", errors="replace") for f in fields[1:-1]]
        tals.append((when, length, texts))
    return tals


def _micros(seconds: float) -> int:
    """Seconds to whole microseconds, rounding as ``datetime.timedelta`` does."""
    return _dt.timedelta(seconds=float(seconds)) // _dt.timedelta(microseconds=1)


def _annotations(
    raw: bytes, ch_names: list[str], n_times: int, sfreq: float
) -> Annotations:
    """Annotations from TAL bytes, with MNE's conventions.

    Onsets are relative to the first sample (the first record's time-keeping
    TAL gives the offset), time-keeping TALs are dropped, ``text@@channel``
    marks are merged per event, and events are sorted, clipped to the data and
    rounded to microseconds like ``mne.io.Raw.set_annotations`` does.
    """
    events: list[list] = []
    by_key: dict[tuple, list] = {}
    shift = 0.0
    known = set(ch_names)
    for k, (when, length, texts) in enumerate(_parse_tals(raw)):
        onset = when + shift
        for text in texts:
            if not text:
                if k == 0:
                    shift = -onset
                continue
            desc, _, channel = text.partition("@@")
            if not (channel and channel in known):
                desc, channel = text, ""
            key = (onset, length, desc)
            if channel and key in by_key:
                by_key[key][3] += (channel,)
                continue
            event = [onset, length, desc, (channel,) if channel else ()]
            by_key.setdefault(key, event)
            events.append(event)
    events.sort(key=lambda e: (e[0], e[1]))
    end = (n_times - 1) / sfreq + 1.0 / sfreq
    end_us = int(end) * 10**6 + int(np.round((end - int(end)) * 1e6))
    kept = []
    for onset, length, desc, chans in events:
        on = _micros(onset)
        off = on + _micros(length)
        if on > end_us or off < 0:
            continue
        if on < 0 or off > end_us:
            on, off = max(on, 0), min(off, end_us)
            length = (off - on) / 10**6
        kept.append((on / 10**6, length, desc, chans))
    if not kept:
        return Annotations()
    onsets, lengths, descs, chans = zip(*kept)
    return Annotations(onsets, lengths, list(descs), list(chans))


def _cutoff(text: str) -> float:
    if text == "DC":
        return 0.0
    return float(text) if text.replace(".", "", 1).isdigit() else float("nan")


def _filter_settings(prefiltering: list[str], sfreq: float) -> dict[str, float]:
    """``highpass``/``lowpass`` in Hz from the prefiltering fields, as MNE sets them."""
    out = {"highpass": 0.0, "lowpass": sfreq / 2.0}
    for key, tag, pick in (("highpass", "HP", np.nanmax), ("lowpass", "LP", np.nanmin)):
        values = []
        for text in prefiltering:
            found = re.findall(rf"{tag}:\s*([a-zA-Z0-9,.]+)", text)
            values.append(
                found[-1].replace("Hz", "").replace(",", ".") if found else ""
            )
        if not values:
            continue
        if len(set(values)) > 1:
            with np.errstate(invalid="ignore"):
                cutoffs = np.array([_cutoff(v) for v in values])
                value = pick(cutoffs) if np.isfinite(cutoffs).any() else np.nan
        else:
            value = _cutoff(values[0])
        if not np.isnan(value) and value != 0:
            out[key] = float(value)
    if np.isnan(out["lowpass"]) or out["lowpass"] <= 0:
        out["lowpass"] = sfreq / 2.0
    if out["highpass"] > out["lowpass"]:
        out = {"highpass": 0.0, "lowpass": sfreq / 2.0}
    return out


def read_edf_native(
    path: str | os.PathLike, *, preload: bool = True, infer_types: bool = False
) -> Recording | None:
    """Read an EDF, EDF+ (continuous) or BDF file into a :class:`Recording`.

    Channel names, types, units (volts), scaling and annotations are those
    ``mne.io.read_raw_edf``/``read_raw_bdf`` give by default: channels named
    ``Status`` or ``Trigger`` are ``stim``, the EDF+ annotation signal becomes
    :class:`~neurokit_ai.core.Annotations` with onsets from the first sample.
    Physical dimensions ``V``, ``mV``, ``uV``/``µV`` and ``nV`` are converted to
    volts; other dimensions keep their values.

    Parameters
    ----------
    path : str or path-like
        The ``.edf``/``.bdf`` file.
    preload : bool
        ``True`` fills one float64 array from the file, a few records at a
        time; ``False`` reads only the header (and the annotation signal) and
        returns a lazy recording that reads the records a segment covers.
    infer_types : bool
        Take the channel type from the label's first word (``"EEG Fp1"`` →
        ``eeg`` channel ``"Fp1"``; ``ECG``, ``EMG``, ``EOG``, ``SEEG``, ``ECOG``,
        ``DBS``, ``BIO``, ``RESP``, ``TEMP``, ``MISC``, ``SAO2``, ``STIM``),
        like MNE's ``infer_types=True``.

    Returns
    -------
    Recording or None
        ``None`` when the file needs MNE's general reader: EDF+D
        (discontinuous), data signals with different sampling rates, duplicate
        channel names or no data signal.

    Raises
    ------
    FileFormatError
        When the file is truncated or its header is malformed.

    Examples
    --------
    >>> rec = read_edf_native("sleep.edf", preload=False)  # doctest: +SKIP
    >>> rec.get_data([2, 5], 100, 300).shape  # doctest: +SKIP
    (2, 200)
    """
    for name, value in (("preload", preload), ("infer_types", infer_types)):
        if not isinstance(value, (bool, np.bool_)):
            raise DTypeError(f"{name} must be True or False, got {value!r}.")
    header = read_edf_header(path)
    signals = header.data_signals
    if header.is_discontinuous or header.record_duration == 0 or not signals:
        return None
    if len(set(header.samples_per_record[signals].tolist())) > 1:
        return None
    names, types, is_stim = _channels(header, signals, bool(infer_types))
    if len(set(names)) != len(names):
        return None
    reader = _EdfSegmentReader(header, signals, is_stim)
    sfreq = reader.n_per_record * 1.0 / header.record_duration
    n_times = header.n_records * reader.n_per_record
    tal_chunks: list[bytes] = []
    data = None
    if preload:
        data = np.empty((len(signals), n_times))
        reader.fill(data, np.arange(len(signals)), 0, n_times, tal_chunks)
    elif header.annotation_signals:
        tal_chunks.append(_read_tal_bytes(header))
    filt = [header.prefiltering[s] for s, stim in zip(signals, is_stim) if not stim]
    return Recording(
        data,
        sfreq=sfreq,
        ch_names=names,
        ch_types=types,
        units=["NA" if stim else "V" for stim in is_stim],
        annotations=_annotations(b"".join(tal_chunks), names, n_times, sfreq),
        meas_date=header.start_datetime,
        source=str(header.path),
        metadata=_filter_settings(filt, sfreq),
        reader=None if preload else reader,
        n_times=None if preload else n_times,
        check_finite=False,
    )
