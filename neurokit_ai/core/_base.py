"""scikit-learn-style estimator bases."""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.utils.validation import check_is_fitted as _sk_check_is_fitted

from ._errors import NotFittedError

__all__ = [
    "NeurokitEstimator",
    "NeurokitTransformer",
    "NeurokitRegressor",
    "check_is_fitted",
]


class _SklearnNotFitted(NotFittedError, _SklearnNotFittedError):
    """:class:`NotFittedError` that is also scikit-learn's ``NotFittedError``.

    ``core._errors`` cannot derive from scikit-learn's class without importing
    scikit-learn with the package, so the estimators raise this subclass.
    """


def check_is_fitted(estimator: Any, attributes: str | list[str] | None = None) -> None:
    """Raise :class:`NotFittedError` if ``estimator`` has not been fitted.

    The error is also a ``sklearn.exceptions.NotFittedError``.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> try:
    ...     check_is_fitted(Ridge())
    ... except NotFittedError as err:
    ...     print("not fitted")
    not fitted
    """
    try:
        _sk_check_is_fitted(estimator, attributes)
    except _SklearnNotFittedError as err:
        raise _SklearnNotFitted(
            f"This {type(estimator).__name__} is not fitted yet. Call fit() with "
            "training data first."
        ) from err


class NeurokitEstimator(BaseEstimator):
    """Base of every estimator: hyper-parameters in ``__init__``, state ending in ``_``.

    ``get_params``/``set_params``/``clone`` come from scikit-learn.
    """


class NeurokitTransformer(TransformerMixin, NeurokitEstimator):
    """Base of encoders, denoisers and factorizations (``fit``/``transform``)."""


class NeurokitRegressor(RegressorMixin, NeurokitEstimator):
    """Base of readouts and decoders (``fit``/``predict``/``score`` with R²)."""
