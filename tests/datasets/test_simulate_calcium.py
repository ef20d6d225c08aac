"""simulate_calcium: ensembles recovered from ΔF/F, kernel, neuropil contamination."""

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, ValidationError
from neurokit_ai.datasets import calcium_kernel, load_sample, simulate_calcium
from neurokit_ai.preprocessing import delta_f_over_f


def test_same_seed_same_data_other_seed_other_data():
    kw = {"n_neurons": 12, "duration": 60.0, "n_ensembles": 2}
    a, b = (
        simulate_calcium(**kw, random_state=7),
        simulate_calcium(**kw, random_state=7),
    )
    c = simulate_calcium(**kw, random_state=8)
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(a.metadata["neuropil"], b.metadata["neuropil"])
    assert not np.allclose(a.data, c.data)


def test_correlation_clustering_recovers_the_ensembles():
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    rec = load_sample("calcium")
    dff = delta_f_over_f(rec, neuropil=rec.metadata["neuropil"])
    distance = 1.0 - np.corrcoef(dff.data)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=0.7
    ).fit_predict(distance)
    ensemble = rec.channel_info["ensemble"]
    truth = np.where(ensemble >= 0, ensemble, 1000 + np.arange(ensemble.size))
    assert adjusted_rand_score(truth, labels) > 0.8


def test_neuropil_correction_removes_shared_contamination():
    rec = load_sample("calcium")
    loners = rec.channel_info["ensemble"] == -1
    off = ~np.eye(int(loners.sum()), dtype=bool)
    raw = np.corrcoef(delta_f_over_f(rec).data[loners])[off].mean()
    corrected = delta_f_over_f(rec, neuropil=rec.metadata["neuropil"])
    clean = np.corrcoef(corrected.data[loners])[off].mean()
    assert raw > 0.05 and abs(clean) < 0.02


def test_layout_and_stimuli():
    rec = load_sample("calcium")
    assert rec.shape == (120, 9000) and rec.sfreq == 30.0
    assert rec.metadata["neuropil"].shape == rec.shape
    ensemble = rec.channel_info["ensemble"]
    assert sorted(set(ensemble.tolist())) == [-1, 0, 1, 2, 3]
    assert all((ensemble == k).sum() == 20 for k in range(4))
    labels = rec.annotations.description.tolist()
    counts = [labels.count(f"stim_{k}") for k in range(4)]
    assert max(counts) - min(counts) <= 1
    np.testing.assert_array_equal(rec.annotations.duration, 2.0)


def test_calcium_kernel_is_the_double_exponential():
    fs = 30.0
    spike = np.zeros(300)
    spike[10] = 1.0
    c = calcium_kernel(spike, fs)
    t = np.arange(290) / fs
    shape = np.exp(-t / 0.7) - np.exp(-t / 0.07)
    np.testing.assert_allclose(c[10:], shape / shape.max(), atol=1e-12)
    np.testing.assert_array_equal(c[:10], 0.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_neurons": 5}, ValidationError, "n_neurons must be >= 12"),
        ({"n_ensembles": 0}, ValidationError, "n_ensembles must be >= 1"),
        ({"duration": 20.0}, ValidationError, "fewer than two per ensemble"),
        ({"duration": -1.0}, ValidationError, "duration must be > 0"),
        ({"fs": 2.0}, ValidationError, "too slow for calcium"),
        ({"n_neurons": 12.0}, DTypeError, "n_neurons must be a Integral"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate_calcium(**kwargs)
