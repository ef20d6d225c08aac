"""Sample data: deterministic, offline simulators for every modality.

Each simulator takes a ``random_state`` and returns a
:class:`~neurokit_ai.core.Recording` (or :class:`~neurokit_ai.core.SpikeTrains`)
with planted ground truth in ``channel_info``/``metadata``;
:func:`load_sample` returns the default simulation of each modality.

Examples
--------
>>> from neurokit_ai.datasets import list_samples, load_sample
>>> list_samples()
['calcium', 'eeg', 'fmri', 'reaching', 'seeg']
>>> load_sample("eeg").ch_types[0]
'eeg'
"""

from ._calcium import calcium_kernel, simulate_calcium
from ._connectome import simulate_switching_communities
from ._eeg import simulate_eeg
from ._fmri import double_gamma_hrf, simulate_fmri_block
from ._lfr import WeightedLFRGraph, weighted_lfr_graph
from ._reaching import minimum_jerk, simulate_reaching_m1
from ._retina import RETINA_TYPES, RetinaSimulation, simulate_retina
from ._samples import SAMPLES, data_checksum, list_samples, load_sample
from ._seeg import SPEECH_REGIONS, simulate_seeg
from ._speech import DIFFICULTIES, WordReadingSessions, simulate_word_reading
from ._spiketrains import simulate_spike_trains

__all__ = [
    "RETINA_TYPES",
    "RetinaSimulation",
    "simulate_retina",
    "simulate_switching_communities",
    "SAMPLES",
    "SPEECH_REGIONS",
    "calcium_kernel",
    "data_checksum",
    "double_gamma_hrf",
    "list_samples",
    "load_sample",
    "minimum_jerk",
    "simulate_calcium",
    "simulate_eeg",
    "simulate_fmri_block",
    "simulate_reaching_m1",
    "simulate_seeg",
    "simulate_spike_trains",
    "DIFFICULTIES",
    "WordReadingSessions",
    "simulate_word_reading",
    "WeightedLFRGraph",
    "weighted_lfr_graph",
]
