"""neurokit_ai.rsa vs rsatoolbox: speed and peak memory, same process, same input.

Run: ``python benchmarks/rsa_vs_rsatoolbox.py [--quick]``. Prints, per job, the
best-of-N wall time of each library, the speed ratio (rsatoolbox / ours), the
peak traced memory (tracemalloc, a separate run) and the largest relative
difference of the results. Both libraries get the same number of repeats
(``--repeats`` multiplies them: use more on a loaded machine). Last, the bare
Gram product ``x @ x.T`` (a symmetric rank-k update, as numpy runs it) is timed
for each RDM size: rsatoolbox's euclidean RDM is that product plus elementwise
work, so its time over the product's bounds the speed-up of any exact method
that forms the Gram matrix. Likewise scipy's compiled count of discordant
pairs is timed alone over the tau-a job's pairs (inputs pre-sorted): every
exact Kendall method needs that count, so rsatoolbox's time over it bounds
the tau-a ratio on one thread. ``--quick`` shrinks every job (a smoke test).

On a shared, loaded machine wall times mostly measure the scheduler: ``--cpu``
times process CPU time instead and runs everything on one core (our Kendall
threads off; also set ``OPENBLAS_NUM_THREADS=1``, since idle BLAS threads spin
and their CPU time would count), a like-for-like single-core comparison.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings
from collections.abc import Callable

import numpy as np


def _best_time(
    fn: Callable[[], object], repeats: int, clock: Callable[[], float]
) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = clock()
        out = fn()
        best = min(best, clock() - t0)
    return best, out


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.nanmax(np.abs(a - b)) / max(np.nanmax(np.abs(b)), 1e-300))


def _jobs(quick: bool, n_jobs: int) -> list[tuple[str, Callable, Callable, int]]:
    import rsatoolbox as rt

    from neurokit_ai.core import Responses
    from neurokit_ai.rsa import compare, compute_rdm, noise_precision

    rng = np.random.default_rng(0)
    s = 10 if quick else 1
    jobs = []
    for n_cond, n_chan in ((1000 // s, 1000 // s), (100 // s, 10000 // s)):
        x = rng.normal(size=(n_cond, n_chan))
        labels = np.array([f"c{i:04d}" for i in range(n_cond)])
        ds = rt.data.Dataset(x, obs_descriptors={"c": labels})
        resp = Responses(x, conditions=labels.tolist())
        for method in ("euclidean", "correlation"):
            jobs.append(
                (
                    f"RDM {method} {n_cond}x{n_chan}",
                    lambda m=method, d=ds: rt.rdm.calc_rdm(d, m, "c").get_vectors(),
                    lambda m=method, r=resp: compute_rdm(r, m).vectors,
                    5,
                )
            )
        xr = np.repeat(x, 8, axis=0) + rng.normal(size=(n_cond * 8, n_chan))
        runs = np.tile(np.arange(8), n_cond)
        ds8 = rt.data.Dataset(
            xr, obs_descriptors={"c": np.repeat(labels, 8), "r": runs}
        )
        resp8 = Responses(xr, conditions=np.repeat(labels, 8).tolist(), runs=runs)
        jobs.append(
            (
                f"RDM crossnobis {n_cond}x{n_chan} 8 runs",
                lambda d=ds8: rt.rdm.calc_rdm(
                    d, "crossnobis", "c", cv_descriptor="r"
                ).get_vectors(),
                lambda r=resp8: compute_rdm(r, "crossnobis").vectors,
                2,
            )
        )
    res = rng.normal(size=(8000 // s, 1000 // s))
    jobs.append(
        (
            f"noise precision {res.shape[0]}x{res.shape[1]} shrinkage_diag",
            lambda: rt.data.noise.prec_from_residuals(res, method="shrinkage_diag"),
            lambda: noise_precision(res, "shrinkage_diag"),
            2,
        )
    )
    n_cmp = 100 // s
    n_pairs = n_cmp * (n_cmp - 1) // 2
    data = rng.random((100, n_pairs))
    models = rng.random((10, n_pairs))
    models[:5] = np.round(models[:5] * 4)
    rd, rm = rt.rdm.RDMs(data), rt.rdm.RDMs(models)
    for method in (
        "cosine",
        "corr",
        "spearman",
        "rho-a",
        "tau-a",
        "tau-b",
        "cosine_cov",
        "corr_cov",
    ):
        ref_name = "kendall" if method == "tau-b" else method
        jobs.append(
            (
                f"compare {method} 100x10 RDMs ({n_pairs} pairs)",
                lambda m=ref_name: rt.rdm.compare(rd, rm, method=m),
                lambda m=method: compare(data, models, m, n_jobs=n_jobs),
                3 if method in ("tau-a", "tau-b") else 5,
            )
        )
    return jobs


def main(argv: list[str] | None = None) -> int:
    """Run every job and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs")
    parser.add_argument(
        "--repeats", type=int, default=1, help="multiply every job's repeats"
    )
    parser.add_argument(
        "--cpu", action="store_true", help="best CPU time, single-threaded"
    )
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter
    warnings.simplefilter("ignore")
    header = (
        f"{'job':<46} {'rsatoolbox s':>12} {'ours s':>9} {'ratio':>7} "
        f"{'rt MiB':>8} {'our MiB':>8} {'max rel diff':>12}"
    )
    print(header)
    print("-" * len(header))
    ref_times = {}
    for name, ref, ours, repeats in _jobs(args.quick, 1 if args.cpu else 2):
        repeats *= args.repeats
        t_ref, out_ref = _best_time(ref, repeats, clock)
        t_our, out_our = _best_time(ours, repeats, clock)
        ref_times[name] = t_ref
        m_ref, m_our = _peak_mib(ref), _peak_mib(ours)
        print(
            f"{name:<46} {t_ref:12.4f} {t_our:9.4f} {t_ref / t_our:7.1f} "
            f"{m_ref:8.1f} {m_our:8.1f} {_rel_diff(out_our, out_ref):12.2e}",
            flush=True,
        )
    print()
    s = 10 if args.quick else 1
    rng = np.random.default_rng(0)
    for n_cond, n_chan in ((1000 // s, 1000 // s), (100 // s, 10000 // s)):
        x = rng.normal(size=(n_cond, n_chan))
        t_gram, _ = _best_time(lambda x=x: x @ x.T, 5 * args.repeats, clock)
        t_ref = ref_times[f"RDM euclidean {n_cond}x{n_chan}"]
        print(
            f"x @ x.T alone {n_cond}x{n_chan}: {t_gram:.4f} s; bound on the "
            f"euclidean ratio for a Gram-based method: {t_ref / t_gram:.1f}"
        )
    n_cmp = 100 // s
    t_ref = ref_times[f"compare tau-a 100x10 RDMs ({n_cmp * (n_cmp - 1) // 2} pairs)"]
    t_count = _discordance_floor(args.quick, 5 * args.repeats, clock)
    print(
        f"compiled discordance count alone, every pair pre-sorted: {t_count:.4f} s; "
        f"bound on the single-thread tau-a ratio: {t_ref / t_count:.1f}"
    )
    return 0


def _discordance_floor(quick: bool, repeats: int, clock: Callable[[], float]) -> float:
    """Time of scipy's merge-count of discordant pairs alone over the tau-a job.

    Every Kendall method must count the discordant pairs of each RDM pair
    (O(n log n)); this times only that compiled count, on inputs already
    sorted and ranked, so it bounds what any method built on it can reach.
    """
    from scipy.stats._stats import _kendall_dis

    s = 10 if quick else 1
    rng = np.random.default_rng(0)
    n_pairs = (100 // s) * (100 // s - 1) // 2
    data = rng.random((100, n_pairs))
    models = rng.random((10, n_pairs))
    models[:5] = np.round(models[:5] * 4)
    ranks = [np.unique(m, return_inverse=True)[1].astype(np.intp) + 1 for m in models]
    dense = np.arange(1, n_pairs + 1, dtype=np.intp)
    inputs = [r[np.argsort(row)] for row in data for r in ranks]

    def count_all() -> list[int]:
        return [_kendall_dis(dense, y) for y in inputs]

    return _best_time(count_all, repeats, clock)[0]


if __name__ == "__main__":
    raise SystemExit(main())
