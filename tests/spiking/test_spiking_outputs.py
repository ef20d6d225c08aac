"""Spiking plots, CLI command and demo stage draw/write the planted data."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from neurokit_ai.cli._spiking import add_spiking_parser
from neurokit_ai.core import DTypeError, SpikeTrains, ValidationError
from neurokit_ai.spiking import random_network, simulate
from neurokit_ai.viz._spiking import (
    plot_population_rate,
    plot_readout_vs_target,
    plot_spike_raster,
)


@pytest.fixture(scope="module")
def sim():
    net = random_network(40, 0.1, random_state=0)
    res = simulate(net, 0.3, I_ext=8.0)
    return net, res


def test_raster_ticks_are_the_spike_times(sim):
    _, res = sim
    fig = plot_spike_raster(res, max_neurons=15)
    collections = fig.axes[0].collections
    assert len(collections) == 15
    for unit, coll in enumerate(collections):
        drawn = np.sort(np.asarray(coll.get_positions()))
        np.testing.assert_allclose(drawn, res.spikes.spike_times[unit])
    assert "first 15 neurons" in fig.axes[0].get_title()


def test_raster_tmax_and_spiketrains_input():
    st = SpikeTrains([[0.1, 0.5, 0.9], [0.2]], t_start=0.0, t_stop=1.0)
    fig = plot_spike_raster(st, tmax=0.6)
    assert np.allclose(fig.axes[0].collections[0].get_positions(), [0.1, 0.5])
    assert fig.axes[0].get_xlim() == (0.0, 0.6)


def test_population_rate_integrates_to_spike_counts(sim):
    net, res = sim
    bw = 0.01
    fig = plot_population_rate(res, neuron_types=net.neuron_types, bin_width=bw)
    patches = fig.axes[0].patches
    types = net.neuron_types.astype(str)
    counts = res.spikes.n_spikes()
    assert len(patches) == len(set(types))
    for patch in patches:
        name, n = patch.get_label().split(" (n=")
        members = types == name
        assert int(n[:-1]) == members.sum()
        rates = np.asarray(patch.get_data().values)
        assert rates.size == 30
        assert np.isclose(rates.sum() * bw * members.sum(), counts[members].sum())


def test_population_rate_whole_population_bin():
    st = SpikeTrains([[0.05, 0.15], [0.16]], t_start=0.0, t_stop=0.2)
    fig = plot_population_rate(st, bin_width=0.1, by_type=False)
    rates = fig.axes[0].patches[0].get_data().values
    np.testing.assert_allclose(rates, [1 / (2 * 0.1), 2 / (2 * 0.1)])


def test_readout_vs_target_draws_both_traces():
    t = np.arange(50) * 0.01
    target = np.c_[np.sin(t), np.cos(t)]
    readout = target + 0.1
    fig = plot_readout_vs_target(t, readout, target, names=["a", "b"])
    assert len(fig.axes) == 2
    for k, ax in enumerate(fig.axes):
        tgt, out = ax.lines
        np.testing.assert_allclose(tgt.get_ydata(), target[:, k])
        np.testing.assert_allclose(out.get_ydata(), readout[:, k])
        np.testing.assert_allclose(out.get_xdata(), t)
    assert fig.axes[0].get_title() == "a (r = 1.000)"


def test_bad_plot_input_raises(sim):
    net, res = sim
    with pytest.raises(DTypeError, match="SimulationResult"):
        plot_spike_raster(np.zeros(3))
    with pytest.raises(ValidationError, match="max_neurons"):
        plot_spike_raster(res, max_neurons=0)
    with pytest.raises(ValidationError, match="neuron_types"):
        plot_population_rate(res)
    with pytest.raises(ValidationError, match="neuron_types"):
        plot_population_rate(res, neuron_types=net.neuron_types[:5])
    with pytest.raises(ValidationError, match="bin_width"):
        plot_population_rate(res, by_type=False, bin_width=-1.0)
    with pytest.raises(ValidationError, match="bin_width"):
        plot_population_rate(res, by_type=False, bin_width=5.0)
    with pytest.raises(ValidationError, match="n_samples"):
        plot_readout_vs_target(np.arange(5), np.zeros(5), np.zeros(4))
    with pytest.raises(ValidationError, match="names"):
        plot_readout_vs_target(np.arange(5), np.zeros(5), np.zeros(5), names=["a", "b"])


def _cli(argv):
    parser = argparse.ArgumentParser()
    add_spiking_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_cli_writes_spikes_and_raster(tmp_path, capsys):
    argv = ["spiking", "simulate", "--neurons", "30", "--duration", "0.2"]
    assert _cli([*argv, "--seed", "3", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert str(tmp_path / "spikes.csv") in printed
    assert (tmp_path / "raster.png").read_bytes()[:4] == b"\x89PNG"
    table = np.loadtxt(tmp_path / "spikes.csv", delimiter=",", skiprows=1)
    assert (tmp_path / "spikes.csv").read_text().startswith("neuron,time\n")
    neurons, times = table[:, 0].astype(int), table[:, 1]
    assert times.size > 0 and neurons.min() >= 0 and neurons.max() < 30
    assert times.min() >= 0 and times.max() < 0.2
    # the same seed gives the same spikes through the library
    rng = np.random.default_rng(4)
    current = 6.0 + 3.0 * rng.standard_normal((400, 30))
    net = random_network(
        30, 0.1, w_exc=0.5, w_inh=-1.0, heterogeneity=0.1, random_state=3
    )
    res = simulate(net, 0.2, I_ext=current)
    np.testing.assert_array_equal(neurons, res.spike_neurons)
    np.testing.assert_allclose(times, res.spike_steps * 0.5e-3, atol=1e-6)


@pytest.mark.parametrize(
    "extra, match",
    [
        (["--neurons", "1"], "--neurons"),
        (["--duration", "0"], "--duration"),
        (["--p-connect", "1.5"], "--p-connect"),
        (["--noise", "-1"], "--noise"),
        (["--current", "nan"], "--current"),
    ],
)
def test_cli_bad_arguments_write_nothing(tmp_path, extra, match):
    argv = ["spiking", "simulate", "--out", str(tmp_path), *extra]
    with pytest.raises(ValidationError, match=match):
        _cli(argv)
    assert list(tmp_path.iterdir()) == []


def test_cli_creates_a_missing_out_folder_and_refuses_a_file(tmp_path, capsys):
    out = tmp_path / "new" / "run1"
    argv = ["spiking", "simulate", "--neurons", "10", "--duration", "0.05"]
    assert _cli([*argv, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["raster.png", "spikes.csv"]
    assert f"wrote {out / 'spikes.csv'}" in capsys.readouterr().out
    with pytest.raises(ValidationError, match="--out .*spikes.csv.* is a file"):
        _cli([*argv, "--out", str(out / "spikes.csv")])
    with pytest.raises(ValidationError, match="--neurons"):
        _cli(["spiking", "simulate", "--neurons", "1", "--out", str(tmp_path / "x")])
    assert not (tmp_path / "x").exists()


def test_demo_stage_returns_existing_pngs(tmp_path):
    from neurokit_ai.viz._demo_spiking import spiking_stage

    section = spiking_stage(tmp_path)
    assert set(section) == {"text", "figures", "table"}
    assert len(section["figures"]) == 6
    for path in section["figures"]:
        assert path.parent == tmp_path
        assert path.read_bytes()[:4] == b"\x89PNG"
    table = section["table"]
    assert table["rate FS (Hz)"] > table["rate RS (Hz)"] > 0
    assert f"{table['rate RS (Hz)']:.1f} Hz" in section["text"]
    assert -1.0 <= table["timing r"] <= 1.0
    assert 0.0 <= table["what/when angle (deg)"] <= 90.0
    assert table["motion accuracy"] >= 0.9  # 8 directions, chance 0.125
    assert f"accuracy {table['motion accuracy']:.2f}" in section["text"]
