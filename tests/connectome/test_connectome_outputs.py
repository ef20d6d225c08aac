"""Plots, demo stage and CLI of the connectome module."""

from __future__ import annotations

import argparse
import json

import pytest
from matplotlib.figure import Figure

from neurokit_ai.cli._connectome import add_connectome_parser
from neurokit_ai.connectome import (
    affinity_tensor,
    dynamic_connectome,
    prepare_traces,
    sliding_windows,
)
from neurokit_ai.core import DTypeError
from neurokit_ai.datasets._connectome import simulate_switching_communities
from neurokit_ai.viz._connectome import (
    plot_community_graphs,
    plot_factor_loadings,
    plot_motif_time_courses,
)


@pytest.fixture(scope="module")
def small():
    rec = simulate_switching_communities(n_neurons=12, epoch_duration=40.0)
    dff = prepare_traces(rec, neuropil=rec.metadata["neuropil"])
    tensor = affinity_tensor(dff, sliding_windows(dff.duration, 10.0))
    return rec, dynamic_connectome(tensor, 3, random_state=0)


def test_plots_draw_one_panel_per_motif(small):
    rec, dc = small
    loadings = plot_factor_loadings(dc)
    assert isinstance(loadings, Figure) and len(loadings.axes) == 3 * dc.rank
    graphs = plot_community_graphs(dc)
    assert len(graphs.axes) == dc.rank
    assert len(graphs.axes[0].collections[0].get_offsets()) == 12
    courses = plot_motif_time_courses(dc, rec.annotations)
    assert len(courses.axes[0].get_lines()) == dc.rank
    assert len(courses.axes[0].patches) == 3  # one span per epoch
    with pytest.raises(DTypeError, match="DynamicConnectome"):
        plot_factor_loadings(None)
    with pytest.raises(DTypeError, match="Annotations"):
        plot_motif_time_courses(dc, [1, 2])


def test_demo_stage_reports_recovered_motifs(tmp_path):
    from neurokit_ai.viz._demo_connectome import connectome_stage

    section = connectome_stage(tmp_path)
    assert all(p.is_file() for p in section["figures"])
    assert len(section["table"]) == 3
    assert all(v.endswith("ARI 1.00") for v in section["table"].values())


def _fake_suite2p(folder, rec):
    import numpy as np

    folder.mkdir()
    data = rec.get_data().astype(np.float32)
    np.save(folder / "F.npy", data)
    np.save(folder / "Fneu.npy", rec.metadata["neuropil"].astype(np.float32))
    np.save(folder / "spks.npy", rec.metadata["spikes"].astype(np.float32))
    np.save(folder / "iscell.npy", np.ones((rec.n_channels, 2)))
    stat = np.array(
        [
            {"med": [i, i], "npix": 10, "ypix": [i], "xpix": [i], "lam": [1.0]}
            for i in range(rec.n_channels)
        ],
        dtype=object,
    )
    np.save(folder / "stat.npy", stat, allow_pickle=True)


def test_cli_writes_json_and_figures(tmp_path, capsys, small):
    rec, _ = small
    _fake_suite2p(tmp_path / "plane0", rec)
    parser = argparse.ArgumentParser()
    add_connectome_parser(parser.add_subparsers())
    out = tmp_path / "out"
    args = parser.parse_args(
        [
            "connectome",
            str(tmp_path / "plane0"),
            "--fs",
            "10",
            "--window",
            "10",
            "--rank",
            "3",
            "--out",
            str(out),
        ]
    )
    assert args.handler(args) == 0
    result = json.loads((out / "connectome.json").read_text())
    assert result["rank"] == 3 and len(result["motifs"]) == 3
    assert result["switch_times_s"] == [40.0, 80.0]
    assert (out / "connectome_communities.png").is_file()
    assert "rank 3" in capsys.readouterr().out
    bad = parser.parse_args(["connectome", str(tmp_path / "plane0"), "--rank", "x"])
    from neurokit_ai.core import ValidationError

    with pytest.raises(ValidationError, match="--rank"):
        bad.handler(bad)
