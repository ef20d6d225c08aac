"""Weighted LFR benchmark graphs (Lancichinetti & Fortunato, Phys. Rev. E 80, 2009)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import ValidationError, check_random_state, check_scalar
from ._common import check_count

__all__ = ["WeightedLFRGraph", "weighted_lfr_graph"]


@dataclass
class WeightedLFRGraph:
    """A weighted LFR graph and its planted structure.

    Attributes
    ----------
    weights : ndarray, shape (n_nodes, n_nodes)
        Symmetric edge weights, zero on the diagonal and between non-neighbours.
    adjacency : ndarray of bool, shape (n_nodes, n_nodes)
        The edges (an edge keeps its place here even if its weight is 0).
    communities : ndarray of int, shape (n_nodes,)
        Planted community of each node.
    degrees : ndarray of int, shape (n_nodes,)
        Planted degree sequence ``k_i`` (power law, exponent ``tau1``).
    internal_degrees : ndarray of int, shape (n_nodes,)
        Planted links of each node inside its community, ``≈ (1 − μ_t) k_i``.
    strengths : ndarray, shape (n_nodes,)
        Target strengths ``s_i = k_i ** beta`` of the realised degrees.
    params : dict
        The arguments, ``min_degree`` (the power law's lower bound) and
        ``strength_error``: the largest relative gap between a node's target
        internal, external or total strength and the realised one.
    """

    weights: np.ndarray
    adjacency: np.ndarray
    communities: np.ndarray
    degrees: np.ndarray
    internal_degrees: np.ndarray
    strengths: np.ndarray
    params: dict = field(default_factory=dict)

    def mixing(self) -> tuple[np.ndarray, np.ndarray]:
        """Realised per-node mixing: topological ``μ_t`` and weight ``μ_w``.

        ``μ_t`` is each node's fraction of links leaving its community, ``μ_w``
        its fraction of strength on those links.

        Examples
        --------
        >>> g = weighted_lfr_graph(60, 10, 20, mu_t=0.3, mu_w=0.3, random_state=0)
        >>> mu_t, mu_w = g.mixing()
        >>> round(float(mu_t.mean()), 1), round(float(mu_w.mean()), 1)
        (0.3, 0.3)
        """
        outside = self.communities[:, None] != self.communities[None, :]
        degree = self.adjacency.sum(axis=1)
        strength = self.weights.sum(axis=1)
        mu_t = (self.adjacency & outside).sum(axis=1) / np.maximum(degree, 1)
        mu_w = (self.weights * outside).sum(axis=1) / np.where(
            strength > 0, strength, 1.0
        )
        return mu_t, mu_w

    def to_networkx(self):
        """The graph as a :class:`networkx.Graph` with ``weight`` edge attributes
        and a ``community`` node attribute.

        Examples
        --------
        >>> g = weighted_lfr_graph(40, 8, 16, mu_t=0.2, mu_w=0.2, random_state=0)
        >>> nxg = g.to_networkx()
        >>> nxg.number_of_edges() == int(g.adjacency.sum()) // 2
        True
        """
        import networkx as nx

        graph = nx.Graph()
        for node, community in enumerate(self.communities.tolist()):
            graph.add_node(node, community=community)
        rows, cols = np.nonzero(np.triu(self.adjacency, 1))
        graph.add_weighted_edges_from(
            zip(rows.tolist(), cols.tolist(), self.weights[rows, cols].tolist())
        )
        return graph


def _power_law_cdf(low: int, high: int, exponent: float) -> np.ndarray:
    values = np.arange(low, high + 1, dtype=float)
    pmf = values**-exponent
    return np.cumsum(pmf) / pmf.sum()


def _discrete_mean(low: int, high: int, exponent: float) -> float:
    values = np.arange(low, high + 1, dtype=float)
    pmf = values**-exponent
    return float((values * pmf).sum() / pmf.sum())


def _min_degree(average: float, k_max: int, tau1: float) -> int:
    """Lower bound ``k_min`` whose discrete power law on [k_min, k_max] has
    the mean closest to ``average`` (LFR keeps the closer of the two integers
    around the continuous solution; the mean grows with ``k_min``)."""
    lows = np.arange(1, k_max + 1)
    means = np.array([_discrete_mean(low, k_max, tau1) for low in lows])
    return int(lows[np.argmin(np.abs(means - average))])


def _draw(
    rng: np.random.Generator, cdf: np.ndarray, low: int, size: int | None = None
) -> Any:
    return np.searchsorted(cdf, rng.random(size)) + low


def _community_sizes(
    rng: np.random.Generator,
    n_nodes: int,
    largest_internal: int,
    c_min: int,
    c_max: int,
    tau2: float,
    max_tries: int = 100,
) -> list[int]:
    """Power-law sizes summing to ``n_nodes``; the first hosts the largest hub.

    Sizes are drawn until the next one would overflow, the remainder going
    to the smallest (as in LFR); a draw that leaves a single community is
    redrawn, since a graph of one community benchmarks nothing.
    """
    cdf = _power_law_cdf(c_min, c_max, tau2)
    for _ in range(max_tries):
        sizes = [largest_internal + 1] if largest_internal + 1 > c_min else []
        while True:
            size = int(_draw(rng, cdf, c_min))
            if sum(sizes) + size > n_nodes:
                break
            sizes.append(size)
        if len(sizes) >= 2:
            sizes[int(np.argmin(sizes))] += n_nodes - sum(sizes)
            return sizes
    raise ValidationError(
        f"weighted_lfr_graph could not split {n_nodes} nodes into two or more "
        f"communities of {c_min}-{c_max} nodes next to one of "
        f"{largest_internal + 1} for the largest hub; lower min_community or "
        "max_degree, or raise mu_t or n_nodes."
    )


def _memberships(
    rng: np.random.Generator, internal: np.ndarray, sizes: list[int]
) -> np.ndarray:
    """Nodes into communities (hubs first), each in one with room for its links.

    When a hub fits nowhere, the two smallest communities are merged (as in
    LFR's ``change_community_size``) and the assignment starts again.
    """
    sizes = list(sizes)
    order = np.argsort(-internal, kind="stable")
    while True:
        free = np.array(sizes)
        labels = np.empty(internal.size, int)
        for node in order:
            room = np.flatnonzero((free > 0) & (np.array(sizes) > internal[node]))
            if room.size == 0:
                break
            pick = room[rng.choice(room.size, p=free[room] / free[room].sum())]
            labels[node] = pick
            free[pick] -= 1
        else:
            return labels
        if len(sizes) < 3:
            raise ValidationError(
                "weighted_lfr_graph could not place the hubs in communities "
                "larger than their internal degree; lower max_degree, raise "
                "mu_t or raise max_community."
            )
        small = np.argsort(sizes, kind="stable")[:2]
        merged = sizes[small[0]] + sizes[small[1]]
        sizes = [s for i, s in enumerate(sizes) if i not in small] + [merged]


def _wire(
    rng: np.random.Generator,
    stubs: np.ndarray,
    allowed: np.ndarray,
    swaps_per_edge: int = 10,
) -> tuple[np.ndarray, np.ndarray]:
    """Simple graph with ``stubs[i]`` links at node ``i``, only where ``allowed``.

    Havel–Hakimi with forbidden pairs (the node with most stubs left links to
    the allowed nodes with most stubs left, ties broken at random), which
    realises any graphical sequence when every pair is allowed, then
    randomised by double edge swaps that keep the degrees and the allowed
    pairs. Returns the edges ``(m, 2)`` and the stubs left unmatched per node
    (all 0 when the sequence was realised).
    """
    n = stubs.size
    left = stubs.astype(int).copy()
    adjacency = np.zeros((n, n), bool)
    unmatched = np.zeros(n, int)
    while left.any():
        node = int(np.argmax(left + 0.5 * rng.random(n)))
        cand = np.flatnonzero(allowed[node] & ~adjacency[node] & (left > 0))
        order = np.argsort(-(left[cand] + 0.5 * rng.random(cand.size)))
        take = cand[order[: left[node]]]
        adjacency[node, take] = adjacency[take, node] = True
        left[take] -= 1
        unmatched[node] = left[node] - take.size
        left[node] = 0
    edges = np.argwhere(np.triu(adjacency, 1))
    m = len(edges)
    if m > 1:
        picks = rng.integers(m, size=(swaps_per_edge * m, 2))
        flips = rng.random(swaps_per_edge * m) < 0.5
        for (e, f), flip in zip(picks.tolist(), flips.tolist()):
            a, b = edges[e]
            c, d = edges[f] if flip else edges[f][::-1]
            if (
                a == d
                or b == c
                or not allowed[a, d]
                or not allowed[c, b]
                or adjacency[a, d]
                or adjacency[c, b]
            ):
                continue
            adjacency[a, b] = adjacency[b, a] = adjacency[c, d] = adjacency[d, c] = (
                False
            )
            adjacency[a, d] = adjacency[d, a] = adjacency[c, b] = adjacency[b, c] = True
            edges[e], edges[f] = (a, d), (c, b)
    return edges, unmatched


def _match(
    rng: np.random.Generator,
    stubs: np.ndarray,
    allowed: np.ndarray,
    max_passes: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`_wire`, by a random stub matching (configuration model).

    Self-loops, repeated edges and forbidden pairs are repaired by swapping
    an end with a random other edge; unlike the greedy construction this
    spreads the links over the allowed pairs when those are constrained (links
    between communities), at the cost of a few unmatched stubs.
    """
    ends = np.repeat(np.arange(stubs.size), stubs)
    rng.shuffle(ends)
    edges = ends[: ends.size - ends.size % 2].reshape(-1, 2)
    used = np.zeros(allowed.shape, int)
    np.add.at(used, (edges[:, 0], edges[:, 1]), 1)
    np.add.at(used, (edges[:, 1], edges[:, 0]), 1)

    def bad(a: int, b: int) -> bool:
        return not allowed[a, b] or used[a, b] > 1

    def free(a: int, b: int) -> bool:
        return allowed[a, b] and not used[a, b]

    fewest, stalled = len(edges) + 1, 0
    for _ in range(max_passes):
        broken = [e for e in range(len(edges)) if bad(*edges[e])]
        stalled = stalled + 1 if len(broken) >= fewest else 0
        if not broken or stalled == 10:
            break
        fewest = min(fewest, len(broken))
        for e in broken:
            a, b = edges[e]
            if not bad(a, b):
                continue
            for f in rng.integers(len(edges), size=60):
                c, d = edges[f] if rng.random() < 0.5 else edges[f][::-1]
                if f == e or not (free(a, c) and free(b, d)) or (a, c) == (b, d):
                    continue
                for x, y, step in ((a, b, -1), (c, d, -1), (a, c, 1), (b, d, 1)):
                    used[x, y] += step
                    used[y, x] += step
                edges[e], edges[f] = (a, c), (b, d)
                break
    good = np.array([allowed[a, b] for a, b in edges], bool)
    kept = np.unique(np.sort(edges[good], axis=1), axis=0).reshape(-1, 2)
    return kept, stubs - np.bincount(kept.ravel(), minlength=stubs.size)


def _links(
    rng: np.random.Generator,
    labels: np.ndarray,
    internal: np.ndarray,
    degrees: np.ndarray,
) -> np.ndarray:
    """Adjacency with ``internal`` links inside each community, the rest outside.

    Internal stubs that cannot be matched inside become external ones, and
    external stubs with no free partner outside (a community holding most of
    the nodes) are matched inside instead, so the degrees are kept whenever
    the graph can have them; the mixing then moves off ``μ_t`` for those nodes.
    """
    n = labels.size
    eye = np.eye(n, dtype=bool)
    adjacency = np.zeros((n, n), bool)

    def add(pairs: np.ndarray) -> None:
        adjacency[pairs[:, 0], pairs[:, 1]] = adjacency[pairs[:, 1], pairs[:, 0]] = True

    unmatched = np.zeros(n, int)
    for community in np.unique(labels):
        members = np.flatnonzero(labels == community)
        local, rest = _wire(
            rng, internal[members], ~eye[: members.size, : members.size]
        )
        add(members[local])
        unmatched[members] = rest
    external, rest = _match(
        rng, degrees - internal + unmatched, labels[:, None] != labels[None, :]
    )
    add(external)
    for community in np.unique(labels):
        members = np.flatnonzero((labels == community) & (rest > 0))
        if members.size > 1:
            free = (
                ~adjacency[np.ix_(members, members)]
                & ~eye[: members.size, : members.size]
            )
            add(members[_wire(rng, rest[members], free)[0]])
    return adjacency


def _balance(
    pairs: np.ndarray, n_nodes: int, target: np.ndarray, n_iter: int = 500
) -> np.ndarray:
    """Weights ``x_i x_j`` on ``pairs`` whose node sums approach ``target``.

    Symmetric matrix scaling: ``x_i ← sqrt(x_i t_i / Σ_j x_j)`` over the
    neighbours ``j``; at the fixed point ``x_i Σ_j x_j = t_i`` exactly. This
    is the maximum-entropy weighting of the edges with those strengths.
    """
    if len(pairs) == 0:
        return np.zeros(0)
    a, b = pairs[:, 0], pairs[:, 1]
    deg = np.bincount(pairs.ravel(), minlength=n_nodes)
    x = np.sqrt(np.where(deg > 0, target / np.maximum(deg, 1), 0.0))
    start = x.copy()
    for _ in range(n_iter):
        sums = np.bincount(a, x[b], n_nodes) + np.bincount(b, x[a], n_nodes)
        ok = sums > 0
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            x[ok] = np.sqrt(x[ok] * target[ok] / sums[ok])
        if not np.isfinite(x).all():
            # No scaling has these strengths (a hub among weak nodes): the
            # least-squares polish starts from the degree-based weights.
            x = start
            break
    return x[a] * x[b]


def _strength_gaps(
    pairs: np.ndarray, w: np.ndarray, inside: np.ndarray, n: int, wished: np.ndarray
) -> np.ndarray:
    """Realised minus wished internal, external and total strength, ``(3, n)``."""
    a, b = pairs[:, 0], pairs[:, 1]
    s_in = np.bincount(a, w * inside, n) + np.bincount(b, w * inside, n)
    s_out = np.bincount(a, w * ~inside, n) + np.bincount(b, w * ~inside, n)
    return np.stack([s_in, s_out, s_in + s_out]) - wished


def _weights(
    pairs: np.ndarray, inside: np.ndarray, strengths: np.ndarray, mu_w: float
) -> np.ndarray:
    """Edge weights minimising LF's strength variance under ``w ≥ 0``.

    ``V = Σ_i (s_i^in − (1 − μ_w) s_i)² + (s_i^out − μ_w s_i)²
    + (s_i^in + s_i^out − s_i)²`` (Lancichinetti & Fortunato 2009), started
    from the balanced
    internal and external weights and polished by L-BFGS-B.
    """
    from scipy.optimize import minimize

    n = strengths.size
    wished = np.stack([(1 - mu_w) * strengths, mu_w * strengths, strengths])
    w = np.zeros(len(pairs))
    w[inside] = _balance(pairs[inside], n, wished[0])
    w[~inside] = _balance(pairs[~inside], n, wished[1])
    scale = float(strengths.max())
    a, b = pairs[:, 0], pairs[:, 1]

    def objective(v: np.ndarray) -> tuple[float, np.ndarray]:
        gap = _strength_gaps(pairs, v * scale, inside, n, wished) / scale
        node = np.where(inside, gap[0][a] + gap[0][b], gap[1][a] + gap[1][b])
        node += gap[2][a] + gap[2][b]
        return float((gap**2).sum()), 2.0 * node

    fit = minimize(
        objective,
        w / scale,
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, None)] * len(w),
        options={"maxiter": 2000, "ftol": 1e-16, "gtol": 1e-12},
    )
    return fit.x * scale


