"""Artifact-removal plots: before/after traces and spectra, metrics vs SNR."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core import ValidationError, check_option
from ._common import check_recording, new_figure, select_window

__all__ = ["plot_cleaning", "plot_cleaning_spectra", "plot_metrics_by_snr"]


def _same_layout(before: Any, after: Any) -> None:
    check_recording(before, "before")
    check_recording(after, "after")
    if before.ch_names != after.ch_names or before.sfreq != after.sfreq:
        raise ValidationError(
            "before and after must have the same channels and sampling rate; pass "
            "a recording and the output of ArtifactRemover.transform on it."
        )


def plot_cleaning(
    before: Any,
    after: Any,
    picks: Any = None,
    *,
    tmin: float = 0.0,
    duration: float | None = 4.0,
    max_channels: int = 6,
) -> Any:
    """Overlay each picked channel before (grey) and after (colour) cleaning.

    Parameters
    ----------
    before, after : Recording
        The input and the cleaned recording.
    picks : optional
        Channels (default: the cleaned ones, at most ``max_channels``).
    tmin, duration : float
        Window in seconds.
    max_channels : int
        Most channels shown.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai import Recording
    >>> rec = Recording(np.random.default_rng(0).normal(size=(2, 512)), 256.0,
    ...                 ["C3", "C4"], "eeg")
    >>> fig = plot_cleaning(rec, rec)
    """
    _same_layout(before, after)
    if picks is None:
        done = after.metadata.get("artifact_removal", {}).get("channels")
        picks = (done or before.ch_names)[:max_channels]
    b = select_window(before, picks, tmin, duration)
    a = select_window(after, picks, tmin, duration)
    n = b.n_channels
    fig = new_figure(9.0, 1.2 + 1.1 * n)
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    t = tmin + b.times
    for ax, name, xb, xa, unit in zip(axes, b.ch_names, b.data, a.data, b.units):
        ax.plot(t, xb, color="0.6", lw=0.7, label="before")
        ax.plot(t, xa, color="C0", lw=0.8, label="after")
        ax.set_ylabel(f"{name}\n({unit})", rotation=0, ha="right", va="center")
    axes[0].legend(loc="upper right", ncols=2, fontsize="small")
    axes[-1].set_xlabel("time (s)")
    return fig


def plot_cleaning_spectra(
    before: Any, after: Any, clean: Any = None, picks: Any = None, fmax: float = 100.0
) -> Any:
    """Mean Welch spectrum (log power) over channels: before, after, clean truth.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai import Recording
    >>> rec = Recording(np.random.default_rng(0).normal(size=(2, 1024)), 256.0,
    ...                 ["C3", "C4"], "eeg")
    >>> fig = plot_cleaning_spectra(rec, rec, rec)
    """
    from scipy.signal import welch

    _same_layout(before, after)
    curves = {"before": before, "after": after}
    if clean is not None:
        _same_layout(before, clean)
        curves["clean (truth)"] = clean
    if picks is None:
        done = after.metadata.get("artifact_removal", {}).get("channels")
        picks = done or before.ch_names
    fig = new_figure(6.0, 4.0)
    ax = fig.subplots()
    styles = {
        "before": ("0.5", "-"),
        "after": ("C0", "-"),
        "clean (truth)": ("k", "--"),
    }
    for label, rec in curves.items():
        data = rec.get_data(picks)
        f, p = welch(data, fs=rec.sfreq, nperseg=min(int(2 * rec.sfreq), rec.n_times))
        keep = (f > 0) & (f <= fmax)
        color, ls = styles[label]
        ax.semilogy(f[keep], p[:, keep].mean(axis=0), color=color, ls=ls, label=label)
    ax.axvspan(20, 45, color="C3", alpha=0.08, label="20-45 Hz (muscle)")
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel(f"power ({before.units[0]}²/Hz)")
    ax.legend(fontsize="small")
    return fig


def plot_metrics_by_snr(
    results: Mapping[str, Mapping[float, Mapping[str, float]]],
    metrics: tuple[str, ...] = ("cc", "rrmse_t", "rrmse_f"),
) -> Any:
    """One panel per metric: each method's value against the input SNR.

    Parameters
    ----------
    results : dict
        ``{method: {snr_db: {"cc", "rrmse_t", "rrmse_f"}}}`` as returned by
        :func:`neurokit_ai.artifacts.metrics_by_snr` per method.
    metrics : tuple of str
        Metrics to draw.

    Examples
    --------
    >>> res = {"atat": {-7.0: {"cc": 0.9}, 2.0: {"cc": 0.98}}}
    >>> fig = plot_metrics_by_snr(res, metrics=("cc",))
    """
    if not isinstance(results, Mapping) or not results:
        raise ValidationError(
            "results must be a non-empty {method: {snr: {metric: value}}} dict."
        )
    for m in metrics:
        check_option(m, "metrics", ["cc", "rrmse_t", "rrmse_f"])
    labels = {"cc": "CC", "rrmse_t": "RRMSE (time)", "rrmse_f": "RRMSE (spectrum)"}
    fig = new_figure(4.0 * len(metrics), 3.5)
    axes = np.atleast_1d(fig.subplots(1, len(metrics)))
    for ax, metric in zip(axes, metrics):
        for name, by_snr in results.items():
            levels = sorted(by_snr)
            ax.plot(
                levels, [by_snr[lv][metric] for lv in levels], "o-", ms=3, label=name
            )
        ax.set_xlabel("input SNR (dB)")
        ax.set_ylabel(labels[metric])
    axes[0].legend(fontsize="small")
    return fig
