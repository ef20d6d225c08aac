"""A layer of spiking neurons with heterogeneous synaptic delays (HD-SNN).

Grimaldi & Perrinet (2023; papers.md section 12). The input is a binned event
stream ``A[p, t, y, x]`` (polarity ``p``: 0 OFF, 1 ON). Output neuron ``c``
(one per motion class) sitting at pixel ``(y, x)`` has one synapse per
(polarity, delay, offset): weight ``K[c, p, d, dy, dx]`` from pixel
``(y + dy, x + dx)`` of polarity ``p`` with a delay of ``d`` bins. Its input at
time ``t`` is the weighted, delayed event stream reaching its soma,

    C[c, t, y, x] = b[c] + Σ_{p, d, dy, dx} K[c, p, d, dy, dx]
                                            · A[p, t − d, y + dy, x + dx],

a causal 3-D convolution over (time, y, x), and

    Pr(class = c | t, y, x) = exp(C[c, t, y, x]) / Σ_k exp(C[k, t, y, x])

makes the layer a time-invariant multinomial logistic regression (the paper's
eq. 3), trained with cross-entropy against the motion label. The layer is
event-driven: a neuron is evaluated, and trained, only where an input event
reaches its own pixel in the present bin. (The paper trains at every position
of dense natural-image streams; on sparse stimuli such as single bars most
positions are empty, and dense training stayed at chance in our runs.) A
sample's class is the one with the largest mean log-probability over those
positions (the paper's "sum of the logits of independent observations"),
centred by its class-balanced mean over the training samples: background
events add a class-dependent constant to that mean which, in noisy streams,
outweighs the motion evidence (with 300 noise events per pixel per second the
uncentred decision stayed at chance where the centred one was perfect). A
neuron spikes where its class wins and its probability crosses a threshold.

The delays are learned with the weights: every delay ``0 .. n_delays − 1`` is
a candidate synapse, and :meth:`HeterogeneousDelayLayer.pruned` keeps the
largest ``|K|``, leaving each neuron a sparse set of synapses with
heterogeneous delays (:meth:`~HeterogeneousDelayLayer.synapses`);
:func:`pruning_curve` measures accuracy against the number kept. The paper's
two heuristics are options: a cone-shaped mask (the spatial radius grows with
the delay) and ON/OFF-flip invariance (the maximum of the evidence for the
stream and for its polarity-swapped copy).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin, clone

from ..core import DTypeError, ValidationError, check_array, check_option, check_scalar
from ..core._base import NeurokitEstimator, check_is_fitted

__all__ = [
    "HeterogeneousDelayLayer",
    "PRUNING_STRATEGIES",
    "cone_mask",
    "pruning_curve",
]

PRUNING_STRATEGIES = ("weight", "shortest")


def _check_events(X: Any, name: str = "X") -> np.ndarray:
    X = check_array(X, name, ndim=5, dtype=np.float32)
    if X.shape[1] != 2:
        raise ValidationError(
            f"{name} must have shape (n_samples, 2, n_bins, height, width) with "
            f"channel 0 = OFF and 1 = ON, got {X.shape}. Build it with "
            "EventStream.to_tensor or make_motion_dataset."
        )
    if X.min() < 0:
        raise ValidationError(
            f"{name} holds negative values ({X.min():g}); it must hold event counts."
        )
    return np.ascontiguousarray(X)


def _odd_pair(kernel_size: Any) -> tuple[int, int]:
    """``(kh, kw)`` from an odd int or a pair of odd ints, else ValidationError."""
    ks = kernel_size
    if isinstance(ks, (int, np.integer)):
        ks = (ks, ks)
    ks = tuple(ks) if isinstance(ks, (tuple, list, np.ndarray)) else ()
    if len(ks) != 2 or not all(
        isinstance(k, (int, np.integer))
        and not isinstance(k, bool)
        and k >= 1
        and k % 2 == 1
        for k in ks
    ):
        raise ValidationError(
            f"kernel_size must be an odd int >= 1 or a pair of them, got "
            f"{kernel_size!r}; e.g. 5 or (5, 7)."
        )
    return int(ks[0]), int(ks[1])


def cone_mask(n_delays: int, kernel_size: int | tuple[int, int]) -> np.ndarray:
    """The paper's cone prior: radius ``(d + 1) / n_delays`` of the kernel's half-size.

    Returns a boolean array ``(n_delays, kh, kw)``, True where delay ``d`` may
    connect offset ``(dy, dx)``: ``dy² + dx² <= r_d²`` with
    ``r_d = max(kh // 2, kw // 2) · (d + 1) / n_delays``. Events seen with a
    short delay must come from nearby pixels.

    Examples
    --------
    >>> cone_mask(2, (3, 3)).astype(int)[0]
    array([[0, 0, 0],
           [0, 1, 0],
           [0, 0, 0]])
    """
    check_scalar(n_delays, "n_delays", kind=int, min_val=1)
    kh, kw = _odd_pair(kernel_size)
    dy, dx = np.mgrid[-(kh // 2) : kh // 2 + 1, -(kw // 2) : kw // 2 + 1]
    radius = max(kh // 2, kw // 2) * (np.arange(n_delays) + 1.0) / n_delays
    return dy**2 + dx**2 <= radius[:, None, None] ** 2 + 1e-9


def _balanced_mean(scores: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Mean over classes of the per-class mean rows of ``scores``."""
    return np.mean([scores[codes == k].mean(axis=0) for k in np.unique(codes)], axis=0)


def _prune_order(kernel: np.ndarray, strategy: str) -> np.ndarray:
    """Flat indices of ``kernel`` from the first kept to the first pruned."""
    magnitude = np.abs(kernel).ravel()
    if strategy == "weight":
        return np.argsort(-magnitude, kind="stable")
    delay = np.broadcast_to(
        np.arange(kernel.shape[2])[None, None, :, None, None], kernel.shape
    ).ravel()
    return np.lexsort((-magnitude, delay))


def _prune_kernel(
    kernel: np.ndarray, keep_fraction: float, strategy: str
) -> np.ndarray:
    """Zero all but ``ceil(keep_fraction · size)`` weights chosen by ``strategy``."""
    n_keep = int(np.ceil(keep_fraction * kernel.size - 1e-9))
    mask = np.zeros(kernel.size, dtype=bool)
    mask[_prune_order(kernel, strategy)[:n_keep]] = True
    return np.where(mask.reshape(kernel.shape), kernel, 0.0)


def _delay_conv(
    n_classes: int,
    n_delays: int,
    kernel_size: tuple[int, int],
    mask: np.ndarray,
    polarity_invariant: bool,
) -> Any:
    """The layer as a torch module: masked Conv3d (+ optional ON/OFF max)."""
    import torch

    class DelayConv(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = torch.nn.Conv3d(2, n_classes, (n_delays, *kernel_size))
            with torch.no_grad():
                self.conv.weight.zero_()
                self.conv.bias.zero_()
            # conv index j along time multiplies bin t + j: delay n_delays - 1 - j
            flipped = np.ascontiguousarray(mask[::-1], dtype=np.float32)
            self.register_buffer("mask", torch.as_tensor(flipped))

        def forward(self, x: Any) -> Any:
            weight = self.conv.weight * self.mask
            out = torch.nn.functional.conv3d(x, weight, self.conv.bias)
            if polarity_invariant:
                flipped = torch.nn.functional.conv3d(x.flip(1), weight, self.conv.bias)
                out = torch.maximum(out, flipped)
            return out

    return DelayConv()


def _event_positions(x: Any, n_delays: int, kernel_size: tuple[int, int]) -> Any:
    """Where an event reaches each output neuron's own pixel in the present bin."""
    kh, kw = kernel_size
    height, width = x.shape[-2:]
    present = x.sum(1)[:, n_delays - 1 :]
    return present[:, :, kh // 2 : height - kh // 2, kw // 2 : width - kw // 2] > 0


class HeterogeneousDelayLayer(ClassifierMixin, NeurokitEstimator):
    """Spiking layer with one learned weight per (polarity, delay, dy, dx) synapse.

    Parameters
    ----------
    n_delays : int
        Number of synaptic delays, 0 .. ``n_delays − 1`` time bins.
    kernel_size : int or (int, int)
        Odd spatial extent ``(kh, kw)`` of each neuron's receptive field.
    mask : {None, "cone"}
        ``"cone"`` restricts short delays to nearby pixels (:func:`cone_mask`).
    polarity_invariant : bool
        Evidence is the maximum over the stream and its ON/OFF-swapped copy.
    alpha : float
        L2 penalty on the weights (Adam weight decay).
    lr : float
        Adam learning rate.
    max_epochs : int
        Passes over the training samples.
    batch_size : int
        Samples per gradient step.
    device : str
        ``"cpu"``, ``"cuda"`` or ``"auto"``.
    random_state : int or None
        Seeds the batch order (weights start at zero).
    verbose : bool
        Progress bar during training.

    Attributes
    ----------
    kernel_ : ndarray, shape (n_classes, 2, n_delays, kh, kw)
        ``K[class, polarity, delay, dy, dx]``: delay index ``d`` takes the input
        of ``d`` bins ago, ``dy, dx`` index offsets ``−(k − 1)/2 .. (k − 1)/2``
        from the neuron's pixel.
    intercept_ : ndarray, shape (n_classes,)
        Bias ``b[class]``.
    offset_ : ndarray, shape (n_classes,)
        Class-balanced mean over the training samples of the mean
        log-probabilities, subtracted by :meth:`decision_function`
        (:meth:`recenter` recomputes it, e.g. after pruning).
    classes_ : ndarray
        Class labels.
    history_ : dict
        Training loss per epoch.

    Examples
    --------
    >>> from neurokit_ai.spiking import make_motion_dataset
    >>> X, y = make_motion_dataset(16, 4, random_state=0)
    >>> layer = HeterogeneousDelayLayer(n_delays=3, kernel_size=3, max_epochs=5,
    ...                                 random_state=0).fit(X, y)
    >>> layer.kernel_.shape
    (4, 2, 3, 3, 3)
    """

    def __init__(
        self,
        n_delays: int = 5,
        kernel_size: int | tuple[int, int] = 5,
        mask: str | None = None,
        polarity_invariant: bool = False,
        alpha: float = 1e-4,
        lr: float = 0.005,
        max_epochs: int = 15,
        batch_size: int = 16,
        device: str = "cpu",
        random_state: int | None = None,
        verbose: bool = False,
    ) -> None:
        self.n_delays = n_delays
        self.kernel_size = kernel_size
        self.mask = mask
        self.polarity_invariant = polarity_invariant
        self.alpha = alpha
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def _spatial_size(self) -> tuple[int, int]:
        return _odd_pair(self.kernel_size)

    def _check_params(self, X_shape: Sequence[int]) -> tuple[int, int]:
        check_scalar(self.n_delays, "n_delays", kind=int, min_val=1)
        kh, kw = self._spatial_size()
        check_option(self.mask, "mask", [None, "cone"])
        check_option(self.polarity_invariant, "polarity_invariant", [True, False])
        check_scalar(self.alpha, "alpha", min_val=0)
        check_scalar(self.lr, "lr", min_val=0, include_min=False)
        check_scalar(self.max_epochs, "max_epochs", kind=int, min_val=1)
        check_scalar(self.batch_size, "batch_size", kind=int, min_val=1)
        if self.random_state is not None:
            check_scalar(self.random_state, "random_state", kind=(int, np.integer))
        check_option(self.verbose, "verbose", [True, False])
        _, _, n_bins, height, width = X_shape
        if n_bins < self.n_delays or height < kh or width < kw:
            raise ValidationError(
                f"The tensors (n_bins, height, width) = {(n_bins, height, width)} are "
                f"smaller than the kernel (n_delays, kh, kw) = "
                f"{(self.n_delays, kh, kw)}; use fewer delays or a smaller kernel."
            )
        return kh, kw

    def _module(self, n_classes: int) -> Any:
        """The untrained layer (zero weights, the mask from the parameters)."""
        kh, kw = self._spatial_size()
        mask = (
            cone_mask(self.n_delays, (kh, kw))
            if self.mask == "cone"
            else np.ones((self.n_delays, kh, kw), dtype=bool)
        )
        return _delay_conv(
            n_classes, self.n_delays, (kh, kw), mask, self.polarity_invariant
        )

    def _fitted_module(self) -> Any:
        """The layer with :attr:`kernel_` and :attr:`intercept_` (already masked)."""
        import torch

        kernel, bias = self.kernel_, self.intercept_
        n_classes, _, n_delays, kh, kw = kernel.shape
        mask = np.ones((n_delays, kh, kw), dtype=bool)
        module = _delay_conv(
            n_classes, n_delays, (kh, kw), mask, bool(self.polarity_invariant)
        )
        with torch.no_grad():
            weight = np.ascontiguousarray(kernel[:, :, ::-1], dtype=np.float32)
            module.conv.weight.copy_(torch.as_tensor(weight))
            module.conv.bias.copy_(torch.as_tensor(bias, dtype=torch.float32))
        return module

    def fit(self, X: Any, y: Any) -> HeterogeneousDelayLayer:
        """Learn weights and delays by logistic regression at the event positions.

        Parameters
        ----------
        X : array-like, shape (n_samples, 2, n_bins, height, width)
            Event tensors (channel 0 OFF, 1 ON).
        y : array-like, shape (n_samples,)
            Class (motion direction) of each sample, the label of all its
            positions.

        Returns
        -------
        self
        """
        import torch

        from ..core._trainer import Trainer

        X = _check_events(X)
        kh, kw = self._check_params(X.shape)
        y = np.asarray(y)
        if y.ndim != 1 or y.size != len(X):
            raise ValidationError(
                f"y must have one label per sample, shape ({len(X)},), got {y.shape}."
            )
        classes, codes = np.unique(y, return_inverse=True)
        if classes.size < 2:
            raise ValidationError(
                f"y holds a single class ({classes[0]!r}); give at least two."
            )
        Xt = torch.as_tensor(X)
        if not _event_positions(Xt, self.n_delays, (kh, kw)).any():
            raise ValidationError(
                "X has no event at any neuron's pixel after the first n_delays - 1 "
                "bins, so the layer has nothing to learn from; check the tensors "
                "(events in channel 0 OFF / 1 ON) or use fewer delays."
            )
        self.classes_ = classes
        module = self._module(classes.size)
        batches = _ShuffledBatches(
            Xt,
            torch.as_tensor(codes, dtype=torch.long),
            self.batch_size,
            self.random_state,
        )
        n_delays = self.n_delays

        def loss_fn(model: Any, batch: Any) -> Any:
            device = model.mask.device
            xb, yb = batch[0].to(device), batch[1].to(device)
            log_p = torch.nn.functional.log_softmax(model(xb), dim=1)
            target = yb.view(-1, 1, 1, 1, 1).expand(-1, 1, *log_p.shape[2:])
            picked = log_p.gather(1, target)[:, 0]
            where = _event_positions(xb, n_delays, (kh, kw)).to(picked.dtype)
            return -(picked * where).sum() / where.sum().clamp(min=1.0)

        trainer = Trainer(
            max_epochs=self.max_epochs,
            lr=self.lr,
            weight_decay=self.alpha,
            patience=None,
            device=self.device,
            random_state=self.random_state,
            verbose=self.verbose,
        )
        self.history_ = trainer.fit(module, batches, loss_fn)
        weight = (module.conv.weight * module.mask).detach().cpu().double().numpy()
        self.kernel_ = weight[:, :, ::-1].copy()
        self.intercept_ = module.conv.bias.detach().cpu().double().numpy()
        self.offset_ = _balanced_mean(self._mean_log_p(X), codes)
        return self

    def recenter(self, X: Any, y: Any) -> HeterogeneousDelayLayer:
        """Recompute :attr:`offset_` on labelled streams (e.g. after pruning).

        Parameters
        ----------
        X : array-like, shape (n_samples, 2, n_bins, height, width)
            Event tensors, typically the training ones.
        y : array-like, shape (n_samples,)
            Their classes; every class of :attr:`classes_` must occur.

        Returns
        -------
        self
        """
        X = self._check_predict(X)
        y = np.asarray(y)
        if y.shape != (len(X),):
            raise ValidationError(
                f"y must have one label per sample, shape ({len(X)},), got {y.shape}."
            )
        missing = np.setdiff1d(self.classes_, y)
        if missing.size or not np.all(np.isin(y, self.classes_)):
            raise ValidationError(
                f"y must hold every class of classes_ {self.classes_.tolist()} and "
                f"no other; missing {missing.tolist()}."
            )
        codes = np.searchsorted(self.classes_, y)
        self.offset_ = _balanced_mean(self._mean_log_p(X), codes)
        return self

    def _check_predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "kernel_")
        X = _check_events(X)
        _, n_delays, kh, kw = self.kernel_.shape[1:]
        if X.shape[2] < n_delays or X.shape[3] < kh or X.shape[4] < kw:
            raise ValidationError(
                f"X has (n_bins, height, width) = {X.shape[2:]}, smaller than the "
                f"kernel (n_delays, kh, kw) = {(n_delays, kh, kw)}."
            )
        return X

    def _forward(self, X: np.ndarray, fn: Any) -> np.ndarray:
        """Apply ``fn(evidence, event_positions)`` to chunks of ``X``."""
        import torch

        module = self._fitted_module()
        _, n_delays, kh, kw = self.kernel_.shape[1:]
        parts = []
        with torch.no_grad():
            for start in range(0, len(X), 64):
                xb = torch.as_tensor(X[start : start + 64])
                out = module(xb).double()
                parts.append(fn(out, _event_positions(xb, n_delays, (kh, kw))))
        return np.concatenate(parts)

    def evidence(self, X: Any) -> np.ndarray:
        """Input ``C[class, t, y, x]`` of every output neuron (logits with bias).

        Parameters
        ----------
        X : array-like, shape (n_samples, 2, n_bins, height, width)
            Event tensors.

        Returns
        -------
        ndarray, shape (n_samples, n_classes, n_out_bins, n_out_rows, n_out_cols)
            ``n_out_bins = n_bins − n_delays + 1``, ``n_out_rows = height − kh +
            1``, ``n_out_cols = width − kw + 1``. Output ``(t, y, x)`` is the
            neuron at input bin ``t + n_delays − 1`` (the present) and pixel
            ``(y + kh // 2, x + kw // 2)``.
        """
        X = self._check_predict(X)
        return self._forward(X, lambda out, where: out.numpy())

    def event_positions(self, X: Any) -> np.ndarray:
        """Output positions where an event reaches the neuron's own pixel now.

        Returns
        -------
        ndarray of bool, shape (n_samples, n_out_bins, n_out_rows, n_out_cols)
            Indexed as :meth:`evidence` without the class axis.
        """
        X = self._check_predict(X)
        return self._forward(X, lambda out, where: where.numpy())

    def decision_function(self, X: Any) -> np.ndarray:
        """Mean log-probability of each class over the event positions, centred.

        Returns
        -------
        ndarray, shape (n_samples, n_classes)
            Mean log-probability minus :attr:`offset_`; the mean is
            ``log(1 / n_classes)`` for a sample without any event position.
        """
        check_is_fitted(self, "offset_")
        return self._mean_log_p(self._check_predict(X)) - self.offset_

    def _mean_log_p(self, X: np.ndarray) -> np.ndarray:
        """Uncentred :meth:`decision_function` of checked tensors."""
        import torch

        def mean_log_p(out: Any, where: Any) -> np.ndarray:
            log_p = torch.nn.functional.log_softmax(out, dim=1)
            weight = where.unsqueeze(1).double()
            total = (log_p * weight).sum((2, 3, 4))
            count = weight.sum((2, 3, 4))
            uniform = -np.log(out.shape[1])
            return torch.where(count > 0, total / count.clamp(min=1.0), uniform).numpy()

        return self._forward(X, mean_log_p)

    def decision_over_time(self, X: Any) -> np.ndarray:
        """:meth:`decision_function` using only the events seen so far.

        Entry ``[:, t]`` averages the log-probabilities of the event positions
        of output bins ``0 .. t`` (input bins up to ``t + n_delays − 1``), less
        :attr:`offset_`: how fast the layer detects the motion.

        Returns
        -------
        ndarray, shape (n_samples, n_out_bins, n_classes)
            Centred as :meth:`decision_function`; the mean is
            ``log(1 / n_classes)`` until the first event position.

        Examples
        --------
        >>> import numpy as np
        >>> layer = HeterogeneousDelayLayer(n_delays=1, kernel_size=1)
        >>> layer.kernel_ = np.zeros((2, 2, 1, 1, 1)); layer.kernel_[1, 1] = 2.0
        >>> layer.intercept_ = np.zeros(2); layer.classes_ = np.array([0, 1])
        >>> layer.offset_ = np.zeros(2)
        >>> X = np.zeros((1, 2, 3, 1, 1)); X[0, 1, 1] = 1.0  # one ON event at bin 1
        >>> layer.decision_over_time(X)[0].argmax(axis=1).tolist()
        [0, 1, 1]
        """
        import torch

        check_is_fitted(self, "offset_")
        X = self._check_predict(X)

        def running_mean_log_p(out: Any, where: Any) -> np.ndarray:
            log_p = torch.nn.functional.log_softmax(out, dim=1)
            weight = where.unsqueeze(1).double()
            total = torch.cumsum((log_p * weight).sum((3, 4)), dim=2)
            count = torch.cumsum(weight.sum((3, 4)), dim=2)
            uniform = -np.log(out.shape[1])
            mean = torch.where(count > 0, total / count.clamp(min=1.0), uniform)
            return mean.transpose(1, 2).numpy()

        return self._forward(X, running_mean_log_p) - self.offset_

    def predict_proba(self, X: Any) -> np.ndarray:
        """Softmax of :meth:`decision_function`, shape (n_samples, n_classes)."""
        scores = self.decision_function(X)
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class of each sample."""
        scores = self.decision_function(X)
        return self.classes_[np.argmax(scores, axis=1)]

    def output_spikes(self, X: Any, threshold: float = 0.5) -> np.ndarray:
        """Spikes of the output neurons: winner-take-all over classes + threshold.

        A neuron spikes at a position and time where its class has the largest
        evidence and a softmax probability above ``threshold``.

        Returns
        -------
        ndarray of bool, shape as :meth:`evidence`
        """
        check_scalar(threshold, "threshold", min_val=0, max_val=1, include_max=False)
        a = self.evidence(X)
        a -= a.max(axis=1, keepdims=True)
        p = np.exp(a)
        p /= p.sum(axis=1, keepdims=True)
        winner = (
            np.argmax(a, axis=1)[:, None]
            == np.arange(a.shape[1])[None, :, None, None, None]
        )
        return winner & (p > threshold)

    @property
    def n_synapses_(self) -> int:
        """Number of non-zero weights of the kernel."""
        check_is_fitted(self, "kernel_")
        return int(np.count_nonzero(self.kernel_))

    def synapses(self) -> dict[str, np.ndarray]:
        """The layer as a list of synapses, strongest first.

        Returns
        -------
        dict of ndarray, one entry per non-zero weight
            ``neuron`` (class label), ``polarity`` (0 OFF, 1 ON), ``delay``
            (bins), ``dy``, ``dx`` (offset of the presynaptic pixel) and
            ``weight``, sorted by decreasing ``|weight|``.

        Examples
        --------
        >>> import numpy as np
        >>> layer = HeterogeneousDelayLayer(n_delays=2, kernel_size=1)
        >>> layer.classes_ = np.array(["left", "right"])
        >>> layer.kernel_ = np.zeros((2, 2, 2, 1, 1)); layer.kernel_[1, 1, 1] = 0.5
        >>> layer.intercept_ = np.zeros(2)
        >>> syn = layer.synapses()
        >>> syn["neuron"].tolist(), syn["delay"].tolist(), syn["weight"].tolist()
        (['right'], [1], [0.5])
        """
        check_is_fitted(self, "kernel_")
        kh, kw = self.kernel_.shape[3:]
        c, p, d, iy, ix = np.nonzero(self.kernel_)
        w = self.kernel_[c, p, d, iy, ix]
        order = np.argsort(-np.abs(w), kind="stable")
        return {
            "neuron": self.classes_[c[order]],
            "polarity": p[order],
            "delay": d[order],
            "dy": iy[order] - kh // 2,
            "dx": ix[order] - kw // 2,
            "weight": w[order],
        }

    def pruned(
        self, keep_fraction: float, strategy: str = "weight"
    ) -> HeterogeneousDelayLayer:
        """A copy keeping ``ceil(keep_fraction · size)`` of the weights.

        The copy keeps :attr:`offset_`; call its :meth:`recenter` on the
        training streams to re-centre its decisions.

        Parameters
        ----------
        keep_fraction : float
            Fraction of the kernel kept, in (0, 1].
        strategy : {"weight", "shortest"}
            Keep the largest ``|weights|`` (the paper's pruning), or the
            synapses with the shortest delays (largest ``|weight|`` among equal
            delays; the paper's "shortening" control).

        Examples
        --------
        >>> from neurokit_ai.spiking import make_motion_dataset
        >>> X, y = make_motion_dataset(16, 2, random_state=0)
        >>> layer = HeterogeneousDelayLayer(n_delays=2, kernel_size=3,
        ...                                 max_epochs=2).fit(X, y)
        >>> layer.pruned(0.1).n_synapses_ <= 8
        True
        """
        check_is_fitted(self, "kernel_")
        check_scalar(
            keep_fraction, "keep_fraction", min_val=0, max_val=1, include_min=False
        )
        check_option(strategy, "strategy", PRUNING_STRATEGIES)
        copy = clone(self)
        for name in ("classes_", "intercept_", "offset_", "history_"):
            if hasattr(self, name):
                setattr(copy, name, getattr(self, name))
        copy.kernel_ = _prune_kernel(self.kernel_, float(keep_fraction), strategy)
        return copy


class _ShuffledBatches:
    """Re-iterable mini-batches in a new random order each epoch."""

    def __init__(self, X: Any, y: Any, batch_size: int, seed: int | None) -> None:
        import torch

        self.X, self.y, self.batch_size = X, y, batch_size
        self.generator = torch.Generator().manual_seed(0 if seed is None else int(seed))

    def __iter__(self):
        import torch

        order = torch.randperm(len(self.X), generator=self.generator)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            yield self.X[idx], self.y[idx]


def pruning_curve(
    layer: HeterogeneousDelayLayer,
    X: Any,
    y: Any,
    keep_fractions: Sequence[float] = (1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001),
    strategy: str = "weight",
    X_train: Any = None,
    y_train: Any = None,
) -> dict[str, Any]:
    """Accuracy of a fitted layer as its synapses are pruned.

    Parameters
    ----------
    layer : HeterogeneousDelayLayer
        A fitted layer.
    X, y : array-like
        Test tensors and labels.
    keep_fractions : sequence of float
        Fractions of the weights kept, each in (0, 1].
    strategy : {"weight", "shortest"}
        As in :meth:`HeterogeneousDelayLayer.pruned`.
    X_train, y_train : array-like, optional
        Training streams: each pruned layer is re-centred on them
        (:meth:`HeterogeneousDelayLayer.recenter`); otherwise it keeps the
        unpruned layer's offset.

    Returns
    -------
    dict
        ``keep_fraction``, ``n_synapses`` (non-zero weights kept) and
        ``accuracy``, one entry per fraction in the order given; ``chance``
        (1 / n_classes).

    Examples
    --------
    >>> from neurokit_ai.spiking import make_motion_dataset
    >>> X, y = make_motion_dataset(16, 2, random_state=0)
    >>> layer = HeterogeneousDelayLayer(n_delays=2, kernel_size=3,
    ...                                 max_epochs=2).fit(X, y)
    >>> curve = pruning_curve(layer, X, y, [1.0, 0.01])
    >>> curve["n_synapses"].tolist(), curve["chance"]
    ([72, 1], 0.5)
    """
    if not isinstance(layer, HeterogeneousDelayLayer):
        raise DTypeError(
            f"layer must be a fitted HeterogeneousDelayLayer, got "
            f"{type(layer).__name__}."
        )
    check_is_fitted(layer, "kernel_")
    check_option(strategy, "strategy", PRUNING_STRATEGIES)
    fractions = check_array(keep_fractions, "keep_fractions", ndim=1)
    if fractions.min() <= 0 or fractions.max() > 1:
        raise ValidationError(
            f"keep_fractions must lie in (0, 1], got values in [{fractions.min():g}, "
            f"{fractions.max():g}]."
        )
    X = layer._check_predict(X)
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValidationError(
            f"y must have one label per sample, shape ({len(X)},), got {y.shape}."
        )
    unknown = np.setdiff1d(y, layer.classes_)
    if unknown.size:
        raise ValidationError(
            f"y holds labels {unknown.tolist()[:5]} the layer was not trained on "
            f"(classes_ {layer.classes_.tolist()}); pass the test streams' labels "
            "in the training labels' coding."
        )
    if (X_train is None) != (y_train is None):
        raise ValidationError("Give both X_train and y_train, or neither.")
    if X_train is not None:
        X_train = layer._check_predict(X_train)
    accuracy, n_synapses = [], []
    for keep in fractions:
        pruned = layer.pruned(float(keep), strategy)
        if X_train is not None:
            pruned.recenter(X_train, y_train)
        accuracy.append(float(np.mean(pruned.predict(X) == y)))
        n_synapses.append(pruned.n_synapses_)
    return {
        "keep_fraction": fractions,
        "n_synapses": np.array(n_synapses),
        "accuracy": np.array(accuracy),
        "chance": 1.0 / layer.classes_.size,
    }
