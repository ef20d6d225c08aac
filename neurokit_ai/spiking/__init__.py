"""Spiking models: Izhikevich reservoirs, plastic readouts, delay layers, brian2.

:class:`IzhikevichNetwork` (built by hand or by :func:`random_network`) is
simulated by :func:`simulate` with a fixed step and event-driven, delayed
synapses; :func:`run_brian2` runs the same network in brian2.
:class:`HeterogeneousDelayLayer` learns per-synapse weights and delays over an
event stream (:class:`EventStream`, simulated by :func:`moving_bar_events` and
:func:`make_motion_dataset`) to detect motion direction; :func:`pruning_curve`
measures its accuracy as synapses are removed.

Examples
--------
>>> from neurokit_ai.spiking import random_network, simulate
>>> net = random_network(50, 0.1, random_state=0)
>>> res = simulate(net, 0.2, I_ext=8.0)
>>> res.spikes.n_units
50
"""

from ._brian2 import (
    BRIAN2_TARGETS,
    brian2_equations,
    run_brian2,
    spikemonitor_to_spiketrains,
    to_brian2,
)
from ._events import EventStream, make_motion_dataset, moving_bar_events
from ._network import SYNAPSE_MODELS, IzhikevichNetwork, random_network
from ._neurons import NEURON_TYPES, neuron_parameters
from ._paradigm import (
    PredictionTask,
    adaptation_trials,
    encoding_metrics,
    make_prediction_task,
)
from ._simulate import MAX_DT, STATE_VARIABLES, SimulationResult, simulate

_LAZY = {
    "RidgeReadout": "._readouts",
    "FORCEReadout": "._readouts",
    "ThreeFactorReadout": "._readouts",
    "HeterogeneousDelayLayer": "._delays",
    "PRUNING_STRATEGIES": "._delays",
    "cone_mask": "._delays",
    "pruning_curve": "._delays",
}

__all__ = [
    "BRIAN2_TARGETS",
    "EventStream",
    "FORCEReadout",
    "HeterogeneousDelayLayer",
    "PRUNING_STRATEGIES",
    "PredictionTask",
    "RidgeReadout",
    "ThreeFactorReadout",
    "adaptation_trials",
    "encoding_metrics",
    "make_prediction_task",
    "IzhikevichNetwork",
    "MAX_DT",
    "NEURON_TYPES",
    "STATE_VARIABLES",
    "SYNAPSE_MODELS",
    "SimulationResult",
    "brian2_equations",
    "cone_mask",
    "make_motion_dataset",
    "moving_bar_events",
    "neuron_parameters",
    "pruning_curve",
    "random_network",
    "run_brian2",
    "simulate",
    "spikemonitor_to_spiketrains",
    "to_brian2",
]


def __getattr__(name: str):
    """Import the scikit-learn-based readouts and delay layer only when used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
