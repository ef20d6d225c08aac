"""Real data: Haxby 2001 GLM patterns -> RDM -> categorical model comparison."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "rsa_haxby.py"


def _haxby():
    spec = importlib.util.spec_from_file_location("rsa_haxby", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_haxby_pipeline(recordings):
    hx = _haxby()
    rdm, res, n_vox = hx.haxby_rsa(
        recordings.parent, "bold_1slice.nii.gz", method="tau-a", n_bootstrap=100
    )
    assert n_vox == 800
    assert rdm.conditions == hx.CATEGORIES
    assert np.all((rdm.vectors >= 0) & (rdm.vectors <= 2))
    # Haxby's animate categories: the face pattern's nearest neighbour is cat.
    mat = rdm.matrices()[0]
    face = rdm.conditions.index("face")
    order = np.argsort(mat[face])
    assert rdm.conditions[order[1]] == "cat"
    assert res.best == "animate/inanimate"
    lo, hi = res.ci()[0]
    assert -1 <= lo <= res.scores[0] <= hi <= 1
    _, res25, n25 = hx.haxby_rsa(recordings.parent, n_bootstrap=20)
    assert n25 == 129 and np.all(np.abs(res25.scores) <= 1)
