"""Du-IN estimators: neural tokenizer (VQ-VAE), masked code modelling, word decoder."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin

from ..core import (
    NotFittedError,
    ValidationError,
    check_option,
    check_scalar,
)
from ..core._base import NeurokitEstimator, check_is_fitted
from ._checks import (
    check_channel_names,
    check_same_channels,
    check_trials,
    check_word_labels,
)

__all__ = ["NeuralTokenizer", "MaskedCodeModel", "WordDecoder", "top_k_accuracy"]

_ARCH = (
    "patch_len",
    "d_neural",
    "conv_channels",
    "d_model",
    "n_layers",
    "n_heads",
    "dropout",
)


def _check_arch(params: dict[str, Any], n_times: int) -> None:
    """Check the architecture and training parameters against the trial length."""
    check_scalar(params["patch_len"], "patch_len", kind=int, min_val=2)
    for name in ("d_neural", "conv_channels", "n_layers", "n_heads"):
        check_scalar(params[name], name, kind=int, min_val=1)
    check_scalar(params["d_model"], "d_model", kind=int, min_val=2)
    check_scalar(params["dropout"], "dropout", min_val=0, max_val=1, include_max=False)
    if params["d_model"] % params["n_heads"]:
        raise ValidationError(
            f"d_model={params['d_model']} must be a multiple of "
            f"n_heads={params['n_heads']}."
        )
    if n_times % params["patch_len"]:
        raise ValidationError(
            f"The trials have n_times={n_times}, not a multiple of "
            f"patch_len={params['patch_len']}; crop the trials or choose a "
            "patch_len that divides n_times."
        )


def _check_training(est: Any) -> None:
    for name in ("max_epochs", "batch_size"):
        check_scalar(getattr(est, name), name, kind=int, min_val=1)
    check_scalar(est.lr, "lr", min_val=0, include_min=False)
    check_scalar(est.weight_decay, "weight_decay", min_val=0)
    check_scalar(est.val_fraction, "val_fraction", min_val=0, max_val=0.5)
    if est.random_state is not None:
        check_scalar(
            est.random_state, "random_state", kind=(int, np.integer), min_val=0
        )
    check_option(est.verbose, "verbose", [True, False])


def _encoder_kw(params: dict[str, Any], n_channels: int, n_times: int) -> dict:
    kw = {k: params[k] for k in _ARCH}
    kw["conv_stride"] = max(1, params["patch_len"] // 10)
    kw["conv_kernel"] = 2 * kw["conv_stride"] + 1
    return {"n_channels": n_channels, "n_times": n_times, **kw}


def _standardise_fit(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=(0, 2), keepdims=True)[0]
    scale = X.std(axis=(0, 2), keepdims=True)[0]
    return mean, np.where(scale > 0, scale, 1.0).astype(np.float32)


def _loaders(
    tensors: list[Any], est: Any, stratify: np.ndarray | None = None
) -> tuple[Any, Any]:
    """Shuffled training batches and (optionally) a held-out validation split."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    n = tensors[0].shape[0]
    rng = np.random.default_rng(est.random_state)
    n_val = int(round(est.val_fraction * n))
    if n_val and stratify is not None:
        from sklearn.model_selection import train_test_split

        n_classes = np.unique(stratify).size
        n_val = max(n_val, n_classes)
        if n - n_val < n_classes or np.bincount(stratify).min() < 2:
            n_val = 0
        else:
            train_idx, val_idx = train_test_split(
                np.arange(n),
                test_size=n_val,
                stratify=stratify,
                random_state=est.random_state,
            )
    if n_val and stratify is None:
        perm = rng.permutation(n)
        val_idx, train_idx = perm[:n_val], perm[n_val:]
    if not n_val:
        train_idx, val_idx = np.arange(n), np.array([], dtype=int)
    bs = est.batch_size
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    train = DataLoader(
        TensorDataset(*[t[train_idx] for t in tensors]),
        batch_size=bs,
        shuffle=True,
        generator=gen,
        drop_last=len(train_idx) > bs,
    )
    val = None
    if len(val_idx):
        val = DataLoader(TensorDataset(*[t[val_idx] for t in tensors]), batch_size=bs)
    return train, val


