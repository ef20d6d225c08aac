"""Fixed-step simulation of an :class:`IzhikevichNetwork` (numpy or torch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    SpikeTrains,
    ValidationError,
    check_array,
    check_option,
    check_scalar,
)
from ._network import IzhikevichNetwork

__all__ = ["simulate", "SimulationResult", "MAX_DT", "STATE_VARIABLES"]

#: Largest stable step (s): forward Euler on the Izhikevich model diverges or
#: misses spike shapes above 1 ms (Izhikevich 2003 splits 1 ms in two halves).
MAX_DT = 1e-3
STATE_VARIABLES = ("v", "u", "g_e", "g_i")
_MS = 1e-3


@dataclass
class SimulationResult:
    """Spikes and recorded states of one simulation.

    Attributes
    ----------
    spikes : SpikeTrains
        Spike times (s) of every neuron over ``[0, duration)``.
    spike_steps, spike_neurons : ndarray of int
        Flat spike monitor: step index and neuron of each spike, in time order.
    states : dict
        ``name -> (n_recorded, n_samples)`` recorded state (after each step).
    state_times : ndarray
        Time (s) of each recorded sample.
    recorded_neurons : ndarray of int
        The neurons whose states were recorded.
    dt, duration : float
        Step and simulated time (s).
    """

    spikes: SpikeTrains
    spike_steps: np.ndarray
    spike_neurons: np.ndarray
    dt: float
    duration: float
    states: dict[str, np.ndarray] = field(default_factory=dict)
    state_times: np.ndarray = field(default_factory=lambda: np.empty(0))
    recorded_neurons: np.ndarray = field(default_factory=lambda: np.empty(0, int))

    @property
    def n_steps(self) -> int:
        """Number of time steps simulated."""
        return int(round(self.duration / self.dt))

    def spike_matrix(self) -> np.ndarray:
        """Boolean ``(n_steps, n_neurons)`` spike raster at the simulation step."""
        raster = np.zeros((self.n_steps, self.spikes.n_units), dtype=bool)
        raster[self.spike_steps, self.spike_neurons] = True
        return raster

    def filtered(
        self, tau: float = 20e-3, bin_width: float | None = None
    ) -> np.ndarray:
        """Exponentially filtered spike trains ``(n_bins, n_neurons)`` (1/s).

        Spikes are counted in bins of ``bin_width`` (default: the simulation
        step); each adds ``1 / tau`` to its neuron's trace, which decays with
        time constant ``tau`` from bin to bin.

        Examples
        --------
        >>> from neurokit_ai.spiking import random_network, simulate
        >>> res = simulate(random_network(20, 0.1, random_state=0), 0.05,
        ...                I_ext=10.0)
        >>> res.filtered(0.01).shape, res.filtered(0.01, bin_width=0.01).shape
        ((100, 20), (5, 20))
        """
        check_scalar(tau, "tau", min_val=0, include_min=False)
        width = self.dt if bin_width is None else bin_width
        check_scalar(width, "bin_width", min_val=self.dt)
        per_bin = max(int(round(width / self.dt)), 1)
        n_bins = self.n_steps // per_bin
        n = self.spikes.n_units
        keep = self.spike_steps < n_bins * per_bin
        flat = (self.spike_steps[keep] // per_bin) * n + self.spike_neurons[keep]
        counts = np.bincount(flat, minlength=n_bins * n).reshape(n_bins, n) / tau
        from scipy.signal import lfilter

        decay = np.exp(-per_bin * self.dt / tau)
        return lfilter([1.0], [1.0, -decay], counts, axis=0)


def _check_dt(dt: Any, net: IzhikevichNetwork) -> float:
    check_scalar(dt, "dt", min_val=0.0, include_min=False)
    if dt > MAX_DT:
        raise ValidationError(
            f"dt={dt:g} s is too large for the Izhikevich model: forward Euler is "
            f"unstable above {MAX_DT:g} s (1 ms). Use dt=0.5e-3 or smaller."
        )
    tau = min(net.tau_e, net.tau_i)
    if dt >= tau:
        raise ValidationError(
            f"dt={dt:g} s is not smaller than the fastest synaptic time constant "
            f"({tau:g} s); the Euler decay would be unstable. Use dt <= {tau / 10:g}."
        )
    return float(dt)


def _external_current(I_ext: Any, n_steps: int, n: int) -> np.ndarray:
    if I_ext is None:
        return np.zeros((1, n))
    arr = check_array(I_ext, "I_ext", ndim=(0, 1, 2))
    if arr.ndim == 0:
        return np.full((1, n), float(arr))
    if arr.ndim == 1 and arr.size == n:
        return arr.reshape(1, n)
    if arr.ndim == 1 and arr.size == n_steps:
        return np.repeat(arr[:, None], n, axis=1)
    if arr.ndim == 2 and arr.shape == (n_steps, n):
        return arr
    raise ValidationError(
        f"I_ext has shape {arr.shape}; expected a scalar, ({n},) per neuron, "
        f"({n_steps},) per step or ({n_steps}, {n}) per step and neuron."
    )


def _input_events(
    input_spikes: Any, input_weights: Any, n_steps: int, dt: float, n: int
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray] | None:
    if input_spikes is None and input_weights is None:
        return None
    if not isinstance(input_spikes, SpikeTrains):
        raise DTypeError(
            "input_spikes must be a neurokit_ai SpikeTrains, got "
            f"{type(input_spikes).__name__}. Build one with SpikeTrains(...)."
        )
    m = input_spikes.n_units
    w_in = check_array(input_weights, "input_weights", ndim=2)
    if w_in.shape != (m, n):
        raise ValidationError(
            f"input_weights has shape {w_in.shape}; expected (n_inputs={m}, "
            f"n_neurons={n})."
        )
    per_step: list[list[int]] = [[] for _ in range(n_steps)]
    for k, times in enumerate(input_spikes.spike_times):
        for s in np.round(times / dt).astype(int):
            if 0 <= s < n_steps:
                per_step[s].append(k)
    events = [np.array(sorted(set(p)), dtype=np.intp) for p in per_step]
    pre, post = np.nonzero(w_in)
    return events, pre, post, w_in[pre, post]


def _tables(
    pre: np.ndarray,
    post: np.ndarray,
    w: np.ndarray,
    steps: np.ndarray,
    n_pre: int,
    n: int,
    conductance: bool,
    uniform: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Padded per-presynaptic tables: target slot (g_e | g_i | dummy), weight, delay.

    With ``uniform`` delays the delay table is one column holding that delay.
    """
    if pre.size and np.any(pre[1:] < pre[:-1]):
        order = np.argsort(pre, kind="stable")
        pre, post, w, steps = pre[order], post[order], w[order], steps[order]
    counts = np.bincount(pre, minlength=n_pre)
    width = max(int(counts.max()) if counts.size else 0, 1)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    # flat slot of synapse k: row pre[k], column k - start[pre[k]]
    flat = np.arange(pre.size) + (pre * width - start[pre])
    targets = np.full(n_pre * width, 2 * n, dtype=np.intp)
    weights = np.zeros(n_pre * width)
    targets[flat] = post
    targets[flat[w < 0]] += n
    weights[flat] = np.abs(w) if conductance else w
    shape = (n_pre, width)
    if uniform:
        delays = np.full((n_pre, 1), steps[0] if steps.size else 0, dtype=np.intp)
    else:
        delays = np.zeros(n_pre * width, dtype=np.intp)
        delays[flat] = steps
        delays = delays.reshape(shape)
    return targets.reshape(shape), weights.reshape(shape), delays


