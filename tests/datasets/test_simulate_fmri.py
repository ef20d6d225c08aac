"""simulate_fmri_block: block design, GLM recovery of preferred conditions, grid."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import double_gamma_hrf, load_sample, simulate_fmri_block


def test_same_seed_same_data_other_seed_other_data():
    kw = {"n_voxels": 30, "n_volumes": 100}
    a, b = (
        simulate_fmri_block(**kw, random_state=5),
        simulate_fmri_block(**kw, random_state=5),
    )
    c = simulate_fmri_block(**kw, random_state=6)
    np.testing.assert_array_equal(a.data, b.data)
    assert not np.allclose(a.data, c.data)


def test_glm_with_independent_hrf_recovers_preferred_conditions():
    import pandas as pd
    from nilearn.glm.first_level import make_first_level_design_matrix

    rec = load_sample("fmri")
    frame_times = np.arange(rec.n_times) / rec.sfreq
    events = pd.DataFrame({
        "onset": rec.annotations.onset,
        "duration": rec.annotations.duration,
        "trial_type": rec.annotations.description.astype(str),
    })  # fmt: skip
    design = make_first_level_design_matrix(
        frame_times, events, hrf_model="spm", drift_model="polynomial", drift_order=3
    )
    betas = np.linalg.lstsq(design.to_numpy(), rec.data.T, rcond=None)[0]
    conditions = ["face", "house", "chair", "shoe"]
    rows = [design.columns.get_loc(c) for c in conditions]
    best = np.array(conditions)[betas[rows].argmax(axis=0)]
    preferred = rec.channel_info["preferred"]
    selective = preferred != "none"
    assert selective.sum() == 400
    np.testing.assert_array_equal(best[selective], preferred[selective])


def test_hrf_matches_nilearn_spm_hrf():
    from nilearn.glm.first_level.hemodynamic_models import spm_hrf

    reference = spm_hrf(2.0, oversampling=20, time_length=32.0)
    ours = double_gamma_hrf(np.arange(reference.size) * 0.1)
    assert np.corrcoef(reference, ours)[0, 1] > 0.999
    assert ours.max() == pytest.approx(1.0, abs=1e-3)


def test_design_grid_and_metadata():
    rec = load_sample("fmri")
    assert rec.shape == (500, 160) and rec.sfreq == 0.5 and rec.ch_types[0] == "fmri"
    ann = rec.annotations
    assert set(ann.description) == {"face", "house", "chair", "shoe"}
    np.testing.assert_array_equal(ann.duration, 20.0)
    assert np.all(np.diff(ann.onset) >= 20.0)
    ijk = rec.channel_info["ijk"]
    assert len({tuple(v) for v in ijk.tolist()}) == 500
    assert np.all(ijk < np.array(rec.metadata["grid_shape"]))
    affine = rec.metadata["affine"]
    xyz = ijk @ affine[:3, :3].T + affine[:3, 3]
    np.testing.assert_allclose(np.diff(np.unique(xyz[:, 0])), 3.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"conditions": ("face",)}, ValidationError, "at least 2 distinct"),
        ({"conditions": ("a", "a")}, ValidationError, "at least 2 distinct"),
        ({"conditions": (1, 2)}, DTypeError, "conditions must be a sequence of str"),
        ({"conditions": "face"}, DTypeError, "conditions must be a sequence of str"),
        ({"n_voxels": 4}, ValidationError, "n_voxels must be >= 5"),
        ({"n_volumes": 40}, ValidationError, "do not fit"),
        ({"t_r": 0.0}, ValidationError, "t_r must be > 0"),
        ({"block_duration": 1.0}, ValidationError, "block_duration must be >= 2.0"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_fmri_block(**kwargs)
