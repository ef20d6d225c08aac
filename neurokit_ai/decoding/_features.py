"""Decoder feature pipeline as scikit-learn transformers.

Raw signals become bins (rows = bins, columns = features), then lags are
stacked and features z-scored with statistics fitted on calibration data
only::

    spikes ──SpikeCountBinner──┐
    voltage ─ThresholdCrossingBinner─┼─> LagStacker ─> CalibrationScaler ─> decoder
    voltage ─BandPowerBinner───┘

Continuous input is ``(n_times, n_channels)`` at ``sfreq`` or a
:class:`~neurokit_ai.core.Recording`; a bin is ``round(bin_width · sfreq)``
samples and a final partial bin is dropped.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    NeurokitTransformer,
    Recording,
    SpikeTrains,
    ValidationError,
    check_array,
    check_option,
    check_scalar,
    check_sfreq,
)
from ..core._base import check_is_fitted

__all__ = [
    "SpikeCountBinner",
    "ThresholdCrossingBinner",
    "BandPowerBinner",
    "LagStacker",
    "CalibrationScaler",
]


class SpikeCountBinner(NeurokitTransformer):
    """Spike counts per unit in contiguous bins.

    Parameters
    ----------
    bin_width : float
        Bin width in seconds.
    t_start, t_stop : float, optional
        Interval for a list of spike-time arrays (ignored for
        :class:`~neurokit_ai.core.SpikeTrains`, which carry their own).

    Examples
    --------
    >>> SpikeCountBinner(0.5, t_start=0, t_stop=1).fit_transform([[0.1, 0.7], [0.2]])
    array([[1., 1.],
           [1., 0.]])
    """

    def __init__(
        self,
        bin_width: float = 0.05,
        t_start: float | None = None,
        t_stop: float | None = None,
    ) -> None:
        self.bin_width = bin_width
        self.t_start = t_start
        self.t_stop = t_stop

    def _trains(self, X: Any) -> SpikeTrains:
        if isinstance(X, SpikeTrains):
            return X
        if isinstance(X, np.ndarray) and X.dtype != object:
            raise ValidationError(
                f"X must be SpikeTrains or a list of spike-time arrays (one per "
                f"unit), got an array of shape {X.shape}. Use "
                "SpikeTrains.from_arrays(times, unit_ids) for flat arrays."
            )
        for name in ("t_start", "t_stop"):
            if getattr(self, name) is not None:
                check_scalar(getattr(self, name), name)
        return SpikeTrains(X, t_start=self.t_start, t_stop=self.t_stop)

    def fit(self, X: Any, y: Any = None) -> SpikeCountBinner:
        """Record the number of units.

        Parameters
        ----------
        X : SpikeTrains or list of array-like
        y : ignored

        Returns
        -------
        self
        """
        check_scalar(self.bin_width, "bin_width", min_val=0, include_min=False)
        self.n_features_in_ = self._trains(X).n_units
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Count spikes per bin.

        Parameters
        ----------
        X : SpikeTrains or list of array-like

        Returns
        -------
        counts : ndarray, shape (n_bins, n_units)
        """
        check_is_fitted(self)
        trains = self._trains(X)
        _check_width(self, trains.n_units, "units")
        return trains.bin(self.bin_width).data.T.copy()


def _check_width(est: Any, n_found: int, what: str) -> None:
    """Refuse input whose number of units/channels/features differs from fit."""
    if n_found != est.n_features_in_:
        raise ValidationError(
            f"X has {n_found} features, but {type(est).__name__} is expecting "
            f"{est.n_features_in_} features as input: {n_found} {what} but "
            f"{est.n_features_in_} were seen in fit (calibration); pass the same "
            f"{what}, in the same order."
        )


