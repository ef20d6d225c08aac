"""Versioned weight files of the denoisers (``torch.save``, ``weights_only=True``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core import FileFormatError
from ._constants import SHIPPED_WEIGHTS, WEIGHTS_VERSION

__all__ = ["save_weights", "load_weights", "shipped_weights_path"]

_FORMAT = "neurokit_ai.artifacts.denoiser"


def shipped_weights_path() -> Path:
    """Path of the AT-AT weights shipped with the package.

    Examples
    --------
    >>> shipped_weights_path().name
    'atat_weights_v1.pt'
    """
    return Path(__file__).with_name(SHIPPED_WEIGHTS)


def save_weights(
    path: str | os.PathLike,
    model: Any,
    kind: str,
    config: dict[str, Any],
    info: dict[str, Any] | None = None,
) -> Path:
    """Write a network's weights with its kind, config and the format version.

    The file is written atomically (:func:`neurokit_ai.core.save_checkpoint`).
    ``config`` and ``info`` must hold only numbers, strings, lists and dicts so
    that :func:`load_weights` can read them back with ``weights_only=True``.

    Examples
    --------
    >>> import tempfile, os
    >>> from neurokit_ai.artifacts import build_network
    >>> path = os.path.join(tempfile.mkdtemp(), "w.pt")
    >>> model = build_network("cnn", width=4, n_layers=1)
    >>> save_weights(path, model, "cnn", {"width": 4, "n_layers": 1}).name
    'w.pt'
    >>> load_weights(path)[1]
    'cnn'
    """
    from ..core import save_checkpoint

    state = {
        "format": _FORMAT,
        "version": WEIGHTS_VERSION,
        "kind": kind,
        "config": dict(config),
        "info": dict(info or {}),
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
    }
    return save_checkpoint(path, state)


def load_weights(path: str | os.PathLike) -> tuple[Any, str, dict[str, Any]]:
    """Load a weight file: ``(model in eval mode, kind, info)``.

    Raises
    ------
    FileFormatError
        When the file is not a denoiser weight file, or was written by another
        version of the layout (with what to do about it).

    Examples
    --------
    >>> model, kind, info = load_weights(shipped_weights_path())
    >>> kind
    'atat'
    """
    from ..core import load_checkpoint
    from ._nets import build_network

    state = load_checkpoint(path)
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        raise FileFormatError(
            f"{str(path)!r} is not a neurokit_ai denoiser weight file (no "
            f"format={_FORMAT!r} entry); write it with save_weights."
        )
    version = state.get("version")
    if version != WEIGHTS_VERSION:
        raise FileFormatError(
            f"{str(path)!r} holds weights of layout version {version!r}, but this "
            f"neurokit_ai reads version {WEIGHTS_VERSION}. Rebuild them with "
            "`python datasets/build_artifact_weights.py`, or use the neurokit_ai "
            "release that wrote them."
        )
    model = build_network(state["kind"], **state["config"])
    try:
        model.load_state_dict(state["state_dict"])
    except RuntimeError as err:
        raise FileFormatError(
            f"{str(path)!r}: the weights do not fit a {state['kind']!r} network with "
            f"config {state['config']} ({err}). The file is damaged; rebuild it."
        ) from err
    model.eval()
    return model, state["kind"], state["info"]
