"""EEGdenoiseNet mixing: ``y = x + lambda * n`` at a chosen SNR."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ValidationError, check_array

__all__ = ["snr_scale", "mix_at_snr"]


def snr_scale(clean: Any, noise: Any, snr_db: Any) -> np.ndarray:
    """Return ``lambda`` such that ``10 log10(RMS(x) / RMS(lambda n)) = snr_db``.

    This is EEGdenoiseNet's definition (papers.md §1): the log of an RMS
    *ratio* times 10, so ``lambda = RMS(x) / (RMS(n) 10^(snr_db / 10))``.

    Parameters
    ----------
    clean, noise : array-like, shape (n_samples,) or (n_segments, n_samples)
        Clean EEG ``x`` and artifact ``n``.
    snr_db : float or array-like, shape (n_segments,)
        Target SNR in dB.

    Returns
    -------
    ndarray, shape (n_segments,)

    Examples
    --------
    >>> snr_scale([1.0, -1.0], [2.0, -2.0], 0.0)
    array([0.5])
    """
    x = np.atleast_2d(check_array(clean, "clean", ndim=(1, 2)))
    n = np.atleast_2d(check_array(noise, "noise", ndim=(1, 2)))
    if x.shape != n.shape:
        raise ValidationError(
            f"clean has shape {x.shape} but noise has shape {n.shape}; pair one "
            "noise segment with each clean segment."
        )
    snr = np.broadcast_to(np.asarray(snr_db, dtype=float), (x.shape[0],))
    if not np.all(np.isfinite(snr)):
        raise ValidationError(f"snr_db must be finite, got {snr_db!r}.")
    rms_x = np.sqrt(np.mean(x**2, axis=-1))
    rms_n = np.sqrt(np.mean(n**2, axis=-1))
    if np.any(rms_n == 0):
        raise ValidationError(
            "a noise segment is all zeros, so no scale reaches the SNR; drop it."
        )
    return rms_x / (rms_n * 10.0 ** (snr / 10.0))


def mix_at_snr(clean: Any, noise: Any, snr_db: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(y, lambda)`` with ``y = x + lambda n`` at ``snr_db``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, n = rng.normal(size=(2, 512)), rng.normal(size=(2, 512))
    >>> y, lam = mix_at_snr(x, n, -7.0)
    >>> y.shape
    (2, 512)
    """
    x = np.atleast_2d(check_array(clean, "clean", ndim=(1, 2)))
    lam = snr_scale(clean, noise, snr_db)
    n = np.atleast_2d(np.asarray(noise, dtype=float))
    return x + lam[:, None] * n, lam
