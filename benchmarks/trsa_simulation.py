"""tRSA simulation (Lin & Kriegeskorte 2023 design, small scale): which statistic
identifies the layer that produced a noisy "brain" RDM?

Networks are trained from several seeds: small MLPs on a synthetic
classification task (``--model mlp``), or small CNNs on synthetic 16x16 images of
eight shape classes (``--model cnn``, trained with the shared ``core.Trainer``).
The "brain" is one layer of the seed-0 network, seen through per-subject
idiosyncrasy (a random positive gain per unit) plus noise; candidates are every
layer of the networks from the other seeds. A statistic identifies the layer
correctly when its best candidate is the same layer (of any seed).
Identification accuracy is printed per noise level (with its binomial standard
error) for the plain RDM, GT-transformed RDMs and geodesic RDMs, then, pooled
over the noisy levels, each statistic's paired difference from the plain RDM
with an exact McNemar test (all statistics see the same simulated data).

Run: ``python benchmarks/trsa_simulation.py [--model cnn] [--trials N]
[--idiosyncrasy SD] [--quick]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

STATISTICS = {
    "RDM": ("rdm", 0.0, 1.0),
    "GT 0.0-0.5": ("gt", 0.0, 0.5),
    "GT 0.1-0.9": ("gt", 0.1, 0.9),
    "GT 0.3-0.7": ("gt", 0.3, 0.7),
    "GT 0.5-0.5": ("gt", 0.5, 0.5),
    "geodesic 0-0.5": ("geodesic", 0.0, 0.5),
    "geodesic 0-0.9": ("geodesic", 0.0, 0.9),
}


@contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    """Run with ``n`` torch threads (tiny networks train fastest on one)."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _task(n_train: int, n_stimuli: int, dim: int, rng: np.random.Generator):
    teacher = rng.normal(size=(dim, 4))
    x = rng.normal(size=(n_train, dim)).astype(np.float32)
    y = np.argmax(np.tanh(x @ teacher) + 0.3 * (x[:, :4] ** 2), axis=1)
    stimuli = rng.normal(size=(n_stimuli, dim)).astype(np.float32)
    return x, y, stimuli


