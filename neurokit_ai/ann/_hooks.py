"""Named hook points on any torch model: cached runs and interventions.

Every submodule's output is a hook point named as in ``model.named_modules()``;
``"<name>:input"`` is the first input of that submodule (e.g. the concatenated
head outputs entering an attention output projection). Points declared in
``heads`` are seen split into heads, ``(..., n_heads, d_head)``. Hooks live only
inside :meth:`HookedModel.hooks`, which removes them even when the run raises.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ..core import DTypeError, ValidationError
from ..core._validation import check_scalar, check_type
from ._cache import ActivationCache, unknown_name_error

__all__ = ["HookedModel", "Intervention", "INTERVENTION_OPS"]

INTERVENTION_OPS = ("replace", "add", "scale", "ablate", "patch")
_INPUT = ":input"


def _as_index_list(value: Any, name: str) -> list[int] | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    try:
        items = [int(v) for v in value]
    except (TypeError, ValueError) as err:
        raise DTypeError(
            f"{name} must be an int or a sequence of ints, got {value!r}."
        ) from err
    if not items:
        raise ValidationError(f"{name} is empty; give at least one index or None.")
    return items


class Intervention:
    """One change to a hook point's activation during a run.

    Parameters
    ----------
    name : str
        Hook point (``"blocks.0.mlp"``, ``"blocks.0.attn.out:input"``).
    op : {"replace", "add", "scale", "ablate", "patch"} or callable
        ``replace`` sets the activation to ``value``; ``add`` adds ``value``
        (steering); ``scale`` multiplies by ``value``; ``ablate`` sets it to zero
        (``value=None``) or to its batch mean (``value="mean"``); ``patch``
        copies it from another run's :class:`ActivationCache` (``value``). A
        callable maps the activation to a new one of the same shape.
    value : tensor, float, str or ActivationCache, optional
        Operand of ``op`` (broadcast to the activation's shape).
    positions : int or sequence of int, optional
        Restrict the change to these indices of axis 1 (sequence positions).
    heads : int or sequence of int, optional
        Restrict the change to these heads (points declared with ``heads``).

    Examples
    --------
    >>> iv = Intervention("0", "scale", 0.5)
    >>> iv
    Intervention('0', 'scale')
    """

    def __init__(
        self,
        name: str,
        op: str | Callable[[Any], Any],
        value: Any = None,
        *,
        positions: int | Sequence[int] | None = None,
        heads: int | Sequence[int] | None = None,
    ) -> None:
        check_type(name, "name", str)
        if not callable(op) and op not in INTERVENTION_OPS:
            raise ValidationError(
                f"op must be one of {list(INTERVENTION_OPS)} or a callable, got {op!r}."
            )
        if op in ("replace", "add", "scale", "patch") and value is None:
            raise ValidationError(
                f"op={op!r} needs a value (tensor, number or, for 'patch', an "
                "ActivationCache); got value=None."
            )
        if op == "ablate" and value not in (None, "mean"):
            raise ValidationError(
                f"op='ablate' takes value=None (zero) or 'mean', got {value!r}."
            )
        self.name = name
        self.op = op
        self.value = value
        self.positions = _as_index_list(positions, "positions")
        self.heads = _as_index_list(heads, "heads")

    def __repr__(self) -> str:
        op = self.op if isinstance(self.op, str) else getattr(self.op, "__name__", "fn")
        return f"Intervention({self.name!r}, {op!r})"

    def _axis_mask(
        self, act: Any, axis: int, index: list[int], what: str, shape: list[int]
    ) -> Any:
        import torch

        size = act.shape[axis]
        bad = [i for i in index if not -size <= i < size]
        if bad:
            raise ValidationError(
                f"{what}={index} is out of range for axis {axis} of {self.name!r} "
                f"(size {size}); use indices in [0, {size})."
            )
        mask = torch.zeros(size, dtype=torch.bool, device=act.device)
        mask[index] = True
        return mask.view(shape)

    def _full_or_error(self, act: Any) -> Any:
        try:
            return self._full(act)
        except RuntimeError as err:
            raise ValidationError(
                f"intervention {self.op!r} on {self.name!r}: its value does not "
                f"broadcast to the activation's shape {tuple(act.shape)} ({err}); "
                "give a value of that shape or one that broadcasts to it."
            ) from err

    def _full(self, act: Any) -> Any:
        import torch

        if self.op == "ablate":
            if self.value == "mean":
                return act.mean(dim=0, keepdim=True).expand_as(act)
            return torch.zeros_like(act)
        value = self.value
        if self.op == "patch" and isinstance(value, ActivationCache):
            value = value[self.name]
        if not isinstance(value, torch.Tensor):
            value = torch.as_tensor(value, dtype=act.dtype)
        value = value.to(device=act.device, dtype=act.dtype)
        if self.op == "add":
            return act + value
        if self.op == "scale":
            return act * value
        if self.op == "replace":
            return torch.broadcast_to(value, act.shape)
        if self.op == "patch" and value.shape != act.shape:
            raise ValidationError(
                f"cannot patch {self.name!r}: the source activation has shape "
                f"{tuple(value.shape)} but this run's has {tuple(act.shape)}; patch "
                "between runs with the same batch size and sequence length."
            )
        return value

    def apply(self, act: Any, split: bool) -> Any:
        """Return the changed activation (same shape as ``act``)."""
        import torch

        if callable(self.op):
            full = self.op(act)
        else:
            full = self._full_or_error(act)
        if not isinstance(full, torch.Tensor):
            raise DTypeError(
                f"intervention on {self.name!r} returned {type(full).__name__}; "
                "a callable op must return a tensor."
            )
        if full.shape != act.shape:
            raise ValidationError(
                f"intervention {self.op!r} on {self.name!r} would change the "
                f"activation shape from {tuple(act.shape)} to {tuple(full.shape)}; "
                "interventions must keep the activation's shape."
            )
        if self.positions is None and self.heads is None:
            return full
        mask = torch.ones((1,) * act.ndim, dtype=torch.bool, device=act.device)
        if self.positions is not None:
            if act.ndim < 3:
                raise ValidationError(
                    f"positions={self.positions} needs a (batch, position, ...) "
                    f"activation at {self.name!r}, got shape {tuple(act.shape)}."
                )
            shape = [1] * act.ndim
            shape[1] = -1
            mask = mask & self._axis_mask(act, 1, self.positions, "positions", shape)
        if self.heads is not None:
            if not split:
                raise ValidationError(
                    f"heads={self.heads} given but {self.name!r} is not split into "
                    "heads; declare it in HookedModel(model, heads={name: n_heads})."
                )
            shape = [1] * (act.ndim - 2) + [-1, 1]
            mask = mask & self._axis_mask(act, act.ndim - 2, self.heads, "heads", shape)
        return torch.where(mask, full, act)


def _first_tensor(value: Any, name: str) -> tuple[Any, Callable[[Any], Any]] | None:
    """The tensor inside a module output and a function putting a new one back.

    Handles a tensor, a tuple/list starting with one, and a mapping (such as a
    transformers ``ModelOutput``) holding one; None when there is no tensor.
    """
    import copy

    import torch

    if isinstance(value, torch.Tensor):
        return value, lambda new: new
    if isinstance(value, tuple | list) and value and isinstance(value[0], torch.Tensor):
        return value[0], lambda new: type(value)([new, *value[1:]])
    if isinstance(value, Mapping):
        key = next((k for k, v in value.items() if isinstance(v, torch.Tensor)), None)
        if key is not None:

            def put_back(new: Any) -> Any:
                out = copy.copy(value)
                out[key] = new
                return out

            return value[key], put_back
    return None


def _name_filter(names: Any) -> Callable[[str], bool]:
    if names is None:
        return lambda n: not n.endswith(_INPUT)
    if callable(names):
        return names
    if isinstance(names, str):
        try:
            regex = re.compile(names)
        except re.error as err:
            raise ValidationError(
                f"names={names!r} is not a valid regular expression ({err})."
            ) from err
        return lambda n: regex.search(n) is not None
    chosen = set(names)
    return lambda n: n in chosen


class HookedModel:
    """Named hook points, cached runs and interventions on a ``torch.nn.Module``.

    The model is not copied or changed; hooks exist only while a run (or the
    :meth:`hooks` context) is active.

    Parameters
    ----------
    model : torch.nn.Module
        Any network.
    heads : mapping of str to int, optional
        Hook points whose last axis concatenates attention heads, with their
        number of heads (e.g. ``{"blocks.0.attn.out:input": 4}``); they are
        cached and intervened on as ``(..., n_heads, d_head)``.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU()).eval()
    >>> hooked = HookedModel(net)
    >>> out, cache = hooked.run_with_cache(torch.randn(2, 3))
    >>> sorted(cache)
    ['0', '1']
    >>> ablate = Intervention("1", "ablate")
    >>> out = hooked.run_with_interventions(torch.randn(2, 3), interventions=[ablate])
    >>> float(out.abs().sum())
    0.0
    """

    def __init__(self, model: Any, *, heads: Mapping[str, int] | None = None) -> None:
        import torch

        check_type(model, "model", torch.nn.Module)
        self.model = model
        self._modules = {n: m for n, m in model.named_modules() if n}
        if not self._modules:
            self._modules = {"": model}
        heads = dict(heads or {})
        for name, n_heads in heads.items():
            self._resolve(name)
            check_scalar(n_heads, f"heads[{name!r}]", kind=int, min_val=1)
        self.heads = heads

    @property
    def hook_names(self) -> list[str]:
        """Every hook point: submodule outputs, then their ``":input"`` points."""
        return list(self._modules) + [n + _INPUT for n in self._modules]

    def _resolve(self, name: Any) -> tuple[Any, bool]:
        if isinstance(name, str):
            base, is_input = (
                (name[: -len(_INPUT)], True) if name.endswith(_INPUT) else (name, False)
            )
            if base in self._modules:
                return self._modules[base], is_input
        raise unknown_name_error(name, self.hook_names, "hook point")

    def _select(self, names: Any) -> list[str]:
        if names is not None and not (callable(names) or isinstance(names, str)):
            names = list(names)
            for name in names:
                self._resolve(name)
            return names
        keep = _name_filter(names)
        if names is None:
            chosen = [n for n in self.hook_names if keep(n) or n in self.heads]
            return chosen
        chosen = [n for n in self.hook_names if keep(n)]
        if not chosen:
            raise ValidationError(
                f"names={names!r} matches no hook point; hook_names starts with "
                f"{self.hook_names[:10]}."
            )
        return chosen

    def _split(self, t: Any, name: str) -> Any:
        n_heads = self.heads.get(name)
        if n_heads is None:
            return t
        if t.shape[-1] % n_heads:
            raise ValidationError(
                f"hook point {name!r} has last axis {t.shape[-1]}, not divisible by "
                f"heads={n_heads}; give the number of heads the model uses."
            )
        return t.unflatten(-1, (n_heads, t.shape[-1] // n_heads))

    def _register(
        self, name: str, change: Callable[[Any], Any], strict: bool = True
    ) -> Any:
        """Register a hook giving ``change`` the (split) activation of ``name``.

        A point whose value holds no tensor raises when ``strict``, else is
        skipped (used when names come from a pattern).
        """
        module, is_input = self._resolve(name)
        split = name in self.heads

        def edit(value: Any) -> Any:
            found = _first_tensor(value, name)
            if found is None:
                if not strict:
                    return None
                raise ValidationError(
                    f"hook point {name!r} produced {type(value).__name__}, which "
                    "holds no tensor to cache or change; pick a submodule that "
                    "returns a tensor."
                )
            tensor, put_back = found
            view = self._split(tensor, name)
            new = change(view)
            if new is None:
                return None
            if new.shape != view.shape:
                raise ValidationError(
                    f"an intervention changed the shape of {name!r} from "
                    f"{tuple(view.shape)} to {tuple(new.shape)}; interventions "
                    "must keep the activation's shape."
                )
            return put_back(new.flatten(-2) if split else new)

        if is_input:

            def pre_hook(_mod: Any, args: tuple, kwargs: dict) -> Any:
                if args:
                    new = edit(args[0])
                    return None if new is None else ((new, *args[1:]), kwargs)
                key = next(iter(kwargs), None)
                if key is None:
                    raise ValidationError(
                        f"hook point {name!r}: the submodule was called without "
                        "inputs; use its output point instead."
                    )
                new = edit(kwargs[key])
                return None if new is None else (args, {**kwargs, key: new})

            return module.register_forward_pre_hook(pre_hook, with_kwargs=True)

        def hook(_mod: Any, _args: Any, output: Any) -> Any:
            return edit(output)

        return module.register_forward_hook(hook)

    @contextmanager
    def hooks(
        self,
        *,
        interventions: Sequence[Intervention] = (),
        cache: dict[str, Any] | None = None,
        names: Any = None,
        detach: bool = True,
        device: Any = None,
        transform: Callable[[Any], Any] | None = None,
    ) -> Iterator[dict[str, Any] | None]:
        """Context in which interventions apply and activations fill ``cache``.

        Interventions run first, so the cache holds the changed activations. All
        hooks are removed on exit, also when the body raises.

        Parameters
        ----------
        interventions : sequence of Intervention
            Changes applied during every forward pass in the context.
        cache : dict, optional
            Filled with ``name -> tensor`` on each forward pass.
        names : list of str, str (regular expression) or callable, optional
            Points to cache; every submodule output (and every point declared
            with ``heads``) by default. Points selected by a pattern whose value
            holds no tensor are skipped; named ones raise.
        detach : bool
            Store detached tensors; False keeps the graph so gradients with
            respect to cached activations can be taken.
        device : str or torch.device, optional
            Move cached tensors here as they are produced (e.g. ``"cpu"``).
        transform : callable, optional
            Applied to each tensor before it is stored (e.g. pooling).

        Examples
        --------
        >>> import torch
        >>> hooked = HookedModel(torch.nn.Sequential(torch.nn.Linear(2, 2)).eval())
        >>> store = {}
        >>> with hooked.hooks(cache=store):
        ...     _ = hooked.model(torch.ones(1, 2))
        >>> list(store)
        ['0']
        """
        for iv in interventions:
            check_type(iv, "interventions[i]", Intervention)
            self._resolve(iv.name)
            if iv.heads is not None and iv.name not in self.heads:
                raise ValidationError(
                    f"Intervention on {iv.name!r} selects heads={iv.heads} but the "
                    "point is not split into heads; declare it in "
                    "HookedModel(model, heads={name: n_heads})."
                )
        cached = self._select(names) if cache is not None else []
        handles = []
        try:
            for iv in interventions:
                handles.append(
                    self._register(
                        iv.name,
                        lambda act, iv=iv: iv.apply(act, iv.name in self.heads),
                    )
                )
            explicit = not (names is None or callable(names) or isinstance(names, str))
            for name in cached:
                handles.append(
                    self._register(
                        name,
                        lambda act, name=name: self._store(
                            cache, name, act, detach, device, transform
                        ),
                        strict=explicit,
                    )
                )
            yield cache
        finally:
            for handle in handles:
                handle.remove()

    def _store(
        self,
        cache: dict[str, Any],
        name: str,
        act: Any,
        detach: bool,
        device: Any,
        transform: Callable[[Any], Any] | None,
    ) -> Any:
        stored = act.detach() if detach else act
        if transform is not None:
            stored = transform(stored)
        if device is not None:
            stored = stored.to(device, non_blocking=True)
        cache[name] = stored
        if detach or name not in self.heads:
            return None
        return act

    def _prepare(self, args: tuple, kwargs: dict) -> bool:
        """Check input devices and switch a training model to eval (warns)."""
        import torch

        param = next(self.model.parameters(), None)
        if param is not None:
            inputs = [*args, *kwargs.values()]
            inputs += [v for x in inputs if isinstance(x, Mapping) for v in x.values()]
            for x in inputs:
                if isinstance(x, torch.Tensor) and x.device != param.device:
                    raise ValidationError(
                        f"an input is on device {x.device} but the model is on "
                        f"{param.device}; move it with .to({str(param.device)!r})."
                    )
        was_training = self.model.training
        if was_training:
            warnings.warn(
                f"{type(self.model).__name__} was in train mode (dropout/batch-norm "
                "updates active); it runs in eval mode for this call and is put "
                "back afterwards. Call model.eval() to silence this.",
                UserWarning,
                stacklevel=3,
            )
            self.model.eval()
        return was_training

    def run_with_cache(
        self,
        *args: Any,
        names: Any = None,
        detach: bool = True,
        device: Any = None,
        interventions: Sequence[Intervention] = (),
        **kwargs: Any,
    ) -> tuple[Any, ActivationCache]:
        """Run the model on ``*args, **kwargs`` and cache activations.

        Parameters
        ----------
        *args, **kwargs
            Passed to the model.
        names : list of str, str (regular expression) or callable, optional
            Points to cache; every submodule output by default.
        detach : bool
            False keeps cached tensors in the autograd graph.
        device : str or torch.device, optional
            Offload cached tensors here (e.g. ``"cpu"``) as they are produced.
        interventions : sequence of Intervention
            Applied during the run (the cache holds the changed activations).

        Returns
        -------
        output : object
            The model's output.
        cache : ActivationCache
            Cached activations.

        Examples
        --------
        >>> import torch
        >>> hooked = HookedModel(torch.nn.Sequential(torch.nn.Linear(2, 3)).eval())
        >>> _, cache = hooked.run_with_cache(torch.ones(4, 2), names=["0"])
        >>> tuple(cache["0"].shape)
        (4, 3)
        """
        store: dict[str, Any] = {}
        was_training = self._prepare(args, kwargs)
        try:
            with self.hooks(
                interventions=interventions,
                cache=store,
                names=names,
                detach=detach,
                device=device,
            ):
                output = self.model(*args, **kwargs)
        finally:
            self.model.train(was_training)
        return output, ActivationCache(store)

    def run_with_interventions(
        self,
        *args: Any,
        interventions: Sequence[Intervention],
        **kwargs: Any,
    ) -> Any:
        """Run the model with ``interventions`` applied and return its output.

        Examples
        --------
        >>> import torch
        >>> hooked = HookedModel(torch.nn.Sequential(torch.nn.Linear(2, 2)).eval())
        >>> iv = Intervention("0", "replace", torch.tensor([1.0, 2.0]))
        >>> hooked.run_with_interventions(torch.ones(3, 2), interventions=[iv])[2]
        tensor([1., 2.])
        """
        if isinstance(interventions, Intervention):
            interventions = [interventions]
        was_training = self._prepare(args, kwargs)
        try:
            with self.hooks(interventions=interventions):
                return self.model(*args, **kwargs)
        finally:
            self.model.train(was_training)
