"""Izhikevich network: our simulator vs brian2 (numpy and cython targets).

Same process, same network (p = 0.1, 80 % RS / 20 % FS heterogeneous recipe,
current-based exponential synapses, 1 ms delays), same deterministic input
(Gaussian current per step and neuron, seed 0), dt = 0.5 ms, 1 s of biological
time. Prints wall times (best of ``--repeat``), brian2's build time (code
generation + compilation, a zero-length run) separately, the speed-up and the
fraction of spikes that match brian2's within one step. ``--clock cpu`` times
both with this process's CPU time instead of the wall clock: steadier on a
shared, loaded machine (both run single-threaded at these sizes).

    python benchmarks/izhikevich_vs_brian2.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _matched(ours, theirs) -> float:
    key_a = ours.spike_neurons.astype(np.int64) * 10**7 + ours.spike_steps
    key_b = theirs.spike_neurons.astype(np.int64) * 10**7 + theirs.spike_steps
    near = np.isin(key_a, key_b) | np.isin(key_a - 1, key_b) | np.isin(key_a + 1, key_b)
    return float(near.sum()) / max(key_a.size, key_b.size, 1)


def main() -> None:
    t_import = time.perf_counter()
    from neurokit_ai.spiking import random_network, simulate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--duration", type=float, default=1.0)
    parser.add_argument("--dt", type=float, default=0.5e-3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--targets", nargs="*", default=["numpy", "cython"])
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    run_key = "run_s" if args.clock == "wall" else "run_cpu_s"

    first = random_network(10, 0.1, random_state=0)
    simulate(first, args.dt)
    print(f"first step done {time.perf_counter() - t_import:.3f} s after import")

    rows = []
    for n in args.sizes:
        net = random_network(
            n, 0.1, w_exc=0.5 * 1000 / n, w_inh=-1.0 * 1000 / n, random_state=1
        )
        n_steps = int(round(args.duration / args.dt))
        current = 5.0 * np.random.default_rng(0).standard_normal((n_steps, n)) + 3.0
        best, ours = np.inf, None
        for _ in range(args.repeat):
            t0 = clock()
            ours = simulate(net, args.duration, dt=args.dt, I_ext=current)
            best = min(best, clock() - t0)
        rate = ours.spike_steps.size / n / args.duration
        row = {"n": n, "synapses": net.n_synapses, "rate": rate, "ours": best}
        try:
            from neurokit_ai.spiking import run_brian2

            for target in args.targets:
                run_best, build = np.inf, np.nan
                for k in range(args.repeat if n <= 1000 else 1):
                    theirs, timing = run_brian2(
                        net, args.duration, dt=args.dt, I_ext=current, target=target
                    )
                    if k == 0:
                        build = timing["build_s"]
                    run_best = min(run_best, timing[run_key])
                row[f"{target}_build"] = build
                row[target] = run_best
                row[f"{target}_match"] = _matched(ours, theirs)
        except ImportError as err:
            print(f"brian2 unavailable: {err}")
        rows.append(row)

    print(f"\ntimes: {args.clock} clock, best of {args.repeat}")
    print(
        f"{'neurons':>8} {'synapses':>10} {'rate Hz':>8} {'ours s':>8} "
        f"{'x real':>7} | "
        + " | ".join(
            f"brian2 {t}: build s, run s, ours faster by, match" for t in args.targets
        )
    )
    for r in rows:
        line = (
            f"{r['n']:>8} {r['synapses']:>10} {r['rate']:>8.1f} {r['ours']:>8.3f} "
            f"{args.duration / r['ours']:>7.1f}"
        )
        for t in args.targets:
            if t in r:
                line += (
                    f" | {r[f'{t}_build']:.2f}, {r[t]:.3f}, {r[t] / r['ours']:.1f}x, "
                    f"{r[f'{t}_match']:.4f}"
                )
        print(line)


if __name__ == "__main__":
    main()