def _trainer(est: Any, patience: int | None) -> Any:
    from ..core import Trainer

    return Trainer(
        max_epochs=est.max_epochs,
        lr=est.lr,
        optimizer="adamw",
        weight_decay=est.weight_decay,
        patience=patience,
        grad_clip=1.0,
        device=est.device,
        random_state=est.random_state,
        verbose=est.verbose,
    )


def _fit_classifier(est: Any, net: Any, Z: np.ndarray, y_idx: np.ndarray) -> dict:
    """Train ``net`` on ``Z`` with cross-entropy (stratified validation split)."""
    import torch
    from torch.nn import functional as F

    trainer = _trainer(est, est.patience)

    def loss_fn(net: Any, batch: Any) -> Any:
        xb, yb = (t.to(trainer.device_) for t in batch)
        return F.cross_entropy(net(xb), yb)

    tensors = [torch.as_tensor(Z), torch.as_tensor(y_idx, dtype=torch.long)]
    train, val = _loaders(tensors, est, stratify=y_idx)
    history = trainer.fit(net, train, loss_fn, val)
    net.cpu().eval()
    return history


class _TrialsModel(NeurokitEstimator):
    """Shared plumbing: input checks, per-channel z-scoring, batched inference."""

    def _prepare_fit(self, X: np.ndarray) -> np.ndarray:
        _check_training(self)
        self.n_channels_, self.n_times_ = X.shape[1], X.shape[2]
        self.mean_, self.scale_ = _standardise_fit(X)
        return (X - self.mean_) / self.scale_

    def _prepare(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "mean_")
        X = check_trials(X, "X")
        if X.shape[1:] != (self.n_channels_, self.n_times_):
            raise ValidationError(
                f"X has trials of shape {X.shape[1:]}, but {type(self).__name__} "
                f"was fitted on (n_channels, n_times)=({self.n_channels_}, "
                f"{self.n_times_}); pass trials of that shape."
            )
        return (X - self.mean_) / self.scale_

    def _batched(self, net: Any, X: np.ndarray, fn: Any) -> np.ndarray:
        import torch

        device = next(net.parameters()).device
        net.eval()
        out = []
        with torch.no_grad():
            for start in range(0, X.shape[0], 256):
                xb = torch.as_tensor(X[start : start + 256], device=device)
                out.append(fn(net, xb).cpu().numpy())
        return np.concatenate(out)


