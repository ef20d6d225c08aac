"""Most discriminative stimuli (MDS) clustering of neurons (Burg et al., ICLR 2024)."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    Responses,
    ValidationError,
    check_array,
    check_option,
    check_random_state,
    check_scalar,
)
from ..core._base import NeurokitEstimator, check_is_fitted
from ._checks import check_response_matrix, check_varying_units
from ._model import ConvResponseModel
from ._objective import (
    cluster_mean_responses,
    discriminability_objective,
    least_discriminable_pair,
    project_stimuli,
)
from ._shift import shift_stimuli

__all__ = ["MDSClustering"]


@dataclass
class _Twin:
    """A frozen predictive model and the statistics the MDS loop needs."""

    forward: Any
    shape: tuple[int, ...]
    mean: np.ndarray
    std: np.ndarray
    centre: float
    norm: float
    low: float
    high: float
    reference: np.ndarray


def _batched_forward(forward: Any, stimuli: np.ndarray) -> np.ndarray:
    import torch

    with torch.no_grad():
        out = [
            forward(torch.as_tensor(stimuli[i : i + 512], dtype=torch.float32))
            for i in range(0, len(stimuli), 512)
        ]
    return torch.cat(out).double().numpy()


def _twin(model: Any, stimuli: Any, centred: bool = False) -> _Twin:
    import torch

    if isinstance(model, ConvResponseModel):
        check_is_fitted(model, "module_")
        net, shape = model.module_, model.stimulus_shape_
        scale = torch.as_tensor(model.response_scale_, dtype=torch.float32)
        net_shape = (net.core[0].in_channels, *shape[-2:])

        def forward(x: Any) -> Any:
            return net(x.reshape(len(x), *net_shape), centred=centred) * scale

    elif centred:
        raise DTypeError(
            f"centre_readouts=True needs a fitted ConvResponseModel (whose readout "
            f"masks say where each neuron looks), got {type(model).__name__}; pass "
            "one or use centre_readouts=False."
        )
    elif isinstance(model, torch.nn.Module):
        if stimuli is None:
            raise ValidationError(
                "stimuli is None, but a plain torch model needs reference stimuli "
                "(e.g. its training stimuli) to normalise responses and set the "
                "stimulus norm and range; pass fit(model, stimuli)."
            )
        forward = model
        shape = tuple(np.shape(stimuli)[1:])
    else:
        raise DTypeError(
            f"model must be a fitted ConvResponseModel or a torch.nn.Module mapping "
            f"stimuli to responses, got {type(model).__name__}."
        )
    if stimuli is None:
        prefix = "centred_" if centred else ""
        return _Twin(
            forward,
            shape,
            getattr(model, f"{prefix}response_mean_"),
            getattr(model, f"{prefix}response_std_"),
            model.stimulus_mean_,
            model.stimulus_norm_,
            *model.stimulus_range_,
            reference=None,
        )
    ref = check_array(stimuli, "stimuli")
    if ref.ndim < 2:
        raise ValidationError(
            f"stimuli must have one row per stimulus (2 or more dimensions), got "
            f"shape {ref.shape}."
        )
    if ref.shape[1:] != shape:
        raise ValidationError(
            f"stimuli have shape {ref.shape[1:]} per stimulus but the model takes "
            f"{shape}; pass stimuli the model was trained on."
        )
    pred = _batched_forward(forward, ref)
    if pred.ndim != 2 or pred.shape[0] != len(ref):
        raise ValidationError(
            f"model returned shape {pred.shape} for {len(ref)} stimuli; it must "
            "return (n_stimuli, n_neurons)."
        )
    std = check_varying_units(pred, "model", "the reference stimuli (predicted)")
    centre = float(ref.mean())
    dev = (ref - centre).reshape(len(ref), -1)
    return _Twin(
        forward,
        shape,
        pred.mean(axis=0),
        std,
        centre,
        float(np.median(np.linalg.norm(dev, axis=1))),
        float(ref.min()),
        float(ref.max()),
        reference=ref,
    )


class MDSClustering(NeurokitEstimator):
    """Cluster neurons into functional types by their most discriminative stimuli.

    The alternating optimisation of Burg et al. (ICLR 2024) through a frozen
    predictive model ("digital twin"). Responses are normalised per neuron,
    ``(r − μ_n)/σ_n`` over reference stimuli; ``r̄_j(x)`` is the mean over
    cluster ``j``. Starting from k-means (10 restarts) on the first 20
    principal components of the normalised predicted responses to the
    reference stimuli, scaled to unit length per neuron (or from a random
    balanced assignment), repeat until no neuron moves:

    1. stimulus step: for every cluster ``k``, maximise
       ``J_k(x) = r̄_k(x)/τ − log Σ_j exp(r̄_j(x)/τ) + log K`` by projected
       gradient ascent: steps along the normalised gradient, of length
       ``lr · norm`` decaying linearly to 0, each followed by projection onto
       ``low ≤ x ≤ high`` and ``‖x − c‖₂ ≤ norm`` (``c`` the mean reference
       pixel), warm-started from the previous stimuli;
    2. assignment step: every neuron joins the cluster whose stimulus drives
       its normalised response most (an emptied cluster takes the neuron that
       prefers it most relative to its current cluster).

    Cells of one type tile the retina, so a recorded field holds each type
    at many positions, and one stimulus cannot drive all of them. With
    ``centre_readouts=True`` (a :class:`ConvResponseModel` only), every
    neuron's readout mask is moved to the middle of the grid (see
    :class:`CoreReadoutNetwork`): the model then predicts what each neuron
    would do with the stimulus centred on its own receptive field, the
    location is left to the readout and the MDS describe types only. To type
    new neurons, show them each MDS centred on their receptive field
    (:func:`shift_stimuli`).

    ``merge_threshold`` lets the number of clusters shrink, in the spirit of
    the split/merge heuristics of Burg et al.'s code (the rule here is our
    own): starting from too many clusters, pairs whose MDS drive both nearly
    equally are merged until every pair is told apart.

    Whenever the number of clusters may shrink (``merge_threshold`` set, or
    ``n_clusters="auto"``), a converged cluster with fewer than
    ``min_cluster_size`` neurons is dissolved first: its neurons join the
    cluster whose MDS drives them most among those left, and the loop reruns
    with that many clusters fewer.

    With ``n_clusters="auto"``, the loop starts from ``max_clusters``
    clusters (at most one per neuron) and shrinks them with these two rules,
    merging below ``merge_threshold`` or, when that is ``None``, below 0.5.
    (This replaces an earlier rule that kept the ``K`` of largest silhouette
    over ``2..max_clusters``: on learned models of the 8-type mosaic retina
    it chose 9-12 clusters.)

    Parameters
    ----------
    n_clusters : int or "auto"
        Number of clusters.
    max_clusters : int
        Number of clusters ``"auto"`` starts from.
    temperature : float
        Softmax temperature ``τ`` (normalised-response units).
    norm : float or None
        L2 bound on ``x − c``; ``None``: the median over reference stimuli.
    value_range : (float, float) or None
        Pixel bounds; ``None``: the reference stimuli's minimum and maximum.
    n_steps : int
        Gradient steps per stimulus step.
    lr : float
        First step length as a fraction of ``norm``.
    max_iter : int
        Largest number of stimulus/assignment rounds.
    init : {"kmeans", "random"}
        Initial assignment.
    centre_readouts : bool
        Evaluate every neuron as if the stimulus were centred on its
        receptive field (needs a :class:`ConvResponseModel`).
    merge_threshold : float or None
        Merge clusters that their MDS cannot tell apart: after convergence,
        while the least discriminable pair scores below this (see
        :func:`least_discriminable_pair`; 0.2–0.3 works on toy problems;
        0.5 takes learned models of the 8-type mosaic retina in
        benchmarks/mds_noise_levels.py from 12 clusters to 8 at noise 1),
        merge it and rerun the loop with one cluster fewer. ``None``: keep
        the number of clusters (or, with ``n_clusters="auto"``, use 0.5).
    min_cluster_size : int or float
        Smallest number of neurons a cluster may keep when the number of
        clusters may shrink (see above): an int is a count (1 keeps
        singletons), a float in (0, 1) a fraction of the neurons, rounded
        up. The default, 2 % (5 of 240 neurons), removes the 3-neuron ninth
        cluster that the mosaic retina of benchmarks/mds_noise_levels.py
        leaves at noise 2 with a count of 2. Ignored with an int
        ``n_clusters`` and ``merge_threshold=None``.
    random_state : int or None
        Seed of the initial assignment and stimuli.
    verbose : bool
        Show a progress bar over rounds.

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_neurons,)
        Cluster of each neuron.
    stimuli_ : ndarray, shape ``(n_clusters_, *stimulus_shape)``
        The MDS of each cluster.
    n_clusters_ : int
        Number of clusters found.
    cluster_responses_ : ndarray, shape ``(n_clusters_, n_clusters_)``
        ``[k, j]``: mean normalised predicted response of cluster ``j`` to MDS
        ``k`` (the diagonal dominates when clusters are discriminable).
    objective_ : ndarray, shape ``(n_clusters_,)``
        ``J_k`` of each MDS at the end.
    n_iter_ : int
        Rounds run.
    converged_ : bool
        Whether the last round moved no neuron.
    history_ : list of dict
        Per round: ``objective`` (mean ``J``), ``n_changed`` and
        ``n_clusters``.
    norm_, value_range_ : float, tuple
        The constraints used.
    stimulus_centre_ : float
        The centre ``c`` of the norm constraint (mean reference pixel), also
        the background that :meth:`stimuli_at` fills in.

    Examples
    --------
    >>> import torch
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch...>
    >>> w = torch.randn(1, 16) * torch.tensor([[1.0]] * 5 + [[-1.0]] * 5)
    >>> net = torch.nn.Sequential(torch.nn.Linear(16, 10), torch.nn.Softplus())
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(w), net[0].bias.zero_()
    >>> ref = np.random.default_rng(0).normal(size=(200, 16))
    >>> mds = MDSClustering(n_clusters=2, random_state=0).fit(net, ref)
    >>> sorted(np.bincount(mds.labels_).tolist()), mds.stimuli_.shape
    ([5, 5], (2, 16))
    """

    def __init__(
        self,
        n_clusters: int | str = 8,
        max_clusters: int = 12,
        temperature: float = 1.0,
        norm: float | None = None,
        value_range: tuple[float, float] | None = None,
        n_steps: int = 100,
        lr: float = 0.1,
        max_iter: int = 20,
        init: str = "kmeans",
        centre_readouts: bool = False,
        merge_threshold: float | None = None,
        min_cluster_size: float = 0.02,
        random_state: int | None = 0,
        verbose: bool = False,
    ) -> None:
        self.n_clusters = n_clusters
        self.max_clusters = max_clusters
        self.temperature = temperature
        self.norm = norm
        self.value_range = value_range
        self.n_steps = n_steps
        self.lr = lr
        self.max_iter = max_iter
        self.init = init
        self.centre_readouts = centre_readouts
        self.merge_threshold = merge_threshold
        self.min_cluster_size = min_cluster_size
        self.random_state = random_state
        self.verbose = verbose

    def _check_params(self, n_neurons: int) -> int:
        check_scalar(self.temperature, "temperature", min_val=0.0, include_min=False)
        check_scalar(self.n_steps, "n_steps", kind=numbers.Integral, min_val=1)
        check_scalar(self.lr, "lr", min_val=0.0, include_min=False)
        check_scalar(self.max_iter, "max_iter", kind=numbers.Integral, min_val=1)
        self._check_min_cluster_size(n_neurons)
        check_option(self.init, "init", ["kmeans", "random"])
        if self.norm is not None:
            check_scalar(self.norm, "norm", min_val=0.0, include_min=False)
        if self.merge_threshold is not None:
            check_scalar(
                self.merge_threshold, "merge_threshold", min_val=0.0, max_val=1.0
            )
        if self.n_clusters == "auto":
            top = int(
                check_scalar(
                    self.max_clusters, "max_clusters", kind=numbers.Integral, min_val=2
                )
            )
            if n_neurons < 2:
                raise ValidationError(
                    f"n_clusters='auto' needs at least 2 neurons, got {n_neurons}."
                )
            return min(top, n_neurons)
        if isinstance(self.n_clusters, str) or not isinstance(
            self.n_clusters, numbers.Integral
        ):
            raise ValidationError(
                f"n_clusters must be an int >= 2 or 'auto', got {self.n_clusters!r}."
            )
        check_scalar(self.n_clusters, "n_clusters", kind=numbers.Integral, min_val=2)
        if self.n_clusters > n_neurons:
            raise ValidationError(
                f"n_clusters={self.n_clusters} is more than the {n_neurons} neurons "
                f"the model predicts; ask for at most {n_neurons} clusters."
            )
        return int(self.n_clusters)

    def _check_min_cluster_size(self, n_neurons: int) -> int:
        size = self.min_cluster_size
        if isinstance(size, numbers.Integral) and not isinstance(size, bool):
            return int(check_scalar(size, "min_cluster_size", min_val=1))
        if isinstance(size, numbers.Real) and not isinstance(size, bool):
            fraction = check_scalar(
                size,
                "min_cluster_size",
                min_val=0.0,
                max_val=1.0,
                include_min=False,
                include_max=False,
            )
            return int(np.ceil(fraction * n_neurons))
        raise ValidationError(
            f"min_cluster_size must be an int >= 1 (a count) or a float in (0, 1) "
            f"(a fraction of the neurons), got {size!r}."
        )

    def _constraints(self, twin: _Twin) -> tuple[float, float, float]:
        norm = twin.norm if self.norm is None else float(self.norm)
        low, high = twin.low, twin.high
        if self.value_range is not None:
            try:
                bounds = np.asarray(self.value_range, dtype=float)
            except (TypeError, ValueError):
                bounds = np.full(1, np.nan)
            if bounds.shape != (2,) or not np.all(np.isfinite(bounds)):
                raise ValidationError(
                    f"value_range must be two finite numbers (low, high), got "
                    f"{self.value_range!r}."
                )
            low, high = float(bounds[0]), float(bounds[1])
        if not low <= twin.centre <= high:
            raise ValidationError(
                f"value_range=({low:g}, {high:g}) must contain the mean reference "
                f"stimulus value {twin.centre:g}; widen it."
            )
        return norm, low, high

    def fit(self, X: Any, stimuli: Any = None) -> MDSClustering:
        """Find the clusters and their MDS.

        Parameters
        ----------
        X : ConvResponseModel or torch.nn.Module
            A fitted :class:`ConvResponseModel`, or a torch module mapping a
            batch of stimuli ``(n, *shape)`` to responses ``(n, n_neurons)``.
        stimuli : array-like, shape ``(n_stimuli, *shape)``, optional
            Reference stimuli for the normalisation, the default constraints
            and the k-means initialisation; required for a plain torch module,
            otherwise the model's training statistics are used.

        Returns
        -------
        self
        """
        import torch

        check_option(self.centre_readouts, "centre_readouts", [False, True])
        check_option(self.verbose, "verbose", [False, True])
        twin = _twin(X, stimuli, centred=bool(self.centre_readouts))
        n_neurons = len(twin.mean)
        k = self._check_params(n_neurons)
        self.norm_, low, high = self._constraints(twin)
        self.value_range_ = (low, high)
        rng = check_random_state(self.random_state)
        torch.manual_seed(int(rng.integers(2**31)))
        features = None
        if self.init == "kmeans":
            features = self._reference_features(twin, rng)
        result = self._fit_merging(twin, k, features, rng)
        self.n_clusters_ = len(result["stimuli_"])
        for name, value in result.items():
            setattr(self, name, value)
        self.response_mean_, self.response_std_ = twin.mean, twin.std
        self.stimulus_centre_ = twin.centre
        return self

    def _reference_features(self, twin: _Twin, rng: np.random.Generator) -> np.ndarray:
        ref = twin.reference
        if ref is None:
            ref = twin.centre + rng.standard_normal((256, *twin.shape)) * (
                twin.norm / np.sqrt(np.prod(twin.shape))
            )
        pred = _batched_forward(twin.forward, ref)
        return ((pred - twin.mean) / twin.std).T

    def _normalized(self, twin: _Twin, x: Any) -> Any:
        import torch

        mean = torch.as_tensor(twin.mean, dtype=torch.float32)
        std = torch.as_tensor(twin.std, dtype=torch.float32)
        return (twin.forward(x) - mean) / std

    def _initial_labels(
        self, k: int, n: int, features: np.ndarray | None, rng: np.random.Generator
    ) -> np.ndarray:
        if features is None:
            return rng.permutation(np.arange(n) % k)
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA

        seed = int(rng.integers(2**31))
        n_pcs = min(20, *features.shape)
        pcs = PCA(n_pcs, random_state=seed).fit_transform(features)
        pcs /= np.linalg.norm(pcs, axis=1, keepdims=True).clip(1e-12)
        return KMeans(k, n_init=10, random_state=seed).fit_predict(pcs)

    def _optimize(self, twin: _Twin, x: Any, labels: Any, k: int) -> Any:
        import torch

        x = x.detach().clone().requires_grad_(True)
        norm, (low, high) = self.norm_, self.value_range_
        for step in range(self.n_steps):
            means = cluster_mean_responses(self._normalized(twin, x), labels, k)
            objective = discriminability_objective(means, self.temperature).sum()
            (grad,) = torch.autograd.grad(objective, x)
            length = grad.flatten(1).norm(dim=1).clamp_min(1e-12)
            size = self.lr * norm * (1.0 - step / self.n_steps)
            with torch.no_grad():
                x += size * grad / length.view(-1, *[1] * (x.ndim - 1))
            project_stimuli(x, twin.centre, norm, low, high)
        return x.detach()

    def _fit_merging(
        self,
        twin: _Twin,
        k: int,
        features: np.ndarray | None,
        rng: np.random.Generator,
    ) -> dict[str, Any]:
        """Run the loop at ``k``, then dissolve small clusters, merge
        indiscriminable pairs and rerun."""
        import torch

        threshold = self.merge_threshold
        if threshold is None and self.n_clusters == "auto":
            threshold = 0.5
        min_size = self._check_min_cluster_size(len(twin.mean))
        result = self._fit_k(twin, k, features, rng)
        history = result["history_"]
        while threshold is not None and k > 2:
            labels, x = result["labels_"], result["stimuli_"]
            counts = np.bincount(labels, minlength=k)
            small = counts < min_size
            small[np.argsort(-counts, kind="stable")[:2]] = False
            if small.any():
                keep = np.flatnonzero(~small)
                resp = _batched_forward(twin.forward, x[keep])
                resp = ((resp - twin.mean) / twin.std)[:, small[labels]]
                labels = labels.copy()
                labels[small[labels]] = keep[resp.argmax(axis=0)]
            else:
                (i, j), score = least_discriminable_pair(result["cluster_responses_"])
                if score >= threshold:
                    break
                keep = np.delete(np.arange(k), j)
                labels = np.where(labels == j, i, labels)
            labels = np.searchsorted(keep, labels)
            x = torch.as_tensor(x[keep], dtype=torch.float32)
            k = len(keep)
            result = self._fit_k(twin, k, None, rng, start=(labels, x))
            history = history + result["history_"]
        result["history_"] = history
        result["n_iter_"] = len(history)
        return result

    def _fit_k(
        self,
        twin: _Twin,
        k: int,
        features: np.ndarray | None,
        rng: np.random.Generator,
        start: tuple[np.ndarray, Any] | None = None,
    ) -> dict[str, Any]:
        import torch
        from tqdm.auto import tqdm

        n = len(twin.mean)
        if start is None:
            labels = _fill_empty(self._initial_labels(k, n, features, rng), None, k)
            x = torch.as_tensor(
                twin.centre + rng.standard_normal((k, *twin.shape)),
                dtype=torch.float32,
            )
            x = project_stimuli(x, twin.centre, self.norm_, *self.value_range_)
        else:
            labels, x = start
        history, converged = [], False
        bar = tqdm(range(self.max_iter), disable=not self.verbose, desc=f"MDS K={k}")
        for _ in bar:
            lab_t = torch.as_tensor(labels)
            x = self._optimize(twin, x, lab_t, k)
            with torch.no_grad():
                resp = self._normalized(twin, x)
                objective = discriminability_objective(
                    cluster_mean_responses(resp, lab_t, k), self.temperature
                )
            resp = resp.double().numpy()
            new = _fill_empty(resp.argmax(axis=0), resp, k)
            n_changed = int((new != labels).sum())
            history.append(
                {
                    "objective": float(objective.mean()),
                    "n_changed": n_changed,
                    "n_clusters": k,
                }
            )
            bar.set_postfix(moved=n_changed)
            labels = new
            if n_changed == 0:
                converged = True
                break
        bar.close()
        onehot = np.eye(k)[labels]
        return {
            "labels_": labels,
            "stimuli_": x.double().numpy().reshape(k, *twin.shape),
            "cluster_responses_": resp @ (onehot / onehot.sum(axis=0)),
            "objective_": objective.double().numpy(),
            "n_iter_": len(history),
            "converged_": converged,
            "history_": history,
        }

    def predict(self, X: Any) -> np.ndarray:
        """Assign neurons to clusters from their responses to the MDS alone.

        Each neuron joins the cluster whose MDS drives it most (per-neuron
        normalisation does not change which one that is), so only the
        responses to the ``n_clusters_`` stimuli of :attr:`stimuli_` are needed.

        Parameters
        ----------
        X : Responses or array-like, shape ``(n_clusters_, n_neurons)``
            Responses to the MDS, one row per MDS in the order of
            :attr:`stimuli_`. A Responses with repeats is averaged per
            condition first; conditions ``0..n_clusters_-1`` are put in order.

        Returns
        -------
        ndarray of int, shape (n_neurons,)
        """
        check_is_fitted(self, "stimuli_")
        k = self.n_clusters_
        if isinstance(X, Responses):
            X = X.average()
            if set(X.condition_names) == set(range(k)):
                X = X.select_conditions(list(range(k)))
        data = check_response_matrix(X, "X")
        if data.shape[0] != k:
            raise ValidationError(
                f"X has {data.shape[0]} rows but there are {k} MDS; give one row "
                "of responses per MDS, in the order of stimuli_."
            )
        check_varying_units(data, "X", "the MDS")
        return data.argmax(axis=0)

    def stimuli_at(self, centre: Any) -> np.ndarray:
        """The MDS moved so that the grid's middle lands on ``centre``.

        With ``centre_readouts=True`` the MDS are found for a receptive field
        in the middle of the grid; to type a neuron whose receptive field is
        at ``centre``, show it these instead.

        Parameters
        ----------
        centre : array-like, shape (2,)
            Receptive-field centre (row, column), in pixels.

        Returns
        -------
        ndarray, shape ``(n_clusters_, *stimulus_shape)``
        """
        check_is_fitted(self, "stimuli_")
        where = check_array(centre, "centre", ndim=1, shape=(2,))
        middle = (np.asarray(self.stimuli_.shape[-2:]) - 1) / 2.0
        return shift_stimuli(self.stimuli_, where - middle, fill=self.stimulus_centre_)

    def predict_model(self, X: Any) -> np.ndarray:
        """Assign the neurons of a predictive model by its responses to the MDS.

        With ``centre_readouts=True`` the model's readouts are centred too, so
        each neuron sees the MDS on its own receptive field.

        Parameters
        ----------
        X : ConvResponseModel or torch.nn.Module
            Model of the same stimulus shape.

        Returns
        -------
        ndarray of int, shape (n_neurons,)
        """
        import torch

        check_is_fitted(self, "stimuli_")
        if isinstance(X, ConvResponseModel):
            return self.predict(
                X.predict(self.stimuli_, centred=bool(self.centre_readouts))
            )
        if self.centre_readouts:
            raise DTypeError(
                f"these MDS were found with centre_readouts=True, so X must be a "
                f"fitted ConvResponseModel (to centre its readouts), got "
                f"{type(X).__name__}."
            )
        if not isinstance(X, torch.nn.Module):
            raise DTypeError(
                f"X must be a fitted ConvResponseModel or a torch.nn.Module, got "
                f"{type(X).__name__}."
            )
        return self.predict(_batched_forward(X, self.stimuli_))


def _fill_empty(labels: np.ndarray, resp: np.ndarray | None, k: int) -> np.ndarray:
    """Give every empty cluster the neuron that prefers it most (relative)."""
    labels = np.asarray(labels, dtype=int).copy()
    n = len(labels)
    for cluster in range(k):
        if np.any(labels == cluster):
            continue
        counts = np.bincount(labels, minlength=k)
        movable = counts[labels] > 1
        if resp is None:
            gain = np.zeros(n)
        else:
            gain = resp[cluster] - resp[labels, np.arange(n)]
        gain[~movable] = -np.inf
        labels[int(np.argmax(gain))] = cluster
    return labels
