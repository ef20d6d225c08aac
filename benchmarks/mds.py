"""Fit time of the predictive model and of MDS clustering vs the number of neurons.

Data: :func:`neurokit_ai.datasets._retina.simulate_retina`, 8 planted types,
1000 clips of 4 frames × 8 × 8 pixels, noise standard deviation equal to the
signal's. For each population size the table prints the training time of
:class:`ConvResponseModel` (up to ``--max-epochs`` epochs, early stopping),
the time of :class:`MDSClustering` with K = 8 (100 gradient steps per round),
the rounds it ran and the adjusted Rand index against the planted types. CPU
only; torch uses its default number of threads.

Run: ``python benchmarks/mds.py [--neurons 100 250 500 1000 2000]``
"""

from __future__ import annotations

import argparse
import time

import torch
from sklearn.metrics import adjusted_rand_score

from neurokit_ai.celltypes import ConvResponseModel, MDSClustering
from neurokit_ai.datasets._retina import simulate_retina


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--neurons", type=int, nargs="+", default=[100, 250, 500, 1000, 2000]
    )
    parser.add_argument("--max-epochs", type=int, default=100)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads")
    head = ["neurons", "model s", "epochs", "MDS s", "rounds", "ARI"]
    print(" ".join(f"{h:>8}" for h in head))
    for n in args.neurons:
        sim = simulate_retina(n_neurons=n, n_stimuli=1000, random_state=0)
        t0 = time.perf_counter()
        model = ConvResponseModel(max_epochs=args.max_epochs).fit(
            sim.stimuli, sim.responses
        )
        t1 = time.perf_counter()
        mds = MDSClustering(n_clusters=8).fit(model)
        t2 = time.perf_counter()
        ari = adjusted_rand_score(sim.cell_types, mds.labels_)
        epochs = len(model.history_["train_loss"])
        print(
            f"{n:>8d} {t1 - t0:>8.1f} {epochs:>8d} {t2 - t1:>8.1f} "
            f"{mds.n_iter_:>8d} {ari:>8.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
