"""Torch layers of Du-IN: region-fused patch tokenizer, transformer encoder, EMA VQ.

The architecture follows Zheng et al. (NeurIPS 2024, papers.md §2), scaled down
by its hyper-parameters: a linear projection fuses the channels of one region
(the "subject layer"), a 1-D convolution stack embeds each temporal patch into
one region-level token, a post-norm transformer encodes the token sequence, and
a vector quantiser with an exponential-moving-average codebook turns tokens into
discrete neural codes.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "PatchEncoder",
    "VectorQuantizerEMA",
    "TokenizerNet",
    "MaskedCodeNet",
    "ClassifierNet",
    "EEGNet",
    "codebook_perplexity",
    "masked_code_loss",
]


def codebook_perplexity(counts: torch.Tensor) -> float:
    """``exp`` of the entropy of the code-usage distribution (1 to ``n_codes``).

    Examples
    --------
    >>> round(codebook_perplexity(torch.tensor([5.0, 5.0, 0.0, 0.0])), 6)
    2.0
    """
    total = counts.sum()
    if total <= 0:
        return 0.0
    p = counts / total
    entropy = -(p[p > 0] * p[p > 0].log()).sum()
    return float(entropy.exp())


def masked_code_loss(
    logits: torch.Tensor, codes: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy of the predicted codes at the masked positions only.

    Parameters
    ----------
    logits : tensor, shape (batch, n_patches, n_codes)
    codes : long tensor, shape (batch, n_patches)
        The tokenizer's codes of the unmasked signal (the targets).
    mask : bool tensor, shape (batch, n_patches)
        True where the patch was masked.

    Examples
    --------
    >>> logits = torch.zeros(1, 2, 4); logits[0, 1, 3] = 10.0
    >>> mask = torch.tensor([[False, True]])
    >>> float(masked_code_loss(logits, torch.tensor([[0, 3]]), mask)) < 1e-3
    True
    """
    return F.cross_entropy(logits[mask], codes[mask])


