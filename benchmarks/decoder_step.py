"""Per-bin latency of ``step()``: KF, steady-state KF and DKF vs filterpy.

Same process, same input: a linear-Gaussian system with 171 observations and
4 states (simulated; fitted by each decoder from 10 000 training bins), then
``N_STEPS`` timed bins. filterpy's ``KalmanFilter`` runs ``predict()`` +
``update(z)`` with the KF's fitted ``A, W, H, Q``. BLAS is limited to one
thread (threadpoolctl) as on a real-time core; step() only touches 4×4 and
4×171 arrays, so this matters mostly for filterpy's 171×171 inversions.

Run: ``python benchmarks/decoder_step.py``
"""

from __future__ import annotations

import gc
import time

import numpy as np

from neurokit_ai.decoding import (
    DiscriminativeKalmanFilter,
    GaussianRegressionModel,
    KalmanFilterDecoder,
    NadarayaWatsonRegressor,
)

N_OBS, N_STATES, N_TRAIN, N_STEPS, WARMUP = 171, 4, 10_000, 5_000, 200


def simulate(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = np.zeros((n, N_STATES))
    A = 0.95 * np.eye(N_STATES)
    for t in range(1, n):
        x[t] = A @ x[t - 1] + 0.3 * rng.normal(size=N_STATES)
    H = rng.normal(size=(N_OBS, N_STATES))
    z = x @ H.T + 2.0 * rng.normal(size=(n, N_OBS))
    return x, z


def time_steps(step, Z: np.ndarray) -> np.ndarray:
    for z in Z[:WARMUP]:
        step(z)
    out = np.empty(len(Z) - WARMUP)
    clock = time.perf_counter
    gc.disable()
    try:
        for i, z in enumerate(Z[WARMUP:]):
            t0 = clock()
            step(z)
            out[i] = clock() - t0
    finally:
        gc.enable()
    return out * 1e6


def main() -> None:
    from filterpy.kalman import KalmanFilter
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    x, z = simulate(N_TRAIN + N_STEPS + WARMUP, rng)
    z_train, x_train, z_run = z[:N_TRAIN], x[:N_TRAIN], z[N_TRAIN:]
    with threadpool_limits(limits=1):
        kf = KalmanFilterDecoder().fit(z_train, x_train, bin_width=0.02)
        kf_ss = KalmanFilterDecoder(steady_state=True).fit(z_train, x_train)
        dkf = DiscriminativeKalmanFilter(
            GaussianRegressionModel(
                NadarayaWatsonRegressor(n_components=10),
                covariance_regressor=NadarayaWatsonRegressor(
                    n_components=10, criterion="covariance_nll"
                ),
            )
        ).fit(z_train, x_train)

        fp = KalmanFilter(dim_x=N_STATES, dim_z=N_OBS)
        fp.F, fp.Q, fp.H, fp.R = kf.A_, kf.W_, kf.H_, kf.Q_
        fp.x, fp.P = np.zeros(N_STATES), kf.initial_covariance_.copy()

        def filterpy_step(row: np.ndarray) -> None:
            fp.predict()
            fp.update(row - kf.observation_mean_)

        for est in (kf, kf_ss, dkf):
            est.reset()
        results = {
            "filterpy KalmanFilter predict+update": time_steps(filterpy_step, z_run),
            "KalmanFilterDecoder.step": time_steps(kf.step, z_run),
            "KalmanFilterDecoder(steady_state).step": time_steps(kf_ss.step, z_run),
            "DiscriminativeKalmanFilter.step (NW, 10 PCs)": time_steps(dkf.step, z_run),
        }
    ref = np.median(results["filterpy KalmanFilter predict+update"])
    print(
        f"step() latency, {N_OBS} observations, {N_STATES} states, "
        f"{N_STEPS} bins, 1 BLAS thread"
    )
    print(f"{'method':46s} {'median µs':>10s} {'p99 µs':>9s} {'speed-up':>9s}")
    for name, t in results.items():
        med, p99 = np.median(t), np.percentile(t, 99)
        print(f"{name:46s} {med:10.2f} {p99:9.2f} {ref / med:8.1f}x")
    kf_t = results["KalmanFilterDecoder.step"]
    dkf_t = results["DiscriminativeKalmanFilter.step (NW, 10 PCs)"]
    print(
        f"targets: KF ≥ 30x filterpy: {ref / np.median(kf_t):.1f}x; "
        f"KF p99 < 20 µs: {np.percentile(kf_t, 99):.1f} µs; "
        f"DKF p99 < 1000 µs: {np.percentile(dkf_t, 99):.1f} µs"
    )


if __name__ == "__main__":
    main()
