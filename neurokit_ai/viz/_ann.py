"""Network-interpretability plots: patching heat maps, attribution maps, concept
galleries, insertion/deletion curves, steering curves, patching estimates."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError
from ..core._validation import check_scalar
from ._common import new_figure

__all__ = [
    "patching_matrix",
    "plot_patching",
    "plot_attribution",
    "plot_concept_gallery",
    "plot_insertion_deletion",
    "plot_steering",
    "plot_patching_agreement",
]


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


def plot_concept_gallery(
    images: Any,
    concept_maps: Any,
    importances: Any = None,
    *,
    n_concepts: int = 4,
    n_images: int = 5,
    cmap: str = "magma",
) -> Any:
    """Concept gallery: per concept, the images that express it most.

    Rows are concepts (most important first when ``importances`` is given),
    columns the ``n_images`` images with the largest mean coefficient of that
    concept, each with the concept's map over the image in grey.

    Parameters
    ----------
    images : array-like or tensor, shape (n, height, width) or (n, c, h, w)
        The inputs (channels are averaged).
    concept_maps : array-like, shape (n, n_concepts, height, width)
        E.g. :meth:`neurokit_ai.ann.CRAFT.concept_attribution_maps`.
    importances : array-like, shape (n_concepts,), optional
        Concept importances (Sobol indices), shown in the row labels.
    n_concepts, n_images : int
        Rows and columns shown.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> fig = plot_concept_gallery(rng.random((6, 8, 8)), rng.random((6, 3, 8, 8)),
    ...                            [0.1, 0.7, 0.2], n_concepts=2, n_images=3)
    >>> len(fig.axes)
    6
    """
    check_scalar(n_concepts, "n_concepts", kind=int, min_val=1)
    check_scalar(n_images, "n_images", kind=int, min_val=1)
    imgs = _to_numpy(images, "images")
    if imgs.ndim == 4:
        imgs = imgs.mean(axis=1)
    maps = _to_numpy(concept_maps, "concept_maps")
    if imgs.ndim != 3 or maps.ndim != 4 or maps.shape[0] != imgs.shape[0]:
        raise ValidationError(
            f"images {imgs.shape} and concept_maps {maps.shape} must be (n, h, w) "
            "and (n, n_concepts, h, w) with the same n."
        )
    if maps.shape[2:] != imgs.shape[1:]:
        raise ValidationError(
            f"concept maps are {maps.shape[2:]} but images {imgs.shape[1:]}; "
            "upsample the maps to the image size (concept_attribution_maps)."
        )
    k = maps.shape[1]
    order = np.arange(k)
    imp = None
    if importances is not None:
        imp = _to_numpy(importances, "importances").reshape(-1)
        if imp.size != k:
            raise ValidationError(
                f"importances has {imp.size} values for {k} concepts."
            )
        order = np.argsort(-imp, kind="stable")
    order = order[: min(n_concepts, k)]
    cols = min(n_images, imgs.shape[0])
    fig = new_figure(1.4 * cols + 1.0, 1.4 * len(order) + 0.4)
    axes = fig.subplots(len(order), cols, squeeze=False)
    for row, concept in enumerate(order):
        strength = maps[:, concept].mean(axis=(1, 2))
        top = np.argsort(-strength, kind="stable")[:cols]
        vmax = float(maps[top, concept].max()) or 1.0
        for col, i in enumerate(top):
            ax = axes[row, col]
            ax.imshow(imgs[i], cmap="gray")
            ax.imshow(maps[i, concept], cmap=cmap, alpha=0.6, vmin=0, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            if col == 0:
                label = f"concept {concept}"
                if imp is not None:
                    label += f"\nimportance {imp[concept]:.2f}"
                ax.set_ylabel(label, fontsize=8)
    return fig


def plot_insertion_deletion(curves: Any) -> Any:
    """Insertion and deletion curves of several rankings, with their areas.

    Parameters
    ----------
    curves : mapping of str to (insertion_curve, deletion_curve)
        Curves from :func:`neurokit_ai.ann.insertion_deletion` (or their means
        over images), one pair per method.

    Examples
    --------
    >>> fig = plot_insertion_deletion({"a": ([0.1, 0.9, 1.0], [1.0, 0.2, 0.1])})
    >>> [ax.get_title() for ax in fig.axes]
    ['insertion (higher is better)', 'deletion (lower is better)']
    """
    from collections.abc import Mapping

    if not isinstance(curves, Mapping) or not curves:
        raise DTypeError(
            "curves must be a non-empty mapping name -> (insertion, deletion) "
            f"curves, got {type(curves).__name__}."
        )
    fig = new_figure(8.0, 3.2)
    axes = fig.subplots(1, 2)
    for name, pair in curves.items():
        if len(pair) != 2:
            raise ValidationError(
                f"curves[{name!r}] must be an (insertion, deletion) pair."
            )
        for ax, curve in zip(axes, pair, strict=True):
            y = _to_numpy(curve, f"curves[{name!r}]").reshape(-1)
            x = np.linspace(0, 1, y.size)
            auc = float(((y[1:] + y[:-1]) / 2).sum() / max(y.size - 1, 1))
            ax.plot(x, y, label=f"{name} (AUC {auc:.3f})")
    for ax, what in zip(axes, ("insertion", "deletion"), strict=True):
        better = "higher" if what == "insertion" else "lower"
        ax.set_title(f"{what} ({better} is better)")
        ax.set_xlabel("fraction of regions")
        ax.set_ylabel("class probability")
        ax.legend(fontsize=7)
    return fig


def plot_steering(alphas: Any, effects: Any, *, ylabel: str = "metric change") -> Any:
    """Steered-behaviour change against steering strength, one line per method.

    Examples
    --------
    >>> fig = plot_steering([1, 2], {"diff-in-means": [0.5, 1.1]})
    >>> fig.axes[0].get_xlabel()
    'steering strength (norm added)'
    """
    from collections.abc import Mapping

    x = _to_numpy(alphas, "alphas").reshape(-1)
    if not isinstance(effects, Mapping) or not effects:
        raise DTypeError(
            "effects must be a non-empty mapping method -> one value per alpha, "
            f"got {type(effects).__name__}."
        )
    fig = new_figure(4.5, 3.2)
    ax = fig.add_subplot()
    for name, values in effects.items():
        y = _to_numpy(values, f"effects[{name!r}]").reshape(-1)
        if y.size != x.size:
            raise ValidationError(
                f"effects[{name!r}] has {y.size} values for {x.size} alphas."
            )
        ax.plot(x, y, marker="o", label=name)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlabel("steering strength (norm added)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    return fig


def plot_patching_agreement(truth: Any, estimates: Any) -> Any:
    """Patching estimates (attribution, RelP) against activation patching.

    Parameters
    ----------
    truth : PatchingResult
        Activation patching.
    estimates : mapping of str to PatchingResult
        Estimates over the same components, e.g. ``{"AtP": ..., "RelP": ...}``.

    Examples
    --------
    >>> from neurokit_ai.ann import PatchingResult
    >>> a = PatchingResult({"m": np.array([1.0, 2.0, 4.0])}, 1, 0, "activation",
    ...                    {"m": ("head",)})
    >>> fig = plot_patching_agreement(a, {"AtP": a})
    >>> fig.axes[0].get_title()
    'AtP: r = 1.000'
    """
    from collections.abc import Mapping

    from ..ann import PatchingResult

    if not isinstance(truth, PatchingResult):
        raise DTypeError(f"truth must be a PatchingResult, got {type(truth).__name__}.")
    if not isinstance(estimates, Mapping) or not estimates:
        raise DTypeError(
            "estimates must be a non-empty mapping name -> PatchingResult."
        )
    labels, y = truth.flatten()
    fig = new_figure(3.4 * len(estimates), 3.2)
    axes = fig.subplots(1, len(estimates), squeeze=False)[0]
    for ax, (name, est) in zip(axes, estimates.items(), strict=True):
        if not isinstance(est, PatchingResult) or est.flatten()[0] != labels:
            raise ValidationError(
                f"estimates[{name!r}] must be a PatchingResult over the same "
                "components as truth."
            )
        x = est.flatten()[1]
        r = float(np.corrcoef(x, y)[0, 1]) if x.std() and y.std() else float("nan")
        ax.scatter(x, y, s=10)
        ax.set_xlabel(f"{name} estimate")
        ax.set_ylabel("activation patching")
        ax.set_title(f"{name}: r = {r:.3f}")
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
