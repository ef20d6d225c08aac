"""Layer-wise relevance propagation (LRP) rules as modified gradients.

LRP rules are applied the way RelP does it (papers.md section 8): the forward
pass keeps its exact values, but each layer's output is rebuilt as
``value.detach() + surrogate - surrogate.detach()`` so that the backward pass
follows a *surrogate* whose gradient times input is the LRP rule. Relevance at
any activation ``a`` is then ``a * d metric / d a`` ("gradient x input"). The
rules are installed as forward hooks on the model's own submodules, so no
model code is forked:

* ``nn.Linear`` -- ``"zero"`` (LRP-0: plain gradient x input, the paper's
  choice, no hook), ``"epsilon"`` (``R_x = x * W^T (R_z / (z + eps sign z))``)
  or ``"zplus"`` (``R_x = x * W+^T (R_z / W+ x)``).
* ``nn.LayerNorm`` -- LN-rule (Ali et al. 2022): the standard deviation is a
  constant, so the layer is linear (centring and affine map kept).
* RMS norms (``nn.RMSNorm`` and classes named ``*RMSNorm``) -- the same rule:
  ``y / x`` is a constant.
* GELU, SiLU, Mish, ELU (also transformers' ``*GELU*`` / ``*SiLU*`` modules) --
  Identity-rule: relevance passes through unchanged (backward uses ``f(x)/x``).
* attention patterns and other submodules named in ``constant`` -- AH-rule:
  their output is a constant, so relevance flows only through the values.
* multiplicative gates -- Half-rule, :func:`half_rule`, for model code that
  multiplies two activations.
* residual additions need no rule: gradient x input splits relevance in
  proportion to each summand's contribution, ``R_a = a * g``, ``R_b = b * g``.

With these rules a network without biases is conservative: the relevance
summed over any cut through it (e.g. every residual-stream position of one
layer) equals the metric, up to the stabiliser ``epsilon``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..core import DTypeError, ValidationError
from ..core._validation import check_option, check_scalar, check_type
from ._cache import unknown_name_error

__all__ = ["LINEAR_RULES", "half_rule", "lrp_rules"]

LINEAR_RULES = ("zero", "epsilon", "zplus")
_ACTIVATION_NAMES = ("GELU", "SiLU")


def _swap_gradient(value: Any, surrogate: Any) -> Any:
    """``value`` in the forward pass, the gradient of ``surrogate`` backwards."""
    return value.detach() + (surrogate - surrogate.detach())


def _stabilise(z: Any, epsilon: float) -> Any:
    """``z + epsilon * sign(z)`` with ``sign(0) = 1`` (never zero)."""
    import torch

    return z + epsilon * torch.where(z >= 0, 1.0, -1.0).to(z.dtype)


def half_rule(product: Any) -> Any:
    """Half-rule for a product of two activations (e.g. a SwiGLU gate).

    Call it on ``a * b`` inside model code: the value is unchanged, the
    gradient is halved, so gradient x input gives each factor half of the
    product's relevance.

    Examples
    --------
    >>> import torch
    >>> a = torch.tensor([2.0], requires_grad=True)
    >>> b = torch.tensor([3.0], requires_grad=True)
    >>> out = half_rule(a * b)
    >>> out.backward()
    >>> out.item(), (a * a.grad).item(), (b * b.grad).item()
    (6.0, 3.0, 3.0)
    """
    return 0.5 * product + 0.5 * product.detach()


def _linear_hook(rule: str, epsilon: float) -> Any:
    import torch

    def hook(module: Any, args: tuple, output: Any) -> Any:
        if rule == "epsilon":
            scale = (output / _stabilise(output, epsilon)).detach()
            return _swap_gradient(output, output * scale)
        z_plus = torch.nn.functional.linear(args[0], module.weight.clamp(min=0))
        scale = (output / _stabilise(z_plus, epsilon)).detach()
        return _swap_gradient(output, z_plus * scale)

    return hook


def _layer_norm_hook(module: Any, args: tuple, output: Any) -> Any:
    x = args[0]
    dims = tuple(range(-len(module.normalized_shape), 0))
    centred = x - x.mean(dims, keepdim=True)
    std = (x.var(dims, unbiased=False, keepdim=True) + module.eps).sqrt()
    linear = centred / std.detach()
    if module.weight is not None:
        linear = linear * module.weight
    if module.bias is not None:
        linear = linear + module.bias
    return _swap_gradient(output, linear)


def _ratio_hook(epsilon: float) -> Any:
    """Backward through ``x * (f(x) / x)`` with the ratio held constant."""

    def hook(_module: Any, args: tuple, output: Any) -> Any:
        x = args[0]
        return _swap_gradient(output, x * (output / _stabilise(x, epsilon)).detach())

    return hook


def _constant_hook(_module: Any, _args: tuple, output: Any) -> Any:
    return output.detach()


def _constant_names(model: Any, constant: Any) -> set[str]:
    names = [n for n, _ in model.named_modules() if n]
    if constant is None:
        return set()
    if isinstance(constant, str):
        try:
            regex = re.compile(constant)
        except re.error as err:
            raise ValidationError(
                f"constant={constant!r} is not a valid regular expression ({err}); "
                r"pass one such as 'attn\.hook_pattern$' or a list of names."
            ) from err
        chosen = {n for n in names if regex.search(n)}
        if not chosen:
            raise ValidationError(
                f"constant={constant!r} matches no submodule; names start with "
                f"{names[:10]}."
            )
        return chosen
    if not isinstance(constant, Iterable):
        raise DTypeError(
            f"constant must be a regular expression or a list of submodule names, "
            f"got {type(constant).__name__} ({constant!r})."
        )
    chosen = set()
    for name in constant:
        if name not in names:
            raise unknown_name_error(name, names, "submodule (in constant)")
        chosen.add(name)
    return chosen


def _rule_hooks(
    model: Any, linear: str, epsilon: float, norm: bool, activation: bool
) -> dict[str, tuple[str, Any]]:
    import torch
    from torch import nn

    activations = (nn.GELU, nn.SiLU, nn.Mish, nn.ELU)
    rms_norms = (nn.RMSNorm,) if hasattr(nn, "RMSNorm") else ()
    chosen: dict[str, tuple[str, Any]] = {}
    for name, module in model.named_modules():
        kind = type(module).__name__
        if isinstance(module, torch.nn.Linear) and linear != "zero":
            chosen[name] = (f"{linear}-rule", _linear_hook(linear, epsilon))
        elif norm and isinstance(module, nn.LayerNorm):
            chosen[name] = ("LN-rule", _layer_norm_hook)
        elif norm and (isinstance(module, rms_norms) or kind.endswith("RMSNorm")):
            chosen[name] = ("LN-rule", _ratio_hook(epsilon))
        elif activation and (
            isinstance(module, activations)
            or any(key in kind for key in _ACTIVATION_NAMES)
        ):
            chosen[name] = ("Identity-rule", _ratio_hook(epsilon))
    return chosen


@contextmanager
def lrp_rules(
    model: Any,
    *,
    linear: str = "zero",
    epsilon: float = 1e-6,
    norm: bool = True,
    activation: bool = True,
    constant: str | Sequence[str] | None = None,
) -> Iterator[dict[str, str]]:
    """Context in which ``model``'s backward pass follows LRP rules.

    Forward values are unchanged; gradients become LRP coefficients, so
    ``activation * gradient`` is the activation's relevance. Hooks are removed
    on exit, also when the body raises. Enter it before other hooks on the
    same modules (e.g. :meth:`HookedModel.run_with_cache` inside the block).

    Parameters
    ----------
    model : torch.nn.Module
        The network (not copied or changed).
    linear : {"zero", "epsilon", "zplus"}
        Rule for ``nn.Linear`` layers; ``"zero"`` (the paper's 0-rule) keeps the
        plain gradient.
    epsilon : float
        Stabiliser added (with the sign of the denominator) in every division.
    norm : bool
        Apply the LN-rule to LayerNorm and RMS-norm modules.
    activation : bool
        Apply the Identity-rule to GELU/SiLU-type activation modules.
    constant : str (regular expression) or sequence of str, optional
        Submodules whose outputs are treated as constants in the backward
        pass: attention patterns for the AH-rule (``r"hook_pattern$"`` on a
        :class:`ToyTransformer`).

    Yields
    ------
    dict of str to str
        Submodule name -> rule applied there.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.GELU(),
    ...                           torch.nn.LayerNorm(4)).eval()
    >>> x = torch.randn(2, 3)
    >>> plain = net(x)
    >>> with lrp_rules(net) as applied:
    ...     same = torch.equal(net(x), plain)
    >>> same, applied
    (True, {'1': 'Identity-rule', '2': 'LN-rule'})
    """
    import torch

    check_type(model, "model", torch.nn.Module)
    check_option(linear, "linear", LINEAR_RULES)
    check_scalar(epsilon, "epsilon", min_val=0.0, include_min=False)
    check_type(norm, "norm", bool)
    check_type(activation, "activation", bool)
    constants = _constant_names(model, constant)
    rules = _rule_hooks(model, linear, epsilon, norm, activation)
    modules = dict(model.named_modules())
    applied: dict[str, str] = {}
    handles = []
    try:
        for name, module in modules.items():
            if name in constants:
                applied[name] = "constant (AH-rule)"
                handles.append(module.register_forward_hook(_constant_hook))
            elif name in rules:
                applied[name], hook = rules[name]
                handles.append(module.register_forward_hook(hook))
        yield applied
    finally:
        for handle in handles:
            handle.remove()
