"""Activation patching and attribution patching over hook points.

Activation patching runs the corrupted input once per component with that
component's activation copied from the clean run and reports
``metric(patched) - metric(corrupt)``. Attribution patching estimates all of
these at once to first order, ``(a_clean - a_corrupt) . dmetric/da`` at the
corrupted run: two forward passes and one backward pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError
from ..core._validation import check_type
from ._hooks import HookedModel, Intervention

__all__ = ["PatchingResult", "activation_patching", "attribution_patching"]


class PatchingResult:
    """Patching effects per hook point.

    Attributes
    ----------
    scores : dict of str to numpy.ndarray
        Effect per hook point: a scalar, ``(n_positions,)``, ``(n_heads,)`` or
        ``(n_positions, n_heads)`` depending on ``per_position`` and heads.
    clean_metric, corrupt_metric : float
        The metric on the clean and on the corrupted run.
    method : {"activation", "attribution"}
        How the effects were obtained.

    Examples
    --------
    >>> res = PatchingResult({"a": np.array([0.1, -2.0])}, 1.0, 0.0, "activation",
    ...                      {"a": ("position",)})
    >>> res.ranking(1)
    [('a[position 1]', -2.0)]
    """

    def __init__(
        self,
        scores: dict[str, np.ndarray],
        clean_metric: float,
        corrupt_metric: float,
        method: str,
        axes: dict[str, tuple[str, ...]],
    ) -> None:
        self.scores = scores
        self.clean_metric = clean_metric
        self.corrupt_metric = corrupt_metric
        self.method = method
        self.axes = axes

    def __repr__(self) -> str:
        return (
            f"PatchingResult({self.method}, {len(self.scores)} hook points, "
            f"{len(self.flatten()[0])} components)"
        )

    def flatten(self) -> tuple[list[str], np.ndarray]:
        """Labels and effects of every component, in hook-point order."""
        labels: list[str] = []
        values: list[float] = []
        for name, score in self.scores.items():
            axes = self.axes[name]
            for index in np.ndindex(score.shape):
                parts = [f"{axis} {i}" for axis, i in zip(axes, index, strict=True)]
                labels.append(f"{name}[{', '.join(parts)}]" if parts else name)
                values.append(float(score[index]))
        return labels, np.asarray(values)

    def ranking(self, k: int | None = None) -> list[tuple[str, float]]:
        """Components ordered by absolute effect, largest first (top ``k``)."""
        labels, values = self.flatten()
        order = np.argsort(-np.abs(values), kind="stable")[:k]
        return [(labels[i], float(values[i])) for i in order]


def _call(hooked: HookedModel, inputs: Any, method: str, **kwargs: Any) -> Any:
    run = getattr(hooked, method)
    if isinstance(inputs, Mapping):
        return run(**inputs, **kwargs)
    if isinstance(inputs, tuple):
        return run(*inputs, **kwargs)
    return run(inputs, **kwargs)


def _scalar(value: Any) -> Any:
    import torch

    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        raise ValidationError(
            "metric must return a scalar tensor (e.g. the mean logit difference), "
            f"got {type(value).__name__}"
            + (f" of shape {tuple(value.shape)}" if hasattr(value, "shape") else "")
            + "; reduce it with .mean()."
        )
    return value.reshape(())


def _check_common(hooked: Any, metric: Any, names: Any) -> list[str]:
    check_type(hooked, "hooked", HookedModel)
    if not callable(metric):
        raise DTypeError(
            f"metric must be a callable output -> scalar tensor, got "
            f"{type(metric).__name__}."
        )
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise ValidationError("names is empty; give the hook points to patch.")
    for name in names:
        hooked._resolve(name)
    return names


def _kept_axes(
    hooked: HookedModel, name: str, act: Any, per_position: bool
) -> tuple[list[int], tuple[str, ...]]:
    axes: list[int] = []
    labels: list[str] = []
    if per_position:
        if act.ndim < 3:
            raise ValidationError(
                f"per_position=True needs (batch, position, ...) activations, but "
                f"{name!r} has shape {tuple(act.shape)}; use per_position=False."
            )
        axes.append(1)
        labels.append("position")
    if name in hooked.heads:
        axes.append(act.ndim - 2)
        labels.append("head")
    return axes, tuple(labels)


def activation_patching(
    hooked: HookedModel,
    clean: Any,
    corrupt: Any,
    metric: Callable[[Any], Any],
    names: Sequence[str],
    *,
    per_position: bool = False,
    verbose: bool = False,
) -> PatchingResult:
    """Effect of patching each component from the clean into the corrupted run.

    Parameters
    ----------
    hooked : HookedModel
        The model; points declared with ``heads`` are patched head by head.
    clean, corrupt : tensor, tuple or mapping
        Model inputs (a tuple is unpacked as arguments, a mapping as keywords);
        both runs must give activations of the same shapes.
    metric : callable
        ``metric(output) -> scalar tensor``, e.g. a mean logit difference.
    names : sequence of str
        Hook points to patch.
    per_position : bool
        Patch each position (axis 1) separately.
    verbose : bool
        Show a progress bar.

    Returns
    -------
    PatchingResult
        ``metric(corrupt with component patched) - metric(corrupt)``.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)).eval()
    >>> res = activation_patching(HookedModel(net), torch.ones(1, 2),
    ...                           torch.zeros(1, 2), lambda out: out.sum(), ["0"])
    >>> bool(np.isclose(res.scores["0"], res.clean_metric - res.corrupt_metric))
    True
    """
    import torch
    from tqdm.auto import tqdm

    names = _check_common(hooked, metric, names)
    with torch.no_grad():
        out, clean_cache = _call(hooked, clean, "run_with_cache", names=names)
        clean_metric = float(_scalar(metric(out)))
        corrupt_metric = float(
            _scalar(
                metric(
                    _call(hooked, corrupt, "run_with_interventions", interventions=[])
                )
            )
        )
        jobs = []
        axes: dict[str, tuple[str, ...]] = {}
        for name in names:
            act = clean_cache[name]
            kept, axes[name] = _kept_axes(hooked, name, act, per_position)
            for index in np.ndindex(*[act.shape[a] for a in kept]):
                jobs.append((name, kept, index))
        shapes = {
            name: tuple(clean_cache[name].shape[a] for a in kept)
            for name, kept, _ in jobs
        }
        scores = {name: np.zeros(shape) for name, shape in shapes.items()}
        for name, kept, index in tqdm(jobs, disable=not verbose, desc="patching"):
            where = dict(zip(kept, index, strict=True))
            head_axis = clean_cache[name].ndim - 2 if name in hooked.heads else None
            iv = Intervention(
                name,
                "patch",
                clean_cache,
                positions=where.get(1) if per_position else None,
                heads=where.get(head_axis) if head_axis is not None else None,
            )
            patched = _call(
                hooked, corrupt, "run_with_interventions", interventions=[iv]
            )
            scores[name][index] = float(_scalar(metric(patched))) - corrupt_metric
    return PatchingResult(scores, clean_metric, corrupt_metric, "activation", axes)


def attribution_patching(
    hooked: HookedModel,
    clean: Any,
    corrupt: Any,
    metric: Callable[[Any], Any],
    names: Sequence[str],
    *,
    per_position: bool = False,
) -> PatchingResult:
    """First-order estimate of activation patching (two forward, one backward).

    The effect of a component is ``sum((a_clean - a_corrupt) * dmetric/da)``
    with the gradient taken at the corrupted run, summed over the batch and
    the feature axis (and positions unless ``per_position``). Parameters as in
    :func:`activation_patching`; the model must have parameters that require
    gradients (or take float inputs that do).

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)).eval()
    >>> hooked = HookedModel(net)
    >>> atp = attribution_patching(hooked, torch.ones(1, 2), torch.zeros(1, 2),
    ...                            lambda out: out.sum(), ["0"])
    >>> act = activation_patching(hooked, torch.ones(1, 2), torch.zeros(1, 2),
    ...                           lambda out: out.sum(), ["0"])
    >>> bool(np.isclose(atp.scores["0"], act.scores["0"], atol=1e-6))
    True
    """
    import torch

    names = _check_common(hooked, metric, names)
    with torch.no_grad():
        out, clean_cache = _call(hooked, clean, "run_with_cache", names=names)
        clean_metric = float(_scalar(metric(out)))
    with torch.enable_grad():
        out, corrupt_cache = _call(
            hooked, corrupt, "run_with_cache", names=names, detach=False
        )
        value = _scalar(metric(out))
        acts = [corrupt_cache[n] for n in names]
        missing = [n for n, a in zip(names, acts, strict=True) if not a.requires_grad]
        if missing:
            raise ValidationError(
                f"activations at {missing} carry no gradient; let the model's "
                "parameters require grad (param.requires_grad_(True)) for "
                "attribution patching."
            )
        grads = torch.autograd.grad(value, acts, allow_unused=True)
    scores: dict[str, np.ndarray] = {}
    axes: dict[str, tuple[str, ...]] = {}
    for name, act, grad in zip(names, acts, grads, strict=True):
        if clean_cache[name].shape != act.shape:
            raise ValidationError(
                f"{name!r} has shape {tuple(clean_cache[name].shape)} on the clean "
                f"run but {tuple(act.shape)} on the corrupted one; use inputs of "
                "the same batch size and length."
            )
        kept, axes[name] = _kept_axes(hooked, name, act, per_position)
        if grad is None:
            grad = torch.zeros_like(act)
        effect = (clean_cache[name] - act.detach()) * grad
        summed = [a for a in range(act.ndim) if a not in kept]
        scores[name] = effect.sum(dim=summed).double().cpu().numpy()
    return PatchingResult(
        scores, clean_metric, float(value.detach()), "attribution", axes
    )
