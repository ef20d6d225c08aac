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
    and passes a softplus. The mask is either free (``readout="mask"``: one
    weight per pixel) or a normalised Gaussian bump of learned position and
    width (``readout="gaussian"``: three numbers per neuron, in the spirit of
    Lurz et al. 2021's Gaussian readout; the bump starts wide, so every
    neuron's position is pulled towards its receptive field from anywhere on
    the grid); ``offset`` (fixed at 0 for Poisson data) lets
    Gaussian responses go below zero. Stimuli enter in raw units and are
    standardised inside, so gradients with respect to the input are in the
    stimulus's own units.

    The core is convolutional, so a neuron's tuning lives in ``w_n`` and its
    location in the mask. ``forward(x, centred=True)`` moves every mask
    (bilinearly, zeros outside) by the offset of the neuron's receptive-field
    centre from the middle of the grid: every neuron then sees the stimulus
    as if it were centred on its own receptive field. The centres are the
    buffer ``rf_centres`` (set it with :meth:`receptive_field_centres`, as
    :class:`ConvResponseModel` does); where it is NaN, the mask's centre of
    mass (:meth:`mask_centres`) stands in.

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
    readout : {"gaussian", "mask"}
        Gaussian bump or free mask.

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
        readout: str = "gaussian",
    ) -> None:
        super().__init__()
        if readout not in ("mask", "gaussian"):
            raise ValueError(f"readout must be 'mask' or 'gaussian', got {readout!r}.")
        self.height, self.width, self.readout = height, width, readout
        self.core = nn.Sequential(
            nn.Conv2d(n_frames, n_features, kernel_size, padding=kernel_size // 2),
            nn.ELU(),
            nn.Conv2d(n_features, n_features, 3, padding=1),
            nn.ELU(),
        )
        if readout == "mask":
            self.mask = nn.Parameter(torch.full((n_neurons, height * width), 0.1))
            self.mask.data += 0.01 * torch.randn_like(self.mask)
        else:
            # in half-grid units (-1..1 spans the grid), so that optimiser
            # steps move a bump across the grid in tens of epochs, not hundreds
            self.position = nn.Parameter(0.1 * torch.randn(n_neurons, 2))
            self.log_width = nn.Parameter(
                torch.full((n_neurons,), float(max(height, width)) / 4).log()
            )
        self.features = nn.Parameter(0.1 * torch.randn(n_neurons, n_features))
        self.bias = nn.Parameter(torch.zeros(n_neurons))
        self.offset = nn.Parameter(torch.zeros(n_neurons), requires_grad=learn_offset)
        self.register_buffer("stimulus_mean", torch.tensor(float(stimulus_mean)))
        self.register_buffer("stimulus_std", torch.tensor(float(stimulus_std)))
        self.register_buffer("rf_centres", torch.full((n_neurons, 2), float("nan")))

    def sensitivity_maps(
        self, x: torch.Tensor, n_probes: int = 1, seed: int = 0
    ) -> torch.Tensor:
        """Where each neuron looks: ``E_n(q)``, shape ``(n_neurons, height, width)``.

        ``E_n(q)`` is the squared gradient of neuron ``n``'s response with
        respect to pixel ``q``, summed over frames and over the stimuli ``x``;
        squaring keeps ON–OFF cells' opposite-signed gradients. All neurons
        are mapped at once, one pixel at a time: for a direction ``v`` that is
        zero outside pixel ``q`` and random ±1 over its frames, the squared
        directional derivative (one double-backward pass) has expectation
        ``Σ_frames g²`` (Hutchinson's trick over frames; exact for one frame).

        Parameters
        ----------
        x : torch.Tensor, shape (n_stimuli, n_frames, height, width)
            Typical stimuli, e.g. some of the training set.
        n_probes : int
            Random sign patterns per pixel.
        seed : int
            Seed of the signs.

        Examples
        --------
        >>> net = CoreReadoutNetwork(1, 5, 5, n_neurons=2, n_features=2, kernel_size=3)
        >>> net.sensitivity_maps(torch.randn(8, 1, 5, 5)).shape
        torch.Size([2, 5, 5])
        """
        gen = torch.Generator().manual_seed(seed)
        x = x.detach().clone().requires_grad_(True)
        maps = torch.zeros(
            self.features.shape[0], self.height, self.width, dtype=torch.float64
        )
        with torch.enable_grad():
            out = self(x)
            # J^T v is linear in v, so its gradient along u with respect to v
            # is the directional derivative J u (double backward)
            dummy = torch.zeros_like(out, requires_grad=True)
            (pullback,) = torch.autograd.grad(out, x, dummy, create_graph=True)
            for _ in range(n_probes):
                for r in range(self.height):
                    for c in range(self.width):
                        direction = torch.zeros_like(x)
                        signs = torch.randint(0, 2, x.shape[:2], generator=gen)
                        direction[:, :, r, c] = signs.to(x) * 2 - 1
                        (slope,) = torch.autograd.grad(
                            pullback, dummy, direction, retain_graph=True
                        )
                        maps[:, r, c] += (slope.detach().double().cpu() ** 2).sum(0)
        return maps / n_probes

    def receptive_field_centres(
        self, x: torch.Tensor, n_probes: int = 1, seed: int = 0
    ) -> torch.Tensor:
        """Receptive-field centres seen through the model, ``(n_neurons, 2)``.

        The windowed centre of mass (mean shift) of each neuron's
        :meth:`sensitivity_maps`. Unlike the mask, this is where the neuron
        looks in the stimulus (the core's filters may sit off the mask). A
        plain centre of mass is pulled towards the middle of the grid by the
        small, noisy sensitivity far from the field (and by the border
        cutting the field), so it starts from the centre of mass of ``E²``
        and then repeats the centre of mass of ``E`` under a Gaussian window
        around the current centre, of width three times the spread of
        ``E²``: wide enough to hold the whole field, narrow enough to leave
        the far field out. Sizes come from the map, so no pixel scale is
        assumed.

        Parameters
        ----------
        x : torch.Tensor, shape (n_stimuli, n_frames, height, width)
            Typical stimuli, e.g. some of the training set.
        n_probes : int
            Random probes per pixel (see :meth:`sensitivity_maps`).
        seed : int
            Seed of the probes.

        Examples
        --------
        >>> net = CoreReadoutNetwork(1, 7, 7, n_neurons=2, n_features=2, kernel_size=3)
        >>> net.receptive_field_centres(torch.randn(8, 1, 7, 7)).shape
        torch.Size([2, 2])
        """
        maps = self.sensitivity_maps(x, n_probes, seed)
        flat = maps.flatten(1)
        rows = torch.arange(self.height, dtype=flat.dtype).repeat_interleave(self.width)
        cols = torch.arange(self.width, dtype=flat.dtype).repeat(self.height)

        def centre_of_mass(weight: torch.Tensor) -> torch.Tensor:
            weight = weight / weight.sum(dim=1, keepdim=True).clamp_min(1e-300)
            return torch.stack([weight @ rows, weight @ cols], dim=1)

        def sq_dist(centre: torch.Tensor) -> torch.Tensor:
            return (rows - centre[:, :1]) ** 2 + (cols - centre[:, 1:]) ** 2

        squared = flat**2
        centre = centre_of_mass(squared)
        weight = squared / squared.sum(dim=1, keepdim=True).clamp_min(1e-300)
        spread = ((weight * sq_dist(centre)).sum(dim=1, keepdim=True) / 2).sqrt()
        width = 3.0 * spread.clamp_min(1e-6)
        for _ in range(10):
            window = torch.exp(-sq_dist(centre) / (2 * width**2))
            centre = centre_of_mass(flat * window)
        return centre.float()

    def _centre_of_mass(self, weight: torch.Tensor) -> torch.Tensor:
        rows = torch.arange(self.height, dtype=weight.dtype, device=weight.device)
        cols = torch.arange(self.width, dtype=weight.dtype, device=weight.device)
        return torch.stack(
            [
                weight @ rows.repeat_interleave(self.width),
                weight @ cols.repeat(self.height),
            ],
            dim=1,
        )

    def _pixels(self) -> tuple[torch.Tensor, torch.Tensor]:
        device = self.features.device
        rows = torch.arange(self.height, dtype=torch.float32, device=device)
        cols = torch.arange(self.width, dtype=torch.float32, device=device)
        return rows.repeat_interleave(self.width), cols.repeat(self.height)

    def _bump_centres(self) -> torch.Tensor:
        half = torch.tensor(
            [(self.height - 1) / 2, (self.width - 1) / 2], device=self.position.device
        )
        return half + self.position * half.clamp_min(1.0)

    def _gaussian(self, position: torch.Tensor) -> torch.Tensor:
        rows, cols = self._pixels()
        d2 = (rows - position[:, :1]) ** 2 + (cols - position[:, 1:]) ** 2
        bump = torch.exp(-d2 / (2 * self.log_width.exp()[:, None] ** 2))
        return bump / bump.sum(dim=1, keepdim=True).clamp_min(1e-12)

    def spatial_masks(self) -> torch.Tensor:
        """Non-negative readout masks ``(n_neurons, height * width)``."""
        if self.readout == "gaussian":
            return self._gaussian(self._bump_centres())
        return self.mask.abs()

    def readout_penalty(self) -> torch.Tensor:
        """Mean absolute readout weight (masks, when free, and features)."""
        penalty = self.features.abs().mean()
        if self.readout == "mask":
            penalty = penalty + self.mask.abs().mean()
        return penalty

    def mask_centres(self) -> torch.Tensor:
        """Centre of mass of each squared mask, ``(n_neurons, 2)`` (row, column).

        Squaring makes the small weights the L1 penalty leaves far from the
        receptive field count little.
        """
        weight = self.spatial_masks().detach() ** 2
        weight = weight / weight.sum(dim=1, keepdim=True).clamp_min(1e-12)
        return self._centre_of_mass(weight)

    def centred_masks(self) -> torch.Tensor:
        """Masks moved by the offset of their neuron's centre from the middle.

        Returns ``(n_neurons, height * width)``; the centres are ``rf_centres``
        or, where NaN, :meth:`mask_centres`.
        """
        masks = self.spatial_masks().detach().view(-1, 1, self.height, self.width)
        centres = torch.where(
            torch.isnan(self.rf_centres), self.mask_centres(), self.rf_centres
        )
        shift = centres - torch.tensor(
            [(self.height - 1) / 2, (self.width - 1) / 2], device=masks.device
        )
        if self.readout == "gaussian":
            # the bump moves exactly; nothing is cut at the border
            return self._gaussian(self._bump_centres().detach() - shift).detach()
        rows = torch.arange(self.height, dtype=masks.dtype, device=masks.device)
        cols = torch.arange(self.width, dtype=masks.dtype, device=masks.device)
        # output pixel (i, j) of neuron n samples the mask at (i, j) + shift_n
        src_r = rows[None, :, None] + shift[:, 0, None, None]
        src_c = cols[None, None, :] + shift[:, 1, None, None]
        src_r, src_c = torch.broadcast_tensors(src_r, src_c)
        grid = torch.stack(
            [
                2 * src_c / max(self.width - 1, 1) - 1,
                2 * src_r / max(self.height - 1, 1) - 1,
            ],
            dim=-1,
        )
        moved = nn.functional.grid_sample(
            masks, grid, mode="bilinear", padding_mode="zeros", align_corners=True
        )
        return moved.flatten(1)

    def readout_weights(self, centred: bool = False) -> torch.Tensor:
        """Full readout matrix ``(n_neurons, n_features * height * width)``."""
        mask = self.centred_masks() if centred else self.spatial_masks()
        return (self.features[:, :, None] * mask[:, None, :]).flatten(1)

    def forward(self, x: torch.Tensor, centred: bool = False) -> torch.Tensor:
        z = self.core((x - self.stimulus_mean) / self.stimulus_std).flatten(1)
        drive = z @ self.readout_weights(centred).T + self.bias
        return nn.functional.softplus(drive) + self.offset
