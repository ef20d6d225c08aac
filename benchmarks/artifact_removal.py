"""Muscle-artifact removal: AT-AT vs filtering, ICA, a 1-D CNN and a plain transformer.

Part A (EEGdenoiseNet protocol, single channel): clean 2-s segments of the
held-out test recording (``BENCHMARK_RECORDINGS["test"]``, never used for
training or weight selection) mixed with simulated EMG (seed never used in
training) at -7...+2 dB. The CNN and the plain transformer are trained here
on the train recording with the same data, loss and budget as AT-AT; AT-AT
uses the shipped weights (its training time is read from the weight file), or
is retrained here with ``--retrain-atat``.

Part B (whole recording, multichannel): the test recording's EEG
(1-45 Hz, 256 Hz) plus 4 simulated EMG sources mixed into every channel
(:func:`contaminate_recording`); ICA (MNE FastICA, muscle components flagged by
a positive 7-45 Hz spectral slope), filtering and the neural models through
:class:`ArtifactRemover` (overlap-add windows) are scored on every channel's
2-s segments.

Prints method x SNR tables of CC, RRMSE_t and RRMSE_f, parameter counts and
CPU training times. CPU only; the training times depend on the machine's load.

Run: ``python benchmarks/artifact_removal.py [--epochs 15] [--n-test 600]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from neurokit_ai.artifacts import (
    BENCHMARK_RECORDINGS,
    SNR_LEVELS_DB,
    ArtifactRemover,
    build_network,
    contaminate_recording,
    count_parameters,
    denoise_segments,
    filter_denoise,
    ica_denoise,
    load_benchmark_segments,
    load_weights,
    make_benchmark,
    metrics_by_snr,
    save_weights,
    score_recording,
    shipped_weights_path,
    simulate_emg,
    train_denoiser,
)
from neurokit_ai.io import read_recording

REPO = Path(__file__).resolve().parents[1]
METRICS = ("cc", "rrmse_t", "rrmse_f")


def _table(title: str, rows: dict[str, dict[float, dict[str, float]]]) -> None:
    levels = sorted(next(iter(rows.values())))
    for metric in METRICS:
        print(f"\n{title} — {metric}")
        print(f"{'method':<22}" + "".join(f"{lv:>7g}" for lv in levels) + "   mean")
        for name, by_snr in rows.items():
            vals = [by_snr[lv][metric] for lv in levels]
            print(
                f"{name:<22}"
                + "".join(f"{v:7.3f}" for v in vals)
                + f"{np.mean(vals):7.3f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--n-test", type=int, default=600)
    parser.add_argument(
        "--seconds",
        type=float,
        default=60.0,
        help="length of the test recording used in part B",
    )
    parser.add_argument("--retrain-atat", action="store_true")
    parser.add_argument(
        "--baselines",
        nargs="*",
        default=["cnn", "transformer"],
        choices=["cnn", "transformer"],
        help="neural baselines to train and score (none: AT-AT and classical only)",
    )
    parser.add_argument("--skip-b", action="store_true")
    args = parser.parse_args()
    root = Path(
        os.environ.get("NEUROKIT_SHARED_DATA", REPO.parent / "shared" / "datasets")
    )
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads")

    train = load_benchmark_segments(root, "train")
    val = load_benchmark_segments(root, "val")
    test = load_benchmark_segments(root, "test")
    emg_train = simulate_emg(1500, random_state=1)
    val_split = make_benchmark(val, simulate_emg(200, random_state=2), random_state=0)
    rng = np.random.default_rng(0)
    pick = rng.choice(test.shape[0], min(args.n_test, test.shape[0]), replace=False)
    split = make_benchmark(
        test[np.sort(pick)],
        simulate_emg(500, random_state=3),
        SNR_LEVELS_DB,
        random_state=4,
    )
    print(
        f"segments: train {train.shape[0]} (recording {BENCHMARK_RECORDINGS['train']}),"
        f" val {val.shape[0]}, test {len(split)} = {pick.size} x {SNR_LEVELS_DB.size}"
        f" SNR levels (recording {BENCHMARK_RECORDINGS['test']})"
    )

    models: dict[str, tuple[torch.nn.Module, float]] = {}
    atat_cfg = {
        "adversarial_weight": 0.05,
        "autoencoder_weight": 0.5,
        "gate_weight": 0.02,
    }
    kinds = list(args.baselines) + (["atat"] if args.retrain_atat else [])
    for kind in kinds:
        net = build_network(kind)
        out = train_denoiser(
            net,
            train,
            emg_train,
            val=(val_split.noisy, val_split.clean),
            max_epochs=args.epochs if kind != "atat" else 25,
            patience=5,
            random_state=0,
            clean_fraction=0.2,
            **(atat_cfg if kind == "atat" else {}),
        )
        models[kind] = (net, out["train_seconds"])
        print(
            f"trained {kind}: {count_parameters(net)} parameters, "
            f"{out['train_seconds']:.0f} s",
            flush=True,
        )
    if "atat" not in models:
        net, _, info = load_weights(shipped_weights_path())
        models["atat"] = (net, float(info["train_seconds"]))

    rows: dict[str, dict[float, dict[str, float]]] = {}
    rows["noisy input"] = metrics_by_snr(split.noisy, split.clean, split.snr_db)
    rows["filter 1-45 Hz"] = metrics_by_snr(
        filter_denoise(split.noisy, 256.0, 1.0, 45.0), split.clean, split.snr_db
    )
    rows["filter 1-20 Hz"] = metrics_by_snr(
        filter_denoise(split.noisy, 256.0, 1.0, 20.0), split.clean, split.snr_db
    )
    infer = {}
    for kind, (net, _) in models.items():
        t0 = time.perf_counter()
        den = denoise_segments(net, split.noisy)
        infer[kind] = (time.perf_counter() - t0) / len(split) * 1e3
        rows[kind] = metrics_by_snr(den, split.clean, split.snr_db)
    _table("A. single-channel segments (EEGdenoiseNet protocol)", rows)

    print("\nmodels")
    print(f"{'method':<14}{'parameters':>12}{'train s (CPU)':>15}{'ms/segment':>12}")
    for kind, (net, secs) in models.items():
        print(
            f"{kind:<14}{count_parameters(net):>12d}{secs:>15.0f}{infer[kind]:>12.2f}"
        )
    _targeting(models["atat"][0], split)
    baselines = [k for k in ("cnn", "transformer") if k in models]
    if baselines:
        best = max(
            baselines, key=lambda k: np.mean([v["cc"] for v in rows[k].values()])
        )
        ratio = count_parameters(models["atat"][0]) / count_parameters(models[best][0])
        print(
            f"best neural baseline: {best}; AT-AT has {100 * ratio:.1f}% of its "
            "parameters"
        )

    if args.skip_b:
        return
    rec = read_recording(root / "recordings" / BENCHMARK_RECORDINGS["test"])
    rec = rec.crop(0, args.seconds)
    removers = {"filter 1-45 Hz": ArtifactRemover(method="filter").fit()}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, (net, _) in models.items():
            path = save_weights(Path(tmp) / f"{kind}.pt", net, kind, {})
            removers[kind] = ArtifactRemover(method=kind, weights=path).fit()
        rows_b: dict[str, dict[float, dict[str, float]]] = {}
        for level in SNR_LEVELS_DB:
            clean, noisy = contaminate_recording(rec, float(level), random_state=7)
            res = {"noisy input": score_recording(noisy, clean)}
            t0 = time.perf_counter()
            ica_out, info = ica_denoise(noisy, n_components=20)
            res["ICA (slope)"] = score_recording(ica_out, clean)
            ica_s = time.perf_counter() - t0
            for name, rem in removers.items():
                res[name] = score_recording(rem.transform(noisy), clean)
            for name, score in res.items():
                rows_b.setdefault(name, {})[float(level)] = score
            print(
                f"part B {level:+g} dB: ICA flagged {len(info['flagged'])}/"
                f"{info['n_components']} components ({ica_s:.1f} s)",
                flush=True,
            )
    _table(
        f"B. whole recording, {rec.n_channels} channels x {args.seconds:g} s", rows_b
    )


def _targeting(net: torch.nn.Module, split: Any) -> None:
    """Share of segments AT-AT routes to its transformer, noisy and clean."""
    net.eval()
    with torch.no_grad():
        _, noisy = net(torch.as_tensor(split.noisy, dtype=torch.float32), True)
        clean = split.clean / split.clean.std(axis=1, keepdims=True)
        _, quiet = net(torch.as_tensor(clean, dtype=torch.float32), True)
    routed = noisy["routed"].numpy()
    print("AT-AT targeting: share of segments routed to the transformer")
    print(
        "  "
        + "  ".join(
            f"{lv:+g} dB {routed[split.snr_db == lv].mean():.2f}"
            for lv in np.unique(split.snr_db)
        )
        + f"  | clean input {quiet['routed'].float().mean().item():.2f}"
        + f"; mean gate noisy {noisy['gate'].mean().item():.2f},"
        + f" clean {quiet['gate'].mean().item():.2f}"
    )


if __name__ == "__main__":
    main()
