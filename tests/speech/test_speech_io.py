"""Unlabelled windows, and the Du-IN dataset reader on a hand-made layout."""

from __future__ import annotations

import os
import pickle
import sys
import types

import numpy as np
import pytest

from neurokit_ai.core import FileFormatError, Recording, ValidationError
from neurokit_ai.speech import make_windows, read_duin_subject


def test_make_windows_values():
    data = np.arange(20.0).reshape(2, 10)
    rec = Recording(data, 10.0, ["A1", "A2"], "seeg")
    win = make_windows(rec, 0.4, step=0.3)
    assert win.shape == (3, 2, 4)
    np.testing.assert_array_equal(win[1], data[:, 3:7])
    np.testing.assert_array_equal(
        make_windows(rec, 0.5, picks=["A2"])[1, 0], data[1, 5:]
    )
    with pytest.raises(ValidationError, match="window"):
        make_windows(rec, 5.0)


@pytest.fixture
def dotdict_module(monkeypatch):
    """A stand-in for the reference code's ``utils.DotDict`` module."""
    pkg = types.ModuleType("utils")
    mod = types.ModuleType("utils.DotDict")

    class DotDict(dict):
        pass

    DotDict.__module__ = "utils.DotDict"
    DotDict.__qualname__ = "DotDict"
    mod.DotDict = DotDict
    pkg.DotDict = mod
    monkeypatch.setitem(sys.modules, "utils", pkg)
    monkeypatch.setitem(sys.modules, "utils.DotDict", mod)
    return DotDict


def _write_run(root, run, items, ch_names, dotdict):
    folder = root / "word-recitation" / run / "dataset.bipolar.default.aligned"
    folder.mkdir(parents=True)
    records = [dotdict(name=w, data_s=x, data_n=-x) for w, x in items]
    (folder / "data").write_bytes(pickle.dumps(records))
    (folder / "info").write_bytes(pickle.dumps(dotdict(ch_names=ch_names)))


def test_read_duin_subject(tmp_path, dotdict_module):
    rng = np.random.default_rng(0)
    subj = tmp_path / "001"
    a = [(w, rng.normal(size=(3, 30))) for w in ["ni", "hao", "ni"]]
    b = [(w, rng.normal(size=(3, 30))) for w in ["hao", "ma"]]
    _write_run(subj, "run1", a, ["TI'1", "TI'2", "ST'3"], dotdict_module)
    _write_run(subj, "run2", b, ["ST'3", "TI'2", "TI'1"], dotdict_module)
    trials = read_duin_subject(subj, ch_names=["TI'2", "ST'3"])
    assert trials.X.shape == (5, 2, 30)
    assert trials.y.tolist() == ["ni", "hao", "ni", "hao", "ma"]
    assert trials.run.tolist() == ["run1"] * 3 + ["run2"] * 2
    np.testing.assert_allclose(trials.X[0], a[0][1][[1, 2]], rtol=1e-6)
    # channels are matched by name, whatever their order in the run
    np.testing.assert_allclose(trials.X[3], b[0][1][[1, 0]], rtol=1e-6)
    with pytest.raises(ValidationError, match="lacks channels"):
        read_duin_subject(subj, ch_names=["XX1"])
    for bad in ([], "TI'2"):  # [] read trials of no channel, silently
        with pytest.raises(ValidationError, match="non-empty list"):
            read_duin_subject(subj, ch_names=bad)
    with pytest.raises(FileFormatError, match="no 'word-recitation'"):
        read_duin_subject(tmp_path)
    with pytest.raises(FileFormatError, match="aligned flag"):
        read_duin_subject(subj, aligned=False)


def test_reader_refuses_code_in_pickles(tmp_path, dotdict_module):
    subj = tmp_path / "002"
    folder = subj / "word-recitation" / "run1" / "dataset.bipolar.default.aligned"
    folder.mkdir(parents=True)

    class Evil:
        def __reduce__(self):
            return (os.getcwd, ())

    (folder / "data").write_bytes(pickle.dumps([Evil()]))
    (folder / "info").write_bytes(pickle.dumps(dotdict_module(ch_names=["A1"])))
    with pytest.raises(FileFormatError, match="posix.getcwd|os.getcwd|nt.getcwd"):
        read_duin_subject(subj)
