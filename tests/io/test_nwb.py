"""NWB: units tables (real file), ophys and ecephys series (written with pynwb)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from neurokit_ai.core import FileFormatError, SpikeTrains, ValidationError
from neurokit_ai.io import read_nwb, read_recording

PHY = "spikes/pynapple_phy/A8604-211122.nwb"


@pytest.mark.parametrize("reader", [read_nwb, read_recording])
def test_units_agree_with_pynwb(recordings, reader):
    import pynwb

    st = reader(recordings / PHY)
    assert isinstance(st, SpikeTrains)
    np.testing.assert_array_equal(st.n_spikes(), [11020, 4690, 5644])
    with pynwb.NWBHDF5IO(str(recordings / PHY), "r") as io:
        nwb = io.read()
        ids = nwb.units.id[:]
        ref = [np.asarray(nwb.units["spike_times"][i]) for i in range(len(ids))]
        epoch_stop = float(nwb.epochs.stop_time[:].max())
    assert st.unit_names == [str(i) for i in ids]
    for ours, theirs in zip(st.spike_times, ref):
        np.testing.assert_array_equal(ours, theirs)
    assert st.t_start == 0.0 and st.t_stop == epoch_stop  # the "wake" epoch
    assert min(t.min() for t in st.spike_times) >= 0.0
    assert max(t.max() for t in st.spike_times) <= 1087.4


def test_native_and_kind_errors(recordings):
    import pynwb

    nwb = read_recording(recordings / PHY, return_native=True)
    assert isinstance(nwb, pynwb.NWBFile) and len(nwb.units) == 3
    nwb.get_read_io().close()
    with pytest.raises(
        ValidationError, match=r"no ophys data, only units: \['units'\]"
    ):
        read_nwb(recordings / PHY, kind="ophys")
    with pytest.raises(ValidationError, match="kind must be one of"):
        read_nwb(recordings / PHY, kind="spikes")
    with pytest.raises(ValidationError, match="matches none"):
        read_nwb(recordings / PHY, name="clusters")
    with pytest.raises(ValidationError, match="return_native"):
        read_nwb(recordings / PHY, kind="units", return_native=True)


def _nwbfile():
    from pynwb import NWBFile

    return NWBFile(
        session_description="planted",
        identifier="test",
        session_start_time=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    )


def _write(nwb, path):
    from pynwb import NWBHDF5IO

    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return path


def _ophys_file(path, fluo, dff):
    from pynwb.ophys import (
        DfOverF,
        Fluorescence,
        ImageSegmentation,
        OpticalChannel,
    )

    nwb = _nwbfile()
    device = nwb.create_device(name="scope")
    channel = OpticalChannel(name="green", description="GCaMP", emission_lambda=525.0)
    plane = nwb.create_imaging_plane(
        name="plane0",
        optical_channel=channel,
        description="L2/3",
        device=device,
        excitation_lambda=920.0,
        imaging_rate=30.0,
        indicator="GCaMP6f",
        location="V1",
    )
    seg = ImageSegmentation()
    masks = seg.create_plane_segmentation(
        name="rois", description="planted", imaging_plane=plane
    )
    for k in range(fluo.shape[1]):
        mask = np.zeros((4, 4))
        mask[k % 4, k // 4] = 1
        masks.add_roi(image_mask=mask)
    ophys = nwb.create_processing_module(name="ophys", description="ophys")
    ophys.add(seg)
    stamps = 2.0 + np.arange(len(dff)) / 15.0
    for container, data, timing in (
        (Fluorescence, fluo, {"rate": 30.0}),
        (DfOverF, dff, {"timestamps": stamps}),
    ):
        region = masks.create_roi_table_region(
            region=list(range(fluo.shape[1])), description="all"
        )
        traces = container()
        ophys.add(traces)
        traces.create_roi_response_series(
            name="RoiResponseSeries", data=data, rois=region, unit="a.u.", **timing
        )
    return _write(nwb, path)


def test_ophys_reads_back_exactly(tmp_path):
    rng = np.random.default_rng(0)
    fluo = rng.normal(100, 5, size=(90, 5)).astype(np.float32)
    dff = rng.normal(0, 1, size=(60, 5))
    path = _ophys_file(tmp_path / "ophys.nwb", fluo, dff)
    with pytest.raises(ValidationError) as err:
        read_recording(path)
    assert "DfOverF/RoiResponseSeries" in str(err.value)
    assert "Fluorescence/RoiResponseSeries" in str(err.value)
    rec = read_recording(path, name="Fluorescence/RoiResponseSeries")
    assert rec.shape == (5, 90) and rec.sfreq == 30.0
    assert rec.ch_names == [f"roi{i}" for i in range(5)]
    assert set(rec.ch_types) == {"calcium"}
    np.testing.assert_array_equal(rec.data, fluo.T)
    rec = read_nwb(path, kind="ophys", name="DfOverF/RoiResponseSeries")
    np.testing.assert_array_equal(rec.data, dff.T)
    assert rec.sfreq == pytest.approx(15.0) and rec.metadata["t_start"] == 2.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ophys.nwb"]


def test_ecephys_in_volts(tmp_path):
    from pynwb.ecephys import ElectricalSeries

    nwb = _nwbfile()
    device = nwb.create_device(name="probe")
    group = nwb.create_electrode_group(
        name="shank0", description="s", location="CA1", device=device
    )
    for _ in range(3):
        nwb.add_electrode(group=group, location="CA1")
    region = nwb.create_electrode_table_region(region=[0, 1, 2], description="all")
    raw = np.random.default_rng(1).integers(-500, 500, size=(200, 3)).astype(np.int16)
    nwb.add_acquisition(
        ElectricalSeries(
            name="raw",
            data=raw,
            electrodes=region,
            rate=1000.0,
            conversion=2e-6,
            offset=1e-3,
            channel_conversion=[1.0, 2.0, 0.5],
        )
    )
    path = _write(nwb, tmp_path / "ephys.nwb")
    rec = read_recording(path)
    assert rec.shape == (3, 200) and rec.sfreq == 1000.0 and rec.units == ["V"] * 3
    expected = raw.T * 2e-6 * np.array([[1.0], [2.0], [0.5]]) + 1e-3
    np.testing.assert_allclose(rec.data, expected, rtol=1e-12)


def test_bad_files(tmp_path):
    import h5py

    not_nwb = tmp_path / "plain.nwb"
    with h5py.File(not_nwb, "w") as fh:
        fh.create_dataset("x", data=np.zeros(3))
    with pytest.raises(FileFormatError, match="plain.nwb"):
        read_nwb(not_nwb)
    empty = _write(_nwbfile(), tmp_path / "empty.nwb")
    with pytest.raises(FileFormatError, match="return_native=True to explore"):
        read_nwb(empty)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.nwb", "plain.nwb"]