class NeuralTokenizer(_TrialsModel):
    """Du-IN neural tokenizer: a VQ-VAE turning patches of sEEG into discrete codes.

    The region's channels are fused by a learned linear projection, each
    temporal patch of ``patch_len`` samples becomes one token (1-D conv stack +
    transformer encoder), tokens are vector-quantised on a codebook of
    ``n_codes`` codes updated by exponential moving averages (commitment weight
    ``beta``; codes and tokens L2-normalised as in LaBraM/Du-IN; unused codes
    restarted), and a transformer decoder regresses the
    z-scored signal of every patch back from its codes. The loss is the
    reconstruction MSE plus the commitment loss.

    Parameters
    ----------
    patch_len : int
        Samples per patch (token); must divide the trial length.
    d_neural : int
        Number of fused "region" channels after the channel projection.
    conv_channels : int
        Width of the per-patch convolution stack.
    d_model, n_layers, n_heads : int
        Transformer width, depth and heads.
    dropout : float
        Dropout in the transformer.
    n_codes, code_dim : int
        Codebook size and code dimension.
    decay : float
        EMA decay of the codebook.
    beta : float
        Commitment weight.
    dead_threshold : float
        EMA usage count below which a code is restarted.
    max_epochs, batch_size : int
        Training length and batch size.
    lr, weight_decay : float
        AdamW settings.
    patience : int or None
        Early stopping on the validation loss.
    val_fraction : float
        Fraction of windows held out for early stopping.
    device : str
        ``"cpu"``, ``"cuda"`` or ``"auto"``.
    random_state : int
        Seed.
    verbose : bool
        Progress bar.

    Attributes
    ----------
    model_ : TokenizerNet
    history_ : dict
    perplexity_ : float
        Codebook perplexity on the training windows (``exp`` of the entropy of
        code usage; between 1 and ``n_codes``).
    windows_per_second_ : float
        Training throughput.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 40))
    >>> tok = NeuralTokenizer(patch_len=10, d_model=8, n_heads=2, n_layers=1,
    ...                       n_codes=8, max_epochs=1, verbose=False).fit(X)
    >>> tok.transform(X).shape
    (8, 4)
    """

    def __init__(
        self,
        patch_len: int = 50,
        d_neural: int = 16,
        conv_channels: int = 32,
        d_model: int = 64,
        n_layers: int = 2,
        n_heads: int = 4,
        dropout: float = 0.1,
        n_codes: int = 128,
        code_dim: int = 16,
        decay: float = 0.99,
        beta: float = 1.0,
        dead_threshold: float = 0.1,
        max_epochs: int = 30,
        batch_size: int = 32,
        lr: float = 1e-3,
        weight_decay: float = 0.0,
        patience: int | None = 10,
        val_fraction: float = 0.1,
        device: str = "cpu",
        random_state: int = 0,
        verbose: bool = True,
    ) -> None:
        self.patch_len = patch_len
        self.d_neural = d_neural
        self.conv_channels = conv_channels
        self.d_model = d_model
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.dropout = dropout
        self.n_codes = n_codes
        self.code_dim = code_dim
        self.decay = decay
        self.beta = beta
        self.dead_threshold = dead_threshold
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.patience = patience
        self.val_fraction = val_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def encoder_kw(self) -> dict[str, Any]:
        """Encoder architecture (for models that reuse the tokenizer's encoder)."""
        check_is_fitted(self, "model_")
        return _encoder_kw(self.get_params(), self.n_channels_, self.n_times_)

    def fit(self, X: Any, y: Any = None) -> NeuralTokenizer:
        """Train on unlabelled windows ``(n_windows, n_channels, n_times)``."""
        import torch
        from torch.nn import functional as F

        from ._layers import TokenizerNet

        check_scalar(self.n_codes, "n_codes", kind=int, min_val=2)
        check_scalar(self.code_dim, "code_dim", kind=int, min_val=1)
        check_scalar(self.decay, "decay", min_val=0, max_val=1, include_max=False)
        check_scalar(self.beta, "beta", min_val=0)
        check_scalar(self.dead_threshold, "dead_threshold", min_val=0)
        X = check_trials(X, "X")
        _check_arch(self.get_params(), X.shape[2])
        Z = self._prepare_fit(X)
        if self.random_state is not None:
            torch.manual_seed(self.random_state)
        self.model_ = TokenizerNet(
            _encoder_kw(self.get_params(), Z.shape[1], Z.shape[2]),
            self.n_codes,
            self.code_dim,
            self.decay,
            self.beta,
            self.dead_threshold,
        )

        def loss_fn(net: Any, batch: Any) -> Any:
            xb = batch[0].to(trainer.device_)
            rec, _, vq_loss = net(xb)
            return F.mse_loss(rec, xb) + vq_loss

        trainer = _trainer(self, self.patience)
        train, val = _loaders([torch.as_tensor(Z)], self)
        start = time.perf_counter()
        self.history_ = trainer.fit(self.model_, train, loss_fn, val)
        elapsed = time.perf_counter() - start
        n_epochs = len(self.history_["train_loss"])
        self.windows_per_second_ = n_epochs * len(train.dataset) / max(elapsed, 1e-9)
        self.model_.cpu().eval()
        self.perplexity_ = self._perplexity(Z)
        return self

    def _codes(self, Z: np.ndarray) -> np.ndarray:
        return self._batched(self.model_, Z, lambda net, xb: net.encode(xb)[1])

    def _perplexity(self, Z: np.ndarray) -> float:
        import torch

        from ._layers import codebook_perplexity

        counts = np.bincount(self._codes(Z).ravel(), minlength=self.n_codes)
        return codebook_perplexity(torch.as_tensor(counts, dtype=torch.float64))

    def transform(self, X: Any) -> np.ndarray:
        """Code index of every patch, ``(n_windows, n_patches)`` integers."""
        return self._codes(self._prepare(X))

    def code_usage(self, X: Any) -> np.ndarray:
        """How often each code is used on ``X`` (``(n_codes,)`` counts)."""
        return np.bincount(self.transform(X).ravel(), minlength=self.n_codes)

    def perplexity(self, X: Any) -> float:
        """Codebook perplexity on ``X`` (``exp`` of the entropy of code usage)."""
        return self._perplexity(self._prepare(X))

    def reconstruct(self, X: Any) -> np.ndarray:
        """The decoder's reconstruction of ``X``, in the units of ``X``."""
        Z = self._prepare(X)
        rec = self._batched(self.model_, Z, lambda net, xb: net(xb)[0])
        return rec * self.scale_ + self.mean_


