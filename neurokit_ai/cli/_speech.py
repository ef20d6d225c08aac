"""The ``neurokit-ai speech`` command: simulate, pretrain, finetune, evaluate."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["add_speech_parser", "run_speech"]


def add_speech_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``speech simulate|pretrain|finetune|evaluate`` (Du-IN word decoding).

    Trials are exchanged as ``.npz`` files holding ``X`` (n_trials, n_channels,
    n_times), ``sfreq`` and, for labelled trials, ``y``.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_speech_parser(sub).prog.endswith("speech")
    True
    """
    p = subparsers.add_parser(
        "speech",
        help="Du-IN speech decoding from sEEG (tokenizer, pre-training, words)",
        description=(
            "Du-IN word decoding from sEEG trials stored as .npz (X: n_trials x "
            "n_channels x n_times, sfreq, y). Trials are turned into log "
            "high-gamma envelopes at 100 Hz unless --raw is given."
        ),
    )
    actions = p.add_subparsers(dest="action", required=True)
    sim = actions.add_parser(
        "simulate",
        help="write a simulated word-reading session (.npz)",
        description=(
            "Simulate word-reading trials with planted high-gamma trajectories "
            "on --background (an sEEG file with its electrodes.tsv) or a "
            "synthetic background."
        ),
    )
    sim.add_argument("--background", type=Path, help="sEEG recording (EDF...)")
    sim.add_argument("--words", type=int, default=10, help="vocabulary size")
    sim.add_argument("--sessions", type=int, default=2)
    sim.add_argument("--trials", type=int, default=10, help="per word and session")
    sim.add_argument("--difficulty", default="easy", choices=["easy", "medium", "hard"])
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--out", type=Path, required=True, help="output .npz")
    for name, text in (
        ("pretrain", "fit the neural tokenizer and masked code model on X"),
        ("finetune", "fit the word decoder on X, y (optionally pre-trained)"),
    ):
        sub = actions.add_parser(name, help=text, description=text + ".")
        sub.add_argument("data", type=Path, help=".npz with X and sfreq (and y)")
        sub.add_argument("--out", type=Path, required=True, help="model file (.pt)")
        sub.add_argument("--epochs", type=int, default=30)
        sub.add_argument("--patch-len", type=int, default=10)
        sub.add_argument("--d-model", type=int, default=32)
        sub.add_argument("--layers", type=int, default=2)
        sub.add_argument("--raw", action="store_true", help="no envelope step")
        sub.add_argument("--seed", type=int, default=0)
        sub.add_argument("--progress", action="store_true", help="progress bar")
    actions.choices["pretrain"].add_argument("--codes", type=int, default=64)
    actions.choices["pretrain"].add_argument("--mask-ratio", type=float, default=0.5)
    actions.choices["finetune"].add_argument(
        "--pretrained", type=Path, help="model file written by 'speech pretrain'"
    )
    ev = actions.add_parser(
        "evaluate",
        help="top-1/top-5 accuracy of a fine-tuned decoder, confusion matrix",
        description="Score a decoder on labelled trials; write confusion.png.",
    )
    ev.add_argument("model", type=Path, help="model file from 'speech finetune'")
    ev.add_argument("data", type=Path, help=".npz with X, y and sfreq")
    ev.add_argument(
        "--out", type=Path, help="folder for confusion.png (created if missing)"
    )
    p.set_defaults(handler=run_speech)
    return p


def _load_npz(path: Path, need_y: bool) -> dict[str, Any]:
    from ..core import FileFormatError, check_path, check_sfreq

    path = check_path(path, "data", kind="file")
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
    except (OSError, ValueError) as err:
        raise FileFormatError(
            f"{str(path)!r} is not a readable .npz file ({err})."
        ) from err
    required = ["X", "sfreq"] + (["y"] if need_y else [])
    missing = [k for k in required if k not in data]
    if missing:
        raise FileFormatError(
            f"{str(path)!r} lacks the arrays {missing} (it has {sorted(data)}); "
            "save X (n_trials, n_channels, n_times), sfreq and y with np.savez."
        )
    sfreq = data["sfreq"]
    if sfreq.size != 1 or sfreq.dtype.kind not in "iuf":
        raise FileFormatError(
            f"{str(path)!r} holds sfreq={sfreq!r}; it must be one number, the "
            "sampling rate in Hz (np.savez(..., sfreq=1000.0))."
        )
    data["sfreq"] = check_sfreq(sfreq.item())
    return data


def _features(data: dict[str, Any], raw: bool) -> np.ndarray:
    from ..speech import high_gamma_envelope

    if raw:
        return np.asarray(data["X"], dtype=np.float32)
    return high_gamma_envelope(data["X"], float(data["sfreq"]))


def _arch(args: argparse.Namespace) -> dict[str, Any]:
    from ..core import ValidationError

    if args.d_model % 4:
        raise ValidationError(
            f"--d-model must be a multiple of 4 (the attention heads), got "
            f"{args.d_model}."
        )
    return {
        "patch_len": args.patch_len,
        "d_model": args.d_model,
        "n_layers": args.layers,
        "n_heads": 4,
        "d_neural": 16,
        "conv_channels": 16,
        "max_epochs": args.epochs,
        "random_state": args.seed,
        "verbose": args.progress,
    }


def run_speech(args: argparse.Namespace) -> int:
    """Run the ``speech`` command; returns the exit status."""
    return {
        "simulate": _simulate,
        "pretrain": _pretrain,
        "finetune": _finetune,
        "evaluate": _evaluate,
    }[args.action](args)