def weighted_lfr_graph(
    n_nodes: int = 125,
    average_degree: float = 25.0,
    max_degree: int = 100,
    mu_t: float = 0.25,
    mu_w: float = 0.25,
    beta: float = 1.0,
    *,
    tau1: float = 2.0,
    tau2: float = 1.0,
    min_community: int | None = None,
    max_community: int | None = None,
    random_state: Any = None,
) -> WeightedLFRGraph:
    """Generate a weighted LFR benchmark graph with planted communities.

    The construction of Lancichinetti & Fortunato (2009), "Benchmarks for
    testing community detection algorithms on directed and weighted graphs
    with overlapping communities" (non-overlapping, undirected case):

    1. degrees ``k_i`` from a discrete power law ``∝ k^−tau1`` on
       ``[k_min, max_degree]``, ``k_min`` chosen so the mean is
       ``average_degree`` (the sum made even);
    2. each node's internal degree ``(1 − μ_t) k_i``, rounded up or down at
       random with the fractional part as probability;
    3. community sizes from a power law ``∝ S^−tau2`` on
       ``[min_community, max_community]`` (defaults ``k_min`` and
       ``max_degree``, as in LFR), plus one community just large enough for
       the largest internal degree, the remainder added to the smallest;
    4. nodes placed (hubs first) at random in communities larger than their
       internal degree;
    5. internal links wired per community (Havel–Hakimi, randomised by
       degree-preserving edge swaps) and external links between communities
       (configuration model repaired by edge swaps); internal stubs that
       cannot be matched become external ones and external stubs with no free
       partner outside are matched inside, so the degree sequence is kept
       and the realised mixing (:meth:`WeightedLFRGraph.mixing`) may drift
       from ``μ_t`` where one community holds most nodes;
    6. strengths ``s_i = k_i ** beta``, of which a fraction ``μ_w`` on the
       external links, and edge weights that minimise LF's variance
       ``V = Σ_i (s_i^in − (1 − μ_w) s_i)² + (s_i^out − μ_w s_i)²
       + (s_i − s_i^in − s_i^out)²`` with ``w ≥ 0``. LF reduce it with a greedy per-node
       update; here it starts from the maximum-entropy weights ``x_i x_j``
       that give the internal and external strengths (symmetric matrix
       scaling) and is polished by L-BFGS-B, so the strengths are met
       wherever the links allow it (``params["strength_error"]``).

    Parameters
    ----------
    n_nodes : int
        Number of nodes.
    average_degree : float
        Mean degree, at most ``max_degree``.
    max_degree : int
        Largest degree, below ``n_nodes``.
    mu_t : float
        Topological mixing: fraction of each node's links that leave its
        community, in [0, 1].
    mu_w : float
        Weight mixing: fraction of each node's strength on those links, in [0, 1].
    beta : float
        Strength exponent, ``s_i = k_i ** beta`` (>= 0).
    tau1 : float
        Degree exponent (LFR's default 2).
    tau2 : float
        Community-size exponent (LFR's default 1).
    min_community, max_community : int, optional
        Range of the community sizes (defaults: ``k_min`` and ``max_degree``).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    WeightedLFRGraph

    Examples
    --------
    >>> g = weighted_lfr_graph(60, 10, 20, mu_t=0.2, mu_w=0.2, random_state=0)
    >>> g.weights.shape, bool((g.adjacency.sum(axis=1) == g.degrees).all())
    ((60, 60), True)
    """
    n_nodes = check_count(n_nodes, "n_nodes", min_val=4)
    max_degree = check_count(max_degree, "max_degree", min_val=1, max_val=n_nodes - 1)
    check_scalar(average_degree, "average_degree", min_val=1.0, max_val=max_degree)
    check_scalar(mu_t, "mu_t", min_val=0.0, max_val=1.0)
    check_scalar(mu_w, "mu_w", min_val=0.0, max_val=1.0)
    check_scalar(beta, "beta", min_val=0.0)
    check_scalar(tau1, "tau1", min_val=0.0)
    check_scalar(tau2, "tau2", min_val=0.0)
    rng = check_random_state(random_state)

    k_min = _min_degree(float(average_degree), max_degree, float(tau1))
    achievable = _discrete_mean(k_min, max_degree, float(tau1))
    if abs(achievable - average_degree) > 0.5:
        raise ValidationError(
            f"average_degree={average_degree} is out of reach of a power law with "
            f"tau1={tau1} up to max_degree={max_degree} (closest mean "
            f"{achievable:.1f}); change average_degree, max_degree or tau1."
        )
    c_min = k_min if min_community is None else min_community
    c_max = max_degree if max_community is None else max_community
    c_min = check_count(c_min, "min_community", min_val=2, max_val=n_nodes)
    c_max = check_count(c_max, "max_community", min_val=c_min, max_val=n_nodes)

    degrees = _draw(rng, _power_law_cdf(k_min, max_degree, float(tau1)), k_min, n_nodes)
    if degrees.sum() % 2:
        grow = np.flatnonzero(degrees < max_degree)
        degrees[grow[rng.integers(grow.size)]] += 1
    kin = (1.0 - mu_t) * degrees
    internal = np.floor(kin).astype(int)
    internal += rng.random(n_nodes) < kin - internal
    sizes = _community_sizes(rng, n_nodes, int(internal.max()), c_min, c_max, tau2)
    labels = _memberships(rng, internal, sizes)

    adjacency = _links(rng, labels, internal, degrees)
    same = labels[:, None] == labels[None, :]
    pairs = np.argwhere(np.triu(adjacency, 1))
    realised = adjacency.sum(axis=1)
    strengths = realised.astype(float) ** beta
    inside = same[pairs[:, 0], pairs[:, 1]]
    w = _weights(pairs, inside, strengths, float(mu_w))
    weights = np.zeros((n_nodes, n_nodes))
    weights[pairs[:, 0], pairs[:, 1]] = weights[pairs[:, 1], pairs[:, 0]] = w
    wished = np.stack([(1 - mu_w) * strengths, mu_w * strengths, strengths])
    gaps = _strength_gaps(pairs, w, inside, n_nodes, wished)
    error = float(np.max(np.abs(gaps) / np.maximum(strengths, 1e-12)))
    params = {
        "n_nodes": n_nodes,
        "average_degree": average_degree,
        "max_degree": max_degree,
        "mu_t": mu_t,
        "mu_w": mu_w,
        "beta": beta,
        "tau1": tau1,
        "tau2": tau2,
        "min_degree": k_min,
        "min_community": c_min,
        "max_community": c_max,
        "strength_error": error,
    }
    return WeightedLFRGraph(
        weights, adjacency, labels, degrees, internal, strengths, params
    )
