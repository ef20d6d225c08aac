"""Submodular subset attribution (LiMA-style) on the toy CNN: its ranking puts
the planted class shape first and beats random and gradient rankings on the
insertion/deletion metrics; hand-checked curves and exact search counts."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    grid_regions,
    insertion_deletion,
    integrated_gradients,
    make_toy_vision,
    region_ranking,
    saliency,
    submodular_attribution,
)


def test_subset_attribution_finds_the_planted_shape(toy_cnn):
    model, _ = toy_cnn
    data = make_toy_vision(6, random_state=4)
    regions = grid_regions(32, 32, 8)
    rng = np.random.default_rng(0)
    metrics = {"lima": [], "ig": [], "saliency": [], "random": []}
    on_shape = []
    for image, label in zip(data.images, data.labels.tolist(), strict=True):
        res = submodular_attribution(model, image, label, regions)
        assert sorted(res.order.tolist()) == list(range(16))
        assert res.attribution_map.shape == (32, 32)
        orders = {
            "lima": res.order,
            "ig": region_ranking(
                integrated_gradients(model, image[None], target=label)[0].sum(0),
                regions,
            ),
            "saliency": region_ranking(
                saliency(model, image[None], target=label)[0].sum(0), regions
            ),
            "random": rng.permutation(16),
        }
        for name, order in orders.items():
            metrics[name].append(
                insertion_deletion(model, image, label, regions, order)[:2]
            )
        shape = data.masks[len(on_shape), label]
        on_shape.append(bool(shape[regions == res.order[0]].any()))
    means = {name: np.mean(v, 0).round(3).tolist() for name, v in metrics.items()}
    print(f"insertion/deletion AUC over 6 images, 16 regions: {means}")
    assert np.mean(on_shape) >= 5 / 6
    ins, dele = means["lima"]
    assert ins > means["random"][0] + 0.2 and dele < means["random"][1] - 0.2
    assert ins >= means["saliency"][0] and dele <= means["saliency"][1]


def test_search_counts_and_curves_by_hand():
    # the class-0 logit reads pixel (0, 0) only: that region must come first
    def model(x):
        return torch.stack([x[:, 0, 0, 0], -x[:, 0, 0, 0]], 1) * 5

    image = torch.rand(1, 4, 4) + 0.5
    regions = grid_regions(4, 4, 1)
    lima = submodular_attribution(model, image, 0, regions)
    greedy = submodular_attribution(model, image, 0, regions, bidirectional=False)
    assert lima.order[0] == greedy.order[0] == 0
    # each round scores every remaining region on two images (kept, removed)
    assert greedy.n_evaluations == 2 * sum(range(1, 17))
    assert lima.n_evaluations == 2 * sum(range(2, 17, 2))
    assert lima.scores[0] == 1.0 and lima.scores.min() == pytest.approx(1 / 16)
    ins, dele, ins_curve, del_curve = insertion_deletion(
        model, image, 0, regions, lima.order
    )
    p = torch.sigmoid(10 * image[0, 0, 0]).item()
    np.testing.assert_allclose(ins_curve, [0.5] + [p] * 16, rtol=1e-6)
    np.testing.assert_allclose(del_curve, [p] + [0.5] * 16, rtol=1e-6)
    assert ins == pytest.approx((0.25 + 15.5 * p) / 16)
    # an embedding adds the consistency term and may not break the ranking
    res = submodular_attribution(
        model, image, 0, regions, embed=lambda x: x.flatten(1), weights=(1, 1, 0.1, 0)
    )
    assert res.order[0] == 0


def test_effectiveness_prefers_diverse_regions():
    # a constant model: only the diversity of the chosen regions matters; the
    # regions' embeddings are their pixel values, two pairs of near-duplicates
    def model(x):
        return torch.zeros(x.shape[0], 2)

    image = torch.tensor([[[1.0, 1.1], [5.0, 5.1]]])
    regions = grid_regions(2, 2, 1)

    def embed(x):
        return x.flatten(1).sum(1, keepdim=True)

    res = submodular_attribution(
        model, image, 0, regions, embed=embed, weights=(0, 0, 0, 1), bidirectional=False
    )
    # after the first region, the next one comes from the other pair
    first, second = res.order[:2]
    assert (first < 2) != (second < 2)


def test_submodular_bad_inputs():
    def model(x):
        return x.flatten(1)[:, :2]

    image = torch.rand(1, 4, 4)
    regions = grid_regions(4, 4, 2)
    with pytest.raises(NeurokitError, match="image"):
        submodular_attribution(model, image[None], 0, regions)
    with pytest.raises(NeurokitError, match="image"):
        submodular_attribution(model, image.numpy(), 0, regions)
    with pytest.raises(NeurokitError, match="one region label per pixel"):
        submodular_attribution(model, image, 0, regions[:2])
    with pytest.raises(NeurokitError, match="integer labels"):
        submodular_attribution(model, image, 0, regions - 1)
    with pytest.raises(NeurokitError, match="weights"):
        submodular_attribution(model, image, 0, regions, weights=(0, 0, 0, 0))
    with pytest.raises(NeurokitError, match="weights"):
        submodular_attribution(model, image, 0, regions, weights=(1, 1, 1))
    with pytest.raises(NeurokitError, match="target"):
        submodular_attribution(model, image, 5, regions)
    with pytest.raises(NeurokitError, match="baseline"):
        submodular_attribution(model, image, 0, regions, baseline=torch.ones(2))
    with pytest.raises(NeurokitError, match="every region"):
        insertion_deletion(model, image, 0, regions, [0, 1])
    with pytest.raises(NeurokitError, match="channels"):
        region_ranking(np.ones((1, 4, 4)), regions)


def test_submodular_review_non_finite_inputs_are_refused():
    def model(x):
        return torch.stack([x[:, 0, 0, 0], -x[:, 0, 0, 0]], 1)

    image = torch.zeros(1, 2, 2)
    regions = grid_regions(2, 2, 1)
    with pytest.raises(NeurokitError, match="image holds NaN"):
        submodular_attribution(model, image * float("nan"), 0, regions)
    with pytest.raises(NeurokitError, match="weights"):
        submodular_attribution(model, image, 0, regions, weights=(np.nan, 1, 1, 0))
    with pytest.raises(NeurokitError, match="baseline"):
        submodular_attribution(model, image, 0, regions, baseline=float("inf"))
    with pytest.raises(NeurokitError, match="baseline holds NaN"):
        insertion_deletion(
            model, image, 0, regions, [0, 1, 2, 3], baseline=image * float("nan")
        )
    with pytest.raises(NeurokitError, match="attribution"):
        region_ranking(np.array([[np.nan, 1.0], [2.0, 3.0]]), regions)