def simulate(
    network: IzhikevichNetwork,
    duration: float,
    *,
    dt: float = 0.5e-3,
    I_ext: Any = None,
    input_spikes: SpikeTrains | None = None,
    input_weights: Any = None,
    record: tuple[str, ...] = (),
    record_neurons: Any = None,
    backend: str = "numpy",
    verbose: bool = False,
) -> SimulationResult:
    """Integrate the network with forward Euler and event-driven synapses.

    Each step follows brian2's schedule: update all state variables from the
    previous values, detect ``v >= 30``, deliver the spikes whose delay has
    elapsed (adding the weights in synapse order), then reset.

    Parameters
    ----------
    network : IzhikevichNetwork
        The network.
    duration : float
        Simulated time (s).
    dt : float
        Fixed step (s), at most :data:`MAX_DT`.
    I_ext : float or array-like, optional
        External current: scalar, ``(n_neurons,)``, ``(n_steps,)`` or
        ``(n_steps, n_neurons)``; sample ``k`` drives step ``k``.
    input_spikes : SpikeTrains, optional
        Real or simulated spike trains that drive the network (delay 0).
    input_weights : array-like, shape (n_inputs, n_neurons)
        Signed weights of ``input_spikes`` onto the neurons.
    record : tuple of str
        State variables to record, from ``("v", "u", "g_e", "g_i")``.
    record_neurons : array-like of int, optional
        Neurons to record (default: all).
    backend : {"numpy", "torch"}
        Array library of the loop; torch runs float64 on the CPU.
    verbose : bool
        Show a progress bar.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> from neurokit_ai.spiking import IzhikevichNetwork, simulate
    >>> net = IzhikevichNetwork([0.02], [0.2], [-65.0], [8.0], [], [], [])
    >>> res = simulate(net, 0.5, I_ext=10.0)
    >>> int(res.spikes.n_spikes()[0]) > 5
    True
    """
    if not isinstance(network, IzhikevichNetwork):
        raise DTypeError(
            f"network must be an IzhikevichNetwork, got {type(network).__name__}. "
            "Build one with random_network(...) or IzhikevichNetwork(...)."
        )
    check_scalar(duration, "duration", min_val=0.0, include_min=False)
    dt = _check_dt(dt, network)
    check_option(backend, "backend", ["numpy", "torch"])
    n_steps = int(round(duration / dt))
    if n_steps < 1:
        raise ValidationError(f"duration={duration} s is shorter than dt={dt} s.")
    n = network.n_neurons
    current = _external_current(I_ext, n_steps, n)
    inputs = _input_events(input_spikes, input_weights, n_steps, dt, n)
    for name in record:
        check_option(name, "record", STATE_VARIABLES)
    rec_idx = np.arange(n)
    if record_neurons is not None:
        rec_idx = check_array(record_neurons, "record_neurons", ndim=1).astype(np.intp)
        if rec_idx.min() < 0 or rec_idx.max() >= n:
            raise ValidationError(
                f"record_neurons must be in [0, {n - 1}], got "
                f"[{rec_idx.min()}, {rec_idx.max()}]."
            )
    pre, post, w = network.pre, network.post, network.weights
    steps = np.round(network.delays / dt).astype(np.intp)
    n_pre = n
    events = None
    if inputs is not None:
        events, in_pre, in_post, in_w = inputs
        pre = np.concatenate([pre, in_pre + n])
        post = np.concatenate([post, in_post])
        w = np.concatenate([w, in_w])
        steps = np.concatenate([steps, np.zeros(in_pre.size, np.intp)])
        n_pre = n + len(input_spikes.spike_times)
    uniform = bool(steps.size == 0 or np.all(steps == steps[0]))
    conductance = network.synapse == "conductance"
    tables = _tables(pre, post, w, steps, n_pre, n, conductance, uniform)
    loop = _loop_numpy if backend == "numpy" else _loop_torch
    spike_steps, spike_neurons, states = loop(
        network,
        dt,
        n_steps,
        current,
        tables,
        uniform,
        events,
        record,
        rec_idx,
        verbose,
    )
    times = spike_steps * dt
    order = np.argsort(spike_neurons, kind="stable")
    bounds = np.searchsorted(spike_neurons[order], np.arange(n + 1))
    trains = [times[order[bounds[i] : bounds[i + 1]]] for i in range(n)]
    spikes = SpikeTrains(
        trains, t_start=0.0, t_stop=n_steps * dt, source="model:izhikevich"
    )
    return SimulationResult(
        spikes=spikes,
        spike_steps=spike_steps,
        spike_neurons=spike_neurons,
        dt=dt,
        duration=n_steps * dt,
        states=states,
        state_times=(np.arange(n_steps) + 1) * dt if record else np.empty(0),
        recorded_neurons=rec_idx,
    )


