"""OASIS-style AR(1) deconvolution of calcium traces into non-negative events."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    Recording,
    ValidationError,
    check_array,
    check_finite,
    check_scalar,
)
from ._common import check_recording, float_copy, pick_indices, with_data

__all__ = ["oasis_ar1", "estimate_ar1", "deconvolve_ar1"]


def oasis_ar1(
    y: np.ndarray, g: float, penalty: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Exact non-negative AR(1) deconvolution of one trace (OASIS).

    Solves ``min_c ½‖c − y‖² + penalty · ‖s‖₁`` subject to
    ``s_t = c_t − g c_{t−1} >= 0`` (with ``c_0 = s_0 >= 0``) by the pool
    adjacent violators algorithm of Friedrich, Zhou & Paninski (2017): pools
    of samples that decay together are merged while the decay constraint is
    violated. The L1 penalty enters as the shift ``y_t − penalty (1 − g)``
    (``y_T − penalty`` for the last sample).

    Parameters
    ----------
    y : ndarray, shape (n_times,)
        Finite trace (baseline at 0, e.g. ΔF/F).
    g : float
        AR(1) decay per sample, in [0, 1).
    penalty : float
        Sparsity weight (>= 0).

    Returns
    -------
    c : ndarray
        Denoised calcium.
    s : ndarray
        Non-negative events, ``s_t = c_t − g c_{t−1}``.

    Examples
    --------
    >>> s_true = np.zeros(20); s_true[[3, 11]] = [1.0, 2.0]
    >>> from scipy.signal import lfilter
    >>> y = lfilter([1.0], [1.0, -0.8], s_true)
    >>> c, s = oasis_ar1(y, 0.8)
    >>> np.flatnonzero(s > 1e-9).tolist()
    [3, 11]
    """
    y = check_array(y, "y", ndim=1)
    check_scalar(g, "g", min_val=0.0, max_val=1.0, include_max=False)
    check_scalar(penalty, "penalty", min_val=0.0)
    shifted = y - penalty * (1.0 - g)
    shifted[-1] = y[-1] - penalty
    values: list[float] = []
    weights: list[float] = []
    starts: list[int] = []
    lengths: list[int] = []
    for t, y_t in enumerate(shifted):
        values.append(float(y_t))
        weights.append(1.0)
        starts.append(t)
        lengths.append(1)
        while len(values) > 1 and values[-2] * g ** lengths[-2] > values[-1]:
            v, w, n = values.pop(), weights.pop(), lengths.pop()
            starts.pop()
            decay = g ** lengths[-1]
            values[-1] = (weights[-1] * values[-1] + decay * w * v) / (
                weights[-1] + decay**2 * w
            )
            weights[-1] += decay**2 * w
            lengths[-1] += n
    c = np.empty_like(y)
    for v, t0, n in zip(values, starts, lengths):
        c[t0 : t0 + n] = max(v, 0.0) * g ** np.arange(n)
    s = c.copy()
    s[1:] -= g * c[:-1]
    return c, np.maximum(s, 0.0)


def estimate_ar1(y: np.ndarray) -> float:
    """AR(1) decay of a trace from its autocovariance at lags 1 and 2.

    For calcium ``c`` following an AR(1) process plus white noise, the
    autocovariance at lags k >= 1 is ``σ_c² g^k`` (the noise adds to lag 0
    only), so ``g = acov(2) / acov(1)``, clipped to [0, 0.999].

    Examples
    --------
    >>> from scipy.signal import lfilter
    >>> rng = np.random.default_rng(0)
    >>> y = lfilter([1.0], [1.0, -0.9], rng.poisson(0.1, 20000).astype(float))
    >>> round(estimate_ar1(y + 0.05 * rng.standard_normal(20000)), 1)
    0.9
    """
    y = check_array(y, "y", ndim=1)
    if y.size < 16:
        raise ValidationError(f"y has {y.size} samples; AR(1) needs at least 16.")
    y = y - y.mean()
    acov1 = float(np.mean(y[1:] * y[:-1]))
    acov2 = float(np.mean(y[2:] * y[:-2]))
    if acov1 <= 0:
        return 0.0
    return float(np.clip(acov2 / acov1, 0.0, 0.999))


def deconvolve_ar1(
    rec: Recording,
    *,
    g: float | None = None,
    penalty: float = 0.0,
    picks: Any = None,
) -> Recording:
    """Deconvolve calcium traces into non-negative events with :func:`oasis_ar1`.

    Parameters
    ----------
    rec : Recording
        Traces with baseline 0 (ΔF/F from
        :func:`~neurokit_ai.preprocessing.delta_f_over_f`).
    g : float, optional
        AR(1) decay per sample shared by all channels; estimated per channel
        with :func:`estimate_ar1` when omitted. For a decay time constant τ at
        frame rate fs, ``g = exp(−1 / (τ fs))``.
    penalty : float
        L1 sparsity weight (in the traces' units).
    picks : optional
        Channels to deconvolve (default: data channels); others are copied.

    Returns
    -------
    Recording
        Events (unit ``"a.u."``); ``metadata["ar1_g"]`` lists the decay used
        for each deconvolved channel.

    Examples
    --------
    >>> from neurokit_ai.core import Recording
    >>> from scipy.signal import lfilter
    >>> s = np.zeros((1, 50)); s[0, 10] = 1.0
    >>> rec = Recording(lfilter([1.0], [1.0, -0.9], s), 10.0, ["roi0"], "calcium")
    >>> out = deconvolve_ar1(rec, g=0.9)
    >>> int(np.argmax(out.data[0])), round(float(out.data[0].max()), 6)
    (10, 1.0)
    """
    rec = check_recording(rec)
    if g is not None:
        check_scalar(g, "g", min_val=0.0, max_val=1.0, include_max=False)
    check_scalar(penalty, "penalty", min_val=0.0)
    idx = pick_indices(rec, picks)
    data = float_copy(rec)
    check_finite(data[idx], "rec data")
    decays = []
    units = list(rec.units)
    for i in idx:
        g_i = estimate_ar1(data[i]) if g is None else float(g)
        data[i] = oasis_ar1(data[i], g_i, penalty)[1]
        decays.append(g_i)
        units[i] = "a.u."
    out = with_data(rec, data, units=units)
    out.metadata.update({"ar1_g": decays, "ar1_penalty": float(penalty)})
    return out
