"""Input checks shared by the speech estimators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError, check_array, check_sfreq

__all__ = [
    "check_trials",
    "check_word_labels",
    "check_band",
    "check_channel_names",
    "check_same_channels",
]


def check_trials(X: Any, name: str = "X", *, min_times: int = 2) -> np.ndarray:
    """Trials as a float32 ``(n_trials, n_channels, n_times)`` array.

    A list of trials of unequal length is refused with the lengths found.

    Examples
    --------
    >>> check_trials(np.zeros((2, 3, 10))).shape
    (2, 3, 10)
    """
    if isinstance(X, (list, tuple)) and X and all(hasattr(t, "shape") for t in X):
        shapes = sorted({tuple(np.shape(t)) for t in X})
        if len(shapes) > 1:
            raise ValidationError(
                f"{name} holds trials of unequal shape {shapes[:5]}"
                f"{'...' if len(shapes) > 5 else ''}; every trial must be "
                "(n_channels, n_times) with the same n_times. Epoch with a fixed "
                "window (tmin, tmax) or crop/pad the trials first."
            )
    if isinstance(X, np.ndarray) and X.dtype == object:
        raise ValidationError(
            f"{name} is a ragged object array (trials of unequal length?); stack "
            "trials of equal length into a (n_trials, n_channels, n_times) array."
        )
    try:
        arr = check_array(X, name, ndim=3, dtype=np.float32)
    except ValueError as err:
        if isinstance(err, (ValidationError, DTypeError)):
            raise
        raise ValidationError(
            f"{name} could not be stacked into (n_trials, n_channels, n_times) "
            f"({err}); trials must all have the same shape."
        ) from err
    if arr.shape[2] < min_times:
        raise ValidationError(
            f"{name} has {arr.shape[2]} time samples per trial; at least "
            f"{min_times} are needed."
        )
    return arr


def check_channel_names(ch_names: Any, n_channels: int) -> list[str] | None:
    """Channel names of the trials: a sequence of str, a Recording, or None.

    Examples
    --------
    >>> check_channel_names(["A1", "A2"], 2)
    ['A1', 'A2']
    """
    if ch_names is None:
        return None
    names = getattr(ch_names, "ch_names", ch_names)  # a Recording gives its own
    if isinstance(names, str) or not isinstance(names, (Sequence, np.ndarray)):
        raise DTypeError(
            "ch_names must be a list of channel names (or a Recording), got "
            f"{type(ch_names).__name__}."
        )
    names = [str(n) for n in names]
    if len(names) != n_channels:
        raise ValidationError(
            f"ch_names has {len(names)} names for trials of {n_channels} channels; "
            "give one name per channel, in the order of the trials' rows."
        )
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValidationError(f"ch_names must be unique; {dup[:5]} repeat.")
    return names


def check_same_channels(
    ch_names: list[str] | None, fitted: list[str] | None, who: str
) -> None:
    """Refuse trials whose channels are not those the model was fitted on.

    Nothing is checked when either side has no names.

    Examples
    --------
    >>> check_same_channels(["A1", "A2"], ["A1", "A2"], "WordDecoder") is None
    True
    """
    if ch_names is None or fitted is None or ch_names == fitted:
        return
    missing = [n for n in fitted if n not in ch_names]
    extra = [n for n in ch_names if n not in fitted]
    if missing or extra:
        what = (
            (f"lack {missing[:10]}" if missing else "")
            + (" and " if missing and extra else "")
            + (f"add {extra[:10]}" if extra else "")
        )
    else:
        what = "are the same but in another order"
    raise ValidationError(
        f"The trials' channels {what}: {who} was fitted on channels "
        f"{fitted[:10]}{'...' if len(fitted) > 10 else ''}. Pick them in that "
        "order (rec.pick(model.ch_names_)) before cutting the trials."
    )


def check_word_labels(y: Any, n_trials: int, name: str = "y") -> np.ndarray:
    """1-D labels, one per trial, of at least two classes.

    Examples
    --------
    >>> check_word_labels(["a", "b", "a"], 3).tolist()
    ['a', 'b', 'a']
    """
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValidationError(
            f"{name} must be 1-D (one word label per trial), got shape {arr.shape}."
        )
    if arr.shape[0] != n_trials:
        raise ValidationError(
            f"{name} has {arr.shape[0]} labels for {n_trials} trials; give one "
            "label per trial."
        )
    classes = np.unique(arr)
    if classes.size < 2:
        raise ValidationError(
            f"{name} holds a single class ({classes.tolist()}); a word decoder "
            "needs trials of at least two different words."
        )
    return arr


def check_band(
    band: Sequence[float], sfreq: float, name: str = "band"
) -> tuple[float, float]:
    """A frequency band ``(low, high)`` that fits below the Nyquist frequency.

    Examples
    --------
    >>> check_band((70, 150), 1000.0)
    (70.0, 150.0)
    """
    sfreq = check_sfreq(sfreq)
    try:
        low, high = (float(b) for b in band)
    except (TypeError, ValueError) as err:
        raise ValidationError(
            f"{name} must be (low, high) in Hz, got {band!r}."
        ) from err
    if not 0 < low < high:
        raise ValidationError(f"{name} must satisfy 0 < low < high, got {band!r}.")
    if high >= sfreq / 2:
        raise ValidationError(
            f"sfreq={sfreq} Hz is too low for {name}={band!r}: its upper edge must "
            f"lie below the Nyquist frequency {sfreq / 2} Hz. Use data sampled at "
            f"more than {2 * high:g} Hz (high gamma needs ~ 400 Hz or more) or a "
            "lower band."
        )
    return low, high