class PatchEncoder(nn.Module):
    """Region fusion, per-patch convolutional tokens and a transformer encoder.

    Input ``(batch, n_channels, n_times)``, output ``(batch, n_patches,
    d_model)`` with ``n_patches = n_times // patch_len``. With ``mask`` (bool,
    ``(batch, n_patches)``) the masked tokens are replaced by a learned mask
    token before the transformer (masked modelling).
    """

    def __init__(
        self,
        n_channels: int,
        n_times: int,
        patch_len: int,
        d_neural: int = 16,
        conv_channels: int = 32,
        conv_kernel: int = 9,
        conv_stride: int = 5,
        d_model: int = 64,
        n_layers: int = 2,
        n_heads: int = 4,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.patch_len = patch_len
        self.n_patches = n_times // patch_len
        # region-level tokens: a learned linear mix of the region's channels
        self.fuse = nn.Conv1d(n_channels, d_neural, 1)
        self.conv = nn.Sequential(
            nn.Conv1d(
                d_neural, conv_channels, conv_kernel, conv_stride, conv_kernel // 2
            ),
            nn.BatchNorm1d(conv_channels),
            nn.GELU(),
            nn.Conv1d(conv_channels, conv_channels, 3, 1, 1),
            nn.BatchNorm1d(conv_channels),
            nn.GELU(),
            nn.Conv1d(conv_channels, 8, 3, 1, 1),
            nn.GELU(),
        )
        with torch.no_grad():
            flat = self.conv(torch.zeros(1, d_neural, patch_len)).numel()
        self.embed = nn.Linear(flat, d_model)
        self.mask_token = nn.Parameter(torch.zeros(d_model))
        self.pos = nn.Parameter(torch.randn(self.n_patches, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(
            d_model,
            n_heads,
            2 * d_model,
            dropout,
            activation="gelu",
            batch_first=True,
        )
        self.transformer = nn.TransformerEncoder(
            layer, n_layers, enable_nested_tensor=False
        )
        self.d_model = d_model

    def tokens(self, x: torch.Tensor) -> torch.Tensor:
        """Patch embeddings before the transformer, ``(batch, n_patches, d_model)``."""
        b = x.shape[0]
        z = self.fuse(x[..., : self.n_patches * self.patch_len])
        z = z.reshape(b, z.shape[1], self.n_patches, self.patch_len)
        z = z.permute(0, 2, 1, 3).reshape(b * self.n_patches, z.shape[1], -1)
        z = self.conv(z).reshape(b, self.n_patches, -1)
        return self.embed(z)

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        tok = self.tokens(x)
        if mask is not None:
            tok = torch.where(mask[..., None], self.mask_token.expand_as(tok), tok)
        return self.transformer(tok + self.pos)


class VectorQuantizerEMA(nn.Module):
    """Nearest-code vector quantiser with an EMA codebook and dead-code restarts.

    The codebook is not trained by gradient: each training step moves it
    towards the mean of the vectors assigned to each code,
    ``N_k <- d N_k + (1-d) n_k``, ``m_k <- d m_k + (1-d) sum(z_i in k)``,
    ``e_k = m_k / N~_k`` with Laplace-smoothed counts ``N~_k``. The returned
    loss is the commitment term ``beta * ||z - sg(e)||^2`` and the output uses
    the straight-through estimator ``z + sg(e - z)``. A code unused in the
    batch whose EMA count is below ``dead_threshold`` is restarted on a random
    vector of the batch (the first training batch also initialises the
    codebook, with zero counts, so unused initial codes move onto the data).

    Parameters
    ----------
    n_codes, code_dim : int
        Codebook size and code dimension.
    decay : float
        EMA decay ``d``.
    beta : float
        Commitment weight.
    dead_threshold : float
        EMA count under which a code is restarted (0 disables restarts).
    eps : float
        Laplace smoothing of the counts.
    normalize : bool
        L2-normalise the vectors and codes (cosine-similarity codebook, as in
        LaBraM and Du-IN), which guards against codebook collapse.
    """

    def __init__(
        self,
        n_codes: int,
        code_dim: int,
        decay: float = 0.99,
        beta: float = 1.0,
        dead_threshold: float = 1e-2,
        eps: float = 1e-5,
        normalize: bool = False,
    ) -> None:
        super().__init__()
        self.normalize = normalize
        self.n_codes, self.code_dim = n_codes, code_dim
        self.decay, self.beta, self.eps = decay, beta, eps
        self.dead_threshold = dead_threshold
        self.register_buffer("codebook", torch.randn(n_codes, code_dim))
        self.register_buffer("cluster_size", torch.ones(n_codes))
        self.register_buffer("embed_sum", self.codebook.clone())
        self.register_buffer("initialized", torch.tensor(False))
        self.register_buffer("usage", torch.zeros(n_codes))

    def assign(self, z: torch.Tensor) -> torch.Tensor:
        """Index of the nearest code of each row of ``z`` (``(n, code_dim)``)."""
        dist = (
            z.pow(2).sum(1, keepdim=True)
            - 2 * z @ self.codebook.T
            + self.codebook.pow(2).sum(1)[None]
        )
        return dist.argmin(1)

    @torch.no_grad()
    def _init_from(self, z: torch.Tensor) -> None:
        idx = torch.randint(0, z.shape[0], (self.n_codes,), device=z.device)
        self.codebook.copy_(z[idx])
        self.embed_sum.copy_(z[idx])
        self.cluster_size.zero_()
        self.initialized.fill_(True)

    @torch.no_grad()
    def ema_update(self, z: torch.Tensor, idx: torch.Tensor) -> None:
        """One EMA step of counts, sums and codes, then dead-code restarts."""
        onehot = F.one_hot(idx, self.n_codes).type(z.dtype)
        counts = onehot.sum(0)
        self.usage.add_(counts)
        self.cluster_size.mul_(self.decay).add_(counts, alpha=1 - self.decay)
        self.embed_sum.mul_(self.decay).add_(onehot.T @ z, alpha=1 - self.decay)
        n = self.cluster_size.sum()
        smoothed = (self.cluster_size + self.eps) / (n + self.n_codes * self.eps) * n
        codes = self.embed_sum / smoothed[:, None]
        self.codebook.copy_(F.normalize(codes, dim=1) if self.normalize else codes)
        dead = (self.cluster_size < self.dead_threshold) & (counts == 0)
        n_dead = int(dead.sum())
        if n_dead and self.dead_threshold > 0:
            pick = torch.randint(0, z.shape[0], (n_dead,), device=z.device)
            self.codebook[dead] = z[pick]
            self.embed_sum[dead] = z[pick] * self.dead_threshold
            self.cluster_size[dead] = self.dead_threshold

    def forward(
        self, z: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Quantise ``z`` (``(..., code_dim)``): straight-through output, codes, loss.

        In training mode the codebook takes one EMA step.
        """
        shape = z.shape
        flat = z.reshape(-1, self.code_dim)
        if self.normalize:
            flat = F.normalize(flat, dim=1)
        if self.training and not bool(self.initialized):
            self._init_from(flat.detach())
        idx = self.assign(flat.detach())
        if self.training:
            self.ema_update(flat.detach(), idx)
        quant = self.codebook[idx]
        loss = self.beta * F.mse_loss(flat, quant.detach())
        out = flat + (quant - flat).detach()
        return out.reshape(shape), idx.reshape(shape[:-1]), loss


class TokenizerNet(nn.Module):
    """The Du-IN VQ-VAE: encoder, quantiser, transformer decoder, patch regression."""

    def __init__(
        self,
        encoder_kw: dict[str, Any],
        n_codes: int,
        code_dim: int,
        decay: float,
        beta: float,
        dead_threshold: float,
        n_decoder_layers: int = 1,
    ) -> None:
        super().__init__()
        self.encoder = PatchEncoder(**encoder_kw)
        d = self.encoder.d_model
        self.to_code = nn.Linear(d, code_dim)
        self.vq = VectorQuantizerEMA(
            n_codes, code_dim, decay, beta, dead_threshold, normalize=True
        )
        self.from_code = nn.Linear(code_dim, d)
        layer = nn.TransformerEncoderLayer(
            d, encoder_kw["n_heads"], 2 * d, 0.0, activation="gelu", batch_first=True
        )
        self.decoder = nn.TransformerEncoder(
            layer, n_decoder_layers, enable_nested_tensor=False
        )
        self.n_channels = encoder_kw["n_channels"]
        self.head = nn.Linear(d, self.n_channels * self.encoder.patch_len)

    def encode(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Quantised tokens, codes ``(batch, n_patches)`` and the commitment loss."""
        return self.vq(self.to_code(self.encoder(x)))

    def forward(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        quant, codes, vq_loss = self.encode(x)
        h = self.decoder(self.from_code(quant) + self.encoder.pos)
        rec = self.head(h)  # (batch, n_patches, n_channels * patch_len)
        b, p = rec.shape[:2]
        rec = rec.reshape(b, p, self.n_channels, -1).permute(0, 2, 1, 3)
        return rec.reshape(b, self.n_channels, -1), codes, vq_loss


class MaskedCodeNet(nn.Module):
    """Encoder plus a linear head predicting each patch's code (masked modelling)."""

    def __init__(self, encoder_kw: dict[str, Any], n_codes: int) -> None:
        super().__init__()
        self.encoder = PatchEncoder(**encoder_kw)
        self.head = nn.Linear(self.encoder.d_model, n_codes)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(x, mask))


class ClassifierNet(nn.Module):
    """Encoder plus an MLP head on the flattened tokens (word classification)."""

    def __init__(
        self, encoder_kw: dict[str, Any], n_classes: int, hidden: int, dropout: float
    ) -> None:
        super().__init__()
        self.encoder = PatchEncoder(**encoder_kw)
        flat = self.encoder.n_patches * self.encoder.d_model
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(flat, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(x))


class EEGNet(nn.Module):
    """EEGNet (Lawhern et al. 2018): temporal, depthwise spatial and separable convs.

    Input ``(batch, n_channels, n_times)``; output class logits.
    """

    def __init__(
        self,
        n_channels: int,
        n_times: int,
        n_classes: int,
        f1: int = 8,
        depth: int = 2,
        f2: int = 16,
        kernel: int = 64,
        pool: int = 4,
        dropout: float = 0.25,
    ) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, f1, (1, kernel), padding=(0, kernel // 2), bias=False),
            nn.BatchNorm2d(f1),
            nn.Conv2d(f1, f1 * depth, (n_channels, 1), groups=f1, bias=False),
            nn.BatchNorm2d(f1 * depth),
            nn.ELU(),
            nn.AvgPool2d((1, pool)),
            nn.Dropout(dropout),
            nn.Conv2d(
                f1 * depth, f1 * depth, (1, 16), padding=(0, 8), groups=f1 * depth
            ),
            nn.Conv2d(f1 * depth, f2, 1, bias=False),
            nn.BatchNorm2d(f2),
            nn.ELU(),
            nn.AvgPool2d((1, 2 * pool)),
            nn.Dropout(dropout),
            nn.Flatten(),
        )
        with torch.no_grad():
            flat = self.features(torch.zeros(1, 1, n_channels, n_times)).shape[1]
        self.classifier = nn.Linear(flat, n_classes)
        self.n_flat = flat

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x[:, None]))


def n_parameters(module: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