def _continuous(X: Any, sfreq: float | None) -> tuple[np.ndarray, float]:
    """Return ``(n_times, n_channels)`` samples and the sampling rate."""
    if sfreq is not None:
        check_sfreq(sfreq)
    if isinstance(X, Recording):
        if sfreq is not None and not np.isclose(sfreq, X.sfreq, rtol=1e-9):
            raise ValidationError(
                f"sfreq={sfreq} Hz but the Recording is sampled at {X.sfreq} Hz; "
                "leave sfreq=None or resample."
            )
        return np.asarray(X.get_data(), dtype=float).T, float(X.sfreq)
    if sfreq is None:
        raise ValidationError(
            "sfreq is None: give the sampling rate (Hz) of the (n_times, "
            "n_channels) array, or pass a Recording."
        )
    return check_array(X, "X", ndim=2), float(sfreq)


def _samples_per_bin(bin_width: float, sfreq: float) -> int:
    check_scalar(bin_width, "bin_width", min_val=0, include_min=False)
    n = bin_width * sfreq
    if round(n) < 1 or abs(n - round(n)) > 1e-6 * max(n, 1.0):
        raise ValidationError(
            f"bin_width={bin_width} s is {n:g} samples at {sfreq} Hz; it must be a "
            "whole number (>= 1) of samples. Pick a bin width that is a multiple "
            f"of 1/sfreq = {1 / sfreq:g} s."
        )
    return int(round(n))


def _bin_sum(values: np.ndarray, n: int) -> np.ndarray:
    n_bins = len(values) // n
    if n_bins < 1:
        raise ValidationError(
            f"X has {len(values)} samples, fewer than one bin ({n} samples)."
        )
    return values[: n_bins * n].reshape(n_bins, n, -1).sum(axis=1)


