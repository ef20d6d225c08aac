"""The RSA stage of the demo report: a small network's layers against a brain RDM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["rsa_stage"]


def rsa_stage(out_dir: Path) -> dict[str, Any]:
    """Demo section: a small MLP's layers against a "brain" RDM, with tRSA.

    Returns ``{"text", "figures"}`` for the HTML report.
    """
    import torch

    from ..ann import ActivationRecorder
    from ..core import Responses
    from ..rsa import FixedModel, RDMs, compute_rdm, evaluate_models, select_model
    from ._files import save_figure
    from ._rsa import plot_mds, plot_model_comparison, plot_rdm

    out_dir = Path(out_dir)
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(8, 32),
        torch.nn.ReLU(),
        torch.nn.Linear(32, 32),
        torch.nn.ReLU(),
        torch.nn.Linear(32, 4),
    )
    proto = rng.normal(size=(4, 8))
    stimuli = np.repeat(proto, 4, axis=0) + 0.4 * rng.normal(size=(16, 8))
    names = [f"class{i // 4}-{i % 4}" for i in range(16)]
    acts = ActivationRecorder(net, ["1", "3", "4"], name="mlp").record(
        stimuli.astype(np.float32), conditions=names
    )
    layer_rdms = {la: compute_rdm(r, "correlation") for la, r in acts.items()}
    brain = Responses(
        stimuli @ rng.normal(size=(8, 50)) + rng.normal(size=(16, 50)),
        conditions=names,
        source="brain:simulated",
    )
    subjects = [
        compute_rdm(
            Responses(brain.data + rng.normal(size=brain.data.shape), names),
            "correlation",
        ).vectors[0]
        for _ in range(5)
    ]
    data = RDMs(np.stack(subjects), names, measure="correlation")
    models = [FixedModel(f"layer {la}", r) for la, r in layer_rdms.items()]
    result = evaluate_models(models, data, "corr", n_bootstrap=200, random_state=0)
    candidates = RDMs(
        np.concatenate([r.vectors for r in layer_rdms.values()]),
        names,
        names=[f"layer {la}" for la in layer_rdms],
    )
    gt_best, _ = select_model(data, candidates, statistic="gt")
    figures = [
        save_figure(plot_rdm(data), out_dir / "rsa_rdm.png"),
        save_figure(plot_mds(data), out_dir / "rsa_mds.png"),
        save_figure(plot_model_comparison(result), out_dir / "rsa_models.png"),
    ]
    text = (
        "RSA of a simulated 5-subject 'brain' (16 stimuli in 4 classes) against "
        "three layers of a small MLP recorded with forward hooks. Best layer: "
        f"{result.best} (corr {result.scores.max():.2f}; noise ceiling "
        f"{result.noise_ceiling[0]:.2f}-{result.noise_ceiling[1]:.2f}); after the "
        f"geo-topological transform (0.2-0.8 quantiles): {gt_best}."
    )
    return {"text": text, "figures": figures}
