"""Plots of spiking models: raster, rates, readouts, subspace angles, delay layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, SpikeTrains, ValidationError, check_array, check_scalar
from ._common import new_figure
from ._spikes import plot_raster

__all__ = [
    "plot_spike_raster",
    "plot_population_rate",
    "plot_readout_vs_target",
    "plot_weight_subspace_angles",
    "plot_delay_kernels",
    "plot_pruning_curve",
]


def _spike_trains(result: Any, name: str) -> SpikeTrains:
    from ..spiking import SimulationResult

    if isinstance(result, SimulationResult):
        return result.spikes
    if isinstance(result, SpikeTrains):
        return result
    raise DTypeError(
        f"{name} must be a SimulationResult (from neurokit_ai.spiking.simulate) or "
        f"a SpikeTrains, got {type(result).__name__}."
    )


def plot_spike_raster(
    result_or_spiketrains: Any,
    *,
    tmax: float | None = None,
    max_neurons: int = 200,
) -> Any:
    """Raster of a simulation's spikes, limited to its first ``max_neurons``.

    Parameters
    ----------
    result_or_spiketrains : SimulationResult or SpikeTrains
        The simulation (or any spike trains).
    tmax : float, optional
        End of the drawn time range (s); default: the whole simulation.
    max_neurons : int
        Draw neurons ``0 .. max_neurons - 1`` only (large networks).

    Returns
    -------
    matplotlib.figure.Figure
        As :func:`~neurokit_ai.viz.plot_raster`: one event collection per neuron.

    Examples
    --------
    >>> from neurokit_ai.spiking import random_network, simulate
    >>> res = simulate(random_network(30, 0.1, random_state=0), 0.2, I_ext=8.0)
    >>> len(plot_spike_raster(res, max_neurons=10).axes[0].collections)
    10
    """
    st = _spike_trains(result_or_spiketrains, "result_or_spiketrains")
    check_scalar(max_neurons, "max_neurons", kind=int, min_val=1)
    total = st.n_units
    shown = min(max_neurons, total)
    if shown < total:
        st = SpikeTrains(
            st.spike_times[:shown],
            t_start=st.t_start,
            t_stop=st.t_stop,
            unit_names=st.unit_names[:shown],
        )
    fig = plot_raster(st, tmax=tmax)
    if shown < total:
        ax = fig.axes[0]
        ax.set_title(f"{ax.get_title()} (first {shown} neurons)")
    return fig


def _population_rates(
    spikes: SpikeTrains, groups: np.ndarray, bin_width: float
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Mean rate per neuron (Hz) of each group in bins of ``bin_width`` s.

    Returns the bin edges and ``group -> (n_bins,)`` rates; a group's rate times
    its size times ``bin_width`` sums to its spike count in the binned span.
    """
    n_bins = int(np.floor((spikes.t_stop - spikes.t_start) / bin_width + 1e-9))
    if n_bins < 1:
        raise ValidationError(
            f"bin_width={bin_width} s is longer than the spikes' span "
            f"({spikes.t_stop - spikes.t_start:g} s); use a shorter bin."
        )
    edges = spikes.t_start + np.arange(n_bins + 1) * bin_width
    rates = {}
    for group in dict.fromkeys(groups.tolist()):
        members = np.flatnonzero(groups == group)
        times = np.concatenate([spikes.spike_times[i] for i in members])
        counts, _ = np.histogram(times, bins=edges)
        rates[str(group)] = counts / (members.size * bin_width)
    return edges, rates