class ThresholdCrossingBinner(NeurokitTransformer):
    """Threshold-crossing counts per channel and bin (multi-unit activity).

    ``fit`` estimates each channel's noise level on calibration data as
    ``median(|x|) / 0.6745`` (Quiroga et al. 2004) and sets the threshold at
    ``threshold`` times it; ``transform`` counts the samples where the signal
    crosses it (downwards for a negative threshold, upwards for a positive).

    Parameters
    ----------
    bin_width : float
        Bin width in seconds.
    sfreq : float, optional
        Sampling rate (Hz) of array input.
    threshold : float
        Threshold in noise standard deviations (BCI convention: −4.5).

    Attributes
    ----------
    thresholds_ : ndarray, shape (n_channels,)
        Thresholds in the units of the signal.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(100, 1)); x[10] = x[60] = -10.0
    >>> ThresholdCrossingBinner(0.05, sfreq=1000).fit(x).transform(x).ravel()
    array([1., 1.])
    """

    def __init__(
        self,
        bin_width: float = 0.05,
        sfreq: float | None = None,
        threshold: float = -4.5,
    ) -> None:
        self.bin_width = bin_width
        self.sfreq = sfreq
        self.threshold = threshold

    def fit(self, X: Any, y: Any = None) -> ThresholdCrossingBinner:
        """Estimate the per-channel thresholds on calibration data.

        Parameters
        ----------
        X : array-like, shape (n_times, n_channels), or Recording
        y : ignored

        Returns
        -------
        self
        """
        check_scalar(self.threshold, "threshold")
        if self.threshold == 0:
            raise ValidationError("threshold=0 counts noise; use e.g. -4.5.")
        data, sfreq = _continuous(X, self.sfreq)
        _samples_per_bin(self.bin_width, sfreq)
        noise = np.median(np.abs(data - np.median(data, axis=0)), axis=0) / 0.6745
        if np.any(noise == 0):
            bad = np.flatnonzero(noise == 0).tolist()
            raise ValidationError(
                f"Channels {bad} are flat in the calibration data (zero noise "
                "level); drop them before thresholding."
            )
        self.thresholds_ = self.threshold * noise
        self.n_features_in_ = data.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Count threshold crossings per bin.

        Parameters
        ----------
        X : array-like, shape (n_times, n_channels), or Recording

        Returns
        -------
        counts : ndarray, shape (n_bins, n_channels)
        """
        check_is_fitted(self)
        data, sfreq = _continuous(X, self.sfreq)
        _check_width(self, data.shape[1], "channels")
        n = _samples_per_bin(self.bin_width, sfreq)
        if self.threshold < 0:
            below = data <= self.thresholds_
        else:
            below = data >= self.thresholds_
        crossing = np.zeros(data.shape)
        crossing[1:] = below[1:] & ~below[:-1]
        return _bin_sum(crossing, n)


class BandPowerBinner(NeurokitTransformer):
    """Mean power in a frequency band per channel and bin.

    A causal Butterworth band-pass (``scipy.signal.sosfilt``, so the same
    filter can run online) is applied, the signal squared and averaged over
    each bin, and ``log10`` taken when ``log``.

    Parameters
    ----------
    bin_width : float
        Bin width in seconds.
    sfreq : float, optional
        Sampling rate (Hz) of array input.
    band : tuple of float
        Pass band (Hz); high gamma ``(70, 150)`` by default.
    order : int
        Butterworth order.
    log : bool
        Return ``log10`` power (floored at 1e-30).

    Examples
    --------
    >>> t = np.arange(2000) / 1000
    >>> x = np.stack([np.sin(2 * np.pi * 100 * t), np.sin(2 * np.pi * 10 * t)], 1)
    >>> p = BandPowerBinner(0.1, sfreq=1000, log=False).fit_transform(x)
    >>> bool(p[-1, 0] > 100 * p[-1, 1])
    True
    """

    def __init__(
        self,
        bin_width: float = 0.05,
        sfreq: float | None = None,
        band: tuple[float, float] = (70.0, 150.0),
        order: int = 4,
        log: bool = True,
    ) -> None:
        self.bin_width = bin_width
        self.sfreq = sfreq
        self.band = band
        self.order = order
        self.log = log

    def _sos(self, sfreq: float) -> np.ndarray:
        from scipy.signal import butter

        band = self.band
        if not (
            isinstance(band, tuple | list | np.ndarray)
            and len(band) == 2
            and all(isinstance(b, int | float | np.number) for b in band)
        ):
            raise DTypeError(
                f"band must be two frequencies (low, high) in Hz, got {band!r:.60}."
            )
        lo, hi = (float(b) for b in band)
        if not 0 < lo < hi < sfreq / 2:
            raise ValidationError(
                f"band={self.band} must satisfy 0 < low < high < sfreq/2 = "
                f"{sfreq / 2} Hz."
            )
        check_scalar(self.order, "order", kind=int, min_val=1)
        return butter(self.order, [lo, hi], btype="bandpass", fs=sfreq, output="sos")

    def fit(self, X: Any, y: Any = None) -> BandPowerBinner:
        """Check the band against the sampling rate and record the channel count.

        Parameters
        ----------
        X : array-like, shape (n_times, n_channels), or Recording
        y : ignored

        Returns
        -------
        self
        """
        check_option(self.log, "log", [True, False])
        data, sfreq = _continuous(X, self.sfreq)
        _samples_per_bin(self.bin_width, sfreq)
        self._sos(sfreq)
        self.n_features_in_ = data.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Band power per bin.

        Parameters
        ----------
        X : array-like, shape (n_times, n_channels), or Recording

        Returns
        -------
        power : ndarray, shape (n_bins, n_channels)
        """
        from scipy.signal import sosfilt

        check_is_fitted(self)
        data, sfreq = _continuous(X, self.sfreq)
        _check_width(self, data.shape[1], "channels")
        n = _samples_per_bin(self.bin_width, sfreq)
        filtered = sosfilt(self._sos(sfreq), data, axis=0)
        power = _bin_sum(filtered**2, n) / n
        return np.log10(np.maximum(power, 1e-30)) if self.log else power


