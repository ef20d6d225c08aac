"""Discriminative Kalman Filter (Burkhart, Brandman, Franco, Hochberg & Harrison,
Neural Computation 32(5), 2020)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.linalg import solve_discrete_lyapunov

from ..core import ValidationError, check_array, check_option, check_scalar
from ._linalg import NotPositiveDefiniteError, SPDInverter, regularized
from ._regressors import GaussianRegressionModel, check_regressor
from ._state_space import (
    Recursion,
    StateSpaceDecoder,
    check_bin_width_value,
    fit_dynamics,
)

__all__ = ["DiscriminativeKalmanFilter"]


class DiscriminativeKalmanFilter(StateSpaceDecoder):
    """Discriminative Kalman Filter: linear-Gaussian dynamics, learned ``p(x | z)``.

    Notation (the paper's ``z`` is our state ``x``, its ``x`` our bin ``z``):
    state ``x_t ∈ R^d`` centred on its training mean ``m``, observation
    ``z_t``. The model is

    - dynamics ``p(x_t | x_{t−1}) = N(A x_{t−1}, Γ)`` with stationary prior
      ``p(x_t) = N(0, S)``, ``S = A S Aᵀ + Γ``;
    - a *discriminative* observation model ``p(x_t | z_t) ≈ N(f(z_t), Q(z_t))``,
      turned into a likelihood by Bayes: ``p(z_t | x_t) ∝ p(x_t | z_t) / p(x_t)``.

    ``A, Γ`` are least-squares estimates from consecutive training states (as
    in :class:`KalmanFilterDecoder`); ``S`` solves the discrete Lyapunov
    equation ``S = A S Aᵀ + Γ`` so the stationarity relation holds exactly;
    ``f, Q`` come from ``model`` (``f`` and ``Q`` on disjoint 70/30 splits by
    default). Starting from ``μ_0 = 0, Σ_0 = S``, each bin computes::

        M     = A Σ_{t−1} Aᵀ + Γ                              (eq. 1)
        Σ_t   = (Q(z_t)⁻¹ + M⁻¹ − S⁻¹)⁻¹                      (eq. 2)
        μ_t   = Σ_t (Q(z_t)⁻¹ f(z_t) + M⁻¹ A μ_{t−1})          (eq. 3)

    Eq. 2 is only valid when ``Q(z_t)⁻¹ − S⁻¹`` is positive definite. When it
    is not, that step uses ``S⁻¹ = 0`` (the paper's fallback, one *robust*
    step: ``Σ_t = (Q⁻¹ + M⁻¹)⁻¹``, eq. 3 unchanged) and is counted in
    :attr:`n_fallback_`. We implement the paper's version; the authors'
    official Python class instead replaces ``Q`` by ``(Q⁻¹ + S⁻¹)⁻¹``, which
    gives the same ``Σ_t`` but weights ``f(z_t)`` by ``Q⁻¹ + S⁻¹`` in eq. 3.

    With ``robust=True`` the prior is never divided out (the paper's robust
    DKF): ``μ_1 = f(z_1)``, ``Σ_1 = Q(z_1)``, then eqs. 1–3 without ``S⁻¹``.

    Parameters
    ----------
    model : estimator or None
        Learns ``f`` and ``Q``: an object with ``fit(X, y)`` and
        ``predict_mean_cov(X) -> (mean, cov)`` (optionally a fast
        ``predict_row(z, mean_out, cov_out)``), such as
        :class:`GaussianRegressionModel`; a plain scikit-learn regressor is
        wrapped in ``GaussianRegressionModel(regressor)``. Default:
        ``GaussianRegressionModel()`` (Nadaraya–Watson on 10 principal
        components, as the paper's DKF-NW).
    robust : bool
        Run the robust DKF.
    ridge : float
        Diagonal loading of ``Γ`` as a fraction of its mean diagonal
        (default 1e-6).

    Attributes
    ----------
    A_, Gamma_, S_ : ndarray
        Dynamics, state noise and stationary covariance (``S_`` is None when
        ``robust``).
    model_ : estimator
        The fitted observation model, on centred states ``y − state_mean_``.
    state_mean_ : ndarray
    bin_width_ : float or None
    n_features_in_, n_states_ : int

    Notes
    -----
    ``X``/``y``/``groups`` as in :class:`KalmanFilterDecoder`. The model's
    own call may allocate; the filter arithmetic uses preallocated buffers.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> rng = np.random.default_rng(0)
    >>> x = np.zeros((600, 2))
    >>> for t in range(1, 600):
    ...     x[t] = 0.95 * x[t - 1] + 0.3 * rng.normal(size=2)
    >>> z = x @ rng.normal(size=(2, 15)) + rng.normal(size=(600, 15))
    >>> model = GaussianRegressionModel(Ridge(), covariance="constant")
    >>> dkf = DiscriminativeKalmanFilter(model).fit(z[:500], x[:500])
    >>> bool(dkf.score(z[500:], x[500:]) > 0.5)
    True
    """

    def __init__(
        self, model: Any = None, robust: bool = False, ridge: float = 1e-6
    ) -> None:
        self.model = model
        self.robust = robust
        self.ridge = ridge

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        groups: Any = None,
        bin_width: float | None = None,
    ) -> DiscriminativeKalmanFilter:
        """Fit ``A, Γ, S`` from the states and ``f, Q`` with ``model``.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Observations.
        y : array-like, shape (n_samples, n_states) or (n_samples,)
            States.
        groups : array-like, shape (n_samples,), optional
            Segment labels; transitions across a change are left out of ``A, Γ``.
        bin_width : float, optional
            Bin width in seconds, recorded and checked at run time.

        Returns
        -------
        self
        """
        from sklearn.base import clone

        check_scalar(self.ridge, "ridge", min_val=0)
        check_option(self.robust, "robust", [True, False])
        check_regressor(self.model, "model")
        X, y, pairs = self._validate_fit(X, y, groups, bin_width)
        m = y.mean(axis=0)
        yc = y - m
        A, Gamma = fit_dynamics(yc, pairs)
        Gamma = regularized(Gamma, self.ridge, "Γ (state noise covariance)")
        model = GaussianRegressionModel() if self.model is None else self.model
        if not hasattr(model, "predict_mean_cov"):
            model = GaussianRegressionModel(model)
        model = clone(model).fit(X, yc)
        self._set_model(A, Gamma, model, m)
        return self

    @classmethod
    def from_params(
        cls,
        A: Any,
        Gamma: Any,
        model: Any,
        *,
        state_mean: Any = None,
        robust: bool = False,
        bin_width: float | None = None,
    ) -> DiscriminativeKalmanFilter:
        """Build a fitted filter from known dynamics and a fitted observation model.

        Parameters
        ----------
        A, Gamma : array-like, shape (n_states, n_states)
        model : fitted object with ``predict_mean_cov`` and ``n_features_in_``
            Gives ``f(z)`` and ``Q(z)`` in centred state coordinates.
        state_mean : array-like, optional
            ``m`` (default zero).
        robust : bool
        bin_width : float, optional

        Returns
        -------
        DiscriminativeKalmanFilter
        """
        A = check_array(A, "A", ndim=2)
        d = A.shape[0]
        A = check_array(A, "A", shape=(d, d))
        Gamma = regularized(check_array(Gamma, "Gamma", shape=(d, d)), 0.0, "Gamma")
        if not hasattr(model, "predict_mean_cov"):
            raise ValidationError(
                "model must have predict_mean_cov(X) -> (mean, cov), got "
                f"{type(model).__name__}; wrap a regressor in "
                "GaussianRegressionModel and fit it first."
            )
        m = (
            np.zeros(d)
            if state_mean is None
            else check_array(state_mean, "state_mean", shape=(d,))
        )
        dkf = cls(model=model, robust=robust)
        dkf.bin_width_ = check_bin_width_value(bin_width)
        dkf.n_features_in_ = int(model.n_features_in_)
        dkf.n_states_ = d
        dkf.y_ndim_ = 2
        dkf._set_model(A, Gamma, model, m)
        return dkf

    def _set_model(
        self, A: np.ndarray, Gamma: np.ndarray, model: Any, m: np.ndarray
    ) -> None:
        self.A_ = A
        self.Gamma_ = Gamma
        self.model_ = model
        self.state_mean_ = m
        if self.robust:
            self.S_ = None
        else:
            radius = float(np.max(np.abs(np.linalg.eigvals(A))))
            if radius >= 1.0:
                raise ValidationError(
                    f"The fitted dynamics A have spectral radius {radius:.4f} >= 1, "
                    "so no stationary prior N(0, S) exists. Use robust=True (no "
                    "prior), or decode a stationary state such as velocity."
                )
            self.S_ = regularized(
                solve_discrete_lyapunov(A, Gamma), 0.0, "S (stationary covariance)"
            )
        self._online = self._make_recursion()

    @property
    def n_fallback_(self) -> int:
        """Online steps since :meth:`reset` that used the ``S⁻¹ = 0`` fallback."""
        return self._online_recursion().n_fallback

    def _make_recursion(self) -> Recursion:
        return _DKFRecursion(self)


class _DKFRecursion(Recursion):
    """Preallocated DKF recursion in centred coordinates (eqs. 1–3)."""

    def __init__(self, dkf: DiscriminativeKalmanFilter) -> None:
        d = dkf.n_states_
        self.n_features = dkf.n_features_in_
        self.A = np.ascontiguousarray(dkf.A_)
        self.At = np.ascontiguousarray(dkf.A_.T)
        self.Gamma = dkf.Gamma_
        self.robust = dkf.robust
        self.m = dkf.state_mean_
        self.S = dkf.S_
        if not self.robust:
            self.S_inv = np.linalg.inv(self.S)
            self.S_inv = 0.5 * (self.S_inv + self.S_inv.T)
        model = dkf.model_
        if hasattr(model, "predict_row"):
            self._predict_row = model.predict_row
        else:

            def _predict_row(z: np.ndarray, f: np.ndarray, Q: np.ndarray) -> None:
                mean, cov = model.predict_mean_cov(z[None, :])
                f[:] = mean[0]
                Q[:] = cov[0]

            self._predict_row = _predict_row
        self.mu = np.empty(d)
        self.Sigma = np.empty((d, d))
        self.f = np.empty(d)
        self.Q = np.empty((d, d))
        self.Q_inv = np.empty((d, d))
        self.M = np.empty((d, d))
        self.M_inv = np.empty((d, d))
        self.D = np.empty((d, d))
        self.info = np.empty((d, d))
        self.tmp = np.empty((d, d))
        self.a = np.empty(d)
        self.b = np.empty(d)
        self.out = np.empty(d)
        self.inverter = SPDInverter(d)
        self.reset()

    def reset(self) -> None:
        self.mu.fill(0.0)  # μ_0 = 0
        if not self.robust:
            np.copyto(self.Sigma, self.S)  # Σ_0 = S
        np.copyto(self.out, self.m)
        self.n_steps = 0
        self.n_held = 0
        self.n_fallback = 0
        self.first = True

    def update(self, z: np.ndarray) -> None:
        step = self.n_steps - 1
        self._predict_row(z, self.f, self.Q)  # f(z_t), Q(z_t)
        if not np.isfinite(self.f).all() or not np.isfinite(self.Q).all():
            raise NotPositiveDefiniteError(
                "Q(z_t) (observation model output)",
                step,
                "The observation model returned NaN/inf for a finite bin; check "
                "its inputs' scale and its bandwidth.",
            )
        self.inverter.invert(self.Q, self.Q_inv, "Q(z_t)", step)
        if self.robust and self.first:
            np.copyto(self.mu, self.f)  # robust DKF: μ_1 = f(z_1)
            np.copyto(self.Sigma, self.Q)  # Σ_1 = Q(z_1)
        else:
            np.dot(self.A, self.Sigma, out=self.tmp)
            np.dot(self.tmp, self.At, out=self.M)
            np.add(self.M, self.Gamma, out=self.M)  # eq. 1: M = AΣAᵀ + Γ
            self.inverter.invert(self.M, self.M_inv, "M = A·Σ·Aᵀ + Γ", step)
            np.add(self.Q_inv, self.M_inv, out=self.info)  # Q⁻¹ + M⁻¹
            if not self.robust:
                np.subtract(self.Q_inv, self.S_inv, out=self.D)  # Q⁻¹ − S⁻¹
                if self.inverter.factor(self.D):
                    np.subtract(self.info, self.S_inv, out=self.info)  # − S⁻¹
                else:
                    self.n_fallback += 1  # not PD: S⁻¹ = 0 for this step
            # eq. 2: Σ_t = (Q⁻¹ + M⁻¹ − S⁻¹)⁻¹
            self.inverter.invert(self.info, self.Sigma, "Q⁻¹ + M⁻¹ − S⁻¹", step)
            np.dot(self.A, self.mu, out=self.a)
            np.dot(self.M_inv, self.a, out=self.b)  # M⁻¹ A μ_{t−1}
            np.dot(self.Q_inv, self.f, out=self.a)  # Q⁻¹ f(z_t)
            np.add(self.a, self.b, out=self.a)
            np.dot(self.Sigma, self.a, out=self.mu)  # eq. 3
        self.first = False
        np.add(self.mu, self.m, out=self.out)