def plot_population_rate(
    result: Any,
    *,
    neuron_types: Any = None,
    bin_width: float = 0.01,
    by_type: bool = True,
) -> Any:
    """Population firing rate over time, one curve per neuron type.

    Parameters
    ----------
    result : SimulationResult or SpikeTrains
        The simulation.
    neuron_types : array-like of str, shape (n_neurons,), optional
        Type of each neuron (``network.neuron_types``); needed when ``by_type``.
    bin_width : float
        Bin width (s).
    by_type : bool
        One curve per type; ``False`` draws the whole population.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one step curve (``StepPatch``) per group: the mean rate
        per neuron (Hz) in each bin, labelled ``"<type> (n=<count>)"``.

    Examples
    --------
    >>> from neurokit_ai.spiking import random_network, simulate
    >>> net = random_network(50, 0.1, random_state=0)
    >>> res = simulate(net, 0.2, I_ext=8.0)
    >>> fig = plot_population_rate(res, neuron_types=net.neuron_types)
    >>> [step.get_label() for step in fig.axes[0].patches]
    ['RS (n=40)', 'FS (n=10)']
    """
    st = _spike_trains(result, "result")
    check_scalar(bin_width, "bin_width", min_val=0.0, include_min=False)
    if by_type:
        if neuron_types is None:
            raise ValidationError(
                "by_type=True needs neuron_types (one per neuron, e.g. "
                "network.neuron_types); pass it or set by_type=False."
            )
        groups = np.asarray(neuron_types).astype(str)
        if groups.shape != (st.n_units,):
            raise ValidationError(
                f"neuron_types has shape {groups.shape}; expected ({st.n_units},), "
                "one type per neuron."
            )
    else:
        groups = np.full(st.n_units, "all")
    edges, rates = _population_rates(st, groups, bin_width)
    fig = new_figure(10.0, 3.5)
    ax = fig.add_subplot()
    for group, rate in rates.items():
        n = int(np.sum(groups == group))
        ax.stairs(rate, edges, label=f"{group} (n={n})", linewidth=1.0)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel("Time (s)")
    ax.set_ylabel("Rate per neuron (Hz)")
    ax.set_title(f"Population rate, {1000.0 * bin_width:g} ms bins")
    ax.legend(loc="upper right", fontsize=8)
    return fig


def plot_readout_vs_target(
    times: Any, readout: Any, target: Any, *, names: Any = None
) -> Any:
    """Readout and target traces over time, one panel per output.

    Parameters
    ----------
    times : array-like, shape (n_samples,)
        Sample times (s).
    readout, target : array-like, shape (n_samples,) or (n_samples, n_outputs)
        Readout prediction and target.
    names : sequence of str, optional
        Output names (panel titles).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per output with two lines, ``"target"`` then ``"readout"``;
        the title gives their Pearson r.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(100) * 0.01
    >>> fig = plot_readout_vs_target(t, np.sin(t), np.sin(t), names=["when"])
    >>> fig.axes[0].get_title()
    'when (r = 1.000)'
    """
    t = check_array(times, "times", ndim=1)
    y_hat = check_array(readout, "readout", ndim=(1, 2))
    y = check_array(target, "target", ndim=(1, 2))
    y_hat = y_hat.reshape(len(y_hat), -1)
    y = y.reshape(len(y), -1)
    if y_hat.shape != y.shape or len(y) != t.size:
        raise ValidationError(
            f"readout {y_hat.shape}, target {y.shape} and times ({t.size},) must "
            "agree: (n_samples,) or (n_samples, n_outputs) with n_samples = "
            "len(times)."
        )
    n_out = y.shape[1]
    labels = [f"output {k}" for k in range(n_out)] if names is None else list(names)
    if len(labels) != n_out:
        raise ValidationError(
            f"names has {len(labels)} entries; give one per output ({n_out})."
        )
    fig = new_figure(10.0, 1.0 + 2.0 * n_out)
    axes = fig.subplots(n_out, 1, sharex=True, squeeze=False)[:, 0]
    for k, ax in enumerate(axes):
        ax.plot(t, y[:, k], color="0.5", linewidth=1.5, label="target")
        ax.plot(t, y_hat[:, k], color="C3", linewidth=0.8, label="readout")
        ok = y[:, k].std() > 0 and y_hat[:, k].std() > 0
        r = float(np.corrcoef(y[:, k], y_hat[:, k])[0, 1]) if ok else float("nan")
        ax.set_title(f"{labels[k]} (r = {r:.3f})")
        ax.legend(loc="upper right", fontsize=8)
    axes[-1].set_xlabel("Time (s)")
    return fig


