"""Validation helpers name the argument, the value and the fix."""

import numpy as np
import pytest

from neurokit_ai.core import (
    DTypeError,
    MissingFileError,
    ValidationError,
    check_array,
    check_option,
    check_path,
    check_random_state,
    check_same_sfreq,
    check_scalar,
    check_sfreq,
    check_type,
)


def test_check_array_converts_and_checks_shape():
    out = check_array([[1, 2], [3, 4]], "X", ndim=2)
    assert out.dtype == np.float64 and out.shape == (2, 2)
    with pytest.raises(ValidationError, match="X must have 1 dimension"):
        check_array(np.zeros((2, 2)), "X", ndim=1)
    with pytest.raises(ValidationError, match=r"shape \(3, 'any'\)"):
        check_array(np.zeros((2, 2)), "X", shape=(3, None))


def test_check_array_rejects_nonfinite_and_says_where():
    x = np.zeros((3, 4))
    x[1, 2] = np.nan
    with pytest.raises(ValidationError, match=r"X holds 1 non-finite.*\(1, 2\)"):
        check_array(x, "X")
    assert np.isnan(check_array(x, "X", allow_nonfinite=True)[1, 2])


def test_check_array_rejects_empty_strings_complex_and_none():
    with pytest.raises(ValidationError, match="empty"):
        check_array(np.zeros((0, 3)), "X")
    with pytest.raises(DTypeError, match="numeric"):
        check_array(["a", "b"], "X")
    with pytest.raises(DTypeError, match="complex"):
        check_array(np.ones(2, complex), "X")
    with pytest.raises(ValidationError, match="None"):
        check_array(None, "X")


def test_check_array_copy_flag():
    x = np.ones(3)
    assert check_array(x, "x") is x
    assert check_array(x, "x", copy=True) is not x


def test_check_option_suggests_close_match():
    with pytest.raises(ValidationError, match="Did you mean 'iir'"):
        check_option("iirr", "method", ["fir", "iir"])
    assert check_option("fir", "method", ["fir", "iir"]) == "fir"


def test_check_scalar_and_sfreq():
    assert check_sfreq(100) == 100.0
    for bad in (0, -1.0, np.inf, np.nan):
        with pytest.raises(ValidationError, match="sfreq"):
            check_sfreq(bad)
    with pytest.raises(DTypeError, match="sfreq"):
        check_sfreq("100")
    with pytest.raises(DTypeError):
        check_scalar(True, "n", kind=int)
    with pytest.raises(ValidationError, match="< 1"):
        check_scalar(1, "p", max_val=1, include_max=False)


def test_check_same_sfreq():
    assert check_same_sfreq([100.0, 100.0], ["a", "b"]) == 100.0
    with pytest.raises(ValidationError, match="b=250.0 Hz"):
        check_same_sfreq([100.0, 250.0], ["a", "b"])


def test_check_type_and_path(tmp_path):
    assert check_type(3, "n", int) == 3
    with pytest.raises(DTypeError, match="n must be int"):
        check_type("3", "n", int)
    with pytest.raises(MissingFileError, match="does not exist"):
        check_path(tmp_path / "nope.edf")
    with pytest.raises(ValidationError, match="not a folder"):
        (tmp_path / "f.txt").write_text("x")
        check_path(tmp_path / "f.txt", kind="dir")
    with pytest.raises(DTypeError):
        check_path(3)


def test_check_random_state():
    a = check_random_state(1).normal(size=3)
    assert np.array_equal(a, check_random_state(1).normal(size=3))
    rng = np.random.default_rng(0)
    assert check_random_state(rng) is rng
    with pytest.raises(DTypeError, match="random_state"):
        check_random_state("seed")
