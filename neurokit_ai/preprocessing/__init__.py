"""Preprocessing: filtering, resampling, epoching, spike binning and ΔF/F.

Thin layers over MNE and scipy that take and return :mod:`neurokit_ai.core`
objects and never modify their input.

Examples
--------
>>> from neurokit_ai.datasets import load_sample
>>> from neurokit_ai.preprocessing import epochs_to_responses, filter_recording
>>> rec = filter_recording(load_sample("eeg"), 1.0, 40.0)
>>> epochs_to_responses(rec, tmin=-0.1, tmax=0.4, average=True).n_conditions
2
"""

from ._calcium import delta_f_over_f, neuropil_correct, running_percentile
from ._deconvolve import deconvolve_ar1, estimate_ar1, oasis_ar1
from ._epochs import epochs_to_responses
from ._events import find_events
from ._filter import filter_recording, notch_filter
from ._glm import glm_responses
from ._resample import resample
from ._spikes import bin_spikes

__all__ = [
    "deconvolve_ar1",
    "estimate_ar1",
    "oasis_ar1",
    "bin_spikes",
    "delta_f_over_f",
    "epochs_to_responses",
    "filter_recording",
    "find_events",
    "glm_responses",
    "neuropil_correct",
    "notch_filter",
    "resample",
    "running_percentile",
]
