"""An Izhikevich network: neuron parameters, sparse synapses, synapse model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core import (
    ValidationError,
    check_array,
    check_option,
    check_random_state,
    check_scalar,
)
from ._neurons import neuron_parameters

__all__ = ["IzhikevichNetwork", "random_network", "SYNAPSE_MODELS"]

SYNAPSE_MODELS = ("current", "conductance")


class IzhikevichNetwork:
    """Izhikevich neurons coupled by sparse, delayed, exponential synapses.

    ``dv/dt = (0.04 v² + 5 v + 140 - u + I_ext + I_syn) / ms``,
    ``du/dt = a (b v - u) / ms``; when ``v >= 30``: ``v <- c, u <- u + d``.
    Synapses are event-driven: a spike of neuron ``pre`` adds ``w`` to the
    excitatory (``w > 0``) or inhibitory (``w < 0``) variable ``g_e``/``g_i``
    of ``post`` after its delay; both decay exponentially (``tau_e``,
    ``tau_i``). ``synapse="current"``: ``I_syn = g_e + g_i`` (``g_i <= 0``);
    ``"conductance"``: ``I_syn = g_e (e_exc - v) + g_i (e_inh - v)`` with
    ``g_i = |w|`` accumulated. Voltages and currents are in Izhikevich's native
    units (mV, ``a`` in 1/ms); times (delays, time constants) are in seconds.

    Parameters
    ----------
    a, b, c, d : array-like, shape (n_neurons,)
        Izhikevich parameters per neuron.
    pre, post : array-like of int, shape (n_synapses,)
        Presynaptic and postsynaptic neuron of each synapse.
    weights : array-like, shape (n_synapses,)
        Signed weights (excitatory > 0, inhibitory < 0).
    delays : float or array-like, shape (n_synapses,)
        Transmission delays in seconds (>= 0); rounded to the time step.
    excitatory : array-like of bool, shape (n_neurons,), optional
        Neuron signs, needed for ``dale=True``.
    dale : bool
        Check Dale's law: every outgoing weight of an excitatory neuron is
        >= 0 and of an inhibitory neuron <= 0.
    synapse : {"current", "conductance"}
    tau_e, tau_i : float
        Synaptic decay time constants (s).
    e_exc, e_inh : float
        Reversal potentials (mV) of the conductance model.
    v_init : float or array-like
        Initial membrane potential (mV); ``u`` starts at ``b * v_init``.
    neuron_types : array-like of str, optional
        Class name of each neuron (for plots and reports).

    Examples
    --------
    >>> net = IzhikevichNetwork([0.02, 0.1], [0.2, 0.2], [-65, -65], [8, 2],
    ...                         pre=[0, 1], post=[1, 0], weights=[2.0, -1.0],
    ...                         excitatory=[True, False], dale=True)
    >>> net.n_neurons, net.n_synapses
    (2, 2)
    """

    def __init__(
        self,
        a: Any,
        b: Any,
        c: Any,
        d: Any,
        pre: Any,
        post: Any,
        weights: Any,
        delays: Any = 0.0,
        *,
        excitatory: Any = None,
        dale: bool = False,
        synapse: str = "current",
        tau_e: float = 5e-3,
        tau_i: float = 10e-3,
        e_exc: float = 0.0,
        e_inh: float = -80.0,
        v_init: Any = -65.0,
        neuron_types: Any = None,
    ) -> None:
        self.a = check_array(a, "a", ndim=1, copy=True)
        n = self.a.size
        self.b = check_array(b, "b", ndim=1, shape=(n,), copy=True)
        self.c = check_array(c, "c", ndim=1, shape=(n,), copy=True)
        self.d = check_array(d, "d", ndim=1, shape=(n,), copy=True)
        self.synapse = check_option(synapse, "synapse", SYNAPSE_MODELS)
        self.tau_e = float(check_scalar(tau_e, "tau_e", min_val=0, include_min=False))
        self.tau_i = float(check_scalar(tau_i, "tau_i", min_val=0, include_min=False))
        self.e_exc = float(check_scalar(e_exc, "e_exc"))
        self.e_inh = float(check_scalar(e_inh, "e_inh"))
        v0 = check_array(v_init, "v_init", ndim=(0, 1))
        if v0.size not in (1, n):
            raise ValidationError(
                f"v_init must be a scalar or have one value per neuron ({n}), got "
                f"shape {v0.shape}."
            )
        self.v_init = np.broadcast_to(v0.reshape(-1), (n,)).astype(float)
        self.pre, self.post, self.weights, self.delays = _check_synapses(
            pre, post, weights, delays, n
        )
        self.excitatory = None
        if excitatory is not None:
            self.excitatory = check_array(
                excitatory, "excitatory", dtype=None, ndim=1, shape=(n,)
            ).astype(bool)
        if dale:
            self.check_dale()
        self.neuron_types = None if neuron_types is None else np.asarray(neuron_types)

    @property
    def n_neurons(self) -> int:
        """Number of neurons."""
        return int(self.a.size)

    @property
    def n_synapses(self) -> int:
        """Number of synapses."""
        return int(self.pre.size)

    def check_dale(self) -> None:
        """Raise if a neuron has outgoing weights of the wrong sign (Dale's law).

        Examples
        --------
        >>> net = random_network(20, 0.2, random_state=0)
        >>> net.check_dale()
        """
        if self.excitatory is None:
            raise ValidationError(
                "Dale's law needs the neuron signs; pass excitatory=<bool per neuron>."
            )
        exc_pre = self.excitatory[self.pre]
        bad = (exc_pre & (self.weights < 0)) | (~exc_pre & (self.weights > 0))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            kind = "excitatory" if exc_pre[k] else "inhibitory"
            raise ValidationError(
                f"Dale's law violated by {int(bad.sum())} synapse(s); the first is "
                f"{self.pre[k]}->{self.post[k]} with weight {self.weights[k]:g} from "
                f"an {kind} neuron. Flip those signs or pass dale=False."
            )

    def weight_matrix(self) -> np.ndarray:
        """Dense ``(n_pre, n_post)`` weights (summing duplicate synapses).

        Examples
        --------
        >>> random_network(5, 0.5, random_state=0).weight_matrix().shape
        (5, 5)
        """
        w = np.zeros((self.n_neurons, self.n_neurons))
        np.add.at(w, (self.pre, self.post), self.weights)
        return w

    def __repr__(self) -> str:
        return (
            f"<IzhikevichNetwork | {self.n_neurons} neurons, {self.n_synapses} "
            f"synapses, {self.synapse}-based>"
        )


def _vector(x: Any, name: str) -> np.ndarray:
    """A 1-D float array, possibly empty (a network may have no synapse)."""
    if np.size(x) == 0 and np.ndim(x) <= 1:
        return np.empty(0)
    return check_array(x, name, ndim=1, copy=True)


def _check_synapses(
    pre: Any, post: Any, weights: Any, delays: Any, n: int
) -> tuple[np.ndarray, ...]:
    pre_f = _vector(pre, "pre")
    post_f = _vector(post, "post")
    w = _vector(weights, "weights")
    if not (pre_f.size == post_f.size == w.size):
        raise ValidationError(
            f"pre ({pre_f.size}), post ({post_f.size}) and weights ({w.size}) must "
            "have one entry per synapse; make them the same length."
        )
    for name, idx in (("pre", pre_f), ("post", post_f)):
        if idx.size and (
            np.any(idx != np.round(idx)) or idx.min() < 0 or idx.max() >= n
        ):
            raise ValidationError(
                f"{name} must hold integer neuron indices in [0, {n - 1}], got "
                f"values in [{idx.min():g}, {idx.max():g}]."
            )
    dl = delays if np.ndim(delays) == 0 else _vector(delays, "delays")
    dl = check_array(dl, "delays", ndim=(0, 1)) if np.size(dl) else np.empty(0)
    if dl.ndim == 1 and dl.size != w.size:
        raise ValidationError(
            f"delays has {dl.size} entries for {w.size} synapses; give one delay "
            "per synapse or a single value."
        )
    if dl.size and dl.min() < 0:
        raise ValidationError(
            f"delays must be >= 0 s, got a minimum of {dl.min():g} s. Causal "
            "transmission needs non-negative delays."
        )
    dl = np.broadcast_to(dl, w.shape).astype(float)
    return pre_f.astype(np.intp), post_f.astype(np.intp), w, dl


def random_network(
    n_neurons: int = 1000,
    p_connect: float = 0.1,
    *,
    types: Mapping[str, int] | str = "izhikevich2003",
    w_exc: float = 1.0,
    w_inh: float = -2.0,
    delay: float | tuple[float, float] = 1e-3,
    synapse: str = "current",
    tau_e: float = 5e-3,
    tau_i: float = 10e-3,
    heterogeneity: float = 0.0,
    random_state: Any = None,
) -> IzhikevichNetwork:
    """A random sparse network obeying Dale's law.

    Each ordered pair (no self-connections) is connected with probability
    ``p_connect``; weights are uniform in ``[0, w_exc]`` from excitatory and in
    ``[w_inh, 0]`` from inhibitory neurons.

    Parameters
    ----------
    n_neurons : int
        Network size (ignored when ``types`` is a dict: the counts decide).
    p_connect : float
        Connection probability.
    types : dict or "izhikevich2003"
        Neuron classes, see :func:`neuron_parameters`.
    w_exc, w_inh : float
        Largest excitatory (> 0) and inhibitory (< 0) weight.
    delay : float or (float, float)
        One delay for all synapses, or a uniform range (s).
    synapse, tau_e, tau_i
        See :class:`IzhikevichNetwork`.
    heterogeneity : float
        Parameter jitter of named classes, see :func:`neuron_parameters`.
    random_state : None, int or Generator
        Seed.

    Returns
    -------
    IzhikevichNetwork

    Examples
    --------
    >>> net = random_network(100, 0.1, random_state=0)
    >>> net.n_neurons, 800 < net.n_synapses < 1200
    (100, True)
    """
    rng = check_random_state(random_state)
    check_scalar(p_connect, "p_connect", min_val=0.0, max_val=1.0)
    check_scalar(w_exc, "w_exc", min_val=0.0)
    check_scalar(w_inh, "w_inh", max_val=0.0)
    params = neuron_parameters(
        types, n_neurons=n_neurons, heterogeneity=heterogeneity, random_state=rng
    )
    n = params["a"].size
    pre_list, post_list = [], []
    for i in range(n):
        targets = np.flatnonzero(rng.random(n) < p_connect)
        targets = targets[targets != i]
        pre_list.append(np.full(targets.size, i))
        post_list.append(targets)
    pre = np.concatenate(pre_list)
    post = np.concatenate(post_list)
    exc = params["excitatory"][pre]
    weights = rng.random(pre.size) * np.where(exc, w_exc, w_inh)
    if isinstance(delay, tuple):
        if len(delay) != 2 or not 0 <= delay[0] <= delay[1]:
            raise ValidationError(
                f"delay range must be (low, high) with 0 <= low <= high, got {delay}."
            )
        delays: Any = rng.uniform(delay[0], delay[1], pre.size)
    else:
        delays = check_scalar(delay, "delay", min_val=0.0)
    return IzhikevichNetwork(
        params["a"],
        params["b"],
        params["c"],
        params["d"],
        pre,
        post,
        weights,
        delays,
        excitatory=params["excitatory"],
        dale=True,
        synapse=synapse,
        tau_e=tau_e,
        tau_i=tau_i,
        neuron_types=params["types"],
    )
