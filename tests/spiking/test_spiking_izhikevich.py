"""Izhikevich network: single-neuron signatures, synapses, delays, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, SpikeTrains, ValidationError
from neurokit_ai.spiking import (
    IzhikevichNetwork,
    neuron_parameters,
    random_network,
    simulate,
)


def _single(kind: str, current: float = 10.0, duration: float = 0.5) -> np.ndarray:
    p = neuron_parameters({kind: 1})
    net = IzhikevichNetwork(p["a"], p["b"], p["c"], p["d"], [], [], [], v_init=-70)
    res = simulate(net, duration, dt=0.25e-3, I_ext=current)
    return np.diff(res.spikes.spike_times[0]) * 1e3  # ISIs in ms


def test_regular_spiking_is_tonic_with_adaptation():
    isi = _single("RS")
    assert isi.size >= 8
    assert isi[0] < 0.7 * isi[-1]  # spike-frequency adaptation
    steady = isi[2:]
    assert steady.std() / steady.mean() < 0.02  # tonic
    assert isi.min() > 10.0  # no bursts


def test_intrinsic_bursting_starts_with_a_burst_then_tonic():
    isi = _single("IB")
    assert np.all(isi[:2] < 6.0)  # initial burst
    assert np.all(isi[3:] > 20.0)  # then single spikes
    assert isi[3:].std() / isi[3:].mean() < 0.05


def test_chattering_fires_repeated_bursts():
    isi = _single("CH")
    long = isi > 20.0
    assert long.sum() >= 4  # several inter-burst gaps
    assert (~long).sum() >= 3 * long.sum()  # >= 3 short ISIs per gap
    assert np.all(isi[np.flatnonzero(long[:-1]) + 1] < 6.0)  # burst after gap


def test_fast_spiking_is_fast_without_adaptation_into_bursts():
    fs, rs = _single("FS"), _single("RS")
    assert 1e3 / fs[5:].mean() > 4 * 1e3 / rs[5:].mean()
    assert fs.min() > 4.0
    assert fs[5:].std() / fs[5:].mean() < 0.05


def test_quiet_below_rheobase_and_rate_grows_with_current():
    assert _single("RS", current=2.0).size == 0  # no spike at all (0 or 1 spike)
    assert _single("RS", 15.0).mean() < _single("RS", 6.0).mean()


def test_delayed_synapse_hand_checked():
    # neuron 0 is driven, neuron 1 gets only its synapse: a 3 ms delay means
    # g_e of neuron 1 jumps exactly 6 steps (dt = 0.5 ms) after each spike of 0.
    p = neuron_parameters({"RS": 2})
    net = IzhikevichNetwork(
        p["a"], p["b"], p["c"], p["d"], [0], [1], [2.0], 3e-3, tau_e=5e-3
    )
    current = np.zeros((400, 2))
    current[:, 0] = 10.0
    res = simulate(net, 0.2, I_ext=current, record=("g_e",), record_neurons=[1])
    g = res.states["g_e"][0]
    first = res.spikes.spike_times[0][0]
    k = int(round(first / 0.5e-3))
    assert g[k + 5] == 0.0
    assert g[k + 6] == pytest.approx(2.0)
    assert g[k + 7] == pytest.approx(2.0 * (1 - 0.5e-3 / 5e-3))


def test_synapse_sign_sets_the_effect_in_both_synapse_models():
    p = neuron_parameters({"RS": 2})
    current = np.c_[np.full(2000, 12.0), np.full(2000, 6.0)]
    for synapse, w in (("current", 20.0), ("conductance", 1.0)):
        counts = []
        for weights in ([], [-w], [w]):
            net = IzhikevichNetwork(
                p["a"],
                p["b"],
                p["c"],
                p["d"],
                [0] * len(weights),
                [1] * len(weights),
                weights,
                synapse=synapse,
            )
            counts.append(simulate(net, 1.0, I_ext=current).spikes.n_spikes()[1])
        free, inhibited, excited = counts
        assert inhibited < free < excited, (synapse, counts)


def test_input_spike_trains_drive_their_targets():
    p = neuron_parameters({"RS": 2})
    net = IzhikevichNetwork(p["a"], p["b"], p["c"], p["d"], [], [], [])
    times = np.arange(0.01, 0.5, 0.02)
    spikes = SpikeTrains([times], t_start=0.0, t_stop=0.5)
    res = simulate(net, 0.5, input_spikes=spikes, input_weights=[[30.0, 0.0]])
    assert res.spikes.n_spikes()[0] >= 10
    assert res.spikes.n_spikes()[1] == 0


def test_torch_backend_matches_numpy_bitwise():
    net = random_network(80, 0.1, delay=(0.5e-3, 5e-3), random_state=2)
    current = 5 * np.random.default_rng(0).standard_normal((400, 80)) + 4
    a = simulate(net, 0.2, I_ext=current)
    b = simulate(net, 0.2, I_ext=current, backend="torch")
    assert a.spike_steps.size > 50
    assert np.array_equal(a.spike_steps, b.spike_steps)
    assert np.array_equal(a.spike_neurons, b.spike_neurons)


def test_random_network_obeys_dale_and_density():
    net = random_network(200, 0.1, random_state=0)
    assert abs(net.n_synapses / (200 * 199) - 0.1) < 0.01
    assert not np.any(net.pre == net.post)
    exc = net.excitatory[net.pre]
    assert np.all(net.weights[exc] >= 0) and np.all(net.weights[~exc] <= 0)
    same = random_network(200, 0.1, random_state=0)
    assert np.array_equal(net.weights, same.weights)


def test_filtered_traces_integrate_to_spike_counts():
    res = simulate(random_network(30, 0.1, random_state=0), 0.5, I_ext=8.0)
    tau = 5e-3
    traces = res.filtered(tau)
    # each spike contributes 1/tau * sum(decay^k) * dt ~= 1 in total
    total = traces.sum(0) * res.dt
    counts = res.spikes.n_spikes()
    assert np.allclose(total, counts, atol=0.2 + 0.06 * counts)


# --- bad input -------------------------------------------------------------


def _tiny(**kwargs):
    p = neuron_parameters({"RS": 2})
    args = dict(pre=[0], post=[1], weights=[1.0])
    args.update(kwargs)
    return IzhikevichNetwork(p["a"], p["b"], p["c"], p["d"], **args)


def test_unstable_dt_is_refused():
    with pytest.raises(ValidationError, match="dt=0.002 s is too large"):
        simulate(_tiny(), 0.1, dt=2e-3)
    with pytest.raises(ValidationError, match="synaptic time constant"):
        simulate(_tiny(tau_e=0.4e-3), 0.1, dt=0.5e-3)


def test_negative_delays_are_refused():
    with pytest.raises(ValidationError, match="delays must be >= 0"):
        _tiny(delays=[-1e-3])


def test_mismatched_connectivity_is_refused():
    with pytest.raises(ValidationError, match="one entry per synapse"):
        _tiny(weights=[1.0, 2.0])
    with pytest.raises(ValidationError, match=r"post must hold integer"):
        _tiny(post=[5])
    with pytest.raises(ValidationError, match="delays has 2 entries"):
        _tiny(delays=[0.0, 1e-3])
    p = neuron_parameters({"RS": 2})
    with pytest.raises(ValidationError, match="b must have shape"):
        IzhikevichNetwork(p["a"], p["b"][:1], p["c"], p["d"], [], [], [])


def test_nan_inputs_are_refused():
    current = np.full((200, 2), 5.0)
    current[10, 1] = np.nan
    with pytest.raises(ValidationError, match="I_ext holds 1 non-finite"):
        simulate(_tiny(), 0.1, I_ext=current)
    with pytest.raises(ValidationError, match="I_ext has shape"):
        simulate(_tiny(), 0.1, I_ext=np.ones((3, 3)))
    with pytest.raises(ValidationError, match="weights holds 1 non-finite"):
        _tiny(weights=[np.nan])


def test_dale_violations_on_request():
    exc = [True, False]
    _tiny(weights=[1.0], excitatory=exc)  # no check requested: accepted
    with pytest.raises(ValidationError, match="Dale's law violated"):
        _tiny(pre=[1], weights=[1.0], excitatory=exc, dale=True)
    with pytest.raises(ValidationError, match="needs the neuron signs"):
        _tiny(dale=True)


def test_other_bad_arguments():
    with pytest.raises(DTypeError, match="IzhikevichNetwork"):
        simulate("net", 0.1)
    with pytest.raises(ValidationError, match="record must be one of"):
        simulate(_tiny(), 0.1, record=("w",))
    with pytest.raises(ValidationError, match="input_weights has shape"):
        simulate(
            _tiny(), 0.1, input_spikes=SpikeTrains([[0.01]]), input_weights=[[1.0]]
        )
    with pytest.raises(ValidationError, match="neuron class must be one of"):
        neuron_parameters({"XX": 3})
    with pytest.raises(ValidationError, match="Did you mean 'conductance'"):
        _tiny(synapse="conductanse")
