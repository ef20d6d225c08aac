"""Linear readouts of reservoir activity: ridge, FORCE (RLS) and three-factor."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_option, check_scalar
from ..core._base import NeurokitRegressor, check_is_fitted

__all__ = ["RidgeReadout", "FORCEReadout", "ThreeFactorReadout"]


def _check_xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray, bool]:
    X = check_array(X, "X", ndim=2)
    y = check_array(y, "y", ndim=(1, 2))
    if y.shape[0] != X.shape[0]:
        raise ValidationError(
            f"X has {X.shape[0]} samples but y has {y.shape[0]}; give one target "
            "per time bin."
        )
    return X, y.reshape(len(y), -1), y.ndim == 1


def _check_gate(gate: Any, n: int) -> np.ndarray:
    if gate is None:
        return np.ones(n)
    g = check_array(gate, "gate", ndim=1, shape=(n,))
    if g.min() < 0 or g.max() > 1:
        raise ValidationError(
            f"gate must lie in [0, 1] (an attention window), got values in "
            f"[{g.min():g}, {g.max():g}]."
        )
    return g


class _LinearReadout(NeurokitRegressor):
    """Shared predict for readouts with ``coef_`` (n_outputs, n_features)."""

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _with_intercept(self, X: np.ndarray) -> np.ndarray:
        check_option(self.fit_intercept, "fit_intercept", [True, False])
        return np.c_[X, np.ones(len(X))] if self.fit_intercept else X

    def _check_n_features(self, X: np.ndarray, fix: str) -> None:
        if X.shape[1] != self.n_features_in_:
            raise ValidationError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input (the reservoir "
                f"units it was fitted on); {fix}."
            )

    def predict(self, X: Any) -> np.ndarray:
        """Readout ``X @ coef_.T + intercept_``, shape (n_samples[, n_outputs])."""
        check_is_fitted(self, "coef_")
        X = check_array(X, "X", ndim=2)
        self._check_n_features(X, "pass the same units, in the same order")
        out = X @ self.coef_.T + self.intercept_
        return out[:, 0] if self._single_output else out

    def _check_continuation(self, X: np.ndarray, Y: np.ndarray) -> None:
        self._check_n_features(X, "call fit() to start over")
        if Y.shape[1] != len(self.coef_):
            raise ValidationError(
                f"partial_fit got {Y.shape[1]} outputs but the readout has "
                f"{len(self.coef_)}; call fit() to start over."
            )

    def _store(self, w: np.ndarray, n_features: int, single: bool) -> None:
        self.coef_ = w[:, :n_features].copy()
        self.intercept_ = w[:, n_features].copy() if self.fit_intercept else 0.0
        self.n_features_in_ = n_features
        self._single_output = single


class RidgeReadout(_LinearReadout):
    """Ridge regression of targets on reservoir activity (offline).

    Parameters
    ----------
    alpha : float
        L2 penalty.
    fit_intercept : bool
        Learn a bias (not penalised).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(200, 5))
    >>> coef = RidgeReadout(alpha=1e-6).fit(X, X @ np.arange(5.0)).coef_
    >>> np.allclose(coef, [[0.0, 1.0, 2.0, 3.0, 4.0]])
    True
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: Any, y: Any) -> RidgeReadout:
        """Solve the regularised normal equations."""
        check_scalar(self.alpha, "alpha", min_val=0.0)
        X, Y, single = _check_xy(X, y)
        Z = self._with_intercept(X)
        penalty = np.full(Z.shape[1], float(self.alpha))
        if self.fit_intercept:
            penalty[-1] = 0.0
        gram = Z.T @ Z + np.diag(penalty)
        w = np.linalg.lstsq(gram, Z.T @ Y, rcond=None)[0].T
        if not self.fit_intercept:
            w = np.c_[w, np.zeros(len(w))]
        self._store(w, X.shape[1], single)
        return self