class _SharesFittedParams:
    """``clone`` passes the fitted models named in ``_shared_params`` on as they are.

    scikit-learn's ``clone`` clones every estimator parameter unfitted, which
    would drop a pre-trained model. The models named here are only read (their
    weights are copied), so sharing them between clones is safe; the other
    parameters are cloned as usual.
    """

    _shared_params: tuple[str, ...] = ()

    def __sklearn_clone__(self) -> Any:
        from sklearn.base import clone

        params = self.get_params(deep=False)  # type: ignore[attr-defined]
        kept = {k: params.pop(k) for k in self._shared_params}
        fresh = {k: clone(v, safe=False) for k, v in params.items()}
        return type(self)(**fresh, **kept)


class MaskedCodeModel(_SharesFittedParams, _TrialsModel):
    """Du-IN masked code modelling: predict the tokenizer's codes of masked patches.

    A fresh encoder (same architecture as the tokenizer's) sees windows in
    which a ratio ``mask_ratio`` of patches is replaced by a learned mask
    token, and is trained with a cross-entropy over the ``n_codes`` codes at the
    masked positions only. The targets are the codes a frozen
    :class:`NeuralTokenizer` gives to the unmasked windows.

    Parameters
    ----------
    tokenizer : NeuralTokenizer or None
        A fitted tokenizer (used frozen), an unfitted one (fitted on ``X``
        first) or None (a default :class:`NeuralTokenizer`, fitted on ``X``).
        :func:`sklearn.base.clone` passes it on as it is (a fitted tokenizer
        stays fitted in cross-validation).
    mask_ratio : float
        Fraction of patches masked per window (at least one is).
    max_epochs, batch_size, lr, weight_decay, patience, val_fraction, device,
    random_state, verbose
        As in :class:`NeuralTokenizer`.

    Attributes
    ----------
    tokenizer_ : NeuralTokenizer
    net_ : MaskedCodeNet
    masked_accuracy_ : float
        Accuracy of the code predictions at masked positions on the training
        windows (chance is about ``1 / perplexity``).
    windows_per_second_ : float
        Training throughput.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 40))
    >>> tok = NeuralTokenizer(patch_len=10, d_model=8, n_heads=2, n_layers=1,
    ...                       n_codes=8, max_epochs=1, verbose=False)
    >>> mcm = MaskedCodeModel(tok, max_epochs=1, verbose=False).fit(X)
    >>> 0.0 <= mcm.masked_accuracy_ <= 1.0
    True
    """

    _shared_params = ("tokenizer",)

    def __init__(
        self,
        tokenizer: NeuralTokenizer | None = None,
        mask_ratio: float = 0.5,
        max_epochs: int = 30,
        batch_size: int = 32,
        lr: float = 1e-3,
        weight_decay: float = 0.0,
        patience: int | None = 10,
        val_fraction: float = 0.1,
        device: str = "cpu",
        random_state: int = 0,
        verbose: bool = True,
    ) -> None:
        self.tokenizer = tokenizer
        self.mask_ratio = mask_ratio
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.patience = patience
        self.val_fraction = val_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def _tokenizer(self, X: np.ndarray) -> NeuralTokenizer:
        from sklearn.base import clone

        tok = self.tokenizer
        if tok is None:
            tok = NeuralTokenizer(random_state=self.random_state, verbose=self.verbose)
        if not isinstance(tok, NeuralTokenizer):
            raise ValidationError(
                f"tokenizer must be a NeuralTokenizer or None, got "
                f"{type(tok).__name__}."
            )
        try:
            check_is_fitted(tok, "model_")
        except NotFittedError:
            tok = clone(tok).fit(X)
        return tok

    def fit(self, X: Any, y: Any = None) -> MaskedCodeModel:
        """Pre-train on unlabelled windows ``(n_windows, n_channels, n_times)``."""
        import torch

        from ._layers import MaskedCodeNet, masked_code_loss

        check_scalar(
            self.mask_ratio, "mask_ratio", min_val=0, max_val=1, include_min=False
        )
        X = check_trials(X, "X")
        self.tokenizer_ = self._tokenizer(X)
        Z = self._prepare_fit(X)
        codes = torch.as_tensor(self.tokenizer_.transform(X), dtype=torch.long)
        if self.random_state is not None:
            torch.manual_seed(self.random_state)
        self.net_ = MaskedCodeNet(self.tokenizer_.encoder_kw(), self.tokenizer_.n_codes)
        ratio = self.mask_ratio

        def draw_mask(b: int, p: int, device: Any) -> Any:
            mask = torch.rand(b, p, device=device) < ratio
            forced = torch.randint(0, p, (b,), device=device)
            mask[torch.arange(b, device=device), forced] = True
            return mask

        def loss_fn(net: Any, batch: Any) -> Any:
            xb, cb = (t.to(trainer.device_) for t in batch)
            mask = draw_mask(xb.shape[0], cb.shape[1], xb.device)
            return masked_code_loss(net(xb, mask), cb, mask)

        trainer = _trainer(self, self.patience)
        train, val = _loaders([torch.as_tensor(Z), codes], self)
        start = time.perf_counter()
        self.history_ = trainer.fit(self.net_, train, loss_fn, val)
        elapsed = time.perf_counter() - start
        n_epochs = len(self.history_["train_loss"])
        self.windows_per_second_ = n_epochs * len(train.dataset) / max(elapsed, 1e-9)
        self.net_.cpu().eval()
        gen = torch.Generator().manual_seed(0)
        mask = torch.rand(codes.shape, generator=gen) < ratio
        pred = self._masked_predictions(Z, mask)
        hit = pred[mask.numpy()] == codes.numpy()[mask.numpy()]
        self.masked_accuracy_ = float(hit.mean()) if hit.size else float("nan")
        return self

    def _masked_predictions(self, Z: np.ndarray, mask: Any) -> np.ndarray:
        import torch

        self.net_.eval()
        out = []
        with torch.no_grad():
            for start in range(0, Z.shape[0], 256):
                xb = torch.as_tensor(Z[start : start + 256])
                out.append(self.net_(xb, mask[start : start + 256]).argmax(-1).numpy())
        return np.concatenate(out)

    def encoder_state(self) -> dict[str, Any]:
        """The pre-trained encoder's weights (a state dict)."""
        check_is_fitted(self, "net_")
        return self.net_.encoder.state_dict()


