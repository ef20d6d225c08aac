"""Prediction paradigm: do three-factor readouts encode when/probability and adapt
after a switch faster than FORCE without a reset?

An Izhikevich reservoir (heterogeneous 80/20 RS/FS recipe, p = 0.1) sees three
cues; each is followed, with its own probability, by an outcome at its own
latency. Halfway through, cue 0's latency moves from 0.15 s to 0.30 s. The
"when" readout (features: spike trains filtered at 50 and 200 ms, 10 ms bins)
is learnt online by the gated three-factor rule and by FORCE (RLS, no reset;
and with an explicit reset at the switch, for reference).

    python benchmarks/spiking_paradigm.py --neurons 300 --trials 240
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    from neurokit_ai.spiking import (
        FORCEReadout,
        ThreeFactorReadout,
        adaptation_trials,
        encoding_metrics,
        make_prediction_task,
        random_network,
        simulate,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neurons", type=int, default=300)
    parser.add_argument("--trials", type=int, default=240)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n, n_trials, bw = args.neurons, args.trials, 0.01
    switch = n_trials // 2
    task = make_prediction_task(
        n_trials,
        [0.15, 0.3, 0.45],
        [1.0, 0.6, 0.3],
        switch_trial=switch,
        new_latencies=[0.3, 0.3, 0.45],
        random_state=args.seed,
    )
    net = random_network(n, 0.1, w_exc=0.5, w_inh=-1.0, random_state=args.seed)
    current = task.input_current(n, 0.5e-3, noise=1.0, random_state=args.seed + 1)
    t0 = time.perf_counter()
    res = simulate(net, task.duration, I_ext=current)
    print(
        f"reservoir: {n} neurons, {task.duration:.0f} s simulated in "
        f"{time.perf_counter() - t0:.1f} s, "
        f"{res.spike_steps.size / n / task.duration:.1f} Hz"
    )
    X = np.hstack([res.filtered(tau, bin_width=bw) for tau in (0.05, 0.2)])
    X /= X.std(axis=0) + 1.0
    target, gate = task.targets(bw)["when"], task.gate(bw)
    per_trial = int(round(task.trial_duration / bw))
    cut = switch * per_trial
    readouts = {
        "three-factor": ThreeFactorReadout(0.1).fit(X, target, gate),
        "FORCE (no reset)": FORCEReadout(1.0).fit(X, target),
    }
    reset = FORCEReadout(1.0).fit(X[:cut], target[:cut]).reset()
    reset.partial_fit(X[cut:], target[cut:])
    readouts["FORCE (reset at switch)"] = reset
    pre = np.arange(switch // 2, switch)
    post = np.arange(switch + (n_trials - switch) // 2, n_trials)
    print(
        f"\n{'readout':<24} {'pre: timing r':>13} {'timing err s':>12} "
        f"{'prob r':>7} | {'post: timing err s':>18} {'cue0 peak s':>11} "
        f"{'adapt trials':>12}"
    )
    for name, est in readouts.items():
        online = est.online_predictions_
        if name.endswith("switch)"):
            online = np.r_[
                readouts["FORCE (no reset)"].online_predictions_[:cut], online
            ]
        a = encoding_metrics(task, online, bw, pre)
        b = encoding_metrics(task, online, bw, post)
        adapt = adaptation_trials(task, online, bw, cue=0, tolerance=0.05)
        print(
            f"{name:<24} {a['timing_correlation']:>13.3f} "
            f"{a['timing_error_s']:>12.3f} {a['probability_correlation']:>7.3f} | "
            f"{b['timing_error_s']:>18.3f} {b['peak_times'][0]:>11.2f} "
            f"{adapt:>12}"
        )
    print(
        "\n(cue 0 latency switched 0.15 -> 0.30 s at trial "
        f"{switch}; pre = trials {pre[0]}-{pre[-1]}, post = {post[0]}-{post[-1]})"
    )


if __name__ == "__main__":
    main()
