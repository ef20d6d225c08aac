"""Responses: averaging, alignment of conditions, subsetting."""

import numpy as np
import pytest

from neurokit_ai.core import Responses, ValidationError


def test_average_by_condition_in_first_appearance_order():
    data = np.array([[1.0, 2.0], [10.0, 20.0], [3.0, 4.0], [30.0, 40.0]])
    r = Responses(data, conditions=["b", "a", "b", "a"], runs=[0, 0, 1, 1])
    avg = r.average()
    assert avg.condition_names == ["b", "a"]
    np.testing.assert_array_equal(avg.data, [[2.0, 3.0], [20.0, 30.0]])
    assert avg.is_averaged and not r.is_averaged and avg.runs is None


def test_align_reorders_and_refuses_mismatch():
    a = Responses(np.eye(3), conditions=["x", "y", "z"], source="brain:s1/V1")
    b = Responses(np.eye(3) * 2, conditions=["z", "x", "y"], source="model:net/l1")
    aligned = b.align_to(a)
    assert aligned.condition_names == ["x", "y", "z"]
    np.testing.assert_array_equal(aligned.data[0], b.data[1])
    c = Responses(np.eye(3), conditions=["x", "y", "w"], source="model:net/l2")
    with pytest.raises(
        ValidationError, match=r"only in the first \['w'\].*second \['z'\]"
    ):
        c.align_to(a)


def test_time_resolved_and_units():
    r = Responses(
        np.zeros((4, 3, 5)), conditions=[0, 1, 0, 1], times=np.linspace(0, 1, 5)
    )
    assert r.average().data.shape == (2, 3, 5)
    sub = r.select_units(["unit2", "unit0"])
    assert sub.unit_names == ["unit2", "unit0"] and sub.data.shape == (4, 2, 5)
    with pytest.raises(ValidationError, match="Unknown unit"):
        r.select_units(["nope"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"conditions": [1, 2]}, "one condition label per row"),
        ({"runs": [0, 1]}, "runs"),
        ({"unit_names": ["a"]}, "unit_names"),
        ({"data": np.full((3, 2), np.nan)}, "non-finite"),
        ({"data": np.zeros(3)}, "dimension"),
        ({"times": [0.0, 1.0]}, "3-D"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"data": np.zeros((3, 2))}
    args.update(kwargs)
    with pytest.raises(ValidationError, match=match):
        Responses(**args)


def test_select_conditions_missing():
    r = Responses(np.zeros((2, 2)), conditions=["a", "b"])
    with pytest.raises(ValidationError, match=r"\['c'\] are not in"):
        r.select_conditions(["c"])
