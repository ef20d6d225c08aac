"""RSA plots, the rsa CLI command and the demo stage."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist, squareform

from neurokit_ai.cli import main
from neurokit_ai.core import NeurokitError
from neurokit_ai.rsa import FixedModel, RDMs, evaluate_models
from neurokit_ai.viz._demo_rsa import rsa_stage
from neurokit_ai.viz._rsa import (
    mds_embedding,
    plot_mds,
    plot_model_comparison,
    plot_rdm,
)


def test_mds_recovers_planar_configuration():
    pts = np.random.default_rng(0).normal(size=(7, 2))
    emb = mds_embedding(squareform(pdist(pts)))
    np.testing.assert_allclose(pdist(emb), pdist(pts), atol=1e-10)


def test_plots_carry_labels_and_ceiling():
    rng = np.random.default_rng(1)
    truth = rng.random(15)
    data = RDMs(truth + 0.1 * rng.normal(size=(5, 15)), list("abcdef"))
    fig = plot_rdm(data)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == list("abcdef")
    texts = [t.get_text() for t in plot_mds(data).axes[0].texts]
    assert texts == list("abcdef")
    models = [
        FixedModel("truth", RDMs(truth, list("abcdef"))),
        FixedModel("noise", RDMs(rng.random(15), list("abcdef"))),
    ]
    res = evaluate_models(models, data, n_bootstrap=100, random_state=0)
    ax = plot_model_comparison(res).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["truth", "noise"]
    assert ax.get_legend().get_texts()[0].get_text() == "noise ceiling"
    assert len(ax.lines) >= 2  # zero line + significance bracket
    with pytest.raises(NeurokitError, match="RDMs"):
        plot_rdm(np.ones(3))
    with pytest.raises(NeurokitError, match="out of range"):
        plot_mds(data, index=9)


def test_cli_rsa(tmp_path, capsys):
    rng = np.random.default_rng(2)
    patterns = rng.normal(size=(6, 20))
    np.save(tmp_path / "p.npy", patterns)
    np.save(tmp_path / "model.npy", pdist(patterns, "correlation"))
    argv = [
        "rsa",
        str(tmp_path / "p.npy"),
        "--models",
        str(tmp_path / "model.npy"),
        "--n-bootstrap",
        "20",
        "--out",
        str(tmp_path / "out"),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "model" in out and "1.000" in out
    np.testing.assert_allclose(
        np.load(tmp_path / "out" / "rdm.npy"),
        squareform(pdist(patterns, "correlation")),
    )
    assert main(["rsa", str(tmp_path / "missing.npy")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_demo_stage(tmp_path):
    section = rsa_stage(tmp_path)
    assert "Best layer" in section["text"]
    assert all(p.exists() for p in section["figures"])
