"""Searchlight RSA: neighbourhoods vs brute force, RDMs vs compute_rdm and
rsatoolbox, a planted informative region, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.ndimage import binary_dilation
from scipy.spatial.distance import cdist

from neurokit_ai.core import Montage, NeurokitError, Responses
from neurokit_ai.rsa import (
    FixedModel,
    Neighbourhoods,
    RDMs,
    WeightedModel,
    compute_rdm,
    searchlight_evaluate,
    searchlight_rdms,
    sensor_neighbourhoods,
    volume_neighbourhoods,
)

RTOL = 1e-8


def _blob_mask(shape=(9, 10, 8), seed=0):
    rng = np.random.default_rng(seed)
    grid = np.stack(np.meshgrid(*[np.arange(s) for s in shape], indexing="ij"), -1)
    centre = (np.array(shape) - 1) / 2
    inside = np.linalg.norm((grid - centre) / (np.array(shape) / 2.2), axis=-1) < 1
    return inside & (rng.random(shape) > 0.1)


def test_volume_neighbourhoods_match_brute_force():
    mask = _blob_mask()
    affine = np.diag([2.0, 2.5, 3.0, 1.0])
    affine[:3, 3] = [-10, 4, 7]
    radius, min_fraction = 5.5, 0.6
    nb = volume_neighbourhoods(mask, radius, affine=affine, min_fraction=min_fraction)

    vox = np.argwhere(mask)
    mm = vox @ affine[:3, :3].T + affine[:3, 3]
    within = cdist(mm, mm) <= radius
    g = np.arange(-6, 7)
    offs = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3)
    full = np.sum(np.linalg.norm(offs @ affine[:3, :3].T, axis=1) <= radius)
    centres = np.flatnonzero(within.sum(1) >= min_fraction * full)
    assert 0 < centres.size < vox.shape[0]
    np.testing.assert_array_equal(nb.centres, centres)
    for k, c in enumerate(centres):
        np.testing.assert_array_equal(nb[k], np.flatnonzero(within[c]))
    assert nb.n_units == vox.shape[0]


def test_volume_neighbourhoods_from_image_and_maps_back(tmp_path):
    nib = pytest.importorskip("nibabel")
    mask = _blob_mask()
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    path = tmp_path / "mask.nii.gz"
    nib.save(nib.Nifti1Image(mask.astype(np.uint8), affine), path)
    nb = volume_neighbourhoods(str(path), 4.0, min_fraction=0.0)
    ref = volume_neighbourhoods(mask, 2.0, min_fraction=0.0)
    np.testing.assert_array_equal(nb.indices, ref.indices)
    img = nb.to_image(np.arange(len(nb), dtype=float))
    vol = np.asarray(img.dataobj)
    np.testing.assert_array_equal(vol[mask], np.arange(mask.sum()))
    assert np.isnan(vol[~mask]).all()
    np.testing.assert_array_equal(img.affine, affine)


def test_sensor_neighbourhoods_match_brute_force():
    pos = np.random.default_rng(0).normal(size=(40, 3)) * 0.05
    radius = 0.06
    nb = sensor_neighbourhoods(pos, radius)
    d = cdist(pos, pos)
    for k in range(40):
        np.testing.assert_array_equal(nb[k], np.flatnonzero(d[k] <= radius))
    mont = Montage({f"E{i}": p for i, p in enumerate(pos)})
    np.testing.assert_array_equal(
        sensor_neighbourhoods(mont, radius).indices, nb.indices
    )


def _responses(method, seed=0, unbalanced=False):
    rng = np.random.default_rng(seed)
    n_cond, n_runs, n_units = 6, 3, 40
    cond = np.tile(np.arange(n_cond), n_runs)
    runs = np.repeat(np.arange(n_runs), n_cond)
    x = rng.normal(size=(n_cond, n_units))[cond] + rng.normal(size=(cond.size, n_units))
    if unbalanced:
        cond, runs = np.r_[cond, 0, 3], np.r_[runs, 1, 2]
        x = np.vstack([x, rng.normal(size=(2, n_units))])
    if method == "poisson":
        x = rng.poisson(3.0, size=x.shape).astype(float)
    return Responses(x, conditions=[f"c{c}" for c in cond], runs=runs)


@pytest.mark.parametrize(
    ("method", "unbalanced", "diag_noise"),
    [
        ("euclidean", False, False),
        ("correlation", False, False),
        ("cosine", False, False),
        ("mahalanobis", False, True),
        ("crossnobis", False, False),
        ("crossnobis", False, True),
        ("crossnobis", True, True),
        ("poisson", False, False),
    ],
)
def test_searchlight_equals_compute_rdm_per_neighbourhood(
    method, unbalanced, diag_noise
):
    resp = _responses(method, unbalanced=unbalanced)
    rng = np.random.default_rng(1)
    members = [
        np.sort(rng.choice(resp.n_units, size=rng.integers(3, 15), replace=False))
        for _ in range(25)
    ]
    prec = rng.uniform(0.5, 2.0, resp.n_units) if diag_noise else None
    sl = searchlight_rdms(
        resp, members, method, noise=prec, batch_size=4, n_jobs=2, verbose=False
    )
    assert sl.n_rdms == len(members)
    for k, m in enumerate(members):
        noise = None if prec is None else prec[m]
        ref = compute_rdm(resp.select_units(m), method, noise=noise)
        assert sl.conditions == ref.conditions
        np.testing.assert_allclose(sl.vectors[k], ref.vectors[0], rtol=RTOL, atol=1e-12)
    assert sl.descriptors["centre"] == list(range(len(members)))


def test_planted_region_is_found():
    shape = (8, 8, 8)
    mask = np.ones(shape, bool)
    rng = np.random.default_rng(0)
    n_cond, n_runs = 8, 4
    category = np.arange(n_cond) % 2
    model = RDMs(
        (category[:, None] != category[None, :]).astype(float), measure="category"
    )
    signal = np.zeros(shape, bool)
    signal[1:4, 4:7, 2:5] = True
    cond = np.tile(np.arange(n_cond), n_runs)
    x = rng.normal(size=(cond.size, mask.sum()))
    x[:, signal[mask]] += (
        1.5
        * (category[cond] - 0.5)[:, None]
        * rng.choice([-1.0, 1.0], size=signal.sum())
    )
    resp = Responses(x, conditions=cond.tolist(), runs=np.repeat(np.arange(n_runs), 8))
    nb = volume_neighbourhoods(mask, 1.0, min_fraction=0.0)
    sl = searchlight_rdms(resp, nb, "crossnobis", verbose=False)
    maps = searchlight_evaluate(sl, FixedModel("category", model), "corr")
    assert maps.shape == (1, mask.sum())
    vol = nb.to_volume(maps[0])
    far = ~binary_dilation(signal)  # spheres that do not touch the region
    assert signal[np.unravel_index(np.argmax(vol), shape)]
    assert vol[signal].mean() > 0.5
    assert abs(vol[far].mean()) < 0.1
    assert vol[2, 5, 3] > np.percentile(vol[far], 99)


def test_agrees_with_rsatoolbox_searchlight(capsys):
    rt_sl = pytest.importorskip("rsatoolbox.util.searchlight")
    mask = _blob_mask(shape=(7, 6, 6), seed=2)
    rng = np.random.default_rng(3)
    events = np.repeat(np.arange(5), 3)
    data = rng.normal(size=(events.size, mask.size))
    centres, neighbours = rt_sl.get_volume_searchlight(mask, radius=2, threshold=0.5)
    for method in ("correlation", "euclidean"):
        ref = rt_sl.get_searchlight_RDMs(
            data, centres, neighbours, events, method=method, verbose=False
        )
        nb = Neighbourhoods.from_lists(neighbours, mask.size, centres)
        ours = searchlight_rdms(
            Responses(data, conditions=events.tolist()), nb, method, verbose=False
        )
        np.testing.assert_allclose(
            ours.vectors, ref.dissimilarities, rtol=RTOL, atol=1e-12
        )
    # the same spheres (radius < 2.5 voxels, cut at the mask) from both libraries
    _, truncated = rt_sl.get_volume_searchlight(
        mask, radius=2.5, threshold=0.0, truncate_at_boundary=True
    )
    nb = volume_neighbourhoods(mask, 2.5, min_fraction=0.0)
    flat = np.flatnonzero(mask.ravel())
    for k, members in enumerate(truncated):
        np.testing.assert_array_equal(flat[nb[k]], np.sort(members))


def test_memory_estimate_and_quiet_mode(capsys):
    x = np.random.default_rng(0).normal(size=(4, 27))
    nb = volume_neighbourhoods(np.ones((3, 3, 3)), 1.0, min_fraction=0.0)
    searchlight_rdms(x, nb, "euclidean", verbose=False)
    assert capsys.readouterr().out == ""
    searchlight_rdms(x, nb, "euclidean", verbose=True)
    out = capsys.readouterr().out
    assert "27 searchlights" in out and "GiB" in out


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: volume_neighbourhoods(np.ones((3, 3, 3)), 0.0), "radius_mm"),
        (lambda: volume_neighbourhoods(np.ones((3, 3, 3)), -1.0), "radius_mm"),
        (lambda: volume_neighbourhoods(np.zeros((3, 3, 3)), 1.0), "no non-zero"),
        (lambda: volume_neighbourhoods(np.ones((3, 3)), 1.0), "3-D"),
        (
            lambda: volume_neighbourhoods(np.ones((3, 3, 3)), 1.0, min_fraction=1.5),
            "min_fraction",
        ),
        (
            lambda: volume_neighbourhoods(np.ones((2, 2, 2)), 5.0, min_fraction=1.0),
            "no searchlight centres",
        ),
        (lambda: sensor_neighbourhoods(np.ones((4, 2)), 1.0), "positions"),
        (lambda: sensor_neighbourhoods(np.ones((4, 3)), 0), "radius"),
        (lambda: Neighbourhoods.from_lists([[0, 1], []], 3), "empty"),
        (lambda: Neighbourhoods.from_lists([[0, 5]], 3), r"\[0, 3\)"),
    ],
)
def test_bad_neighbourhoods(call, match):
    with pytest.raises(NeurokitError, match=match):
        call()


def test_bad_searchlight_input():
    x = np.random.default_rng(0).normal(size=(4, 27))
    nb = volume_neighbourhoods(np.ones((3, 3, 3)), 1.0, min_fraction=0.0)
    with pytest.raises(NeurokitError, match="27 units but the data have 20"):
        searchlight_rdms(x[:, :20], nb, verbose=False)
    with pytest.raises(NeurokitError, match="method"):
        searchlight_rdms(x, nb, "manhattan", verbose=False)
    with pytest.raises(NeurokitError, match="runs"):
        searchlight_rdms(x, nb, "crossnobis", verbose=False)
    with pytest.raises(NeurokitError, match="diagonal precision"):
        searchlight_rdms(x, nb, "mahalanobis", noise=np.eye(27), verbose=False)
    with pytest.raises(NeurokitError, match="noise is only used"):
        searchlight_rdms(x, nb, "euclidean", noise=np.ones(27), verbose=False)
    with pytest.raises(NeurokitError, match="n_jobs"):
        searchlight_rdms(x, nb, n_jobs=0, verbose=False)
    with pytest.raises(NeurokitError, match="non-finite"):
        searchlight_rdms(np.where(x > 2, np.nan, x), nb, verbose=False)
    flat = x.copy()
    flat[:, :] = 1.0
    with pytest.raises(NeurokitError, match="constant patterns"):
        searchlight_rdms(flat, nb, "correlation", verbose=False)
    with pytest.raises(NeurokitError, match="one per"):
        nb.to_volume(np.ones(5))
    sl = searchlight_rdms(x, nb, "euclidean", verbose=False)
    weighted = WeightedModel("w", sl[:2])
    with pytest.raises(NeurokitError, match="FixedModel"):
        searchlight_evaluate(sl, [weighted])
