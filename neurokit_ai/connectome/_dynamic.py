"""The dynamic functional connectome: NTF motifs, their communities and time courses."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import DTypeError, check_option, check_random_state, check_scalar
from ._affinity import AffinityTensor
from ._communities import COMMUNITY_METHODS, detect_communities
from ._ntf import CPResult, non_negative_cp
from ._rank import RankSelection, select_rank

__all__ = ["DynamicConnectome", "dynamic_connectome"]


@dataclass
class DynamicConnectome:
    """NTF motifs of an affinity tensor, with the communities of each motif.

    Component ``r`` says which neuron pairs interact (``pair_weights[:, r]``),
    when (``time_courses[:, r]``) and in which animals
    (``animal_loadings[:, r]``); ``communities[r]`` labels the neurons of its
    motif graph.

    Attributes
    ----------
    tensor : AffinityTensor
        The factorized tensor.
    cp : CPResult
        The NTF model (unit-norm factors, decreasing weights).
    communities : list of ndarray
        One label array over ``tensor.neuron_names`` per component.
    rank_selection : RankSelection or None
        Diagnostics when the rank was chosen automatically.
    community_method : str
        ``"louvain"``, ``"sbm"`` or ``"sbm-mdl"``.
    """

    tensor: AffinityTensor
    cp: CPResult
    communities: list[np.ndarray]
    rank_selection: RankSelection | None = field(repr=False)
    community_method: str = "louvain"

    @property
    def rank(self) -> int:
        """Number of motifs."""
        return self.cp.rank

    @property
    def pair_weights(self) -> np.ndarray:
        """``(n_pairs, rank)`` unit-norm pair factor."""
        return self.cp.factors[0]

    @property
    def time_courses(self) -> np.ndarray:
        """``(n_windows, rank)`` window loadings scaled by the component weights."""
        return self.cp.factors[1] * self.cp.weights

    @property
    def animal_loadings(self) -> np.ndarray:
        """``(n_animals, rank)`` unit-norm animal factor."""
        return self.cp.factors[2]

    def motif_matrix(self, component: int) -> np.ndarray:
        """Neuron × neuron weights of one component's motif."""
        check_scalar(
            component,
            "component",
            kind=numbers.Integral,
            min_val=0,
            max_val=self.rank - 1,
        )
        return self.tensor.to_matrix(self.pair_weights[:, component])

    def dominant_motif(self) -> np.ndarray:
        """Index of the component with the largest time course in each window."""
        return np.argmax(self.time_courses, axis=1)

    def switch_times(self) -> np.ndarray:
        """Times (s) at which the dominant motif changes: the next window's start.

        Examples
        --------
        >>> from neurokit_ai.datasets._connectome import simulate_switching_communities
        >>> from neurokit_ai.connectome import (affinity_tensor, prepare_traces,
        ...                                     sliding_windows)
        >>> rec = simulate_switching_communities(n_neurons=12, epoch_duration=40.0)
        >>> dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
        >>> t = affinity_tensor(dff, sliding_windows(rec.duration, 10.0))
        >>> dc = dynamic_connectome(t, rank=3, random_state=0)
        >>> dc.switch_times().tolist()
        [40.0, 80.0]
        """
        dom = self.dominant_motif()
        change = np.flatnonzero(dom[1:] != dom[:-1]) + 1
        return self.tensor.windows.starts[change]

    def summary(self) -> str:
        """One block per motif: weight, when it peaks, its communities' members."""
        names = self.tensor.neuron_names
        windows = self.tensor.windows
        lines = []
        for r in range(self.rank):
            course = self.time_courses[:, r]
            peak = int(np.argmax(course))
            active = np.flatnonzero(course >= 0.5 * course[peak])
            labels = self.communities[r]
            lines.append(
                f"motif {r}: weight {self.cp.weights[r]:.3g}, peak in window "
                f"{peak} ({windows.starts[peak]:g}-{windows.stops[peak]:g} s, "
                f"{windows.labels[peak]}), above half-peak in "
                f"{active.size}/{len(windows)} windows; "
                f"{labels.max() + 1} communities"
            )
            for k in range(labels.max() + 1):
                members = [names[i] for i in np.flatnonzero(labels == k)]
                lines.append(f"  community {k} ({len(members)}): {', '.join(members)}")
        return "\n".join(lines)


