"""Community detection on planted motifs: flat vs degree-corrected SBM vs Louvain.

Run: ``python benchmarks/connectome_communities.py [--seeds 10]``. Two sets of
weighted graphs with known communities:

- ``heterogeneous``: 36 nodes in 3 blocks, weights ``θ_i θ_j ω_ab`` plus
  normal noise (sd 0.05), node strengths ``θ`` uniform in 0.3–1.7;
- ``simulator``: the NTF motifs (rank 3) of the switching-community calcium
  simulator (30 neurons, 3 communities per epoch), each compared with the
  partition of the epoch where its time course peaks.

For each method it prints the adjusted Rand index (mean and minimum), the
number of communities found, and the mean wall time per graph. The SBMs are
scored twice: their blocks (``labels``) and their assortative communities
(:meth:`SBMResult.communities`, what ``detect_communities(..., "sbm")``
returns). ``SBM MDL blocks`` is ``detect_communities(..., "sbm-mdl")``: the
microcanonical SBM with exponential weights, K and degree correction by
minimum description length.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from sklearn.metrics import adjusted_rand_score

from neurokit_ai.connectome import (
    affinity_tensor,
    detect_communities,
    dynamic_connectome,
    prepare_traces,
    sliding_windows,
    weighted_sbm,
)
from neurokit_ai.datasets._connectome import simulate_switching_communities


def heterogeneous(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = np.repeat([0, 1, 2], 12)
    theta = rng.uniform(0.3, 1.7, z.size)
    omega = np.array([[1.0, 0.1, 0.05], [0.1, 0.8, 0.1], [0.05, 0.1, 1.2]])
    w = np.outer(theta, theta) * omega[z][:, z] + rng.normal(0.0, 0.05, (36, 36))
    w = np.triu(w.clip(0), 1)
    return w + w.T, z


def simulator_motifs(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rec = simulate_switching_communities(random_state=seed)
    dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
    windows = sliding_windows(dff.duration, 20.0)
    dc = dynamic_connectome(affinity_tensor(dff, windows), 3, random_state=0)
    truth = rec.channel_info["community"]
    out = []
    for r in range(3):
        epoch = int(np.argmax(np.add.reduceat(dc.time_courses[:, r], [0, 6, 12])))
        out.append((dc.motif_matrix(r), truth[:, epoch]))
    return out


METHODS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "flat SBM blocks": lambda w: weighted_sbm(w, random_state=0).labels,
    "flat SBM communities": lambda w: weighted_sbm(w, random_state=0).communities(),
    "DC SBM blocks": lambda w: (
        weighted_sbm(w, degree_corrected=True, random_state=0).labels
    ),
    "DC SBM communities": lambda w: detect_communities(w, "sbm", random_state=0),
    "SBM MDL blocks": lambda w: detect_communities(w, "sbm-mdl", random_state=0),
    "Louvain": lambda w: detect_communities(w, "louvain", random_state=0),
}


def score(name: str, graphs: list[tuple[np.ndarray, np.ndarray]]) -> None:
    print(f"{name}: {len(graphs)} graphs")
    for method, fn in METHODS.items():
        aris, counts, t0 = [], [], time.perf_counter()
        for w, z in graphs:
            labels = fn(w)
            aris.append(adjusted_rand_score(z, labels))
            counts.append(int(labels.max()) + 1)
        per_graph = (time.perf_counter() - t0) / len(graphs)
        print(
            f"  {method:<22} ARI mean {np.mean(aris):.2f} min {np.min(aris):.2f} | "
            f"communities {min(counts)}-{max(counts)} (true 3) | "
            f"{per_graph * 1e3:.0f} ms/graph"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    score("heterogeneous", [heterogeneous(s) for s in range(args.seeds)])
    motifs = [m for s in range(max(args.seeds // 2, 1)) for m in simulator_motifs(s)]
    score("simulator", motifs)


if __name__ == "__main__":
    main()
