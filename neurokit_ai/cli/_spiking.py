"""The ``neurokit-ai spiking`` command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from ..core._atomic import atomic_output, write_bytes_atomic

__all__ = ["add_spiking_parser", "run_spiking"]


def add_spiking_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``spiking simulate``: random Izhikevich network -> spikes + raster.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_spiking_parser(sub).prog.endswith("spiking")
    True
    """
    p = subparsers.add_parser(
        "spiking",
        help="simulate a spiking (Izhikevich) network",
        description="Spiking-network tools.",
    )
    actions = p.add_subparsers(dest="action", required=True)
    sim = actions.add_parser(
        "simulate",
        help="simulate a random RS/FS network and write its spikes and raster",
        description=(
            "Simulate a random 80/20 RS/FS Izhikevich network (Dale's law) driven "
            "by a noisy current; write spikes.csv (neuron, time in s) and "
            "raster.png to --out."
        ),
    )
    sim.add_argument("--neurons", type=int, default=200, help="network size")
    sim.add_argument("--duration", type=float, default=1.0, help="seconds")
    sim.add_argument("--p-connect", type=float, default=0.1, help="connection p")
    sim.add_argument("--current", type=float, default=6.0, help="mean input current")
    sim.add_argument("--noise", type=float, default=3.0, help="input noise s.d.")
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--out", type=Path, required=True, help="output folder")
    p.set_defaults(handler=run_spiking)
    return p


def run_spiking(args: argparse.Namespace) -> int:
    """Run the ``spiking`` command; returns the exit status."""
    from ..core import check_path, check_scalar
    from ..spiking import random_network, simulate
    from ..viz._files import figure_to_png
    from ..viz._spiking import plot_spike_raster

    out = check_path(args.out, "--out", kind="dir")
    check_scalar(args.neurons, "--neurons", kind=int, min_val=2)
    check_scalar(args.duration, "--duration", min_val=0.0, include_min=False)
    check_scalar(args.noise, "--noise", min_val=0.0)
    dt = 0.5e-3
    net = random_network(
        args.neurons,
        args.p_connect,
        w_exc=0.5,
        w_inh=-1.0,
        heterogeneity=0.1,
        random_state=args.seed,
    )
    n_steps = max(int(round(args.duration / dt)), 1)
    rng = np.random.default_rng(args.seed + 1)
    current = args.current + args.noise * rng.standard_normal((n_steps, args.neurons))
    res = simulate(net, n_steps * dt, dt=dt, I_ext=current)
    png = figure_to_png(plot_spike_raster(res))
    rows = np.c_[res.spike_neurons, res.spike_steps * dt]
    csv_path, png_path = out / "spikes.csv", out / "raster.png"
    with atomic_output(csv_path) as tmp:
        np.savetxt(
            tmp,
            rows,
            fmt=["%d", "%.6f"],
            delimiter=",",
            header="neuron,time",
            comments="",
        )
    write_bytes_atomic(png_path, png)
    rate = res.spike_steps.size / (args.neurons * res.duration)
    print(
        f"{args.neurons} neurons, {net.n_synapses} synapses, {res.duration:g} s: "
        f"{res.spike_steps.size} spikes ({rate:.1f} Hz per neuron)"
    )
    print(f"wrote {csv_path}")
    print(f"wrote {png_path}")
    return 0
