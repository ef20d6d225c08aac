"""glm_responses: planted betas, agreement with nilearn's FirstLevelModel, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from neurokit_ai.core import NeurokitError, Recording
from neurokit_ai.preprocessing._glm import glm_responses

HAXBY = "fmri/haxby2001_pymvpa/sub001"


def _events():
    return pd.DataFrame(
        {"onset": [10.0, 60.0, 110.0], "duration": 15.0, "trial_type": ["a", "b", "c"]}
    )


def test_planted_betas_are_recovered():
    from nilearn.glm.first_level import make_first_level_design_matrix

    t_r, n_scans = 2.0, 90
    x = make_first_level_design_matrix(np.arange(n_scans) * t_r, _events())
    rng = np.random.default_rng(0)
    betas = rng.normal(size=(x.shape[1], 7))
    y = x.to_numpy() @ betas
    rec = Recording(y.T, sfreq=1 / t_r, ch_names=[f"v{i}" for i in range(7)])
    r = glm_responses(
        [rec, rec],
        [_events(), _events()],
        t_r=t_r,
        signal_scaling=False,
        noise_model="ols",
    )
    assert r.conditions.tolist() == ["a", "b", "c"] * 2
    assert r.runs.tolist() == [0, 0, 0, 1, 1, 1]
    np.testing.assert_allclose(r.data[:3], betas[:3], atol=1e-8)
    assert np.abs(r.metadata["residuals"][0]).max() < 1e-8


def test_agrees_with_first_level_model(recordings):
    from nilearn.glm.first_level import FirstLevelModel
    from nilearn.maskers import NiftiMasker

    base = recordings / HAXBY
    bold = base / "task001_run001" / "bold_25mm.nii.gz"
    mask = base / "masks_25mm" / "brain.nii.gz"
    events = pd.read_csv(base / "task001_run001" / "bold_events.tsv", sep="\t")
    ours = glm_responses(bold, events, t_r=2.5, mask=mask)
    assert ours.data.shape == (8, 129)
    flm = FirstLevelModel(t_r=2.5, mask_img=str(mask), minimize_memory=False)
    flm.fit(str(bold), events=events)
    masker = NiftiMasker(mask_img=str(mask)).fit()
    for k, cond in enumerate(ours.conditions.tolist()):
        ref = masker.transform(flm.compute_contrast(cond, output_type="effect_size"))
        # nilearn masks the image in float32: agreement to ~1e-5 (% signal)
        np.testing.assert_allclose(ours.data[k], ref.ravel(), rtol=1e-4, atol=1e-5)


def test_bad_input():
    rec = Recording(np.ones((3, 40)), sfreq=0.5, ch_names=["a", "b", "c"])
    with pytest.raises(NeurokitError, match="events is missing"):
        glm_responses(rec, t_r=2.0)
    with pytest.raises(NeurokitError, match="trial_type"):
        glm_responses(rec, pd.DataFrame({"onset": [1.0]}), t_r=2.0)
    with pytest.raises(NeurokitError, match="one per run"):
        glm_responses([rec, rec], [_events()], t_r=2.0)
    with pytest.raises(NeurokitError, match="no events"):
        glm_responses(rec, _events(), t_r=2.0, conditions=["zebra"])
    with pytest.raises(NeurokitError, match="t_r"):
        glm_responses(rec, _events(), t_r=0.0)
