"""Shared validation helpers.

Every check names the argument, shows the offending value and says how to fix
it, raising a :class:`~neurokit_ai.core.NeurokitError` subclass.
"""

from __future__ import annotations

import difflib
import numbers
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import DTypeError, MissingFileError, ValidationError

__all__ = [
    "check_array",
    "check_finite",
    "check_option",
    "check_type",
    "check_scalar",
    "check_sfreq",
    "check_same_sfreq",
    "check_path",
    "check_random_state",
    "short_repr",
]


def short_repr(value: Any, max_len: int = 60) -> str:
    """Return a short printable description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= max_len else text[: max_len - 3] + "..."


def check_type(value: Any, name: str, types: type | tuple[type, ...]) -> Any:
    """Check that ``value`` is an instance of ``types``.

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        The argument's name, used in the error message.
    types : type or tuple of type
        Accepted types.

    Returns
    -------
    value : object
        The value, unchanged.

    Examples
    --------
    >>> check_type(3, "n", int)
    3
    """
    if not isinstance(value, types):
        types = types if isinstance(types, tuple) else (types,)
        allowed = " or ".join(t.__name__ for t in types)
        raise DTypeError(
            f"{name} must be {allowed}, got {type(value).__name__} "
            f"({short_repr(value)}). Pass a value of type {allowed}."
        )
    return value


def check_option(value: Any, name: str, allowed: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``allowed`` and suggest a close match.

    Examples
    --------
    >>> check_option("fir", "method", ["fir", "iir"])
    'fir'
    """
    allowed = list(allowed)
    if value in allowed:
        return value
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(a) for a in allowed], n=1)
        if close:
            hint = f" Did you mean {close[0]!r}?"
    raise ValidationError(
        f"{name} must be one of {allowed}, got {short_repr(value)}.{hint}"
    )