def _network(seed: int, dim: int, widths: list[int], x, y, steps: int):
    import torch

    torch.manual_seed(seed)
    layers: list[Any] = []
    prev = dim
    for w in widths:
        layers += [torch.nn.Linear(prev, w), torch.nn.ReLU()]
        prev = w
    layers.append(torch.nn.Linear(prev, 4))
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = torch.randint(0, xt.shape[0], (64,), generator=gen)
        loss = torch.nn.functional.cross_entropy(net(xt[idx]), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net


def layer_activations(
    n_seeds: int = 5,
    widths: tuple[int, ...] = (64, 64, 64, 64),
    n_stimuli: int = 40,
    steps: int = 300,
    random_state: int = 0,
) -> dict[int, dict[str, np.ndarray]]:
    """Hidden-layer activations (after ReLU) per seed, recorded with hooks
    (trained on one torch thread)."""
    from neurokit_ai.ann import ActivationRecorder

    rng = np.random.default_rng(random_state)
    dim = 10
    x, y, stimuli = _task(2000, n_stimuli, dim, rng)
    out = {}
    with _torch_threads(1):
        for seed in range(n_seeds):
            net = _network(seed, dim, list(widths), x, y, steps)
            names = [str(2 * i + 1) for i in range(len(widths))]
            rec = ActivationRecorder(net, names, name=f"mlp-seed{seed}")
            acts = rec.record(stimuli)
            out[seed] = {f"layer{i + 1}": acts[n].data for i, n in enumerate(names)}
    return out


N_CLASSES = 8
CNN_LAYERS = {"conv1": "1", "conv2": "3", "conv3": "5", "conv4": "7", "fc": "10"}


def shape_images(
    n: int, rng: np.random.Generator, size: int = 16
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images ``(n, 1, size, size)`` of 8 shape classes and their labels.

    Classes: bars at four orientations, a ring, a disc, a cross and a checker
    patch, each at a random position, size and contrast on a noisy background.
    """
    labels = rng.integers(0, N_CLASSES, n)
    yy, xx = np.mgrid[:size, :size].astype(float)
    dy = yy[None] - rng.uniform(5, size - 5, n)[:, None, None]
    dx = xx[None] - rng.uniform(5, size - 5, n)[:, None, None]
    r = rng.uniform(2.5, 4.5, n)[:, None, None]
    dist, box = np.hypot(dy, dx), np.maximum(np.abs(dx), np.abs(dy))
    masks = [
        (np.abs(dy) < 1.2) & (np.abs(dx) < r),
        (np.abs(dx) < 1.2) & (np.abs(dy) < r),
        (np.abs(dx - dy) < 1.4) & (dist < r),
        (np.abs(dx + dy) < 1.4) & (dist < r),
        np.abs(dist - r) < 0.8,
        dist < r,
        ((np.abs(dx) < 1.2) | (np.abs(dy) < 1.2)) & (box < r),
        ((np.floor(dx / 1.5) + np.floor(dy / 1.5)) % 2 == 0) & (box < r),
    ]
    shape = np.choose(labels[:, None, None], masks).astype(float)
    contrast = rng.uniform(0.7, 1.3, n)[:, None, None]
    images = contrast * shape + 0.2 * rng.normal(size=shape.shape)
    return images[:, None].astype(np.float32), labels


def _cnn(seed: int) -> Any:
    import torch
    from torch import nn

    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(8, 16, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(32 * 4 * 4, 64),
        nn.ReLU(),
        nn.Linear(64, N_CLASSES),
    )


def cnn_activations(
    n_seeds: int = 6,
    n_stimuli: int = 48,
    n_train: int = 4000,
    max_epochs: int = 10,
    n_threads: int = 1,
    random_state: int = 0,
) -> tuple[dict[int, dict[str, np.ndarray]], dict[int, float]]:
    """Layer activations (after ReLU) of CNNs trained from ``n_seeds`` seeds.

    Returns the activations per seed and layer, and each network's accuracy on
    held-out test images (chance 1/8; early stopping uses separate validation
    images). Networks this small train fastest with one
    torch thread (``n_threads``; the previous setting is restored).
    """
    import torch

    from neurokit_ai.ann import ActivationRecorder
    from neurokit_ai.core import Trainer

    rng = np.random.default_rng(random_state)
    x, y = shape_images(n_train, rng)
    x_val, y_val = shape_images(1000, rng)
    x_test, y_test = shape_images(1000, rng)
    stimuli, _ = shape_images(n_stimuli, rng)
    train = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    val = [(torch.from_numpy(x_val), torch.from_numpy(y_val))]

    def loss_fn(model: Any, batch: Any) -> Any:
        xb, yb = batch
        return torch.nn.functional.cross_entropy(model(xb), yb)

    acts, accuracy = {}, {}
    with _torch_threads(n_threads):
        for seed in range(n_seeds):
            net = _cnn(seed)
            loader = torch.utils.data.DataLoader(
                train,
                batch_size=32,
                shuffle=True,
                generator=torch.Generator().manual_seed(seed),
            )
            trainer = Trainer(
                max_epochs=max_epochs,
                lr=5e-3,
                patience=3,
                device="cpu",
                random_state=seed,
                verbose=False,
            )
            trainer.fit(net, loader, loss_fn, val_data=val)
            net.eval()
            with torch.no_grad():
                pred = net(torch.from_numpy(x_test)).argmax(dim=1).numpy()
            accuracy[seed] = float(np.mean(pred == y_test))
            rec = ActivationRecorder(net, list(CNN_LAYERS.values()), name=f"cnn-{seed}")
            out = rec.record(stimuli)
            acts[seed] = {la: out[mod].data for la, mod in CNN_LAYERS.items()}
    return acts, accuracy


def identification_trials(
    acts: dict[int, dict[str, np.ndarray]],
    noise_levels: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 4.0),
    n_trials: int = 20,
    n_subjects: int = 3,
    idiosyncrasy: float = 0.5,
    candidate_seeds: tuple[int, ...] | None = None,
    random_state: int = 0,
) -> dict[float, dict[str, np.ndarray]]:
    """Per-trial identification outcomes per noise level and statistic.

    ``noise`` is the noise SD relative to the layer's activation SD; the
    brain network is seed 0; candidates come from ``candidate_seeds`` (the other
    seeds by default).
    """
    from neurokit_ai.core import Responses
    from neurokit_ai.rsa import RDMs, compute_rdm, identify_models

    rng = np.random.default_rng(random_state)
    seeds = candidate_seeds or tuple(s for s in acts if s != 0)
    layers = list(acts[0])
    cand_rdms, cand_names = [], []
    for s in seeds:
        for la in layers:
            cand_rdms.append(
                compute_rdm(Responses(_jitter(acts[s][la])), "correlation")
            )
            cand_names.append(f"seed{s}/{la}")
    candidates = RDMs(np.concatenate([r.vectors for r in cand_rdms]), names=cand_names)
    table = {}
    for noise in noise_levels:
        hits: dict[str, list[bool]] = {label: [] for label in STATISTICS}
        for trial in range(n_trials):
            la = layers[trial % len(layers)]
            base = acts[0][la]
            scale = base.std()
            subj = []
            for _ in range(n_subjects):
                gain = np.exp(idiosyncrasy * rng.normal(size=base.shape[1]))
                pat = base * gain + noise * scale * rng.normal(size=base.shape)
                subj.append(compute_rdm(Responses(_jitter(pat)), "correlation").vectors)
            data = RDMs(np.concatenate(subj))
            correct = [n for n in cand_names if n.endswith("/" + la)]
            result = identify_models(data, candidates, correct, STATISTICS)
            for label, ok in result.items():
                hits[label].append(ok)
        table[noise] = {label: np.array(hits[label]) for label in STATISTICS}
    return table


def identification_table(
    acts: dict[int, dict[str, np.ndarray]], **kwargs: Any
) -> dict[float, dict[str, float]]:
    """Identification accuracy per noise level and statistic.

    Keyword arguments are those of :func:`identification_trials`.
    """
    return accuracy_table(identification_trials(acts, **kwargs))


def accuracy_table(
    trials: dict[float, dict[str, np.ndarray]],
) -> dict[float, dict[str, float]]:
    """Mean of the per-trial outcomes."""
    return {
        noise: {label: float(np.mean(ok)) for label, ok in per.items()}
        for noise, per in trials.items()
    }


def paired_against_rdm(
    trials: dict[float, dict[str, np.ndarray]],
) -> dict[str, tuple[float, float]]:
    """Accuracy difference from the plain RDM over the noisy levels, and the
    exact McNemar p-value of each statistic (same trials for all)."""
    from scipy.stats import binomtest

    noisy = [per for noise, per in trials.items() if noise > 0]
    base = np.concatenate([per["RDM"] for per in noisy])
    out = {}
    for label in STATISTICS:
        if label == "RDM":
            continue
        ok = np.concatenate([per[label] for per in noisy])
        wins, losses = int(np.sum(ok & ~base)), int(np.sum(~ok & base))
        p = binomtest(wins, wins + losses).pvalue if wins + losses else 1.0
        out[label] = (float(ok.mean() - base.mean()), float(p))
    return out


def _jitter(x: np.ndarray) -> np.ndarray:
    """Add a tiny offset so that all-zero (dead ReLU) stimuli keep a defined
    correlation distance."""
    x = np.asarray(x, dtype=float)
    ramp = np.linspace(0, 1e-6, x.shape[1])
    return x + ramp


def format_table(
    table: dict[float, dict[str, float]], n_trials: int | None = None
) -> str:
    """The accuracy table as text, with binomial standard errors when
    ``n_trials`` is given."""
    labels = list(next(iter(table.values())))
    head = f"{'noise':>6} " + " ".join(f"{lab:>15}" for lab in labels)
    rows = [head, "-" * len(head)]
    for noise, accs in table.items():
        cells = []
        for lab in labels:
            acc = accs[lab]
            if n_trials:
                se = np.sqrt(acc * (1 - acc) / n_trials)
                cells.append(f"{f'{acc:.2f}+-{se:.2f}':>15}")
            else:
                cells.append(f"{acc:15.2f}")
        rows.append(f"{noise:6.2f} " + " ".join(cells))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Train the networks, run the identification, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", choices=("mlp", "cnn"), default="mlp")
    parser.add_argument("--trials", type=int, default=20, help="per noise level")
    parser.add_argument(
        "--idiosyncrasy",
        type=float,
        default=0.5,
        help="SD of the subjects' log unit gains",
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    noise_levels: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 4.0)
    if args.model == "cnn":
        noise_levels += (8.0,)
        if args.quick:
            acts, accuracy = cnn_activations(n_seeds=3, n_train=1000, max_epochs=2)
        else:
            acts, accuracy = cnn_activations()
        print(
            "CNN held-out accuracy per seed (chance 0.12): "
            + ", ".join(f"{s}: {a:.2f}" for s, a in accuracy.items())
        )
    elif args.quick:
        acts = layer_activations(n_seeds=3, steps=100)
    else:
        acts = layer_activations()
    if args.quick:
        noise_levels, args.trials = (0.0, 2.0), 8
    trials = identification_trials(
        acts,
        noise_levels=noise_levels,
        n_trials=args.trials,
        idiosyncrasy=args.idiosyncrasy,
    )
    table = accuracy_table(trials)
    chance = 1 / len(next(iter(acts.values())))
    print(
        f"identification accuracy, {args.trials} trials per noise level "
        f"(chance = {chance:.2f}; brain = seed 0 + unit gains "
        f"(log SD {args.idiosyncrasy}) + noise; "
        "candidates = layers of other seeds)"
    )
    print(format_table(table, args.trials))
    print("\npooled over noise > 0: accuracy minus the plain RDM's, McNemar p")
    for label, (diff, p) in paired_against_rdm(trials).items():
        print(f"{label:>15} {diff:+.3f}  p = {p:.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
