"""Cell-type plots, the demo stage and the ``celltypes`` command."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
import torch

from neurokit_ai.celltypes import MDSClustering
from neurokit_ai.cli._celltypes import add_celltypes_parser
from neurokit_ai.core import DTypeError, NotFittedError, ValidationError
from neurokit_ai.datasets._retina import simulate_retina
from neurokit_ai.viz._celltypes import (
    plot_cluster_responses,
    plot_discriminative_stimuli,
    space_time_components,
)
from neurokit_ai.viz._demo_celltypes import celltypes_stage


def _parse(argv):
    parser = argparse.ArgumentParser()
    add_celltypes_parser(parser.add_subparsers())
    return parser.parse_args(["celltypes", *argv])


def test_space_time_split_recovers_a_separable_clip():
    spatial = np.outer([1.0, -2.0, 1.0], [0.5, 1.0])
    temporal = np.array([0.2, -0.4, 1.0])
    clip = temporal[:, None, None] * spatial[None]
    s, t = space_time_components(clip)
    assert np.allclose(np.einsum("t,yx->tyx", t, s), clip)
    assert t[np.argmax(np.abs(t))] > 0


def test_plots_show_every_cluster():
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(18, 4))
    ref = np.random.default_rng(0).normal(size=(50, 2, 3, 3))
    mds = MDSClustering(n_clusters=3, n_steps=5, max_iter=2).fit(net, ref)
    fig = plot_discriminative_stimuli(mds, names=["a", "b", "c"])
    assert [ax.get_title() for ax in fig.axes[:3]] == ["a", "b", "c"]
    assert len(fig.axes) == 3 * 2 + 1  # maps, time courses, colour bar
    heat = plot_cluster_responses(mds)
    assert heat.axes[0].images[0].get_array().shape == (3, 3)
    with pytest.raises(DTypeError, match="MDSClustering"):
        plot_cluster_responses(object())
    with pytest.raises(NotFittedError):
        plot_discriminative_stimuli(MDSClustering())


@pytest.mark.parametrize(
    "extra",
    [[], ["--centre-readouts", "--merge-threshold", "0.5", "--min-cluster-size", "2"]],
)
def test_cli_writes_labels_stimuli_and_figures(tmp_path, capsys, extra):
    sim = simulate_retina(n_neurons=12, n_types=2, n_stimuli=300, noise_level=0.3)
    np.save(tmp_path / "x.npy", sim.stimuli)
    np.save(tmp_path / "y.npy", sim.responses.data)
    out = tmp_path / "out"
    args = _parse(
        [
            str(tmp_path / "x.npy"),
            str(tmp_path / "y.npy"),
            "--n-clusters",
            "2",
            "--max-epochs",
            "30",
            "--out",
            str(out),
            *extra,
        ]
    )
    assert args.centre_readouts == bool(extra)
    assert args.merge_threshold == (0.5 if extra else None)
    assert args.min_cluster_size == ("2" if extra else "0.02")
    assert args.handler(args) == 0
    labels = np.loadtxt(out / "labels.csv", delimiter=",", skiprows=1, dtype=int)
    assert labels.shape == (12, 2)
    # ON and OFF sustained cells of opposite polarity end up apart
    assert len(set(labels[sim.cell_types == 0, 1])) == 1
    assert set(labels[sim.cell_types == 0, 1]) != set(labels[sim.cell_types == 1, 1])
    assert np.load(out / "mds_stimuli.npy").shape == (2, 4, 8, 8)
    assert (out / "mds_stimuli.png").is_file() and (out / "mds_responses.png").is_file()
    assert "wrote" in capsys.readouterr().out


def test_cli_bad_input_writes_nothing(tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((10, 2, 6, 6)))
    np.save(tmp_path / "y.npy", np.ones((9, 3)))
    out = tmp_path / "out"
    args = _parse([str(tmp_path / "x.npy"), str(tmp_path / "y.npy"), "--out", str(out)])
    with pytest.raises(ValidationError, match="y has 9 rows but there are 10"):
        args.handler(args)
    assert not out.exists()
    args = _parse(
        [
            str(tmp_path / "x.npy"),
            str(tmp_path / "y.npy"),
            "--n-clusters",
            "many",
            "--out",
            str(out),
        ]
    )
    with pytest.raises(ValidationError, match="--n-clusters"):
        args.handler(args)
    args = _parse(
        [
            str(tmp_path / "x.npy"),
            str(tmp_path / "y.npy"),
            "--min-cluster-size",
            "few",
            "--out",
            str(out),
        ]
    )
    with pytest.raises(ValidationError, match="--min-cluster-size"):
        args.handler(args)
    args = _parse(
        [str(tmp_path / "no.npy"), str(tmp_path / "y.npy"), "--out", str(out)]
    )
    with pytest.raises(ValidationError, match="does not exist"):
        args.handler(args)


def test_demo_stage(tmp_path):
    section = celltypes_stage(tmp_path)
    assert all(p.is_file() for p in section["figures"])
    table = {k: float(v) for k, v in section["table"].items()}
    # receptive fields spread over the field: raw responses follow position
    assert table["MDS clusters ARI"] > 0.7
    assert table["MDS clusters ARI"] > table["k-means (responses) ARI"] + 0.3
    assert table["MDS clusters ARI"] > table["k-means (readout weights) ARI"] + 0.1
    assert table["held-out typing accuracy"] > 0.8
