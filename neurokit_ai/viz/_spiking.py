"""Plots of spiking-network simulations: raster, population rates, readouts."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, SpikeTrains, ValidationError, check_array, check_scalar
from ._common import new_figure
from ._spikes import plot_raster

__all__ = ["plot_spike_raster", "plot_population_rate", "plot_readout_vs_target"]


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
