"""The shared language of neurokit_ai: data objects, errors, validation, estimators."""

from ._annotations import Annotations
from ._errors import (
    DTypeError,
    FileFormatError,
    MissingFileError,
    NeurokitError,
    NotFittedError,
    ValidationError,
)
from ._montage import Montage
from ._recording import CHANNEL_TYPES, DEFAULT_UNITS, Recording
from ._responses import Responses
from ._spiketrains import SpikeTrains
from ._validation import (
    check_array,
    check_finite,
    check_option,
    check_path,
    check_random_state,
    check_same_sfreq,
    check_scalar,
    check_sfreq,
    check_type,
)

_LAZY = {
    "NeurokitEstimator": "._base",
    "NeurokitTransformer": "._base",
    "NeurokitRegressor": "._base",
    "check_is_fitted": "._base",
    "Trainer": "._trainer",
    "seed_everything": "._trainer",
    "resolve_device": "._trainer",
    "torch_threads": "._trainer",
    "save_checkpoint": "._trainer",
    "load_checkpoint": "._trainer",
}

__all__ = [
    "Annotations",
    "CHANNEL_TYPES",
    "DEFAULT_UNITS",
    "DTypeError",
    "FileFormatError",
    "MissingFileError",
    "Montage",
    "NeurokitError",
    "NotFittedError",
    "Recording",
    "Responses",
    "SpikeTrains",
    "ValidationError",
    "check_array",
    "check_finite",
    "check_option",
    "check_path",
    "check_random_state",
    "check_same_sfreq",
    "check_scalar",
    "check_sfreq",
    "check_type",
    *_LAZY,
]


def __getattr__(name: str):
    """Import scikit-learn- and torch-backed helpers only when first used."""
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name], __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
