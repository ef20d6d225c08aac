"""The MDS objective, its gradient and the stimulus constraints."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from neurokit_ai.celltypes import (
    cluster_mean_responses,
    discriminability_objective,
    least_discriminable_pair,
    project_stimuli,
)
from neurokit_ai.core import ValidationError


def test_objective_matches_hand_computed_values():
    means = torch.tensor([[2.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    j = discriminability_objective(means, temperature=0.5)
    first = 4.0 - math.log(math.exp(4.0) + 1.0) + math.log(2)
    assert j[0].item() == pytest.approx(first, abs=1e-12)
    assert j[1].item() == pytest.approx(0.0, abs=1e-12)
    dominant = torch.tensor([[50.0, 0.0, 0.0]] * 3, dtype=torch.float64)
    assert discriminability_objective(dominant)[0].item() == pytest.approx(math.log(3))


def test_cluster_means_average_members():
    r = torch.tensor([[1.0, 2.0, 6.0, 0.0], [0.0, 4.0, 2.0, 2.0]])
    out = cluster_mean_responses(r, torch.tensor([0, 0, 1, 1]), 2)
    assert out.tolist() == [[1.5, 3.0], [2.0, 2.0]]


def test_objective_gradient_matches_finite_differences():
    gen = torch.Generator().manual_seed(0)
    weight = torch.randn(6, 12, generator=gen, dtype=torch.float64)
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    mean = torch.rand(6, generator=gen, dtype=torch.float64)
    std = 0.5 + torch.rand(6, generator=gen, dtype=torch.float64)

    def total_objective(x):
        resp = (torch.nn.functional.softplus(x @ weight.T) - mean) / std
        return discriminability_objective(
            cluster_mean_responses(resp, labels, 3), temperature=0.7
        ).sum()

    x = torch.randn(3, 12, generator=gen, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(total_objective, (x,), eps=1e-6, atol=1e-6)
    # and against a central difference of our own, coordinate by coordinate
    (grad,) = torch.autograd.grad(total_objective(x), x)
    numeric = torch.zeros_like(x)
    with torch.no_grad():
        for idx in np.ndindex(*x.shape):
            step = torch.zeros_like(x)
            step[idx] = 1e-6
            numeric[idx] = (
                total_objective(x + step) - total_objective(x - step)
            ) / 2e-6
    assert torch.allclose(grad, numeric, atol=1e-6)


def test_projection_enforces_norm_and_range():
    gen = torch.Generator().manual_seed(1)
    x = 5.0 * torch.randn(20, 2, 4, 4, generator=gen)
    project_stimuli(x, centre=0.5, norm=3.0, low=-1.0, high=2.0)
    lengths = (x - 0.5).flatten(1).norm(dim=1)
    assert torch.all(lengths <= 3.0 + 1e-5)
    assert x.min() >= -1.0 and x.max() <= 2.0
    inside = torch.full((1, 4), 0.6)
    assert torch.equal(project_stimuli(inside.clone(), 0.5, 3.0, -1.0, 2.0), inside)


def test_least_discriminable_pair_by_hand():
    c = np.array([[6.0, 1.0, 5.0], [0.0, 3.0, 2.0], [4.0, 1.0, 6.0]])
    # pairs: (0,1): min(6-1, 3-0)=3; (0,2): min(6-5, 6-4)=1; (1,2): min(3-2, 6-1)=1
    # ties go to the first pair; the mean diagonal is 5
    assert least_discriminable_pair(c) == ((0, 2), pytest.approx(0.2))
    assert least_discriminable_pair(c[:2, :2]) == ((0, 1), pytest.approx(3 / 4.5))
    with pytest.raises(ValidationError, match="square with at least 2"):
        least_discriminable_pair(np.ones((2, 3)))
    with pytest.raises(ValidationError, match="square with at least 2"):
        least_discriminable_pair(np.ones((1, 1)))
