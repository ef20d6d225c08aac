"""Representational similarity analysis: RDMs, model comparison, inference, tRSA.

Brains and networks meet here through :class:`~neurokit_ai.core.Responses`:
:func:`compute_rdm` turns either into :class:`RDMs`, :func:`compare` and
:func:`evaluate_models` compare them with honest inference,
:func:`searchlight_rdms` maps them over a brain volume or sensor array, and
:func:`geotopological` / :func:`geodesic` give topological RSA.

Examples
--------
>>> import numpy as np
>>> from neurokit_ai.core import Responses
>>> from neurokit_ai.rsa import compute_rdm, compare
>>> rng = np.random.default_rng(0)
>>> brain = Responses(rng.normal(size=(6, 50)), conditions=list("abcdef"))
>>> rdm = compute_rdm(brain, "correlation")
>>> float(compare(rdm, rdm, "spearman")[0, 0])
1.0
"""

from ._compare import COMPARE_METHODS, compare
from ._inference import (
    ModelComparison,
    evaluate_models,
    noise_ceiling,
    permutation_test,
)
from ._models import FixedModel, WeightedModel, fit_weights, pool_rdms
from ._rdm import RDM_METHODS, compute_rdm, noise_precision
from ._rdms import RDMs
from ._searchlight import (
    Neighbourhoods,
    searchlight_evaluate,
    searchlight_rdms,
    sensor_neighbourhoods,
    volume_neighbourhoods,
)
from ._trsa import geodesic, geotopological, identify_models, select_model

__all__ = [
    "COMPARE_METHODS",
    "FixedModel",
    "ModelComparison",
    "Neighbourhoods",
    "RDMs",
    "RDM_METHODS",
    "WeightedModel",
    "compare",
    "compute_rdm",
    "evaluate_models",
    "fit_weights",
    "geodesic",
    "geotopological",
    "identify_models",
    "noise_ceiling",
    "noise_precision",
    "permutation_test",
    "pool_rdms",
    "searchlight_evaluate",
    "searchlight_rdms",
    "select_model",
    "sensor_neighbourhoods",
    "volume_neighbourhoods",
]