def plot_weight_subspace_angles(weights: Any) -> Any:
    """Principal angles between the weight subspaces of several readouts.

    Yamada & Chao report that the "what" and "when" readouts of one reservoir
    self-organise into near-orthogonal subspaces; this draws the principal
    angles (:func:`scipy.linalg.subspace_angles`) between the row spaces of
    each pair of weight matrices.

    Parameters
    ----------
    weights : mapping of str to array-like, shape (n_outputs, n_features)
        Readout weights (``readout.coef_``), at least two, all with the same
        ``n_features``.

    Returns
    -------
    matplotlib.figure.Figure
        Left: the smallest principal angle (degrees) of each pair as an image
        (``AxesImage`` data, 0 on the diagonal). Right: one marker line per
        pair with all its principal angles, largest first.

    Examples
    --------
    >>> import numpy as np
    >>> weights = {"what": np.eye(4)[:2], "when": np.eye(4)[2:]}
    >>> fig = plot_weight_subspace_angles(weights)
    >>> float(fig.axes[0].images[0].get_array()[0, 1])
    90.0
    """
    from scipy.linalg import subspace_angles

    if not hasattr(weights, "items") or len(weights) < 2:
        raise ValidationError(
            "weights must map at least two readout names to weight matrices "
            "(n_outputs, n_features), e.g. {'what': what.coef_, 'when': when.coef_}."
        )
    names = [str(k) for k in weights]
    mats = []
    for name, w in weights.items():
        w = check_array(w, f"weights[{name!r}]", ndim=(1, 2))
        mats.append(w.reshape(-1, w.shape[-1]))
    n_features = {m.shape[1] for m in mats}
    if len(n_features) > 1:
        raise ValidationError(
            f"The weight matrices have different numbers of features "
            f"{sorted(n_features)}; the readouts must read the same population."
        )
    for name, m in zip(names, mats):
        if not np.any(m):
            raise ValidationError(
                f"weights[{name!r}] is all zeros and spans no subspace; fit it first."
            )
    n = len(mats)
    smallest = np.zeros((n, n))
    fig = new_figure(10.0, 4.0)
    ax_img, ax_pairs = fig.subplots(1, 2)
    for i in range(n):
        for j in range(i + 1, n):
            angles = np.degrees(subspace_angles(mats[i].T, mats[j].T))
            smallest[i, j] = smallest[j, i] = angles.min()
            ax_pairs.plot(
                np.arange(1, angles.size + 1),
                angles,
                marker="o",
                label=f"{names[i]} vs {names[j]}",
            )
    image = ax_img.imshow(smallest, vmin=0.0, vmax=90.0, cmap="viridis")
    ax_img.set_xticks(range(n), names, rotation=45)
    ax_img.set_yticks(range(n), names)
    ax_img.set_title("Smallest principal angle (deg)")
    fig.colorbar(image, ax=ax_img)
    ax_pairs.set_ylim(0.0, 92.0)
    ax_pairs.set_xlabel("Principal angle index")
    ax_pairs.set_ylabel("Angle (deg)")
    ax_pairs.set_title("Readout weight subspaces")
    ax_pairs.legend(loc="lower right", fontsize=8)
    return fig


def _fitted_layer(layer: Any) -> Any:
    from ..core._base import check_is_fitted
    from ..spiking import HeterogeneousDelayLayer

    if not isinstance(layer, HeterogeneousDelayLayer):
        raise DTypeError(
            f"layer must be a fitted neurokit_ai.spiking.HeterogeneousDelayLayer, "
            f"got {type(layer).__name__}."
        )
    check_is_fitted(layer, "kernel_")
    return layer


