"""Torch denoisers: AT-AT (autoencoder-targeted transformer), its discriminator,
and the neural baselines (1-D CNN, plain transformer).

Every network maps a batch of normalised single-channel segments
``(batch, n_samples)`` to denoised segments of the same shape.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

__all__ = [
    "ConvAutoencoder",
    "ATATNet",
    "Discriminator",
    "CNNDenoiser",
    "TransformerDenoiser",
    "count_parameters",
    "build_network",
]


def count_parameters(module: nn.Module) -> int:
    """Number of trainable parameters.

    Examples
    --------
    >>> count_parameters(torch.nn.Linear(3, 2))
    8
    """
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


class ConvAutoencoder(nn.Module):
    """Light 1-D convolutional autoencoder (8x temporal compression)."""

    def __init__(self, width: int = 16) -> None:
        super().__init__()
        half = width // 2
        self.encoder = nn.Sequential(
            nn.Conv1d(1, half, 7, stride=2, padding=3),
            nn.GELU(),
            nn.Conv1d(half, width, 7, stride=2, padding=3),
            nn.GELU(),
            nn.Conv1d(width, width, 5, stride=2, padding=2),
            nn.GELU(),
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose1d(width, width, 4, stride=2, padding=1),
            nn.GELU(),
            nn.ConvTranspose1d(width, half, 4, stride=2, padding=1),
            nn.GELU(),
            nn.ConvTranspose1d(half, 1, 4, stride=2, padding=1),
        )

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(y[:, None, :]))[:, 0, :]


def _patch_corr(y: torch.Tensor, a: torch.Tensor, patch: int) -> torch.Tensor:
    """Pearson correlation of ``y`` and ``a`` within each patch: (batch, n_patches)."""
    yp = y.reshape(y.shape[0], -1, patch)
    ap = a.reshape(a.shape[0], -1, patch)
    yp = yp - yp.mean(-1, keepdim=True)
    ap = ap - ap.mean(-1, keepdim=True)
    num = (yp * ap).sum(-1)
    den = torch.sqrt((yp**2).sum(-1) * (ap**2).sum(-1) + 1e-8)
    return num / den


class ATATNet(nn.Module):
    """AT-AT generator: a light autoencoder targets where a small transformer acts.

    1. The autoencoder gives a first clean estimate ``a(y)``.
    2. Its correlation with the input in each patch of ``patch`` samples is the
       noise proxy: a patch where the input departs from the smooth estimate
       (low correlation) is contaminated. The gate
       ``g = sigmoid((1 - corr - threshold) / 0.1)`` (``threshold`` learned)
       scores each patch.
    3. A transformer over the patches of ``[y, a(y)]`` predicts a correction
       ``r``; the output is ``a(y) + g * r``. In evaluation mode, segments whose
       largest gate is below ``skip_below`` skip the transformer altogether,
       which is where the targeting saves computation.

    Parameters
    ----------
    n_samples : int
        Segment length (a multiple of ``patch`` and of 8).
    patch : int
        Samples per transformer token.
    d_model, n_layers, n_heads, dim_ff : int
        Transformer size.
    ae_width : int
        Autoencoder channels.
    skip_below : float
        Gate level under which a segment skips the transformer at inference.
    """

    def __init__(
        self,
        n_samples: int = 512,
        patch: int = 16,
        d_model: int = 32,
        n_layers: int = 2,
        n_heads: int = 4,
        dim_ff: int = 64,
        ae_width: int = 16,
        skip_below: float = 0.02,
    ) -> None:
        super().__init__()
        self.patch = patch
        self.skip_below = skip_below
        self.autoencoder = ConvAutoencoder(ae_width)
        self.threshold = nn.Parameter(torch.tensor(0.1))
        self.embed = nn.Linear(2 * patch + 1, d_model)
        self.pos = nn.Parameter(torch.zeros(1, n_samples // patch, d_model))
        layer = nn.TransformerEncoderLayer(
            d_model, n_heads, dim_ff, dropout=0.0, batch_first=True, norm_first=True
        )
        self.transformer = nn.TransformerEncoder(
            layer, n_layers, enable_nested_tensor=False
        )
        self.head = nn.Linear(d_model, patch)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def gate(self, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        """Contamination score in [0, 1] per patch, ``(batch, n_patches)``."""
        corr = _patch_corr(y, a, self.patch)
        return torch.sigmoid((1.0 - corr - self.threshold) / 0.1)

    def _refine(
        self, y: torch.Tensor, a: torch.Tensor, g: torch.Tensor
    ) -> torch.Tensor:
        b, n = y.shape
        tokens = torch.cat(
            [y.reshape(b, -1, self.patch), a.reshape(b, -1, self.patch), g[..., None]],
            dim=-1,
        )
        h = self.transformer(self.embed(tokens) + self.pos)
        return self.head(h).reshape(b, n)

    def forward(self, y: torch.Tensor, return_parts: bool = False) -> Any:
        a = self.autoencoder(y)
        g = self.gate(y, a)
        corr = torch.zeros_like(y)
        if self.training:
            routed = torch.ones(y.shape[0], dtype=torch.bool, device=y.device)
        else:
            routed = g.amax(dim=1) >= self.skip_below
        if routed.any():
            r = self._refine(y[routed], a[routed], g[routed])
            corr[routed] = torch.repeat_interleave(g[routed], self.patch, dim=1) * r
        out = a + corr
        if return_parts:
            return out, {"autoencoder": a, "gate": g, "routed": routed}
        return out


class Discriminator(nn.Module):
    """Small convolutional critic: clean EEG segment (1) or denoised output (0)."""

    def __init__(self, width: int = 16) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, width // 2, 7, stride=2, padding=3),
            nn.LeakyReLU(0.2),
            nn.Conv1d(width // 2, width, 7, stride=2, padding=3),
            nn.LeakyReLU(0.2),
            nn.Conv1d(width, width, 7, stride=4, padding=3),
            nn.LeakyReLU(0.2),
            nn.AdaptiveAvgPool1d(1),
            nn.Flatten(),
            nn.Linear(width, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x[:, None, :])[:, 0]


class CNNDenoiser(nn.Module):
    """Residual fully-convolutional 1-D CNN baseline (predicts the artifact)."""

    def __init__(self, width: int = 32, n_layers: int = 5, kernel: int = 7) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv1d(1, width, kernel, padding=kernel // 2)]
        for _ in range(n_layers):
            layers += [
                nn.BatchNorm1d(width),
                nn.ReLU(),
                nn.Conv1d(width, width, kernel, padding=kernel // 2),
            ]
        layers += [nn.ReLU(), nn.Conv1d(width, 1, kernel, padding=kernel // 2)]
        self.net = nn.Sequential(*layers)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        return y - self.net(y[:, None, :])[:, 0]


class TransformerDenoiser(nn.Module):
    """Plain patch transformer baseline (no autoencoder, no targeting)."""

    def __init__(
        self,
        n_samples: int = 512,
        patch: int = 16,
        d_model: int = 128,
        n_layers: int = 4,
        n_heads: int = 8,
        dim_ff: int = 256,
    ) -> None:
        super().__init__()
        self.patch = patch
        self.embed = nn.Linear(patch, d_model)
        self.pos = nn.Parameter(torch.zeros(1, n_samples // patch, d_model))
        layer = nn.TransformerEncoderLayer(
            d_model, n_heads, dim_ff, dropout=0.0, batch_first=True, norm_first=True
        )
        self.transformer = nn.TransformerEncoder(
            layer, n_layers, enable_nested_tensor=False
        )
        self.head = nn.Linear(d_model, patch)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        b, n = y.shape
        h = self.transformer(self.embed(y.reshape(b, -1, self.patch)) + self.pos)
        return self.head(h).reshape(b, n)


_NETWORKS = {
    "atat": ATATNet,
    "cnn": CNNDenoiser,
    "transformer": TransformerDenoiser,
}


def build_network(kind: str, **config: Any) -> nn.Module:
    """Instantiate ``"atat"``, ``"cnn"`` or ``"transformer"`` with ``config``.

    Examples
    --------
    >>> count_parameters(build_network("atat")) < 30_000
    True
    """
    from ..core import check_option

    check_option(kind, "kind", list(_NETWORKS))
    return _NETWORKS[kind](**config)
