"""Regressors for the DKF's observation model ``p(x | z) ≈ N(f(z), Q(z))``.

- :class:`NadarayaWatsonRegressor` — Gaussian-kernel regression, optionally on
  the first principal components of the z-scored inputs (the paper's DKF-NW).
- :class:`TorchMLPRegressor` — a small MLP trained with
  :class:`neurokit_ai.core.Trainer`, predicting with plain numpy.
- :class:`GaussianRegressionModel` — wraps any scikit-learn regressor for
  ``f`` and learns ``Q(z)`` on a disjoint split by Nadaraya–Watson regression
  of residual outer products (or a constant residual covariance).

All three are scikit-learn regressors; the first two also have
``predict_row(z, out)``, a validation-free single-bin path on preallocated
buffers for the online filter.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    NeurokitRegressor,
    ValidationError,
    check_array,
    check_option,
    check_scalar,
)
from ..core._base import check_is_fitted

__all__ = ["NadarayaWatsonRegressor", "TorchMLPRegressor", "GaussianRegressionModel"]


class _MultiOutputRegressor(NeurokitRegressor):
    """Regressor that accepts 1-D or 2-D ``y`` (scikit-learn tag)."""

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def check_regressor(value: Any, name: str) -> None:
    """Refuse a ``name`` that is neither None nor a scikit-learn regressor."""
    if value is not None and not (hasattr(value, "fit") and hasattr(value, "predict")):
        raise DTypeError(
            f"{name} must be None or a scikit-learn regressor (with fit and "
            f"predict), got {type(value).__name__} ({value!r:.60})."
        )


def _check_xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray, int]:
    X = check_array(X, "X", ndim=2)
    y = check_array(y, "y", ndim=(1, 2))
    ndim = y.ndim
    if ndim == 1:
        y = y[:, None]
    if len(X) != len(y):
        raise ValidationError(
            f"X has {len(X)} samples but y has {len(y)}; pass one target row per "
            "input row."
        )
    return X, y, ndim


def _check_predict_x(est: Any, X: Any) -> np.ndarray:
    check_is_fitted(est)
    X = check_array(X, "X", ndim=2)
    if X.shape[1] != est.n_features_in_:
        raise ValidationError(
            f"X has {X.shape[1]} features, but {type(est).__name__} is expecting "
            f"{est.n_features_in_} features as input (the count seen in fit)."
        )
    return X


class NadarayaWatsonRegressor(_MultiOutputRegressor):
    """Gaussian-kernel (Nadaraya–Watson) regression.

    ``f(z) = Σ_i k(p(z), p_i) y_i / Σ_i k(p(z), p_i)`` with
    ``k(a, b) = exp(−||a − b||² / (2 h²))`` and ``p(z)`` the z-scored input,
    projected on its first ``n_components`` principal components when given.
    A weighted mean of valid covariances is a valid covariance, which is why
    the DKF also uses it to regress residual outer products.

    Parameters
    ----------
    bandwidth : float or "auto"
        Kernel width ``h`` in projected units. ``"auto"`` holds out the last
        ``validation_fraction`` of the training samples as one contiguous
        block (time-series safe), picks ``h`` from a grid by mean squared
        error of predicting it from the rest, then keeps all samples.
    n_components : int or None
        Number of principal components of the z-scored inputs used as kernel
        coordinates (capped at ``n_features``); ``None`` uses all features.
    validation_fraction : float
        Held-out block for ``bandwidth="auto"``.
    n_bandwidths : int
        Grid size for ``"auto"``: ``geomspace(0.02, 2, n_bandwidths)`` times the
        median distance between held-out and training points.
    max_validation_samples : int
        Held-out points used for ``"auto"`` (evenly subsampled), to bound cost.
    criterion : {"mse", "covariance_nll"}
        Score of ``"auto"``. ``"covariance_nll"`` is for targets that are
        flattened ``d × d`` outer products ``r rᵀ`` of residuals: it picks the
        bandwidth whose predicted covariance ``C`` (plus 1e-3 × its mean
        diagonal) gives the held-out residuals the lowest Gaussian negative
        log-likelihood ``log det C + tr(C⁻¹ r rᵀ)``, a proper score for a
        covariance (squared error on ``r rᵀ`` favours too-narrow kernels).

    Attributes
    ----------
    bandwidth_ : float
    mean_, scale_ : ndarray
        Input z-scoring.
    components_ : ndarray, shape (n_kernel_dims, n_features)
        Projection applied after z-scoring (identity when ``n_components`` is
        None).
    X_fit_, y_fit_ : ndarray
        Projected training inputs and their targets.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-3, 3, size=(400, 1))
    >>> nw = NadarayaWatsonRegressor(bandwidth=0.2).fit(X, np.sin(X[:, 0]))
    >>> bool(np.abs(nw.predict([[1.0]]) - np.sin(1.0)).max() < 0.1)
    True
    """

    def __init__(
        self,
        bandwidth: float | str = "auto",
        n_components: int | None = None,
        validation_fraction: float = 0.2,
        n_bandwidths: int = 15,
        max_validation_samples: int = 1000,
        criterion: str = "mse",
    ) -> None:
        self.bandwidth = bandwidth
        self.n_components = n_components
        self.validation_fraction = validation_fraction
        self.n_bandwidths = n_bandwidths
        self.max_validation_samples = max_validation_samples
        self.criterion = criterion

    def _check_params(self) -> None:
        if self.bandwidth != "auto":
            check_scalar(self.bandwidth, "bandwidth", min_val=0, include_min=False)
        if self.n_components is not None:
            check_scalar(self.n_components, "n_components", kind=int, min_val=1)
        check_scalar(
            self.validation_fraction,
            "validation_fraction",
            min_val=0,
            max_val=1,
            include_min=False,
            include_max=False,
        )
        check_scalar(self.n_bandwidths, "n_bandwidths", kind=int, min_val=1)
        check_scalar(
            self.max_validation_samples, "max_validation_samples", kind=int, min_val=1
        )
        check_option(self.criterion, "criterion", ["mse", "covariance_nll"])

    def fit(self, X: Any, y: Any) -> NadarayaWatsonRegressor:
        """Store the (projected) training set and choose the bandwidth.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
        y : array-like, shape (n_samples, n_targets) or (n_samples,)

        Returns
        -------
        self
        """
        self._check_params()
        X, y, self.y_ndim_ = _check_xy(X, y)
        if (
            self.criterion == "covariance_nll"
            and round(y.shape[1] ** 0.5) ** 2 != (y.shape[1])
        ):
            raise ValidationError(
                f"criterion='covariance_nll' needs flattened d × d targets, got "
                f"{y.shape[1]} columns (not a square number)."
            )
        if len(X) < 2:
            raise ValidationError(
                f"NadarayaWatsonRegressor needs at least 2 samples, got {len(X)}."
            )
        self.n_features_in_ = X.shape[1]
        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        Xs = (X - self.mean_) / self.scale_
        if self.n_components is None:
            self.components_ = np.eye(X.shape[1])
        else:
            k = min(self.n_components, X.shape[1], len(X))
            self.components_ = np.linalg.svd(Xs, full_matrices=False)[2][:k]
        P = Xs @ self.components_.T
        if self.bandwidth == "auto":
            self.bandwidth_ = self._select_bandwidth(P, y)
        else:
            self.bandwidth_ = float(self.bandwidth)
        self.X_fit_ = np.ascontiguousarray(P)
        self.y_fit_ = np.ascontiguousarray(y)
        self._sq_norms = np.einsum("ij,ij->i", P, P)
        self._make_row_buffers()
        return self

    def _make_row_buffers(self) -> None:
        self._row_bufs = (
            np.empty(self.n_features_in_),
            np.empty(self.X_fit_.shape[1]),
            np.empty(len(self.X_fit_)),
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Work buffers must be writable even when loaded as read-only memmaps.
        super().__setstate__(state)
        if "X_fit_" in state:
            self._make_row_buffers()

    def _select_bandwidth(self, P: np.ndarray, y: np.ndarray) -> float:
        n_val = max(1, int(round(self.validation_fraction * len(P))))
        ref, val = slice(0, len(P) - n_val), slice(len(P) - n_val, len(P))
        take = np.unique(
            np.linspace(0, n_val - 1, min(n_val, self.max_validation_samples)).astype(
                int
            )
        )
        Pv, yv = P[val][take], y[val][take]
        d2 = _sq_dist(Pv, P[ref])
        d2 -= d2.min(axis=1, keepdims=True)
        scale = float(np.sqrt(np.median(_sq_dist(Pv, P[ref][:: max(1, n_val // 50)]))))
        grid = max(scale, 1e-12) * np.geomspace(0.02, 2.0, self.n_bandwidths)
        errors = []
        for h in grid:
            w = np.exp(-d2 / (2 * h * h))
            pred = w @ y[ref] / w.sum(axis=1, keepdims=True)
            if self.criterion == "mse":
                errors.append(float(np.mean((pred - yv) ** 2)))
            else:
                errors.append(_covariance_nll(pred, yv))
        self.bandwidth_grid_ = grid
        self.bandwidth_errors_ = np.asarray(errors)
        return float(grid[int(np.argmin(errors))])

    def _project(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean_) / self.scale_) @ self.components_.T

    def predict(self, X: Any) -> np.ndarray:
        """Kernel-weighted mean of the training targets, in chunks of 1000 rows.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)

        Returns
        -------
        y : ndarray, shape (n_samples, n_targets) or (n_samples,)
        """
        X = _check_predict_x(self, X)
        out = np.empty((len(X), self.y_fit_.shape[1]))
        for start in range(0, len(X), 1000):
            P = self._project(X[start : start + 1000])
            d2 = _sq_dist(P, self.X_fit_)
            d2 -= d2.min(axis=1, keepdims=True)
            w = np.exp(-d2 / (2 * self.bandwidth_**2))
            out[start : start + 1000] = w @ self.y_fit_ / w.sum(axis=1, keepdims=True)
        return out[:, 0] if self.y_ndim_ == 1 else out

    def predict_row(self, z: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Predict one validated float64 row into ``out`` on preallocated buffers."""
        zs, p, d2 = self._row_bufs
        np.subtract(z, self.mean_, out=zs)
        np.divide(zs, self.scale_, out=zs)
        np.dot(self.components_, zs, out=p)
        # ||p_i − p||² = ||p_i||² − 2 p_i·p + ||p||²; the last term cancels below.
        np.dot(self.X_fit_, p, out=d2)
        np.multiply(d2, -2.0, out=d2)
        np.add(d2, self._sq_norms, out=d2)
        np.subtract(d2, d2.min(), out=d2)
        np.multiply(d2, -0.5 / self.bandwidth_**2, out=d2)
        np.exp(d2, out=d2)
        np.dot(d2, self.y_fit_, out=out)
        np.divide(out, d2.sum(), out=out)
        return out


