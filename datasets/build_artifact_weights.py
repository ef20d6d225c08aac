"""Train AT-AT on the real-EEG benchmark and write the shipped weight file.

The clean segments come from the train and validation recordings of
:data:`neurokit_ai.artifacts.BENCHMARK_RECORDINGS` under the shared data folder
(``$NEUROKIT_SHARED_DATA``, default ``../shared/datasets``), cut and selected by
:func:`neurokit_ai.artifacts.clean_eeg_segments`; the EMG comes from
:func:`neurokit_ai.artifacts.simulate_emg` (seeded). The test recording is never
read. Everything is seeded. See ``datasets/artifacts.md``. It takes a few
minutes on one CPU core.

Usage::

    python datasets/build_artifact_weights.py            # write the shipped file
    python datasets/build_artifact_weights.py --out w.pt --epochs 5
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Architecture of the shipped network (ATATNet's defaults, written out).
CONFIG = {
    "n_samples": 512,
    "patch": 16,
    "d_model": 32,
    "n_layers": 2,
    "n_heads": 4,
    "dim_ff": 64,
    "ae_width": 16,
    "skip_below": 0.02,
}
#: Share of training inputs without EMG (teaches AT-AT to leave clean EEG alone).
CLEAN_FRACTION = 0.2
#: Weight of the gate's sparsity cost: without it the learned threshold drops
#: until every patch goes through the transformer (no targeting).
GATE_WEIGHT = 0.02


def main(argv: list[str] | None = None) -> None:
    """Train and save; print the file written and its validation metrics."""
    import torch

    from neurokit_ai.artifacts import (
        build_network,
        count_parameters,
        load_benchmark_segments,
        make_benchmark,
        metrics_by_snr,
        simulate_emg,
        train_denoiser,
    )
    from neurokit_ai.artifacts._remover import denoise_segments
    from neurokit_ai.artifacts._weights import save_weights, shipped_weights_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(shipped_weights_path()))
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    root = Path(
        os.environ.get("NEUROKIT_SHARED_DATA", REPO.parent / "shared" / "datasets")
    )
    train = load_benchmark_segments(root, "train")
    val = load_benchmark_segments(root, "val")
    emg_train = simulate_emg(1500, random_state=1)
    val_split = make_benchmark(val, simulate_emg(200, random_state=2), random_state=0)
    model = build_network("atat", **CONFIG)
    out = train_denoiser(
        model,
        train,
        emg_train,
        val=(val_split.noisy, val_split.clean),
        adversarial_weight=0.05,
        autoencoder_weight=0.5,
        gate_weight=GATE_WEIGHT,
        clean_fraction=CLEAN_FRACTION,
        max_epochs=args.epochs,
        patience=5,
        random_state=0,
        verbose=True,
    )
    denoised = denoise_segments(model, val_split.noisy)
    scores = metrics_by_snr(denoised, val_split.clean, val_split.snr_db)
    info = {
        "train_seconds": round(out["train_seconds"], 1),
        "best_epoch": int(out["history"]["best_epoch"][0]),
        "n_train_segments": int(train.shape[0]),
        "n_parameters": count_parameters(model),
        "val_cc": {str(k): round(v["cc"], 4) for k, v in scores.items()},
        "clean_fraction": CLEAN_FRACTION,
        "gate_weight": GATE_WEIGHT,
        "torch": str(torch.__version__),
    }
    path = save_weights(args.out, model, "atat", CONFIG, info)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    for key, value in info.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
