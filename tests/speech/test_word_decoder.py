"""Du-IN tokenizer, masked modelling and word decoder on planted tasks."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from sklearn.base import clone  # noqa: E402

from neurokit_ai.core import NotFittedError, ValidationError  # noqa: E402
from neurokit_ai.datasets import simulate_word_reading  # noqa: E402
from neurokit_ai.speech import (  # noqa: E402
    EEGNetClassifier,
    HighGammaLogistic,
    MaskedCodeModel,
    NeuralTokenizer,
    WordDecoder,
    high_gamma_envelope,
    rank_channels,
    top_k_accuracy,
)

TINY = dict(
    patch_len=10,
    d_neural=16,
    conv_channels=16,
    d_model=32,
    n_layers=1,
    n_heads=2,
    verbose=False,
)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny models train fastest on one thread (two oversubscribe a busy CPU)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def four_words():
    """A planted 4-word task on synthetic sEEG background, as envelopes."""
    sim = simulate_word_reading(
        n_words=4,
        n_sessions=2,
        trials_per_word=20,
        difficulty="easy",
        n_controls=2,
        tmin=0.0,
        tmax=0.6,
        random_state=1,
    )
    env = high_gamma_envelope(sim.X, sim.sfreq)
    return sim, env


def test_planted_four_word_task_above_90_percent(four_words):
    sim, env = four_words
    train, test = sim.session == 0, sim.session == 1
    clf = WordDecoder(lr=3e-3, hidden=32, max_epochs=40, patience=None, **TINY)
    clf.fit(env[train], sim.y[train])
    assert clf.score(env[test], sim.y[test]) > 0.9
    proba = clf.predict_proba(env[test])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert top_k_accuracy(sim.y[test], proba, clf.classes_, k=4) == 1.0
    # shuffled labels are not learned (the test can fail)
    rng = np.random.default_rng(0)
    shuffled = WordDecoder(lr=3e-3, hidden=32, max_epochs=30, patience=None, **TINY)
    shuffled.fit(env[train], rng.permutation(sim.y[train]))
    assert shuffled.score(env[test], sim.y[test]) < 0.6


def test_pretraining_chain_loads_encoder_weights(four_words):
    sim, env = four_words
    tok = NeuralTokenizer(n_codes=16, code_dim=8, max_epochs=3, **TINY).fit(env)
    codes = tok.transform(env)
    assert codes.shape == (env.shape[0], env.shape[2] // 10)
    assert codes.min() >= 0 and codes.max() < 16
    assert 1.0 <= tok.perplexity_ <= 16.0
    assert tok.code_usage(env).sum() == codes.size
    assert tok.reconstruct(env[:2]).shape == env[:2].shape
    assert tok.windows_per_second_ > 0
    mcm = MaskedCodeModel(tok, max_epochs=2, verbose=False).fit(env)
    assert mcm.tokenizer_ is tok
    assert 0.0 <= mcm.masked_accuracy_ <= 1.0
    clf = WordDecoder(mcm, max_epochs=1, patience=None, verbose=False)
    # before fine-tuning the encoder holds the pre-trained weights exactly
    clf.set_params(max_epochs=1, lr=1e-12)
    clf.fit(env, sim.y)
    # (weights only: batch-norm running statistics move with every batch)
    before = dict(mcm.net_.encoder.named_parameters())
    after = dict(clf.net_.encoder.named_parameters())
    assert before.keys() == after.keys()
    for key in before:
        assert torch.allclose(before[key], after[key], atol=1e-6), key
    assert clf.d_model == 64  # own parameter untouched; architecture from tok
    assert clf.net_.encoder.d_model == 32


def test_pretraining_survives_clone_and_cross_validation(four_words):
    from sklearn.model_selection import cross_val_score

    sim, env = four_words
    tok = NeuralTokenizer(n_codes=8, code_dim=4, max_epochs=1, **TINY).fit(env)
    mcm = MaskedCodeModel(tok, max_epochs=1, verbose=False).fit(env)
    assert clone(mcm).tokenizer is tok  # a fitted tokenizer stays the frozen one
    clf = WordDecoder(mcm, max_epochs=1, lr=1e-12, patience=None, verbose=False)
    copy = clone(clf)
    assert copy.pretrained is mcm and copy is not clf
    assert copy.get_params()["max_epochs"] == 1
    copy.fit(env, sim.y)  # an unfitted clone of mcm would raise NotFittedError
    pre = dict(mcm.net_.encoder.named_parameters())
    for key, val in copy.net_.encoder.named_parameters():
        assert torch.allclose(pre[key], val, atol=1e-6), key
    scores = cross_val_score(clf, env, sim.y, cv=2)
    assert scores.shape == (2,) and np.isfinite(scores).all()
    assert not hasattr(clf, "net_")  # cross-validation fitted clones only


def test_unfitted_tokenizer_is_fitted_by_masked_model(four_words):
    _, env = four_words
    tok = NeuralTokenizer(n_codes=8, max_epochs=1, **TINY)
    mcm = MaskedCodeModel(tok, max_epochs=1, verbose=False).fit(env[:20])
    assert not hasattr(tok, "model_") and hasattr(mcm.tokenizer_, "model_")


def test_baselines_learn_the_planted_task(four_words):
    sim, env = four_words
    train, test = sim.session == 0, sim.session == 1
    lr = HighGammaLogistic(sfreq=sim.sfreq).fit(sim.X[train], sim.y[train])
    assert lr.score(sim.X[test], sim.y[test]) > 0.8
    net = EEGNetClassifier(kernel=8, pool=2, verbose=False, max_epochs=40)
    net.fit(env[train], sim.y[train])
    assert net.score(env[test], sim.y[test]) > 0.5
    ranks = rank_channels(sim.X[train], sim.y[train], sim.sfreq)
    # the best channel is a planted one, the controls come last
    assert sim.target[ranks[0]]
    assert not sim.target[ranks[-1]]


def test_clone_and_params():
    clf = WordDecoder(**TINY)
    assert clone(clf).get_params()["d_model"] == 32
    with pytest.raises(NotFittedError):
        clf.predict(np.zeros((2, 2, 20)))


def test_bad_inputs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 2, 40)).astype(np.float32)
    y = np.repeat([0, 1], 4)
    with pytest.raises(ValidationError, match="unequal shape"):
        WordDecoder(**TINY).fit([np.zeros((2, 40)), np.zeros((2, 30))], [0, 1])
    with pytest.raises(ValidationError, match="single class"):
        WordDecoder(**TINY).fit(X, np.zeros(8))
    with pytest.raises(ValidationError, match="single class"):
        HighGammaLogistic().fit(X, np.zeros(8))
    with pytest.raises(ValidationError, match="one label per trial"):
        WordDecoder(**TINY).fit(X, y[:5])
    with pytest.raises(ValidationError, match="multiple of patch_len"):
        WordDecoder(**{**TINY, "patch_len": 7}).fit(X, y)
    with pytest.raises(ValidationError, match="too low"):
        high_gamma_envelope(X, sfreq=250.0)
    with pytest.raises(ValidationError, match="too low"):
        HighGammaLogistic(sfreq=200.0).fit(X, y)
    with pytest.raises(ValidationError, match="3 dimension"):
        NeuralTokenizer(**TINY).fit(X[0])
    with pytest.raises(ValidationError, match="pretrained"):
        WordDecoder(pretrained="yes", **TINY).fit(X, y)
    clf = WordDecoder(max_epochs=1, **TINY).fit(X, y)
    with pytest.raises(ValidationError, match="fitted on"):
        clf.predict(X[:, :1])


def test_top_k_accuracy_by_hand_and_bad_inputs():
    proba = [[0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.7, 0.1, 0.2]]
    # by hand: top-1 rows are 1, 1, 0; top-2 rows are {1, 2}, {1, 2}, {0, 2}
    assert top_k_accuracy([1, 2, 2], proba, [0, 1, 2], k=1) == pytest.approx(1 / 3)
    assert top_k_accuracy([1, 2, 2], proba, [0, 1, 2], k=2) == 1.0
    with pytest.raises(ValidationError, match="not in classes"):
        top_k_accuracy([1, 7, 2], proba, [0, 1, 2], k=1)
    with pytest.raises(ValidationError, match="y_true"):
        top_k_accuracy([], np.zeros((0, 3)), [0, 1, 2])
    with pytest.raises(ValidationError, match="NaN"):
        top_k_accuracy([1, 2, 2], np.full((3, 3), np.nan), [0, 1, 2])


def test_high_gamma_logistic_refuses_trials_of_another_shape():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 2, 500)), np.repeat([0, 1], 4)
    lr = HighGammaLogistic(sfreq=1000.0, n_bins=2).fit(X, y)
    assert (lr.n_channels_, lr.n_times_) == (2, 500)
    # shorter trials were binned into bins of another duration, silently
    with pytest.raises(ValidationError, match="fitted on"):
        lr.predict(X[:, :, :400])
    with pytest.raises(ValidationError, match="fitted on"):
        lr.predict_proba(np.concatenate([X, X[:, :1]], axis=1))
