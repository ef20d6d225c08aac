"""Saved models, plots, the demo stage and the ``speech`` command."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurokit_ai.cli import main  # noqa: E402
from neurokit_ai.core import FileFormatError, ValidationError  # noqa: E402
from neurokit_ai.speech import (  # noqa: E402
    MaskedCodeModel,
    NeuralTokenizer,
    WordDecoder,
    load_speech_model,
    save_speech_model,
)
from neurokit_ai.viz._speech import (  # noqa: E402
    plot_accuracy_vs_baselines,
    plot_codebook_usage,
    plot_confusion_matrix,
)

TINY = dict(patch_len=10, d_neural=4, conv_channels=4, d_model=8, n_layers=1, n_heads=2)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_save_load_round_trip_gives_identical_outputs(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 3, 30)).astype(np.float32)
    y = np.repeat(["ba", "da", "ga"], 8)
    tok = NeuralTokenizer(n_codes=8, max_epochs=2, verbose=False, **TINY).fit(X)
    mcm = MaskedCodeModel(tok, max_epochs=1, verbose=False).fit(X)
    dec = WordDecoder(mcm, max_epochs=2, verbose=False).fit(X, y)
    for model in (tok, mcm, dec):
        path = save_speech_model(tmp_path / "m.pt", model, {"raw": True})
        back, extra = load_speech_model(path)
        assert type(back) is type(model) and extra == {"raw": True}
    np.testing.assert_allclose(back.predict_proba(X), dec.predict_proba(X), atol=1e-6)
    assert back.classes_.tolist() == ["ba", "da", "ga"]
    tok2, _ = load_speech_model(save_speech_model(tmp_path / "t.pt", tok))
    np.testing.assert_array_equal(tok2.transform(X), tok.transform(X))
    with pytest.raises(ValidationError, match="fitted NeuralTokenizer"):
        save_speech_model(tmp_path / "x.pt", object())
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(FileFormatError):
        load_speech_model(tmp_path / "bad.pt")


def test_saved_decoder_keeps_channel_names_and_refuses_other_channels(tmp_path):
    from neurokit_ai.core import Recording

    rng = np.random.default_rng(1)
    X = rng.normal(size=(12, 3, 20)).astype(np.float32)
    y = np.repeat(["ba", "da"], 6)
    rec = Recording(np.zeros((3, 100)), 100.0, ["A1", "A2", "B1"], "seeg")
    dec = WordDecoder(max_epochs=1, verbose=False, **TINY).fit(X, y, ch_names=rec)
    assert dec.ch_names_ == ["A1", "A2", "B1"]
    back, _ = load_speech_model(save_speech_model(tmp_path / "d.pt", dec))
    assert back.ch_names_ == ["A1", "A2", "B1"]
    expected = dec.predict_proba(X)
    np.testing.assert_allclose(back.predict_proba(X, ch_names=rec), expected, atol=1e-6)
    np.testing.assert_array_equal(back.predict(X), dec.predict(X))  # names unknown
    other = Recording(np.zeros((3, 100)), 100.0, ["A1", "A2", "C7"], "seeg")
    with pytest.raises(ValidationError, match=r"lack \['B1'\] and add \['C7'\]"):
        back.predict(X, ch_names=other)
    with pytest.raises(ValidationError, match="another order.*rec.pick"):
        back.predict_proba(X, ch_names=["B1", "A2", "A1"])
    with pytest.raises(ValidationError, match="2 names for trials of 3 channels"):
        back.decision_function(X, ch_names=["A1", "A2"])
    with pytest.raises(ValidationError, match="unique"):
        WordDecoder(max_epochs=1, verbose=False, **TINY).fit(X, y, ["A", "A", "B"])
    unnamed = WordDecoder(max_epochs=1, verbose=False, **TINY).fit(X, y)
    loaded, _ = load_speech_model(save_speech_model(tmp_path / "u.pt", unnamed))
    assert loaded.ch_names_ is None
    assert loaded.predict(X, ch_names=other).shape == (12,)  # nothing to check against
    # a file written before channel names were kept still loads
    from neurokit_ai.core import load_checkpoint, save_checkpoint

    blob = load_checkpoint(tmp_path / "d.pt")
    del blob["ch_names"]
    old, _ = load_speech_model(save_checkpoint(tmp_path / "old.pt", blob))
    assert old.ch_names_ is None
    np.testing.assert_allclose(old.predict_proba(X), expected, atol=1e-6)


def test_plots():
    fig = plot_codebook_usage(np.array([4, 4, 0, 0]))
    assert "perplexity 2.00 of 4" in fig.axes[0].get_title()
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [0.5, 0.5, 0.0, 0.0]
    cm = plot_confusion_matrix(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    np.testing.assert_allclose(
        cm.axes[0].images[0].get_array(), [[0.5, 0.5], [0.0, 1.0]]
    )
    acc = plot_accuracy_vs_baselines({"x": [0.5, 0.7], "y": [0.2]}, chance=0.1)
    widths = [p.get_width() for p in acc.axes[0].patches]
    assert widths == pytest.approx([60.0, 20.0])
    with pytest.raises(ValidationError):
        plot_codebook_usage([0, 0])
    with pytest.raises(ValidationError):
        plot_confusion_matrix([1, 2], [1])
    with pytest.raises(ValidationError):
        plot_accuracy_vs_baselines({})


def test_cli_simulate_pretrain_finetune_evaluate(tmp_path, capsys):
    data = tmp_path / "words.npz"
    argv = ["speech", "simulate", "--words", "3", "--sessions", "1"]
    assert main([*argv, "--trials", "8", "--out", str(data)]) == 0
    assert "24 trials of 3 words" in capsys.readouterr().out
    common = ["--epochs", "2", "--d-model", "8", "--layers", "1"]
    pre = tmp_path / "pre.pt"
    assert main(["speech", "pretrain", str(data), "--out", str(pre), *common]) == 0
    assert "codebook perplexity" in capsys.readouterr().out
    dec = tmp_path / "dec.pt"
    argv = ["speech", "finetune", str(data), "--out", str(dec), "--pretrained"]
    assert main([*argv, str(pre), *common]) == 0
    assert "pre-trained" in capsys.readouterr().out
    # --raw contradicts an envelope-trained encoder (it was ignored silently)
    assert main([*argv, str(pre), *common, "--raw"]) == 2
    assert "--raw was given" in capsys.readouterr().err
    figs = tmp_path / "figs"  # a missing --out folder is created
    assert main(["speech", "evaluate", str(dec), str(data), "--out", str(figs)]) == 0
    out = capsys.readouterr().out
    assert "top-1" in out and "chance 33.3%" in out
    assert (figs / "confusion.png").read_bytes()[:4] == b"\x89PNG"
    assert f"wrote {figs / 'confusion.png'}" in out
    # a pre-trained model is not a decoder; bad data files are refused
    assert main(["speech", "evaluate", str(pre), str(data)]) == 2
    assert "not a word decoder" in capsys.readouterr().err
    np.savez(tmp_path / "nox.npz", y=np.zeros(3))
    assert main(["speech", "evaluate", str(dec), str(tmp_path / "nox.npz")]) == 2
    assert "lacks the arrays" in capsys.readouterr().err
    words = dict(np.load(data))
    np.savez(tmp_path / "rates.npz", X=words["X"], y=words["y"], sfreq=[1e3, 1e3])
    assert main(["speech", "evaluate", str(dec), str(tmp_path / "rates.npz")]) == 2
    assert "must be one number" in capsys.readouterr().err
    # the decoder keeps the contacts it was fine-tuned on and refuses others
    swapped = {**words, "ch_names": words["ch_names"][::-1]}
    np.savez(tmp_path / "swapped.npz", **swapped)
    assert main(["speech", "evaluate", str(dec), str(tmp_path / "swapped.npz")]) == 2
    assert "rec.pick" in capsys.readouterr().err
    np.savez(tmp_path / "few.npz", X=words["X"], y=words["y"][:5], sfreq=1e3)
    assert main(["speech", "evaluate", str(dec), str(tmp_path / "few.npz")]) == 2
    assert "one word label per trial" in capsys.readouterr().err


@pytest.mark.slow
def test_demo_stage(tmp_path):
    from neurokit_ai.viz._demo_speech import speech_stage

    section = speech_stage(tmp_path)
    assert len(section["figures"]) == 3
    assert all(p.is_file() for p in section["figures"])
    assert "Du-IN" in section["text"]
