"""One training loop for every torch model of the package."""

from __future__ import annotations

import math
import numbers
import os
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ._atomic import atomic_output
from ._errors import MissingFileError, ValidationError
from ._validation import check_option, check_scalar

__all__ = [
    "Trainer",
    "seed_everything",
    "resolve_device",
    "save_checkpoint",
    "load_checkpoint",
]


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch (CPU and CUDA) for reproducible training.

    Examples
    --------
    >>> seed_everything(0)
    """
    import torch

    check_scalar(seed, "seed", kind=int, min_val=0)
    random.seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 (seeds third-party code)
    torch.manual_seed(seed)


@contextmanager
def torch_threads(n_threads: int) -> Iterator[None]:
    """Run a block with torch computing on ``n_threads`` threads, then restore.

    Small networks train faster on one thread: more threads only add
    synchronisation, and on a busy machine they wait for free cores.

    Parameters
    ----------
    n_threads : int
        Number of intra-op threads inside the block (at least 1).

    Examples
    --------
    >>> import torch
    >>> before = torch.get_num_threads()
    >>> with torch_threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    import torch

    n_threads = int(
        check_scalar(n_threads, "n_threads", kind=numbers.Integral, min_val=1)
    )
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def resolve_device(device: str | Any = "auto") -> Any:
    """Return a ``torch.device``: ``"auto"`` picks CUDA, then MPS, then CPU.

    Examples
    --------
    >>> resolve_device("cpu").type
    'cpu'
    """
    import torch

    if isinstance(device, torch.device):
        return device
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValidationError(
            f"device={device!r} is not a torch device; use 'auto', 'cpu' or 'cuda'."
        ) from err
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValidationError(
            f"device={device!r} but this torch build sees no CUDA device; "
            "use device='auto' or 'cpu'."
        )
    return resolved


def save_checkpoint(path: str | os.PathLike, state: dict[str, Any]) -> Path:
    """Save ``state`` (tensors, numbers, strings) atomically with ``torch.save``.

    The file is written to a temporary name in the same folder, then renamed,
    so a crash never leaves a half-written checkpoint.
    """
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        torch.save(state, tmp)
    return path


def load_checkpoint(
    path: str | os.PathLike, map_location: Any = "cpu"
) -> dict[str, Any]:
    """Load a :func:`save_checkpoint` file with ``weights_only=True``."""
    import torch

    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"Checkpoint {str(path)!r} does not exist.")
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except Exception as err:  # torch raises several types for corrupt files
        from ._errors import FileFormatError

        raise FileFormatError(
            f"Checkpoint {str(path)!r} could not be read ({err}). It is corrupt, "
            "truncated or not a neurokit_ai checkpoint; retrain or restore it."
        ) from err


