"""``neurokit-ai decode PATH``: fit a decoder on a file, then replay the rest live.

``decode`` fits a Kalman filter on the first part of a file of binned features
with behavioural covariates, replays the rest through the live loop
(:class:`~neurokit_ai.decoding.realtime.ReplaySource`, paced in real time, or
faster with ``--speed``), and writes the per-bin log, the session report, the
metrics and two figures.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import numpy as np

from ..core import Recording, ValidationError, check_path, check_scalar

__all__ = ["add_decode_parser", "run_decode", "decode_file"]


def add_decode_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``decode`` sub-command to an argparse ``subparsers`` object.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> p = add_decode_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["decode", "m1.mat"]).train_fraction
    0.5
    """
    p = subparsers.add_parser(
        "decode",
        help="fit a Kalman filter on the start of a file, decode the rest live",
        description=(
            "Fit a Kalman filter decoder on the first part of a file of binned "
            "features with behavioural covariates, replay the rest through the "
            "live loop at the bin rate, print the metrics and write the log, "
            "report and figures."
        ),
    )
    p.add_argument("path", help="recording with binned features and covariates")
    p.add_argument(
        "--covariates",
        nargs="+",
        default=["handVel"],
        help="variables decoded (read with read_recording(covariates=...))",
    )
    p.add_argument("--train-fraction", type=float, default=0.5)
    p.add_argument(
        "--speed", type=float, default=1.0, help="replay speed (1 = real time)"
    )
    p.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="replay at most this many seconds of data after the training part",
    )
    p.add_argument("--on-lag", choices=["skip", "catch_up"], default="skip")
    p.add_argument("--out", default="neurokit_decode", help="output folder")
    p.set_defaults(handler=run_decode)
    return p


def _split_channels(rec: Recording) -> tuple[np.ndarray, np.ndarray, list[str]]:
    features = [i for i, t in enumerate(rec.ch_types) if t != "behavior"]
    targets = [i for i, t in enumerate(rec.ch_types) if t == "behavior"]
    if not targets or not features:
        raise ValidationError(
            f"{rec.source!r} needs feature channels and behaviour channels; it has "
            f"{len(features)} feature and {len(targets)} behaviour channel(s). Name "
            "the covariates to decode with --covariates."
        )
    data = rec.get_data()
    names = [rec.ch_names[i] for i in targets]
    return data[features].T, data[targets].T, names


def decode_file(
    path: str | os.PathLike,
    covariates: list[str],
    out_dir: str | os.PathLike,
    *,
    train_fraction: float = 0.5,
    speed: float = 1.0,
    max_seconds: float | None = None,
    on_lag: str = "skip",
) -> dict[str, Any]:
    """Fit on the start of ``path``, decode the rest live, write the outputs.

    Behaviour channels constant over the training part (e.g. a ``z`` axis
    that is always 0) are not decoded.

    Returns
    -------
    dict
        ``metrics`` (R² per state, latency, counts) and ``files`` (paths).

    Examples
    --------
    >>> out = decode_file("m1.mat", ["handVel"], "out", speed=20)  # doctest: +SKIP
    >>> out["metrics"]["n_lost"]  # doctest: +SKIP
    0
    """
    from ..decoding import KalmanFilterDecoder
    from ..decoding.realtime import ReplaySource, StreamDecoder
    from ..decoding.realtime._log import write_json_atomic
    from ..io import read_recording
    from ..viz import plot_decoded_trajectories, plot_latency_histogram, save_figure

    check_scalar(train_fraction, "train_fraction", min_val=0.0, max_val=1.0)
    if not 0.0 < train_fraction < 1.0:
        raise ValidationError(
            f"train_fraction must lie strictly between 0 and 1, got {train_fraction}."
        )
    out = check_path(out_dir, "out_dir", must_exist=False)
    rec = read_recording(path, covariates=list(covariates))
    X, Y, names = _split_channels(rec)
    n_train = int(round(train_fraction * len(X)))
    varying = Y[:n_train].std(axis=0) > 0
    Y, names = Y[:, varying], [n for n, v in zip(names, varying) if v]
    width = 1.0 / rec.sfreq
    kf = KalmanFilterDecoder().fit(X[:n_train], Y[:n_train], bin_width=width)
    X_live, Y_live = X[n_train:], Y[n_train:]
    if max_seconds is not None:
        check_scalar(max_seconds, "max_seconds", min_val=0.0, include_min=False)
        n_live = max(1, int(round(max_seconds / width)))
        X_live, Y_live = X_live[:n_live], Y_live[:n_live]
    out.mkdir(parents=True, exist_ok=True)
    stream = StreamDecoder(
        kf, ReplaySource(X_live, width, speed=speed), on_lag=on_lag, log_dir=out
    )
    report = stream.run()
    log = stream.log_.to_dict()
    decoded = np.full_like(Y_live, np.nan)
    published = np.isfinite(log["latency"])
    decoded[log["index"][published]] = log["estimates"][published]
    offline = kf.predict(X_live)
    same = np.isfinite(decoded).all(axis=1)
    r2 = _r2(Y_live[same], decoded[same])
    metrics = {
        "n_train_bins": n_train,
        "n_live_bins": len(X_live),
        "bin_width_s": width,
        "r2": dict(zip(names, r2)),
        "max_abs_diff_vs_offline": float(np.abs(decoded[same] - offline[same]).max()),
        "n_lost": report.n_lost,
        **{k: v for k, v in report.to_dict().items() if k != "on_lag"},
    }
    files = {
        "log": out / "stream_log.csv",
        "report": out / "stream_report.json",
        "metrics": write_json_atomic(out / "decode_metrics.json", metrics),
        "trajectories": save_figure(
            plot_decoded_trajectories(
                Y_live, decoded, width, names=names, tmax=min(60.0, len(Y_live) * width)
            ),
            out / "decoded_trajectories.png",
        ),
        "latency": save_figure(
            plot_latency_histogram(stream.log_, bin_width=width),
            out / "latency_histogram.png",
        ),
    }
    return {"metrics": metrics, "files": files}


def _r2(y: np.ndarray, pred: np.ndarray) -> list[float]:
    ss_res = ((y - pred) ** 2).sum(axis=0)
    ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    return [float(v) for v in 1.0 - ss_res / ss_tot]


def run_decode(args: argparse.Namespace) -> int:
    """Run ``neurokit-ai decode`` from parsed arguments; print metrics and paths.

    Examples
    --------
    >>> run_decode(argparse.Namespace(path="m1.mat", ...))  # doctest: +SKIP
    0
    """
    result = decode_file(
        args.path,
        args.covariates,
        args.out,
        train_fraction=args.train_fraction,
        speed=args.speed,
        max_seconds=args.max_seconds,
        on_lag=args.on_lag,
    )
    m = result["metrics"]
    print(
        f"fitted a Kalman filter on {m['n_train_bins']} bins, decoded "
        f"{m['n_published']} of {m['n_live_bins']} live bins "
        f"({m['bin_width_s'] * 1e3:g} ms) at {m['effective_rate_hz']:.1f} Hz"
    )
    for name, value in m["r2"].items():
        print(f"R² {name}: {value:.3f}")
    print(
        f"latency p50 {m['latency_p50_ms']:.3f} ms, p99 {m['latency_p99_ms']:.3f} ms, "
        f"max {m['latency_max_ms']:.3f} ms; held {m['n_held']}, missing "
        f"{m['n_missing']}, skipped {m['n_skipped']}; max |live - offline| "
        f"{m['max_abs_diff_vs_offline']:.3g}"
    )
    for label, path in result["files"].items():
        print(f"{label}: {path}")
    return 0
