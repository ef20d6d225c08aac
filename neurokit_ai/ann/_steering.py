"""Steering vectors: difference-in-means, probes and G-ACT (papers.md 9, 11a).

A steering vector is added to a hook point's activation during a run
(:class:`Intervention` with ``op="add"``). Difference-in-means and probe
directions give one vector per concept; G-ACT (Sharma & Raman 2025) clusters
the per-prompt activation differences (target run minus base run) into a few
directions per layer, and a per-layer logistic probe picks, from the base
run's activation, which of them to inject for each prompt, on the layers
where the probe is most accurate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..core import DTypeError, ValidationError, check_array
from ..core._base import NeurokitEstimator, check_is_fitted
from ..core._validation import check_random_state, check_scalar
from ._activations import as_activation_matrix, as_layer_matrices
from ._hooks import HookedModel, Intervention
from ._patching import _call, _scalar

__all__ = [
    "GACT",
    "diff_in_means",
    "probe_direction",
    "steering_intervention",
    "steering_effect",
]


def _unit(v: np.ndarray, name: str) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    if norm == 0.0:
        raise ValidationError(
            f"{name} is the zero vector and has no direction; check that the two "
            "groups of activations differ."
        )
    return v / norm


def diff_in_means(positive: Any, negative: Any, *, normalize: bool = False) -> Any:
    """Mean activation of ``positive`` inputs minus that of ``negative`` inputs.

    Parameters
    ----------
    positive, negative : array-like, tensor or Responses, shape (n_i, n_units)
        Activations of inputs with and without the concept.
    normalize : bool
        Return the unit vector.

    Returns
    -------
    numpy.ndarray, shape (n_units,)

    Examples
    --------
    >>> diff_in_means([[2.0, 0.0], [4.0, 0.0]], [[0.0, 1.0]]).tolist()
    [3.0, -1.0]
    """
    pos, _ = as_activation_matrix(positive, "positive")
    neg, _ = as_activation_matrix(negative, "negative")
    if pos.shape[1] != neg.shape[1]:
        raise ValidationError(
            f"positive has {pos.shape[1]} units but negative has {neg.shape[1]}; "
            "pass activations of the same layer."
        )
    v = pos.mean(0) - neg.mean(0)
    return _unit(v, "diff_in_means") if normalize else v


def probe_direction(
    X: Any, y: Any, *, C: float = 1.0, random_state: Any = None
) -> np.ndarray:
    """Unit direction of a logistic-regression probe for a binary concept.

    The weight vector of ``LogisticRegression`` fitted on the raw
    activations, pointing toward class ``True``/``1``.

    Parameters
    ----------
    X : array-like, tensor or Responses, shape (n_samples, n_units)
        Activations.
    y : array-like of bool or {0, 1}, shape (n_samples,)
        Concept present.
    C : float
        Inverse L2 regularisation strength.
    random_state : None, int or numpy Generator
        Seed of the solver.

    Examples
    --------
    >>> X = [[1.0, 0.0], [2.0, 0.1], [-1.0, 0.0], [-2.0, -0.1]]
    >>> d = probe_direction(X, [1, 1, 0, 0])
    >>> bool(d[0] > 0.9)
    True
    """
    from sklearn.linear_model import LogisticRegression

    x, _ = as_activation_matrix(X, "X")
    labels = np.asarray(y)
    if labels.shape != (x.shape[0],):
        raise ValidationError(
            f"y has shape {labels.shape} for {x.shape[0]} rows of X; give one "
            "label per row."
        )
    classes = np.unique(labels)
    if classes.size != 2 or not set(classes.tolist()) <= {0, 1}:
        raise ValidationError(
            f"y must hold both classes 0/1 (or False/True), got {classes.tolist()}."
        )
    check_scalar(C, "C", min_val=0.0, include_min=False)
    seed = int(check_random_state(random_state).integers(2**31 - 1))
    probe = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    probe.fit(x, labels.astype(int))
    return _unit(probe.coef_[0], "probe_direction")


def steering_intervention(
    name: str,
    vector: Any,
    alpha: float = 1.0,
    *,
    normalize: bool = True,
    positions: int | Sequence[int] | None = None,
) -> Intervention:
    """An :class:`Intervention` adding ``alpha * vector`` at hook point ``name``.

    Parameters
    ----------
    name : str
        Hook point, e.g. ``"blocks.1.hook_resid_pre"``.
    vector : array-like or tensor, shape (n_units,) or (n_inputs, n_units)
        Direction (one per input when 2-D; broadcast over positions).
    alpha : float
        Steering strength: the norm of what is added when ``normalize``.
    normalize : bool
        Scale each vector to unit norm first (equal-norm comparisons).
    positions : int or sequence of int, optional
        Steer only these positions of axis 1.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Identity()).eval()
    >>> iv = steering_intervention("0", [3.0, 4.0], 10.0)
    >>> HookedModel(net).run_with_interventions(torch.zeros(1, 2),
    ...                                         interventions=[iv]).tolist()
    [[6.0, 8.0]]
    """
    import torch

    v = check_array(vector, "vector", ndim=(1, 2))
    check_scalar(alpha, "alpha")
    if normalize:
        norms = np.linalg.norm(v, axis=-1, keepdims=True)
        if np.any(norms == 0):
            raise ValidationError(
                "vector has a zero row, which has no direction; drop it or pass "
                "normalize=False."
            )
        v = v / norms
    value = torch.as_tensor(alpha * v, dtype=torch.float32)
    return Intervention(name, _AddBroadcast(value), positions=positions)


class _AddBroadcast:
    """Add a (units,) or per-input (batch, units) vector to any activation."""

    __name__ = "add"

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, act: Any) -> Any:
        v = self.value.to(device=act.device, dtype=act.dtype)
        if v.ndim == 2:
            if v.shape[0] != act.shape[0]:
                raise ValidationError(
                    f"{v.shape[0]} steering vectors for a batch of {act.shape[0]}; "
                    "give one vector per input or a single vector."
                )
            v = v.reshape(v.shape[0], *([1] * (act.ndim - 2)), v.shape[1])
        if v.shape[-1] != act.shape[-1]:
            raise ValidationError(
                f"steering vector has {v.shape[-1]} units but the activation has "
                f"{act.shape[-1]} (shape {tuple(act.shape)}); use a vector from "
                "the same hook point."
            )
        return act + v


def steering_effect(
    hooked: HookedModel,
    inputs: Any,
    interventions: Intervention | Sequence[Intervention],
    metric: Callable[[Any], Any],
) -> float:
    """``metric(steered run) - metric(plain run)``: the steered behaviour change.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Identity()).eval()
    >>> iv = steering_intervention("0", [1.0, 0.0], 2.0)
    >>> steering_effect(HookedModel(net), torch.zeros(3, 2), [iv],
    ...                 lambda out: out[:, 0].mean())
    2.0
    """
    import torch

    if not isinstance(hooked, HookedModel):
        raise ValidationError(
            f"hooked must be a HookedModel, got {type(hooked).__name__}; wrap the "
            "model with HookedModel(model)."
        )
    if isinstance(interventions, Intervention):
        interventions = [interventions]
    if not all(isinstance(iv, Intervention) for iv in interventions):
        raise DTypeError(
            "interventions must be a list of Intervention objects (e.g. from "
            f"steering_intervention), got {type(interventions).__name__}."
        )
    with torch.no_grad():
        plain = _scalar(
            metric(_call(hooked, inputs, "run_with_interventions", interventions=[]))
        )
        steered = _scalar(
            metric(
                _call(
                    hooked,
                    inputs,
                    "run_with_interventions",
                    interventions=list(interventions),
                )
            )
        )
    return float(steered - plain)


class GACT(NeurokitEstimator):
    """G-ACT steering: clustered difference directions chosen by per-layer probes.

    ``fit(base, target)`` takes, for each layer, the activations of the same
    prompts in a base run and in a run showing the target behaviour. Per
    layer, the differences ``target - base`` are clustered (k-means) into
    ``n_clusters`` steering directions (the cluster means), and a logistic
    probe learns to predict a prompt's cluster from its *base* activation. The
    ``n_layers`` layers with the best cross-validated probe accuracy are the
    ones steered. At inference, the probe picks each new prompt's direction
    and :meth:`interventions` injects it. (The paper's online gradient
    refinement of the probes is not included.)

    Parameters
    ----------
    n_clusters : int
        Steering directions per layer.
    n_layers : int, optional
        Layers to steer (best probes first); all by default.
    C : float
        Inverse regularisation of the probes.
    cv : int
        Folds of the probe accuracy estimate.
    random_state : None, int or numpy Generator
        Seed of k-means and the probes.

    Attributes
    ----------
    directions_ : dict of str to ndarray, shape (n_clusters, n_units)
        Mean difference of each cluster, per layer.
    probes_ : dict of str to LogisticRegression
        Per-layer cluster probes (None when all prompts share one cluster).
    probe_scores_ : dict of str to float
        Cross-validated probe accuracy per layer.
    layers_ : list of str
        The steered layers, best probe first.
    labels_ : dict of str to ndarray
        Training cluster of each prompt, per layer.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> base = rng.standard_normal((40, 3))
    >>> group = (base[:, 0] > 0).astype(int)
    >>> target = base + np.where(group[:, None], [5.0, 0, 0], [0, 5.0, 0])
    >>> gact = GACT(n_clusters=2, random_state=0).fit({"l": base}, {"l": target})
    >>> gact.probe_scores_["l"] > 0.9
    True
    >>> sorted(np.round(np.abs(gact.directions_["l"]).max(1)).tolist())
    [5.0, 5.0]
    """

    def __init__(
        self,
        n_clusters: int = 4,
        *,
        n_layers: int | None = None,
        C: float = 1.0,
        cv: int = 3,
        random_state: Any = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.n_layers = n_layers
        self.C = C
        self.cv = cv
        self.random_state = random_state

    def fit(self, base: Mapping[str, Any], target: Mapping[str, Any]) -> GACT:
        """Cluster ``target - base`` per layer and train the cluster probes.

        Parameters
        ----------
        base, target : mapping of str to array-like, shape (n_prompts, n_units)
            Per-layer activations of the same prompts (same order) in the base
            run and in the target-behaviour run.
        """
        from sklearn.cluster import KMeans
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score

        check_scalar(self.n_clusters, "n_clusters", kind=int, min_val=1)
        check_scalar(self.C, "C", min_val=0.0, include_min=False)
        check_scalar(self.cv, "cv", kind=int, min_val=2)
        xs = as_layer_matrices(base, "base")
        ts = as_layer_matrices(target, "target")
        if set(xs) != set(ts):
            raise ValidationError(
                f"base has layers {sorted(xs)} but target has {sorted(ts)}; give "
                "both runs' activations at the same layers."
            )
        if self.n_layers is not None:
            check_scalar(self.n_layers, "n_layers", kind=int, min_val=1)
            if self.n_layers > len(xs):
                raise ValidationError(
                    f"n_layers={self.n_layers} but only {len(xs)} layers were "
                    "given; steer at most that many."
                )
        rng = check_random_state(self.random_state)
        self.directions_: dict[str, np.ndarray] = {}
        self.probes_: dict[str, Any] = {}
        self.probe_scores_: dict[str, float] = {}
        self.labels_: dict[str, np.ndarray] = {}
        for layer, x in xs.items():
            if ts[layer].shape != x.shape:
                raise ValidationError(
                    f"layer {layer!r}: base has shape {x.shape} but target "
                    f"{ts[layer].shape}; pass the same prompts in both runs."
                )
            diff = ts[layer] - x
            if self.n_clusters > x.shape[0]:
                raise ValidationError(
                    f"n_clusters={self.n_clusters} exceeds the {x.shape[0]} prompts "
                    "given; use fewer clusters or more prompts."
                )
            seed = int(rng.integers(2**31 - 1))
            if np.abs(diff).max() <= 1e-9 * max(np.abs(x).max(), 1.0):
                # target == base here: nothing to steer, so the layer ranks last
                self.labels_[layer] = np.zeros(x.shape[0], dtype=int)
                self.directions_[layer] = np.zeros((self.n_clusters, x.shape[1]))
                self.probes_[layer] = None
                self.probe_scores_[layer] = float("nan")
                continue
            km = KMeans(self.n_clusters, n_init=4, random_state=seed).fit(diff)
            labels = km.labels_
            self.labels_[layer] = labels
            counts = np.bincount(labels, minlength=self.n_clusters)
            self.directions_[layer] = np.stack(
                [
                    diff[labels == c].mean(0) if counts[c] else km.cluster_centers_[c]
                    for c in range(self.n_clusters)
                ]
            )
            if np.count_nonzero(counts) < 2:
                self.probes_[layer] = None
                self.probe_scores_[layer] = 1.0
                continue
            probe = LogisticRegression(C=self.C, max_iter=2000, random_state=seed)
            folds = min(self.cv, int(counts[counts > 0].min()))
            self.probe_scores_[layer] = (
                float(cross_val_score(probe, x, labels, cv=folds).mean())
                if folds >= 2
                else float("nan")
            )
            self.probes_[layer] = probe.fit(x, labels)
        if all(self.probes_[n] is None and np.isnan(self.probe_scores_[n]) for n in xs):
            raise ValidationError(
                "target equals base at every layer given, so there is no direction "
                "to steer; pass activations of a run that shows the target behaviour."
            )
        order = sorted(xs, key=lambda name: -np.nan_to_num(self.probe_scores_[name]))
        self.layers_ = order[: self.n_layers or len(order)]
        return self

    def predict(self, base: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Cluster chosen by each steered layer's probe, per prompt."""
        check_is_fitted(self, "directions_")
        xs = as_layer_matrices(base, "base")
        missing = [layer for layer in self.layers_ if layer not in xs]
        if missing:
            raise ValidationError(
                f"base lacks the steered layers {missing}; pass activations at "
                f"{self.layers_}."
            )
        out = {}
        for layer in self.layers_:
            x = xs[layer]
            width = self.directions_[layer].shape[1]
            if x.shape[1] != width:
                raise ValidationError(
                    f"layer {layer!r} has {x.shape[1]} units, the fit had {width}."
                )
            probe = self.probes_[layer]
            out[layer] = (
                np.zeros(x.shape[0], dtype=int) if probe is None else probe.predict(x)
            )
        return out

    def steering_vectors(self, base: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Per steered layer, the direction the probe picks for each prompt."""
        return {
            layer: self.directions_[layer][labels]
            for layer, labels in self.predict(base).items()
        }

    def interventions(
        self,
        base: Mapping[str, Any],
        alpha: float = 1.0,
        *,
        names: Mapping[str, str] | None = None,
        positions: int | Sequence[int] | None = None,
    ) -> list[Intervention]:
        """Interventions injecting ``alpha`` times each prompt's chosen direction.

        ``alpha=1`` adds the cluster's mean difference as it is. ``names``
        maps a layer key to its hook point when they differ.
        """
        check_scalar(alpha, "alpha")
        names = dict(names or {})
        return [
            steering_intervention(
                names.get(layer, layer),
                alpha * vectors,
                normalize=False,
                positions=positions,
            )
            for layer, vectors in self.steering_vectors(base).items()
        ]
