"""Look inside networks: activations, hook points, patching and attribution.

Hook points and caches on any torch module; activation, attribution and
relevance patching (RelP, with LRP rules); steering (difference-in-means,
probes, G-ACT); decompositions that also take brain ``Responses`` (SNMF,
CRAFT with Sobol importance); input attribution (saliency, input x gradient,
integrated gradients, submodular subset attribution with insertion/deletion).

Torch and scikit-learn are imported only when a function or class that
needs them is used.

Examples
--------
>>> from neurokit_ai.ann import ActivationRecorder, HookedModel  # doctest: +SKIP
"""

import importlib

from ._attribution import input_x_gradient, integrated_gradients, saliency
from ._cache import ActivationCache
from ._hooks import HookedModel, Intervention
from ._lrp import half_rule, lrp_rules
from ._patching import PatchingResult, activation_patching, attribution_patching
from ._recorder import ActivationRecorder
from ._relp import lrp_relevance, relevance_patching
from ._sobol import SobolIndices, sobol_design, sobol_from_outputs, sobol_indices
from ._submodular import (
    SubsetAttribution,
    grid_regions,
    insertion_deletion,
    region_ranking,
    submodular_attribution,
)

# torch- or scikit-learn-backed names, imported on first use
_LAZY = {
    "SNMF": "._snmf",
    "SNMFResult": "._snmf",
    "semi_nmf": "._snmf",
    "top_activating_inputs": "._snmf",
    "CRAFT": "._craft",
    "image_crops": "._craft",
    "GACT": "._steering",
    "diff_in_means": "._steering",
    "probe_direction": "._steering",
    "steering_effect": "._steering",
    "steering_intervention": "._steering",
    "HookPoint": "._toy_models",
    "ToyTransformer": "._toy_models",
    "IOITask": "._toy_models",
    "make_ioi_task": "._toy_models",
    "train_toy_ioi": "._toy_models",
    "logit_difference": "._toy_models",
    "CLASS_SHAPES": "._toy_vision",
    "DISTRACTOR_SHAPES": "._toy_vision",
    "ToyVisionData": "._toy_vision",
    "ToyCNN": "._toy_vision",
    "make_toy_vision": "._toy_vision",
    "train_toy_cnn": "._toy_vision",
}

__all__ = [
    "ActivationRecorder",
    "ActivationCache",
    "HookedModel",
    "Intervention",
    "PatchingResult",
    "activation_patching",
    "attribution_patching",
    "relevance_patching",
    "lrp_relevance",
    "lrp_rules",
    "half_rule",
    "SobolIndices",
    "sobol_design",
    "sobol_from_outputs",
    "sobol_indices",
    "SubsetAttribution",
    "grid_regions",
    "insertion_deletion",
    "region_ranking",
    "submodular_attribution",
    "saliency",
    "input_x_gradient",
    "integrated_gradients",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
