"""Training of the denoisers with the shared :class:`~neurokit_ai.core.Trainer`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..core import ValidationError, check_array, check_random_state, check_scalar
from ._constants import SNR_LEVELS_DB
from ._mixing import mix_at_snr

__all__ = ["MixtureBatches", "train_denoiser"]


class MixtureBatches:
    """Re-iterable batches of fresh EEG + EMG mixtures (a new draw each epoch).

    Every pass pairs each clean segment with a random EMG segment at an SNR
    drawn uniformly in ``snr_range`` dB (EEGdenoiseNet's training scheme), then
    divides both by ``std(y)``. A ``clean_fraction`` of the inputs get no EMG
    at all, which teaches the network to leave clean EEG alone: in a whole
    recording most windows are clean. Batches are ``(noisy, clean)`` float32
    tensors.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> batches = MixtureBatches(rng.normal(size=(10, 64)), rng.normal(size=(5, 64)),
    ...                          batch_size=4, random_state=0)
    >>> [tuple(b[0].shape) for b in batches]
    [(4, 64), (4, 64), (2, 64)]
    """

    def __init__(
        self,
        clean: np.ndarray,
        emg: np.ndarray,
        batch_size: int = 64,
        snr_range: tuple[float, float] = (SNR_LEVELS_DB[0], SNR_LEVELS_DB[-1]),
        clean_fraction: float = 0.0,
        random_state: Any = None,
    ) -> None:
        self.clean = check_array(clean, "clean", ndim=2)
        self.emg = check_array(emg, "emg", ndim=2)
        if self.clean.shape[1] != self.emg.shape[1]:
            raise ValidationError(
                f"clean segments have {self.clean.shape[1]} samples but emg "
                f"segments {self.emg.shape[1]}; cut both to the same length."
            )
        self.batch_size = check_scalar(batch_size, "batch_size", kind=int, min_val=1)
        self.snr_range = snr_range
        self.clean_fraction = check_scalar(
            clean_fraction, "clean_fraction", min_val=0.0, max_val=1.0
        )
        self.rng = check_random_state(random_state)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        import torch

        n = self.clean.shape[0]
        order = self.rng.permutation(n)
        emg = self.emg[self.rng.integers(0, self.emg.shape[0], n)]
        snr = self.rng.uniform(*self.snr_range, n)
        y, _ = mix_at_snr(self.clean[order], emg, snr)
        none = self.rng.random(n) < self.clean_fraction
        y[none] = self.clean[order][none]
        scale = y.std(axis=1, keepdims=True)
        y, x = y / scale, self.clean[order] / scale
        for i in range(0, n, self.batch_size):
            yield (
                torch.as_tensor(y[i : i + self.batch_size], dtype=torch.float32),
                torch.as_tensor(x[i : i + self.batch_size], dtype=torch.float32),
            )


def _fixed_batches(noisy: np.ndarray, clean: np.ndarray, batch_size: int) -> list:
    import torch

    return [
        (
            torch.as_tensor(noisy[i : i + batch_size], dtype=torch.float32),
            torch.as_tensor(clean[i : i + batch_size], dtype=torch.float32),
        )
        for i in range(0, noisy.shape[0], batch_size)
    ]


def _wrap(generator: Any, discriminator: Any) -> Any:
    """One module holding both networks, so one optimiser trains both."""
    from torch import nn

    wrapper = nn.Module()
    wrapper.generator = generator
    wrapper.discriminator = discriminator
    return wrapper


def _reverse(x: Any, weight: float) -> Any:
    """Identity forward; gradient multiplied by ``-weight`` backward.

    The discriminator's input from the generator goes through it, so one
    backward pass makes the discriminator minimise its real/fake cross-entropy
    while the generator maximises it (the GAN minimax game, as in
    domain-adversarial training), and one optimiser trains both.
    """
    return x.detach() + (x - x.detach()) * -weight


def train_denoiser(
    model: Any,
    clean: Any,
    emg: Any,
    *,
    val: tuple[np.ndarray, np.ndarray] | None = None,
    adversarial_weight: float = 0.0,
    autoencoder_weight: float = 0.0,
    gate_weight: float = 0.0,
    clean_fraction: float = 0.0,
    max_epochs: int = 30,
    batch_size: int = 64,
    lr: float = 2e-3,
    patience: int | None = 6,
    random_state: int = 0,
    checkpoint_path: Any = None,
    verbose: bool = False,
) -> dict[str, Any]:
    """Train a denoiser on fresh EEG + EMG mixtures each epoch.

    The loss is the mean squared error between output and clean segment, plus
    ``autoencoder_weight`` times the autoencoder's own error (AT-AT) and
    ``gate_weight`` times AT-AT's mean gate (a sparsity cost, so the
    transformer is targeted at contaminated patches only), plus
    ``adversarial_weight`` times the discriminator's cross-entropy, pushed up
    for the generator through a gradient reversal (AT-AT's adversarial term;
    a :class:`~neurokit_ai.artifacts.Discriminator` is created for it).
    The adversarial term is left out of the validation loss. Training uses
    :class:`~neurokit_ai.core.Trainer` (Adam, early stopping on the validation
    loss, best weights restored, optional atomic checkpoints).

    Parameters
    ----------
    model : torch.nn.Module
        A network from :func:`~neurokit_ai.artifacts.build_network`.
    clean, emg : array-like, shape (n, n_samples)
        Clean EEG and EMG segments.
    val : (noisy, clean) arrays, optional
        Fixed normalised validation mixtures for early stopping.
    adversarial_weight, autoencoder_weight, gate_weight : float
        Weights of the extra loss terms (the last two need AT-AT).
    clean_fraction : float
        Share of training inputs left without EMG (:class:`MixtureBatches`).
    max_epochs, batch_size, lr, patience, random_state, checkpoint_path, verbose
        Passed to :class:`~neurokit_ai.core.Trainer` / the batches.

    Returns
    -------
    dict
        ``history`` (Trainer's), ``train_seconds``, ``discriminator`` (or None).

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.artifacts import build_network, simulate_emg
    >>> rng = np.random.default_rng(0)
    >>> out = train_denoiser(build_network("atat", n_samples=64, patch=8),
    ...                      rng.normal(size=(16, 64)), simulate_emg(4, 64),
    ...                      max_epochs=1, adversarial_weight=0.1)
    >>> out["discriminator"] is not None
    True
    """
    import torch
    import torch.nn.functional as F

    from ..core import Trainer, seed_everything
    from ._nets import Discriminator

    check_scalar(adversarial_weight, "adversarial_weight", min_val=0)
    check_scalar(autoencoder_weight, "autoencoder_weight", min_val=0)
    check_scalar(gate_weight, "gate_weight", min_val=0)
    train = MixtureBatches(
        clean,
        emg,
        batch_size,
        clean_fraction=clean_fraction,
        random_state=random_state,
    )
    seed_everything(random_state)
    disc = Discriminator() if adversarial_weight > 0 else None
    wrapper = _wrap(model, disc)

    def loss_fn(module: Any, batch: Any) -> Any:
        device = next(module.parameters()).device
        y, x = (t.to(device) for t in batch)
        gen = module.generator
        if autoencoder_weight > 0 or gate_weight > 0:
            out, parts = gen(y, return_parts=True)
            extra = autoencoder_weight * F.mse_loss(parts["autoencoder"], x)
            extra = extra + gate_weight * parts["gate"].mean()
        else:
            out, extra = gen(y), 0.0
        loss = F.mse_loss(out, x) + extra
        if module.training and module.discriminator is not None:
            d_real = module.discriminator(x)
            d_fake = module.discriminator(_reverse(out, adversarial_weight))
            adv = F.binary_cross_entropy_with_logits(
                d_real, torch.ones_like(d_real)
            ) + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
            loss = loss + adv
        return loss

    trainer = Trainer(
        max_epochs=max_epochs,
        lr=lr,
        patience=patience,
        grad_clip=1.0,
        device="cpu",
        random_state=random_state,
        checkpoint_path=checkpoint_path,
        verbose=verbose,
    )
    val_batches = None
    if val is not None:
        val_batches = _fixed_batches(val[0], val[1], 256)
    start = time.perf_counter()
    history = trainer.fit(wrapper, train, loss_fn, val_data=val_batches)
    seconds = time.perf_counter() - start
    model.eval()
    return {"history": history, "train_seconds": seconds, "discriminator": disc}
