"""The spiking stage of the demo: a reservoir, plastic readouts, a delay layer."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..core import check_path

__all__ = ["spiking_stage"]


def spiking_stage(out_dir: str | os.PathLike) -> dict[str, Any]:
    """Izhikevich network, three-factor readouts and a delay layer (demo section).

    A 200-neuron RS/FS network (80/20, p = 0.1) driven by a noisy current runs
    for 1 s (raster and population rate per type). A 150-neuron reservoir then
    sees 60 trials of the prediction paradigm (three cues, outcome latencies
    0.15/0.30/0.45 s with probabilities 1.0/0.6/0.3); a gated three-factor
    readout learns online when the outcome comes, and the section reports how
    its peak time and height track latency and probability (last 30 trials),
    and the principal angles between its weights and those of a "what"
    readout of the same reservoir. Last, a heterogeneous-delay layer learns the
    direction of bars moving in 8 directions from 96 simulated event-camera
    streams; the section reports its accuracy on 96 new streams and the
    accuracy as its weights are pruned (kernels and pruning curve).

    Returns
    -------
    dict
        ``text``, ``figures`` (PNG paths) and ``table``.

    Examples
    --------
    >>> section = spiking_stage("demo_out")  # doctest: +SKIP
    >>> sorted(section)  # doctest: +SKIP
    ['figures', 'table', 'text']
    """
    from scipy.linalg import subspace_angles

    from ..spiking import (
        HeterogeneousDelayLayer,
        ThreeFactorReadout,
        encoding_metrics,
        make_motion_dataset,
        make_prediction_task,
        pruning_curve,
        random_network,
        simulate,
    )
    from ._files import save_figure
    from ._spiking import (
        _population_rates,
        plot_delay_kernels,
        plot_population_rate,
        plot_pruning_curve,
        plot_readout_vs_target,
        plot_spike_raster,
        plot_weight_subspace_angles,
    )

    out = check_path(out_dir, "out_dir", kind="dir")
    rng = np.random.default_rng(0)
    net = random_network(
        200, 0.1, w_exc=0.5, w_inh=-1.0, heterogeneity=0.1, random_state=0
    )
    current = 6.0 + 3.0 * rng.standard_normal((2000, net.n_neurons))
    res = simulate(net, 1.0, I_ext=current)
    _, rates = _population_rates(res.spikes, net.neuron_types.astype(str), 1.0)
    mean_rates = {k: float(v[0]) for k, v in rates.items()}

    bw = 0.01
    task = make_prediction_task(60, [0.15, 0.3, 0.45], [1.0, 0.6, 0.3], random_state=0)
    reservoir = random_network(150, 0.1, w_exc=0.5, w_inh=-1.0, random_state=0)
    drive = task.input_current(150, 0.5e-3, noise=1.0, random_state=1)
    task_res = simulate(reservoir, task.duration, I_ext=drive)
    X = np.hstack([task_res.filtered(tau, bin_width=bw) for tau in (0.05, 0.2)])
    X /= X.std(axis=0) + 1.0
    targets = task.targets(bw)
    target = targets["when"]
    readout = ThreeFactorReadout(0.1).fit(X, target, task.gate(bw))
    what = ThreeFactorReadout(0.1).fit(X, targets["what"], task.gate(bw))
    weights = {"what": what.coef_, "when": readout.coef_}
    angle = float(np.degrees(subspace_angles(what.coef_.T, readout.coef_.T)).min())
    online = readout.online_predictions_
    m = encoding_metrics(task, online, bw, np.arange(30, 60))
    times = task.bin_times(bw)
    last = times >= times[-1] - 6 * task.trial_duration

    Xm, ym = make_motion_dataset(96, 8, random_state=0)
    Xm_test, ym_test = make_motion_dataset(96, 8, random_state=1)
    layer = HeterogeneousDelayLayer(max_epochs=6, random_state=0).fit(Xm, ym)
    curve = pruning_curve(
        layer, Xm_test, ym_test, [1.0, 0.1, 0.03, 0.01, 0.003], X_train=Xm, y_train=ym
    )
    accuracy = curve["accuracy"][0]

    figures = [
        save_figure(plot_spike_raster(res), out / "spiking_raster.png"),
        save_figure(
            plot_population_rate(res, neuron_types=net.neuron_types),
            out / "spiking_population_rate.png",
        ),
        save_figure(
            plot_readout_vs_target(
                times[last], online[last], target[last], names=["outcome timing"]
            ),
            out / "spiking_readout_vs_target.png",
        ),
        save_figure(
            plot_weight_subspace_angles(weights), out / "spiking_subspace_angles.png"
        ),
        save_figure(plot_delay_kernels(layer), out / "spiking_delay_kernels.png"),
        save_figure(plot_pruning_curve(curve), out / "spiking_pruning_curve.png"),
    ]
    rate_text = ", ".join(f"{k} {v:.1f} Hz" for k, v in mean_rates.items())
    text = (
        f"A heterogeneous Izhikevich network ({net.n_neurons} neurons, "
        f"{net.n_synapses} synapses) fired {res.spike_steps.size} spikes in 1 s "
        f"(mean rate per type: {rate_text}). A three-factor readout of a "
        f"150-neuron reservoir learnt outcome timing online over {task.n_trials} "
        f"trials; on the last 30 its peak times "
        f"({', '.join(f'{t:.2f}' for t in m['peak_times'])} s for latencies "
        f"{', '.join(f'{t:.2f}' for t in m['latencies'])} s) give timing r = "
        f"{m['timing_correlation']:.2f} (mean error {m['timing_error_s']:.3f} s) "
        f"and peak height vs probability r = {m['probability_correlation']:.2f}; "
        f"its weights and those of a 'what' readout of the same reservoir are "
        f"{angle:.0f} degrees apart (smallest principal angle). A "
        f"heterogeneous-delay layer ({layer.n_synapses_} synapses, "
        f"{layer.n_delays} delays) detects the direction of moving bars in new "
        f"event streams with accuracy {accuracy:.2f} (chance "
        f"{curve['chance']:.3f}); pruned to "
        + ", ".join(
            f"{n} synapses: {a:.2f}"
            for n, a in zip(curve["n_synapses"][1:], curve["accuracy"][1:])
        )
        + "."
    )
    table = {
        **{f"rate {k} (Hz)": round(v, 2) for k, v in mean_rates.items()},
        "timing r": round(m["timing_correlation"], 3),
        "timing error (s)": round(m["timing_error_s"], 3),
        "probability r": round(m["probability_correlation"], 3),
        "what/when angle (deg)": round(angle, 1),
        "motion accuracy": round(float(accuracy), 3),
        **{
            f"accuracy, {n} synapses": round(float(a), 3)
            for n, a in zip(curve["n_synapses"][1:], curve["accuracy"][1:])
        },
    }
    return {"text": text, "figures": figures, "table": table}
