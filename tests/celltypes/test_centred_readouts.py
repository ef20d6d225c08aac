"""Centred readouts: mask centres, moving masks, shifting stimuli, MDS in place."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neurokit_ai.celltypes import MDSClustering, shift_stimuli
from neurokit_ai.celltypes._network import CoreReadoutNetwork
from neurokit_ai.core import DTypeError, ValidationError


def _net_with_point_masks(points: list[tuple[int, int]], size: int = 13):
    torch.manual_seed(0)
    net = CoreReadoutNetwork(
        2, size, size, n_neurons=len(points), n_features=4, readout="mask"
    )
    with torch.no_grad():
        net.mask.zero_()
        for n, (r, c) in enumerate(points):
            net.mask[n, r * size + c] = 1.0
    return net.eval()


def test_mask_centres_find_a_planted_bump():
    size = 9
    net = _net_with_point_masks([(0, 0)], size)
    yy, xx = np.mgrid[:size, :size]
    bump = np.exp(-((yy - 2.3) ** 2 + (xx - 5.6) ** 2) / 2.0)
    with torch.no_grad():
        net.mask[0] = torch.as_tensor(np.sqrt(bump).ravel(), dtype=torch.float32)
    # squared mask = Gaussian of centre (2.3, 5.6), barely cut by the border
    assert net.mask_centres()[0].tolist() == pytest.approx([2.3, 5.6], abs=0.02)


def test_centred_masks_move_to_the_middle_keeping_their_shape():
    net = _net_with_point_masks([(2, 9), (6, 6), (10, 3)])
    moved = net.centred_masks().view(3, 13, 13)
    for n in range(3):
        assert moved[n, 6, 6] == pytest.approx(1.0)
        assert moved[n].sum() == pytest.approx(1.0)
    # a set receptive-field centre overrides the mask's own
    with torch.no_grad():
        net.rf_centres[1] = torch.tensor([2.0, 9.0])
    assert net.centred_masks().view(3, 13, 13)[1, 10, 3] == pytest.approx(1.0)
    with torch.no_grad():
        net.rf_centres.fill_(float("nan"))
    # half a pixel away from the grid: split evenly between two pixels
    with torch.no_grad():
        net.mask[0].zero_()
        net.mask[0, 2 * 13 + 4] = net.mask[0, 2 * 13 + 5] = 1.0
    half = net.centred_masks()[0].view(13, 13)
    assert half[6, 5:8].tolist() == pytest.approx([0.5, 1.0, 0.5])


def test_gaussian_readout_moves_its_bump_exactly():
    torch.manual_seed(0)
    net = CoreReadoutNetwork(2, 9, 9, n_neurons=2, n_features=3)
    with torch.no_grad():
        net.position.copy_(torch.tensor([[-0.5, 0.5], [0.25, 0.0]]))
        net.log_width.fill_(0.0)
        net.rf_centres.copy_(torch.tensor([[2.5, 6.0], [5.0, 4.0]]))
    # half-grid units: -1..1 spans rows and columns 0..8
    centres = net.mask_centres().flatten().tolist()
    assert centres == pytest.approx([2, 6, 5, 4], abs=1e-2)
    masks = net.spatial_masks()
    assert masks.sum(dim=1).tolist() == pytest.approx([1.0, 1.0])
    moved = net.centred_masks().view(2, 9, 9)
    # the first bump moves by (4, 4) - (2.5, 6): to (3.5, 4), nothing cut off
    assert moved[0].sum() == pytest.approx(1.0)
    assert moved[0, 3, 4] == pytest.approx(moved[0, 4, 4].item())
    assert moved[1, 3:6, 4].tolist() == pytest.approx(
        masks[1].view(9, 9)[4:7, 4].tolist(), rel=1e-3
    )
    with pytest.raises(ValueError, match="readout must be"):
        CoreReadoutNetwork(2, 9, 9, n_neurons=2, readout="point")


def test_centred_forward_is_the_response_to_the_stimulus_on_the_field():
    """A neuron looking at (4, 8), centred, answers a clip in the middle as it
    answers that clip moved onto (4, 8): the core is convolutional."""
    net = _net_with_point_masks([(4, 8)])
    rng = np.random.default_rng(0)
    clip = np.zeros((3, 2, 13, 13))
    clip[:, :, 5:8, 5:8] = rng.normal(size=(3, 2, 3, 3))
    moved = shift_stimuli(clip, (-2, 2))
    with torch.no_grad():
        centred = net(torch.as_tensor(clip, dtype=torch.float32), centred=True)
        direct = net(torch.as_tensor(moved, dtype=torch.float32))
        plain = net(torch.as_tensor(clip, dtype=torch.float32))
    assert torch.allclose(centred, direct, atol=1e-5)
    assert not torch.allclose(centred, plain, atol=1e-2)


def test_sensitivity_centres_follow_the_readout():
    """Moving a readout by (dr, dc) moves the sensitivity map by about (dr, dc)
    (not exactly: each stimulus weighs the gradient by its own response)."""
    net = _net_with_point_masks([(4, 5), (7, 8), (5, 5)])
    x = torch.as_tensor(np.random.default_rng(1).normal(size=(256, 2, 13, 13)))
    centres = net.receptive_field_centres(x.float()).numpy()
    assert centres[1] - centres[0] == pytest.approx([3.0, 3.0], abs=0.2)
    assert centres[2] - centres[0] == pytest.approx([1.0, 0.0], abs=0.2)
    # the core's 7 x 7 footprint around the read pixel
    assert np.all(np.abs(centres[0] - [4, 5]) < 1.5)


def test_sensitivity_maps_match_the_exact_jacobian():
    """One frame: the probes are exact; a sum over squared autograd gradients."""
    torch.manual_seed(0)
    net = CoreReadoutNetwork(1, 6, 6, n_neurons=3, n_features=3, kernel_size=3)
    x = torch.randn(10, 1, 6, 6)
    maps = net.sensitivity_maps(x)
    exact = torch.zeros(3, 6, 6, dtype=torch.float64)
    for n in range(3):
        xs = x.clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(net(xs)[:, n].sum(), xs)
        exact[n] = (grad.double() ** 2).sum(dim=(0, 1))
    assert torch.allclose(maps, exact, rtol=1e-4, atol=1e-10)


def test_shift_stimuli_moves_and_fills():
    x = np.zeros((2, 3, 6, 6))
    x[:, :, 1, 1] = 1.0
    out = shift_stimuli(x, (2, 3), fill=0.5)
    assert out.shape == x.shape
    assert np.all(out[:, :, 3, 4] == 1.0)
    assert np.all(out[:, :, :2, :] == 0.5) and np.all(out[:, :, :, :3] == 0.5)
    half = shift_stimuli(x[0, 0], (0, 0.5))
    assert half[1, 1:3].tolist() == pytest.approx([0.5, 0.5])
    with pytest.raises(ValidationError, match="offset must have shape"):
        shift_stimuli(x, (1, 2, 3))
    with pytest.raises(ValidationError, match="height and a width"):
        shift_stimuli(np.zeros(4), (1, 1))
    with pytest.raises(ValidationError, match="non-finite"):
        shift_stimuli(np.full((2, 2), np.nan), (1, 1))


def test_centre_readouts_needs_a_conv_response_model():
    linear = torch.nn.Linear(16, 4)
    reference = np.random.default_rng(0).normal(size=(50, 16))
    with pytest.raises(DTypeError, match="centre_readouts=True needs a fitted"):
        MDSClustering(n_clusters=2, centre_readouts=True).fit(linear, reference)
    with pytest.raises(ValidationError, match="centre_readouts must be one of"):
        MDSClustering(n_clusters=2, centre_readouts="yes").fit(linear, reference)


@pytest.fixture(scope="module")
def mosaic():
    """4 types, receptive fields spread over ±3 px of a 10 × 10 field."""
    from neurokit_ai.celltypes import ConvResponseModel
    from neurokit_ai.datasets._retina import simulate_retina

    sim = simulate_retina(
        n_neurons=48,
        n_types=4,
        n_stimuli=600,
        size=10,
        rf_spread=3,
        noise_level=0.3,
        random_state=0,
    )
    model = ConvResponseModel(max_epochs=60, random_state=0).fit(
        sim.stimuli, sim.responses
    )
    return sim, model


def test_model_locates_receptive_fields(mosaic):
    sim, model = mosaic
    found = model.receptive_field_centres_
    error = np.linalg.norm(found - sim.rf_centres, axis=1)
    assert np.median(error) < 0.2
    # no pull towards the middle of the grid: found ≈ 1 · true + 0 on each axis
    for axis in range(2):
        slope, intercept = np.polyfit(sim.rf_centres[:, axis], found[:, axis], 1)
        assert slope == pytest.approx(1.0, abs=0.05)
        assert intercept == pytest.approx(0.0, abs=0.3)
    centred = model.predict(sim.stimuli, centred=True)
    assert centred.shape == (600, 48)
    assert np.allclose(centred.mean(axis=0), model.centred_response_mean_)
    assert np.allclose(centred.std(axis=0), model.centred_response_std_)
    assert not np.allclose(centred, model.predict(sim.stimuli), atol=0.05)


def test_centred_readouts_recover_types_spread_over_the_field(mosaic):
    from sklearn.metrics import adjusted_rand_score

    from neurokit_ai.celltypes import cluster_features, response_features

    sim, model = mosaic
    truth = sim.cell_types
    centred = MDSClustering(n_clusters=4, centre_readouts=True, n_steps=50).fit(model)
    plain = MDSClustering(n_clusters=4, n_steps=50).fit(model)
    scores = {
        "centred": adjusted_rand_score(truth, centred.labels_),
        "plain": adjusted_rand_score(truth, plain.labels_),
        "responses": adjusted_rand_score(
            truth, cluster_features(response_features(sim.responses), 4)
        ),
        "readouts": adjusted_rand_score(
            truth, cluster_features(model.readout_weights_, 4)
        ),
    }
    assert scores["centred"] > 0.95, scores
    others = [v for k, v in scores.items() if k != "centred"]
    assert scores["centred"] > max(others), scores
    # the on-the-fly use: each cell shown the MDS centred on its receptive
    # field picks (mostly) the cluster the model put it in
    on_the_fly = [
        centred.predict(sim.rates(centred.stimuli_at(sim.rf_centres[i]), [i]))[0]
        for i in range(len(truth))
    ]
    assert np.mean(np.array(on_the_fly) == centred.labels_) > 0.8
    assert np.mean(centred.predict_model(model) == centred.labels_) > 0.95
    with pytest.raises(DTypeError, match="centre_readouts=True, so X must be"):
        centred.predict_model(torch.nn.Linear(400, 3))
