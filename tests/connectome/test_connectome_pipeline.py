"""Affinities, windows, traces, communities and the full planted-truth pipeline."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from neurokit_ai.connectome import (
    AffinityTensor,
    Windows,
    affinity_tensor,
    correlation_affinity,
    detect_communities,
    differential_affinity,
    dynamic_connectome,
    epoch_windows,
    lagged_correlation_affinity,
    mutual_information_affinity,
    prepare_traces,
    select_rank,
    sliding_windows,
    weighted_sbm,
)
from neurokit_ai.core import Annotations, DTypeError, Recording, ValidationError
from neurokit_ai.datasets._connectome import simulate_switching_communities


@pytest.fixture(scope="module")
def planted():
    rec = simulate_switching_communities(random_state=1)
    dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
    return rec, dff


def test_planted_communities_and_switch_times_are_recovered(planted):
    rec, dff = planted
    windows = sliding_windows(dff.duration, 20.0)
    tensor = affinity_tensor(dff, windows)
    dc = dynamic_connectome(tensor, "auto", n_restarts=3, random_state=0)
    assert dc.rank == 3
    truth = rec.channel_info["community"]
    epoch_len = 120.0
    for r in range(dc.rank):
        course = dc.time_courses[:, r]
        epoch = int(
            np.argmax(
                [course[windows.starts // epoch_len == e].sum() for e in range(3)]
            )
        )
        assert adjusted_rand_score(dc.communities[r], truth[:, epoch]) >= 0.9
    found = dc.switch_times()
    assert len(found) == 2
    width = windows.stops[0] - windows.starts[0]
    assert np.all(np.abs(found - rec.metadata["switch_times"]) <= width)
    assert "motif 0" in dc.summary()


@pytest.mark.parametrize(
    "method", ["differential", "lagged_correlation", "mutual_information"]
)
def test_alternative_affinities_recover_communities_at_true_rank(planted, method):
    rec, dff = planted
    windows = sliding_windows(dff.duration, 20.0)
    tensor = affinity_tensor(dff, windows, method=method)
    dc = dynamic_connectome(tensor, 3, n_restarts=2, random_state=0)
    truth = rec.channel_info["community"]
    for r in range(3):
        epoch = int(np.argmax(np.add.reduceat(dc.time_courses[:, r], [0, 6, 12])))
        assert adjusted_rand_score(dc.communities[r], truth[:, epoch]) >= 0.9


def test_shared_identity_stacks_animals_and_pool_concatenates():
    a = simulate_switching_communities(n_neurons=9, epoch_duration=20.0, random_state=0)
    b = simulate_switching_communities(
        n_neurons=9,
        epoch_duration=20.0,
        random_state=1,
        communities=a.channel_info["community"],
    )
    b.subject = "sim02"
    b = b.pick(b.ch_names[::-1][:8])  # another order, one neuron missing
    w = sliding_windows(a.duration, 10.0)
    named = affinity_tensor([a, b], w)
    assert named.shape == (28, 6, 2) and named.animals == ["sim01", "sim02"]
    assert named.neuron_names == a.ch_names[1:]
    i, j = named.pairs[0]
    direct = correlation_affinity(
        b.pick([named.neuron_names[i], named.neuron_names[j]]).get_data()[:, :100]
    )[0, 1]
    assert named.values[0, 0, 1] == pytest.approx(direct)
    pooled = affinity_tensor([a, b], w, identity="pool")
    assert pooled.shape == (36 + 28, 6, 1) and pooled.neuron_names[0] == "sim01:n000"
    assert pooled.to_matrix(pooled.values[:, 0, 0])[0, 9:].max() == 0.0


def test_hand_checked_affinities():
    slopes = np.array([[1.0, -2.0, 0.0, 3.0], [2.0, -1.0, 5.0, -1.0]])
    # mean of max(d1*d2, 0): (2 + 2 + 0 + 0) / 4
    assert differential_affinity(slopes)[0, 1] == pytest.approx(1.0)
    t = np.arange(40.0)
    x = np.stack([np.sin(t), -np.sin(t), np.sin(t - 2)])
    assert correlation_affinity(x)[0, 1] == 0.0
    assert lagged_correlation_affinity(x, 2)[0, 2] == pytest.approx(1.0)
    assert lagged_correlation_affinity(x, 1)[0, 2] < 0.9
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 2, 4000).astype(float)
    mi = mutual_information_affinity(np.stack([codes, codes]), 2)
    assert mi[0, 1] == pytest.approx(np.log(2), abs=0.01)


def test_epoch_windows_follow_annotations():
    rec = Recording(
        np.zeros((2, 300)),
        10.0,
        ["a", "b"],
        "calcium",
        annotations=Annotations([5.0, 20.0], [5.0, 5.0], ["on", "on"]),
    )
    w = epoch_windows(rec, max_length=6.0)
    assert w.labels == ["baseline", "on", "baseline", "baseline", "on", "baseline"]
    assert w.starts[1] == 5.0 and w.stops[1] == 10.0 and w.stops[-1] == 30.0


def test_prepare_traces_fills_nan_drops_constant_and_selects_cells():
    rec = simulate_switching_communities(n_neurons=6, epoch_duration=30.0)
    data = rec.get_data().copy()
    data[1, 100:103] = np.nan
    data[4] = 300.0
    raw = Recording(
        data,
        rec.sfreq,
        rec.ch_names,
        "calcium",
        check_finite=False,
        channel_info={"iscell": np.array([1, 1, 1, 1, 1, 0], bool)},
    )
    out = prepare_traces(raw, cells_only=True)
    assert out.ch_names == ["n000", "n001", "n002", "n003"]
    assert out.metadata["n_filled_nan"] == 3
    assert out.metadata["dropped_constant"] == ["n004"]
    assert np.isfinite(out.get_data()).all()
    kept = prepare_traces(raw, drop_constant=False)
    tensor = affinity_tensor(kept, sliding_windows(kept.duration, 30.0))
    row = [k for k, (i, j) in enumerate(tensor.pairs) if 4 in (i, j)]
    assert np.all(tensor.values[row] == 0.0)
    events = prepare_traces(raw, output="events")
    assert (events.get_data() >= 0).all() and events.units[0] == "a.u."


def test_rank_selection_stability_criterion():
    from neurokit_ai.connectome import cp_to_tensor

    rng = np.random.default_rng(0)
    f = [rng.random((n, 3)) * (rng.random((n, 3)) < 0.6) for n in (40, 15, 6)]
    x = cp_to_tensor(np.ones(3), f) + 0.01 * rng.random((40, 15, 6))
    sel = select_rank(
        x,
        [1, 2, 3, 4, 5],
        criterion="stability",
        n_restarts=4,
        n_folds=1,
        random_state=0,
    )
    assert sel.rank == 3
    assert sel.core_consistency[2] > 90 and "chosen" in sel.table()
    by_cv = select_rank(x, [1, 2, 3, 4, 5], n_restarts=2, random_state=0)
    assert by_cv.rank == 3


def test_sbm_and_louvain_find_planted_blocks():
    rng = np.random.default_rng(2)
    z = np.repeat([0, 1, 2, 3], 6)
    w = rng.normal(np.where(z[:, None] == z[None, :], 1.0, 0.2), 0.1).clip(0)
    w = np.triu(w, 1) + np.triu(w, 1).T
    fit = weighted_sbm(w, random_state=0)
    assert fit.n_communities == 4 and adjusted_rand_score(fit.labels, z) == 1.0
    assert fit.block_means[0, 0] == pytest.approx(1.0, abs=0.1)
    labels = detect_communities(w, "louvain", random_state=0)
    assert adjusted_rand_score(labels, z) == 1.0


def test_bad_inputs_are_rejected(planted):
    _, dff = planted
    nan = Recording(
        np.full((2, 50), np.nan), 10.0, ["a", "b"], "calcium", check_finite=False
    )
    with pytest.raises(ValidationError, match="prepare_traces interpolates"):
        affinity_tensor(nan, sliding_windows(5.0, 1.0))
    with pytest.raises(ValidationError, match="2 \\* max_lag \\+ 3"):
        affinity_tensor(
            dff,
            sliding_windows(dff.duration, 1.0),
            method="lagged_correlation",
            max_lag=1.0,
        )
    with pytest.raises(ValidationError, match="lasts"):
        affinity_tensor(dff, Windows(np.array([0.0]), np.array([1e4]), ["w"]))
    with pytest.raises(DTypeError, match="Windows"):
        affinity_tensor(dff, [(0, 10)])
    with pytest.raises(ValidationError, match="method"):
        affinity_tensor(dff, sliding_windows(dff.duration, 20.0), method="granger")
    other = dff.copy()
    other.ch_names = [f"x{i}" for i in range(other.n_channels)]
    with pytest.raises(ValidationError, match="identity='pool'"):
        affinity_tensor([dff, other], sliding_windows(dff.duration, 20.0))
    with pytest.raises(ValidationError, match="finite sample"):
        prepare_traces(
            Recording(
                np.r_[[[np.nan] * 99 + [1.0]]],
                10.0,
                ["a"],
                "calcium",
                check_finite=False,
            )
        )
    with pytest.raises(ValidationError, match="iscell"):
        prepare_traces(dff, cells_only=True)
    with pytest.raises(ValidationError, match="symmetric"):
        weighted_sbm(np.triu(np.ones((4, 4))))
    with pytest.raises(ValidationError, match="negative"):
        detect_communities(-np.ones((4, 4)))
    with pytest.raises(DTypeError, match="AffinityTensor"):
        dynamic_connectome(np.ones((3, 3, 3)))
    tensor = affinity_tensor(dff, sliding_windows(dff.duration, 60.0))
    assert isinstance(tensor, AffinityTensor)
    with pytest.raises(ValidationError, match="rank=7 is larger"):
        dynamic_connectome(tensor, 7)
    with pytest.raises(ValidationError, match="longer than the recording"):
        sliding_windows(10.0, 20.0)


def test_suite2p_pipeline_runs(recordings):
    from neurokit_ai.io import read_suite2p

    folder = recordings / "calcium" / "suite2p_pynapple" / "plane0"
    fs = 10.0  # assumption: ops.npy is absent, the frame rate is unknown
    raw = read_suite2p(folder, fs=fs, cells_only=True)
    fneu = read_suite2p(folder, fs=fs, signal="Fneu", cells_only=True)
    dff = prepare_traces(raw, neuropil=fneu)
    # roi210 (F ~ 3, Fneu ~ 5 a.u.) has a negative corrected baseline.
    assert dff.metadata["dropped_nonpositive"] == ["roi210"]
    assert dff.n_channels == 19
    tensor = affinity_tensor(dff, sliding_windows(dff.duration, 20.0))
    assert tensor.shape == (dff.n_channels * (dff.n_channels - 1) // 2, 10, 1)
    dc = dynamic_connectome(
        tensor, "auto", ranks=[1, 2, 3, 4], n_restarts=2, random_state=0
    )
    assert 1 <= dc.rank <= 4
    assert all(len(c) == dff.n_channels for c in dc.communities)
    assert np.isfinite(dc.time_courses).all() and (dc.time_courses >= 0).all()
