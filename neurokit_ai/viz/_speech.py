"""Plots of speech decoding: codebook usage, confusion matrix, accuracy vs baselines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_scalar
from ._common import new_figure

__all__ = [
    "plot_codebook_usage",
    "plot_confusion_matrix",
    "plot_accuracy_vs_baselines",
]


def plot_codebook_usage(counts: Any, *, title: str | None = None) -> Any:
    """Bar chart of how often each code is used, most used first, with perplexity.

    Parameters
    ----------
    counts : array-like of int, shape (n_codes,)
        Code usage, e.g. :meth:`neurokit_ai.speech.NeuralTokenizer.code_usage`.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_codebook_usage([5, 0, 3, 2])
    >>> fig.axes[0].get_title()
    'codebook usage: perplexity 2.80 of 4 codes'
    """
    counts = check_array(counts, "counts", ndim=1)
    if (counts < 0).any() or counts.sum() <= 0:
        raise ValidationError(
            "counts must be non-negative code counts with a positive total."
        )
    p = counts / counts.sum()
    nz = p[p > 0]
    perplexity = float(np.exp(-(nz * np.log(nz)).sum()))
    order = np.argsort(-counts, kind="stable")
    fig = new_figure(6.0, 3.0)
    ax = fig.add_subplot()
    ax.bar(np.arange(counts.size), p[order], width=1.0, color="tab:blue")
    ax.set_xlabel("code (sorted by usage)")
    ax.set_ylabel("fraction of patches")
    ax.set_title(
        title or f"codebook usage: perplexity {perplexity:.2f} of {counts.size} codes"
    )
    return fig


def plot_confusion_matrix(
    y_true: Any, y_pred: Any, classes: Sequence[Any] | None = None
) -> Any:
    """Row-normalised confusion matrix of word predictions.

    Examples
    --------
    >>> fig = plot_confusion_matrix(["a", "b", "b"], ["a", "b", "a"])
    >>> fig.axes[0].images[0].get_array().shape
    (2, 2)
    """
    from sklearn.metrics import confusion_matrix

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValidationError(
            f"y_true and y_pred must be 1-D of the same length, got shapes "
            f"{y_true.shape} and {y_pred.shape}."
        )
    labels = np.unique(np.r_[y_true, y_pred]) if classes is None else classes
    cm = confusion_matrix(y_true, y_pred, labels=labels).astype(float)
    cm /= np.maximum(cm.sum(axis=1, keepdims=True), 1.0)
    n = len(labels)
    size = min(3.0 + 0.15 * n, 10.0)
    fig = new_figure(size + 1.0, size)
    ax = fig.add_subplot()
    im = ax.imshow(cm, vmin=0, vmax=1, cmap="viridis")
    fig.colorbar(im, ax=ax, label="fraction of trials")
    if n <= 20:
        ax.set_xticks(range(n), [str(c) for c in labels], rotation=90)
        ax.set_yticks(range(n), [str(c) for c in labels])
    ax.set_xlabel("predicted word")
    ax.set_ylabel("true word")
    acc = float(np.mean(y_true == y_pred))
    ax.set_title(f"accuracy {100 * acc:.1f}% (chance {100 / n:.1f}%)")
    return fig


def plot_accuracy_vs_baselines(
    scores: Mapping[str, Sequence[float]], chance: float | None = None
) -> Any:
    """Mean ± s.d. accuracy of each model (e.g. over cross-validation folds).

    Parameters
    ----------
    scores : mapping of str to sequence of float
        Model name -> accuracies (fractions) per fold.
    chance : float, optional
        Drawn as a dashed line.

    Examples
    --------
    >>> fig = plot_accuracy_vs_baselines({"Du-IN": [0.6, 0.7], "LR": [0.4]}, 0.1)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Du-IN', 'LR']
    """
    if not isinstance(scores, Mapping) or not scores:
        raise ValidationError(
            "scores must be a non-empty mapping of model name -> accuracies."
        )
    names = list(scores)
    vals = [check_array(scores[n], f"scores[{n!r}]", ndim=1) for n in names]
    fig = new_figure(6.0, 0.5 + 0.45 * len(names))
    ax = fig.add_subplot()
    means = [100 * v.mean() for v in vals]
    sds = [100 * v.std() for v in vals]
    ax.barh(range(len(names)), means, xerr=sds, color="tab:green")
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    if chance is not None:
        check_scalar(chance, "chance", min_val=0, max_val=1)
        ax.axvline(100 * chance, color="k", ls="--", label="chance")
        ax.legend(loc="lower right")
    ax.set_xlabel("accuracy (%)")
    return fig
