"""MDS clustering vs k-means / Gaussian-mixture baselines at three noise levels.

Data: :func:`neurokit_ai.datasets._retina.simulate_retina` — 8 planted types
(ON/OFF × sustained/transient × small/large centre–surround receptive fields),
300 cells, 1500 clips of 4 frames × 8 × 8 pixels (half 1/f natural-like, half
white noise); noise standard deviation = ``noise`` × each cell's signal
standard deviation (single trials). 240 cells train the predictive model
(:class:`ConvResponseModel`) and are clustered; the other 60 are held out and
typed on the fly from 5 noisy repeats of their responses to the learned MDS
alone (:meth:`MDSClustering.predict`), each cluster standing for the planted
type most of its training members carry.

Columns: adjusted Rand index (ARI) against the planted types for MDS and for
k-means / GMM on response features (z-scored responses, 20 PCs) and on the
model's readout weights; held-out accuracy; median held-out correlation of
the model. Every configuration run is printed.

Run: ``python benchmarks/mds_noise_levels.py [--seeds 0 1]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.metrics import adjusted_rand_score

from neurokit_ai.celltypes import (
    ConvResponseModel,
    MDSClustering,
    cluster_features,
    match_clusters,
    response_features,
)
from neurokit_ai.datasets._retina import simulate_retina

N_TYPES, N_CELLS, N_HELD_OUT = 8, 300, 60


def run(noise: float, seed: int) -> dict[str, float]:
    sim = simulate_retina(
        n_neurons=N_CELLS,
        n_types=N_TYPES,
        n_stimuli=1500,
        noise_level=noise,
        random_state=seed,
    )
    rng = np.random.default_rng(seed + 100)
    order = rng.permutation(N_CELLS)
    train, held = np.sort(order[N_HELD_OUT:]), np.sort(order[:N_HELD_OUT])
    truth = sim.cell_types[train]
    responses = sim.responses.select_units(train)
    t0 = time.perf_counter()
    model = ConvResponseModel(random_state=seed).fit(sim.stimuli, responses)
    t1 = time.perf_counter()
    mds = MDSClustering(n_clusters=N_TYPES, random_state=seed).fit(model)
    t2 = time.perf_counter()
    row = {"model corr": float(np.nanmedian(model.validation_correlation_))}
    row["MDS"] = adjusted_rand_score(truth, mds.labels_)
    feats = response_features(responses)
    for method in ("kmeans", "gmm"):
        row[f"{method} resp"] = adjusted_rand_score(
            truth, cluster_features(feats, N_TYPES, method, random_state=seed)
        )
        row[f"{method} readout"] = adjusted_rand_score(
            truth,
            cluster_features(
                model.readout_weights_, N_TYPES, method, random_state=seed
            ),
        )
    mapping = match_clusters(mds.labels_, truth)
    shown = sim.respond(mds.stimuli_, neurons=held, n_repeats=5, random_state=seed)
    row["held-out acc"] = float(
        np.mean(mapping[mds.predict(shown)] == sim.cell_types[held])
    )
    row["fit s (model+MDS)"] = f"{t1 - t0:.0f}+{t2 - t1:.0f}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noise", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    args = parser.parse_args()
    cols = [
        "MDS",
        "kmeans resp",
        "gmm resp",
        "kmeans readout",
        "gmm readout",
        "held-out acc",
        "model corr",
        "fit s (model+MDS)",
    ]
    print(f"{'noise':>5} {'seed':>4} " + " ".join(f"{c:>17}" for c in cols))
    for noise in args.noise:
        for seed in args.seeds:
            row = run(noise, seed)
            cells = [
                f"{row[c]:>17.3f}" if isinstance(row[c], float) else f"{row[c]:>17}"
                for c in cols
            ]
            print(f"{noise:>5g} {seed:>4d} " + " ".join(cells), flush=True)


if __name__ == "__main__":
    main()
