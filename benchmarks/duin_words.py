"""Du-IN 61-word decoding on simulated word-reading sEEG, against baselines.

Data: :func:`neurokit_ai.datasets.simulate_word_reading` on the real sample
patient (``recordings/ieeg/seeg/sample_seeg.edf`` under
``$NEUROKIT_SHARED_DATA``, default ``../shared/datasets``; a synthetic
background when it is absent): 61 words planted as high-gamma trajectories in
the 10 frontal speech-motor contacts (pars opercularis, precentral, rostral
middle frontal; the patient has no temporal contacts), 4 white-matter/unknown
control contacts, trials from -0.2 to 0.8 s. Three labelled sessions of
``--trials`` repetitions per word are cross-validated leave-one-session-out;
``--pretrain-sessions`` further sessions of the same words serve, without
their labels, as the pre-training corpus (as Du-IN's unlabelled hours).

Pipeline: contacts by atlas region -> log high-gamma envelope at 100 Hz
(MNE FIR band-pass 70-150 Hz, Hilbert amplitude) -> models. Du-IN: neural
tokenizer (VQ-VAE, EMA codebook) then masked code modelling on the
pre-training corpus, then fine-tuning (``Du-IN (MAE)``); the tokenizer's
encoder as the initialisation instead (``Du-IN (VQ-VAE enc.)``); the encoder
trained from scratch (``Du-IN (scratch)``); the scratch model on the single
best contact (ranked on the training sessions; ``single channel``) versus the
region-fused contacts (and the same for logistic regression). Baselines:
logistic regression on binned high-gamma power, EEGNet on the envelopes.
Chance is 1/61 (top-1) and 5/61 (top-5).

Prints, per difficulty: mean ± s.d. over the held-out sessions of top-1 and
top-5 accuracy, the codebook perplexity on the labelled trials, the masked
code accuracy and the pre-training throughput (windows/s, one CPU thread).

Run: ``python benchmarks/duin_words.py [--levels easy medium hard] [--quick]
[--pretrain-sessions 3] [--pt-lr 3e-3]`` (``--pt-lr``: fine-tuning learning
rate of the pre-trained models).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import torch

from neurokit_ai.datasets import simulate_word_reading
from neurokit_ai.speech import (
    EEGNetClassifier,
    HighGammaLogistic,
    MaskedCodeModel,
    NeuralTokenizer,
    WordDecoder,
    high_gamma_envelope,
    rank_channels,
    top_k_accuracy,
)

ARCH = dict(
    patch_len=10, d_neural=16, conv_channels=16, d_model=32, n_layers=2, n_heads=4
)


def _background() -> Path | None:
    root = os.environ.get("NEUROKIT_SHARED_DATA")
    base = Path(root) if root else Path(__file__).resolve().parents[2] / "shared"
    base = base if root else base / "datasets"
    path = base / "recordings" / "ieeg" / "seeg" / "sample_seeg.edf"
    return path if path.is_file() else None


def _scores(model, X, y) -> tuple[float, float]:
    proba = model.predict_proba(X)
    top1 = float(np.mean(model.classes_[proba.argmax(1)] == y))
    return top1, top_k_accuracy(y, proba, model.classes_, k=5)


def run_level(level: str, args: argparse.Namespace, background) -> dict:
    n_lab = 3
    sim = simulate_word_reading(
        background,
        n_words=args.words,
        n_sessions=n_lab + args.pretrain_sessions,
        trials_per_word=args.trials,
        difficulty=level,
        random_state=args.seed,
    )
    env = high_gamma_envelope(sim.X, sim.sfreq)
    region = env[:, sim.target]
    labelled = sim.session < n_lab
    pool = region[~labelled]
    X, Xall, y, session = (
        region[labelled],
        env[labelled],
        sim.y[labelled],
        sim.session[labelled],
    )
    raw = sim.X[labelled][:, sim.target]
    epochs = args.epochs
    fit_kw = dict(verbose=False, random_state=args.seed)

    t0 = time.perf_counter()
    tok = NeuralTokenizer(
        n_codes=64, code_dim=16, max_epochs=epochs, patience=5, **ARCH, **fit_kw
    ).fit(pool)
    mcm = MaskedCodeModel(tok, max_epochs=epochs, patience=5, **fit_kw).fit(pool)
    pretrain_s = time.perf_counter() - t0

    rows: dict[str, list[tuple[float, float]]] = {}
    fused_vs_single = []

    def add(name, model, Xtr, ytr, Xte, yte):
        model.fit(Xtr, ytr)
        rows.setdefault(name, []).append(_scores(model, Xte, yte))

    finetune_s = []
    for held in range(n_lab):
        tr, te = session != held, session == held
        dec = dict(max_epochs=2 * epochs, patience=10, lr=3e-3, hidden=64, **fit_kw)
        pt = {**dec, "lr": args.pt_lr}
        start = time.perf_counter()
        add("Du-IN (MAE)", WordDecoder(mcm, **pt), X[tr], y[tr], X[te], y[te])
        finetune_s.append(time.perf_counter() - start)
        add("Du-IN (VQ-VAE enc.)", WordDecoder(tok, **pt), X[tr], y[tr], X[te], y[te])
        add("Du-IN (scratch)", WordDecoder(**ARCH, **dec), X[tr], y[tr], X[te], y[te])
        best = int(rank_channels(raw[tr], y[tr], sim.sfreq)[0])
        one = X[:, best : best + 1]
        add(
            "Du-IN (scratch, single channel)",
            WordDecoder(**ARCH, **dec),
            one[tr],
            y[tr],
            one[te],
            y[te],
        )
        fused_vs_single.append(best)
        raw_one = raw[:, best : best + 1]
        add(
            "LogReg high-gamma, single channel",
            HighGammaLogistic(sfreq=sim.sfreq, C=0.1),
            raw_one[tr],
            y[tr],
            raw_one[te],
            y[te],
        )
        add(
            "LogReg high-gamma power",
            HighGammaLogistic(sfreq=sim.sfreq, C=0.1),
            raw[tr],
            y[tr],
            raw[te],
            y[te],
        )
        add(
            "EEGNet (envelopes, +controls)",
            EEGNetClassifier(kernel=16, pool=2, max_epochs=2 * epochs, **fit_kw),
            Xall[tr],
            y[tr],
            Xall[te],
            y[te],
        )
    return {
        "rows": rows,
        "perplexity": tok.perplexity(X),
        "n_codes": tok.n_codes,
        "masked_acc": mcm.masked_accuracy_,
        "tok_wps": tok.windows_per_second_,
        "mcm_wps": mcm.windows_per_second_,
        "pretrain_s": pretrain_s,
        "finetune_s": float(np.mean(finetune_s)),
        "n_pool": len(pool),
        "n_labelled": len(X),
        "single": [
            sim.ch_names[np.flatnonzero(sim.target)[b]] for b in fused_vs_single
        ],
        "snr": sim.metadata["snr"],
        "jitter": sim.metadata["jitter"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", nargs="+", default=["easy", "medium", "hard"])
    parser.add_argument("--words", type=int, default=61)
    parser.add_argument("--trials", type=int, default=4, help="per word and session")
    parser.add_argument("--pretrain-sessions", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument(
        "--pt-lr", type=float, default=3e-3, help="fine-tuning lr, pre-trained"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="10 words, 8 epochs")
    args = parser.parse_args()
    if args.quick:
        args.words, args.epochs, args.pretrain_sessions = 10, 8, 2
    torch.set_num_threads(args.threads)
    background = _background()
    print(
        f"background: {background or 'synthetic (simulate_seeg)'}; {args.words} "
        f"words, {args.trials} trials/word/session, 3 labelled sessions "
        f"(leave-one-session-out), {args.pretrain_sessions} unlabelled "
        f"pre-training sessions; torch threads={args.threads}"
    )
    chance1, chance5 = 1 / args.words, min(5, args.words) / args.words
    start, cpu = time.perf_counter(), time.process_time()
    for level in args.levels:
        res = run_level(level, args, background)
        print(
            f"\n== {level}: SNR {res['snr']}, jitter ±{res['jitter'] * 1000:.0f} ms; "
            f"{res['n_labelled']} labelled trials, {res['n_pool']} pre-training "
            "windows =="
        )
        print(f"{'model':34s} {'top-1 %':>14s} {'top-5 %':>14s}")
        for name, scores in res["rows"].items():
            a = 100 * np.array(scores)
            print(
                f"{name:34s} {a[:, 0].mean():6.1f} ± {a[:, 0].std():4.1f}   "
                f"{a[:, 1].mean():6.1f} ± {a[:, 1].std():4.1f}"
            )
        print(f"{'chance':34s} {100 * chance1:6.1f}          {100 * chance5:6.1f}")
        print(
            f"codebook perplexity {res['perplexity']:.1f} of {res['n_codes']} codes; "
            f"masked-code accuracy {100 * res['masked_acc']:.1f}%; pre-training "
            f"{res['tok_wps']:.0f} windows/s (tokenizer), {res['mcm_wps']:.0f} "
            f"windows/s (masked modelling), {res['pretrain_s']:.0f} s in all; "
            f"fine-tuning {res['finetune_s']:.0f} s per fold; single best channels "
            f"{res['single']}"
        )
    print(
        f"\ntotal {time.perf_counter() - start:.0f} s wall, "
        f"{time.process_time() - cpu:.0f} s CPU"
    )


if __name__ == "__main__":
    main()
