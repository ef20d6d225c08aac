"""Kalman filter decoder (Wu et al. 2006): linear-Gaussian state space, LS fit."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from ..core import ValidationError, check_array, check_scalar
from ._linalg import SPDInverter, regularized
from ._state_space import Recursion, StateSpaceDecoder, check_bin_width_value
from ._state_space import fit_dynamics as _fit_dynamics

__all__ = ["KalmanFilterDecoder"]


class KalmanFilterDecoder(StateSpaceDecoder):
    """Decode a state (e.g. cursor velocity) from binned features with a Kalman filter.

    Model, with ``x_t`` the state and ``z_t`` the observed bin, both centred on
    their training means ``m`` and ``c``::

        x_t − m = A (x_{t−1} − m) + w_t,    w_t ~ N(0, W)
        z_t − c = H (x_t − m)     + q_t,    q_t ~ N(0, Q)

    ``A, W`` are least-squares estimates from consecutive training states,
    ``H, Q`` from observations regressed on states; ``W`` and ``Q`` get
    ``ridge × mean(diag)`` added to their diagonal. The filter starts at
    ``x_0 = m`` with covariance the training state covariance, and each bin
    runs predict then update in *information form*::

        x⁻ = A x,   P⁻ = A P Aᵀ + W
        P  = (P⁻⁻¹ + Hᵀ Q⁻¹ H)⁻¹
        x  = x⁻ + P (Hᵀ Q⁻¹ (z − c) − Hᵀ Q⁻¹ H x⁻)

    ``Hᵀ Q⁻¹`` and ``Hᵀ Q⁻¹ H`` are computed once in ``fit``, so a step only
    touches ``n_states × n_states`` and ``n_states × n_features`` arrays; both
    inverses are in-place Cholesky inversions, which keep ``P`` exactly
    symmetric and raise :class:`NotPositiveDefiniteError` naming the matrix
    and step if positive definiteness is ever lost. This is algebraically the
    standard (covariance-form) Kalman filter.

    With ``steady_state=True`` the covariance recursion is iterated to its
    fixed point in ``fit`` and every step uses the constant gain (then
    ``x = F x + K z`` with ``F = (I − P∞ HᵀQ⁻¹H) A``, ``K = P∞ HᵀQ⁻¹``).

    Parameters
    ----------
    steady_state : bool
        Use the steady-state gain from the first bin on.
    ridge : float
        Diagonal loading of ``W`` and ``Q``, as a fraction of their mean
        diagonal (default 1e-6). It makes ``Q`` invertible when a feature is
        constant in training (a silent unit) or features outnumber samples.
    steady_state_tol : float
        Convergence tolerance (max absolute change of ``P``, relative to its
        largest entry) of the steady-state iteration.

    Attributes
    ----------
    A_, W_, H_, Q_ : ndarray
        Fitted model matrices (``H_`` is ``(n_features, n_states)``).
    state_mean_, observation_mean_ : ndarray
        ``m`` and ``c``.
    initial_state_, initial_covariance_ : ndarray
        Start of the recursion (``reset`` returns there).
    steady_covariance_ : ndarray or None
        ``P∞`` (posterior) when ``steady_state``.
    bin_width_ : float or None
        Training bin width (s); runs with another width are refused.
    n_features_in_, n_states_ : int

    Notes
    -----
    ``X`` is one contiguous sequence of bins, ``(n_samples, n_features)``;
    ``y`` the states, ``(n_samples, n_states)``. Several trials may be
    concatenated and labelled with ``groups`` in :meth:`fit`: transitions
    across a label change are then left out of ``A, W``. :meth:`predict`
    filters its input as one sequence.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.cumsum(rng.normal(size=(500, 2)), axis=0) * 0.1
    >>> z = x @ rng.normal(size=(2, 20)) + rng.normal(size=(500, 20))
    >>> kf = KalmanFilterDecoder().fit(z[:400], x[:400], bin_width=0.05)
    >>> bool(kf.score(z[400:], x[400:]) > 0.5)
    True
    >>> _ = kf.reset(bin_width=0.05)
    >>> kf.step(z[400]).shape
    (2,)
    """

    def __init__(
        self,
        steady_state: bool = False,
        ridge: float = 1e-6,
        steady_state_tol: float = 1e-10,
    ) -> None:
        self.steady_state = steady_state
        self.ridge = ridge
        self.steady_state_tol = steady_state_tol

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        groups: Any = None,
        bin_width: float | None = None,
    ) -> KalmanFilterDecoder:
        """Fit ``A, W, H, Q`` by least squares.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Observations (binned features).
        y : array-like, shape (n_samples, n_states) or (n_samples,)
            States (e.g. hand velocity).
        groups : array-like, shape (n_samples,), optional
            Segment (trial) labels; no transition is taken across a change.
        bin_width : float, optional
            Bin width in seconds, recorded and checked at run time.

        Returns
        -------
        self
        """
        self._check_params()
        X, y, pairs = self._validate_fit(X, y, groups, bin_width)
        m = y.mean(axis=0)
        c = X.mean(axis=0)
        yc, Xc = y - m, X - c
        A, W = _fit_dynamics(yc, pairs)
        H = np.linalg.lstsq(yc, Xc, rcond=None)[0].T
        resid = Xc - yc @ H.T
        Q = resid.T @ resid / len(X)
        self._set_model(
            A=A,
            W=regularized(W, self.ridge, "W (state noise covariance)"),
            H=H,
            Q=regularized(Q, self.ridge, "Q (observation noise covariance)"),
            initial_state=m,
            initial_covariance=regularized(
                yc.T @ yc / len(y), self.ridge, "initial state covariance"
            ),
            state_mean=m,
            observation_mean=c,
        )
        return self

    @classmethod
    def from_params(
        cls,
        A: Any,
        W: Any,
        H: Any,
        Q: Any,
        *,
        initial_state: Any = None,
        initial_covariance: Any = None,
        state_mean: Any = None,
        observation_mean: Any = None,
        bin_width: float | None = None,
        steady_state: bool = False,
    ) -> KalmanFilterDecoder:
        """Build a fitted decoder from known model matrices.

        Parameters
        ----------
        A, W : array-like, shape (n_states, n_states)
            Transition matrix and state noise covariance.
        H : array-like, shape (n_features, n_states)
            Observation matrix.
        Q : array-like, shape (n_features, n_features)
            Observation noise covariance.
        initial_state : array-like, shape (n_states,), optional
            Defaults to ``state_mean``.
        initial_covariance : array-like, optional
            Defaults to ``W``.
        state_mean, observation_mean : array-like, optional
            ``m`` and ``c`` of the model (default zero).
        bin_width : float, optional
            Bin width (s) the matrices are per.
        steady_state : bool
            Use the steady-state gain.

        Returns
        -------
        KalmanFilterDecoder
            Fitted (``clone`` of it gives back an unfitted one).

        Examples
        --------
        >>> kf = KalmanFilterDecoder.from_params(
        ...     [[1.0]], [[0.1]], [[1.0], [2.0]], np.eye(2))
        >>> kf.predict(np.zeros((3, 2))).shape
        (3, 1)
        """
        A = check_array(A, "A", ndim=2)
        d = A.shape[0]
        A = check_array(A, "A", shape=(d, d))
        W = check_array(W, "W", shape=(d, d))
        H = check_array(H, "H", ndim=2, shape=(None, d))
        n = H.shape[0]
        Q = check_array(Q, "Q", shape=(n, n))
        m = (
            np.zeros(d)
            if state_mean is None
            else check_array(state_mean, "state_mean", shape=(d,))
        )
        c = (
            np.zeros(n)
            if observation_mean is None
            else check_array(observation_mean, "observation_mean", shape=(n,))
        )
        x0 = (
            m
            if initial_state is None
            else check_array(initial_state, "initial_state", shape=(d,))
        )
        P0 = (
            W
            if initial_covariance is None
            else check_array(initial_covariance, "initial_covariance", shape=(d, d))
        )
        kf = cls(steady_state=steady_state)
        kf._check_params()
        kf.bin_width_ = check_bin_width_value(bin_width)
        kf.n_features_in_ = n
        kf.n_states_ = d
        kf.y_ndim_ = 2
        kf._set_model(
            A=A,
            W=regularized(W, 0.0, "W (state noise covariance)"),
            H=H,
            Q=regularized(Q, 0.0, "Q (observation noise covariance)"),
            initial_state=x0,
            initial_covariance=regularized(P0, 0.0, "initial_covariance"),
            state_mean=m,
            observation_mean=c,
        )
        return kf

    def _check_params(self) -> None:
        check_scalar(self.ridge, "ridge", min_val=0)
        check_scalar(self.steady_state_tol, "steady_state_tol", min_val=0)
        if not isinstance(self.steady_state, (bool, np.bool_)):
            raise ValidationError(
                f"steady_state must be True or False, got {self.steady_state!r}."
            )

    def _set_model(self, **params: np.ndarray) -> None:
        self.A_ = params["A"]
        self.W_ = params["W"]
        self.H_ = params["H"]
        self.Q_ = params["Q"]
        self.initial_state_ = params["initial_state"]
        self.initial_covariance_ = params["initial_covariance"]
        self.state_mean_ = params["state_mean"]
        self.observation_mean_ = params["observation_mean"]
        # Hᵀ Q⁻¹ and Hᵀ Q⁻¹ H, once: step() never touches an n_features² array.
        self._HtQinv = np.ascontiguousarray(
            cho_solve(cho_factor(self.Q_, lower=True), self.H_).T
        )
        self._HtQinvH = self._HtQinv @ self.H_
        self._HtQinvH = 0.5 * (self._HtQinvH + self._HtQinvH.T)
        self._HtQinv_c = self._HtQinv @ self.observation_mean_
        self.steady_covariance_ = (
            self._steady_covariance() if self.steady_state else None
        )
        self._online = self._make_recursion()

    def _steady_covariance(self) -> np.ndarray:
        """Iterate ``P ← ((A P Aᵀ + W)⁻¹ + HᵀQ⁻¹H)⁻¹`` to its fixed point."""
        rec = _InformationKalman(self, steady=False)
        P = rec.P
        previous = np.empty_like(P)
        for it in range(100_000):
            np.copyto(previous, P)
            rec.update_covariance(it)
            change = np.max(np.abs(P - previous))
            if change <= self.steady_state_tol * max(np.max(np.abs(P)), 1e-300):
                return P.copy()
        raise ValidationError(
            "The steady-state covariance did not converge in 100000 iterations; "
            "the fitted dynamics may be unstable. Use steady_state=False."
        )

    def _make_recursion(self) -> Recursion:
        return _InformationKalman(self, steady=self.steady_state)


class _InformationKalman(Recursion):
    """Preallocated information-form Kalman recursion in centred coordinates."""

    def __init__(self, kf: KalmanFilterDecoder, steady: bool) -> None:
        d, n = kf.n_states_, kf.n_features_in_
        self.n_features = n
        self.A = np.ascontiguousarray(kf.A_)
        self.At = np.ascontiguousarray(kf.A_.T)
        self.W = kf.W_
        self.G = kf._HtQinvH
        self.B = kf._HtQinv
        self.Bc = kf._HtQinv_c
        self.m = kf.state_mean_
        self.u0 = kf.initial_state_ - kf.state_mean_
        self.P0 = kf.initial_covariance_
        self.steady = steady
        if steady:
            Pinf = kf.steady_covariance_
            self.F = (np.eye(d) - Pinf @ self.G) @ self.A
            self.K = np.ascontiguousarray(Pinf @ self.B)
            self.Kc = self.K @ kf.observation_mean_
        self.u = np.empty(d)
        self.u_pred = np.empty(d)
        self.b = np.empty(d)
        self.v = np.empty(d)
        self.P = np.empty((d, d))
        self.P_pred = np.empty((d, d))
        self.info = np.empty((d, d))
        self.tmp = np.empty((d, d))
        self.out = np.empty(d)
        self.inverter = SPDInverter(d)
        self.reset()

    def reset(self) -> None:
        np.copyto(self.u, self.u0)
        np.copyto(self.P, self.P0)
        np.add(self.u, self.m, out=self.out)
        self.n_steps = 0
        self.n_held = 0

    def update_covariance(self, step: int) -> None:
        """``P⁻ = A P Aᵀ + W``; ``P = (P⁻⁻¹ + HᵀQ⁻¹H)⁻¹``."""
        np.dot(self.A, self.P, out=self.tmp)
        np.dot(self.tmp, self.At, out=self.P_pred)
        np.add(self.P_pred, self.W, out=self.P_pred)
        self.inverter.invert(
            self.P_pred, self.info, "predicted covariance A·P·Aᵀ + W", step
        )
        np.add(self.info, self.G, out=self.info)
        self.inverter.invert(
            self.info, self.P, "posterior information P⁻⁻¹ + HᵀQ⁻¹H", step
        )

    def update(self, z: np.ndarray) -> None:
        if self.steady:
            np.dot(self.F, self.u, out=self.v)
            np.dot(self.K, z, out=self.u)
            np.add(self.u, self.v, out=self.u)
            np.subtract(self.u, self.Kc, out=self.u)
        else:
            np.dot(self.A, self.u, out=self.u_pred)
            self.update_covariance(self.n_steps - 1)
            np.dot(self.B, z, out=self.b)
            np.subtract(self.b, self.Bc, out=self.b)
            np.dot(self.G, self.u_pred, out=self.v)
            np.subtract(self.b, self.v, out=self.b)
            np.dot(self.P, self.b, out=self.u)
            np.add(self.u, self.u_pred, out=self.u)
        np.add(self.u, self.m, out=self.out)