def _covariance_nll(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean ``log det C + tr(C⁻¹ T)`` over rows of flattened ``d × d`` matrices."""
    d = int(round(pred.shape[1] ** 0.5))
    C = pred.reshape(-1, d, d)
    C = 0.5 * (C + C.transpose(0, 2, 1))
    # the floor keeps C invertible when every residual is zero (y predicted exactly)
    jitter = max(float(np.mean(np.trace(C, axis1=1, axis2=2))) / d, 1e-300)
    C = C + 1e-3 * jitter * np.eye(d)
    _, logdet = np.linalg.slogdet(C)
    trace = np.trace(np.linalg.solve(C, target.reshape(-1, d, d)), axis1=1, axis2=2)
    return float(np.mean(logdet + trace))


def _sq_dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d2 = np.einsum("ij,ij->i", a, a)[:, None] - 2 * a @ b.T
    d2 += np.einsum("ij,ij->i", b, b)[None, :]
    return np.maximum(d2, 0.0, out=d2)


class TorchMLPRegressor(_MultiOutputRegressor):
    """A small multilayer perceptron trained with :class:`neurokit_ai.core.Trainer`.

    Inputs and targets are z-scored; the last ``validation_fraction`` of the
    samples (a contiguous block) drives early stopping. Training uses one CPU
    thread (restored afterwards). After training, the
    weights are copied to numpy (``coefs_``, ``intercepts_``) and prediction
    runs without torch.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int
        Widths of the hidden layers.
    activation : {"relu", "tanh"}
    max_epochs, lr, weight_decay, batch_size, patience
        Training settings (Adam, mean squared error).
    validation_fraction : float
        Contiguous held-out block for early stopping.
    random_state : int
        Seed for initialisation and batch order.
    device : str
        Torch device for training.

    Attributes
    ----------
    coefs_, intercepts_ : list of ndarray
        Layer weights ``(n_in, n_out)`` and biases.
    history_ : dict
        Trainer loss history.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3)); y = X @ [1.0, -1.0, 0.5]
    >>> mlp = TorchMLPRegressor(max_epochs=150, random_state=0).fit(X, y)
    >>> bool(mlp.score(X, y) > 0.9)
    True
    """

    def __init__(
        self,
        hidden_layer_sizes: tuple[int, ...] = (64,),
        activation: str = "relu",
        max_epochs: int = 200,
        lr: float = 1e-3,
        weight_decay: float = 1e-4,
        batch_size: int = 256,
        patience: int = 10,
        validation_fraction: float = 0.1,
        random_state: int = 0,
        device: str = "cpu",
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.max_epochs = max_epochs
        self.lr = lr
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.device = device

    def fit(self, X: Any, y: Any) -> TorchMLPRegressor:
        """Train the network.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
        y : array-like, shape (n_samples, n_targets) or (n_samples,)

        Returns
        -------
        self
        """
        import torch

        from ..core import Trainer, torch_threads

        check_option(self.activation, "activation", ["relu", "tanh"])
        check_scalar(self.batch_size, "batch_size", kind=int, min_val=1)
        check_scalar(
            self.validation_fraction,
            "validation_fraction",
            min_val=0,
            max_val=1,
            include_max=False,
        )
        sizes = self.hidden_layer_sizes
        if not isinstance(sizes, tuple | list) or not all(
            isinstance(s, int) and s >= 1 for s in sizes
        ):
            raise ValidationError(
                "hidden_layer_sizes must be a tuple of positive ints, got "
                f"{self.hidden_layer_sizes!r}."
            )
        check_scalar(
            self.random_state, "random_state", kind=(int, np.integer), min_val=0
        )
        X, y, self.y_ndim_ = _check_xy(X, y)
        n_val = int(round(self.validation_fraction * len(X)))
        if len(X) - n_val < 2:
            raise ValidationError(
                f"TorchMLPRegressor needs at least 2 training samples, got {len(X)}."
            )
        self.n_features_in_ = X.shape[1]
        self.x_mean_, self.x_scale_ = X.mean(0), _safe_std(X)
        self.y_mean_, self.y_scale_ = y.mean(0), _safe_std(y)
        Xs = torch.as_tensor((X - self.x_mean_) / self.x_scale_, dtype=torch.float32)
        ys = torch.as_tensor((y - self.y_mean_) / self.y_scale_, dtype=torch.float32)
        act = torch.nn.ReLU if self.activation == "relu" else torch.nn.Tanh
        layers: list[Any] = []
        width = X.shape[1]
        torch.manual_seed(self.random_state)
        for size in sizes:
            layers += [torch.nn.Linear(width, size), act()]
            width = size
        layers.append(torch.nn.Linear(width, y.shape[1]))
        model = torch.nn.Sequential(*layers)
        n_train = len(X) - n_val
        train = _ShuffledBatches(
            Xs[:n_train], ys[:n_train], self.batch_size, self.random_state
        )
        val = [(Xs[n_train:], ys[n_train:])] if n_val > 0 else None

        def loss_fn(net: Any, batch: Any) -> Any:
            xb, yb = batch
            return torch.nn.functional.mse_loss(net(xb), yb)

        trainer = Trainer(
            max_epochs=self.max_epochs,
            lr=self.lr,
            weight_decay=self.weight_decay,
            patience=self.patience,
            device=self.device,
            random_state=self.random_state,
            verbose=False,
        )
        with torch_threads(1):  # a small network: threads only add contention
            self.history_ = trainer.fit(model, train, loss_fn, val_data=val)
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        self.coefs_ = [m.weight.detach().cpu().double().numpy().T for m in linears]
        self.intercepts_ = [m.bias.detach().cpu().double().numpy() for m in linears]
        return self

    def _forward(self, X: np.ndarray) -> np.ndarray:
        h = (X - self.x_mean_) / self.x_scale_
        for i, (w, b) in enumerate(zip(self.coefs_, self.intercepts_)):
            h = h @ w + b
            if i < len(self.coefs_) - 1:
                h = np.maximum(h, 0.0) if self.activation == "relu" else np.tanh(h)
        return h * self.y_scale_ + self.y_mean_

    def predict(self, X: Any) -> np.ndarray:
        """Network output in the units of ``y``.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)

        Returns
        -------
        y : ndarray, shape (n_samples, n_targets) or (n_samples,)
        """
        out = self._forward(_check_predict_x(self, X))
        return out[:, 0] if self.y_ndim_ == 1 else out

    def predict_row(self, z: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Predict one validated float64 row into ``out`` (no input checks)."""
        out[:] = self._forward(z)
        return out


