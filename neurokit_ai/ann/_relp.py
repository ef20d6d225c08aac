"""LRP relevance of activations and RelP, relevance patching (papers.md section 8).

RelP estimates activation patching like attribution patching,
``(a_clean - a_corrupt) . c(a)`` at the corrupted run, but the local gradient
``c(a)`` is the LRP propagation coefficient: the gradient of the metric in a
backward pass that follows the rules of :func:`lrp_rules`. It keeps the cost
of attribution patching (two forward passes, one backward pass).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ..core import ValidationError
from ..core._validation import check_option, check_scalar, check_type
from ._cache import ActivationCache
from ._hooks import HookedModel
from ._lrp import LINEAR_RULES, lrp_rules
from ._patching import (
    PatchingResult,
    _call,
    _check_common,
    _scalar,
    attribution_patching,
)

__all__ = ["lrp_relevance", "relevance_patching"]


def _check_rules(hooked: Any, linear: str, epsilon: float) -> None:
    check_type(hooked, "hooked", HookedModel)
    check_option(linear, "linear", LINEAR_RULES)
    check_scalar(epsilon, "epsilon", min_val=0.0, include_min=False)


def _check_finite_metric(value: float, where: str) -> None:
    if not math.isfinite(value):
        raise ValidationError(
            f"metric is {value} on the {where}, so every relevance would be NaN; "
            "check the inputs for NaN/inf and the metric for a division by zero."
        )


def lrp_relevance(
    hooked: HookedModel,
    inputs: Any,
    metric: Callable[[Any], Any],
    names: Sequence[str],
    *,
    linear: str = "zero",
    epsilon: float = 1e-6,
    norm: bool = True,
    activation: bool = True,
    constant: str | Sequence[str] | None = None,
) -> ActivationCache:
    """LRP relevance of the activations at ``names`` for ``metric(model(inputs))``.

    Relevance is ``activation * gradient`` with the backward pass following
    the rules of :func:`lrp_rules` (keyword arguments as there). In a network
    without biases, with the LN-, Identity- and AH-rules, the relevance summed
    over any cut through the network equals the metric.

    Parameters
    ----------
    hooked : HookedModel
        The model; points declared with ``heads`` come back split into heads.
    inputs : tensor, tuple or mapping
        Model input (a tuple is unpacked as arguments, a mapping as keywords).
    metric : callable
        ``metric(output) -> scalar tensor``, the quantity to explain.
    names : sequence of str
        Hook points whose relevance to return.

    Returns
    -------
    ActivationCache
        Relevance per hook point, the shape of the activation.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 4, bias=False),
    ...                           torch.nn.GELU(),
    ...                           torch.nn.Linear(4, 1, bias=False)).eval()
    >>> x = torch.randn(5, 3)
    >>> rel = lrp_relevance(HookedModel(net), x, lambda out: out.sum(), ["0", "1"])
    >>> total = float(net(x).sum())
    >>> [abs(float(rel[name].sum()) - total) < 1e-4 for name in ("0", "1")]
    [True, True]
    """
    import torch

    _check_rules(hooked, linear, epsilon)
    names = _check_common(hooked, metric, names)
    with (
        lrp_rules(
            hooked.model,
            linear=linear,
            epsilon=epsilon,
            norm=norm,
            activation=activation,
            constant=constant,
        ),
        torch.enable_grad(),
    ):
        out, cache = _call(hooked, inputs, "run_with_cache", names=names, detach=False)
        value = _scalar(metric(out))
        _check_finite_metric(float(value.detach()), "inputs")
        acts = [cache[n] for n in names]
        missing = [n for n, a in zip(names, acts, strict=True) if not a.requires_grad]
        if missing:
            raise ValidationError(
                f"activations at {missing} carry no gradient; let the model's "
                "parameters require grad (param.requires_grad_(True)) for LRP."
            )
        grads = torch.autograd.grad(value, acts, allow_unused=True)
    return ActivationCache(
        {
            name: act.detach() * (torch.zeros_like(act) if grad is None else grad)
            for name, act, grad in zip(names, acts, grads, strict=True)
        }
    )


def relevance_patching(
    hooked: HookedModel,
    clean: Any,
    corrupt: Any,
    metric: Callable[[Any], Any],
    names: Sequence[str],
    *,
    per_position: bool = False,
    linear: str = "zero",
    epsilon: float = 1e-6,
    norm: bool = True,
    activation: bool = True,
    constant: str | Sequence[str] | None = None,
) -> PatchingResult:
    """RelP: attribution patching with LRP coefficients instead of gradients.

    The effect of a component is ``sum((a_clean - a_corrupt) * c(a))``, where
    ``c(a)`` is the gradient of ``metric`` at the corrupted run in a backward
    pass following the LRP rules of :func:`lrp_rules` (LN-rule for norms,
    Identity-rule for GELU-type activations, the ``linear`` rule for linear
    layers, AH-rule for the submodules in ``constant``, e.g. attention
    patterns). Components, naming and output are those of
    :func:`attribution_patching`; rank them with :meth:`PatchingResult.ranking`
    to find a circuit's heads and MLPs.

    Parameters
    ----------
    hooked, clean, corrupt, metric, names, per_position
        As in :func:`activation_patching`.
    linear, epsilon, norm, activation, constant
        LRP rules, as in :func:`lrp_rules`.

    Returns
    -------
    PatchingResult
        Estimated effects, ``method="relevance"``.

    Examples
    --------
    >>> import torch
    >>> from neurokit_ai.ann import activation_patching
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.GELU(),
    ...                           torch.nn.Linear(2, 1)).eval()
    >>> hooked = HookedModel(net)
    >>> relp = relevance_patching(hooked, torch.ones(1, 2), torch.zeros(1, 2),
    ...                           lambda out: out.sum(), ["1"])
    >>> relp.method, relp.scores["1"].shape
    ('relevance', ())
    """
    _check_rules(hooked, linear, epsilon)
    with lrp_rules(
        hooked.model,
        linear=linear,
        epsilon=epsilon,
        norm=norm,
        activation=activation,
        constant=constant,
    ):
        result = attribution_patching(
            hooked, clean, corrupt, metric, names, per_position=per_position
        )
    _check_finite_metric(result.clean_metric, "clean inputs")
    _check_finite_metric(result.corrupt_metric, "corrupted inputs")
    return PatchingResult(
        result.scores,
        result.clean_metric,
        result.corrupt_metric,
        "relevance",
        result.axes,
    )
