"""Integrated gradients, saliency and input x gradient vs captum: speed and agreement.

The issue's setting: an MLP 784-256-10, a batch of 64 inputs, 50 steps,
captum's default Gauss-Legendre rule and zero baselines. Both libraries run in
the same process on the same model and inputs, timed interleaved (``REPEATS``
rounds, each library once per round, after warm-up); the table gives the
median and the best time and the captum / neurokit_ai ratio of medians.

Run: ``python benchmarks/attribution.py [n_threads]``
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings

import torch
from captum.attr import InputXGradient, IntegratedGradients, Saliency

from neurokit_ai.ann import input_x_gradient, integrated_gradients, saliency

REPEATS, WARMUP, BATCH, N_STEPS = 50, 5, 64, 50


def main() -> None:
    if len(sys.argv) > 1:
        torch.set_num_threads(int(sys.argv[1]))
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)
    ).eval()
    x = torch.randn(BATCH, 784)
    target = torch.randint(0, 10, (BATCH,))
    ig = IntegratedGradients(net)
    cases = {
        "integrated gradients": (
            lambda: ig.attribute(x, target=target, n_steps=N_STEPS),
            lambda: integrated_gradients(net, x, target, n_steps=N_STEPS),
        ),
        "saliency": (
            lambda: Saliency(net).attribute(x, target=target),
            lambda: saliency(net, x, target),
        ),
        "input x gradient": (
            lambda: InputXGradient(net).attribute(x, target=target),
            lambda: input_x_gradient(net, x, target),
        ),
    }
    print(
        f"MLP 784-256-10, batch {BATCH}, {N_STEPS} IG steps, "
        f"{torch.get_num_threads()} torch threads, torch {torch.__version__}"
    )
    print(
        f"{'method':<22}{'max |diff|':>12}{'captum med':>12}{'ours med':>10}"
        f"{'captum best':>13}{'ours best':>11}{'ratio':>7}"
    )
    warnings.simplefilter("ignore")  # captum: "inputs did not require grad"
    rows = torch.rand(N_STEPS, 1, 1) * x

    def floor() -> torch.Tensor:
        z = rows.reshape(-1, 784).requires_grad_(True)
        picked = net(z).gather(1, target.repeat(N_STEPS).view(-1, 1)).sum()
        return torch.autograd.grad(picked, z)[0]

    for name, (theirs, ours) in cases.items():
        diff = float((theirs().detach() - ours()).abs().max())
        for _ in range(WARMUP):
            theirs(), ours()
        t_theirs, t_ours = [], []
        for _ in range(REPEATS):
            start = time.perf_counter()
            theirs()
            t_theirs.append(time.perf_counter() - start)
            start = time.perf_counter()
            ours()
            t_ours.append(time.perf_counter() - start)
        med_t, med_o = statistics.median(t_theirs), statistics.median(t_ours)
        print(
            f"{name:<22}{diff:>12.2e}{med_t * 1e3:>10.2f}ms{med_o * 1e3:>8.2f}ms"
            f"{min(t_theirs) * 1e3:>11.2f}ms{min(t_ours) * 1e3:>9.2f}ms"
            f"{med_t / med_o:>7.2f}"
        )
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        floor()
        times.append(time.perf_counter() - start)
    print(
        f"{'floor: 1 fwd+bwd':<22}{'':>12}{'':>12}"
        f"{statistics.median(times) * 1e3:>8.2f}ms{'':>13}{min(times) * 1e3:>9.2f}ms"
    )


if __name__ == "__main__":
    main()
