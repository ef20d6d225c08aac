"""Condition-by-unit response patterns as a heatmap or as time courses."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, Responses
from ._common import new_figure

__all__ = ["plot_responses"]


def plot_responses(responses: Responses) -> Any:
    """Plot responses averaged per condition.

    2-D responses give a condition × unit heatmap with a colour bar; 3-D
    (time-resolved) responses give one panel per condition with the time course
    of every unit.

    Parameters
    ----------
    responses : Responses
        Patterns; rows of the same condition are averaged first.

    Returns
    -------
    matplotlib.figure.Figure
        2-D: the heatmap axes (one image, conditions as rows) and its colour
        bar. 3-D: one axes per condition, one line per unit.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai import Responses
    >>> r = Responses(np.eye(3), conditions=["a", "b", "c"])
    >>> fig = plot_responses(r)
    >>> fig.axes[0].images[0].get_array().shape
    (3, 3)
    """
    if not isinstance(responses, Responses):
        raise DTypeError(
            f"responses must be a neurokit_ai Responses, got "
            f"{type(responses).__name__}. Build one with "
            "neurokit_ai.preprocessing.epochs_to_responses or "
            "neurokit_ai.Responses(data, conditions=...)."
        )
    avg = responses.average()
    names = [str(c) for c in avg.condition_names]
    if avg.data.ndim == 2:
        return _heatmap(avg, names)
    return _time_courses(avg, names)


def _heatmap(avg: Responses, names: list[str]) -> Any:
    n_cond, n_units = avg.data.shape
    fig = new_figure(min(3.0 + 0.15 * n_units, 14.0), min(2.0 + 0.3 * n_cond, 10.0))
    ax = fig.add_subplot()
    image = ax.imshow(avg.data, aspect="auto", interpolation="nearest", cmap="RdBu_r")
    limit = float(np.abs(avg.data).max()) or 1.0
    if avg.data.min() < 0 < avg.data.max():
        image.set_clim(-limit, limit)
    else:
        image.set_cmap("viridis")
    ax.set_yticks(np.arange(n_cond))
    ax.set_yticklabels(names)
    if n_units <= 40:
        ax.set_xticks(np.arange(n_units))
        ax.set_xticklabels(avg.unit_names, rotation=90, fontsize=7)
    ax.set_xlabel("Unit")
    ax.set_ylabel("Condition")
    ax.set_title(avg.source or "Responses")
    fig.colorbar(image, ax=ax, label="Response")
    return fig


def _time_courses(avg: Responses, names: list[str]) -> Any:
    n_cond = len(names)
    fig = new_figure(4.0 * min(n_cond, 4), 3.0 * int(np.ceil(n_cond / 4)))
    n_cols = min(n_cond, 4)
    n_rows = int(np.ceil(n_cond / n_cols))
    first = None
    for k, name in enumerate(names):
        ax = fig.add_subplot(n_rows, n_cols, k + 1, sharey=first)
        first = first or ax
        ax.plot(avg.times, avg.data[k].T, lw=0.7, alpha=0.8)
        ax.set_title(name)
        ax.set_xlabel("Time (s)")
    first.set_ylabel("Response")
    return fig
