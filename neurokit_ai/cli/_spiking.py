"""The ``neurokit-ai spiking`` command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from ..core._atomic import atomic_output, write_bytes_atomic

__all__ = ["add_spiking_parser", "run_spiking"]


def add_spiking_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``spiking simulate`` and ``spiking motion`` (delay layer).

    ``simulate`` runs a random Izhikevich network and writes its spikes and
    raster; ``motion`` trains a heterogeneous-delay layer on simulated event
    streams and writes its pruning curve and kernels.

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
    sim.add_argument(
        "--out", type=Path, required=True, help="output folder (created if missing)"
    )
    motion = actions.add_parser(
        "motion",
        help="train a heterogeneous-delay layer to detect motion direction",
        description=(
            "Simulate event-camera streams of bars moving in --directions "
            "directions, train a heterogeneous-delay spiking layer (Grimaldi & "
            "Perrinet 2023) on --train of them, and report its accuracy on --test "
            "new ones as its weights are pruned. Writes pruning.csv, kernels.png "
            "and pruning.png to --out."
        ),
    )
    motion.add_argument("--directions", type=int, default=8, help="classes")
    motion.add_argument("--train", type=int, default=160, help="training streams")
    motion.add_argument("--test", type=int, default=160, help="test streams")
    motion.add_argument("--delays", type=int, default=5, help="synaptic delays")
    motion.add_argument("--kernel", type=int, default=5, help="odd kernel width")
    motion.add_argument("--epochs", type=int, default=8)
    motion.add_argument("--seed", type=int, default=0)
    motion.add_argument(
        "--out", type=Path, required=True, help="output folder (created if missing)"
    )
    p.set_defaults(handler=run_spiking)
    return p


def _out_folder(path: Path) -> Path:
    """Check ``--out`` (a folder, created when writing if it is missing)."""
    from ..core import ValidationError, check_path

    out = check_path(path, "--out", must_exist=False)
    if out.exists() and not out.is_dir():
        raise ValidationError(
            f"--out {str(out)!r} is a file; give a folder (it is created if missing)."
        )
    return out


def run_spiking(args: argparse.Namespace) -> int:
    """Run the ``spiking`` command; returns the exit status."""
    if args.action == "motion":
        return _run_motion(args)
    from ..core import check_scalar
    from ..spiking import random_network, simulate
    from ..viz._files import figure_to_png
    from ..viz._spiking import plot_spike_raster

    out = _out_folder(args.out)
    check_scalar(args.neurons, "--neurons", kind=int, min_val=2)
    check_scalar(args.duration, "--duration", min_val=0.0, include_min=False)
    check_scalar(args.noise, "--noise", min_val=0.0)
    check_scalar(args.current, "--current")
    check_scalar(args.p_connect, "--p-connect", min_val=0.0, max_val=1.0)
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
    out.mkdir(parents=True, exist_ok=True)
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


PRUNING_FRACTIONS = (1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001)


def _run_motion(args: argparse.Namespace) -> int:
    from ..core import ValidationError, check_scalar
    from ..spiking import HeterogeneousDelayLayer, make_motion_dataset, pruning_curve
    from ..viz._files import figure_to_png
    from ..viz._spiking import plot_delay_kernels, plot_pruning_curve

    out = _out_folder(args.out)
    check_scalar(args.directions, "--directions", kind=int, min_val=2)
    check_scalar(args.train, "--train", kind=int, min_val=args.directions)
    check_scalar(args.test, "--test", kind=int, min_val=1)
    check_scalar(args.delays, "--delays", kind=int, min_val=1)
    check_scalar(args.kernel, "--kernel", kind=int, min_val=1)
    if args.kernel % 2 == 0:
        raise ValidationError(
            f"--kernel must be odd (the neuron sits at its centre), got {args.kernel}."
        )
    check_scalar(args.epochs, "--epochs", kind=int, min_val=1)
    X, y = make_motion_dataset(args.train, args.directions, random_state=args.seed)
    Xt, yt = make_motion_dataset(args.test, args.directions, random_state=args.seed + 1)
    layer = HeterogeneousDelayLayer(
        n_delays=args.delays,
        kernel_size=args.kernel,
        max_epochs=args.epochs,
        random_state=args.seed,
    ).fit(X, y)
    curves = {
        label: pruning_curve(
            layer, Xt, yt, PRUNING_FRACTIONS, strategy, X_train=X, y_train=y
        )
        for label, strategy in (
            ("largest |w|", "weight"),
            ("shortest delays", "shortest"),
        )
    }
    kernels_png = figure_to_png(plot_delay_kernels(layer))
    pruning_png = figure_to_png(plot_pruning_curve(curves))
    weight, short = curves["largest |w|"], curves["shortest delays"]
    rows = np.c_[
        weight["keep_fraction"],
        weight["n_synapses"],
        weight["accuracy"],
        short["accuracy"],
    ]
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / "pruning.csv"
    with atomic_output(csv_path) as tmp:
        np.savetxt(
            tmp,
            rows,
            fmt=["%.4g", "%d", "%.4f", "%.4f"],
            delimiter=",",
            header="keep_fraction,n_synapses,accuracy_weight,accuracy_shortest",
            comments="",
        )
    write_bytes_atomic(out / "kernels.png", kernels_png)
    write_bytes_atomic(out / "pruning.png", pruning_png)
    print(
        f"{args.directions} directions: test accuracy {weight['accuracy'][0]:.3f} "
        f"with {weight['n_synapses'][0]} synapses (chance {weight['chance']:.3f})"
    )
    for frac, n_syn, acc in zip(*rows[:, :3].T):
        print(f"  keep {frac:g}: {int(n_syn)} synapses, accuracy {acc:.3f}")
    for name in ("pruning.csv", "kernels.png", "pruning.png"):
        print(f"wrote {out / name}")
    return 0