def _diverged(step: int, dt: float) -> ValidationError:
    return ValidationError(
        f"The simulation diverged (non-finite membrane potential) near t = "
        f"{step * dt:g} s. Reduce dt, the input current or the weights."
    )


def _steps(n_steps: int, verbose: bool) -> Any:
    if not verbose:
        return range(n_steps)
    from tqdm.auto import tqdm

    return tqdm(range(n_steps), desc="simulate")


def _loop_numpy(
    net: IzhikevichNetwork,
    dt: float,
    n_steps: int,
    current: np.ndarray,
    tables: tuple[np.ndarray, np.ndarray, np.ndarray],
    uniform: bool,
    events: list[np.ndarray] | None,
    record: tuple[str, ...],
    rec_idx: np.ndarray,
    verbose: bool,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    n = net.n_neurons
    targets, weights, delays = tables
    g = np.zeros(2 * n + 1)
    g_both, g_e, g_i = g[: 2 * n], g[:n], g[n : 2 * n]
    decay = np.r_[np.full(n, (-dt) / net.tau_e), np.full(n, (-dt) / net.tau_i)]
    v = net.v_init.copy()
    u = net.b * v
    a, b, c, d = net.a, net.b, net.c, net.d
    dt_ms = dt / _MS
    conductance = net.synapse == "conductance"
    e_exc, e_inh = net.e_exc, net.e_inh
    per_step = current.shape[0] > 1
    max_delay = int(delays.max()) if delays.size else 0
    ring: list[np.ndarray] = [np.empty(0, np.intp)] * (max_delay + 1)
    pending = None if uniform else np.zeros((max_delay + 1, 2 * n + 1))
    states = {k: np.empty((rec_idx.size, n_steps)) for k in record}
    x, tmp, du, g_tmp = np.empty(n), np.empty(n), np.empty(n), np.empty(2 * n)
    above = np.empty(n, dtype=bool)
    out_steps: list[int] = []
    out_neurons: list[np.ndarray] = []
    for s in _steps(n_steps, verbose):
        # forward Euler in brian2's operation order (bitwise-identical results)
        if conductance:
            np.subtract(e_exc, v, out=x)
            x *= g_e
            np.subtract(e_inh, v, out=tmp)
            tmp *= g_i
            x += tmp
        else:
            np.add(g_e, g_i, out=x)
        np.multiply(v, v, out=tmp)
        tmp *= 0.04
        x += tmp
        np.multiply(v, 5.0, out=tmp)
        x += tmp
        x += current[s] if per_step else current[0]
        x += 140.0
        x -= u
        x *= dt_ms
        np.multiply(b, v, out=du)
        du -= u
        du *= a
        du *= dt_ms
        x += v
        v, x = x, v
        u += du
        np.multiply(decay, g_both, out=g_tmp)
        g_both += g_tmp
        np.greater_equal(v, 30.0, out=above)
        fired = above.nonzero()[0]
        slot = s % (max_delay + 1)
        if uniform:
            ring[slot] = fired
            arriving = ring[(s - max_delay) % (max_delay + 1)]
            if arriving.size:
                np.add.at(g, targets[arriving].ravel(), weights[arriving].ravel())
        else:
            if fired.size:
                rows = (s + delays[fired]) % (max_delay + 1)
                np.add.at(pending, (rows, targets[fired]), weights[fired])
            g += pending[slot]
            pending[slot] = 0.0
        if events is not None and events[s].size:
            src = events[s] + n
            np.add.at(g, targets[src].ravel(), weights[src].ravel())
        if fired.size:
            v[fired] = c[fired]
            u[fired] += d[fired]
            out_steps.append(s)
            out_neurons.append(fired)
        if record:
            values = {"v": v, "u": u, "g_e": g_e, "g_i": g_i}
            for k in record:
                states[k][:, s] = values[k][rec_idx]
        if s % 256 == 255 and not np.isfinite(v).all():
            raise _diverged(s, dt)
    if not np.isfinite(v).all():
        raise _diverged(n_steps, dt)
    if not out_steps:
        return np.empty(0, np.intp), np.empty(0, np.intp), states
    counts = [f.size for f in out_neurons]
    return np.repeat(out_steps, counts), np.concatenate(out_neurons), states


def _loop_torch(
    net: IzhikevichNetwork,
    dt: float,
    n_steps: int,
    current: np.ndarray,
    tables: tuple[np.ndarray, np.ndarray, np.ndarray],
    uniform: bool,
    events: list[np.ndarray] | None,
    record: tuple[str, ...],
    rec_idx: np.ndarray,
    verbose: bool,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    import torch

    n = net.n_neurons
    tg, wt, dl = (torch.from_numpy(t) for t in tables)
    g = torch.zeros(2 * n + 1, dtype=torch.float64)
    g_e, g_i = g[:n], g[n : 2 * n]
    v = torch.from_numpy(net.v_init.copy())
    a, b, c, d = (torch.from_numpy(p) for p in (net.a, net.b, net.c, net.d))
    u = b * v
    cur = torch.from_numpy(current)
    lio_e, lio_i, dt_ms = (-dt) / net.tau_e, (-dt) / net.tau_i, dt / _MS
    conductance = net.synapse == "conductance"
    per_step = current.shape[0] > 1
    max_delay = int(dl.max()) if dl.numel() else 0
    ring = [torch.empty(0, dtype=torch.long)] * (max_delay + 1)
    pending = torch.zeros((max_delay + 1, 2 * n + 1), dtype=torch.float64)
    rec = torch.from_numpy(rec_idx)
    states = {k: np.empty((rec_idx.size, n_steps)) for k in record}
    out_steps, out_neurons = [], []
    for s in _steps(n_steps, verbose):
        drive = cur[s] if per_step else cur[0]
        if conductance:
            x = g_e * (net.e_exc - v) + g_i * (net.e_inh - v)
        else:
            x = g_e + g_i
        x = ((((x + 0.04 * (v * v)) + 5.0 * v) + drive) + 140.0 - u) * dt_ms + v
        u = (a * (b * v - u)) * dt_ms + u
        v = x
        g_e += lio_e * g_e
        g_i += lio_i * g_i
        fired = torch.nonzero(v >= 30.0).flatten()
        slot = s % (max_delay + 1)
        if uniform:
            ring[slot] = fired
            arriving = ring[(s - max_delay) % (max_delay + 1)]
            if arriving.numel():
                g.index_add_(0, tg[arriving].flatten(), wt[arriving].flatten())
        else:
            if fired.numel():
                rows = (s + dl[fired]) % (max_delay + 1)
                flat = (rows * (2 * n + 1) + tg[fired]).flatten()
                pending.view(-1).index_add_(0, flat, wt[fired].flatten())
            g += pending[slot]
            pending[slot] = 0.0
        if events is not None and events[s].size:
            src = torch.from_numpy(events[s] + n)
            g.index_add_(0, tg[src].flatten(), wt[src].flatten())
        if fired.numel():
            v[fired] = c[fired]
            u[fired] += d[fired]
            out_steps.append(np.full(fired.numel(), s))
            out_neurons.append(fired.numpy())
        if record:
            values = {"v": v, "u": u, "g_e": g_e, "g_i": g_i}
            for k in record:
                states[k][:, s] = values[k][rec].numpy()
        if s % 256 == 255 and not bool(torch.isfinite(v).all()):
            raise _diverged(s, dt)
    if not bool(torch.isfinite(v).all()):
        raise _diverged(n_steps, dt)
    if out_steps:
        return np.concatenate(out_steps), np.concatenate(out_neurons), states
    return np.empty(0, np.intp), np.empty(0, np.intp), states
