"""Baselines for word decoding: logistic regression on high-gamma power, EEGNet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin

from ..core import ValidationError, check_scalar, check_sfreq
from ..core._base import NeurokitEstimator, check_is_fitted
from ._checks import check_band, check_trials, check_word_labels
from ._duin import _check_training, _fit_classifier, _standardise_fit
from ._features import HIGH_GAMMA, high_gamma_power

__all__ = ["HighGammaLogistic", "EEGNetClassifier", "rank_channels"]


class HighGammaLogistic(ClassifierMixin, NeurokitEstimator):
    """Logistic regression on binned log high-gamma power of every channel.

    Parameters
    ----------
    sfreq : float
        Sampling rate of the trials (Hz).
    band : (float, float)
        High-gamma band (Hz).
    n_bins : int
        Time bins per trial.
    C : float
        Inverse L2 regularisation strength.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 10)
    >>> X = rng.normal(size=(20, 2, 500))
    >>> X[y == 1, 0] += np.sin(2 * np.pi * 100 * np.arange(500) / 1000.0) * 3
    >>> HighGammaLogistic(sfreq=1000.0, n_bins=2).fit(X, y).score(X, y)
    1.0
    """

    def __init__(
        self,
        sfreq: float = 1000.0,
        band: Sequence[float] = HIGH_GAMMA,
        n_bins: int = 10,
        C: float = 1.0,
    ) -> None:
        self.sfreq = sfreq
        self.band = band
        self.n_bins = n_bins
        self.C = C

    def _features(self, X: Any) -> np.ndarray:
        return high_gamma_power(X, self.sfreq, self.band, self.n_bins)

    def fit(self, X: Any, y: Any) -> HighGammaLogistic:
        """Fit on trials ``(n_trials, n_channels, n_times)`` and word labels."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        X = check_trials(X, "X")
        y = check_word_labels(y, X.shape[0])
        check_band(self.band, self.sfreq)
        check_scalar(self.C, "C", min_val=0, include_min=False)
        self.pipeline_ = make_pipeline(
            StandardScaler(), LogisticRegression(C=self.C, max_iter=2000)
        ).fit(self._features(X), y)
        self.classes_ = self.pipeline_.classes_
        self.n_channels_, self.n_times_ = X.shape[1:]
        return self

    def _fitted_features(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "pipeline_")
        X = check_trials(X, "X")
        if X.shape[1:] != (self.n_channels_, self.n_times_):
            raise ValidationError(
                f"X has trials of shape {X.shape[1:]}, but HighGammaLogistic was "
                f"fitted on (n_channels, n_times)=({self.n_channels_}, "
                f"{self.n_times_}); pass trials of that shape."
            )
        return self._features(X)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities in ``classes_`` order."""
        features = self._fitted_features(X)
        return self.pipeline_.predict_proba(features)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable word of each trial."""
        features = self._fitted_features(X)
        return self.pipeline_.predict(features)


class EEGNetClassifier(ClassifierMixin, NeurokitEstimator):
    """EEGNet-style CNN (temporal, depthwise spatial, separable convolutions).

    Parameters
    ----------
    f1, depth, f2 : int
        Temporal filters, spatial filters per temporal filter, separable filters.
    kernel : int
        Length of the temporal kernel (samples).
    pool : int
        First pooling factor (the second is twice this).
    dropout : float
        Dropout rate.
    max_epochs, batch_size, lr, weight_decay, patience, val_fraction, device,
    random_state, verbose
        Training, as for :class:`~neurokit_ai.speech.WordDecoder`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 10)
    >>> X = rng.normal(size=(20, 2, 32)) + 2.0 * y[:, None, None]
    >>> clf = EEGNetClassifier(kernel=8, pool=2, max_epochs=10, verbose=False)
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
    """

    def __init__(
        self,
        f1: int = 8,
        depth: int = 2,
        f2: int = 16,
        kernel: int = 16,
        pool: int = 2,
        dropout: float = 0.25,
        max_epochs: int = 80,
        batch_size: int = 32,
        lr: float = 3e-3,
        weight_decay: float = 1e-2,
        patience: int | None = 20,
        val_fraction: float = 0.15,
        device: str = "cpu",
        random_state: int = 0,
        verbose: bool = True,
    ) -> None:
        self.f1 = f1
        self.depth = depth
        self.f2 = f2
        self.kernel = kernel
        self.pool = pool
        self.dropout = dropout
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.patience = patience
        self.val_fraction = val_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X: Any, y: Any) -> EEGNetClassifier:
        """Train on trials ``(n_trials, n_channels, n_times)`` and word labels."""
        import torch

        from ._layers import EEGNet

        X = check_trials(X, "X")
        y = check_word_labels(y, X.shape[0])
        for name in ("f1", "depth", "f2", "kernel", "pool"):
            check_scalar(getattr(self, name), name, kind=int, min_val=1)
        check_scalar(self.dropout, "dropout", min_val=0, max_val=1, include_max=False)
        _check_training(self)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        self.n_channels_, self.n_times_ = X.shape[1:]
        self.mean_, self.scale_ = _standardise_fit(X)
        Z = (X - self.mean_) / self.scale_
        if self.random_state is not None:
            torch.manual_seed(self.random_state)
        self.net_ = EEGNet(
            X.shape[1],
            X.shape[2],
            len(self.classes_),
            self.f1,
            self.depth,
            self.f2,
            self.kernel,
            self.pool,
            self.dropout,
        )
        self.history_ = _fit_classifier(self, self.net_, Z, y_idx)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Softmax probabilities in ``classes_`` order."""
        import torch

        check_is_fitted(self, "net_")
        X = check_trials(X, "X")
        if X.shape[1:] != (self.n_channels_, self.n_times_):
            from ..core import ValidationError

            raise ValidationError(
                f"X has trials of shape {X.shape[1:]}, fitted on "
                f"({self.n_channels_}, {self.n_times_})."
            )
        Z = torch.as_tensor((X - self.mean_) / self.scale_)
        with torch.no_grad():
            return torch.softmax(self.net_(Z), dim=1).numpy()

    def predict(self, X: Any) -> np.ndarray:
        """The most probable word of each trial."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]


def rank_channels(
    X: Any, y: Any, sfreq: float, band: Sequence[float] = HIGH_GAMMA, n_bins: int = 5
) -> np.ndarray:
    """Channels ordered by how well their high-gamma power separates the words.

    The score of a channel is the largest one-way ANOVA F statistic of its
    binned high-gamma power over the time bins (fit on training trials only).

    Returns
    -------
    ndarray of int
        Channel indices, best first.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 10)
    >>> X = rng.normal(size=(20, 3, 500))
    >>> X[y == 1, 2] += np.sin(2 * np.pi * 100 * np.arange(500) / 1000.0) * 3
    >>> int(rank_channels(X, y, 1000.0)[0])
    2
    """
    from sklearn.feature_selection import f_classif

    X = check_trials(X, "X")
    y = check_word_labels(y, X.shape[0])
    check_sfreq(sfreq)
    feats = high_gamma_power(X, sfreq, band, n_bins)
    f, _ = f_classif(feats, y)
    score = np.nan_to_num(f, nan=0.0).reshape(X.shape[1], n_bins).max(axis=1)
    return np.argsort(-score, kind="stable")
