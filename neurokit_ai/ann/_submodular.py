"""Subset attribution by submodular greedy selection, and insertion/deletion.

"Less is More" (SMDL, Chen et al. ICLR 2024; LiMA, Chen et al. 2025;
papers.md section 11b) treats attribution as choosing an ordered subset of
image regions that maximises a monotone submodular-style score; the order of
selection is the attribution ranking. The score here is black-box and uses
only the model's class probability ``p`` (and optionally an embedding):

* confidence -- ``p(target | only S kept)``,
* collaboration -- ``1 - p(target | S removed)``,
* consistency -- cosine similarity of the embedding of the S-only image with
  that of the full image (when ``embed`` is given),
* effectiveness -- diversity of the chosen regions: the sum over ``S`` of each
  region's distance to its nearest other chosen region, in the embedding of
  the region-only images (when ``embed`` is given),

weighted by ``weights``. LiMA's bidirectional greedy search is used: each
round scores every remaining region once, puts the best one at the front of
the ranking and the worst one at the back, halving the rounds. Insertion and
deletion curves (Petsiuk et al. 2018) evaluate any ranking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError
from ..core._validation import check_array, check_scalar, check_type

__all__ = [
    "SubsetAttribution",
    "grid_regions",
    "insertion_deletion",
    "region_ranking",
    "submodular_attribution",
]


@dataclass
class SubsetAttribution:
    """Result of :func:`submodular_attribution`.

    Attributes
    ----------
    order : numpy.ndarray of int
        Region labels, most important first.
    scores : numpy.ndarray
        Attribution per region label (``1`` for the first region, decreasing
        linearly to ``1 / n_regions`` for the last).
    attribution_map : numpy.ndarray, shape (height, width)
        ``scores`` painted onto the regions.
    n_evaluations : int
        Model evaluations (images) used by the search.
    """

    order: np.ndarray
    scores: np.ndarray
    attribution_map: np.ndarray
    n_evaluations: int


def grid_regions(height: int, width: int, patch: int) -> np.ndarray:
    """Label map splitting an image into ``patch x patch`` squares.

    Examples
    --------
    >>> grid_regions(4, 4, 2)
    array([[0, 0, 1, 1],
           [0, 0, 1, 1],
           [2, 2, 3, 3],
           [2, 2, 3, 3]])
    """
    check_scalar(height, "height", kind=int, min_val=1)
    check_scalar(width, "width", kind=int, min_val=1)
    check_scalar(patch, "patch", kind=int, min_val=1)
    cols = -(-width // patch)
    r = np.arange(height)[:, None] // patch
    c = np.arange(width)[None, :] // patch
    return r * cols + c


def _check_image(image: Any, regions: Any) -> tuple[Any, np.ndarray]:
    import torch

    if not isinstance(image, torch.Tensor) or not image.is_floating_point():
        raise DTypeError(
            f"image must be a floating-point torch.Tensor (channels, height, "
            f"width), got {type(image).__name__}."
        )
    if image.ndim != 3:
        raise ValidationError(
            f"image must have shape (channels, height, width), got "
            f"{tuple(image.shape)}; pass one image, not a batch."
        )
    if not bool(torch.isfinite(image).all()):
        raise ValidationError(
            "image holds NaN or inf values; clean or normalise the image first."
        )
    labels = np.asarray(regions)
    if labels.shape != tuple(image.shape[1:]):
        raise ValidationError(
            f"regions has shape {labels.shape} but the image is "
            f"{tuple(image.shape[1:])}; give one region label per pixel."
        )
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
        raise ValidationError(
            "regions must hold non-negative integer labels (e.g. grid_regions)."
        )
    return image, labels


def _compose(image: Any, baseline: Any, keep: Any) -> Any:
    """Images keeping ``keep[b]`` (bool per pixel) of ``image``, else baseline."""
    return baseline[None] + (image - baseline)[None] * keep[:, None]


def _probabilities(model: Callable[[Any], Any], batch: Any, target: int) -> Any:
    import torch

    with torch.no_grad():
        logits = model(batch)
    if logits.ndim != 2 or not 0 <= target < logits.shape[1]:
        raise ValidationError(
            f"model returned shape {tuple(logits.shape)}; it must give "
            f"(batch, n_classes) logits with target={target} inside."
        )
    return logits.softmax(-1)[:, target]


def _baseline(image: Any, baseline: Any) -> Any:
    import torch

    if baseline is None:
        return torch.zeros_like(image)
    if isinstance(baseline, int | float):
        check_scalar(baseline, "baseline")
        return torch.full_like(image, float(baseline))
    if not isinstance(baseline, torch.Tensor) or baseline.shape != image.shape:
        raise ValidationError(
            f"baseline must be None, a number or a tensor of the image's shape "
            f"{tuple(image.shape)}, got {getattr(baseline, 'shape', baseline)!r}."
        )
    if not bool(torch.isfinite(baseline).all()):
        raise ValidationError(
            "baseline holds NaN or inf values; use a finite value such as 0.0."
        )
    return baseline.to(image)


def submodular_attribution(
    model: Callable[[Any], Any],
    image: Any,
    target: int,
    regions: Any,
    *,
    weights: tuple[float, ...] = (1.0, 1.0, 1.0, 0.0),
    embed: Callable[[Any], Any] | None = None,
    baseline: Any = None,
    bidirectional: bool = True,
    batch_size: int = 256,
) -> SubsetAttribution:
    """Rank image regions by greedy maximisation of a submodular-style score.

    Parameters
    ----------
    model : callable
        Images ``(batch, channels, height, width)`` -> logits ``(batch, n_classes)``.
    image : torch.Tensor, shape (channels, height, width)
        The image to explain.
    target : int
        The class whose evidence is attributed.
    regions : array-like of int, shape (height, width)
        Region label of each pixel (:func:`grid_regions`, superpixels, ...).
    weights : tuple of 4 floats
        Weights of confidence, collaboration, consistency and effectiveness
        (the last two need ``embed``; effectiveness is off by default).
    embed : callable, optional
        Images -> embeddings ``(batch, dim)`` for the consistency and
        effectiveness terms (skipped without it).
    baseline : None, float or tensor
        What removed pixels become (zeros by default).
    bidirectional : bool
        LiMA's search (best region to the front and worst to the back each
        round); False runs the plain greedy search.
    batch_size : int
        Images per model call.

    Returns
    -------
    SubsetAttribution

    Examples
    --------
    >>> import torch
    >>> model = lambda x: torch.stack([x[:, 0, 0, 0], -x[:, 0, 0, 0]], 1) * 5
    >>> image = torch.zeros(1, 2, 2); image[0, 0, 0] = 1.0
    >>> res = submodular_attribution(model, image, 0, grid_regions(2, 2, 1))
    >>> int(res.order[0])
    0
    """
    import torch

    image, labels = _check_image(image, regions)
    check_scalar(target, "target", kind=int, min_val=0)
    if (
        len(weights) != 4
        or not all(np.isfinite(w) and w >= 0 for w in weights)
        or not any(weights)
    ):
        raise ValidationError(
            f"weights must be 4 non-negative numbers, not all zero, got {weights!r}."
        )
    check_type(bidirectional, "bidirectional", bool)
    check_scalar(batch_size, "batch_size", kind=int, min_val=1)
    if embed is not None and not callable(embed):
        raise DTypeError(f"embed must be callable, got {type(embed).__name__}.")
    base = _baseline(image, baseline)
    ids = np.unique(labels)
    masks = torch.as_tensor(labels[None] == ids[:, None, None], device=image.device)
    reference = None
    distances = None
    if embed is not None:
        with torch.no_grad():
            reference = embed(image[None])[0]
            if weights[3]:
                alone = _compose(image, base, masks.to(image.dtype))
                distances = torch.cdist(embed(alone), embed(alone)).double()
                distances.fill_diagonal_(torch.inf)
    counter = [0]

    def effectiveness(chosen: list[int], candidates: list[int]) -> Any:
        """Sum of nearest-other-region distances of ``chosen + [c]``, per c."""
        values = []
        for c in candidates:
            group = [*chosen, c]
            if len(group) < 2:
                values.append(0.0)
                continue
            sub = distances[group][:, group]
            values.append(float(sub.min(1).values.sum()))
        return np.asarray(values)

    def score(keep: Any) -> Any:
        values = []
        for start in range(0, keep.shape[0], batch_size):
            chunk = keep[start : start + batch_size].to(image.dtype)
            kept = _compose(image, base, chunk)
            removed = _compose(image, base, 1.0 - chunk)
            value = weights[0] * _probabilities(model, kept, target)
            value = value + weights[1] * (1 - _probabilities(model, removed, target))
            if reference is not None and weights[2]:
                with torch.no_grad():
                    emb = embed(kept)
                value = value + weights[2] * torch.nn.functional.cosine_similarity(
                    emb, reference[None], dim=-1
                )
            values.append(value)
            counter[0] += 2 * chunk.shape[0]
        return torch.cat(values).double().cpu().numpy()

    remaining = list(range(len(ids)))
    front: list[int] = []
    back: list[int] = []
    selected = torch.zeros_like(masks[0])
    while remaining:
        candidates = selected[None] | masks[remaining]
        gains = score(candidates)
        if distances is not None:
            gains = gains + weights[3] * effectiveness(front, remaining)
        best = int(np.argmax(gains))
        front.append(remaining[best])
        selected = selected | masks[remaining[best]]
        others = gains.copy()
        others[best] = np.inf
        worst = int(np.argmin(others))
        if bidirectional and len(remaining) > 1:
            back.append(remaining[worst])
            drop = {best, worst}
        else:
            drop = {best}
        remaining = [r for i, r in enumerate(remaining) if i not in drop]
    order_idx = front + back[::-1]
    order = ids[order_idx]
    n = len(order)
    scores = np.empty(n)
    scores[order_idx] = (n - np.arange(n)) / n
    attribution_map = scores[np.searchsorted(ids, labels)]
    return SubsetAttribution(order, scores, attribution_map, counter[0])


def region_ranking(attribution: Any, regions: Any) -> np.ndarray:
    """Region labels ordered by their mean pixel attribution, largest first.

    Turns a pixel attribution (saliency, IG summed over channels) into a
    region ranking comparable with :func:`submodular_attribution`.

    Examples
    --------
    >>> region_ranking(np.array([[0.0, 3.0], [1.0, 2.0]]), grid_regions(2, 2, 1))
    array([1, 3, 2, 0])
    """
    values = check_array(attribution, "attribution")
    labels = np.asarray(regions)
    if values.shape != labels.shape:
        raise ValidationError(
            f"attribution has shape {values.shape} but regions {labels.shape}; "
            "sum the attribution over channels first."
        )
    ids = np.unique(labels)
    means = np.array([values[labels == i].mean() for i in ids])
    return ids[np.argsort(-means, kind="stable")]


def insertion_deletion(
    model: Callable[[Any], Any],
    image: Any,
    target: int,
    regions: Any,
    order: Any,
    *,
    baseline: Any = None,
) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Insertion and deletion areas under the curve for a region ranking.

    Insertion adds the regions to the baseline in ``order`` and records the
    target probability after each step; deletion removes them from the image
    in the same order. A faithful ranking has a high insertion and a low
    deletion area (trapezoidal, x from 0 to 1).

    Returns
    -------
    insertion_auc, deletion_auc : float
    insertion_curve, deletion_curve : numpy.ndarray, shape (n_regions + 1,)

    Examples
    --------
    >>> import torch
    >>> model = lambda x: torch.stack([x[:, 0, 0, 0], -x[:, 0, 0, 0]], 1) * 5
    >>> image = torch.zeros(1, 2, 2); image[0, 0, 0] = 1.0
    >>> ins, dele, _, _ = insertion_deletion(model, image, 0, grid_regions(2, 2, 1),
    ...                                      [0, 1, 2, 3])
    >>> round(ins, 3), round(dele, 3)  # curves [.5, 1, 1, 1, 1] and [1, .5, .5, .5, .5]
    (0.937, 0.562)
    """
    import torch

    image, labels = _check_image(image, regions)
    check_scalar(target, "target", kind=int, min_val=0)
    ids = np.unique(labels)
    order = np.asarray(order)
    if sorted(order.tolist()) != ids.tolist():
        raise ValidationError(
            f"order must list every region label once ({ids.size} labels), got "
            f"{order.size} entries; pass e.g. SubsetAttribution.order."
        )
    base = _baseline(image, baseline)
    steps = [np.zeros(labels.shape, dtype=bool)]
    for label in order:
        steps.append(steps[-1] | (labels == label))
    keep = torch.as_tensor(np.stack(steps), device=image.device).to(image.dtype)
    insertion = _probabilities(model, _compose(image, base, keep), target)
    deletion = _probabilities(model, _compose(image, base, 1.0 - keep), target)
    ins = insertion.double().cpu().numpy()
    dele = deletion.double().cpu().numpy()
    return _auc(ins), _auc(dele), ins, dele


def _auc(curve: np.ndarray) -> float:
    """Trapezoidal area under ``curve`` sampled evenly on [0, 1]."""
    return float(((curve[1:] + curve[:-1]) / 2).sum() / (curve.size - 1))
