"""The MDS objective and the stimulus constraints (torch tensors in, tensors out)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import ValidationError, check_array

__all__ = [
    "cluster_mean_responses",
    "discriminability_objective",
    "least_discriminable_pair",
    "project_stimuli",
]


def cluster_mean_responses(normalized: Any, labels: Any, n_clusters: int) -> Any:
    """Mean normalised response of each cluster's neurons to each stimulus.

    Parameters
    ----------
    normalized : torch.Tensor, shape (n_stimuli, n_neurons)
        Responses, z-scored per neuron.
    labels : torch.Tensor of int, shape (n_neurons,)
        Cluster of each neuron (every cluster non-empty).
    n_clusters : int
        Number of clusters.

    Returns
    -------
    torch.Tensor, shape (n_stimuli, n_clusters)

    Examples
    --------
    >>> import torch
    >>> r = torch.tensor([[1.0, 3.0, 5.0]])
    >>> cluster_mean_responses(r, torch.tensor([0, 0, 1]), 2).tolist()
    [[2.0, 5.0]]
    """
    import torch

    onehot = torch.nn.functional.one_hot(labels, n_clusters).to(normalized.dtype)
    return normalized @ (onehot / onehot.sum(dim=0))


def discriminability_objective(cluster_means: Any, temperature: float = 1.0) -> Any:
    """Burg et al.'s contrastive objective of each cluster's stimulus.

    For stimulus ``k`` (row ``k``), ``J_k = r̄_k/τ − log Σ_j exp(r̄_j/τ) + log K``
    where ``r̄_j`` is the mean normalised response of cluster ``j``: the
    log-softmax of cluster ``k`` over clusters, shifted so that a stimulus
    driving every cluster equally scores 0 (the maximum is ``log K``).

    Parameters
    ----------
    cluster_means : torch.Tensor, shape (n_clusters, n_clusters)
        ``[k, j]``: mean normalised response of cluster ``j`` to stimulus ``k``
        (see :func:`cluster_mean_responses`).
    temperature : float
        Softmax temperature ``τ`` in normalised-response units.

    Returns
    -------
    torch.Tensor, shape (n_clusters,)

    Examples
    --------
    >>> import torch
    >>> discriminability_objective(torch.zeros(3, 3)).tolist()
    [0.0, 0.0, 0.0]
    """
    import torch

    k = cluster_means.shape[0]
    logp = torch.log_softmax(cluster_means / temperature, dim=1)
    return torch.diagonal(logp) + math.log(k)


def least_discriminable_pair(cluster_responses: Any) -> tuple[tuple[int, int], float]:
    """The two clusters whose MDS tell them apart least, and how well they do.

    With ``C[k, j]`` the mean normalised response of cluster ``j`` to MDS
    ``k``, the pair ``(i, j)`` scores
    ``min(C[i, i] − C[i, j], C[j, j] − C[j, i]) / mean_k C[k, k]``: 0 when one
    MDS drives the other cluster as much as its own, about 1 when it drives
    only its own.

    Parameters
    ----------
    cluster_responses : array-like, shape (n_clusters, n_clusters)
        E.g. :attr:`MDSClustering.cluster_responses_`.

    Returns
    -------
    (i, j) : tuple of int
        The pair, ``i < j``.
    score : float

    Examples
    --------
    >>> c = np.array([[4.0, 3.8, 0.0], [3.9, 4.0, 0.0], [0.0, 0.0, 4.0]])
    >>> pair, score = least_discriminable_pair(c)
    >>> pair, round(score, 3)
    ((0, 1), 0.025)
    """
    c = check_array(cluster_responses, "cluster_responses", ndim=2)
    k = c.shape[0]
    if k < 2 or c.shape != (k, k):
        raise ValidationError(
            f"cluster_responses must be square with at least 2 clusters, got shape "
            f"{c.shape}; pass MDSClustering.cluster_responses_."
        )
    diag = np.diag(c)
    gap = diag[:, None] - c
    pairwise = np.minimum(gap, gap.T)
    pairwise[np.tril_indices(k)] = np.inf
    i, j = np.unravel_index(np.argmin(pairwise), pairwise.shape)
    scale = diag.mean()
    score = pairwise[i, j] / scale if scale > 0 else -np.inf
    return (int(i), int(j)), float(score)


def project_stimuli(x: Any, centre: float, norm: float, low: float, high: float) -> Any:
    """Project stimuli onto ``low ≤ x ≤ high`` and ``‖x − centre‖₂ ≤ norm`` (in place).

    Clipping comes first; shrinking towards ``centre`` afterwards keeps the
    range because ``low ≤ centre ≤ high``.

    Parameters
    ----------
    x : torch.Tensor, shape (n, ...)
        One stimulus per row.
    centre, norm, low, high : float
        Constraint settings.

    Returns
    -------
    torch.Tensor
        ``x``, modified in place.

    Examples
    --------
    >>> import torch
    >>> x = project_stimuli(torch.tensor([[3.0, 4.0]]), 0.0, 1.0, -5.0, 5.0)
    >>> [round(v, 3) for v in x[0].tolist()]
    [0.6, 0.8]
    """
    import torch

    with torch.no_grad():
        x.clamp_(low, high)
        dev = (x - centre).flatten(1)
        lengths = dev.norm(dim=1).clamp_min(1e-12)
        factor = torch.clamp(norm / lengths, max=1.0)
        x.copy_(centre + (dev * factor[:, None]).view_as(x))
    return x
