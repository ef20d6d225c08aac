"""Declared stage parameters, and checks that make a bad pipeline file a clear error."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core import DTypeError, ValidationError

__all__ = [
    "REQUIRED",
    "Param",
    "check_keys",
    "check_param_type",
    "resolve_params",
    "suggest",
]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: Marks a parameter that has no default.
REQUIRED: Any = _Required()

_TYPE_NAMES = {
    bool: "true/false",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a mapping",
    type(None): "null",
}


@dataclass(frozen=True)
class Param:
    """One stage parameter: its default, the accepted types and a description.

    Examples
    --------
    >>> Param(1.0, (float, type(None)), "high-pass edge (Hz)").default
    1.0
    """

    default: Any
    types: tuple[type, ...]
    doc: str


def suggest(name: str, valid: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest valid name, or an empty string.

    Examples
    --------
    >>> suggest("filtr", ["filter", "epoch"])
    " Did you mean 'filter'?"
    """
    close = difflib.get_close_matches(name, list(valid), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def check_keys(
    mapping: Mapping[str, Any],
    valid: Iterable[str],
    where: str,
    *,
    required: Iterable[str] = (),
) -> None:
    """Raise if ``mapping`` has a key outside ``valid`` or lacks a required one.

    Examples
    --------
    >>> check_keys({"stgaes": []}, ["name", "stages"], "pipeline")
    Traceback (most recent call last):
    ...
    neurokit_ai.core._errors.ValidationError: pipeline: unknown key 'stgaes'; \
valid keys are ['name', 'stages']. Did you mean 'stages'?
    """
    valid = list(valid)
    for key in mapping:
        if key not in valid:
            raise ValidationError(
                f"{where}: unknown key {key!r}; valid keys are {sorted(valid)}."
                + suggest(str(key), valid)
            )
    for key in required:
        if key not in mapping:
            raise ValidationError(
                f"{where}: the key {key!r} is missing; add it (valid keys are "
                f"{sorted(valid)})."
            )


def check_param_type(value: Any, types: tuple[type, ...], where: str) -> Any:
    """Raise :class:`DTypeError` unless ``value`` has one of ``types``.

    ``float`` accepts integers; ``int`` and ``float`` refuse booleans; a tuple
    is accepted as a list.

    Examples
    --------
    >>> check_param_type(1, (float,), "l_freq")
    1
    >>> check_param_type("x", (float,), "l_freq")
    Traceback (most recent call last):
    ...
    neurokit_ai.core._errors.DTypeError: l_freq must be a number, got 'x' (str).
    """
    if isinstance(value, tuple):
        value = list(value)
    for kind in types:
        if kind in (int, float) and isinstance(value, bool):
            continue
        if isinstance(value, kind) or (kind is float and isinstance(value, int)):
            return value
    names = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in types)
    raise DTypeError(
        f"{where} must be {names}, got {value!r} ({type(value).__name__})."
    )


def resolve_params(
    given: Mapping[str, Any], declared: Mapping[str, Param], where: str
) -> dict[str, Any]:
    """Check ``given`` against ``declared`` and fill in the defaults.

    Examples
    --------
    >>> resolve_params({}, {"cv": Param(5, (int,), "folds")}, "decode")
    {'cv': 5}
    """
    for key in given:
        if key not in declared:
            raise ValidationError(
                f"{where}: unknown parameter {key!r}; valid parameters are "
                f"{sorted(declared)}." + suggest(str(key), declared)
            )
    params = {}
    for key, param in declared.items():
        if key not in given:
            if param.default is REQUIRED:
                raise ValidationError(
                    f"{where}: the parameter {key!r} ({param.doc}) is required; "
                    "give it a value."
                )
            params[key] = param.default
        else:
            params[key] = check_param_type(given[key], param.types, f"{where}.{key}")
    return params
