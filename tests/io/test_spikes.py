"""Binned counts from MATLAB files, and spike times from text files."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import FileFormatError, SpikeTrains, ValidationError
from neurokit_ai.io import read_binned_mat, read_recording, read_spike_times
from neurokit_ai.io._spikes import regular_step

M1 = "spikes/spykesml/m1_stevenson_2011.mat"


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------------ MATLAB
@pytest.mark.parametrize("reader", [read_binned_mat, read_recording])
def test_m1_counts_and_covariates(recordings, reader):
    import scipy.io

    rec = reader(recordings / M1, covariates=["handPos", "handVel"])
    ref = scipy.io.loadmat(str(recordings / M1))
    assert rec.channel_type_counts() == {"spikes": 171, "behavior": 6}
    assert rec.n_times == 15536 and rec.sfreq == pytest.approx(20.0, rel=1e-9)
    assert (rec.n_times - 1) / rec.sfreq == pytest.approx(776.75, rel=1e-9)
    assert rec.metadata["t_start"] == ref["time"][0, 0]
    np.testing.assert_array_equal(rec.get_data("spikes"), ref["spikes"])
    np.testing.assert_array_equal(rec.get_data("behavior")[:3], ref["handPos"])
    np.testing.assert_array_equal(rec.get_data("behavior")[3:], ref["handVel"])
    assert rec.ch_names[171:174] == ["handPos_0", "handPos_1", "handPos_2"]
    assert set(rec.units[:171]) == {"count"}


def _mat(path, **variables):
    import scipy.io

    scipy.io.savemat(str(path), variables)
    return path


def test_orientation_and_detection(tmp_path):
    rng = np.random.default_rng(0)
    counts = rng.poisson(2.0, size=(40, 7)).astype(np.uint8)  # bins x units
    t = 10.0 + 0.1 * np.arange(40)
    path = _mat(tmp_path / "c.mat", counts=counts, t=t, pos=rng.normal(size=(40, 2)))
    rec = read_binned_mat(path, covariates=["pos"])
    assert rec.shape == (9, 40) and rec.sfreq == pytest.approx(10.0)
    np.testing.assert_array_equal(rec.get_data("spikes"), counts.T)
    assert rec.ch_names[-2:] == ["pos_0", "pos_1"]
    assert rec.metadata["t_start"] == 10.0
    # No time vector: bin_width is needed; the longer axis is the bins axis.
    path = _mat(tmp_path / "n.mat", counts=counts)
    with pytest.raises(ValidationError, match="bin width is unknown.*bin_width="):
        read_binned_mat(path)
    rec = read_binned_mat(path, bin_width=0.05)
    assert rec.shape == (7, 40) and rec.metadata["t_start"] == 0.0


def test_mat_errors(tmp_path):
    square = np.ones((5, 5), np.uint8)
    path = _mat(tmp_path / "sq.mat", counts=square, time=np.arange(5.0))
    with pytest.raises(ValidationError, match="Cannot tell the bins axis"):
        read_binned_mat(path)
    path = _mat(tmp_path / "f.mat", rates=np.full((4, 30), 0.5), t=np.arange(30.0))
    with pytest.raises(
        ValidationError, match=r"No binned spike counts.*rates \(4, 30\)"
    ):
        read_binned_mat(path)
    path = _mat(tmp_path / "j.mat", n=np.ones((4, 30)), time=np.r_[0:10, 20:40] * 1.0)
    with pytest.raises(ValidationError, match="not regularly sampled"):
        read_binned_mat(path)
    path = _mat(tmp_path / "ok.mat", n=np.ones((4, 30)), time=np.arange(30) * 0.05)
    with pytest.raises(ValidationError, match="Did you mean 'time'"):
        read_binned_mat(path, covariates=["tme"])
    with pytest.raises(ValidationError, match="disagrees"):
        read_binned_mat(path, bin_width=0.1)
    with pytest.raises(ValidationError, match="list of variable names"):
        read_binned_mat(path, covariates="time")
    broken = tmp_path / "broken.mat"
    broken.write_bytes(b"MATLAB 5.0 MAT-file" + b"\x00" * 20)
    with pytest.raises(FileFormatError, match="broken.mat"):
        read_binned_mat(broken)
    assert _names(tmp_path) == ["broken.mat", "f.mat", "j.mat", "ok.mat", "sq.mat"]


def test_v73_mat(tmp_path):
    import h5py

    counts = np.random.default_rng(1).poisson(1.0, size=(6, 50)).astype(float)
    path = tmp_path / "v73.mat"
    with h5py.File(path, "w", userblock_size=512) as fh:
        # MATLAB stores column-major: a (6, 50) MATLAB matrix is (50, 6) in HDF5.
        fh.create_dataset("spk", data=counts.T)
        fh.create_dataset("time", data=(0.02 * np.arange(50))[:, None].T)
    with open(path, "r+b") as fh:
        # The 128-byte MATLAB header: text, subsystem offset, version 0x0200, "IM".
        fh.write(b"MATLAB 7.3 MAT-file".ljust(116, b" ") + bytes(8) + b"\x00\x02IM")
    rec = read_binned_mat(path)
    assert rec.sfreq == pytest.approx(50.0)
    np.testing.assert_array_equal(rec.data, counts)


def test_regular_step_accepts_rounding_only():
    t = np.round(0.05 * np.arange(1000) + 12.591, 3)
    assert regular_step(t, "t") == pytest.approx(0.05, rel=1e-9)
    with pytest.raises(ValidationError):
        regular_step(np.r_[t, t[-1] + 0.15], "t")


# -------------------------------------------------------------------------- text
@pytest.mark.parametrize(
    ("unit", "scale"), [("s", 1.0), ("ms", 1e3), ("us", 1e6), ("µs", 1e6)]
)
def test_text_units_convert_to_seconds(tmp_path, unit, scale):
    seconds = {3: [0.5, 1.25], 10: [0.75], 2: [0.1, 2.0]}
    lines = [f"{u},{t * scale:.6f}" for u, ts in seconds.items() for t in ts]
    path = tmp_path / "spikes.csv"
    path.write_text("cluster,time\n" + "\n".join(lines) + "\n")
    st = read_recording(path, time_unit=unit, t_start=0.0, t_stop=3.0)
    assert isinstance(st, SpikeTrains) and st.unit_names == ["2", "3", "10"]
    for name, train in zip(st.unit_names, st.spike_times):
        np.testing.assert_allclose(train, seconds[int(name)], rtol=1e-9)
    assert st.t_start == 0.0 and st.t_stop == 3.0


def test_text_one_column_and_layouts(tmp_path):
    one = tmp_path / "neuron7.txt"
    one.write_text("# exported\n12\n5\n\n30\n")
    st = read_spike_times(one, time_unit="ms")
    assert st.unit_names == ["neuron7"]
    np.testing.assert_allclose(st.spike_times[0], [0.005, 0.012, 0.030])
    swapped = tmp_path / "swapped.tsv"
    swapped.write_text("time\tunit\n1.5\ta\n0.5\tb\n")
    st = read_spike_times(swapped, time_unit="s")
    assert st.unit_names == ["a", "b"] and st.spike_times[0].tolist() == [1.5]
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("1 0.25\n1   0.5\n2\t0.75\n")
    assert read_spike_times(spaced, time_unit="s").n_spikes().tolist() == [2, 1]
    semi = tmp_path / "semi.txt"
    semi.write_text("1;0.25\n2;0.5\n")
    assert read_spike_times(semi, time_unit="s", delimiter=";").n_units == 2


def test_text_errors(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("0.1\n0.2\n")
    with pytest.raises(ValidationError, match="time_unit is required.*time_unit='s'"):
        read_recording(path)
    with pytest.raises(ValidationError, match="Did you mean 'ms'"):
        read_spike_times(path, time_unit="msec")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n")
    with pytest.raises(FileFormatError, match="empty.txt.*no spike times"):
        read_spike_times(empty, time_unit="s")
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,time\n1,0.5\n1,oops\n")
    with pytest.raises(FileFormatError, match="line 3: 'oops'"):
        read_spike_times(bad, time_unit="s")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("1,0.5\n1,0.6,9\n")
    with pytest.raises(FileFormatError, match="one column .* or two columns"):
        read_spike_times(ragged, time_unit="s")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(FileFormatError, match="not a UTF-8 text file"):
        read_spike_times(binary, time_unit="s")
    with pytest.raises(ValidationError, match="Check the time unit"):
        read_spike_times(path, time_unit="s", t_stop=0.15)
    assert _names(tmp_path) == [
        "bad.csv", "binary.txt", "empty.txt", "ragged.csv", "t.txt",
    ]  # fmt: skip
