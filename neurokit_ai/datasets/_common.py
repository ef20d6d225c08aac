"""Noise generators and argument checks shared by the simulators."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..core import check_scalar

__all__ = ["band_noise", "check_count", "pink_noise", "simulation_metadata"]


def check_count(value: Any, name: str, min_val: int = 1, max_val: int | None = None):
    """Check an integer count such as ``n_channels``."""
    return int(
        check_scalar(
            value, name, kind=numbers.Integral, min_val=min_val, max_val=max_val
        )
    )


def _shaped_noise(
    rng: np.random.Generator, n_rows: int, n_times: int, gain: Any
) -> np.ndarray:
    """White Gaussian noise shaped by the amplitude ``gain(freqs)`` (unit std rows)."""
    spectrum = np.fft.rfft(rng.standard_normal((n_rows, n_times)), axis=1)
    freqs = np.fft.rfftfreq(n_times)
    out = np.fft.irfft(spectrum * gain(freqs), n=n_times, axis=1)
    out -= out.mean(axis=1, keepdims=True)
    return out / out.std(axis=1, keepdims=True)


def pink_noise(
    rng: np.random.Generator, n_rows: int, n_times: int, exponent: float = 1.0
) -> np.ndarray:
    """Noise with power ∝ 1/f**exponent, zero mean and unit std per row.

    Examples
    --------
    >>> x = pink_noise(np.random.default_rng(0), 2, 1000)
    >>> x.shape, bool(np.allclose(x.std(axis=1), 1.0))
    ((2, 1000), True)
    """

    def gain(freqs: np.ndarray) -> np.ndarray:
        g = np.zeros_like(freqs)
        g[1:] = freqs[1:] ** (-exponent / 2.0)
        return g

    return _shaped_noise(rng, n_rows, n_times, gain)


def band_noise(
    rng: np.random.Generator,
    n_rows: int,
    n_times: int,
    sfreq: float,
    l_freq: float,
    h_freq: float,
) -> np.ndarray:
    """Noise with a flat spectrum between ``l_freq`` and ``h_freq`` Hz (unit std).

    Examples
    --------
    >>> x = band_noise(np.random.default_rng(0), 1, 1000, 100.0, 8.0, 12.0)
    >>> f = np.fft.rfftfreq(1000, 1 / 100.0)[np.argmax(np.abs(np.fft.rfft(x[0])))]
    >>> bool(8.0 <= f <= 12.0)
    True
    """
    lo, hi = l_freq / sfreq, h_freq / sfreq
    return _shaped_noise(
        rng, n_rows, n_times, lambda f: ((f >= lo) & (f <= hi)).astype(float)
    )


def simulation_metadata(generator: str, random_state: Any, **params: Any) -> dict:
    """The provenance a simulator stores in ``metadata``."""
    seed = random_state if isinstance(random_state, numbers.Integral) else None
    return {
        "generator": f"neurokit_ai.datasets.{generator}",
        "parameters": params,
        "random_state": None if seed is None else int(seed),
    }