class WordDecoder(_SharesFittedParams, ClassifierMixin, _TrialsModel):
    """Du-IN word classifier: (pre-trained) encoder + MLP head, fine-tuned end to end.

    Parameters
    ----------
    pretrained : MaskedCodeModel, NeuralTokenizer or None
        A fitted model whose encoder initialises this one (Du-IN "mae" or
        "vqvae"); its architecture then replaces the architecture parameters
        below. None trains from scratch (the ablation). It is only read:
        :func:`sklearn.base.clone` (``cross_val_score``, grid searches) passes it
        on as it is, so every clone starts from the same pre-training.
    patch_len, d_neural, conv_channels, d_model, n_layers, n_heads, dropout
        Architecture when ``pretrained`` is None (see :class:`NeuralTokenizer`).
    hidden : int
        Width of the MLP head.
    head_dropout : float
        Dropout in the head.
    max_epochs, batch_size, lr, weight_decay, patience, val_fraction, device,
    random_state, verbose
        Training (early stopping on a stratified validation split).

    Attributes
    ----------
    classes_ : ndarray
        The word labels.
    arch_ : dict
        The architecture used (the pre-trained model's when there is one).
    ch_names_ : list of str or None
        The channels of the training trials, when ``fit`` was given them;
        :func:`~neurokit_ai.speech.save_speech_model` keeps them, and the
        prediction methods refuse trials whose ``ch_names`` differ.
    net_ : ClassifierNet

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 10)
    >>> X = rng.normal(size=(20, 2, 20)) + 2.0 * y[:, None, None]
    >>> clf = WordDecoder(patch_len=10, d_model=8, n_heads=2, n_layers=1,
    ...                   max_epochs=10, verbose=False).fit(X, y)
    >>> clf.score(X, y) > 0.9
    True
    """

    _shared_params = ("pretrained",)

    def __init__(
        self,
        pretrained: Any = None,
        patch_len: int = 50,
        d_neural: int = 16,
        conv_channels: int = 32,
        d_model: int = 64,
        n_layers: int = 2,
        n_heads: int = 4,
        dropout: float = 0.1,
        hidden: int = 64,
        head_dropout: float = 0.3,
        max_epochs: int = 60,
        batch_size: int = 32,
        lr: float = 1e-3,
        weight_decay: float = 1e-2,
        patience: int | None = 15,
        val_fraction: float = 0.15,
        device: str = "cpu",
        random_state: int = 0,
        verbose: bool = True,
    ) -> None:
        self.pretrained = pretrained
        self.patch_len = patch_len
        self.d_neural = d_neural
        self.conv_channels = conv_channels
        self.d_model = d_model
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.dropout = dropout
        self.hidden = hidden
        self.head_dropout = head_dropout
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.patience = patience
        self.val_fraction = val_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def _source(self) -> tuple[dict[str, Any] | None, NeuralTokenizer | None]:
        pre = self.pretrained
        if pre is None:
            return None, None
        if isinstance(pre, MaskedCodeModel):
            check_is_fitted(pre, "net_")
            return pre.encoder_state(), pre.tokenizer_
        if isinstance(pre, NeuralTokenizer):
            check_is_fitted(pre, "model_")
            return pre.model_.encoder.state_dict(), pre
        raise ValidationError(
            "pretrained must be a fitted MaskedCodeModel, a fitted NeuralTokenizer "
            f"or None, got {type(pre).__name__}."
        )

    def fit(self, X: Any, y: Any, ch_names: Any = None) -> WordDecoder:
        """Fine-tune on labelled trials ``(n_trials, n_channels, n_times)``.

        ``ch_names`` (a list, or the Recording the trials were cut from) names
        the trials' channels; they are kept in ``ch_names_``.
        """
        import torch

        from ._layers import ClassifierNet

        X = check_trials(X, "X")
        y = check_word_labels(y, X.shape[0])
        names = check_channel_names(ch_names, X.shape[1])
        check_scalar(self.hidden, "hidden", kind=int, min_val=1)
        check_scalar(self.head_dropout, "head_dropout", min_val=0, max_val=1)
        state, tok = self._source()
        arch = self.get_params()
        if tok is not None:
            arch.update({k: getattr(tok, k) for k in _ARCH})
            if X.shape[1:] != (tok.n_channels_, tok.n_times_):
                raise ValidationError(
                    f"X has trials of shape {X.shape[1:]} but the pre-trained "
                    f"encoder expects (n_channels, n_times)=({tok.n_channels_}, "
                    f"{tok.n_times_}); use the same channels and window length."
                )
        _check_arch(arch, X.shape[2])
        self.arch_ = {k: arch[k] for k in _ARCH}
        self.ch_names_ = names
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        Z = self._prepare_fit(X)
        if self.random_state is not None:
            torch.manual_seed(self.random_state)
        self.net_ = ClassifierNet(
            _encoder_kw(arch, X.shape[1], X.shape[2]),
            len(self.classes_),
            self.hidden,
            self.head_dropout,
        )
        if state is not None:
            self.net_.encoder.load_state_dict(state)
        self.history_ = _fit_classifier(self, self.net_, Z, y_idx)
        return self

    def decision_function(self, X: Any, ch_names: Any = None) -> np.ndarray:
        """Class logits, ``(n_trials, n_classes)``.

        ``ch_names`` (a list, or the Recording the trials were cut from) must
        match ``ch_names_`` (same channels, same order) when both are known.
        """
        check_is_fitted(self, "net_")
        if ch_names is not None:
            X = check_trials(X, "X")
            names = check_channel_names(ch_names, X.shape[1])
            check_same_channels(names, self.ch_names_, "WordDecoder")
        return self._batched(self.net_, self._prepare(X), lambda net, xb: net(xb))

    def predict_proba(self, X: Any, ch_names: Any = None) -> np.ndarray:
        """Softmax probabilities, ``(n_trials, n_classes)`` in ``classes_`` order."""
        logits = self.decision_function(X, ch_names)
        logits = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X: Any, ch_names: Any = None) -> np.ndarray:
        """The most probable word of each trial (``ch_names`` as above)."""
        scores = self.decision_function(X, ch_names)
        return self.classes_[scores.argmax(axis=1)]


