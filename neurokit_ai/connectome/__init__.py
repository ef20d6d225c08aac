"""Dynamic functional connectomes from calcium imaging (Dyballa et al., ICLR 2024).

Three stages: pairwise affinities between neuronal traces per time window and
animal (:func:`affinity_tensor`), non-negative tensor factorization of that
tensor into motifs (:func:`non_negative_cp`, :class:`NonNegativeCP`,
:func:`select_rank`), and weighted community detection on each motif
(:func:`detect_communities`), gathered by :func:`dynamic_connectome`.
:func:`prepare_traces` turns suite2p output into the traces.

Everything is imported lazily, so ``import neurokit_ai.connectome`` is cheap.

Examples
--------
>>> from neurokit_ai.datasets._connectome import simulate_switching_communities
>>> from neurokit_ai.connectome import (affinity_tensor, dynamic_connectome,
...                                     prepare_traces, sliding_windows)
>>> rec = simulate_switching_communities(n_neurons=12, epoch_duration=40.0)
>>> dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
>>> tensor = affinity_tensor(dff, sliding_windows(dff.duration, 10.0))
>>> dynamic_connectome(tensor, rank=3, random_state=0).switch_times().tolist()
[40.0, 80.0]
"""

import importlib

_LAZY = {
    "AFFINITY_METHODS": "._measures",
    "differential_affinity": "._measures",
    "correlation_affinity": "._measures",
    "lagged_correlation_affinity": "._measures",
    "mutual_information_affinity": "._measures",
    "AffinityTensor": "._affinity",
    "affinity_tensor": "._affinity",
    "Windows": "._windows",
    "sliding_windows": "._windows",
    "epoch_windows": "._windows",
    "prepare_traces": "._traces",
    "fill_nan_frames": "._traces",
    "CPResult": "._ntf",
    "NTF_METHODS": "._ntf",
    "NTF_BACKENDS": "._ntf",
    "non_negative_cp": "._ntf",
    "cp_to_tensor": "._ntf",
    "factor_match_score": "._cp_metrics",
    "core_consistency": "._cp_metrics",
    "RankSelection": "._rank",
    "select_rank": "._rank",
    "held_out_error": "._rank",
    "NonNegativeCP": "._estimator",
    "COMMUNITY_METHODS": "._communities",
    "SBMResult": "._communities",
    "weighted_sbm": "._communities",
    "detect_communities": "._communities",
    "DynamicConnectome": "._dynamic",
    "dynamic_connectome": "._dynamic",
}

__all__ = [*_LAZY]


def __getattr__(name: str):
    """Import the submodule that defines ``name`` on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
