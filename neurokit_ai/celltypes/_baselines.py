"""Baseline cell-type clusterings: k-means / Gaussian mixtures on neuron features."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_option, check_scalar
from ._checks import check_response_matrix, check_varying_units

__all__ = ["response_features", "cluster_features", "match_clusters"]


def response_features(responses: Any, n_components: int = 20) -> np.ndarray:
    """Per-neuron features: z-scored responses to the stimuli, reduced by PCA.

    Parameters
    ----------
    responses : Responses or array-like, shape (n_stimuli, n_neurons)
        Recorded responses.
    n_components : int
        Principal components kept (at most ``min(n_stimuli, n_neurons)``).

    Returns
    -------
    ndarray, shape (n_neurons, n_components)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> response_features(rng.normal(size=(50, 12)), n_components=3).shape
    (12, 3)
    """
    from sklearn.decomposition import PCA

    data = check_response_matrix(responses, "responses")
    std = check_varying_units(data, "responses", "stimuli")
    top = min(data.shape)
    n_components = int(
        check_scalar(
            n_components, "n_components", kind=numbers.Integral, min_val=1, max_val=top
        )
    )
    z = ((data - data.mean(axis=0)) / std).T
    return PCA(n_components, random_state=0).fit_transform(z)


def cluster_features(
    features: Any,
    n_clusters: int,
    method: str = "kmeans",
    normalize: bool = True,
    random_state: int = 0,
) -> np.ndarray:
    """Cluster neurons by k-means or a Gaussian mixture on their features.

    Parameters
    ----------
    features : array-like, shape (n_neurons, n_features)
        E.g. :func:`response_features` or a model's ``readout_weights_``.
    n_clusters : int
        Number of clusters (at most the number of neurons).
    method : {"kmeans", "gmm"}
        k-means (10 restarts) or a full-covariance Gaussian mixture (5
        restarts).
    normalize : bool
        Scale each neuron's feature vector to unit length first, so that
        clusters reflect its tuning rather than its gain.
    random_state : int
        Seed.

    Returns
    -------
    ndarray of int, shape (n_neurons,)

    Examples
    --------
    >>> x = np.r_[np.ones((5, 2)), -np.ones((5, 2))] + 0.01 * np.arange(10)[:, None]
    >>> cluster_features(x, 2).tolist() in ([0] * 5 + [1] * 5, [1] * 5 + [0] * 5)
    True
    """
    from sklearn.cluster import KMeans
    from sklearn.mixture import GaussianMixture

    x = check_array(features, "features", ndim=2)
    check_option(method, "method", ["kmeans", "gmm"])
    n_clusters = int(
        check_scalar(n_clusters, "n_clusters", kind=numbers.Integral, min_val=1)
    )
    if n_clusters > len(x):
        raise ValidationError(
            f"n_clusters={n_clusters} is more than the {len(x)} neurons in features; "
            f"ask for at most {len(x)} clusters."
        )
    if normalize:
        lengths = np.linalg.norm(x, axis=1, keepdims=True)
        if np.any(lengths == 0):
            raise ValidationError(
                "features has all-zero rows, which normalize=True cannot scale; "
                "drop those neurons or pass normalize=False."
            )
        x = x / lengths
    if method == "kmeans":
        return KMeans(n_clusters, n_init=10, random_state=random_state).fit_predict(x)
    gmm = GaussianMixture(
        n_clusters, n_init=5, reg_covar=1e-4, random_state=random_state
    )
    return gmm.fit(x).predict(x)


def match_clusters(labels: Any, reference: Any) -> np.ndarray:
    """Map each cluster to the reference label most of its members carry.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Cluster labels (non-negative).
    reference : array-like of int, shape (n,)
        Reference labels, e.g. the planted types.

    Returns
    -------
    ndarray, shape (labels.max() + 1,)
        ``mapping[c]``: majority reference label of cluster ``c`` (−1 when the
        cluster is empty).

    Examples
    --------
    >>> match_clusters([0, 0, 1, 1, 1], [5, 5, 7, 7, 5]).tolist()
    [5, 7]
    """
    lab = check_array(labels, "labels", ndim=1, dtype=None)
    ref = check_array(reference, "reference", ndim=1, dtype=None)
    for name, arr in (("labels", lab), ("reference", ref)):
        if arr.dtype.kind not in "iu" or arr.min() < 0:
            raise ValidationError(
                f"{name} must be non-negative integers, got dtype {arr.dtype} "
                f"(minimum {arr.min()}); pass cluster or type indices."
            )
    if len(lab) != len(ref):
        raise ValidationError(
            f"labels has {len(lab)} entries but reference has {len(ref)}; give one "
            "label per neuron in both."
        )
    mapping = np.full(int(lab.max()) + 1, -1, dtype=int)
    for c in range(len(mapping)):
        members = ref[lab == c]
        if members.size:
            mapping[c] = np.bincount(members).argmax()
    return mapping