def plot_delay_kernels(layer: Any, *, polarity: str = "ON") -> Any:
    """Weights of a heterogeneous-delay layer: one row per neuron, one column per delay.

    Parameters
    ----------
    layer : HeterogeneousDelayLayer
        A fitted layer.
    polarity : {"ON", "OFF"}
        Which input polarity's synapses to draw.

    Returns
    -------
    matplotlib.figure.Figure
        ``n_classes x n_delays`` axes (row-major) each with one image:
        ``kernel_[class, polarity, delay]`` (rows dy, columns dx), on a shared
        symmetric colour scale (warm excitatory, cold inhibitory).

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.spiking import HeterogeneousDelayLayer
    >>> layer = HeterogeneousDelayLayer(n_delays=3, kernel_size=3)
    >>> layer.kernel_ = np.ones((2, 2, 3, 3, 3)); layer.intercept_ = np.zeros(2)
    >>> layer.classes_ = np.array([0, 1])
    >>> len(plot_delay_kernels(layer).axes)
    7
    """
    from ..core import check_option

    layer = _fitted_layer(layer)
    check_option(polarity, "polarity", ["ON", "OFF"])
    p = 1 if polarity == "ON" else 0
    kernel = layer.kernel_[:, p]
    n_classes, n_delays = kernel.shape[:2]
    vmax = float(np.abs(kernel).max()) or 1.0
    fig = new_figure(1.2 * n_delays + 1.5, 1.2 * n_classes + 0.6)
    axes = fig.subplots(n_classes, n_delays, squeeze=False)
    for c in range(n_classes):
        for d in range(n_delays):
            ax = axes[c, d]
            image = ax.imshow(kernel[c, d], cmap="RdBu_r", vmin=-vmax, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            if c == 0:
                ax.set_title(f"delay {d}", fontsize=8)
            if d == 0:
                ax.set_ylabel(str(layer.classes_[c]), fontsize=8)
    fig.colorbar(image, ax=axes, shrink=0.6, label=f"{polarity} weight")
    return fig


def plot_pruning_curve(curves: Any) -> Any:
    """Accuracy against the number of synapses kept (log axis), with chance.

    Parameters
    ----------
    curves : dict or mapping of str to dict
        One result of :func:`~neurokit_ai.spiking.pruning_curve`, or several
        by label (e.g. ``{"largest |w|": ..., "shortest delays": ...}``).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: a line per curve (x = synapses kept, y = accuracy) in the
        order given, then a dashed chance line.

    Examples
    --------
    >>> import numpy as np
    >>> curve = {"n_synapses": np.array([100, 10]),
    ...          "accuracy": np.array([0.9, 0.4]), "chance": 0.25}
    >>> fig = plot_pruning_curve(curve)
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.9, 0.4]
    """
    keys = ("n_synapses", "accuracy", "chance")
    if hasattr(curves, "keys") and all(k in curves for k in keys):
        curves = {"pruned by |weight|": curves}
    ok = hasattr(curves, "items") and len(curves) > 0
    if ok:
        ok = all(
            hasattr(c, "keys") and all(k in c for k in keys) for c in curves.values()
        )
    if not ok:
        raise ValidationError(
            "curves must be a pruning_curve() result (with n_synapses, accuracy and "
            "chance) or a mapping of labels to such results."
        )
    fig = new_figure(6.0, 4.0)
    ax = fig.add_subplot()
    chance = None
    for label, curve in curves.items():
        n = check_array(curve["n_synapses"], f"curves[{label!r}]['n_synapses']", ndim=1)
        acc = check_array(curve["accuracy"], f"curves[{label!r}]['accuracy']", ndim=1)
        if n.shape != acc.shape or n.min() < 1:
            raise ValidationError(
                f"curves[{label!r}] needs one accuracy per kept count and counts "
                f">= 1, got {n.size} counts (min {n.min():g}) and {acc.size} "
                "accuracies."
            )
        ax.plot(n, acc, marker="o", label=str(label))
        chance = float(curve["chance"])
    ax.axhline(chance, color="0.5", linestyle="--", label="chance")
    ax.set_xscale("log")
    ax.set_ylim(0.0, 1.02)
    ax.set_xlabel("Synapses kept")
    ax.set_ylabel("Accuracy")
    ax.set_title("Motion-direction accuracy under pruning")
    ax.legend(loc="lower right", fontsize=8)
    return fig
