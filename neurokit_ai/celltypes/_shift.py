"""Moving stimuli across the grid (to centre them on a receptive field)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_scalar

__all__ = ["shift_stimuli"]


def shift_stimuli(stimuli: Any, offset: Any, fill: float = 0.0) -> np.ndarray:
    """Translate stimuli by ``offset`` pixels over their last two axes.

    Sub-pixel offsets are interpolated linearly; pixels brought in from
    outside the grid take the value ``fill`` (the background).

    Parameters
    ----------
    stimuli : array-like, shape (..., height, width)
        Images or clips (frames are moved together).
    offset : array-like, shape (2,)
        (rows, columns) to move by; positive moves down and right.
    fill : float
        Value of the uncovered pixels.

    Returns
    -------
    ndarray
        Same shape as ``stimuli``.

    Examples
    --------
    >>> x = np.zeros((1, 5, 5))
    >>> x[0, 2, 2] = 1.0
    >>> np.argwhere(shift_stimuli(x, (1, -2))[0] == 1.0).tolist()
    [[3, 0]]
    """
    from scipy.ndimage import shift

    arr = check_array(stimuli, "stimuli")
    if arr.ndim < 2:
        raise ValidationError(
            f"stimuli must have a height and a width axis (2 or more dimensions), "
            f"got shape {arr.shape}."
        )
    move = check_array(offset, "offset", ndim=1, shape=(2,))
    fill = float(check_scalar(fill, "fill"))
    return shift(
        arr, (0,) * (arr.ndim - 2) + tuple(move), order=1, mode="constant", cval=fill
    )
