"""Synthetic images with planted concepts and a small CNN trained on them.

Each grey image holds one *class shape* (its class: a cross, a ring or a
checkerboard patch) and a few *distractor shapes* (stripes, a blob) at random,
non-overlapping positions on a noisy background. Every shape's pixel mask is
kept, so concept extraction (CRAFT) and input attribution (LiMA, saliency, IG)
can be scored against the planted ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ..core import ValidationError
from ..core._validation import check_random_state, check_scalar

__all__ = [
    "CLASS_SHAPES",
    "DISTRACTOR_SHAPES",
    "ToyVisionData",
    "ToyCNN",
    "make_toy_vision",
    "train_toy_cnn",
]

SHAPE_SIZE = 8
CLASS_SHAPES = ("cross", "ring", "checker")
DISTRACTOR_SHAPES = ("stripes", "blob")


def _shape_patterns() -> dict[str, np.ndarray]:
    s = SHAPE_SIZE
    cross = np.zeros((s, s))
    cross[3:5, :] = 1.0
    cross[:, 3:5] = 1.0
    ring = np.ones((s, s))
    ring[2:-2, 2:-2] = 0.0
    checker = ((np.arange(s)[:, None] // 2 + np.arange(s)[None, :] // 2) % 2) * 1.0
    stripes = np.zeros((s, s))
    stripes[::3, :] = 1.0
    blob = np.zeros((s, s))
    blob[2:6, 2:6] = 1.0
    return {
        "cross": cross,
        "ring": ring,
        "checker": checker,
        "stripes": stripes,
        "blob": blob,
    }


@dataclass
class ToyVisionData:
    """Images with planted shapes and their ground-truth masks.

    Attributes
    ----------
    images : torch.Tensor, shape (n, 1, size, size)
        Float32 images.
    labels : torch.Tensor, shape (n,)
        Class index: which of :data:`CLASS_SHAPES` the image holds.
    masks : numpy.ndarray of bool, shape (n, n_shapes, size, size)
        Pixels covered by each shape of ``shape_names`` (all False if absent).
    shape_names : tuple of str
        Class shapes, then distractor shapes.
    """

    images: torch.Tensor
    labels: torch.Tensor
    masks: np.ndarray
    shape_names: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def class_mask(self) -> np.ndarray:
        """Mask of each image's own class shape, ``(n, size, size)``."""
        return self.masks[np.arange(len(self)), self.labels.numpy()]


def _free_positions(
    rng: np.random.Generator, size: int, n_shapes: int
) -> list[tuple[int, int]]:
    """Top-left corners of ``n_shapes`` non-overlapping shapes (1-pixel margin)."""
    s = SHAPE_SIZE
    for _ in range(1000):
        corners: list[tuple[int, int]] = []
        for _ in range(n_shapes):
            r, c = (int(v) for v in rng.integers(0, size - s + 1, 2))
            if all(abs(r - r2) > s or abs(c - c2) > s for r2, c2 in corners):
                corners.append((r, c))
        if len(corners) == n_shapes:
            return corners
    raise ValidationError(
        f"could not place {n_shapes} shapes of {s} px without overlap in a "
        f"{size} px image; use a larger image_size or fewer n_distractors."
    )


