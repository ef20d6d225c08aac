"""CRAFT on the toy CNN: the concept with the largest Sobol importance is the
planted class shape, its attribution maps sit on it; NMF/NNLS and the recursive
step checked on exact cases; the toy images and CNN themselves."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError, NotFittedError, Responses

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    CLASS_SHAPES,
    CRAFT,
    HookedModel,
    ToyCNN,
    image_crops,
    make_toy_vision,
    train_toy_cnn,
)


def _boxes(masks):
    """Bounding box of each planted shape mask, ``(n, n_shapes, size, size)``."""
    out = np.zeros_like(masks)
    for i, j in np.ndindex(masks.shape[:2]):
        rows, cols = np.nonzero(masks[i, j])
        if rows.size:
            out[i, j, rows.min() : rows.max() + 1, cols.min() : cols.max() + 1] = True
    return out


def test_toy_cnn_learns_the_planted_classes(toy_cnn):
    model, held_out = toy_cnn
    with torch.no_grad():
        accuracy = (model(held_out.images).argmax(1) == held_out.labels).float().mean()
    assert accuracy > 0.95
    data = make_toy_vision(9, random_state=1)
    # every image holds its class shape and no other class shape
    present = data.masks.any(axis=(2, 3))
    assert present[np.arange(9), data.labels.numpy()].all()
    assert present[:, : len(CLASS_SHAPES)].sum(1).tolist() == [1] * 9
    with pytest.raises(NeurokitError, match="image_size"):
        make_toy_vision(3, image_size=8)
    with pytest.raises(NeurokitError, match="without overlap"):
        make_toy_vision(3, image_size=16, n_distractors=6)


def test_sobol_importance_ranks_the_planted_shape_first(toy_cnn):
    model, _ = toy_cnn
    hooked = HookedModel(model)
    data = make_toy_vision(150, random_state=3)

    def centred_logits(acts):
        logits = model.head(model.gap(acts).flatten(1))
        return logits - logits.mean(1, keepdim=True)

    enrichment = {}
    for cls in range(len(CLASS_SHAPES)):
        keep = (data.labels == cls).numpy()
        _, cache = hooked.run_with_cache(data.images[keep], names=["relu3"])
        acts = cache["relu3"]
        craft = CRAFT(4, random_state=0).fit(acts[:30])
        importance = craft.estimate_importance(acts[30:], centred_logits, cls)
        assert importance.shape == (4,) and (importance >= 0).all()
        maps = craft.concept_attribution_maps(acts[30:], 32)
        assert maps.shape == (20, 4, 32, 32)
        box = _boxes(data.masks[keep][30:])[:, cls]
        top = int(np.argmax(importance))
        inside = (maps[:, top] * box).sum() / maps[:, top].sum()
        enrichment[CLASS_SHAPES[cls]] = float(inside / box.mean())
    print(f"map mass in the class shape's box / box area, top concept: {enrichment}")
    # ring and checkerboard: the most important concept lies on the planted shape
    assert enrichment["ring"] > 3 and enrichment["checker"] > 3


def test_nmf_transform_and_recursion_on_exact_cases():
    rng = np.random.default_rng(0)
    bank = np.zeros((3, 9))
    bank[0, :3], bank[1, 3:6], bank[2, 6:] = 1.0, 2.0, 1.5
    codes = rng.random((80, 3)) * (rng.random((80, 3)) < 0.6)
    craft = CRAFT(3, max_iter=2000, tol=1e-8, random_state=0).fit(codes @ bank)
    # the planted parts come back (up to order and scale)
    found = craft.components_ / np.linalg.norm(craft.components_, axis=1)[:, None]
    truth = bank / np.linalg.norm(bank, axis=1)[:, None]
    assert (found @ truth.T).max(1).min() > 0.99
    new = rng.random((5, 3)) @ bank
    np.testing.assert_allclose(
        craft.inverse_transform(craft.transform(new)), new, atol=1e-2
    )
    # 4-D activations: one row per location, maps back per location
    maps = codes[:16].reshape(1, 4, 4, 3).transpose(0, 3, 1, 2)
    acts = np.einsum("nrhw,rc->nchw", maps, bank)
    back = craft.transform(acts)
    assert back.shape == (1, 3, 4, 4)
    np.testing.assert_allclose(craft.inverse_transform(back), acts, atol=1e-2)
    # recursion: rows expressing concept 0 most, factored at an "earlier layer"
    earlier = np.concatenate([codes @ bank, codes[:, :1] * rng.random((80, 4))], 1)
    concept = int(np.argmax(craft.components_[:, 0]))
    sub = craft.refine(concept, codes @ bank, earlier, 2, quantile=0.8)
    assert sub.components_.shape == (2, 13)
    coef = craft.transform(codes @ bank)[:, concept]
    assert coef[sub.rows_].min() >= np.quantile(coef, 0.8)
    # Responses are accepted
    r = Responses(codes @ bank, conditions=[f"c{i}" for i in range(80)])
    assert CRAFT(3, random_state=0).fit(r).transform(r).shape == (80, 3)


def test_craft_bad_inputs():
    x = np.random.default_rng(0).random((10, 4))
    with pytest.raises(NeurokitError, match="negative"):
        CRAFT(2).fit(x - 1)
    with pytest.raises(NeurokitError, match="n_concepts"):
        CRAFT(5).fit(x)
    with pytest.raises(NeurokitError, match="X"):
        CRAFT(2).fit(np.ones((2, 3, 4)))
    with pytest.raises(NotFittedError):
        CRAFT(2).transform(x)
    craft = CRAFT(2, random_state=0).fit(x)
    with pytest.raises(NeurokitError, match="expecting 4 features"):
        craft.transform(x[:, :3])
    with pytest.raises(NeurokitError, match="callable"):
        craft.estimate_importance(x, "head", 0)
    with pytest.raises(NeurokitError, match="class_index"):
        craft.estimate_importance(x, lambda a: a[:, :2], 5)
    with pytest.raises(NeurokitError, match="4-D"):
        craft.concept_attribution_maps(x, 8)
    with pytest.raises(NeurokitError, match="rows"):
        craft.refine(0, x, x[:5], 1)
    with pytest.raises(NeurokitError, match="concept"):
        craft.refine(3, x, x, 1)


def test_image_crops_cut_and_resize():
    images = torch.arange(2 * 16.0).reshape(2, 1, 4, 4)
    crops = image_crops(images, 2, stride=2, size=2)
    assert crops.shape == (8, 1, 2, 2)
    torch.testing.assert_close(crops[1, 0], images[0, 0, 0:2, 2:4])
    torch.testing.assert_close(crops[6, 0], images[1, 0, 2:4, 0:2])
    # resized back to the input size; default stride 0.8 * patch
    assert image_crops(images, 2).shape == (18, 1, 4, 4)
    constant = image_crops(torch.ones(1, 1, 8, 8), 4)
    torch.testing.assert_close(constant, torch.ones_like(constant))
    with pytest.raises(NeurokitError, match="patch_size"):
        image_crops(images, 5)
    with pytest.raises(NeurokitError, match="images"):
        image_crops(images[0], 2)
    with pytest.raises(NeurokitError, match="stride"):
        image_crops(images, 2, stride=0)


def test_craft_review_inputs_are_refused_not_clipped():
    x = np.random.default_rng(0).random((10, 4))
    craft = CRAFT(2, random_state=0).fit(x)
    with pytest.raises(NeurokitError, match="negative"):
        craft.transform(x - 0.5)
    with pytest.raises(NeurokitError, match="tol"):
        CRAFT(2, tol=-1.0).fit(x)
    acts = np.random.default_rng(1).random((2, 4, 3, 3))
    for size in (0, -2, 4.5, (4, 4, 4)):
        with pytest.raises(NeurokitError, match="size"):
            craft.concept_attribution_maps(acts, size)
    with pytest.raises(NeurokitError, match="floating-point"):
        image_crops(torch.zeros(1, 1, 8, 8, dtype=torch.long), 4, size=6)
    with pytest.raises(NeurokitError, match="expresses concept 0"):
        craft.refine(0, np.zeros_like(x), x, 1)


def test_train_toy_cnn_review_random_state_checked():
    with pytest.raises(NeurokitError, match="random_state"):
        train_toy_cnn(n_train=32, n_epochs=1, random_state=None)
    for kw in ({"n_classes": 0}, {"width": 2.5}):
        with pytest.raises(NeurokitError, match=next(iter(kw))):
            ToyCNN(**kw)
