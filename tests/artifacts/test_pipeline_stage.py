"""The pipeline's ``remove_artifacts`` clean stage runs the ArtifactRemover."""

from __future__ import annotations

import numpy as np

from neurokit_ai.artifacts import ArtifactRemover
from neurokit_ai.core import Recording
from neurokit_ai.pipeline import STAGES


def test_remove_artifacts_stage_matches_the_remover():
    stage = STAGES["remove_artifacts"]
    assert stage.kind == "clean" and stage.produces == "recording"
    rng = np.random.default_rng(0)
    rec = Recording(
        rng.normal(size=(2, 1500)) * 1e-5, 250.0, ["Cz", "ECG"], ["eeg", "ecg"]
    )
    params = {name: p.default for name, p in stage.params.items()}
    out = stage.run(rec, params)
    expected = ArtifactRemover().fit().transform(rec)
    np.testing.assert_array_equal(out.data, expected.data)
    np.testing.assert_array_equal(out.data[1], rec.data[1])
