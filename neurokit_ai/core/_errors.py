"""The one exception family of neurokit_ai.

Every error raised on purpose by the package is a :class:`NeurokitError`. Each
subclass also derives from the matching built-in exception, so code that
catches ``ValueError`` or ``FileNotFoundError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "NeurokitError",
    "ValidationError",
    "DTypeError",
    "FileFormatError",
    "MissingFileError",
    "NotFittedError",
]


class NeurokitError(Exception):
    """Base class of every error raised on purpose by neurokit_ai.

    Messages say what was wrong, with which value, and what to do about it.

    Examples
    --------
    >>> from neurokit_ai.core import NeurokitError, ValidationError
    >>> issubclass(ValidationError, NeurokitError)
    True
    """


class ValidationError(NeurokitError, ValueError):
    """An argument has a wrong value, shape, or content (NaN, inf, empty)."""


class DTypeError(NeurokitError, TypeError):
    """An argument has a wrong type or dtype."""


class FileFormatError(NeurokitError, ValueError):
    """A file is truncated, corrupt, of an unknown format or inconsistent."""


class MissingFileError(NeurokitError, FileNotFoundError):
    """A file, or a companion file it needs, does not exist."""


class NotFittedError(NeurokitError, ValueError, AttributeError):
    """An estimator was used before ``fit`` was called."""
