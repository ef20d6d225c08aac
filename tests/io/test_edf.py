"""The native EDF/EDF+/BDF reader: agreement with MNE, laziness, bad files."""

from __future__ import annotations

import builtins
import datetime as dt
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, FileFormatError, MissingFileError, Recording
from neurokit_ai.io._edf import check_edf_integrity, read_edf_header, read_edf_native

# (file, options, (n_channels, n_times), sfreq, type counts, n_annotations),
# as written in recordings/PROVENANCE.md.
CASES = [
    ("eeg/edf/test.edf", {}, (139, 3072), 512.0, {"eeg": 138, "stim": 1}, 5),
    (
        "eeg/edf/test_edf_overlapping_annotations.edf",
        {},
        (64, 15872),
        128.0,
        {"eeg": 64},
        38,
    ),
    ("eeg/edf/chtypes_edf.edf", {}, (42, 1000), 200.0, {"eeg": 42}, 8),
    (
        "eeg/edf/chtypes_edf.edf",
        {"infer_types": True},
        (42, 1000),
        200.0,
        {"eeg": 38, "ecg": 2, "bio": 2},
        8,
    ),
    ("eeg/bdf/test.bdf", {}, (73, 2048), 2048.0, {"eeg": 72, "stim": 1}, 0),
    ("ieeg/seeg/sample_seeg.edf", {}, (98, 20000), 1000.0, {"eeg": 98}, 3),
]


def _mne_recording(path: Path, **options) -> Recording:
    import mne

    read = mne.io.read_raw_bdf if path.suffix == ".bdf" else mne.io.read_raw_edf
    raw = read(path, preload=True, verbose="error", **options)
    return Recording.from_mne(raw)


def _field(value: object, width: int) -> bytes:
    return str(value).ljust(width).encode("latin-1")


def _write_edf(
    path: Path,
    signals: list[dict],
    n_records: int,
    *,
    record_duration: float = 1.0,
    bdf: bool = False,
    reserved: str = "",
    start: tuple[str, str] = ("24.12.21", "10.20.30"),
) -> None:
    """Write a small EDF/BDF by hand from the spec (digital samples given)."""
    ns = len(signals)
    version = b"\xffBIOSEMI" if bdf else _field("0", 8)
    head = (
        version
        + _field("X X X X", 80)
        + _field("Startdate X X X X", 80)
        + _field(start[0], 8)
        + _field(start[1], 8)
        + _field(256 * (ns + 1), 8)
        + _field(reserved, 44)
        + _field(n_records, 8)
        + _field(record_duration, 8)
        + _field(ns, 4)
    )
    keys = [
        ("label", 16), ("transducer", 80), ("dimension", 8), ("pmin", 8),
        ("pmax", 8), ("dmin", 8), ("dmax", 8), ("prefilter", 80), ("n", 8),
    ]  # fmt: skip
    for key, width in keys:
        head += b"".join(_field(s.get(key, ""), width) for s in signals)
    head += b" " * 32 * ns
    body = b""
    for r in range(n_records):
        for s in signals:
            if "tal" in s:
                body += s["tal"][r].ljust(2 * s["n"], b"\x00")
                continue
            digital = np.asarray(s["data"][r * s["n"] : (r + 1) * s["n"]], np.int64)
            if bdf:
                body += b"".join(
                    int(d).to_bytes(3, "little", signed=True) for d in digital
                )
            else:
                body += digital.astype("<i2").tobytes()
    path.write_bytes(head + body)


def _signal(label: str, data: np.ndarray, n: int, **fields) -> dict:
    base = dict(label=label, dimension="uV", pmin=-3200, pmax=3200, dmin=-32768)
    return {**base, "dmax": 32767, "n": n, "data": data, **fields}


def _tal(n: int, texts: list[bytes]) -> dict:
    return dict(label="EDF Annotations", dmin=-32768, dmax=32767, pmin=-1, pmax=1,
                n=n, tal=texts)  # fmt: skip


