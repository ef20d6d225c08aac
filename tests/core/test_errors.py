"""The exception family: every error is a NeurokitError and the matching built-in."""

import pytest

from neurokit_ai.core import (
    DTypeError,
    FileFormatError,
    MissingFileError,
    NeurokitError,
    NotFittedError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (ValidationError, ValueError),
        (DTypeError, TypeError),
        (FileFormatError, ValueError),
        (MissingFileError, FileNotFoundError),
        (NotFittedError, AttributeError),
    ],
)
def test_errors_subclass_neurokit_and_builtin(cls, builtin):
    with pytest.raises(NeurokitError):
        raise cls("x")
    with pytest.raises(builtin):
        raise cls("x")