class FORCEReadout(_LinearReadout):
    """FORCE learning of a readout: recursive least squares, online.

    ``P`` (the running inverse correlation of the activity, started at
    ``I / alpha``) shrinks as data accumulate, so the effective learning rate
    decays: after a change in the task statistics FORCE re-adapts slowly unless
    ``reset()`` is called (Sussillo & Abbott 2009; the readout is not fed back).

    Parameters
    ----------
    alpha : float
        Initial learning rate / inverse regulariser (``P0 = I / alpha``).
    fit_intercept : bool
        Learn a bias.

    Attributes
    ----------
    coef_, intercept_ : ndarray
    P_ : ndarray
        The inverse correlation matrix after the last sample.
    online_predictions_ : ndarray
        Readout of each sample before its update, from the last ``partial_fit``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(300, 4))
    >>> r = FORCEReadout(alpha=1.0).fit(X, X @ [1.0, -1.0, 2.0, 0.5])
    >>> np.allclose(r.coef_, [[1.0, -1.0, 2.0, 0.5]], atol=1e-2)
    True
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: Any, y: Any) -> FORCEReadout:
        """Start from zero weights and ``P = I / alpha``, then learn online."""
        if hasattr(self, "coef_"):
            del self.coef_
        return self.partial_fit(X, y)

    def partial_fit(self, X: Any, y: Any) -> FORCEReadout:
        """Continue RLS learning over the samples in order (no reset)."""
        check_scalar(self.alpha, "alpha", min_val=0.0, include_min=False)
        X, Y, single = _check_xy(X, y)
        Z = self._with_intercept(X)
        n_z = Z.shape[1]
        if not hasattr(self, "coef_"):
            self.P_ = np.eye(n_z) / self.alpha
            w = np.zeros((Y.shape[1], n_z))
        else:
            self._check_continuation(X, Y)
            w = np.c_[self.coef_, np.broadcast_to(self.intercept_, (len(self.coef_),))]
            w = w if self.fit_intercept else w[:, :-1]
        P = self.P_
        online = np.empty_like(Y)
        for t in range(len(Z)):
            z = Z[t]
            Pz = P @ z
            gain = Pz / (1.0 + z @ Pz)
            online[t] = w @ z
            w += np.outer(Y[t] - online[t], gain)
            P -= np.outer(gain, Pz)
        if not self.fit_intercept:
            w = np.c_[w, np.zeros(len(w))]
        self._store(w, X.shape[1], single)
        self.online_predictions_ = online[:, 0] if single else online
        return self

    def reset(self) -> FORCEReadout:
        """Restore ``P = I / alpha`` (keeping the weights): the explicit reset."""
        check_is_fitted(self, "coef_")
        self.P_ = np.eye(self.P_.shape[0]) / self.alpha
        return self


class ThreeFactorReadout(_LinearReadout):
    """Error-modulated, attention-gated three-factor Hebbian readout (online).

    ``Δw_ij = η · g(t) · e_i(t) · ε_j(t) / (‖ε(t)‖² + 1)``: the presynaptic
    eligibility trace ``ε_j`` (activity low-pass filtered with
    ``tau_eligibility``) times the global error ``e_i = target_i − readout_i``
    (third factor) times the attention gate ``g(t) ∈ [0, 1]`` that opens
    plasticity only in task-relevant windows. The normalisation by the trace's
    power makes ``η`` unit-free (normalised LMS). The rule is local and its
    learning rate does not decay, so it keeps tracking changes (the
    Yamada & Chao 2025 claim; the exact form in the paper is not public).

    Parameters
    ----------
    learning_rate : float
        η, in (0, 2) for stability of the normalised update.
    tau_eligibility : float
        Eligibility time constant (s); 0 uses the activity itself.
    bin_width : float
        Seconds per sample of ``X``.
    fit_intercept : bool
        Learn a bias (its input is a constant 1).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(2000, 4))
    >>> r = ThreeFactorReadout(learning_rate=0.2, tau_eligibility=0.0)
    >>> r = r.fit(X, X @ [1.0, -1.0, 2.0, 0.5])
    >>> np.allclose(r.coef_, [[1.0, -1.0, 2.0, 0.5]], atol=1e-2)
    True
    """

    def __init__(
        self,
        learning_rate: float = 0.05,
        tau_eligibility: float = 0.0,
        bin_width: float = 0.01,
        fit_intercept: bool = True,
    ) -> None:
        self.learning_rate = learning_rate
        self.tau_eligibility = tau_eligibility
        self.bin_width = bin_width
        self.fit_intercept = fit_intercept

    def fit(self, X: Any, y: Any, gate: Any = None) -> ThreeFactorReadout:
        """Start from zero weights and learn online over the samples."""
        if hasattr(self, "coef_"):
            del self.coef_
        return self.partial_fit(X, y, gate)

    def partial_fit(self, X: Any, y: Any, gate: Any = None) -> ThreeFactorReadout:
        """Continue learning; ``gate`` (n_samples,) in [0, 1] opens plasticity."""
        check_scalar(
            self.learning_rate,
            "learning_rate",
            min_val=0,
            max_val=2,
            include_min=False,
            include_max=False,
        )
        check_scalar(self.tau_eligibility, "tau_eligibility", min_val=0.0)
        check_scalar(self.bin_width, "bin_width", min_val=0, include_min=False)
        X, Y, single = _check_xy(X, y)
        g = _check_gate(gate, len(X))
        Z = self._with_intercept(X)
        if not hasattr(self, "coef_"):
            w = np.zeros((Y.shape[1], Z.shape[1]))
            self.trace_ = np.zeros(Z.shape[1])
        else:
            self._check_continuation(X, Y)
            w = np.c_[self.coef_, np.broadcast_to(self.intercept_, (len(self.coef_),))]
            w = w if self.fit_intercept else w[:, :-1]
        keep = (
            np.exp(-self.bin_width / self.tau_eligibility)
            if self.tau_eligibility
            else 0.0
        )
        trace = self.trace_
        online = np.empty_like(Y)
        eta = float(self.learning_rate)
        for t in range(len(Z)):
            z = Z[t]
            trace *= keep
            trace += (1.0 - keep) * z
            online[t] = w @ z
            if g[t] > 0:
                error = Y[t] - online[t]
                w += np.outer(eta * g[t] * error, trace / (trace @ trace + 1.0))
        self.trace_ = trace
        if not self.fit_intercept:
            w = np.c_[w, np.zeros(len(w))]
        self._store(w, X.shape[1], single)
        self.online_predictions_ = online[:, 0] if single else online
        return self