class _ReadLog:
    """Wraps ``open`` to log the (position, size) of every read of one file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
        self.reads: list[tuple[int, int]] = []
        real_open = builtins.open
        log = self.reads

        class CountingFile:
            def __init__(self, fh):
                self._fh = fh

            def read(self, n=-1):
                pos = self._fh.tell()
                data = self._fh.read(n)
                log.append((pos, len(data)))
                return data

            def readinto(self, buf):
                pos = self._fh.tell()
                n = self._fh.readinto(buf)
                log.append((pos, n))
                return n

            def seek(self, *args):
                return self._fh.seek(*args)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._fh.close()

        def counting_open(file, *args, **kwargs):
            fh = real_open(file, *args, **kwargs)
            if Path(str(file)).resolve() == path.resolve():
                return CountingFile(fh)
            return fh

        monkeypatch.setattr(builtins, "open", counting_open)

    def total(self) -> int:
        return sum(n for _, n in self.reads)


# ----------------------------------------------------------------- real files
@pytest.mark.parametrize(("name", "options", "shape", "sfreq", "types", "n_ann"), CASES)
def test_agrees_with_mne_and_provenance(
    recordings, name, options, shape, sfreq, types, n_ann
):
    path = recordings / name
    ours = read_edf_native(path, **options)
    ref = _mne_recording(path, **options)
    # Same samples bit for bit (same formula, same operation order as MNE).
    np.testing.assert_array_equal(ours.data, ref.data)
    assert ours.data.dtype == np.float64
    assert ours.ch_names == ref.ch_names
    assert ours.ch_types == ref.ch_types
    assert ours.units == ref.units
    assert ours.sfreq == ref.sfreq
    assert ours.n_times == ref.n_times
    assert ours.meas_date == ref.meas_date
    assert ours.metadata == ref.metadata
    assert len(ours.annotations) == len(ref.annotations)
    np.testing.assert_array_equal(ours.annotations.onset, ref.annotations.onset)
    np.testing.assert_array_equal(ours.annotations.duration, ref.annotations.duration)
    assert list(ours.annotations.description) == list(ref.annotations.description)
    assert ours.source == str(path)
    # PROVENANCE.md numbers.
    assert ours.shape == shape
    assert ours.sfreq == sfreq
    assert ours.channel_type_counts() == types
    assert len(ours.annotations) == n_ann


def test_lazy_open_reads_only_the_header_and_annotations(recordings, monkeypatch):
    path = recordings / "ieeg/seeg/sample_seeg.edf"
    hdr = read_edf_header(path)
    (tal,) = hdr.annotation_signals
    tal_at, tal_len = hdr.signal_byte_offset(tal), 2 * int(hdr.samples_per_record[tal])
    log = _ReadLog(monkeypatch, path)
    rec = read_edf_native(path, preload=False)
    assert not rec.is_loaded
    assert log.total() == hdr.header_bytes + hdr.n_records * tal_len
    for pos, n in log.reads:
        if pos >= hdr.data_offset:  # a data read must lie inside the TAL signal
            inside = (pos - hdr.data_offset) % hdr.record_bytes
            assert tal_at <= inside and inside + n <= tal_at + tal_len
    assert len(rec.annotations) == 3


def test_lazy_open_of_plain_bdf_reads_only_the_header(recordings, monkeypatch):
    path = recordings / "eeg/bdf/test.bdf"
    log = _ReadLog(monkeypatch, path)
    rec = read_edf_native(path, preload=False)
    assert log.total() == read_edf_header(path).header_bytes == 256 * 74
    assert rec.shape == (73, 2048)


def test_lazy_segment_reads_only_covering_records(recordings, monkeypatch):
    path = recordings / "ieeg/seeg/sample_seeg.edf"
    eager = read_edf_native(path).data
    hdr = read_edf_header(path)
    assert hdr.samples_per_record[0] == 100  # samples 100:300 = records 1 and 2
    rec = read_edf_native(path, preload=False)
    log = _ReadLog(monkeypatch, path)
    segment = rec.get_data([2, 5], 100, 300)
    np.testing.assert_array_equal(segment, eager[[2, 5], 100:300])
    assert log.reads[0][0] == hdr.data_offset + 1 * hdr.record_bytes
    assert log.total() == 2 * hdr.record_bytes
    # Segments that start and stop inside records, across read blocks.
    for start, stop in ((150, 1234), (99, 101), (5, 19_999)):
        np.testing.assert_array_equal(
            rec.get_data([0, 7, 97], start, stop), eager[[0, 7, 97], start:stop]
        )
    np.testing.assert_array_equal(rec.data, eager)


def test_eager_read_allocates_about_the_output_only(recordings):
    path = recordings / "ieeg/seeg/sample_seeg.edf"
    tracemalloc.start()
    try:
        rec = read_edf_native(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rec.data.nbytes == 98 * 20000 * 8
    assert peak <= 1.15 * rec.data.nbytes


def test_truncated_file_is_reported(recordings, tmp_path):
    src = recordings / "eeg/edf/test.edf"
    hdr = read_edf_header(src)
    full = hdr.header_bytes + hdr.n_records * hdr.record_bytes
    cut = tmp_path / "cut.edf"
    size = hdr.header_bytes + 2 * hdr.record_bytes + 100
    cut.write_bytes(src.read_bytes()[:size])
    for call in (read_edf_header, check_edf_integrity, read_edf_native):
        with pytest.raises(FileFormatError, match="truncated") as err:
            call(cut)
        msg = str(err.value)
        assert str(cut) in msg and f"{full} bytes" in msg and f"{size} bytes" in msg
        assert "re-copy or re-export" in msg
    short = tmp_path / "short.edf"
    short.write_bytes(src.read_bytes()[:1000])
    with pytest.raises(FileFormatError, match=f"needs {hdr.header_bytes} bytes"):
        read_edf_native(short)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.edf", "short.edf"]


def test_unknown_record_count_is_taken_from_file_size(recordings, tmp_path):
    src = recordings / "eeg/edf/test.edf"
    raw = bytearray(src.read_bytes())
    raw[236:244] = b"-1      "
    (tmp_path / "open.edf").write_bytes(bytes(raw))
    assert read_edf_header(tmp_path / "open.edf").n_records == 6
    ours = read_edf_native(tmp_path / "open.edf")
    np.testing.assert_array_equal(ours.data, read_edf_native(src).data)


@pytest.mark.parametrize(
    ("offset", "patch", "field"),
    [
        (0, b"PK\x03\x04xxxx", "version"),
        (252, b"ab  ", "number of signals"),
        (252, b"0   ", "number of signals"),
        (184, b"1234    ", "header bytes"),
        (244, b"one     ", "duration of a data record"),
    ],
)
def test_bad_main_header_fields_are_named(recordings, tmp_path, offset, patch, field):
    raw = bytearray((recordings / "eeg/edf/test.edf").read_bytes())
    raw[offset : offset + len(patch)] = patch
    bad = tmp_path / "bad.edf"
    bad.write_bytes(bytes(raw))
    with pytest.raises(FileFormatError, match=field) as err:
        read_edf_native(bad)
    assert str(bad) in str(err.value)
    assert [p.name for p in tmp_path.iterdir()] == ["bad.edf"]


def test_garbage_header_is_rejected(tmp_path):
    bad = tmp_path / "garbage.edf"
    rng = np.random.default_rng(0)
    bad.write_bytes(b"0" + rng.integers(0, 256, 4000, dtype=np.uint8).tobytes())
    with pytest.raises(FileFormatError, match="garbage.edf"):
        read_edf_header(bad)


def test_bad_signal_fields_are_named(tmp_path):
    data = np.arange(20)
    sig = _signal("Cz", data, 10)
    _write_edf(tmp_path / "flat.edf", [{**sig, "dmax": -32768}], 2)
    with pytest.raises(FileFormatError, match="'digital maximum' of signal 'Cz'"):
        read_edf_header(tmp_path / "flat.edf")
    _write_edf(tmp_path / "nan.edf", [{**sig, "pmin": "abc"}], 2)
    with pytest.raises(FileFormatError, match="'physical minimum' of signal 'Cz'"):
        read_edf_header(tmp_path / "nan.edf")


def test_bad_arguments(tmp_path, recordings):
    with pytest.raises(MissingFileError, match="nope.edf"):
        read_edf_native(tmp_path / "nope.edf")
    with pytest.raises(DTypeError, match="preload"):
        read_edf_native(recordings / "eeg/edf/test.edf", preload="yes")


# ---------------------------------------------------- hand-made small files
def test_hand_made_edf_scaling_units_and_annotations(tmp_path):
    d = np.array([-32768, -1, 0, 1, 32767, 100, -100, 5, 6, 7] * 3)
    tals = [
        b"+0.5\x14\x14\x00+1.25\x150.5\x14blink\x14\x00",
        b"+1.5\x14\x14\x00+1.75\x14spike@@Cz\x14\x00+1.75\x14spike@@Pz\x14\x00",
        b"+2.5\x14\x14\x00+9\x14after end\x14\x00+3\x152\x14clipped\x14\x00"
        b"+nan\x14bad\x14\x00",
    ]
    signals = [
        _signal("Cz", d, 10),
        _signal("Pz", d, 10, dimension="mV", pmin=-1, pmax=1, dmin=-2048, dmax=2047),
        _signal("Sat", d, 10, dimension="%", pmin=0, pmax=100),
        _signal("Deep", d, 10, dimension="nV", pmin=-500, pmax=500),
        _signal("TRIGGER", d, 10, dimension="", pmin=-32768, pmax=32767),
        _tal(30, tals),
    ]
    path = tmp_path / "small.edf"
    _write_edf(path, signals, 3, reserved="EDF+C")
    rec = read_edf_native(path)
    # Hand computation of (d - dmin) * (pmax - pmin) / (dmax - dmin) + pmin.
    scale = {"Cz": 1e-6, "Pz": 1e-3, "Sat": 1.0, "Deep": 1e-9}
    for i, s in enumerate(signals[:4]):
        cal = (s["pmax"] - s["pmin"]) / (s["dmax"] - s["dmin"])
        expected = ((d - s["dmin"]) * cal + s["pmin"]) * scale[s["label"]]
        atol = 1e-12 * max(abs(s["pmin"]), abs(s["pmax"])) * scale[s["label"]]
        np.testing.assert_allclose(rec.data[i], expected, rtol=1e-12, atol=atol)
    np.testing.assert_array_equal(rec.data[4], np.bitwise_and(d, 2**17 - 1))
    assert rec.ch_types == ["eeg"] * 4 + ["stim"]
    assert rec.units == ["V"] * 4 + ["NA"]
    assert rec.sfreq == 10.0 and rec.n_times == 30
    assert rec.meas_date == dt.datetime(
        2021, 12, 24, 10, 20, 30, tzinfo=dt.timezone.utc
    )
    ann = rec.annotations
    # The first time-keeping TAL (+0.5) sets time zero; "after end" (8.5 s > 3 s)
    # is dropped, "clipped" (2.5 s + 2 s) ends at the data's end, "+nan" is no
    # onset.
    assert list(ann.description) == ["blink", "spike", "clipped"]
    np.testing.assert_allclose(ann.onset, [0.75, 1.25, 2.5])
    np.testing.assert_allclose(ann.duration, [0.5, 0.0, 0.5])
    assert ann.ch_names == [(), ("Cz", "Pz"), ()]
    # MNE agrees, except that it leaves nV values unscaled where we give volts.
    ref = _mne_recording(path)
    np.testing.assert_array_equal(rec.data[[0, 1, 2, 4]], ref.data[[0, 1, 2, 4]])
    np.testing.assert_allclose(rec.data[3], ref.data[3] * 1e-9, rtol=1e-15)
    assert ref.annotations == ann


def test_hand_made_bdf_sign_extension(tmp_path):
    d = np.array([-(2**23), -1, 0, 1, 2**23 - 1, -12345, 54321, 7])
    sig = _signal("A1", d, 4, pmin=-262144, pmax=262143, dmin=-(2**23), dmax=2**23 - 1)
    status = _signal("Status", d, 4, pmin=-(2**23), pmax=2**23 - 1)
    status.update(dmin=-(2**23), dmax=2**23 - 1, dimension="Boolean")
    path = tmp_path / "small.bdf"
    _write_edf(path, [sig, status], 2, bdf=True, reserved="24BIT")
    rec = read_edf_native(path)
    cal = (262143 + 262144) / (2**24 - 1)
    np.testing.assert_allclose(
        rec.data[0],
        ((d + 2**23) * cal - 262144) * 1e-6,
        rtol=1e-12,
        atol=1e-12 * 262144e-6,
    )
    np.testing.assert_array_equal(rec.data[1], np.bitwise_and(d, 2**17 - 1))
    lazy = read_edf_native(path, preload=False)
    np.testing.assert_array_equal(lazy.get_data([0], 3, 6), rec.data[[0], 3:6])


def test_annotation_signal_between_data_signals(tmp_path):
    rng = np.random.default_rng(3)
    d = rng.integers(-32768, 32768, size=(3, 40))
    tals = [b"+0\x14\x14\x00", b"+1\x14\x14\x00+1.5\x14mid\x14\x00"] * 2
    signals = [_signal("A", d[0], 10), _tal(12, tals)]
    signals += [_signal("B", d[1], 10, pmin=-1), _signal("C", d[2], 10, pmax=9)]
    path = tmp_path / "mixed_order.edf"
    _write_edf(path, signals, 4, reserved="EDF+C")
    rec = read_edf_native(path)
    ref = _mne_recording(path)
    np.testing.assert_array_equal(rec.data, ref.data)
    assert rec.ch_names == ["A", "B", "C"] and ref.annotations == rec.annotations
    lazy = read_edf_native(path, preload=False)
    np.testing.assert_array_equal(lazy.get_data([2, 0], 7, 33), rec.data[[2, 0], 7:33])


def test_files_needing_mne_return_none(tmp_path):
    d = np.arange(40)
    mixed = tmp_path / "mixed.edf"
    _write_edf(mixed, [_signal("A", d, 10), _signal("B", d, 20)], 2)
    assert read_edf_native(mixed) is None
    discontinuous = tmp_path / "d.edf"
    tals = [b"+0\x14\x14\x00", b"+5\x14\x14\x00"]
    _write_edf(discontinuous, [_signal("A", d, 10), _tal(8, tals)], 2, reserved="EDF+D")
    assert read_edf_header(discontinuous).is_discontinuous
    assert read_edf_native(discontinuous) is None
    dup = tmp_path / "dup.edf"
    _write_edf(dup, [_signal("A", d, 10), _signal("A", d, 10)], 2)
    assert read_edf_native(dup) is None


def test_header_fields(recordings):
    hdr = read_edf_header(recordings / "eeg/edf/test.edf")
    assert hdr.is_edf_plus and not hdr.is_bdf and not hdr.is_discontinuous
    assert (hdr.n_records, hdr.record_duration, hdr.n_signals) == (6, 1.0, 140)
    assert hdr.header_bytes == hdr.data_offset == 256 * 141
    assert hdr.labels[-1] == "EDF Annotations" and hdr.annotation_signals == [139]
    assert Counter(hdr.physical_dimension) == {"uV": 139, "": 1}
    assert hdr.start_datetime == dt.datetime(
        2014, 4, 29, 22, 19, 44, tzinfo=dt.timezone.utc
    )
    bdf = read_edf_header(recordings / "eeg/bdf/test.bdf")
    assert bdf.is_bdf and bdf.bytes_per_sample == 3 and not bdf.is_edf_plus


# ------------------------------------------------------ MNE export round-trip
def test_mne_export_round_trip_within_quantisation(tmp_path):
    import mne

    rng = np.random.default_rng(42)
    sfreq, n = 256.0, 2560
    t = np.arange(n) / sfreq
    data = np.vstack(
        [
            40e-6 * np.sin(2 * np.pi * 10 * t),
            15e-6 * rng.standard_normal(n),
            np.cumsum(rng.standard_normal(n)) * 1e-6,
        ]
    )
    info = mne.create_info(["Fz", "Cz", "Pz"], sfreq, "eeg")
    raw = mne.io.RawArray(data, info, verbose="error")
    raw.set_annotations(mne.Annotations([1.0, 4.5], [0.0, 2.0], ["go", "stop"]))
    path = tmp_path / "planted.edf"
    mne.export.export_raw(path, raw, fmt="edf", verbose="error")
    rec = read_edf_native(path)
    hdr = read_edf_header(path)
    assert rec.ch_names == ["Fz", "Cz", "Pz"] and rec.sfreq == sfreq
    assert rec.n_times == n
    step = (hdr.physical_max - hdr.physical_min) / (hdr.digital_max - hdr.digital_min)
    for i in range(3):
        err = np.abs(rec.data[i] - data[i]).max()
        assert err <= step[i] * 1e-6  # one quantisation step (µV -> V)
        assert err > 0  # really quantised, not the planted array itself
    assert list(rec.annotations.description) == ["go", "stop"]
    np.testing.assert_allclose(rec.annotations.onset, [1.0, 4.5], atol=1e-6)
    np.testing.assert_allclose(rec.annotations.duration, [0.0, 2.0], atol=1e-6)


# --------------------------------------------------------------- infer_types
@pytest.mark.parametrize("bdf", [False, True])
def test_infer_types_types_channels_from_label_prefixes_as_mne(tmp_path, bdf):
    import mne

    from neurokit_ai.io import read_recording

    d = np.arange(20) - 10
    labels = ["EEG Fz", "ECG EKG", "EOG LOC", "TEMP Body", "SAO2 SpO2", "Resp", "Cz"]
    labels += ["emg chin", "MISC  X", "FOO Bar"]
    path = tmp_path / ("typed.bdf" if bdf else "typed.edf")
    dmin, dmax = (-(2**23), 2**23 - 1) if bdf else (-32768, 32767)
    signals = [_signal(lab, d, 10, dmin=dmin, dmax=dmax) for lab in labels]
    _write_edf(path, signals, 2, bdf=bdf)
    plain = read_recording(path)  # default: MNE's infer_types=False
    assert plain.ch_names == labels and plain.ch_types == ["eeg"] * len(labels)
    names = ["Fz", "EKG", "LOC", "Body", "SpO2", "Resp", "Cz", "chin", " X", "FOO Bar"]
    types = ["eeg", "ecg", "eog", "temperature", "bio", "eeg", "eeg", "emg", "misc"]
    types += ["eeg"]
    read = mne.io.read_raw_bdf if bdf else mne.io.read_raw_edf
    ref = read(path, infer_types=True, verbose="error")
    assert ref.ch_names == names and ref.get_channel_types() == types
    native = read_recording(path, infer_types=True)
    through_mne = read_recording(path, infer_types=True, encoding="latin1")
    for rec in (native, through_mne):
        assert rec.ch_names == names and rec.ch_types == types
        np.testing.assert_array_equal(rec.data, ref.get_data())
    raw = read_recording(path, infer_types=True, return_native=True)
    assert raw.get_channel_types() == types
