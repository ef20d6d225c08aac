"""What the Kalman and discriminative Kalman decoders share.

Input validation for ``fit``, the least-squares fit of the state dynamics,
the bin-width guard, and the offline/online driver: ``predict`` runs a fresh
recursion over a whole sequence, ``reset``/``step`` run one bin at a time on
preallocated buffers. Non-finite bins are *held*: the estimate and its
covariance stay as they were and the bin is counted.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import NeurokitRegressor, ValidationError, check_array, check_scalar
from ..core._base import check_is_fitted

__all__ = ["StateSpaceDecoder", "fit_dynamics", "transition_pairs"]


class Recursion:
    """Interface of a filter recursion (implemented by each decoder).

    ``out`` is the preallocated estimate returned by :meth:`step`; ``n_steps``
    and ``n_held`` count bins since :meth:`reset`.
    """

    n_features: int
    out: np.ndarray
    n_steps: int
    n_held: int

    def reset(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def update(self, z: np.ndarray) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def transition_pairs(n_samples: int, groups: np.ndarray | None) -> np.ndarray:
    """Indices ``t`` such that ``(t, t + 1)`` lie in the same segment.

    Examples
    --------
    >>> transition_pairs(5, np.array([0, 0, 1, 1, 1]))
    array([0, 2, 3])
    """
    t = np.arange(n_samples - 1)
    if groups is None:
        return t
    return t[groups[:-1] == groups[1:]]


def fit_dynamics(states: np.ndarray, pairs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Least-squares ``A`` and residual covariance ``W`` of ``s_{t+1} = A s_t + w``.

    ``states`` are centred; ``A = argmin Σ_t ||s_{t+1} − A s_t||²`` and
    ``W = mean_t (s_{t+1} − A s_t)(s_{t+1} − A s_t)ᵀ`` (maximum likelihood).

    Examples
    --------
    >>> s = np.array([[1.0], [0.5], [0.25], [0.125]])
    >>> A, W = fit_dynamics(s, np.arange(3))
    >>> round(float(A[0, 0]), 12), round(float(W[0, 0]), 12)
    (0.5, 0.0)
    """
    prev, nxt = states[pairs], states[pairs + 1]
    A = np.linalg.lstsq(prev, nxt, rcond=None)[0].T
    resid = nxt - prev @ A.T
    W = resid.T @ resid / len(pairs)
    return A, W


def check_bin_width_value(bin_width: Any, name: str = "bin_width") -> float | None:
    """Check an optional bin width in seconds."""
    if bin_width is None:
        return None
    return float(check_scalar(bin_width, name, min_val=0, include_min=False))


