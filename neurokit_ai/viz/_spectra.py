"""Welch power spectra of a Recording, one panel per channel type."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import Recording, ValidationError, check_scalar
from ._common import check_recording, new_figure, select_window

__all__ = ["plot_psd", "welch_psd"]


def welch_psd(rec: Recording) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(freqs, psd)`` of every channel with Welch's method.

    Segments are 2 s long (at least 256 samples, at most the whole recording),
    Hann-windowed with 50 % overlap; ``psd`` is ``(n_channels, n_freqs)`` in
    unit²/Hz.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai import Recording
    >>> t = np.arange(2560) / 256.0
    >>> rec = Recording(np.sin(2 * np.pi * 10 * t)[None], 256.0, ["x"])
    >>> freqs, psd = welch_psd(rec)
    >>> float(freqs[psd[0].argmax()])
    10.0
    """
    from scipy.signal import welch

    nperseg = min(rec.n_times, max(256, int(round(2.0 * rec.sfreq))))
    return welch(rec.data, fs=rec.sfreq, nperseg=nperseg, axis=-1)


def plot_psd(
    rec: Recording,
    *,
    picks: Any = None,
    fmin: float = 0.0,
    fmax: float | None = None,
) -> Any:
    """Plot the Welch power spectrum of each channel, log power, one panel per type.

    Parameters
    ----------
    rec : Recording
        The data.
    picks : None, str, list of str or int, or boolean mask
        Channels (names, indices, a channel type); ``None`` plots all.
    fmin, fmax : float
        Frequency range in Hz; ``fmax`` defaults to the Nyquist frequency.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per channel type (in order of first appearance), one line per
        channel.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai import Recording
    >>> rec = Recording(np.random.default_rng(0).normal(size=(2, 1000)), 100.0,
    ...                 ["a", "b"], ["eeg", "ecg"])
    >>> len(plot_psd(rec, fmax=40.0).axes)
    2
    """
    check_recording(rec)
    nyquist = rec.sfreq / 2.0
    check_scalar(fmin, "fmin", min_val=0.0)
    if fmax is None:
        fmax = nyquist
    check_scalar(fmax, "fmax", min_val=0.0, include_min=False)
    if not fmin < fmax <= nyquist:
        raise ValidationError(
            f"Need 0 <= fmin < fmax <= Nyquist ({nyquist:g} Hz), got fmin={fmin}, "
            f"fmax={fmax}. Choose a range inside the recording's bandwidth."
        )
    sel = select_window(rec, picks, 0.0, None)
    freqs, psd = welch_psd(sel)
    keep = (freqs >= fmin) & (freqs <= fmax)
    if not keep.any():
        raise ValidationError(
            f"No Welch frequency falls in [{fmin}, {fmax}] Hz (resolution "
            f"{freqs[1] - freqs[0]:g} Hz); widen the range."
        )
    kinds = list(dict.fromkeys(sel.ch_types))
    fig = new_figure(7.0, 2.5 * len(kinds) + 0.5)
    types = np.asarray(sel.ch_types)
    for k, kind in enumerate(kinds):
        ax = fig.add_subplot(len(kinds), 1, k + 1)
        rows = np.flatnonzero(types == kind)
        unit = sel.units[rows[0]]
        for i in rows:
            ax.semilogy(freqs[keep], psd[i, keep], lw=0.7, alpha=0.8)
        ax.set_title(f"{kind} ({rows.size} channels)")
        ax.set_ylabel(f"Power ({unit}²/Hz)")
        ax.set_xlim(freqs[keep][0], freqs[keep][-1])
    fig.axes[-1].set_xlabel("Frequency (Hz)")
    return fig
