"""Functional cell types: a predictive model of responses and MDS clustering.

Everything is imported lazily, so ``import neurokit_ai.celltypes`` is cheap;
torch and scikit-learn load only when an estimator is used.

Examples
--------
>>> from neurokit_ai.celltypes import MDSClustering
>>> MDSClustering(n_clusters=3).n_clusters
3
"""

import importlib

_LAZY = {
    "ConvResponseModel": "._model",
    "neuron_correlations": "._model",
    "MDSClustering": "._mds",
    "cluster_mean_responses": "._objective",
    "discriminability_objective": "._objective",
    "least_discriminable_pair": "._objective",
    "project_stimuli": "._objective",
    "response_features": "._baselines",
    "cluster_features": "._baselines",
    "match_clusters": "._baselines",
    "shift_stimuli": "._shift",
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
