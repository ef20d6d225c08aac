"""Agreement with brian2 on the same network and deterministic input."""

from __future__ import annotations

import os

import numpy as np
import pytest

from neurokit_ai.core import SpikeTrains
from neurokit_ai.spiking import random_network, run_brian2, simulate


def _brian2():
    try:
        import brian2
    except (ImportError, AttributeError) as err:
        msg = (
            f"brian2 is not importable ({err}); install the test extra, which pins "
            "numpy<2.4 for brian2 2.9"
        )
        if os.environ.get("NEUROKIT_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return brian2


def _matched_fraction(ours, theirs) -> float:
    """Fraction of spikes with a partner in the same neuron within one step."""
    matched = total = 0
    for i in range(ours.spikes.n_units):
        a = ours.spike_steps[ours.spike_neurons == i]
        b = theirs.spike_steps[theirs.spike_neurons == i]
        total += max(a.size, b.size)
        if a.size and b.size:
            near = np.abs(a[:, None] - b[None, :]).min(axis=1) <= 1
            matched += min(int(near.sum()), b.size)
    return matched / max(total, 1)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("synapse", "delay", "w_exc"),
    [("current", 1e-3, 0.5), ("conductance", (0.5e-3, 5e-3), 0.05)],
)
def test_spike_times_match_brian2_1000_neurons(synapse, delay, w_exc):
    _brian2()
    n, dt, duration = 1000, 0.5e-3, 1.0
    net = random_network(
        n,
        0.1,
        w_exc=w_exc,
        w_inh=-2 * w_exc,
        delay=delay,
        synapse=synapse,
        random_state=1,
    )
    current = 5.0 * np.random.default_rng(0).standard_normal((2000, n)) + 3.0
    ours = simulate(net, duration, dt=dt, I_ext=current)
    theirs, timings = run_brian2(net, duration, dt=dt, I_ext=current, target="numpy")
    assert ours.spike_steps.size > 5 * n  # a busy network (> 5 Hz), not silence
    assert _matched_fraction(ours, theirs) >= 0.99
    assert set(timings) == {"build_s", "run_s", "run_cpu_s"}
    assert timings["run_s"] > 0 and timings["run_cpu_s"] > 0


def test_brian2_spikes_come_back_as_spiketrains_with_input_spikes():
    _brian2()
    net = random_network(20, 0.2, random_state=3)
    rng = np.random.default_rng(1)
    drive = SpikeTrains(
        [np.sort(rng.uniform(0, 0.3, 30)) for _ in range(4)],
        t_start=0.0,
        t_stop=0.3,
    )
    w_in = rng.uniform(0, 20.0, (4, 20))
    ours = simulate(net, 0.3, input_spikes=drive, input_weights=w_in, I_ext=4.0)
    theirs, _ = run_brian2(net, 0.3, input_spikes=drive, input_weights=w_in, I_ext=4.0)
    assert isinstance(theirs.spikes, SpikeTrains)
    assert theirs.spikes.n_units == 20
    assert ours.spike_steps.size > 20
    assert _matched_fraction(ours, theirs) >= 0.99
