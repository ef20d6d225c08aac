"""Network-interpretability plots: patching heat maps and attribution maps."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError
from ..core._validation import check_scalar
from ._common import new_figure

__all__ = ["patching_matrix", "plot_patching", "plot_attribution"]


def patching_matrix(result: Any) -> tuple[np.ndarray, list[str], list[str]]:
    """Effects of a PatchingResult as a matrix with row and column labels.

    With positions, rows are components (hook point, or hook point and head)
    and columns positions; without, rows are hook points and columns heads
    (a point without heads fills column 0 only, the rest is NaN).

    Examples
    --------
    >>> from neurokit_ai.ann import PatchingResult
    >>> res = PatchingResult({"a": np.array([1.0, 2.0]), "m": np.array(3.0)},
    ...                      0.0, 0.0, "activation", {"a": ("head",), "m": ()})
    >>> patching_matrix(res)[0].tolist()
    [[1.0, 2.0], [3.0, nan]]
    """
    from ..ann import PatchingResult

    if not isinstance(result, PatchingResult):
        raise DTypeError(
            f"result must be a neurokit_ai.ann.PatchingResult, got "
            f"{type(result).__name__}; make one with activation_patching or "
            "attribution_patching."
        )
    by_position = any("position" in axes for axes in result.axes.values())
    rows: list[np.ndarray] = []
    labels: list[str] = []
    for name, score in result.scores.items():
        axes = result.axes[name]
        if by_position:
            if "head" in axes:
                for h in range(score.shape[1]):
                    rows.append(score[:, h])
                    labels.append(f"{name} head {h}")
            else:
                rows.append(np.atleast_1d(score))
                labels.append(name)
        else:
            rows.append(np.atleast_1d(score))
            labels.append(name)
    width = max(len(r) for r in rows)
    matrix = np.full((len(rows), width), np.nan)
    for i, row in enumerate(rows):
        matrix[i, : len(row)] = row
    kind = "position" if by_position else "head"
    return matrix, labels, [f"{kind} {j}" for j in range(width)]


def plot_patching(
    result: Any, *, title: str | None = None, cmap: str = "RdBu_r"
) -> Any:
    """Heat map of patching effects (components x positions, or points x heads).

    The colour scale is symmetric around zero.

    Examples
    --------
    >>> from neurokit_ai.ann import PatchingResult
    >>> res = PatchingResult({"a": np.ones((3, 2))}, 1.0, 0.0, "activation",
    ...                      {"a": ("position", "head")})
    >>> fig = plot_patching(res)
    """
    matrix, rows, cols = patching_matrix(result)
    fig = new_figure(2.5 + 0.45 * len(cols), 1.5 + 0.3 * len(rows))
    ax = fig.add_subplot()
    lim = float(np.nanmax(np.abs(matrix))) if np.isfinite(matrix).any() else 1.0
    im = ax.imshow(
        matrix,
        cmap=cmap,
        vmin=-lim or -1,
        vmax=lim or 1,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(range(len(cols)), cols, rotation=90, fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_title(
        title
        or f"{result.method} patching (clean {result.clean_metric:.2f}, corrupt "
        f"{result.corrupt_metric:.2f})"
    )
    fig.colorbar(im, ax=ax, label="metric change")
    return fig


def plot_attribution(
    attributions: Any,
    inputs: Any = None,
    *,
    image_shape: tuple[int, int] | None = None,
    max_samples: int = 8,
    cmap: str = "RdBu_r",
) -> Any:
    """Attribution maps, one panel per sample (images) or samples x features.

    Parameters
    ----------
    attributions : array-like or torch.Tensor
        ``(n, features)``, ``(n, height, width)`` or ``(n, channels, height,
        width)`` (channels are summed).
    inputs : array-like, optional
        The inputs, drawn in grey under image maps.
    image_shape : (int, int), optional
        Reshape flat features to this image shape (e.g. ``(28, 28)``).
    max_samples : int
        Show at most this many samples.

    Examples
    --------
    >>> fig = plot_attribution(np.random.default_rng(0).normal(size=(2, 16)),
    ...                        image_shape=(4, 4))
    """
    check_scalar(max_samples, "max_samples", kind=int, min_val=1)
    attr = _to_numpy(attributions, "attributions")[:max_samples]
    if attr.ndim < 2:
        raise ValidationError(
            f"attributions must have a batch axis and features, got shape {attr.shape}."
        )
    shown = None if inputs is None else _to_numpy(inputs, "inputs")[:max_samples]
    if image_shape is not None:
        size = int(np.prod(image_shape))
        if attr[0].size != size:
            raise ValidationError(
                f"image_shape={image_shape} holds {size} values but each sample "
                f"has {attr[0].size}; give the shape the features came from."
            )
        attr = attr.reshape(len(attr), *image_shape)
        if shown is not None:
            shown = shown.reshape(len(shown), *image_shape)
    if attr.ndim == 4:
        attr = attr.sum(axis=1)
        shown = None if shown is None else shown.mean(axis=1)
    lim = float(np.abs(attr).max()) or 1.0
    if attr.ndim == 2:
        fig = new_figure(6.0, 1.0 + 0.3 * len(attr))
        ax = fig.add_subplot()
        im = ax.imshow(attr, cmap=cmap, vmin=-lim, vmax=lim, aspect="auto")
        ax.set_xlabel("feature")
        ax.set_ylabel("sample")
        fig.colorbar(im, ax=ax, label="attribution")
        return fig
    n = len(attr)
    fig = new_figure(2.0 * n + 1.0, 2.4)
    axes = fig.subplots(1, n, squeeze=False)[0]
    for i, ax in enumerate(axes):
        if shown is not None:
            ax.imshow(shown[i], cmap="gray")
        im = ax.imshow(
            attr[i],
            cmap=cmap,
            vmin=-lim,
            vmax=lim,
            alpha=0.7 if shown is not None else 1.0,
        )
        ax.set_axis_off()
        ax.set_title(f"sample {i}", fontsize=8)
    fig.colorbar(im, ax=list(axes), label="attribution")
    return fig


def _to_numpy(value: Any, name: str) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise DTypeError(
            f"{name} must be a numeric array or tensor, got {type(value).__name__}."
        ) from err
    return arr
