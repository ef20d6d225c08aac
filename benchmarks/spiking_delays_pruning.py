"""Heterogeneous-delay layer: motion-direction accuracy and its pruning curve.

Grimaldi & Perrinet (2023) prune the smallest weights of a trained HD-SNN and
report accuracy against the fraction of synapses kept (near peak down to ~31x
fewer computations on natural-image event streams), and a "shortening" control
that keeps only the shortest delays. This script trains the layer on simulated
event-camera streams of moving bars (``make_motion_dataset``: 12 directions,
speeds drawn from a range, bright and dark bars, background noise), then
prints, for each kept fraction, the number of synapses and the test accuracy
under both strategies (each pruned layer re-centred on the training streams).
In an event-driven run the work is proportional to
the input events times the synapses kept. Last, it prints how fast the
unpruned layer detects the motion: accuracy using only the events of the first
milliseconds of each stream.

    python benchmarks/spiking_delays_pruning.py --directions 12 --train 480
"""

from __future__ import annotations

import argparse
import time

import numpy as np

FRACTIONS = (1.0, 0.5, 0.3, 0.1, 0.05, 0.03, 0.01, 0.005, 0.003, 0.001)


def main() -> None:
    from neurokit_ai.spiking import (
        HeterogeneousDelayLayer,
        make_motion_dataset,
        pruning_curve,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directions", type=int, default=12)
    parser.add_argument("--train", type=int, default=480)
    parser.add_argument("--test", type=int, default=240)
    parser.add_argument("--delays", type=int, default=7)
    parser.add_argument("--kernel", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.005, help="Adam step")
    parser.add_argument("--mask", choices=["none", "cone"], default="none")
    parser.add_argument("--noise", type=float, default=50.0, help="events/px/s")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    data = dict(
        speed=(150.0, 400.0),
        sensor_size=(20, 20),
        duration=0.05,
        bar_length=10.0,
        noise_rate=args.noise,
        bin_width=2e-3,
    )
    t0 = time.perf_counter()
    X, y = make_motion_dataset(
        args.train, args.directions, random_state=args.seed, **data
    )
    Xt, yt = make_motion_dataset(
        args.test, args.directions, random_state=args.seed + 1, **data
    )
    t_data = time.perf_counter() - t0
    t0 = time.perf_counter()
    layer = HeterogeneousDelayLayer(
        n_delays=args.delays,
        kernel_size=args.kernel,
        mask=None if args.mask == "none" else args.mask,
        max_epochs=args.epochs,
        lr=args.lr,
        random_state=args.seed,
    ).fit(X, y)
    t_fit = time.perf_counter() - t0
    events = float(Xt.sum((1, 2, 3, 4)).mean())
    print(
        f"{args.directions} directions, {args.train} train / {args.test} test "
        f"streams of {Xt.shape[2]} bins x {Xt.shape[3]} x {Xt.shape[4]} px "
        f"({events:.0f} events each); data {t_data:.1f} s, fit {t_fit:.1f} s"
    )
    print(
        f"kernel {layer.kernel_.shape}, {layer.n_synapses_} synapses, "
        f"train accuracy {np.mean(layer.predict(X) == y):.3f}, "
        f"chance {1 / args.directions:.3f}"
    )
    curves = {
        s: pruning_curve(layer, Xt, yt, FRACTIONS, strategy=s, X_train=X, y_train=y)
        for s in ("weight", "shortest")
    }
    print(
        f"\n{'kept':>7} {'synapses':>9} "
        f"{'acc (largest |w|)':>18} {'acc (shortest delays)':>22}"
    )
    for k, frac in enumerate(FRACTIONS):
        n_syn = curves["weight"]["n_synapses"][k]
        print(
            f"{frac:>7.3f} {n_syn:>9d} "
            f"{curves['weight']['accuracy'][k]:>18.3f} "
            f"{curves['shortest']['accuracy'][k]:>22.3f}"
        )
    running = np.mean(layer.decision_over_time(Xt).argmax(2) == yt[:, None], axis=0)
    ms = 1e3 * data["bin_width"] * (np.arange(running.size) + args.delays)
    print("\nms of events " + " ".join(f"{m:>5.0f}" for m in ms[::3]))
    print("accuracy     " + " ".join(f"{a:>5.2f}" for a in running[::3]))
    acc = curves["weight"]["accuracy"]
    full = acc[0]
    kept = [f for f, a in zip(FRACTIONS, acc) if a >= 0.95 * full]
    half = [f for f, a in zip(FRACTIONS, acc) if a >= (full + 1 / args.directions) / 2]
    best = int(np.argmax(acc))
    print(
        f"\naccuracy stays within 5% of the unpruned layer's ({full:.3f}) down to "
        f"{min(kept):g} of the weights ({1 / min(kept):.0f}x fewer synapses); "
        f"above half-way to chance down to {min(half):g}; best {acc[best]:.3f} "
        f"with {FRACTIONS[best]:g} of the weights"
    )


if __name__ == "__main__":
    main()
