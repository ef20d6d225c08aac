"""Record activations of named torch submodules into Responses (forward hooks)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..core import Responses, ValidationError
from ..core._validation import check_option, check_scalar, check_type
from ._hooks import HookedModel

__all__ = ["ActivationRecorder"]


class ActivationRecorder:
    """Record what named submodules of a ``torch.nn.Module`` compute, per input.

    Hooks are registered only inside :meth:`record` (a context manager removes
    them again), the model runs in eval mode without gradients, inputs go in
    batches, and activations are written into preallocated arrays whose total
    size is checked against ``max_bytes`` before they are filled.

    Parameters
    ----------
    model : torch.nn.Module
        The network.
    layers : sequence of str
        Names from ``model.named_modules()`` (e.g. ``"layer3.1.conv2"``).
    pool : {None, "mean", "max"}
        Pool every axis after the channel axis (spatial or token axes) of outputs
        with more than 2 dimensions; None flattens them.
    batch_size : int
        Inputs per forward pass.
    max_bytes : int
        Refuse a recording larger than this (float32 storage).
    name : str, optional
        Model name used in ``source="model:<name>/<layer>"``; the class name by
        default.
    device : str, optional
        Device to run on; the model's own device by default.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU())
    >>> rec = ActivationRecorder(net, ["0", "1"], name="mlp")
    >>> out = rec.record(torch.randn(5, 3))
    >>> out["1"].data.shape, out["1"].source
    ((5, 4), 'model:mlp/1')
    """

    def __init__(
        self,
        model: Any,
        layers: Sequence[str],
        *,
        pool: str | None = None,
        batch_size: int = 256,
        max_bytes: int = 2**31,
        name: str | None = None,
        device: str | None = None,
    ) -> None:
        import torch

        check_type(model, "model", torch.nn.Module)
        check_option(pool, "pool", (None, "mean", "max"))
        check_scalar(batch_size, "batch_size", kind=int, min_val=1)
        check_scalar(max_bytes, "max_bytes", kind=int, min_val=1)
        if isinstance(layers, str):
            layers = [layers]
        layers = list(layers)
        if not layers:
            raise ValidationError("layers is empty; name at least one submodule.")
        modules = dict(model.named_modules())
        unknown = [n for n in layers if n not in modules]
        if unknown:
            available = [n for n in modules if n]
            raise ValidationError(
                f"layers {unknown} are not submodules of {type(model).__name__}; "
                f"available names: {available[:60]}"
                + (" ..." if len(available) > 60 else "")
            )
        self.model = model
        self.layers = layers
        self.pool = pool
        self.batch_size = batch_size
        self.max_bytes = max_bytes
        self.name = name or type(model).__name__
        self.device = device

    def _reduce(self, t: Any) -> np.ndarray:
        if t.ndim > 2 and self.pool is not None:
            dims = tuple(range(2, t.ndim))
            t = t.mean(dim=dims) if self.pool == "mean" else t.amax(dim=dims)
        return t.reshape(t.shape[0], -1).float().cpu().numpy()

    @contextmanager
    def _hooks(self) -> Iterator[dict[str, np.ndarray]]:
        cache: dict[str, np.ndarray] = {}
        with HookedModel(self.model).hooks(
            cache=cache, names=self.layers, transform=self._reduce
        ):
            yield cache

    def _batches(self, inputs: Any) -> Iterable[Any]:
        import torch

        if isinstance(inputs, np.ndarray):
            inputs = torch.from_numpy(inputs).float()
        if isinstance(inputs, torch.Tensor):
            if inputs.ndim == 0 or inputs.shape[0] == 0:
                raise ValidationError(
                    f"inputs must have a non-empty first (batch) axis, got shape "
                    f"{tuple(inputs.shape)}."
                )
            return (
                inputs[i : i + self.batch_size]
                for i in range(0, inputs.shape[0], self.batch_size)
            )
        return inputs

    def record(
        self,
        inputs: Any,
        conditions: Sequence[Any] | None = None,
        *,
        runs: Sequence[int] | None = None,
    ) -> dict[str, Responses]:
        """Run ``inputs`` through the model and return one Responses per layer.

        Parameters
        ----------
        inputs : torch.Tensor, numpy.ndarray or iterable of tensor batches
            Stimuli along the first axis.
        conditions : sequence, optional
            Condition label of each input (one row per input).
        runs : sequence of int, optional
            Run/repeat label of each input.

        Returns
        -------
        dict of str to Responses
            ``(n_inputs, n_units)`` per layer, ``source="model:<name>/<layer>"``.
        """
        import torch

        device = self.device or next(
            (p.device for p in self.model.parameters()), torch.device("cpu")
        )
        was_training = self.model.training
        self.model.eval()
        store: dict[str, np.ndarray] = {}
        n_total = None if not hasattr(inputs, "shape") else int(inputs.shape[0])
        parts: dict[str, list[np.ndarray]] = {layer: [] for layer in self.layers}
        filled = 0
        try:
            with self._hooks() as cache, torch.no_grad():
                for batch in self._batches(inputs):
                    batch = batch.to(device)
                    cache.clear()
                    self.model(batch)
                    missing = [la for la in self.layers if la not in cache]
                    if missing:
                        raise ValidationError(
                            f"layers {missing} were not called in the forward pass; "
                            "pick modules that the model's forward() uses."
                        )
                    if not store and n_total is not None:
                        width = sum(cache[la].shape[1] for la in self.layers)
                        self._check_size(n_total, width)
                        store = {
                            la: np.empty((n_total, cache[la].shape[1]), np.float32)
                            for la in self.layers
                        }
                    n_b = cache[self.layers[0]].shape[0]
                    for la in self.layers:
                        if store:
                            store[la][filled : filled + n_b] = cache[la]
                        else:
                            parts[la].append(cache[la])
                    filled += n_b
                    if not store:
                        width = sum(p[-1].shape[1] for p in parts.values())
                        self._check_size(filled, width)
        finally:
            self.model.train(was_training)
        if filled == 0:
            raise ValidationError("inputs held no batch; nothing was recorded.")
        if not store:
            store = {la: np.concatenate(parts[la]) for la in self.layers}
        return {
            la: Responses(
                store[la],
                conditions=conditions,
                runs=runs,
                source=f"model:{self.name}/{la}",
                metadata={"layer": la, "pool": self.pool},
            )
            for la in self.layers
        }

    def _check_size(self, n_rows: int, width: int) -> None:
        size = n_rows * width * 4
        if size > self.max_bytes:
            raise ValidationError(
                f"recording {n_rows} inputs x {width} units needs {size / 2**20:.0f} "
                f"MiB, above max_bytes={self.max_bytes / 2**20:.0f} MiB; use "
                "pool='mean', fewer layers or fewer inputs, or raise max_bytes."
            )
