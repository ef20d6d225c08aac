"""Hand-velocity decoding from 171 M1 units: Wiener filter vs KF vs DKF.

Data: ``spikes/spykesml/m1_stevenson_2011.mat`` from the shared recordings
(15 536 bins of 50 ms; handVel rows x, y). Contiguous-block 5-fold CV; within
each fold the lag stacker and the z-scoring are fitted on the training blocks
only, and the two training blocks are separate ``groups`` for the dynamics.
Every configuration tried is printed (none is hidden); "DKF (inner-validated)"
picks its configuration per fold on the last 20 % of the training data, so
its score is the honest one to compare with the KF's.

Run: ``python benchmarks/decoder_m1_cv.py [path/to/recordings]``
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.io
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score

from neurokit_ai.decoding import (
    CalibrationScaler,
    DiscriminativeKalmanFilter,
    GaussianRegressionModel,
    KalmanFilterDecoder,
    LagStacker,
    NadarayaWatsonRegressor,
    TorchMLPRegressor,
)

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "recordings"


def load(root: Path) -> tuple[np.ndarray, np.ndarray]:
    d = scipy.io.loadmat(
        root / "spikes" / "spykesml" / "m1_stevenson_2011.mat", squeeze_me=True
    )
    return d["spikes"].T.astype(float), d["handVel"][:2].T


def dkf_nw(n_components: int, covariance: str, robust: bool = False):
    def make() -> DiscriminativeKalmanFilter:
        return DiscriminativeKalmanFilter(
            GaussianRegressionModel(
                NadarayaWatsonRegressor(n_components=n_components),
                covariance=covariance,
                covariance_regressor=NadarayaWatsonRegressor(
                    n_components=n_components, criterion="covariance_nll"
                ),
            ),
            robust=robust,
        )

    return make


def dkf_mlp() -> DiscriminativeKalmanFilter:
    return DiscriminativeKalmanFilter(
        GaussianRegressionModel(
            TorchMLPRegressor(hidden_layer_sizes=(64,), weight_decay=1e-3),
            covariance="constant",
        )
    )


# name -> (n_lags, factory); the factory returns an estimator with fit/predict.
CONFIGS: dict[str, tuple[int, Callable[[], object]]] = {
    "Wiener (ridge a=100), lags 0": (0, lambda: Ridge(alpha=100.0)),
    "Wiener (ridge a=100), lags 2": (2, lambda: Ridge(alpha=100.0)),
    "Wiener (ridge a=100), lags 5": (5, lambda: Ridge(alpha=100.0)),
    "KF, lags 0": (0, KalmanFilterDecoder),
    "KF, lags 2": (2, KalmanFilterDecoder),
    "DKF-NW 10 PCs, NW Q, lags 0": (0, dkf_nw(10, "nw")),
    "DKF-NW 20 PCs, NW Q, lags 0": (0, dkf_nw(20, "nw")),
    "DKF-NW 10 PCs, const Q, lags 0": (0, dkf_nw(10, "constant")),
    "DKF-NW 20 PCs, const Q, lags 0": (0, dkf_nw(20, "constant")),
    "robust DKF-NW 20 PCs, const Q, lags 0": (0, dkf_nw(20, "constant", True)),
    "DKF-NW 20 PCs, NW Q, lags 2": (2, dkf_nw(20, "nw")),
    "DKF-NW 20 PCs, const Q, lags 2": (2, dkf_nw(20, "constant")),
    "DKF-MLP(64), const Q, lags 0": (0, dkf_mlp),
}
INNER_GRID = [
    "DKF-NW 10 PCs, NW Q, lags 0",
    "DKF-NW 20 PCs, NW Q, lags 0",
    "DKF-NW 10 PCs, const Q, lags 0",
    "DKF-NW 20 PCs, const Q, lags 0",
]


def fit_predict(name: str, z_tr, v_tr, groups, z_te) -> np.ndarray:
    n_lags, make = CONFIGS[name]
    lags = LagStacker(n_lags).fit(z_tr)
    scaler = CalibrationScaler().fit(lags.transform(z_tr))
    X_tr = scaler.transform(lags.transform(z_tr))
    X_te = scaler.transform(lags.transform(z_te))
    est = make()
    if isinstance(est, Ridge):
        return est.fit(X_tr, v_tr).predict(X_te)
    return est.fit(X_tr, v_tr, groups=groups, bin_width=0.05).predict(X_te)


def inner_validated(z_tr, v_tr, groups, z_te) -> tuple[np.ndarray, str]:
    cut = int(0.8 * len(z_tr))
    best, best_r2 = INNER_GRID[0], -np.inf
    for name in INNER_GRID:
        pred = fit_predict(name, z_tr[:cut], v_tr[:cut], groups[:cut], z_tr[cut:])
        r2 = r2_score(v_tr[cut:], pred)
        if r2 > best_r2:
            best, best_r2 = name, r2
    return fit_predict(best, z_tr, v_tr, groups, z_te), best


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    z, v = load(root)
    folds = np.array_split(np.arange(len(z)), 5)
    names = [*CONFIGS, "DKF (inner-validated)"]
    r2 = {k: [] for k in names}
    corr = {k: [] for k in names}
    seconds = dict.fromkeys(names, 0.0)
    chosen = []
    for test in folds:
        train = np.setdiff1d(np.arange(len(z)), test)
        groups = (train > test[0]).astype(int)
        for name in names:
            t0 = time.perf_counter()
            if name in CONFIGS:
                pred = fit_predict(name, z[train], v[train], groups, z[test])
            else:
                pred, pick = inner_validated(z[train], v[train], groups, z[test])
                chosen.append(pick)
            seconds[name] += time.perf_counter() - t0
            r2[name].append(r2_score(v[test], pred, multioutput="raw_values"))
            corr[name].append(
                [np.corrcoef(v[test][:, k], pred[:, k])[0, 1] for k in range(2)]
            )
    print("M1 (Stevenson 2011), 171 units, 50 ms bins, hand velocity, 5-fold")
    print("contiguous CV; mean over folds (R² and Pearson r per axis)")
    head = f"{'method':40s} {'R² x':>6s} {'R² y':>6s} {'R² mean':>8s} "
    print(head + f"{'r x':>6s} {'r y':>6s} {'time s':>7s}")
    for name in names:
        a, c = np.mean(r2[name], axis=0), np.mean(corr[name], axis=0)
        print(
            f"{name:40s} {a[0]:6.3f} {a[1]:6.3f} {a.mean():8.3f} "
            f"{c[0]:6.3f} {c[1]:6.3f} {seconds[name]:7.1f}"
        )
    print("inner-validated DKF picked, per fold:", "; ".join(chosen))
    kf = np.mean(r2["KF, lags 0"], axis=0).mean()
    dkf = np.mean(r2["DKF (inner-validated)"], axis=0).mean()
    fold_wins = sum(
        np.mean(a) > np.mean(b)
        for a, b in zip(r2["DKF (inner-validated)"], r2["KF, lags 0"])
    )
    verdict = "beats" if dkf > kf else "does not beat"
    print(
        f"DKF (inner-validated) {verdict} KF (lags 0) on held-out mean R²: "
        f"{dkf:.3f} vs {kf:.3f} (better on {fold_wins}/5 folds)"
    )


if __name__ == "__main__":
    main()