class _ShuffledBatches:
    """Re-iterable mini-batches in a new seeded order each pass (tensor indexing,
    much cheaper than a DataLoader collating one sample at a time)."""

    def __init__(self, X: Any, y: Any, batch_size: int, seed: int) -> None:
        import torch

        self.X, self.y, self.batch_size = X, y, batch_size
        self.generator = torch.Generator().manual_seed(seed)

    def __iter__(self) -> Any:
        import torch

        order = torch.randperm(len(self.X), generator=self.generator)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            yield self.X[idx], self.y[idx]


def _safe_std(a: np.ndarray) -> np.ndarray:
    s = a.std(axis=0)
    return np.where(s > 0, s, 1.0)


class GaussianRegressionModel(_MultiOutputRegressor):
    """Conditional Gaussian ``p(x | z) ≈ N(f(z), Q(z))`` learned from pairs.

    Following the DKF paper, ``f`` and ``Q`` are learned on **disjoint**
    splits: ``f`` (any scikit-learn regressor) on the first ``split`` of the
    samples, then ``Q(z)`` on the rest from the residuals ``r = x − f(z)``:
    by Nadaraya–Watson regression of the outer products ``r rᵀ``
    (``covariance="nw"``; a kernel average of covariances is a covariance)
    or as their plain mean (``covariance="constant"``). Splits are contiguous
    blocks (time series). ``Q(z)`` gets ``ridge × mean(diag(mean r rᵀ))`` on
    its diagonal.

    Parameters
    ----------
    regressor : estimator or None
        Regressor for ``f``; default
        ``NadarayaWatsonRegressor(n_components=10)``.
    covariance : {"nw", "constant"}
    covariance_regressor : NadarayaWatsonRegressor or None
        Kernel regressor for ``Q`` with ``covariance="nw"``; default
        ``NadarayaWatsonRegressor(n_components=10, criterion="covariance_nll")``.
    split : float
        Fraction of samples (first block) used for ``f`` (paper: 0.7).
    ridge : float
        Diagonal loading of ``Q(z)`` (default 1e-3), which keeps it invertible
        where the kernel weights concentrate on few residuals.

    Attributes
    ----------
    regressor_, covariance_regressor_ : estimators
    residual_covariance_ : ndarray, shape (n_states, n_states)
        Mean of ``r rᵀ`` on the second split.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=(500, 5)); x = z[:, :2] + 0.1 * rng.normal(size=(500, 2))
    >>> model = GaussianRegressionModel(Ridge(), covariance="constant").fit(z, x)
    >>> mean, cov = model.predict_mean_cov(z[:3])
    >>> mean.shape, cov.shape
    ((3, 2), (3, 2, 2))
    """

    def __init__(
        self,
        regressor: Any = None,
        covariance: str = "nw",
        covariance_regressor: Any = None,
        split: float = 0.7,
        ridge: float = 1e-3,
    ) -> None:
        self.regressor = regressor
        self.covariance = covariance
        self.covariance_regressor = covariance_regressor
        self.split = split
        self.ridge = ridge

    def fit(self, X: Any, y: Any) -> GaussianRegressionModel:
        """Fit ``f`` on the first split and ``Q`` on the second.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Observations.
        y : array-like, shape (n_samples, n_states) or (n_samples,)
            States.

        Returns
        -------
        self
        """
        from sklearn.base import clone

        check_option(self.covariance, "covariance", ["nw", "constant"])
        check_scalar(
            self.split,
            "split",
            min_val=0,
            max_val=1,
            include_min=False,
            include_max=False,
        )
        check_scalar(self.ridge, "ridge", min_val=0)
        check_regressor(self.regressor, "regressor")
        check_regressor(self.covariance_regressor, "covariance_regressor")
        X, y, self.y_ndim_ = _check_xy(X, y)
        n_f = int(round(self.split * len(X)))
        if n_f < 2 or len(X) - n_f < 2:
            raise ValidationError(
                f"split={self.split} of {len(X)} samples leaves fewer than 2 for f "
                "or for Q; give more samples or a split closer to 0.5."
            )
        self.n_features_in_ = X.shape[1]
        d = y.shape[1]
        self.regressor_ = clone(
            NadarayaWatsonRegressor(n_components=10)
            if self.regressor is None
            else self.regressor
        ).fit(X[:n_f], y[:n_f] if self.y_ndim_ == 2 else y[:n_f, 0])
        resid = y[n_f:] - self._mean(X[n_f:])
        outer = (resid[:, :, None] * resid[:, None, :]).reshape(len(resid), d * d)
        self.residual_covariance_ = outer.mean(axis=0).reshape(d, d)
        self._ridge_matrix = (
            self.ridge * max(float(np.trace(self.residual_covariance_)) / d, 1e-300)
        ) * np.eye(d)
        if self.covariance == "nw":
            self.covariance_regressor_ = clone(
                NadarayaWatsonRegressor(n_components=10, criterion="covariance_nll")
                if self.covariance_regressor is None
                else self.covariance_regressor
            ).fit(X[n_f:], outer)
        else:
            self.covariance_regressor_ = None
        self._outer_row = np.empty(d * d)
        return self

    def __setstate__(self, state: dict[str, Any]) -> None:
        # The work buffer must be writable even when loaded as a read-only memmap.
        super().__setstate__(state)
        if "residual_covariance_" in state:
            self._outer_row = np.empty(self.residual_covariance_.size)

    def _mean(self, X: np.ndarray) -> np.ndarray:
        return self.regressor_.predict(X).reshape(len(X), -1)

    def predict(self, X: Any) -> np.ndarray:
        """``f(z)``, the conditional mean.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)

        Returns
        -------
        y : ndarray, shape (n_samples, n_states) or (n_samples,)
        """
        X = _check_predict_x(self, X)
        out = self._mean(X)
        return out[:, 0] if self.y_ndim_ == 1 else out

    def predict_mean_cov(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        """``f(z)`` and ``Q(z)`` for each row.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)

        Returns
        -------
        mean : ndarray, shape (n_samples, n_states)
        cov : ndarray, shape (n_samples, n_states, n_states)
        """
        X = _check_predict_x(self, X)
        d = self.residual_covariance_.shape[0]
        if self.covariance_regressor_ is None:
            cov = np.broadcast_to(self.residual_covariance_, (len(X), d, d)).copy()
        else:
            cov = self.covariance_regressor_.predict(X).reshape(len(X), d, d)
            cov = 0.5 * (cov + cov.transpose(0, 2, 1))
        return self._mean(X), cov + self._ridge_matrix

    def predict_row(
        self, z: np.ndarray, mean_out: np.ndarray, cov_out: np.ndarray
    ) -> None:
        """Write ``f(z)`` and ``Q(z)`` of one validated float64 row in place."""
        reg = self.regressor_
        if hasattr(reg, "predict_row"):
            reg.predict_row(z, mean_out)
        else:
            mean_out[:] = reg.predict(z[None, :]).reshape(-1)
        if self.covariance_regressor_ is None:
            np.copyto(cov_out, self.residual_covariance_)
        else:
            self.covariance_regressor_.predict_row(z, self._outer_row)
            cov_out[:] = self._outer_row.reshape(cov_out.shape)
        np.add(cov_out, self._ridge_matrix, out=cov_out)
