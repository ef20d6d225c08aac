"""Save and load fitted Du-IN estimators (atomic torch checkpoints, weights only)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..core import FileFormatError, ValidationError
from ..core._base import check_is_fitted
from ._duin import MaskedCodeModel, NeuralTokenizer, WordDecoder

__all__ = ["save_speech_model", "load_speech_model"]


def _plain_params(est: Any) -> str:
    params = {
        k: v
        for k, v in est.get_params(deep=False).items()
        if k not in ("tokenizer", "pretrained")
    }
    return json.dumps(params)


def _pack_tokenizer(tok: NeuralTokenizer) -> dict[str, Any]:
    import torch

    return {
        "params": _plain_params(tok),
        "state": tok.model_.state_dict(),
        "mean": torch.as_tensor(tok.mean_),
        "scale": torch.as_tensor(tok.scale_),
        "shape": [tok.n_channels_, tok.n_times_],
        "perplexity": float(tok.perplexity_),
    }


def _unpack_tokenizer(blob: dict[str, Any]) -> NeuralTokenizer:
    from ._duin import _encoder_kw
    from ._layers import TokenizerNet

    tok = NeuralTokenizer(**json.loads(blob["params"]))
    tok.n_channels_, tok.n_times_ = (int(v) for v in blob["shape"])
    tok.mean_, tok.scale_ = blob["mean"].numpy(), blob["scale"].numpy()
    tok.model_ = TokenizerNet(
        _encoder_kw(tok.get_params(), tok.n_channels_, tok.n_times_),
        tok.n_codes,
        tok.code_dim,
        tok.decay,
        tok.beta,
        tok.dead_threshold,
    )
    tok.model_.load_state_dict(blob["state"])
    tok.model_.eval()
    tok.perplexity_ = float(blob["perplexity"])
    return tok


def save_speech_model(
    path: str | os.PathLike, model: Any, extra: dict[str, Any] | None = None
) -> Path:
    """Write a fitted tokenizer, masked code model or word decoder to ``path``.

    The file is a :func:`torch.save` dictionary of tensors, numbers and
    strings, written atomically and readable with ``weights_only=True``.
    ``extra`` holds JSON-able settings to keep with it (e.g. the features). A
    word decoder keeps its ``ch_names_``, so the loaded model refuses trials
    of other channels.

    Examples
    --------
    >>> save_speech_model("decoder.pt", decoder)  # doctest: +SKIP
    """
    import torch

    from ..core import save_checkpoint

    blob: dict[str, Any] = {"extra": json.dumps(extra or {})}
    if isinstance(model, NeuralTokenizer):
        check_is_fitted(model, "model_")
        blob.update(kind="tokenizer", tokenizer=_pack_tokenizer(model))
    elif isinstance(model, MaskedCodeModel):
        check_is_fitted(model, "net_")
        blob.update(
            kind="masked",
            tokenizer=_pack_tokenizer(model.tokenizer_),
            params=_plain_params(model),
            state=model.net_.state_dict(),
            mean=torch.as_tensor(model.mean_),
            scale=torch.as_tensor(model.scale_),
            masked_accuracy=float(model.masked_accuracy_),
        )
    elif isinstance(model, WordDecoder):
        check_is_fitted(model, "net_")
        blob.update(
            kind="decoder",
            params=_plain_params(model),
            arch=json.dumps(model.arch_),
            state=model.net_.state_dict(),
            mean=torch.as_tensor(model.mean_),
            scale=torch.as_tensor(model.scale_),
            shape=[model.n_channels_, model.n_times_],
            classes=json.dumps(np.asarray(model.classes_).tolist()),
            ch_names=json.dumps(model.ch_names_),
        )
    else:
        raise ValidationError(
            "model must be a fitted NeuralTokenizer, MaskedCodeModel or "
            f"WordDecoder, got {type(model).__name__}."
        )
    return save_checkpoint(path, blob)


def load_speech_model(path: str | os.PathLike) -> tuple[Any, dict[str, Any]]:
    """Read a :func:`save_speech_model` file: the fitted model and its ``extra``.

    Examples
    --------
    >>> decoder, extra = load_speech_model("decoder.pt")  # doctest: +SKIP
    """
    from ..core import load_checkpoint

    blob = load_checkpoint(path)
    kind = blob.get("kind") if isinstance(blob, dict) else None
    try:
        extra = json.loads(blob["extra"])
        if kind == "tokenizer":
            return _unpack_tokenizer(blob["tokenizer"]), extra
        if kind == "masked":
            from ._layers import MaskedCodeNet

            tok = _unpack_tokenizer(blob["tokenizer"])
            mcm = MaskedCodeModel(tok, **json.loads(blob["params"]))
            mcm.tokenizer_ = tok
            mcm.mean_, mcm.scale_ = blob["mean"].numpy(), blob["scale"].numpy()
            mcm.n_channels_, mcm.n_times_ = tok.n_channels_, tok.n_times_
            mcm.net_ = MaskedCodeNet(tok.encoder_kw(), tok.n_codes)
            mcm.net_.load_state_dict(blob["state"])
            mcm.net_.eval()
            mcm.masked_accuracy_ = float(blob["masked_accuracy"])
            return mcm, extra
        if kind == "decoder":
            from ._duin import _encoder_kw
            from ._layers import ClassifierNet

            dec = WordDecoder(**json.loads(blob["params"]))
            dec.arch_ = json.loads(blob["arch"])
            dec.n_channels_, dec.n_times_ = (int(v) for v in blob["shape"])
            dec.mean_, dec.scale_ = blob["mean"].numpy(), blob["scale"].numpy()
            dec.classes_ = np.asarray(json.loads(blob["classes"]))
            dec.ch_names_ = json.loads(blob.get("ch_names", "null"))
            dec.net_ = ClassifierNet(
                _encoder_kw(dec.arch_, dec.n_channels_, dec.n_times_),
                len(dec.classes_),
                dec.hidden,
                dec.head_dropout,
            )
            dec.net_.load_state_dict(blob["state"])
            dec.net_.eval()
            return dec, extra
    except (KeyError, TypeError, RuntimeError, json.JSONDecodeError) as err:
        raise FileFormatError(
            f"{str(path)!r} is not a complete neurokit_ai speech model ({err}); "
            "write it with save_speech_model."
        ) from err
    raise FileFormatError(
        f"{str(path)!r} holds no speech model (kind={kind!r}); write it with "
        "save_speech_model."
    )
