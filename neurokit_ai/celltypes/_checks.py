"""Input checks shared by the cell-type estimators."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, Responses, ValidationError, check_array

__all__ = ["check_stimuli", "check_response_matrix", "check_varying_units"]


def check_stimuli(stimuli: Any, name: str = "stimuli") -> np.ndarray:
    """Return finite float stimuli of shape ``(n, n_frames, height, width)``.

    Images ``(n, height, width)`` get a frame axis of length 1.

    Examples
    --------
    >>> check_stimuli(np.zeros((3, 5, 5))).shape
    (3, 1, 5, 5)
    """
    arr = check_array(stimuli, name, ndim=(3, 4))
    return arr[:, None] if arr.ndim == 3 else arr


def check_response_matrix(
    responses: Any, name: str = "responses", n_rows: int | None = None
) -> np.ndarray:
    """Return ``(n_rows, n_units)`` float responses from a Responses or an array.

    Parameters
    ----------
    responses : Responses or array-like, shape (n_rows, n_units)
        Rows are stimuli (conditions), columns neurons.
    name : str
        Argument name for messages.
    n_rows : int, optional
        Required number of rows (stimuli).

    Examples
    --------
    >>> check_response_matrix(np.ones((4, 2)), n_rows=4).shape
    (4, 2)
    """
    if isinstance(responses, Responses):
        data = responses.data
        if data.ndim != 2:
            raise ValidationError(
                f"{name} holds time-resolved data of shape {data.shape}; reduce it "
                "to one value per stimulus and neuron (e.g. the mean over time)."
            )
    elif isinstance(responses, (str, bytes, dict)):
        raise DTypeError(
            f"{name} must be a Responses or a 2-D array, got "
            f"{type(responses).__name__}."
        )
    else:
        data = check_array(responses, name, ndim=2)
    if n_rows is not None and data.shape[0] != n_rows:
        raise ValidationError(
            f"{name} has {data.shape[0]} rows but there are {n_rows} stimuli; give "
            "one row of responses per stimulus, in the same order."
        )
    return data


def check_varying_units(data: np.ndarray, name: str, what: str) -> np.ndarray:
    """Return the per-column standard deviation, raising if a column is constant."""
    std = data.std(axis=0)
    flat = np.flatnonzero(~(std > 1e-12 * (1.0 + np.abs(data).max(axis=0))))
    if flat.size:
        raise ValidationError(
            f"{name}: {flat.size} neuron(s) have no variance across {what} (columns "
            f"{flat[:10].tolist()}); remove them first, e.g. with "
            "Responses.select_units(std > 0)."
        )
    return std