def check_scalar(
    value: Any,
    name: str,
    *,
    kind: type | tuple[type, ...] = numbers.Real,
    min_val: float | None = None,
    max_val: float | None = None,
    include_min: bool = True,
    include_max: bool = True,
) -> Any:
    """Check a scalar's type and range.

    Examples
    --------
    >>> check_scalar(0.5, "alpha", min_val=0, max_val=1)
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        label = " or ".join(getattr(k, "__name__", str(k)) for k in kinds)
        raise DTypeError(
            f"{name} must be a {label} scalar, got {type(value).__name__} "
            f"({short_repr(value)})."
        )
    if isinstance(value, numbers.Real) and not np.isfinite(value):
        raise ValidationError(f"{name} must be finite, got {value!r}.")
    if min_val is not None:
        bad = value < min_val if include_min else value <= min_val
        if bad:
            op = ">=" if include_min else ">"
            raise ValidationError(f"{name} must be {op} {min_val}, got {value!r}.")
    if max_val is not None:
        bad = value > max_val if include_max else value >= max_val
        if bad:
            op = "<=" if include_max else "<"
            raise ValidationError(f"{name} must be {op} {max_val}, got {value!r}.")
    return value


def check_sfreq(sfreq: Any, name: str = "sfreq") -> float:
    """Check a sampling rate in Hz: a finite, strictly positive real number.

    Examples
    --------
    >>> check_sfreq(256)
    256.0
    """
    check_scalar(sfreq, name, min_val=0, include_min=False)
    return float(sfreq)


def check_same_sfreq(sfreqs: Sequence[float], names: Sequence[str]) -> float:
    """Check that several sampling rates agree (to 1e-9 relative).

    Examples
    --------
    >>> check_same_sfreq([100.0, 100.0], ["a.sfreq", "b.sfreq"])
    100.0
    """
    ref = float(sfreqs[0])
    for sf, nm in zip(sfreqs[1:], names[1:]):
        if not np.isclose(sf, ref, rtol=1e-9, atol=0):
            raise ValidationError(
                f"Sampling rates differ: {names[0]}={ref} Hz but {nm}={sf} Hz. "
                "Resample one of them (neurokit_ai.preprocessing.resample) first."
            )
    return ref


def check_finite(x: np.ndarray, name: str) -> np.ndarray:
    """Raise if ``x`` holds NaN or infinite values, saying where the first is.

    Examples
    --------
    >>> check_finite(np.zeros(3), "x").shape
    (3,)
    """
    if x.dtype.kind in "fc":
        finite = np.isfinite(x)
        if not finite.all():
            idx = tuple(int(i) for i in np.argwhere(~finite)[0])
            n_bad = int(np.size(finite) - np.count_nonzero(finite))
            raise ValidationError(
                f"{name} holds {n_bad} non-finite value(s) (NaN or inf); the first "
                f"is at index {idx} ({x[idx]!r}). Remove or interpolate them first."
            )
    return x


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | Sequence[int] | None = None,
    dtype: Any = np.float64,
    allow_nonfinite: bool = False,
    min_size: int = 1,
    shape: Sequence[int | None] | None = None,
    copy: bool = False,
) -> np.ndarray:
    """Convert ``x`` to a numpy array and check it.

    Parameters
    ----------
    x : array-like
        The input.
    name : str
        The argument's name, used in error messages.
    ndim : int or sequence of int, optional
        Accepted numbers of dimensions.
    dtype : dtype or None
        Target dtype (``None`` keeps the input's). Only numeric input is accepted
        when a numeric dtype is requested.
    allow_nonfinite : bool
        Whether NaN and inf are allowed.
    min_size : int
        Minimum number of elements along every axis.
    shape : sequence of int or None, optional
        Expected shape; ``None`` entries match any length.
    copy : bool
        Force a copy.

    Returns
    -------
    array : ndarray

    Examples
    --------
    >>> check_array([[1, 2], [3, 4]], "X", ndim=2).dtype
    dtype('float64')
    """
    if x is None:
        raise ValidationError(f"{name} is None; pass an array.")
    if hasattr(x, "detach") and hasattr(x, "cpu"):
        x = x.detach().cpu().numpy()
    arr = np.asarray(x)
    if arr.dtype == object or arr.dtype.kind in "USV":
        if dtype is not None and np.dtype(dtype).kind in "biufc":
            raise DTypeError(
                f"{name} must be numeric, got dtype {arr.dtype}. Convert it to "
                "numbers first."
            )
    elif arr.dtype.kind == "c" and dtype is not None and np.dtype(dtype).kind == "f":
        raise DTypeError(f"{name} must be real-valued, got complex dtype {arr.dtype}.")
    if dtype is not None:
        arr = arr.astype(dtype, copy=copy)
    elif copy:
        arr = arr.copy()
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise ValidationError(
                f"{name} must have {' or '.join(map(str, allowed))} dimension(s), "
                f"got {arr.ndim} (shape {arr.shape})."
            )
    if shape is not None:
        if len(shape) != arr.ndim or any(
            s is not None and s != a for s, a in zip(shape, arr.shape)
        ):
            want = tuple("any" if s is None else s for s in shape)
            raise ValidationError(f"{name} must have shape {want}, got {arr.shape}.")
    if arr.size == 0 or any(n < min_size for n in arr.shape):
        raise ValidationError(
            f"{name} is empty or too small (shape {arr.shape}); at least "
            f"{min_size} element(s) per axis are needed."
        )
    if not allow_nonfinite:
        check_finite(arr, name)
    return arr


def check_path(
    path: Any, name: str = "path", *, must_exist: bool = True, kind: str = "any"
) -> Path:
    """Check a file-system path.

    Parameters
    ----------
    path : str or os.PathLike
        The path.
    name : str
        Argument name for messages.
    must_exist : bool
        Raise :class:`MissingFileError` when absent.
    kind : {"any", "file", "dir"}
        What the path must be.

    Examples
    --------
    >>> check_path(".", kind="dir").is_dir()
    True
    """
    if not isinstance(path, (str, os.PathLike)):
        raise DTypeError(
            f"{name} must be a str or os.PathLike, got {type(path).__name__} "
            f"({short_repr(path)})."
        )
    p = Path(path).expanduser()
    if must_exist and not p.exists():
        raise MissingFileError(
            f"{name}: {str(p)!r} does not exist. Check the spelling and the "
            "working directory."
        )
    if must_exist and kind == "file" and not p.is_file():
        raise ValidationError(f"{name}: {str(p)!r} is not a file.")
    if must_exist and kind == "dir" and not p.is_dir():
        raise ValidationError(f"{name}: {str(p)!r} is not a folder.")
    return p


def check_random_state(seed: Any) -> np.random.Generator:
    """Turn ``seed`` (None, int or Generator) into a ``numpy.random.Generator``.

    Examples
    --------
    >>> a = check_random_state(0).integers(10)
    >>> bool(a == check_random_state(0).integers(10))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.RandomState):
        return np.random.default_rng(seed.randint(2**31))
    if seed is None or (
        isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
    ):
        return np.random.default_rng(seed)
    raise DTypeError(
        f"random_state must be None, an int or a numpy Generator, got "
        f"{short_repr(seed)}."
    )
