"""A predictive model of population responses: stimulus clips → responses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..core import ValidationError, check_option, check_scalar
from ..core._base import NeurokitRegressor, check_is_fitted
from ._checks import check_response_matrix, check_stimuli, check_varying_units

__all__ = ["ConvResponseModel", "neuron_correlations"]


def neuron_correlations(observed: Any, predicted: Any) -> np.ndarray:
    """Pearson correlation between observed and predicted responses, per neuron.

    Parameters
    ----------
    observed, predicted : array-like, shape (n_stimuli, n_neurons)

    Returns
    -------
    ndarray, shape (n_neurons,)
        NaN where either column is constant.

    Examples
    --------
    >>> y = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 0.0]])
    >>> neuron_correlations(y, y).tolist()
    [1.0, 1.0]
    """
    obs = check_response_matrix(observed, "observed")
    pred = check_response_matrix(predicted, "predicted", n_rows=obs.shape[0])
    if pred.shape != obs.shape:
        raise ValidationError(
            f"predicted has shape {pred.shape} but observed has {obs.shape}; give "
            "the same stimuli and neurons to both."
        )
    a = obs - obs.mean(axis=0)
    b = pred - pred.mean(axis=0)
    denom = np.sqrt((a**2).sum(axis=0) * (b**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, (a * b).sum(axis=0) / denom, np.nan)


class _Batches:
    """Re-iterable shuffled mini-batches of (stimuli, responses) tensors."""

    def __init__(self, x: Any, y: Any, batch_size: int, seed: int | None) -> None:
        self.x, self.y, self.batch_size = x, y, batch_size
        self.rng = np.random.default_rng(seed)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        order = self.rng.permutation(len(self.x))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            yield self.x[idx], self.y[idx]


class ConvResponseModel(NeurokitRegressor):
    """Predict a population's responses to stimuli with a shared convolutional core.

    The network (:class:`CoreReadoutNetwork`) has a two-layer convolutional
    core shared by all neurons (frames are its input channels) and a
    factorised readout per neuron: a non-negative spatial mask (a Gaussian
    bump by default, or free) times a feature vector (Klindt et al. 2017).
    It is trained with
    :class:`neurokit_ai.core.Trainer` (Adam, early stopping on a random
    held-out part of the stimuli) under a Gaussian (mean squared error on
    responses scaled to unit standard deviation) or Poisson loss, plus an L1
    penalty on the readouts.

    Parameters
    ----------
    n_features : int
        Channels of the core.
    kernel_size : int
        Width of the first convolution (odd).
    loss : {"gaussian", "poisson"}
        Gaussian for calcium-like responses; Poisson for spike counts (which
        must be non-negative).
    readout : {"gaussian", "mask"}
        Spatial part of each readout: a Gaussian bump of learned position
        and width (three numbers per neuron) or a free non-negative mask (one
        weight per pixel). The bump has far fewer weights to learn from noisy
        responses: on the mosaic retina at noise 2 (benchmarks/
        mds_noise_levels.py) the predictions correlate about 0.93 with the
        noise-free rates, against about 0.8 for free masks.
    readout_l1 : float
        L1 penalty on the readout masks (when free) and feature weights.
    max_epochs, lr, batch_size, patience : int, float, int, int
        Training settings.
    validation_fraction : float
        Share of the stimuli held out for early stopping and
        :attr:`validation_correlation_`.
    random_state : int
        Seed of the split, initialisation and batch order.
    device : str
        Torch device used for training; the fitted network is moved to CPU.
    verbose : bool
        Show the training progress bar.

    Attributes
    ----------
    module_ : CoreReadoutNetwork
        The trained network (CPU, evaluation mode).
    stimulus_shape_ : tuple of int
        Shape of one stimulus as given to :meth:`fit`.
    n_neurons_ : int
        Number of neurons.
    validation_correlation_ : ndarray, shape (n_neurons,)
        Held-out correlation of prediction and response per neuron.
    readout_weights_ : ndarray, shape (n_neurons, n_features)
        Feature weights times the mask's total weight (readout features).
    stimulus_mean_, stimulus_norm_ : float
        Mean pixel value and median L2 norm of the centred training stimuli.
    stimulus_range_ : tuple of float
        Smallest and largest training pixel value.
    response_mean_, response_std_ : ndarray, shape (n_neurons,)
        Mean and standard deviation of the predictions on the training
        stimuli (the normalisation used by :class:`MDSClustering`).
    centred_response_mean_, centred_response_std_ : ndarray, shape (n_neurons,)
        The same for the predictions with centred readouts
        (``predict(X, centred=True)``).
    receptive_field_centres_ : ndarray, shape (n_neurons, 2)
        Where each neuron's receptive field is (row, column, pixels): the
        windowed centre of mass of its squared response gradient over up to
        256 training stimuli (see
        :meth:`CoreReadoutNetwork.receptive_field_centres`); centred
        predictions move the readouts by its offset from the grid's middle.
    history_ : dict
        The Trainer's loss history.

    Examples
    --------
    >>> from neurokit_ai.datasets._retina import simulate_retina
    >>> sim = simulate_retina(n_neurons=20, n_types=2, n_stimuli=300,
    ...                       noise_level=0.3, random_state=0)
    >>> model = ConvResponseModel(max_epochs=60).fit(sim.stimuli, sim.responses)
    >>> bool(np.median(model.validation_correlation_) > 0.6)
    True
    """

    def __init__(
        self,
        n_features: int = 16,
        kernel_size: int = 5,
        loss: str = "gaussian",
        readout: str = "gaussian",
        readout_l1: float = 1e-3,
        max_epochs: int = 200,
        lr: float = 5e-3,
        batch_size: int = 128,
        patience: int = 15,
        validation_fraction: float = 0.2,
        random_state: int = 0,
        device: str = "cpu",
        verbose: bool = False,
    ) -> None:
        self.n_features = n_features
        self.kernel_size = kernel_size
        self.loss = loss
        self.readout = readout
        self.readout_l1 = readout_l1
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.random_state = random_state
        self.device = device
        self.verbose = verbose

    def _check_params(self) -> None:
        check_scalar(self.n_features, "n_features", kind=int, min_val=1)
        check_scalar(self.kernel_size, "kernel_size", kind=int, min_val=1)
        if self.kernel_size % 2 == 0:
            raise ValidationError(
                f"kernel_size must be odd (so the core keeps the grid's size), got "
                f"{self.kernel_size}; use {self.kernel_size + 1}."
            )
        check_option(self.loss, "loss", ["gaussian", "poisson"])
        check_option(self.readout, "readout", ["gaussian", "mask"])
        check_scalar(self.readout_l1, "readout_l1", min_val=0.0)
        check_scalar(self.batch_size, "batch_size", kind=int, min_val=1)
        check_scalar(
            self.validation_fraction,
            "validation_fraction",
            min_val=0.0,
            max_val=1.0,
            include_min=False,
            include_max=False,
        )
        check_scalar(self.random_state, "random_state", kind=int, min_val=0)
        check_option(self.verbose, "verbose", [False, True])

    def fit(self, X: Any, y: Any) -> ConvResponseModel:
        """Train on stimuli ``X`` and responses ``y``.

        Parameters
        ----------
        X : array-like, shape (n_stimuli, n_frames, height, width) or
            (n_stimuli, height, width)
            Stimulus clips (or images), finite.
        y : Responses or array-like, shape (n_stimuli, n_neurons)
            One row of responses per stimulus (average repeats first).

        Returns
        -------
        self
        """
        import torch

        from ..core import Trainer
        from ._network import CoreReadoutNetwork

        self._check_params()
        stimuli = check_stimuli(X, "X")
        data = check_response_matrix(y, "y", n_rows=len(stimuli))
        scale = check_varying_units(data, "y", "stimuli")
        if self.loss == "poisson" and data.min() < 0:
            raise ValidationError(
                f"loss='poisson' needs non-negative responses (spike counts), but y "
                f"has a minimum of {data.min():.3g}; use loss='gaussian'."
            )
        n = len(stimuli)
        n_val = max(1, int(round(self.validation_fraction * n)))
        if n - n_val < 2:
            raise ValidationError(
                f"X holds {n} stimuli; at least {n_val + 2} are needed to train "
                f"with validation_fraction={self.validation_fraction}."
            )
        self.stimulus_shape_ = tuple(np.shape(X)[1:])
        self.n_neurons_ = data.shape[1]
        if self.loss == "poisson":
            scale = np.ones_like(scale)
        self.response_scale_ = scale
        order = np.random.default_rng(self.random_state).permutation(n)
        train_idx, val_idx = order[n_val:], order[:n_val]
        self.stimulus_mean_ = float(stimuli[train_idx].mean())
        std = float(stimuli[train_idx].std())
        torch.manual_seed(self.random_state)
        net = CoreReadoutNetwork(
            *stimuli.shape[1:],
            n_neurons=self.n_neurons_,
            n_features=self.n_features,
            kernel_size=self.kernel_size,
            stimulus_mean=self.stimulus_mean_,
            stimulus_std=std if std > 0 else 1.0,
            learn_offset=self.loss == "gaussian",
            readout=self.readout,
        )
        xs = torch.as_tensor(stimuli, dtype=torch.float32)
        ys = torch.as_tensor(data / scale, dtype=torch.float32)

        def loss_fn(model: Any, batch: Any) -> Any:
            xb, yb = (t.to(trainer.device_) for t in batch)
            pred = model(xb)
            if self.loss == "poisson":
                fit = torch.nn.functional.poisson_nll_loss(
                    pred + 1e-6, yb, log_input=False
                )
            else:
                fit = torch.nn.functional.mse_loss(pred, yb)
            return fit + self.readout_l1 * model.readout_penalty()

        trainer = Trainer(
            max_epochs=self.max_epochs,
            lr=self.lr,
            patience=self.patience,
            device=self.device,
            random_state=self.random_state,
            verbose=self.verbose,
        )
        self.history_ = trainer.fit(
            net,
            _Batches(xs[train_idx], ys[train_idx], self.batch_size, self.random_state),
            loss_fn,
            val_data=[(xs[val_idx], ys[val_idx])],
        )
        self.module_ = net.cpu().eval()
        for p in self.module_.parameters():
            p.requires_grad_(False)
        centres = self.module_.receptive_field_centres(xs[train_idx[:256]])
        self.module_.rf_centres.copy_(centres)
        self.receptive_field_centres_ = centres.double().numpy()
        self.validation_correlation_ = neuron_correlations(
            data[val_idx], self.predict(np.asarray(X)[val_idx])
        )
        for prefix, centred in (("", False), ("centred_", True)):
            pred = self.predict(X, centred=centred)
            setattr(self, f"{prefix}response_mean_", pred.mean(axis=0))
            setattr(self, f"{prefix}response_std_", pred.std(axis=0))
        centred = stimuli[train_idx] - self.stimulus_mean_
        self.stimulus_norm_ = float(
            np.median(np.linalg.norm(centred.reshape(len(centred), -1), axis=1))
        )
        self.stimulus_range_ = (float(stimuli.min()), float(stimuli.max()))
        mask_total = self.module_.spatial_masks().sum(dim=1, keepdim=True)
        self.readout_weights_ = (self.module_.features * mask_total).double().numpy()
        return self

    def _check_input(self, X: Any, name: str = "X") -> np.ndarray:
        check_is_fitted(self, "module_")
        stimuli = check_stimuli(X, name)
        if tuple(np.shape(X)[1:]) != self.stimulus_shape_:
            raise ValidationError(
                f"{name} has stimuli of shape {tuple(np.shape(X)[1:])}, but the model "
                f"was trained on {self.stimulus_shape_}; resize them to match."
            )
        return stimuli

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R² of :meth:`predict` on stimuli ``X`` against responses ``y``.

        ``y`` is what :meth:`fit` takes (a Responses or an array); the score is
        scikit-learn's ``r2_score``, averaged uniformly over neurons.
        """
        from sklearn.metrics import r2_score

        data = check_response_matrix(y, "y", n_rows=len(check_stimuli(X, "X")))
        return float(r2_score(data, self.predict(X), sample_weight=sample_weight))

    def predict(self, X: Any, centred: bool = False) -> np.ndarray:
        """Predicted responses, in the units of the training responses.

        Parameters
        ----------
        X : array-like, shape ``(n_stimuli, *stimulus_shape_)``
        centred : bool
            Move every neuron's readout mask to the middle of the grid first
            (see :class:`CoreReadoutNetwork`): the responses each neuron would
            give if the stimulus were centred on its receptive field.

        Returns
        -------
        ndarray, shape (n_stimuli, n_neurons)
        """
        import torch

        stimuli = self._check_input(X)
        with torch.no_grad():
            out = [
                self.module_(
                    torch.as_tensor(stimuli[i : i + 512], dtype=torch.float32),
                    centred=bool(centred),
                )
                for i in range(0, len(stimuli), 512)
            ]
        return torch.cat(out).double().numpy() * self.response_scale_

    def correlation(self, X: Any, y: Any) -> np.ndarray:
        """Correlation of predicted and recorded responses per neuron.

        Parameters
        ----------
        X : array-like, shape ``(n_stimuli, *stimulus_shape_)``
        y : Responses or array-like, shape (n_stimuli, n_neurons)

        Returns
        -------
        ndarray, shape (n_neurons,)
        """
        stimuli = self._check_input(X)
        data = check_response_matrix(y, "y", n_rows=len(stimuli))
        if data.shape[1] != self.n_neurons_:
            raise ValidationError(
                f"y has {data.shape[1]} neurons but the model predicts "
                f"{self.n_neurons_}; pass the responses of the training neurons."
            )
        return neuron_correlations(data, self.predict(X))