def _simulate(args: argparse.Namespace) -> int:
    from ..core._atomic import atomic_output
    from ..datasets import simulate_word_reading

    sim = simulate_word_reading(
        args.background,
        n_words=args.words,
        n_sessions=args.sessions,
        trials_per_word=args.trials,
        difficulty=args.difficulty,
        random_state=args.seed,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(args.out) as tmp, open(tmp, "wb") as f:
        np.savez(
            f,
            X=sim.X[:, sim.target],
            y=sim.y,
            session=sim.session,
            sfreq=sim.sfreq,
            ch_names=np.asarray(sim.target_names),
            words=np.asarray(sim.words),
        )
    print(
        f"{sim.X.shape[0]} trials of {len(sim.words)} words, "
        f"{int(sim.target.sum())} contacts ({', '.join(sorted(set(sim.labels)))})"
    )
    print(f"wrote {args.out}")
    return 0


def _pretrain(args: argparse.Namespace) -> int:
    from ..speech import MaskedCodeModel, NeuralTokenizer, save_speech_model

    data = _load_npz(args.data, need_y=False)
    X = _features(data, args.raw)
    kw = _arch(args)
    tok = NeuralTokenizer(n_codes=args.codes, patience=5, **kw).fit(X)
    mcm = MaskedCodeModel(
        tok,
        mask_ratio=args.mask_ratio,
        max_epochs=args.epochs,
        patience=5,
        random_state=args.seed,
        verbose=args.progress,
    ).fit(X)
    extra = {"raw": bool(args.raw), "sfreq": float(data["sfreq"])}
    save_speech_model(args.out, mcm, extra)
    print(
        f"{X.shape[0]} windows: codebook perplexity {tok.perplexity_:.1f} of "
        f"{tok.n_codes}, masked-code accuracy {100 * mcm.masked_accuracy_:.1f}%, "
        f"{tok.windows_per_second_:.0f} + {mcm.windows_per_second_:.0f} windows/s"
    )
    print(f"wrote {args.out}")
    return 0


def _finetune(args: argparse.Namespace) -> int:
    from ..core import ValidationError
    from ..speech import WordDecoder, load_speech_model, save_speech_model

    data = _load_npz(args.data, need_y=True)
    pretrained, raw = None, args.raw
    if args.pretrained is not None:
        pretrained, extra = load_speech_model(args.pretrained)
        raw = extra.get("raw", raw)
        if args.raw and not raw:
            raise ValidationError(
                f"--raw was given but --pretrained {args.pretrained} was trained on "
                "high-gamma envelopes; drop --raw, or pre-train with --raw."
            )
        if isinstance(pretrained, WordDecoder):
            raise ValidationError(
                f"--pretrained {args.pretrained} is a fine-tuned decoder; pass a "
                "file written by 'speech pretrain'."
            )
    X = _features(data, raw)
    kw = _arch(args)
    kw["max_epochs"] = 2 * args.epochs
    dec = WordDecoder(pretrained, lr=3e-3, patience=10, **kw).fit(
        X, data["y"], ch_names=data.get("ch_names")
    )
    save_speech_model(args.out, dec, {"raw": bool(raw), "sfreq": float(data["sfreq"])})
    print(
        f"{X.shape[0]} trials, {len(dec.classes_)} words, "
        f"{'pre-trained' if pretrained is not None else 'from scratch'}; "
        f"training accuracy {100 * dec.score(X, data['y']):.1f}%"
    )
    print(f"wrote {args.out}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from ..core import ValidationError, check_path
    from ..core._atomic import write_bytes_atomic
    from ..speech import WordDecoder, load_speech_model, top_k_accuracy

    out = None
    if args.out is not None:
        if not args.out.exists():
            args.out.mkdir(parents=True)
        out = check_path(args.out, "--out", kind="dir")
    dec, extra = load_speech_model(args.model)
    if not isinstance(dec, WordDecoder):
        raise ValidationError(
            f"{args.model} holds a {type(dec).__name__}, not a word decoder; "
            "evaluate a file written by 'speech finetune'."
        )
    data = _load_npz(args.data, need_y=True)
    X = _features(data, extra.get("raw", False))
    y = data["y"]
    if y.shape != (X.shape[0],):
        raise ValidationError(
            f"{args.data} holds y of shape {y.shape} for {X.shape[0]} trials; "
            "save one word label per trial."
        )
    proba = dec.predict_proba(X, ch_names=data.get("ch_names"))
    top1 = top_k_accuracy(y, proba, dec.classes_, k=1)
    top5 = top_k_accuracy(y, proba, dec.classes_, k=5)
    n = len(dec.classes_)
    print(
        f"{X.shape[0]} trials, {n} words: top-1 {100 * top1:.1f}% "
        f"(chance {100 / n:.1f}%), top-5 {100 * top5:.1f}% "
        f"(chance {100 * min(5, n) / n:.1f}%)"
    )
    if out is not None:
        from ..viz._files import figure_to_png
        from ..viz._speech import plot_confusion_matrix

        pred = dec.classes_[proba.argmax(axis=1)]
        png = figure_to_png(plot_confusion_matrix(y, pred, dec.classes_))
        write_bytes_atomic(out / "confusion.png", png)
        print(f"wrote {out / 'confusion.png'}")
    return 0
