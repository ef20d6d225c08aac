"""A tiny transformer and a synthetic indirect-object task with a known circuit.

The task is indirect-object identification reduced to its skeleton: a
sequence ``[A, B, x, x, S, x, END]`` names two people (``A``, ``B``), fills in
random filler tokens ``x`` and names the subject ``S`` again (``S`` is ``A`` or
``B``); the answer at ``END`` is the other name, the indirect object. The
corrupted prompt puts a third name ``C`` at the ``S`` position, so the only
clean-vs-corrupt difference is there, and a model solving the task must move
the subject's identity from position 4 to ``END``: the heads that attend from
``END`` to ``S`` are the circuit, checkable from attention patterns alone.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..core import ValidationError
from ..core._validation import check_random_state, check_scalar

__all__ = [
    "HookPoint",
    "ToyTransformer",
    "IOITask",
    "make_ioi_task",
    "train_toy_ioi",
    "logit_difference",
]

IOI_LENGTH = 7
IOI_S_POSITION = 4
IOI_END_POSITION = 6


class HookPoint(nn.Module):
    """Identity module: a named place in a model's forward to cache or change.

    Examples
    --------
    >>> HookPoint()(torch.ones(2)).tolist()
    [1.0, 1.0]
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class _Attention(nn.Module):
    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)
        self.hook_pattern = HookPoint()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        h = self.n_heads

        def heads(proj: nn.Linear) -> torch.Tensor:
            return proj(x).view(b, t, h, d // h).transpose(1, 2)

        q, k, v = heads(self.q), heads(self.k), heads(self.v)
        scores = q @ k.transpose(-1, -2) / (d // h) ** 0.5
        causal = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
        pattern = self.hook_pattern(scores.masked_fill(causal, -1e9).softmax(-1))
        z = (pattern @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(z)


class _Block(nn.Module):
    def __init__(
        self, d_model: int, n_heads: int, d_mlp: int, layer_norm: bool = False
    ) -> None:
        super().__init__()
        self.hook_resid_pre = HookPoint()
        self.ln1 = nn.LayerNorm(d_model) if layer_norm else nn.Identity()
        self.attn = _Attention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model) if layer_norm else nn.Identity()
        self.mlp = nn.Sequential(
            nn.Linear(d_model, d_mlp), nn.GELU(), nn.Linear(d_mlp, d_model)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.hook_resid_pre(x)
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class ToyTransformer(nn.Module):
    """A small causal transformer with hook points (pre-LN optional).

    Head outputs are the input of each ``blocks.<i>.attn.out`` projection
    (:meth:`head_points` gives them for :class:`HookedModel`), attention
    patterns are ``blocks.<i>.attn.hook_pattern``, the residual stream entering
    block ``i`` is ``blocks.<i>.hook_resid_pre``, MLP outputs ``blocks.<i>.mlp``.

    Parameters
    ----------
    vocab_size, n_ctx : int
        Vocabulary size and maximum sequence length.
    d_model, n_heads, n_layers, d_mlp : int
        Width, heads per layer, layers and MLP width.
    layer_norm : bool
        Pre-LN blocks (``blocks.<i>.ln1``, ``ln2``) and a final ``ln_final``
        before the unembedding, as in GPT-2; without it every norm is an
        identity.

    Examples
    --------
    >>> model = ToyTransformer(10, 7, d_model=16, n_heads=2, n_layers=1)
    >>> tuple(model(torch.zeros(3, 7, dtype=torch.long)).shape)
    (3, 7, 10)
    >>> model.head_points()
    {'blocks.0.attn.out:input': 2}
    """

    def __init__(
        self,
        vocab_size: int,
        n_ctx: int,
        *,
        d_model: int = 32,
        n_heads: int = 4,
        n_layers: int = 2,
        d_mlp: int = 64,
        layer_norm: bool = False,
    ) -> None:
        super().__init__()
        for value, name in [
            (vocab_size, "vocab_size"),
            (n_ctx, "n_ctx"),
            (d_model, "d_model"),
            (n_heads, "n_heads"),
            (n_layers, "n_layers"),
            (d_mlp, "d_mlp"),
        ]:
            check_scalar(value, name, kind=int, min_val=1)
        if d_model % n_heads:
            raise ValidationError(
                f"d_model={d_model} is not divisible by n_heads={n_heads}; pick a "
                "width that is a multiple of the number of heads."
            )
        self.n_heads = n_heads
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos_embed = nn.Embedding(n_ctx, d_model)
        self.blocks = nn.ModuleList(
            _Block(d_model, n_heads, d_mlp, layer_norm) for _ in range(n_layers)
        )
        self.ln_final = nn.LayerNorm(d_model) if layer_norm else nn.Identity()
        self.unembed = nn.Linear(d_model, vocab_size, bias=False)

    def head_points(self) -> dict[str, int]:
        """Hook points holding per-head outputs, with their number of heads."""
        return {
            f"blocks.{i}.attn.out:input": self.n_heads for i in range(len(self.blocks))
        }

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.embed(tokens) + self.pos_embed(pos)
        for block in self.blocks:
            x = block(x)
        return self.unembed(self.ln_final(x))


class IOITask:
    """Clean and corrupted prompts of the synthetic IOI task.

    Attributes
    ----------
    clean, corrupt : torch.LongTensor
        ``(n, 7)`` token sequences; they differ only at position 4 (``S``).
    io, s : torch.LongTensor
        ``(n,)`` answer (indirect object) and subject tokens.
    n_names, vocab_size : int
        Names are tokens ``0 .. n_names - 1``; ``END`` is ``vocab_size - 1``.
    """

    def __init__(
        self, clean: Any, corrupt: Any, io: Any, s: Any, n_names: int, vocab_size: int
    ) -> None:
        self.clean, self.corrupt, self.io, self.s = clean, corrupt, io, s
        self.n_names = n_names
        self.vocab_size = vocab_size

    def __len__(self) -> int:
        return int(self.clean.shape[0])


def make_ioi_task(
    n: int, *, n_names: int = 8, n_fillers: int = 8, random_state: Any = None
) -> IOITask:
    """Draw ``n`` prompts ``[A, B, x, x, S, x, END]`` of the synthetic IOI task.

    Examples
    --------
    >>> task = make_ioi_task(5, random_state=0)
    >>> bool(((task.clean != task.corrupt).sum(1) == 1).all())
    True
    """
    check_scalar(n, "n", kind=int, min_val=1)
    check_scalar(n_names, "n_names", kind=int, min_val=3)
    check_scalar(n_fillers, "n_fillers", kind=int, min_val=1)
    rng = check_random_state(random_state)
    names = torch.from_numpy(
        rng.permuted(torch.arange(n_names).repeat(n, 1).numpy(), axis=1)[:, :3]
    )
    a, b, c = names.T
    subject_is_a = torch.from_numpy(rng.random(n) < 0.5)
    s = torch.where(subject_is_a, a, b)
    io = torch.where(subject_is_a, b, a)
    end = n_names + n_fillers
    fill = torch.from_numpy(rng.integers(n_names, n_names + n_fillers, (n, 3)))
    clean = torch.stack([a, b, fill[:, 0], fill[:, 1], s, fill[:, 2]], 1)
    clean = torch.cat([clean, torch.full((n, 1), end)], 1)
    corrupt = clean.clone()
    corrupt[:, IOI_S_POSITION] = c
    return IOITask(clean, corrupt, io, s, n_names, end + 1)


def logit_difference(logits: torch.Tensor, task: IOITask) -> torch.Tensor:
    """Mean of ``logit(IO) - logit(S)`` at the last position (the IOI metric).

    Examples
    --------
    >>> task = make_ioi_task(4, random_state=0)
    >>> float(logit_difference(torch.zeros(4, 7, task.vocab_size), task))
    0.0
    """
    last = logits[:, -1]
    rows = torch.arange(last.shape[0], device=last.device)
    return (last[rows, task.io] - last[rows, task.s]).mean()


def train_toy_ioi(
    *,
    n_train: int = 2048,
    n_epochs: int = 30,
    d_model: int = 32,
    n_heads: int = 4,
    n_layers: int = 2,
    layer_norm: bool = False,
    random_state: int = 0,
    verbose: bool = False,
) -> tuple[ToyTransformer, IOITask]:
    """Train a :class:`ToyTransformer` from scratch on the synthetic IOI task.

    Returns the trained model (in eval mode) and a held-out task of 256 prompts;
    ``layer_norm=True`` trains the pre-LN variant. Training runs on one CPU
    thread (faster for a model this small, and immune to oversubscribed cores);
    the thread count is restored afterwards.

    Examples
    --------
    >>> model, task = train_toy_ioi(n_train=512, n_epochs=2)
    >>> len(task)
    256
    """
    from ..core._trainer import Trainer, torch_threads

    check_scalar(n_train, "n_train", kind=int, min_val=64)
    train = make_ioi_task(n_train, random_state=random_state)
    held_out = make_ioi_task(256, random_state=random_state + 1)
    torch.manual_seed(random_state)
    model = ToyTransformer(
        train.vocab_size,
        IOI_LENGTH,
        d_model=d_model,
        n_heads=n_heads,
        n_layers=n_layers,
        layer_norm=layer_norm,
    )
    batches = [
        (train.clean[i : i + 128], train.io[i : i + 128])
        for i in range(0, n_train, 128)
    ]

    def loss_fn(net: nn.Module, batch: tuple) -> torch.Tensor:
        tokens, answer = batch
        return nn.functional.cross_entropy(net(tokens)[:, -1], answer)

    with torch_threads(1):
        Trainer(
            max_epochs=n_epochs,
            lr=3e-3,
            patience=None,
            device="cpu",
            random_state=random_state,
            verbose=verbose,
        ).fit(model, batches, loss_fn)
    return model.eval(), held_out
