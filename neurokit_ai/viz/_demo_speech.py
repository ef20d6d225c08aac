"""The speech stage of the demo: Du-IN word decoding on simulated sEEG."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..core import check_path

__all__ = ["speech_stage"]


def speech_stage(out_dir: str | os.PathLike) -> dict[str, Any]:
    """A tiny Du-IN run: tokenizer, masked pre-training, word decoder (demo section).

    Six words are planted as high-gamma trajectories in the vSMC/STG contacts
    of a synthetic sEEG background (:func:`simulate_word_reading`, easy
    difficulty, two sessions of 12 trials per word); the log high-gamma
    envelopes of the first session pre-train a small neural tokenizer and
    masked code model and fine-tune the word decoder, which is tested on the
    second session next to the logistic-regression baseline. Figures: code
    usage, the decoder's confusion matrix, accuracy against the baseline.

    Returns
    -------
    dict
        ``text``, ``figures`` (PNG paths) and ``table``.

    Examples
    --------
    >>> section = speech_stage("demo_out")  # doctest: +SKIP
    >>> sorted(section)  # doctest: +SKIP
    ['figures', 'table', 'text']
    """
    from ..datasets import simulate_word_reading
    from ..speech import (
        HighGammaLogistic,
        MaskedCodeModel,
        NeuralTokenizer,
        WordDecoder,
        high_gamma_envelope,
    )
    from ._files import save_figure
    from ._speech import (
        plot_accuracy_vs_baselines,
        plot_codebook_usage,
        plot_confusion_matrix,
    )

    out = check_path(out_dir, "out_dir", kind="dir")
    sim = simulate_word_reading(
        n_words=6,
        n_sessions=2,
        trials_per_word=12,
        difficulty="easy",
        regions=("vSMC", "STG"),
        n_controls=0,
        tmin=0.0,
        tmax=0.6,
        random_state=0,
    )
    env = high_gamma_envelope(sim.X, sim.sfreq)
    train, test = sim.session == 0, sim.session == 1
    arch = dict(
        patch_len=10, d_neural=16, conv_channels=16, d_model=32, n_layers=1, n_heads=2
    )
    tok = NeuralTokenizer(n_codes=32, max_epochs=8, verbose=False, **arch)
    tok.fit(env[train])
    mcm = MaskedCodeModel(tok, max_epochs=8, verbose=False).fit(env[train])
    dec = WordDecoder(mcm, lr=3e-3, hidden=32, max_epochs=40, patience=None)
    dec.set_params(verbose=False).fit(env[train], sim.y[train])
    pred = dec.predict(env[test])
    acc = float(np.mean(pred == sim.y[test]))
    lr = HighGammaLogistic(sfreq=sim.sfreq).fit(sim.X[train], sim.y[train])
    lr_acc = lr.score(sim.X[test], sim.y[test])
    words = np.asarray(sim.words)
    figures = [
        save_figure(plot_codebook_usage(tok.code_usage(env)), out / "speech_codes.png"),
        save_figure(
            plot_confusion_matrix(words[sim.y[test]], words[pred], sim.words),
            out / "speech_confusion.png",
        ),
        save_figure(
            plot_accuracy_vs_baselines(
                {"Du-IN (pre-trained)": [acc], "LogReg high gamma": [lr_acc]},
                chance=1 / 6,
            ),
            out / "speech_accuracy.png",
        ),
    ]
    text = (
        f"Six words planted in {int(sim.target.sum())} vSMC/STG contacts of a "
        f"synthetic sEEG background; Du-IN (codebook perplexity "
        f"{tok.perplexity_:.1f} of 32, masked-code accuracy "
        f"{100 * mcm.masked_accuracy_:.0f}%) decodes the held-out session at "
        f"{100 * acc:.0f}% (logistic regression on high-gamma power "
        f"{100 * lr_acc:.0f}%, chance 17%)."
    )
    table = [
        {"model": name, "held-out accuracy (%)": f"{100 * a:.1f}"}
        for name, a in (
            ("Du-IN (pre-trained)", acc),
            ("LogReg high gamma", lr_acc),
            ("chance", 1 / 6),
        )
    ]
    return {"text": text, "figures": figures, "table": table}
