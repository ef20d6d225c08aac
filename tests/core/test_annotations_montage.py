"""Annotations and Montage."""

import numpy as np
import pytest

from neurokit_ai.core import Annotations, Montage, ValidationError


def test_annotations_select_shift_equality():
    ann = Annotations([0.5, 1.0, 2.0], [0.0, 0.5, 0.0], ["a", "b", "a"])
    sub = ann.select(ann.description == "a")
    assert sub.onset.tolist() == [0.5, 2.0]
    assert ann.shift(-0.5).onset.tolist() == [0.0, 0.5, 1.5]
    assert ann == ann.copy()
    assert ann != sub


def test_annotations_validate():
    with pytest.raises(ValidationError, match="as many"):
        Annotations([1.0, 2.0], [0.0], ["a"])
    with pytest.raises(ValidationError, match=">= 0"):
        Annotations([1.0], [-1.0], ["a"])
    with pytest.raises(ValidationError, match="non-finite"):
        Annotations([np.nan], [0.0], ["a"])


def test_montage_subset_and_rename():
    m = Montage({"A1": [0.0, 0.0, 0.01], "A2": [0.0, 0.0, 0.02]}, "mni_tal")
    assert m.subset(["A2", "X"]).ch_names == ["A2"]
    assert m.rename({"A1": "B1"}).ch_names == ["B1", "A2"]
    np.testing.assert_array_equal(m.positions(["A2"]), [[0.0, 0.0, 0.02]])
    with pytest.raises(ValidationError, match="shape"):
        Montage({"A1": [0.0, 1.0]})