class StateSpaceDecoder(NeurokitRegressor):
    """Shared fit validation and offline/online driver (not public)."""

    def _validate_fit(
        self, X: Any, y: Any, groups: Any, bin_width: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        X = check_array(X, "X", ndim=2)
        y = check_array(y, "y", ndim=(1, 2))
        self.y_ndim_ = y.ndim
        if y.ndim == 1:
            y = y[:, None]
        if len(X) != len(y):
            raise ValidationError(
                f"X has {len(X)} samples (rows) but y has {len(y)}; pass one state "
                "row per observation row."
            )
        n_states = y.shape[1]
        if len(X) < n_states + 2:
            raise ValidationError(
                f"X has {len(X)} samples, too few for {n_states} state(s): at least "
                f"n_states + 2 = {n_states + 2} are needed (n_states + 1 transitions "
                "to estimate A and a non-singular W). Record a longer calibration."
            )
        if groups is not None:
            groups = np.asarray(groups)
            if groups.shape != (len(X),):
                raise ValidationError(
                    f"groups must have shape ({len(X)},), one label per sample, got "
                    f"{groups.shape}."
                )
        pairs = transition_pairs(len(X), groups)
        if len(pairs) < n_states + 1:
            raise ValidationError(
                f"groups leave only {len(pairs)} within-segment transitions, fewer "
                f"than n_states + 1 = {n_states + 1}; use longer segments."
            )
        self.bin_width_ = check_bin_width_value(bin_width)
        self.n_features_in_ = X.shape[1]
        self.n_states_ = n_states
        return X, y, pairs

    def check_bin_width(self, bin_width: float | None) -> None:
        """Refuse a run whose bin width differs from the training bin width.

        Parameters
        ----------
        bin_width : float or None
            The run's bin width in seconds; ``None`` (unknown) is accepted.

        Raises
        ------
        ValidationError
            When both widths are known and differ by more than 1e-9 relative.
        """
        check_is_fitted(self)
        bin_width = check_bin_width_value(bin_width)
        if bin_width is None or self.bin_width_ is None:
            return
        if not math.isclose(bin_width, self.bin_width_, rel_tol=1e-9):
            raise ValidationError(
                f"bin_width={bin_width} s differs from the {self.bin_width_} s bins "
                f"this {type(self).__name__} was fitted on; its dynamics (A, W) "
                "are per bin. Re-bin the data at the training width or refit."
            )

    def _make_recursion(self) -> Recursion:  # pragma: no cover - interface
        raise NotImplementedError

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())  # a copy: never touch our __dict__
        state.pop("_online", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled decoders start from :meth:`reset` with fresh buffers."""
        super().__setstate__(state)
        if "n_states_" in state:
            self._online = self._make_recursion()

    def _check_row(self, z: Any, rec: Recursion) -> np.ndarray:
        if type(z) is not np.ndarray or z.dtype != np.float64:
            z = np.asarray(z, dtype=np.float64)
        if z.shape != (rec.n_features,):
            raise ValidationError(
                f"z must be one bin of shape ({rec.n_features},), the number of "
                f"features seen in fit, got shape {z.shape}. Feed the same feature "
                "pipeline as in training."
            )
        return z

    def reset(self, *, bin_width: float | None = None) -> StateSpaceDecoder:
        """Restart the online filter from its initial state.

        Parameters
        ----------
        bin_width : float, optional
            Bin width (s) of the coming stream, checked against training.

        Returns
        -------
        self
        """
        check_is_fitted(self)
        self.check_bin_width(bin_width)
        self._online_recursion().reset()
        return self

    def step(self, z: Any) -> np.ndarray:
        """Filter one bin and return the state estimate.

        The returned array is a preallocated buffer overwritten by the next
        call: copy it if you keep it. A float64 1-D ``z`` is used without a
        copy. A bin holding NaN or inf (detected by a non-finite sum) is
        *held*: the previous estimate is returned unchanged and counted in
        :attr:`n_held_`.

        Parameters
        ----------
        z : ndarray, shape (n_features,)
            One bin of observations.

        Returns
        -------
        estimate : ndarray, shape (n_states,)
        """
        try:
            rec = self._online
        except AttributeError:
            check_is_fitted(self)
            raise
        z = self._check_row(z, rec)
        rec.n_steps += 1
        if math.isfinite(z.sum()):
            rec.update(z)
        else:
            rec.n_held += 1
        return rec.out

    def _online_recursion(self) -> Recursion:
        try:
            return self._online
        except AttributeError:
            check_is_fitted(self)
            raise

    @property
    def n_held_(self) -> int:
        """Bins held (non-finite) by :meth:`step` since the last :meth:`reset`."""
        return self._online_recursion().n_held

    @property
    def n_steps_(self) -> int:
        """Bins fed to :meth:`step` since the last :meth:`reset`."""
        return self._online_recursion().n_steps

    def predict(
        self,
        X: Any,
        *,
        bin_width: float | None = None,
        return_held: bool = False,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Filter a whole sequence from the initial state.

        Runs a fresh recursion (the online state of :meth:`step` is left
        alone); rows holding NaN or inf are held like in :meth:`step`.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Observations, one contiguous sequence of bins.
        bin_width : float, optional
            Bin width (s) of ``X``, checked against training.
        return_held : bool
            Also return the boolean mask of held rows.

        Returns
        -------
        states : ndarray, shape (n_samples, n_states) or (n_samples,)
            Filtered estimates (1-D when ``y`` was 1-D in fit).
        held : ndarray of bool, shape (n_samples,)
            Only with ``return_held=True``.
        """
        check_is_fitted(self)
        self.check_bin_width(bin_width)
        X = check_array(X, "X", ndim=2, allow_nonfinite=True)
        if X.shape[1] != self.n_features_in_:
            raise ValidationError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input (the count seen "
                "in fit); use the same feature pipeline as in training."
            )
        rec = self._make_recursion()
        out = np.empty((len(X), self.n_states_))
        held = ~np.isfinite(X.sum(axis=1))
        for t, z in enumerate(X):
            rec.n_steps += 1
            if held[t]:
                rec.n_held += 1
            else:
                rec.update(z)
            out[t] = rec.out
        if self.y_ndim_ == 1:
            out = out[:, 0]
        return (out, held) if return_held else out
