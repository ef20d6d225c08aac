"""Our non-negative CP (numpy HALS) vs tensorly's ``non_negative_parafac_hals``.

Run: ``python benchmarks/ntf.py [--quick]``. For each tensor (noisy exactly
low-rank, same random start for both), prints the best-of-N wall time of a
fixed number of iterations, each library's final relative error, the time our
solver needs to reach tensorly's final error ("equal error"), the speed-up at
equal error, and the peak memory traced by tracemalloc beyond the input
tensor, as a multiple of the tensor's size. Our solver runs with its
defaults (HALS, 5 inner sweeps, extrapolation) and, for comparison,
without extrapolation ("plain").
``--quick`` shrinks the jobs; ``--threads`` sets the BLAS threads of both
(default 1: on a shared machine, oversubscribed BLAS threads make the
timings meaningless).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from neurokit_ai.connectome import cp_to_tensor, non_negative_cp


def _best_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _tensor(shape: tuple[int, int, int], rank: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    factors = [rng.random((n, rank)) for n in shape]
    x = cp_to_tensor(np.ones(rank), factors)
    return x + 0.05 * x.mean() * rng.random(shape)


def _equal_error(
    x: np.ndarray,
    rank: int,
    init: list[np.ndarray],
    target: float,
    max_iter: int,
    repeats: int,
    extrapolate: bool,
) -> tuple[int, float, object]:
    """Iterations, best time and fit of our solver to reach ``target``."""
    long_run = non_negative_cp(
        x, rank, init=init, n_iter_max=max_iter, tol=0.0, extrapolate=extrapolate
    )
    reached = np.flatnonzero(long_run.errors <= target)
    reach = int(reached[0]) + 1 if reached.size else max_iter
    t_equal, fit = _best_time(
        lambda: non_negative_cp(
            x, rank, init=init, n_iter_max=reach, tol=0.0, extrapolate=extrapolate
        ),
        repeats,
    )
    return reach, t_equal, fit


def run_job(shape: tuple[int, int, int], rank: int, n_iter: int, repeats: int) -> None:
    x = _tensor(shape, rank)
    rng = np.random.default_rng(1)
    init = [rng.random((n, rank)) for n in shape]

    def ours(iters: int = n_iter) -> object:
        return non_negative_cp(x, rank, init=init, n_iter_max=iters, tol=0.0)

    def theirs() -> object:
        return non_negative_cp(
            x, rank, backend="tensorly", init=init, n_iter_max=n_iter, tol=0.0
        )

    ours(2)  # warm-up: first-call imports
    t_ours, fit_ours = _best_time(ours, repeats)
    t_tl, fit_tl = _best_time(theirs, repeats)
    reach, t_equal, fit_equal = _equal_error(
        x, rank, init, fit_tl.error, 4 * n_iter, repeats, True
    )
    reach_plain, t_plain, _ = _equal_error(
        x, rank, init, fit_tl.error, 4 * n_iter, repeats, False
    )
    size = x.nbytes
    mem_ours = _peak_bytes(ours) / size
    mem_tl = _peak_bytes(theirs) / size
    print(
        f"{str(shape):>18} rank {rank:>2} | {n_iter} iters: ours {t_ours * 1e3:8.0f} ms"
        f" err {fit_ours.error:.5f} | tensorly {t_tl * 1e3:8.0f} ms err "
        f"{fit_tl.error:.5f} | ours reaches tensorly's error in {reach} iters "
        f"(err {fit_equal.error:.5f}), {t_equal * 1e3:.0f} ms: speed-up "
        f"{t_tl / t_equal:.1f}x (plain: {reach_plain} iters, {t_plain * 1e3:.0f} ms, "
        f"{t_tl / t_plain:.1f}x) | extra memory / tensor: ours {mem_ours:.2f}, "
        f"tensorly {mem_tl:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.quick:
        jobs = [((50, 50, 200), 10, 50, 1), ((2000, 50, 5), 5, 20, 1)]
    else:
        jobs = [((50, 50, 200), 10, 200, 3), ((20000, 200, 5), 5, 50, 1)]
    print(f"BLAS threads: {args.threads}")
    with threadpool_limits(limits=args.threads, user_api="blas"):
        for shape, rank, n_iter, repeats in jobs:
            run_job(shape, rank, n_iter, repeats)


if __name__ == "__main__":
    main()
