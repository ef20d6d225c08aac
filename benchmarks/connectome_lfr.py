"""Community detection on weighted LFR graphs: our SBMs vs Louvain, scored by NMI.

Run: ``python benchmarks/connectome_lfr.py [--reps 10] [--grid paper]``.

Dyballa et al. (ICLR 2024, ``benchmark.ipynb``) compare their nested weighted
SBM with other methods on weighted LFR graphs (Lancichinetti & Fortunato
2009): N = 125 nodes, average degree 25 (and 10), maximum degree 100,
degree exponent 2, community-size exponent 1, topological mixing ``μ_t`` and
weight mixing ``μ_w`` in {0.25, 0.5, 0.75}, strength exponent ``β`` in
{0.5, 1, 2}, 10 graphs each, scored by the normalised mutual information
(NMI) between found and planted communities. The graphs come from
:func:`neurokit_ai.datasets.weighted_lfr_graph`; the NMI is scikit-learn's
(arithmetic normalisation).

``--grid paper`` runs that whole grid (2 × 3 × 3 × 3 settings × ``--reps``);
the default ``--grid diagonal`` keeps ``μ_t = μ_w`` (2 × 3 × 3 settings).
For each setting the table gives the NMI (mean ± sd over the graphs) of:

- ``DC-SBM ICL``: ``weighted_sbm(degree_corrected=True)`` blocks (normal
  weights on every pair, K by ICL);
- ``DC-SBM comm``: the same fit's blocks merged greedily while the weighted
  modularity of the model's expected block weights rises
  (:meth:`SBMResult.communities`, ``detect_communities(..., "sbm")``);
- ``flat SBM ICL``: ``weighted_sbm()`` blocks (normal weights, not degree
  corrected);
- ``DC-SBM MDL``: ``weighted_sbm(distribution="exponential",
  degree_corrected=True, criterion="mdl")`` blocks (Peixoto's microcanonical
  degree-corrected SBM on the edges with exponential weights, K by minimum
  description length);
- ``SBM MDL auto``: of that fit and the non-degree-corrected one, the one
  with the shorter description length (``degree_corrected="auto"``, the
  choice made in Dyballa et al.'s benchmark);
- ``Louvain``: ``detect_communities(..., "louvain")``;

and the realised mixing (mean over nodes) and number of planted communities.
The last lines give each method's mean NMI over all settings and its mean
time per graph (``DC-SBM comm`` reuses the ``DC-SBM ICL`` fit and
``SBM MDL auto`` the ``DC-SBM MDL`` one: their times are the extra work).
Graphs of N = 125 with maximum degree 100 often have one community of most
nodes (the one that must hold the largest hub); the
realised ``μ_t`` is then below the requested one, as in LFR's own code.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from neurokit_ai.connectome import weighted_sbm
from neurokit_ai.datasets import weighted_lfr_graph


def _dc_fit(w: np.ndarray):
    return weighted_sbm(w, max_communities=10, degree_corrected=True, random_state=0)


def _mdl_fit(w: np.ndarray, degree_corrected: bool):
    return weighted_sbm(
        w,
        max_communities=10,
        distribution="exponential",
        degree_corrected=degree_corrected,
        criterion="mdl",
        random_state=0,
    )


def methods() -> dict[str, Callable[[np.ndarray, dict], np.ndarray]]:
    """Each method maps (weights, cache) to labels.

    The cache passes the fit of ``DC-SBM ICL`` to ``DC-SBM comm`` and that of
    ``DC-SBM MDL`` to ``SBM MDL auto``, which run after them.
    """

    def dc(w: np.ndarray, cache: dict) -> np.ndarray:
        cache["dc"] = _dc_fit(w)
        return cache["dc"].labels

    def dc_communities(w: np.ndarray, cache: dict) -> np.ndarray:
        return cache["dc"].communities()

    def flat(w: np.ndarray, cache: dict) -> np.ndarray:
        return weighted_sbm(w, max_communities=10, random_state=0).labels

    def dc_mdl(w: np.ndarray, cache: dict) -> np.ndarray:
        cache["mdl"] = _mdl_fit(w, True)
        return cache["mdl"].labels

    def auto_mdl(w: np.ndarray, cache: dict) -> np.ndarray:
        fits = [cache["mdl"], _mdl_fit(w, False)]
        return min(fits, key=lambda f: min(f.description_length.values())).labels

    def louvain(w: np.ndarray, cache: dict) -> np.ndarray:
        from neurokit_ai.connectome import detect_communities

        return detect_communities(w, "louvain", random_state=0)

    return {
        "DC-SBM ICL": dc,
        "DC-SBM comm": dc_communities,
        "flat SBM ICL": flat,
        "DC-SBM MDL": dc_mdl,
        "SBM MDL auto": auto_mdl,
        "Louvain": louvain,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--grid", choices=("diagonal", "paper"), default="diagonal")
    parser.add_argument("--degrees", type=float, nargs="+", default=[25.0, 10.0])
    args = parser.parse_args()
    mus = (0.25, 0.5, 0.75)
    mixings = (
        list(itertools.product(mus, mus))
        if args.grid == "paper"
        else [(m, m) for m in mus]
    )
    table = methods()
    scores: dict[str, list[float]] = {name: [] for name in table}
    seconds: dict[str, float] = dict.fromkeys(table, 0.0)
    n_graphs = 0
    header = " ".join(f"{name:>14}" for name in table)
    print(f"N=125, max degree 100, tau1=2, tau2=1, {args.reps} graphs per row")
    print(f"{'k':>4} {'mu_t':>5} {'mu_w':>5} {'beta':>4} | {header} | real mu_t  K")
    for k, (mu_t, mu_w), beta in itertools.product(
        args.degrees, mixings, (0.5, 1.0, 2.0)
    ):
        row: dict[str, list[float]] = {name: [] for name in table}
        real, n_comm = [], []
        for rep in range(args.reps):
            g = weighted_lfr_graph(
                125, k, 100, mu_t, mu_w, beta, random_state=1000 * rep + 7
            )
            real.append(g.mixing()[0].mean())
            n_comm.append(int(g.communities.max()) + 1)
            cache: dict = {}
            for name, fn in table.items():
                t0 = time.perf_counter()
                labels = fn(g.weights, cache)
                seconds[name] += time.perf_counter() - t0
                row[name].append(normalized_mutual_info_score(g.communities, labels))
            n_graphs += 1
        cells = " ".join(f"{np.mean(v):>7.2f} ± {np.std(v):.2f}" for v in row.values())
        print(
            f"{k:>4.0f} {mu_t:>5.2f} {mu_w:>5.2f} {beta:>4.1f} | {cells} | "
            f"{np.mean(real):>9.2f} {min(n_comm)}-{max(n_comm)}",
            flush=True,
        )
        for name, values in row.items():
            scores[name].extend(values)
    print("mean NMI over all graphs and time per graph:")
    for name in table:
        print(
            f"  {name:<14} NMI {np.mean(scores[name]):.3f} | "
            f"{1e3 * seconds[name] / n_graphs:.0f} ms/graph"
        )


if __name__ == "__main__":
    main()