def make_toy_vision(
    n_images: int,
    *,
    image_size: int = 32,
    n_distractors: int = 2,
    noise: float = 0.15,
    random_state: int | None = 0,
) -> ToyVisionData:
    """Draw images whose class is the planted shape they contain.

    Parameters
    ----------
    n_images : int
        Number of images (classes are balanced in turn: 0, 1, 2, 0, ...).
    image_size : int
        Side in pixels (at least 16).
    n_distractors : int
        Distractor shapes per image, drawn with replacement from
        :data:`DISTRACTOR_SHAPES`; they carry no class information.
    noise : float
        Standard deviation of the Gaussian background noise.
    random_state : int, optional
        Seed.

    Returns
    -------
    ToyVisionData

    Examples
    --------
    >>> data = make_toy_vision(6)
    >>> tuple(data.images.shape), data.labels.tolist()
    ((6, 1, 32, 32), [0, 1, 2, 0, 1, 2])
    >>> bool(data.class_mask()[0].any())
    True
    """
    check_scalar(n_images, "n_images", kind=int, min_val=1)
    check_scalar(image_size, "image_size", kind=int, min_val=2 * SHAPE_SIZE)
    check_scalar(n_distractors, "n_distractors", kind=int, min_val=0)
    check_scalar(noise, "noise", min_val=0)
    rng = check_random_state(random_state)
    patterns = _shape_patterns()
    names = CLASS_SHAPES + DISTRACTOR_SHAPES
    images = rng.normal(0.0, noise, (n_images, 1, image_size, image_size))
    masks = np.zeros((n_images, len(names), image_size, image_size), dtype=bool)
    labels = np.arange(n_images) % len(CLASS_SHAPES)
    s = SHAPE_SIZE
    for i in range(n_images):
        chosen = [CLASS_SHAPES[labels[i]]] + [
            DISTRACTOR_SHAPES[j]
            for j in rng.integers(0, len(DISTRACTOR_SHAPES), n_distractors)
        ]
        for name, (r, c) in zip(chosen, _free_positions(rng, image_size, len(chosen))):
            pattern = patterns[name] * rng.uniform(0.8, 1.2)
            images[i, 0, r : r + s, c : c + s] += pattern
            masks[i, names.index(name), r : r + s, c : c + s] |= patterns[name] > 0
    return ToyVisionData(
        torch.as_tensor(images, dtype=torch.float32),
        torch.as_tensor(labels, dtype=torch.long),
        masks,
        names,
    )


class ToyCNN(nn.Module):
    """Three conv-ReLU stages, global average pooling and a linear head.

    Hook points: ``conv1``, ``relu1``, ``pool1``, ``conv2``, ``relu2``,
    ``pool2``, ``conv3``, ``relu3`` (non-negative, ``(n, 2*width, size/4,
    size/4)``), ``gap``, ``head``.

    Examples
    --------
    >>> tuple(ToyCNN()(torch.zeros(2, 1, 32, 32)).shape)
    (2, 3)
    """

    def __init__(self, n_classes: int = 3, width: int = 16) -> None:
        check_scalar(n_classes, "n_classes", kind=int, min_val=1)
        check_scalar(width, "width", kind=int, min_val=1)
        super().__init__()
        self.conv1 = nn.Conv2d(1, width, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(2 * width, 2 * width, 3, padding=1)
        self.relu3 = nn.ReLU()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(2 * width, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        x = self.relu3(self.conv3(x))
        return self.head(self.gap(x).flatten(1))


def train_toy_cnn(
    *,
    n_train: int = 1536,
    n_epochs: int = 6,
    width: int = 16,
    random_state: int = 0,
    verbose: bool = False,
) -> tuple[ToyCNN, ToyVisionData]:
    """Train a :class:`ToyCNN` from scratch on :func:`make_toy_vision` images.

    Runs on one CPU thread in a few seconds (the thread count is restored).

    Returns
    -------
    model : ToyCNN
        In eval mode.
    held_out : ToyVisionData
        300 fresh images (a different seed) for evaluation.

    Examples
    --------
    >>> model, test = train_toy_cnn(n_train=96, n_epochs=1)
    >>> len(test)
    300
    """
    from ..core._trainer import Trainer, torch_threads

    check_scalar(n_train, "n_train", kind=int, min_val=32)
    check_scalar(n_epochs, "n_epochs", kind=int, min_val=1)
    check_scalar(width, "width", kind=int, min_val=1)
    check_scalar(random_state, "random_state", kind=int, min_val=0)
    train = make_toy_vision(n_train, random_state=random_state)
    held_out = make_toy_vision(300, random_state=random_state + 1)
    torch.manual_seed(random_state)
    model = ToyCNN(len(CLASS_SHAPES), width)
    batches = [
        (train.images[i : i + 64], train.labels[i : i + 64])
        for i in range(0, n_train, 64)
    ]

    def loss_fn(net: nn.Module, batch: Any) -> torch.Tensor:
        images, labels = batch
        return nn.functional.cross_entropy(net(images), labels)

    with torch_threads(1):
        Trainer(
            max_epochs=n_epochs,
            lr=3e-3,
            patience=None,
            device="cpu",
            random_state=random_state,
            verbose=verbose,
        ).fit(model, batches, loss_fn)
    return model.eval(), held_out
