"""brian2 bridge: the same network in brian2, and its spike monitors as SpikeTrains."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..core import DTypeError, SpikeTrains, check_option, check_scalar
from ._network import IzhikevichNetwork
from ._simulate import SimulationResult, _check_dt, _external_current

__all__ = [
    "to_brian2",
    "run_brian2",
    "spikemonitor_to_spiketrains",
    "brian2_equations",
    "BRIAN2_TARGETS",
]

BRIAN2_TARGETS = ("numpy", "cython")


def _import_brian2() -> Any:
    try:
        import brian2
    except ImportError as err:
        raise ImportError(
            "The brian2 bridge needs brian2 (pip install 'neurokit_ai[test]', which "
            f"pins a numpy it imports with). Import failed with: {err}"
        ) from err
    except AttributeError as err:
        raise ImportError(
            "brian2 is installed but fails to import with this numpy "
            f"({np.__version__}): {err}. brian2 2.9 needs numpy < 2.4; install "
            "'numpy<2.4'."
        ) from err
    return brian2


def brian2_equations(synapse: str = "current") -> str:
    """The brian2 model equations matching :func:`simulate`.

    Examples
    --------
    >>> "dv/dt" in brian2_equations()
    True
    """
    check_option(synapse, "synapse", ["current", "conductance"])
    i_syn = "g_e + g_i" if synapse == "current" else "g_e*(e_exc - v) + g_i*(e_inh - v)"
    return (
        f"dv/dt = (0.04*v**2 + 5*v + 140 - u + I_ext(t, i) + {i_syn})/ms : 1\n"
        "du/dt = a*(b*v - u)/ms : 1\n"
        "dg_e/dt = -g_e/tau_e : 1\n"
        "dg_i/dt = -g_i/tau_i : 1\n"
        "a : 1 (constant)\n"
        "b : 1 (constant)\n"
        "c : 1 (constant)\n"
        "d : 1 (constant)\n"
    )


def to_brian2(
    network: IzhikevichNetwork,
    duration: float,
    *,
    dt: float = 0.5e-3,
    I_ext: Any = None,
    input_spikes: SpikeTrains | None = None,
    input_weights: Any = None,
) -> tuple[Any, dict[str, Any]]:
    """Build the same network in brian2: equations, parameters, connectivity.

    Parameters
    ----------
    network : IzhikevichNetwork
    duration : float
        Time the external current covers (s).
    dt, I_ext, input_spikes, input_weights
        As in :func:`simulate`.

    Returns
    -------
    net : brian2.Network
        Holds the neuron group, one ``Synapses`` per channel (excitatory
        ``w >= 0``, inhibitory ``w < 0``) and a ``SpikeMonitor``.
    namespace : dict
        The run namespace (``I_ext`` TimedArray, time constants, ``ms``).

    Examples
    --------
    >>> from neurokit_ai.spiking import random_network
    >>> net, ns = to_brian2(random_network(10, 0.2, random_state=0), 0.01)
    ... # doctest: +SKIP
    """
    b2 = _import_brian2()
    if not isinstance(network, IzhikevichNetwork):
        raise DTypeError(
            f"network must be an IzhikevichNetwork, got {type(network).__name__}."
        )
    check_scalar(duration, "duration", min_val=0.0, include_min=False)
    dt = _check_dt(dt, network)
    n_steps = int(round(duration / dt))
    n = network.n_neurons
    current = _external_current(I_ext, n_steps, n)
    clock_dt = dt * b2.second
    group = b2.NeuronGroup(
        n,
        brian2_equations(network.synapse),
        threshold="v >= 30",
        reset="v = c; u += d",
        method="euler",
        dt=clock_dt,
        name="izhikevich",
    )
    group.a, group.b = network.a, network.b
    group.c, group.d = network.c, network.d
    group.v = network.v_init
    group.u = network.b * network.v_init
    objects: list[Any] = [group]
    conductance = network.synapse == "conductance"
    for channel, mask in (("g_e", network.weights >= 0), ("g_i", network.weights < 0)):
        if not mask.any():
            continue
        order = np.argsort(network.pre[mask], kind="stable")
        pre = network.pre[mask][order]
        post = network.post[mask][order]
        w = network.weights[mask][order]
        delays = network.delays[mask][order]
        uniform = bool(np.all(delays == delays[0]))
        kwargs = {"delay": delays[0] * b2.second} if uniform else {}
        syn = b2.Synapses(
            group,
            group,
            "w : 1",
            on_pre=f"{channel}_post += w",
            dt=clock_dt,
            name=f"synapses_{channel}",
            **kwargs,
        )
        syn.connect(i=pre, j=post)
        syn.w = np.abs(w) if conductance else w
        if not uniform:
            syn.delay = delays * b2.second
        objects.append(syn)
    if input_spikes is not None:
        objects.extend(_input_objects(b2, group, input_spikes, input_weights, dt, n))
    objects.append(b2.SpikeMonitor(group, name="spikes"))
    namespace = {
        "I_ext": b2.TimedArray(current, dt=clock_dt),
        "tau_e": network.tau_e * b2.second,
        "tau_i": network.tau_i * b2.second,
        "e_exc": network.e_exc,
        "e_inh": network.e_inh,
        "ms": b2.ms,
    }
    return b2.Network(*objects), namespace


def _input_objects(
    b2: Any, group: Any, spikes: Any, weights: Any, dt: float, n: int
) -> list[Any]:
    from ._simulate import _input_events

    n_steps = int(round(spikes.t_stop / dt)) + 1
    events, pre, post, w = _input_events(spikes, weights, n_steps, dt, n)
    steps = np.concatenate([np.full(e.size, s) for s, e in enumerate(events)])
    idx = np.concatenate(events)
    source = b2.SpikeGeneratorGroup(
        spikes.n_units, idx, steps * dt * b2.second, dt=dt * b2.second, name="inputs"
    )
    objects = [source]
    for channel, mask in (("g_e", w >= 0), ("g_i", w < 0)):
        if mask.any():
            syn = b2.Synapses(
                source,
                group,
                "w : 1",
                on_pre=f"{channel}_post += w",
                dt=dt * b2.second,
                name=f"input_{channel}",
            )
            syn.connect(i=pre[mask], j=post[mask])
            syn.w = w[mask]
            objects.append(syn)
    return objects


def spikemonitor_to_spiketrains(
    monitor: Any, *, t_stop: float | None = None
) -> SpikeTrains:
    """Turn a brian2 ``SpikeMonitor`` into :class:`~neurokit_ai.core.SpikeTrains`.

    Parameters
    ----------
    monitor : brian2.SpikeMonitor
    t_stop : float, optional
        End of the recorded interval (s); default: just after the last spike.

    Returns
    -------
    SpikeTrains
        One train per neuron of the monitored group (silent ones included).

    Examples
    --------
    >>> st = spikemonitor_to_spiketrains(net["spikes"], t_stop=1.0)
    ... # doctest: +SKIP
    """
    if not (
        hasattr(monitor, "t_") and hasattr(monitor, "i") and hasattr(monitor, "source")
    ):
        raise DTypeError(
            f"monitor must be a brian2 SpikeMonitor, got {type(monitor).__name__}."
        )
    times = np.asarray(monitor.t_[:], dtype=float)
    ids = np.asarray(monitor.i[:], dtype=np.intp)
    n = len(monitor.source)
    trains = [times[ids == k] for k in range(n)]
    return SpikeTrains(trains, t_start=0.0, t_stop=t_stop, source="model:brian2")


def run_brian2(
    network: IzhikevichNetwork,
    duration: float,
    *,
    dt: float = 0.5e-3,
    I_ext: Any = None,
    input_spikes: SpikeTrains | None = None,
    input_weights: Any = None,
    target: str = "numpy",
) -> tuple[SimulationResult, dict[str, float]]:
    """Simulate the network in brian2 and return the spikes as our result.

    Parameters
    ----------
    network, duration, dt, I_ext, input_spikes, input_weights
        As in :func:`simulate`.
    target : {"numpy", "cython"}
        brian2 code-generation target (cython compiles on first use).

    Returns
    -------
    result : SimulationResult
        Spikes (states are not recorded).
    timings : dict
        ``build_s`` (code generation and compilation, a zero-length run) and
        ``run_s`` (the simulation itself), wall seconds; ``run_cpu_s``, the
        simulation's CPU time in this process (steadier on a loaded machine).

    Examples
    --------
    >>> res, t = run_brian2(random_network(10, 0.2, random_state=0), 0.1,
    ...                     I_ext=10.0)  # doctest: +SKIP
    """
    check_option(target, "target", BRIAN2_TARGETS)
    b2 = _import_brian2()
    net, namespace = to_brian2(
        network,
        duration,
        dt=dt,
        I_ext=I_ext,
        input_spikes=input_spikes,
        input_weights=input_weights,
    )
    previous = b2.prefs.codegen.target
    b2.prefs.codegen.target = target
    try:
        t0 = time.perf_counter()
        net.run(0 * b2.second, namespace=namespace)
        t1, c1 = time.perf_counter(), time.process_time()
        net.run(duration * b2.second, namespace=namespace)
        t2, c2 = time.perf_counter(), time.process_time()
    finally:
        b2.prefs.codegen.target = previous
    n_steps = int(round(duration / dt))
    monitor = net["spikes"]
    spikes = spikemonitor_to_spiketrains(monitor, t_stop=n_steps * dt)
    times = np.asarray(monitor.t_[:], dtype=float)
    result = SimulationResult(
        spikes=spikes,
        spike_steps=np.round(times / dt).astype(np.intp),
        spike_neurons=np.asarray(monitor.i[:], dtype=np.intp),
        dt=float(dt),
        duration=n_steps * dt,
    )
    return result, {"build_s": t1 - t0, "run_s": t2 - t1, "run_cpu_s": c2 - c1}