def top_k_accuracy(y_true: Any, proba: Any, classes: Any, k: int = 5) -> float:
    """Fraction of trials whose word is among the ``k`` most probable.

    Examples
    --------
    >>> top_k_accuracy([1, 0], [[0.2, 0.5, 0.3], [0.1, 0.6, 0.3]], [0, 1, 2], k=2)
    0.5
    """
    check_scalar(k, "k", kind=int, min_val=1)
    proba = np.asarray(proba, dtype=float)
    classes = np.asarray(classes)
    y_true = np.asarray(y_true)
    if y_true.ndim != 1 or y_true.size == 0:
        raise ValidationError(
            f"y_true must be a non-empty 1-D array of labels, got shape {y_true.shape}."
        )
    if proba.ndim != 2 or proba.shape != (y_true.shape[0], classes.shape[0]):
        raise ValidationError(
            f"proba must be (n_trials, n_classes)=({y_true.shape[0]}, "
            f"{classes.shape[0]}), got {proba.shape}."
        )
    if not np.isfinite(proba).all():
        raise ValidationError(
            "proba holds NaN or inf; pass the output of predict_proba."
        )
    unknown = np.setdiff1d(y_true, classes)
    if unknown.size:
        raise ValidationError(
            f"y_true holds labels {unknown[:5].tolist()} that are not in classes "
            f"{classes[:10].tolist()}; score on the words the model was fitted on."
        )
    top = np.argsort(-proba, axis=1)[:, : min(k, classes.size)]
    return float(np.mean([yt in classes[row] for yt, row in zip(y_true, top)]))