class Trainer:
    """Train a ``torch.nn.Module`` with seeding, device choice, a progress bar,
    early stopping and atomic checkpoints.

    Parameters
    ----------
    max_epochs : int
        Maximum number of passes over the training data.
    lr : float
        Learning rate.
    optimizer : {"adam", "adamw", "sgd"}
        Optimiser.
    weight_decay : float
        L2 penalty (decoupled for AdamW).
    patience : int or None
        Stop after this many epochs without a validation improvement larger than
        ``min_delta``; ``None`` disables early stopping. The best weights are
        restored at the end.
    min_delta : float
        Smallest improvement that resets the patience counter.
    grad_clip : float or None
        Clip the gradient norm to this value.
    device : str
        ``"auto"``, ``"cpu"``, ``"cuda"``...
    random_state : int or None
        Seed for torch, numpy and Python before training.
    checkpoint_path : str or Path, optional
        Where the best model is saved (atomically) whenever it improves.
    verbose : bool
        Show a tqdm progress bar.

    Examples
    --------
    >>> import torch
    >>> model = torch.nn.Linear(2, 1)
    >>> x = torch.randn(64, 2); y = x @ torch.tensor([[1.0], [-2.0]])
    >>> data = [(x, y)]
    >>> def loss_fn(model, batch):
    ...     xb, yb = batch
    ...     return torch.nn.functional.mse_loss(model(xb), yb)
    >>> history = Trainer(max_epochs=500, lr=0.05, patience=None, random_state=0,
    ...                   verbose=False).fit(model, data, loss_fn)
    >>> bool(min(history["train_loss"]) < 1e-3)
    True
    """

    def __init__(
        self,
        max_epochs: int = 100,
        lr: float = 1e-3,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
        patience: int | None = 10,
        min_delta: float = 0.0,
        grad_clip: float | None = None,
        device: str = "auto",
        random_state: int | None = None,
        checkpoint_path: str | os.PathLike | None = None,
        verbose: bool = True,
    ) -> None:
        self.max_epochs = check_scalar(max_epochs, "max_epochs", kind=int, min_val=1)
        self.lr = check_scalar(lr, "lr", min_val=0, include_min=False)
        self.optimizer = check_option(optimizer, "optimizer", ["adam", "adamw", "sgd"])
        self.weight_decay = check_scalar(weight_decay, "weight_decay", min_val=0)
        if patience is not None:
            check_scalar(patience, "patience", kind=int, min_val=1)
        self.patience = patience
        self.min_delta = check_scalar(min_delta, "min_delta", min_val=0)
        if grad_clip is not None:
            check_scalar(grad_clip, "grad_clip", min_val=0, include_min=False)
        self.grad_clip = grad_clip
        self.device = device
        self.random_state = random_state
        self.checkpoint_path = checkpoint_path
        self.verbose = verbose

    def _make_optimizer(self, params: Iterable[Any]) -> Any:
        import torch

        cls = {
            "adam": torch.optim.Adam,
            "adamw": torch.optim.AdamW,
            "sgd": torch.optim.SGD,
        }[self.optimizer]
        return cls(params, lr=self.lr, weight_decay=self.weight_decay)

    def fit(
        self,
        model: Any,
        train_data: Iterable[Any],
        loss_fn: Callable[[Any, Any], Any],
        val_data: Iterable[Any] | None = None,
    ) -> dict[str, list[float]]:
        """Train ``model`` in place and return the loss history.

        Parameters
        ----------
        model : torch.nn.Module
            The model.
        train_data : iterable of batches
            A ``DataLoader`` or any re-iterable of batches.
        loss_fn : callable
            ``loss_fn(model, batch) -> scalar tensor``; it moves the batch to the
            model's device (see :attr:`device_`).
        val_data : iterable of batches, optional
            Validation batches, for early stopping and checkpointing.

        Returns
        -------
        history : dict
            ``train_loss`` and (with validation data) ``val_loss`` per epoch,
            and ``best_epoch``.
        """
        import torch
        from tqdm.auto import tqdm

        if not isinstance(model, torch.nn.Module):
            raise ValidationError(
                f"model must be a torch.nn.Module, got {type(model).__name__}."
            )
        if self.random_state is not None:
            seed_everything(int(self.random_state))
        self.device_ = resolve_device(self.device)
        model.to(self.device_)
        opt = self._make_optimizer(model.parameters())
        history: dict[str, list[float]] = {"train_loss": [], "val_loss": []}
        best = math.inf
        best_state = None
        best_epoch = -1
        stale = 0
        bar = tqdm(range(self.max_epochs), disable=not self.verbose, desc="training")
        for epoch in bar:
            model.train()
            total, n = 0.0, 0
            for batch in train_data:
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model, batch)
                if not torch.isfinite(loss):
                    raise ValidationError(
                        f"The training loss became {loss.item()} at epoch {epoch}. "
                        "Lower lr, standardise the inputs or set grad_clip."
                    )
                loss.backward()
                if self.grad_clip is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), self.grad_clip)
                opt.step()
                total += float(loss.detach())
                n += 1
            if n == 0:
                raise ValidationError("train_data yielded no batch.")
            history["train_loss"].append(total / n)
            monitored = history["train_loss"][-1]
            if val_data is not None:
                monitored = self.evaluate(model, val_data, loss_fn)
                history["val_loss"].append(monitored)
            bar.set_postfix(loss=f"{monitored:.4g}")
            if monitored < best - self.min_delta:
                best, best_epoch, stale = monitored, epoch, 0
                best_state = {
                    k: v.detach().clone() for k, v in model.state_dict().items()
                }
                if self.checkpoint_path is not None:
                    save_checkpoint(
                        self.checkpoint_path,
                        {"model": best_state, "epoch": epoch, "loss": best},
                    )
            else:
                stale += 1
                if self.patience is not None and stale >= self.patience:
                    break
        bar.close()
        if best_state is not None:
            model.load_state_dict(best_state)
        history["best_epoch"] = [best_epoch]
        if val_data is None:
            del history["val_loss"]
        self.history_ = history
        return history

    def evaluate(
        self, model: Any, data: Iterable[Any], loss_fn: Callable[[Any, Any], Any]
    ) -> float:
        """Return the mean of ``loss_fn`` over ``data`` without gradients."""
        import torch

        model.eval()
        total, n = 0.0, 0
        with torch.no_grad():
            for batch in data:
                total += float(loss_fn(model, batch))
                n += 1
        if n == 0:
            raise ValidationError("The validation data yielded no batch.")
        return total / n