class LagStacker(NeurokitTransformer):
    """Stack each bin with its ``n_lags`` predecessors: ``[z_t, z_{t−1}, …, z_{t−L}]``.

    Rows before the start are filled with the first row (edge padding), so the
    output keeps one row per input row. :meth:`reset`/:meth:`step` do the same
    one bin at a time with a preallocated buffer.

    Parameters
    ----------
    n_lags : int
        Number of past bins appended (0 returns the input).

    Examples
    --------
    >>> LagStacker(1).fit_transform(np.array([[1.0], [2.0], [3.0]]))
    array([[1., 1.],
           [2., 1.],
           [3., 2.]])
    """

    def __init__(self, n_lags: int = 1) -> None:
        self.n_lags = n_lags

    def fit(self, X: Any, y: Any = None) -> LagStacker:
        """Record the feature count and prepare the online buffer.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        check_scalar(self.n_lags, "n_lags", kind=int, min_val=0)
        X = check_array(X, "X", ndim=2, allow_nonfinite=True)
        self.n_features_in_ = X.shape[1]
        self._row = np.empty(X.shape[1] * (self.n_lags + 1))
        self._started = False
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Stack lags of a whole sequence.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)

        Returns
        -------
        stacked : ndarray, shape (n_samples, n_features · (n_lags + 1))
        """
        check_is_fitted(self)
        X = check_array(X, "X", ndim=2, allow_nonfinite=True)
        _check_width(self, X.shape[1], "features")
        padded = np.concatenate([np.repeat(X[:1], self.n_lags, axis=0), X])
        n = len(X)
        return np.hstack(
            [
                padded[self.n_lags - k : self.n_lags - k + n]
                for k in range(self.n_lags + 1)
            ]
        )

    def reset(self) -> LagStacker:
        """Forget past bins before a new stream."""
        check_is_fitted(self)
        self._started = False
        return self

    def step(self, z: np.ndarray) -> np.ndarray:
        """Stack one bin with the previous ones (buffer reused: copy to keep).

        Parameters
        ----------
        z : ndarray, shape (n_features,)

        Returns
        -------
        row : ndarray, shape (n_features · (n_lags + 1),)
        """
        check_is_fitted(self)
        n = self.n_features_in_
        if np.shape(z) != (n,):
            raise ValidationError(f"z must have shape ({n},), got {np.shape(z)}.")
        row = self._row
        if self._started:
            row[n:] = row[:-n]
            row[:n] = z
        else:
            row.reshape(self.n_lags + 1, n)[:] = z
            self._started = True
        return row


class CalibrationScaler(NeurokitTransformer):
    """Z-score features with means and SDs fitted on calibration data only.

    Unlike ``StandardScaler`` it rejects non-finite calibration data, passes
    non-finite values through ``transform`` unchanged (so an online decoder
    can hold that bin), and reports constant features (silent units), which
    are centred but not scaled.

    Attributes
    ----------
    mean_, scale_ : ndarray
    constant_features_ : ndarray of int
        Features with zero calibration variance.

    Examples
    --------
    >>> s = CalibrationScaler().fit([[0.0, 1.0], [2.0, 1.0]])
    >>> s.transform([[1.0, 3.0]])
    array([[0., 2.]])
    """

    def fit(self, X: Any, y: Any = None) -> CalibrationScaler:
        """Learn the means and standard deviations.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Calibration bins.
        y : ignored

        Returns
        -------
        self
        """
        X = check_array(X, "X", ndim=2)
        self.n_features_in_ = X.shape[1]
        self.mean_ = X.mean(axis=0)
        sd = X.std(axis=0)
        self.constant_features_ = np.flatnonzero(sd == 0)
        self.scale_ = np.where(sd > 0, sd, 1.0)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Apply ``(X − mean_) / scale_``.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)

        Returns
        -------
        Z : ndarray, shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X = check_array(X, "X", ndim=2, allow_nonfinite=True)
        _check_width(self, X.shape[1], "features")
        return (X - self.mean_) / self.scale_

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Undo :meth:`transform`."""
        check_is_fitted(self)
        X = check_array(X, "X", ndim=2, allow_nonfinite=True)
        return X * self.scale_ + self.mean_
