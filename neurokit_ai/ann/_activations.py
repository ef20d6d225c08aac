"""Activations (arrays, tensors, Responses) as ``(n_samples, n_units)`` arrays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core import DTypeError, Responses, ValidationError, check_array

__all__ = ["as_activation_matrix", "as_layer_matrices"]


def as_activation_matrix(x: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(matrix, labels)``: samples × units and one label per sample.

    A :class:`Responses` gives its rows and condition labels; a 3-D
    Responses (time-resolved) gives one row per (observation, time) with
    labels ``(condition, time)``. Arrays and tensors must be 2-D, labelled
    ``0..n-1``.

    Examples
    --------
    >>> m, labels = as_activation_matrix(np.ones((3, 2)), "X")
    >>> m.shape, labels.tolist()
    ((3, 2), [0, 1, 2])
    """
    if isinstance(x, Responses):
        data = check_array(x.data, f"{name}.data", ndim=(2, 3))
        if data.ndim == 2:
            return data, np.asarray(x.conditions, dtype=object)
        n_obs, n_units, n_times = data.shape
        labels = np.empty(n_obs * n_times, dtype=object)
        labels[:] = [(c, t) for c in x.conditions for t in x.times]
        return data.transpose(0, 2, 1).reshape(n_obs * n_times, n_units), labels
    if isinstance(x, Mapping | str):
        raise DTypeError(
            f"{name} must be an array, tensor or Responses, got "
            f"{type(x).__name__}; pass one layer's activations."
        )
    matrix = check_array(x, name, ndim=2)
    return matrix, np.arange(matrix.shape[0])


def as_layer_matrices(x: Any, name: str) -> dict[str, np.ndarray]:
    """Per-layer activation matrices from a mapping (e.g. an ActivationCache).

    Each value is anything :func:`as_activation_matrix` takes; tensors with
    more than 2 axes (batch, position, width) are not accepted: select a
    position first (``cache[name][:, -1]``).

    Examples
    --------
    >>> sorted(as_layer_matrices({"b": np.ones((2, 3)), "a": np.ones((2, 3))}, "X"))
    ['a', 'b']
    """
    if not isinstance(x, Mapping):
        raise DTypeError(
            f"{name} must map layer names to (n_samples, n_units) activations, "
            f"got {type(x).__name__}; pass e.g. {{'blocks.0.mlp': array}}."
        )
    if not x:
        raise ValidationError(f"{name} is empty; give at least one layer.")
    return {
        str(layer): as_activation_matrix(value, f"{name}[{layer!r}]")[0]
        for layer, value in x.items()
    }
