"""MDS clustering vs k-means / Gaussian-mixture baselines at three noise levels.

Data: :func:`neurokit_ai.datasets._retina.simulate_retina` — 8 planted types
(ON/OFF × sustained/transient × small/large centre–surround receptive fields),
300 cells, 1500 clips of 4 frames (half 1/f natural-like, half white noise);
noise standard deviation = ``noise`` × each cell's signal standard deviation
(single trials). Two regimes:

- ``centre``: 8 × 8 pixels, every receptive field near the middle (0.4 px
  scatter) — simple and unrealistic: response correlations follow type.
- ``mosaic``: 10 × 10 pixels, receptive fields spread uniformly over ±3 px
  (as cells of each type tile a real retina) — response correlations
  follow receptive-field overlap more than type.

240 cells train the predictive model (:class:`ConvResponseModel`, default
Gaussian readouts) and are clustered; the other 60 are held out and typed on
the fly from 5 noisy repeats of their responses to the learned MDS alone
(:meth:`MDSClustering.predict`), each cluster standing for the planted type
most of its training members carry. For MDS with centred readouts
(``centre_readouts=True``) each held-out cell is shown the MDS centred on its
receptive field (:meth:`MDSClustering.stimuli_at`; the simulator's centre,
i.e. assuming a receptive-field mapping was done).

Columns: adjusted Rand index (ARI) against the planted types for MDS (plain
and with centred readouts) and for k-means / GMM on response features
(z-scored responses, 20 PCs) and on the model's readout weights; held-out
accuracy of each MDS; median held-out correlation of the model; fit times.
Every configuration run is printed.

With ``--auto`` the MDS estimators are given ``n_clusters="auto"`` (start
from 12 clusters, dissolve clusters under 2 % of the neurons, merge pairs their MDS
tell apart less than 0.5) instead of the planted 8, and the number of
clusters each found is printed (``K MDS``, ``K MDSc``).

Run: ``python benchmarks/mds_noise_levels.py [--regime mosaic] [--seeds 0 1] [--auto]``
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
REGIMES = {
    "centre": {"size": 8, "rf_spread": 0.0},
    "mosaic": {"size": 10, "rf_spread": 3.0},
}


def _held_out_accuracy(sim, mds, truth, held, seed, centred):
    mapping = match_clusters(mds.labels_, truth)
    if centred:
        shown = np.stack(
            [
                sim.respond(
                    mds.stimuli_at(sim.rf_centres[i]),
                    neurons=np.array([i]),
                    n_repeats=5,
                    random_state=seed + i,
                )
                .average()
                .data[:, 0]
                for i in held
            ],
            axis=1,
        )
    else:
        shown = sim.respond(mds.stimuli_, neurons=held, n_repeats=5, random_state=seed)
    return float(np.mean(mapping[mds.predict(shown)] == sim.cell_types[held]))


def run(
    regime: str, noise: float, seed: int, auto: bool = False
) -> dict[str, float | str]:
    sim = simulate_retina(
        n_neurons=N_CELLS,
        n_types=N_TYPES,
        n_stimuli=1500,
        noise_level=noise,
        random_state=seed,
        **REGIMES[regime],
    )
    rng = np.random.default_rng(seed + 100)
    order = rng.permutation(N_CELLS)
    train, held = np.sort(order[N_HELD_OUT:]), np.sort(order[:N_HELD_OUT])
    truth = sim.cell_types[train]
    responses = sim.responses.select_units(train)
    t0 = time.perf_counter()
    model = ConvResponseModel(random_state=seed).fit(sim.stimuli, responses)
    times = [time.perf_counter() - t0]
    row: dict[str, float | str] = {
        "model corr": float(np.nanmedian(model.validation_correlation_))
    }
    for name, centred in (("MDS", False), ("MDS centred", True)):
        t0 = time.perf_counter()
        mds = MDSClustering(
            n_clusters="auto" if auto else N_TYPES,
            centre_readouts=centred,
            random_state=seed,
        ).fit(model)
        times.append(time.perf_counter() - t0)
        row[f"K {name.replace(' centred', 'c')}"] = str(mds.n_clusters_)
        row[name] = adjusted_rand_score(truth, mds.labels_)
        row[f"{name} acc"] = _held_out_accuracy(sim, mds, truth, held, seed, centred)
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
    row["fit s model+MDS+MDSc"] = "+".join(f"{t:.0f}" for t in times)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--regime", nargs="+", choices=sorted(REGIMES), default=["mosaic", "centre"]
    )
    parser.add_argument("--noise", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--auto",
        action="store_true",
        help='MDS with n_clusters="auto" instead of the planted 8',
    )
    args = parser.parse_args()
    cols = [
        "MDS",
        "MDS centred",
        "kmeans resp",
        "gmm resp",
        "kmeans readout",
        "gmm readout",
        "MDS acc",
        "MDS centred acc",
        "model corr",
        "fit s model+MDS+MDSc",
        "K MDS",
        "K MDSc",
    ]
    print(
        f"{'regime':>6} {'noise':>5} {'seed':>4} " + " ".join(f"{c:>15}" for c in cols)
    )
    for regime in args.regime:
        for noise in args.noise:
            for seed in args.seeds:
                row = run(regime, noise, seed, args.auto)
                cells = [
                    f"{row[c]:>15.3f}" if isinstance(row[c], float) else f"{row[c]:>15}"
                    for c in cols
                ]
                print(
                    f"{regime:>6} {noise:>5g} {seed:>4d} " + " ".join(cells), flush=True
                )


if __name__ == "__main__":
    main()
