"""Model RDMs: fixed predictions and flexible (weighted) combinations."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._validation import check_option, check_type
from ._compare import COMPARE_METHODS as _FIT_METHODS
from ._rdms import RDMs

__all__ = ["FixedModel", "WeightedModel", "fit_weights", "pool_rdms"]


def pool_rdms(vectors: np.ndarray, method: str) -> np.ndarray:
    """Average data RDM vectors in the way that suits ``method`` (rsatoolbox's).

    NaN columns (missing dissimilarities) stay NaN.

    Examples
    --------
    >>> pool_rdms(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]), "spearman")
    array([2., 2., 2.])
    """
    from scipy.stats import rankdata

    v = np.asarray(vectors, dtype=float)
    ok = ~np.isnan(v).any(axis=0)
    x = v[:, ok]
    if method in ("cosine", "cosine_cov"):
        x = x / np.sqrt(np.mean(x**2, axis=1, keepdims=True))
        pooled = x.mean(axis=0)
    elif method in ("corr", "corr_cov"):
        x = x - x.mean(axis=1, keepdims=True)
        x = x / x.std(axis=1, keepdims=True)
        pooled = x.mean(axis=0)
        pooled = pooled - pooled.min()
    else:
        pooled = rankdata(x, axis=1).mean(axis=0)
    out = np.full(v.shape[1], np.nan)
    out[ok] = pooled
    return out


class FixedModel:
    """A model that predicts one RDM, with no free parameter.

    Parameters
    ----------
    name : str
        The model's name.
    rdm : RDMs
        A single RDM (its conditions are matched to the data's by label).

    Examples
    --------
    >>> m = FixedModel("faces", RDMs([1.0, 0.0, 1.0], conditions=["f1", "f2", "h"]))
    >>> m.n_params
    0
    """

    n_params = 0

    def __init__(self, name: str, rdm: RDMs) -> None:
        check_type(name, "name", str)
        check_type(rdm, "rdm", RDMs)
        if rdm.n_rdms != 1:
            raise ValidationError(
                f"FixedModel {name!r} needs exactly one RDM, got {rdm.n_rdms}; use "
                "WeightedModel to combine several."
            )
        if np.isnan(rdm.vectors).any():
            raise ValidationError(f"model RDM {name!r} contains NaN.")
        self.name = name
        self.rdm = rdm

    @property
    def conditions(self) -> list[Any]:
        """Conditions of the model RDM."""
        return self.rdm.conditions

    def aligned(self, data: RDMs) -> FixedModel:
        """This model with its RDM reordered to ``data``'s conditions."""
        return type(self)(self.name, self.rdm.align_to(data))

    def fit(self, data: RDMs, method: str = "corr") -> np.ndarray:
        """Nothing to fit: return an empty parameter vector."""
        return np.empty(0)

    def predict(self, theta: np.ndarray | None = None) -> np.ndarray:
        """The model's RDM vector."""
        return self.rdm.vectors[0]


class WeightedModel:
    """A flexible model: a weighted sum of component RDMs, weights fitted to data.

    Weights are fitted by least squares to the pooled data RDM (``cosine``
    criterion without intercept, ``corr`` criterion after centring; rank methods
    use the centred fit of pooled ranks), non-negative by default, and scaled to
    unit norm — rsatoolbox's ``fit_regress`` (``nonnegative=False``) and
    ``fit_regress_nn``.

    Parameters
    ----------
    name : str
        The model's name.
    components : RDMs
        The component RDMs (at least 1).
    nonnegative : bool
        Constrain the weights to be >= 0.

    Examples
    --------
    >>> comps = RDMs([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    >>> WeightedModel("mix", comps).n_params
    2
    """

    def __init__(self, name: str, components: RDMs, *, nonnegative: bool = True):
        check_type(name, "name", str)
        check_type(components, "components", RDMs)
        if np.isnan(components.vectors).any():
            raise ValidationError(f"component RDMs of {name!r} contain NaN.")
        self.name = name
        self.rdm = components
        self.nonnegative = bool(nonnegative)

    @property
    def n_params(self) -> int:
        """Number of weights."""
        return self.rdm.n_rdms

    @property
    def conditions(self) -> list[Any]:
        """Conditions of the component RDMs."""
        return self.rdm.conditions

    def aligned(self, data: RDMs) -> WeightedModel:
        """This model with its components reordered to ``data``'s conditions."""
        return type(self)(
            self.name, self.rdm.align_to(data), nonnegative=self.nonnegative
        )

    def fit(self, data: RDMs, method: str = "corr") -> np.ndarray:
        """Fit the weights to the data RDMs (aligned by condition label)."""
        check_type(data, "data", RDMs)
        comps = self.rdm.align_to(data).vectors
        return fit_weights(comps, data.vectors, method, nonnegative=self.nonnegative)

    def predict(self, theta: np.ndarray) -> np.ndarray:
        """The weighted RDM vector for weights ``theta``."""
        return np.asarray(theta) @ self.rdm.vectors


def fit_weights(
    components: np.ndarray,
    data_vectors: np.ndarray,
    method: str,
    *,
    nonnegative: bool = True,
) -> np.ndarray:
    """Least-squares weights of component RDM vectors for pooled data vectors.

    Columns that are NaN in the data are left out. See :class:`WeightedModel`.

    Examples
    --------
    >>> comps = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    >>> fit_weights(comps, np.array([[2.0, 0.0, 2.0]]), "cosine").round(6)
    array([1., 0.])
    """
    from scipy.optimize import nnls

    check_option(method, "method", _FIT_METHODS)
    y = pool_rdms(data_vectors, method)
    ok = ~np.isnan(y)
    x, y = components[:, ok], y[ok]
    if method not in ("cosine", "cosine_cov"):
        x = x - x.mean(axis=1, keepdims=True)
        y = y - y.mean()
    if nonnegative:
        theta = nnls(x.T, y)[0]
    else:
        theta = np.linalg.lstsq(x.T, y, rcond=None)[0]
    norm = np.sqrt(np.sum(theta**2))
    return theta / norm if norm > 0 else theta
