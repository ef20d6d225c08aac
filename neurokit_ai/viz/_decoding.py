"""Plots of decoding: decoded vs true trajectories, latencies, cursor paths."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_scalar
from ._common import new_figure

__all__ = ["plot_decoded_trajectories", "plot_latency_histogram", "plot_cursor_paths"]


def plot_decoded_trajectories(
    y_true: Any,
    y_pred: Any,
    bin_width: float,
    *,
    names: Sequence[str] | None = None,
    tmax: float | None = None,
) -> Any:
    """Plot decoded against true states over time, one panel per state.

    Parameters
    ----------
    y_true, y_pred : array-like, shape (n_bins, n_states)
        True and decoded states.
    bin_width : float
        Seconds per bin.
    names : sequence of str, optional
        State labels (with units), e.g. ``["vx (m/s)", "vy (m/s)"]``.
    tmax : float, optional
        Show only the first ``tmax`` seconds.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> y = np.random.default_rng(0).normal(size=(100, 2))
    >>> fig = plot_decoded_trajectories(y, y + 0.1, 0.05)
    >>> len(fig.axes)
    2
    """
    y_true = check_array(y_true, "y_true", ndim=(1, 2), allow_nonfinite=True)
    y_pred = check_array(y_pred, "y_pred", ndim=(1, 2), allow_nonfinite=True)
    y_true = y_true.reshape(len(y_true), -1)
    y_pred = y_pred.reshape(len(y_pred), -1)
    if y_true.shape != y_pred.shape:
        raise ValidationError(
            f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}; pass "
            "the decoded states of the same bins."
        )
    check_scalar(bin_width, "bin_width", min_val=0.0, include_min=False)
    n_states = y_true.shape[1]
    names = (
        list(names) if names is not None else [f"state {k}" for k in range(n_states)]
    )
    if len(names) != n_states:
        raise ValidationError(f"names has {len(names)} labels for {n_states} states.")
    n = len(y_true)
    if tmax is not None:
        check_scalar(tmax, "tmax", min_val=0.0, include_min=False)
        n = max(1, min(n, int(round(tmax / bin_width))))
    t = np.arange(n) * bin_width
    fig = new_figure(8.0, 1.8 * n_states + 0.6)
    axes = fig.subplots(n_states, 1, sharex=True, squeeze=False)[:, 0]
    for k, ax in enumerate(axes):
        ax.plot(t, y_true[:n, k], color="0.3", lw=1.2, label="true")
        ax.plot(t, y_pred[:n, k], color="C3", lw=1.0, label="decoded")
        ax.set_ylabel(names[k])
    axes[0].legend(loc="upper right", frameon=False, ncols=2)
    axes[-1].set_xlabel("time (s)")
    return fig


def plot_latency_histogram(
    latencies: Any, *, bin_width: float | None = None, n_bins: int = 50
) -> Any:
    """Histogram of per-bin latencies (s) with the median and 99th percentile.

    Parameters
    ----------
    latencies : array-like or StreamLog
        Latencies in seconds (NaN ignored), or a log whose published rows are
        used.
    bin_width : float, optional
        The stream's bin width (s), drawn as the budget the latency must beat.
    n_bins : int
        Histogram bins.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_latency_histogram(np.full(100, 0.0005))
    >>> fig.axes[0].get_xlabel()
    'latency (ms)'
    """
    if hasattr(latencies, "latencies"):
        latencies = latencies.latencies()
    lat = check_array(latencies, "latencies", ndim=1, allow_nonfinite=True)
    lat = lat[np.isfinite(lat)] * 1e3
    if lat.size == 0:
        raise ValidationError("latencies holds no finite value; nothing to plot.")
    check_scalar(n_bins, "n_bins", kind=int, min_val=1)
    fig = new_figure(6.0, 3.2)
    ax = fig.subplots()
    ax.hist(lat, bins=n_bins, color="C0", alpha=0.8)
    p50, p99 = np.percentile(lat, [50, 99])
    ax.axvline(p50, color="k", ls="--", lw=1, label=f"median {p50:.2f} ms")
    ax.axvline(p99, color="C3", ls="--", lw=1, label=f"p99 {p99:.2f} ms")
    if bin_width is not None:
        check_scalar(bin_width, "bin_width", min_val=0.0, include_min=False)
        ax.axvline(bin_width * 1e3, color="0.5", lw=2, label="bin width")
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("bins")
    ax.legend(frameon=False)
    return fig


def plot_cursor_paths(
    result: Any, *, target_radius: float | None = None, max_trials: int = 40
) -> Any:
    """Plot the cursor path of each trial with its target.

    Parameters
    ----------
    result : ClosedLoopResult or sequence of (path, target)
        A closed-loop run, or pairs of a ``(n, 2)`` path and a ``(2,)`` target.
    target_radius : float, optional
        Radius of the drawn targets (m).
    max_trials : int
        Most trials drawn.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> path = np.array([[0.0, 0.0], [0.05, 0.0]])
    >>> fig = plot_cursor_paths([(path, np.array([0.06, 0.0]))])
    >>> fig.axes[0].get_aspect()
    1.0
    """
    pairs = (
        [(t.path, t.target, t.success) for t in result.trials]
        if hasattr(result, "trials")
        else [(p, tg, True) for p, tg in result]
    )
    if not pairs:
        raise ValidationError("result holds no trial; nothing to plot.")
    check_scalar(max_trials, "max_trials", kind=int, min_val=1)
    fig = new_figure(5.0, 5.0)
    ax = fig.subplots()
    for i, (path, target, success) in enumerate(pairs[:max_trials]):
        path = check_array(path, f"path of trial {i}", ndim=2, shape=(None, 2))
        target = check_array(target, f"target of trial {i}", ndim=1, shape=(2,))
        color = f"C{i % 10}"
        ax.plot(path[:, 0], path[:, 1], color=color, lw=1, ls="-" if success else ":")
        if target_radius is not None:
            ax.add_patch(_circle(target, target_radius, color))
        else:
            ax.plot(*target, marker="o", color=color, ms=6, mfc="none")
    ax.set_aspect("equal")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    ax.set_title("cursor paths (dotted: failed trials)")
    return fig


def _circle(centre: np.ndarray, radius: float, color: str) -> Any:
    from matplotlib.patches import Circle

    check_scalar(radius, "target_radius", min_val=0.0, include_min=False)
    return Circle(tuple(centre), radius, fill=False, color=color, lw=1)
