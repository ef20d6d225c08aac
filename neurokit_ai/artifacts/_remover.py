"""Cleaning whole multichannel recordings, window by window."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..core import (
    CHANNEL_TYPES,
    DTypeError,
    NeurokitTransformer,
    Recording,
    ValidationError,
    check_array,
    check_is_fitted,
    check_option,
    check_scalar,
)
from ._constants import EEG_BAND, MODEL_SFREQ, SEGMENT_SAMPLES
from ._signal import bandpass, resample_array

__all__ = ["ArtifactRemover", "denoise_segments"]

_METHODS = ("atat", "cnn", "transformer", "filter")


def denoise_segments(model: Any, segments: Any, batch_size: int = 256) -> np.ndarray:
    """Run a denoiser on segments, each scaled by its own standard deviation.

    The scale is put back on the output (EEGdenoiseNet's normalisation), so the
    result is in the units of ``segments``; all-zero segments stay zero.

    Examples
    --------
    >>> import numpy as np
    >>> from neurokit_ai.artifacts import build_network
    >>> net = build_network("atat")
    >>> denoise_segments(net, np.zeros((2, 512))).shape
    (2, 512)
    """
    import torch

    x = check_array(segments, "segments", ndim=2)
    scale = x.std(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    out = np.empty_like(x)
    model.eval()
    with torch.no_grad():
        for i in range(0, x.shape[0], batch_size):
            batch = torch.as_tensor(x[i : i + batch_size] / scale[i : i + batch_size])
            out[i : i + batch_size] = model(batch.float()).double().numpy()
    return out * scale


def _overlap_add(signal: np.ndarray, fn: Any, n: int, hop: int) -> np.ndarray:
    """Apply ``fn`` to Hann-weighted overlapping windows of each row and average."""
    n_ch, n_times = signal.shape
    pad = n - hop
    n_win = int(np.ceil((n_times + pad) / hop))
    total = (n_win - 1) * hop + n
    padded = np.pad(signal, ((0, 0), (pad, total - n_times - pad)), mode="reflect")
    starts = np.arange(n_win) * hop
    windows = np.stack([padded[:, s : s + n] for s in starts], axis=1)
    out = fn(windows.reshape(-1, n)).reshape(n_ch, n_win, n)
    weight = np.hanning(n + 2)[1:-1]
    acc = np.zeros((n_ch, total))
    norm = np.zeros(total)
    for k, s in enumerate(starts):
        acc[:, s : s + n] += weight * out[:, k]
        norm[s : s + n] += weight
    return acc[:, pad : pad + n_times] / norm[pad : pad + n_times]


class ArtifactRemover(NeurokitTransformer):
    """Remove muscle artifacts from EEG with AT-AT (or a baseline), any rate.

    ``transform`` on a :class:`~neurokit_ai.core.Recording`: the picked channels
    are resampled to 256 Hz and high-passed at 1 Hz; 2-s windows (hop
    ``(1 - overlap) x 2 s``) are each scaled by their standard deviation,
    denoised, and put back together by Hann-weighted overlap-add. The
    difference between the window input and its denoised version is the
    artifact estimate; it is resampled to the recording's rate and subtracted
    from the original samples. So the rate, units, dtype (integer samples
    become float64), channel order, annotations and everything the model does
    not see (content below 1 Hz and, for recordings sampled above 256 Hz, above
    128 Hz) are kept; channels not picked are copied unchanged.

    ``transform`` on an array takes ``(n_segments, 512)`` segments at 256 Hz
    and returns their denoised version.

    Parameters
    ----------
    method : {"atat", "cnn", "transformer", "filter"}
        The denoiser; ``"filter"`` is a 1-45 Hz band-pass baseline.
    weights : "shipped", path or None
        ``"shipped"`` loads the AT-AT weights shipped with the package
        (``method="atat"``), a path loads a :func:`save_weights` file, ``None``
        trains the network in :meth:`fit` on the given clean EEG.
    picks : str or list
        Channels to clean. A channel type (default ``"eeg"``) selects the
        channels of that type that are not in ``rec.bads`` (as MNE does); bad
        channels pass through unchanged. Channel names select those channels,
        bad or not.
    overlap : float
        Fraction of overlap between consecutive windows, in [0, 0.9].
    max_epochs : int
        Training epochs when ``weights=None``.
    adversarial_weight : float
        Weight of the adversarial term when training AT-AT.
    random_state : int
        Seed of the simulated EMG and of training.
    verbose : bool
        Progress bar while training.

    Attributes
    ----------
    model_ : torch.nn.Module or None
        The fitted network (``None`` for ``"filter"``).
    n_parameters_ : int
        Its number of trainable parameters.
    info_ : dict
        What the weight file says about its training (or the training history).

    Examples
    --------
    >>> from neurokit_ai.datasets import load_sample
    >>> rec = load_sample("eeg").crop(0, 4)
    >>> cleaned = ArtifactRemover().fit().transform(rec)
    >>> cleaned.shape == rec.shape, cleaned.sfreq
    (True, 256.0)
    """

    def __init__(
        self,
        method: str = "atat",
        weights: str | os.PathLike | None = "shipped",
        picks: Any = "eeg",
        overlap: float = 0.5,
        max_epochs: int = 30,
        adversarial_weight: float = 0.05,
        random_state: int = 0,
        verbose: bool = False,
    ) -> None:
        self.method = method
        self.weights = weights
        self.picks = picks
        self.overlap = overlap
        self.max_epochs = max_epochs
        self.adversarial_weight = adversarial_weight
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any = None, y: Any = None, *, emg: Any = None) -> ArtifactRemover:
        """Load the weights, or train on clean EEG ``X`` when ``weights=None``.

        Parameters
        ----------
        X : Recording or array-like of shape (n_segments, 512), optional
            Clean EEG for training (a Recording is cut with
            :func:`~neurokit_ai.artifacts.clean_eeg_segments`). Ignored when
            weights are loaded.
        y : None
            Ignored.
        emg : Recording or array-like of shape (n_segments, 512), optional
            Artifact examples for training; simulated
            (:func:`~neurokit_ai.artifacts.simulate_emg`) when omitted.

        Returns
        -------
        self
        """
        from ._weights import load_weights, shipped_weights_path

        check_option(self.method, "method", _METHODS)
        check_scalar(self.overlap, "overlap", min_val=0.0, max_val=0.9)
        check_scalar(self.max_epochs, "max_epochs", kind=int, min_val=1)
        check_scalar(self.adversarial_weight, "adversarial_weight", min_val=0.0)
        check_scalar(self.random_state, "random_state", kind=int, min_val=0)
        check_option(self.verbose, "verbose", [True, False])
        if self.weights is not None and not isinstance(self.weights, str | os.PathLike):
            raise DTypeError(
                f"weights must be 'shipped', a path to a save_weights file or None, "
                f"got {type(self.weights).__name__} ({self.weights!r})."
            )
        self.model_, self.info_ = None, {}
        if self.method == "filter":
            self.n_parameters_ = 0
            return self
        if self.weights is not None:
            if self.weights == "shipped":
                if self.method != "atat":
                    raise ValidationError(
                        f"weights='shipped' exists for method='atat' only, got "
                        f"method={self.method!r}; pass weights=None and training "
                        "data, or a weight file."
                    )
                path = shipped_weights_path()
            else:
                path = self.weights
            model, kind, info = load_weights(path)
            if kind != self.method:
                raise ValidationError(
                    f"{str(path)!r} holds {kind!r} weights but method="
                    f"{self.method!r}; set method={kind!r}."
                )
            self.model_, self.info_ = model, info
        else:
            self.model_, self.info_ = self._train(X, emg)
        from ._nets import count_parameters

        self.n_parameters_ = count_parameters(self.model_)
        return self

    def _train(self, X: Any, emg: Any) -> tuple[Any, dict[str, Any]]:
        from ..core import seed_everything
        from ._data import clean_eeg_segments
        from ._emg import emg_segments, simulate_emg
        from ._nets import build_network
        from ._train import train_denoiser

        if X is None:
            raise ValidationError(
                "weights=None trains the network, so fit needs clean EEG X (a "
                "Recording or (n_segments, 512) segments at 256 Hz)."
            )
        clean = (
            clean_eeg_segments(X)
            if isinstance(X, Recording)
            else check_array(X, "X", ndim=2, shape=(None, SEGMENT_SAMPLES))
        )
        if clean.shape[0] < 2:
            raise ValidationError(
                f"X gave {clean.shape[0]} clean segment(s); training needs at least "
                "2. Pass a longer or cleaner recording."
            )
        if emg is None:
            noise = simulate_emg(
                max(clean.shape[0] // 2, 2), random_state=self.random_state
            )
        elif isinstance(emg, Recording):
            noise = emg_segments(emg)
        else:
            noise = check_array(emg, "emg", ndim=2, shape=(None, SEGMENT_SAMPLES))
        atat = self.method == "atat"
        seed_everything(self.random_state)  # the initial weights too
        model = build_network(self.method)
        out = train_denoiser(
            model,
            clean,
            noise,
            adversarial_weight=self.adversarial_weight if atat else 0.0,
            autoencoder_weight=0.5 if atat else 0.0,
            gate_weight=0.02 if atat else 0.0,
            clean_fraction=0.2,
            max_epochs=self.max_epochs,
            patience=None,
            random_state=self.random_state,
            verbose=self.verbose,
        )
        info = {
            "train_seconds": out["train_seconds"],
            "train_loss": out["history"]["train_loss"],
        }
        return model, info

    # ------------------------------------------------------------ transform
    def _denoise(self, segments: np.ndarray) -> np.ndarray:
        if self.model_ is None:
            return bandpass(segments, MODEL_SFREQ, *EEG_BAND)
        return denoise_segments(self.model_, segments)

    def transform(self, X: Any) -> Any:
        """Clean a Recording (returns a new one) or an array of 2-s segments.

        Raises
        ------
        ValidationError
            When the recording has no channel to clean, is sampled below twice
            the EEG band's upper edge (90 Hz), is shorter than one 2-s window or
            holds NaN/inf in the picked channels.
        """
        check_is_fitted(self, "n_parameters_")
        if not isinstance(X, Recording):
            if hasattr(X, "ch_names"):
                raise DTypeError(
                    f"X must be a neurokit_ai Recording, got {type(X).__name__}; "
                    "wrap an MNE raw with Recording.from_mne(raw)."
                )
            segs = check_array(X, "X", ndim=2, shape=(None, SEGMENT_SAMPLES))
            return self._denoise(segs)
        return self._transform_recording(X)

    def _picked(self, rec: Recording) -> np.ndarray:
        if self.picks == "eeg" and "eeg" not in rec.ch_types:
            raise ValidationError(
                f"{rec.source or 'the recording'} has no EEG channel (types "
                f"{sorted(set(rec.ch_types))}); mark EEG channels with "
                "rec.set_channel_types or pass picks=[names]."
            )
        if isinstance(self.picks, str) and self.picks in CHANNEL_TYPES:
            bads = set(rec.bads)
            idx = [
                i
                for i, (name, kind) in enumerate(zip(rec.ch_names, rec.ch_types))
                if kind == self.picks and name not in bads
            ]
            if not idx:
                raise ValidationError(
                    f"picks={self.picks!r}: every {self.picks} channel is marked bad "
                    f"({sorted(bads)}); clear rec.bads or name channels in picks."
                )
            return np.asarray(idx, dtype=int)
        return rec._pick_indices(self.picks)

    def _transform_recording(self, rec: Recording) -> Recording:
        check_scalar(self.overlap, "overlap", min_val=0.0, max_val=0.9)
        idx = self._picked(rec)
        if rec.sfreq < 2 * EEG_BAND[1]:
            raise ValidationError(
                f"rec.sfreq={rec.sfreq:g} Hz is below twice the model's EEG band "
                f"({EEG_BAND[0]:g}-{EEG_BAND[1]:g} Hz), so the band is not fully "
                f"sampled; use a recording sampled at >= {2 * EEG_BAND[1]:g} Hz."
            )
        min_s = SEGMENT_SAMPLES / MODEL_SFREQ
        if rec.duration < min_s:
            raise ValidationError(
                f"the recording lasts {rec.duration:.3g} s, shorter than one "
                f"{min_s:g}-s window of the model; pass at least {min_s:g} s."
            )
        data = np.asarray(rec.get_data(idx), dtype=float)
        if not np.isfinite(data).all():
            row = int(np.flatnonzero(~np.isfinite(data).all(axis=1))[0])
            raise ValidationError(
                f"channel {rec.ch_names[idx[row]]!r} holds NaN or inf; interpolate "
                "or drop those samples (or the channel, via picks) first."
            )
        x = resample_array(data, rec.sfreq, MODEL_SFREQ)
        hp = bandpass(x, MODEL_SFREQ, EEG_BAND[0], None)
        hop = max(int(round(SEGMENT_SAMPLES * (1 - self.overlap))), 1)
        cleaned = _overlap_add(hp, self._denoise, SEGMENT_SAMPLES, hop)
        artifact = resample_array(hp - cleaned, MODEL_SFREQ, rec.sfreq)
        artifact = _fit_length(artifact, rec.n_times)
        out = rec.copy()
        if out.data.dtype.kind != "f":
            out._data = out.data.astype(float)
        full = out.data
        full[idx] = (data - artifact).astype(full.dtype, copy=False)
        out.metadata["artifact_removal"] = {
            "method": self.method,
            "channels": [rec.ch_names[i] for i in idx],
            "n_parameters": int(self.n_parameters_),
        }
        return out


def _fit_length(x: np.ndarray, n: int) -> np.ndarray:
    if x.shape[1] >= n:
        return x[:, :n]
    return np.pad(x, ((0, 0), (0, n - x.shape[1])), mode="edge")