def dynamic_connectome(
    tensor: AffinityTensor,
    rank: int | str = "auto",
    *,
    ranks: Sequence[int] = (1, 2, 3, 4, 5, 6),
    criterion: str = "cv",
    n_restarts: int = 5,
    community_method: str = "louvain",
    max_communities: int = 8,
    method: str = "hals",
    n_iter_max: int = 500,
    tol: float = 1e-8,
    random_state: Any = None,
    verbose: bool = False,
) -> DynamicConnectome:
    """Factorize an affinity tensor and find the communities of every motif.

    Stage 2 and 3 of Dyballa et al. (2024): non-negative CP of the
    pairs × windows × animals tensor (:func:`non_negative_cp`, with the best
    of ``n_restarts`` random starts), then weighted community detection on
    each component's neuron × neuron motif (:func:`detect_communities`).

    Parameters
    ----------
    tensor : AffinityTensor
        From :func:`affinity_tensor`.
    rank : int or "auto"
        Number of motifs, or ``"auto"`` for :func:`select_rank` over ``ranks``.
    ranks : sequence of int
        Candidates for ``rank="auto"`` (those above the tensor's limit are
        left out).
    criterion : {"cv", "stability"}
        Rank-selection rule of :func:`select_rank`.
    n_restarts : int
        Random starts (at least 1; at least 2 for ``"auto"``).
    community_method : {"louvain", "sbm", "sbm-mdl"}
        Community detection on each motif: Louvain (default), the
        degree-corrected weighted SBM with its blocks merged into assortative
        communities, or the SBM chosen by minimum description length (see
        :func:`detect_communities`). All recover the
        planted simulator's communities exactly
        (``benchmarks/connectome_communities.py``); Louvain is the default
        because it is about 20 times faster there.
    max_communities : int
        Largest number of communities per motif (``"sbm"``, ``"sbm-mdl"``).
    method : {"hals", "mu"}
        NTF update rule.
    n_iter_max, tol : int, float
        NTF stopping rule.
    random_state : None, int or numpy Generator
        Seed.
    verbose : bool
        Progress bars.

    Returns
    -------
    DynamicConnectome

    Examples
    --------
    >>> from neurokit_ai.datasets._connectome import simulate_switching_communities
    >>> from neurokit_ai.connectome import affinity_tensor, sliding_windows
    >>> rec = simulate_switching_communities(n_neurons=12, epoch_duration=40.0)
    >>> t = affinity_tensor(rec, sliding_windows(rec.duration, 10.0))
    >>> dynamic_connectome(t, rank=3, random_state=0).rank
    3
    """
    if not isinstance(tensor, AffinityTensor):
        raise DTypeError(
            "tensor must be a neurokit_ai.connectome.AffinityTensor, got "
            f"{type(tensor).__name__}. Build one with affinity_tensor(...)."
        )
    check_option(community_method, "community_method", COMMUNITY_METHODS)
    n_restarts = int(
        check_scalar(n_restarts, "n_restarts", kind=numbers.Integral, min_val=1)
    )
    rng = check_random_state(random_state)
    selection = None
    if isinstance(rank, str):
        check_option(rank, "rank", ["auto"])
        limit = min(n for n in tensor.shape if n > 1) if max(tensor.shape) > 1 else 1
        usable = [r for r in ranks if isinstance(r, numbers.Integral) and r <= limit]
        selection = select_rank(
            tensor.values,
            usable or [1],
            criterion=criterion,
            n_restarts=max(n_restarts, 2),
            method=method,
            n_iter_max=n_iter_max,
            tol=tol,
            random_state=rng,
            verbose=verbose,
        )
        fit: CPResult = selection.fits[selection.rank]
    else:
        fits = [
            non_negative_cp(
                tensor.values,
                rank,
                method=method,
                n_iter_max=n_iter_max,
                tol=tol,
                random_state=rng.integers(2**32),
                verbose=verbose,
            )
            for _ in range(n_restarts)
        ]
        fit = min(fits, key=lambda f: f.error)
    communities = [
        detect_communities(
            tensor.to_matrix(fit.factors[0][:, r]),
            community_method,
            max_communities=max_communities,
            random_state=rng,
        )
        for r in range(fit.rank)
    ]
    return DynamicConnectome(tensor, fit, communities, selection, community_method)
