"""The network of :class:`ConvResponseModel`: a shared core, factorised readouts."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["CoreReadoutNetwork"]


class CoreReadoutNetwork(nn.Module):
    """Convolutional core shared by all neurons, one factorised readout each.

    Frames are the input channels of two convolutions (ELU after each). Neuron
    ``n`` reads the core's output through a non-negative spatial mask
    ``|m_n|`` times a feature vector ``w_n`` (Klindt et al. 2017), adds a bias
    and passes a softplus; ``offset`` (fixed at 0 for Poisson data) lets
    Gaussian responses go below zero. Stimuli enter in raw units and are
    standardised inside, so gradients with respect to the input are in the
    stimulus's own units.

    Parameters
    ----------
    n_frames, height, width : int
        Stimulus shape.
    n_neurons, n_features, kernel_size : int
        Output count, core channels and first-layer kernel width.
    stimulus_mean, stimulus_std : float
        Input standardisation.
    learn_offset : bool
        Learn a per-neuron additive offset after the softplus.

    Examples
    --------
    >>> net = CoreReadoutNetwork(2, 6, 6, n_neurons=3, n_features=4, kernel_size=3)
    >>> net(torch.zeros(5, 2, 6, 6)).shape
    torch.Size([5, 3])
    """

    def __init__(
        self,
        n_frames: int,
        height: int,
        width: int,
        n_neurons: int,
        n_features: int = 16,
        kernel_size: int = 5,
        stimulus_mean: float = 0.0,
        stimulus_std: float = 1.0,
        learn_offset: bool = True,
    ) -> None:
        super().__init__()
        self.core = nn.Sequential(
            nn.Conv2d(n_frames, n_features, kernel_size, padding=kernel_size // 2),
            nn.ELU(),
            nn.Conv2d(n_features, n_features, 3, padding=1),
            nn.ELU(),
        )
        self.mask = nn.Parameter(torch.full((n_neurons, height * width), 0.1))
        self.mask.data += 0.01 * torch.randn_like(self.mask)
        self.features = nn.Parameter(0.1 * torch.randn(n_neurons, n_features))
        self.bias = nn.Parameter(torch.zeros(n_neurons))
        self.offset = nn.Parameter(torch.zeros(n_neurons), requires_grad=learn_offset)
        self.register_buffer("stimulus_mean", torch.tensor(float(stimulus_mean)))
        self.register_buffer("stimulus_std", torch.tensor(float(stimulus_std)))

    def readout_weights(self) -> torch.Tensor:
        """Full readout matrix ``(n_neurons, n_features * height * width)``."""
        return (self.features[:, :, None] * self.mask.abs()[:, None, :]).flatten(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.core((x - self.stimulus_mean) / self.stimulus_std).flatten(1)
        drive = z @ self.readout_weights().T + self.bias
        return nn.functional.softplus(drive) + self.offset
