"""Du-IN speech decoding from sEEG: regions, tokenizer, masked modelling, decoder.

Pick the contacts of the speech regions from a BIDS electrodes table,
re-reference and filter them, learn a discrete codebook of neural units
(:class:`NeuralTokenizer`), pre-train an encoder by predicting the codes of
masked patches (:class:`MaskedCodeModel`) and fine-tune it into a word
classifier (:class:`WordDecoder`), against logistic-regression and EEGNet
baselines.

Everything is imported lazily, so ``import neurokit_ai.speech`` is cheap;
torch, MNE and scikit-learn load only when used.

Examples
--------
>>> from neurokit_ai.speech import select_region_contacts
>>> select_region_contacts({"X'11": "ctx-lh-precentral", "O'3": "Unknown"}, "vSMC")
["X'11"]
"""

import importlib

_LAZY = {
    "ATLAS_COLUMNS": "..io._atlas_regions",
    "REGION_LABELS": "..io._atlas_regions",
    "FRONTAL_SPEECH_MOTOR": "..io._atlas_regions",
    "parse_atlas_label": "..io._atlas_regions",
    "read_contact_labels": "..io._atlas_regions",
    "select_region_contacts": "..io._atlas_regions",
    "shaft_pairs": "._referencing",
    "bipolar_reference": "._referencing",
    "common_average_reference": "._referencing",
    "HIGH_GAMMA": "._features",
    "high_gamma_envelope": "._features",
    "high_gamma_power": "._features",
    "NeuralTokenizer": "._duin",
    "MaskedCodeModel": "._duin",
    "WordDecoder": "._duin",
    "top_k_accuracy": "._duin",
    "HighGammaLogistic": "._baselines",
    "EEGNetClassifier": "._baselines",
    "rank_channels": "._baselines",
    "make_windows": "._io",
    "DuINTrials": "._io",
    "read_duin_subject": "._io",
    "save_speech_model": "._persist",
    "load_speech_model": "._persist",
    "VectorQuantizerEMA": "._layers",
    "codebook_perplexity": "._layers",
    "masked_code_loss": "._layers",
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
