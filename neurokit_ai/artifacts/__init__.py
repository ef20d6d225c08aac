"""Muscle-artifact removal: AT-AT, its baselines, benchmark data and metrics.

AT-AT (Choi 2025) lets a light autoencoder decide where a small transformer
cleans a segment, trained with an adversarial term so that the output keeps
the statistics of clean EEG. :class:`ArtifactRemover` applies it (or a
baseline) to whole multichannel recordings with the shipped weights.

Everything is imported lazily, so ``import neurokit_ai.artifacts`` is cheap;
torch, MNE and scipy load only when used.

Examples
--------
>>> from neurokit_ai.artifacts import snr_scale
>>> snr_scale([1.0, -1.0], [1.0, -1.0], 0.0)
array([1.])
"""

import importlib

_LAZY = {
    "MODEL_SFREQ": "._constants",
    "SEGMENT_SAMPLES": "._constants",
    "EEG_BAND": "._constants",
    "SNR_LEVELS_DB": "._constants",
    "correlation_coefficient": "._metrics",
    "rrmse_temporal": "._metrics",
    "rrmse_spectral": "._metrics",
    "denoising_metrics": "._metrics",
    "metrics_by_snr": "._metrics",
    "snr_scale": "._mixing",
    "mix_at_snr": "._mixing",
    "simulate_emg": "._emg",
    "emg_segments": "._emg",
    "clean_eeg_segments": "._data",
    "BenchmarkSplit": "._data",
    "make_benchmark": "._data",
    "BENCHMARK_RECORDINGS": "._data",
    "load_benchmark_segments": "._data",
    "read_eegdenoisenet": "._data",
    "ConvAutoencoder": "._nets",
    "ATATNet": "._nets",
    "Discriminator": "._nets",
    "CNNDenoiser": "._nets",
    "TransformerDenoiser": "._nets",
    "count_parameters": "._nets",
    "build_network": "._nets",
    "MixtureBatches": "._train",
    "train_denoiser": "._train",
    "save_weights": "._weights",
    "load_weights": "._weights",
    "shipped_weights_path": "._weights",
    "ArtifactRemover": "._remover",
    "denoise_segments": "._remover",
    "filter_denoise": "._baselines",
    "spectral_slope": "._baselines",
    "ica_denoise": "._baselines",
    "contaminate_recording": "._evaluate",
    "score_recording": "._evaluate",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    """Import the module defining ``name`` on first use."""
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
