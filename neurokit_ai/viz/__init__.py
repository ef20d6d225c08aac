"""Plots of recordings, spectra, responses, rasters and positions; the HTML summary.

matplotlib is imported only when a plot is drawn. Every plot returns a
``matplotlib.figure.Figure`` that is not registered with pyplot (nothing is
shown; safe under the Agg backend).

Examples
--------
>>> import numpy as np
>>> from neurokit_ai import Recording
>>> from neurokit_ai.viz import plot_recording
>>> rec = Recording(np.zeros((2, 100)), 100.0, ["a", "b"], "eeg")
>>> fig = plot_recording(rec)
"""

import importlib

from ._files import save_figure
from ._html import write_html_summary
from ._positions import plot_positions
from ._responses import plot_responses
from ._spectra import plot_psd, welch_psd
from ._spikes import plot_raster
from ._traces import plot_recording

_LAZY = {
    "DEMO_STAGES": "._demo",
    "DemoStage": "._demo",
    "run_demo": "._demo",
    "plot_rdm": "._rsa",
    "plot_mds": "._rsa",
    "mds_embedding": "._rsa",
    "plot_model_comparison": "._rsa",
    "plot_decoded_trajectories": "._decoding",
    "plot_latency_histogram": "._decoding",
    "plot_cursor_paths": "._decoding",
    "plot_factor_loadings": "._connectome",
    "plot_community_graphs": "._connectome",
    "plot_motif_time_courses": "._connectome",
    "plot_patching": "._ann",
    "plot_attribution": "._ann",
    "patching_matrix": "._ann",
    "plot_concept_gallery": "._ann",
    "plot_insertion_deletion": "._ann",
    "plot_steering": "._ann",
    "plot_patching_agreement": "._ann",
    "plot_discriminative_stimuli": "._celltypes",
    "plot_cluster_responses": "._celltypes",
    "space_time_components": "._celltypes",
    "plot_spike_raster": "._spiking",
    "plot_population_rate": "._spiking",
    "plot_readout_vs_target": "._spiking",
    "plot_weight_subspace_angles": "._spiking",
    "plot_delay_kernels": "._spiking",
    "plot_pruning_curve": "._spiking",
    "plot_cleaning": "._artifacts",
    "plot_cleaning_spectra": "._artifacts",
    "plot_metrics_by_snr": "._artifacts",
    "plot_codebook_usage": "._speech",
    "plot_confusion_matrix": "._speech",
    "plot_accuracy_vs_baselines": "._speech",
    "Report": "._report",
    "build_recording_report": "._report",
    "build_study_report": "._report",
}

__all__ = [
    "plot_positions",
    "plot_psd",
    "plot_raster",
    "plot_recording",
    "plot_responses",
    "save_figure",
    "welch_psd",
    "write_html_summary",
    *_LAZY,
]


def __getattr__(name: str):
    """Load the demo (which pulls in datasets and preprocessing) only when asked."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
