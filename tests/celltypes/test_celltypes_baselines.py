"""Baseline clusterings and cluster-to-type matching."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.celltypes import cluster_features, match_clusters, response_features
from neurokit_ai.core import ValidationError


def _two_groups():
    rng = np.random.default_rng(0)
    drive = rng.normal(size=(200, 1))
    responses = np.hstack(
        [
            drive + 0.3 * rng.normal(size=(200, 10)),
            -drive + 0.3 * rng.normal(size=(200, 10)),
        ]
    )
    return responses, np.repeat([0, 1], 10)


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_baselines_recover_two_anti_correlated_groups(method):
    responses, truth = _two_groups()
    feats = response_features(responses, n_components=3)
    assert feats.shape == (20, 3)
    labels = cluster_features(feats, 2, method)
    assert len(set(zip(labels.tolist(), truth.tolist()))) == 2


def test_match_clusters_majority():
    assert match_clusters([0, 0, 2, 2, 2], [3, 3, 4, 4, 3]).tolist() == [3, -1, 4]


def test_bad_input():
    responses, _ = _two_groups()
    with pytest.raises(ValidationError, match="n_clusters=30 is more than the 20"):
        cluster_features(responses.T, 30)
    with pytest.raises(ValidationError, match="all-zero rows"):
        cluster_features(np.zeros((4, 2)), 2)
    flat = responses.copy()
    flat[:, 0] = 2.0
    with pytest.raises(ValidationError, match="no variance"):
        response_features(flat)
    with pytest.raises(ValidationError, match="n_components must be <= 20"):
        response_features(responses, n_components=50)
    with pytest.raises(ValidationError, match="labels has 2 entries"):
        match_clusters([0, 1], [0, 1, 1])
    with pytest.raises(ValidationError, match="reference must be non-negative"):
        match_clusters([0, 1], [0, -1])
