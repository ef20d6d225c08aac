"""Gradient attributions: saliency, input x gradient, integrated gradients.

Integrated gradients evaluates all interpolation steps of the whole batch in
one batched forward and backward pass (or chunks of ``internal_batch_size``
rows) and uses the same quadrature rules as captum, so the numbers agree.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError
from ..core._validation import check_option, check_scalar

__all__ = [
    "saliency",
    "input_x_gradient",
    "integrated_gradients",
    "IG_METHODS",
]

IG_METHODS = (
    "gausslegendre",
    "riemann_left",
    "riemann_right",
    "riemann_middle",
    "riemann_trapezoid",
)


def _check_inputs(model: Any, inputs: Any) -> Any:
    import torch

    if not callable(model):
        raise DTypeError(
            f"model must be a torch.nn.Module or a callable tensor -> tensor, got "
            f"{type(model).__name__}."
        )
    if not isinstance(inputs, torch.Tensor):
        raise DTypeError(
            f"inputs must be a torch.Tensor (batch first), got "
            f"{type(inputs).__name__}; convert it with torch.as_tensor(x)."
        )
    if not inputs.is_floating_point():
        raise DTypeError(
            f"inputs must be floating point to take gradients, got {inputs.dtype}; "
            "attribute to embeddings for token inputs (a callable embedding -> "
            "output as model)."
        )
    if inputs.ndim == 0 or inputs.shape[0] == 0:
        raise ValidationError(
            f"inputs must have a non-empty batch axis, got shape {tuple(inputs.shape)}."
        )
    if isinstance(model, torch.nn.Module):
        param = next(model.parameters(), None)
        if param is not None and param.device != inputs.device:
            raise ValidationError(
                f"inputs are on device {inputs.device} but the model is on "
                f"{param.device}; move them with .to({str(param.device)!r})."
            )
    return inputs


def _target_output(output: Any, target: Any, n_rows: int) -> Any:
    """Pick ``output[i, target[i]]`` for each row; returns a ``(n_rows,)`` tensor."""
    import torch

    if not isinstance(output, torch.Tensor) or output.shape[:1] != (n_rows,):
        raise ValidationError(
            f"the model must return a tensor with one row per input ({n_rows}), "
            f"got {getattr(output, 'shape', type(output).__name__)}."
        )
    flat = output.reshape(n_rows, -1)
    if target is None:
        if flat.shape[1] != 1:
            raise ValidationError(
                f"target=None needs one output per input, but the model returns "
                f"{flat.shape[1]}; give target (an output index per input)."
            )
        return flat[:, 0]
    return flat.gather(1, target.view(-1, 1))[:, 0]


def _check_target(target: Any, batch: int, device: Any) -> Any:
    import torch

    if target is None:
        return None
    if isinstance(target, int) and not isinstance(target, bool):
        return torch.full((batch,), target, dtype=torch.long, device=device)
    try:
        tensor = torch.as_tensor(target, device=device)
    except (TypeError, ValueError, RuntimeError) as err:
        raise DTypeError(
            f"target must be None, an int or one int per input, got {target!r}."
        ) from err
    if tensor.dtype.is_floating_point or tensor.dtype == torch.bool:
        raise DTypeError(f"target must hold integers, got dtype {tensor.dtype}.")
    if tensor.shape != (batch,):
        raise ValidationError(
            f"target must be an int or hold one index per input ({batch}), got "
            f"shape {tuple(tensor.shape)}."
        )
    return tensor.long()


def _gradient(model: Any, inputs: Any, target: Any) -> Any:
    import torch

    with torch.enable_grad():
        x = inputs.detach().requires_grad_(True)
        selected = _target_output(model(x), target, x.shape[0])
        (grad,) = torch.autograd.grad(selected.sum(), x)
    return grad


def _in_eval(model: Any, fn: Callable[[], Any]) -> Any:
    import torch

    if not (isinstance(model, torch.nn.Module) and model.training):
        return fn()
    warnings.warn(
        f"{type(model).__name__} was in train mode; attributions are computed in "
        "eval mode (dropout off) and the mode is put back afterwards. Call "
        "model.eval() to silence this.",
        UserWarning,
        stacklevel=3,
    )
    model.eval()
    try:
        return fn()
    finally:
        model.train()


def saliency(
    model: Callable[[Any], Any], inputs: Any, target: Any = None, *, abs: bool = True
) -> Any:
    """Gradient of the target output with respect to the inputs (Simonyan 2014).

    Parameters
    ----------
    model : torch.nn.Module or callable
        Maps a batch ``(n, ...)`` to outputs ``(n, n_outputs)`` (or ``(n,)``).
    inputs : torch.Tensor
        Floating-point batch.
    target : int or sequence of int, optional
        Output index per input (one int for all); None for a single output.
    abs : bool
        Return the absolute gradient (captum's default).

    Returns
    -------
    torch.Tensor
        Same shape as ``inputs``.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Linear(3, 2)
    >>> torch.allclose(saliency(net, torch.ones(1, 3), 1, abs=False)[0],
    ...                net.weight[1])
    True
    """
    inputs = _check_inputs(model, inputs)
    target = _check_target(target, inputs.shape[0], inputs.device)
    grad = _in_eval(model, lambda: _gradient(model, inputs, target))
    return grad.abs() if abs else grad


def input_x_gradient(
    model: Callable[[Any], Any], inputs: Any, target: Any = None
) -> Any:
    """Input times the gradient of the target output (Shrikumar et al. 2016).

    Parameters as in :func:`saliency`.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Linear(2, 1, bias=False)
    >>> x = torch.tensor([[1.0, 2.0]])
    >>> torch.allclose(input_x_gradient(net, x), x * net.weight)
    True
    """
    inputs = _check_inputs(model, inputs)
    target = _check_target(target, inputs.shape[0], inputs.device)
    return inputs * _in_eval(model, lambda: _gradient(model, inputs, target))


def _quadrature(method: str, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Step weights and interpolation points in [0, 1] (captum's rules)."""
    if method == "gausslegendre":
        nodes, weights = np.polynomial.legendre.leggauss(n_steps)
        return 0.5 * weights, 0.5 * (nodes + 1)
    weights = np.full(n_steps, 1.0 / n_steps)
    kind = method.split("_")[1]
    if kind == "trapezoid":
        weights[0] /= 2
        weights[-1] /= 2
        return weights, np.linspace(0, 1, n_steps)
    start, stop = {
        "left": (0.0, 1 - 1 / n_steps),
        "middle": (1 / (2 * n_steps), 1 - 1 / (2 * n_steps)),
        "right": (1 / n_steps, 1.0),
    }[kind]
    return weights, np.linspace(start, stop, n_steps)


def integrated_gradients(
    model: Callable[[Any], Any],
    inputs: Any,
    target: Any = None,
    *,
    baselines: Any = None,
    n_steps: int = 50,
    method: str = "gausslegendre",
    internal_batch_size: int | None = None,
    return_convergence_delta: bool = False,
) -> Any:
    """Integrated gradients (Sundararajan et al. 2017) in one batched pass.

    ``(x - x0) * sum_k w_k * grad f(x0 + a_k (x - x0))`` over the quadrature
    points ``a_k`` and weights ``w_k`` of ``method``.

    Parameters
    ----------
    model, inputs, target
        As in :func:`saliency`.
    baselines : torch.Tensor or float, optional
        Reference input ``x0`` (broadcast to ``inputs``); zeros by default.
    n_steps : int
        Number of interpolation points.
    method : {"gausslegendre", "riemann_left", "riemann_right", \
"riemann_middle", "riemann_trapezoid"}
        Quadrature rule (captum's names, default and weights; note that
        captum's trapezoid weights sum to ``1 - 1/n_steps``).
    internal_batch_size : int, optional
        Rows per forward pass; all ``n_steps * n`` rows at once by default.
    return_convergence_delta : bool
        Also return ``sum(attributions) - (f(x) - f(x0))`` per input
        (completeness error).

    Returns
    -------
    torch.Tensor or (torch.Tensor, torch.Tensor)
        Attributions, shaped like ``inputs`` (and the deltas).

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Linear(3, 1)
    >>> x = torch.randn(4, 3)
    >>> attr, delta = integrated_gradients(net, x, return_convergence_delta=True)
    >>> bool(delta.abs().max() < 1e-5)
    True
    """
    import torch

    inputs = _check_inputs(model, inputs)
    check_scalar(n_steps, "n_steps", kind=int, min_val=2)
    check_option(method, "method", IG_METHODS)
    if internal_batch_size is not None:
        check_scalar(internal_batch_size, "internal_batch_size", kind=int, min_val=1)
    batch = inputs.shape[0]
    target = _check_target(target, batch, inputs.device)
    if baselines is None:
        baselines = torch.zeros_like(inputs)
    try:
        baselines = torch.broadcast_to(
            torch.as_tensor(baselines, dtype=inputs.dtype, device=inputs.device),
            inputs.shape,
        )
    except RuntimeError as err:
        raise ValidationError(
            f"baselines of shape {tuple(np.shape(baselines))} do not broadcast to "
            f"inputs of shape {tuple(inputs.shape)}; give one baseline per input "
            "or a single one."
        ) from err
    weights, alphas = _quadrature(method, n_steps)
    weights_t = torch.as_tensor(weights, dtype=inputs.dtype, device=inputs.device)
    alphas_t = torch.as_tensor(alphas, dtype=inputs.dtype, device=inputs.device)
    diff = inputs - baselines
    shape = (n_steps,) + (1,) * inputs.ndim
    scaled = torch.addcmul(baselines, alphas_t.view(shape), diff)
    scaled = scaled.reshape(-1, *inputs.shape[1:])
    rows_target = None if target is None else target.repeat(n_steps)
    chunk = internal_batch_size or scaled.shape[0]

    def total_gradient() -> Any:
        if chunk >= scaled.shape[0]:
            grad = _gradient(model, scaled, rows_target)
        else:
            grad = torch.cat(
                [
                    _gradient(
                        model,
                        scaled[i : i + chunk],
                        None if rows_target is None else rows_target[i : i + chunk],
                    )
                    for i in range(0, scaled.shape[0], chunk)
                ]
            )
        return torch.tensordot(weights_t, grad.view(n_steps, *inputs.shape), dims=1)

    attributions = diff * _in_eval(model, total_gradient)
    if not return_convergence_delta:
        return attributions
    with torch.no_grad():
        ends = _in_eval(
            model,
            lambda: _target_output(
                model(torch.cat([inputs, baselines])),
                None if target is None else target.repeat(2),
                2 * batch,
            ),
        )
    delta = attributions.reshape(batch, -1).sum(1) - (ends[:batch] - ends[batch:])
    return attributions, delta
