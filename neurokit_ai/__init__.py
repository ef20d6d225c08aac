"""neurokit_ai: lab recordings and neural-network activations in one set of objects.

Submodules are imported lazily, so ``import neurokit_ai`` is cheap; MNE,
nibabel and torch load only when a function that needs them runs.

Examples
--------
>>> import neurokit_ai as nk
>>> rec = nk.datasets.load_sample("eeg")  # doctest: +SKIP
"""

import importlib

from .core import NeurokitError, Recording, Responses, SpikeTrains

__version__ = "0.1.0"

_SUBMODULES = (
    "core",
    "io",
    "datasets",
    "preprocessing",
    "artifacts",
    "speech",
    "rsa",
    "ann",
    "decoding",
    "spiking",
    "connectome",
    "celltypes",
    "viz",
    "pipeline",
    "cli",
)

__all__ = [
    "NeurokitError",
    "Recording",
    "Responses",
    "SpikeTrains",
    "read_recording",
    "__version__",
    *_SUBMODULES,
]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name == "read_recording":
        return importlib.import_module(".io", __name__).read_recording
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
