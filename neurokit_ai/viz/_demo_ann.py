"""The network-interpretability stage of the demo: patching a toy IOI circuit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..core import check_path

__all__ = ["ann_stage"]


def ann_stage(out_dir: str | os.PathLike) -> dict[str, Any]:
    """Train a tiny transformer on synthetic IOI and patch its circuit (demo section).

    Activation patching (one run per component and position) and attribution
    patching (two forward, one backward pass) rank the heads and MLPs; the
    section shows both heat maps and reports their agreement.

    Returns
    -------
    dict
        ``text``, ``figures`` (PNG paths) and ``table``.

    Examples
    --------
    >>> section = ann_stage("demo_out")  # doctest: +SKIP
    >>> sorted(section)  # doctest: +SKIP
    ['figures', 'table', 'text']
    """
    from ..ann import (
        HookedModel,
        activation_patching,
        attribution_patching,
        logit_difference,
        train_toy_ioi,
    )
    from ._ann import plot_patching
    from ._files import save_figure

    out = check_path(out_dir, "out_dir", kind="dir")
    model, task = train_toy_ioi()
    hooked = HookedModel(model, heads=model.head_points())
    names = [
        f"blocks.{i}.{part}"
        for i in range(len(model.blocks))
        for part in ("attn.out:input", "mlp")
    ]

    def metric(logits: Any) -> Any:
        return logit_difference(logits, task)

    act = activation_patching(
        hooked, task.clean, task.corrupt, metric, names, per_position=True
    )
    atp = attribution_patching(
        hooked, task.clean, task.corrupt, metric, names, per_position=True
    )
    r = float(np.corrcoef(act.flatten()[1], atp.flatten()[1])[0, 1])
    figures = [
        save_figure(
            plot_patching(act, title="activation patching (IOI logit difference)"),
            out / "ann_activation_patching.png",
        ),
        save_figure(
            plot_patching(atp, title="attribution patching (2 forward, 1 backward)"),
            out / "ann_attribution_patching.png",
        ),
    ]
    top = act.ranking(3)
    text = (
        f"A {len(model.blocks)}-layer, {model.n_heads}-head transformer trained "
        "from scratch on a synthetic indirect-object task ([A, B, x, x, S, x, END] "
        "-> the name that is not S) reaches a logit difference of "
        f"{act.clean_metric:.1f} (corrupted S: {act.corrupt_metric:.2f}). "
        "Activation patching ranks "
        + ", ".join(f"{label} ({value:+.1f})" for label, value in top)
        + f" first; attribution patching agrees with it at Pearson r = {r:.3f} "
        f"over {len(act.flatten()[0])} components."
    )
    table = {
        "clean logit difference": f"{act.clean_metric:.2f}",
        "corrupt logit difference": f"{act.corrupt_metric:.2f}",
        "top component": top[0][0],
        "attribution vs activation patching (r)": f"{r:.3f}",
    }
    return {"text": text, "figures": [Path(f) for f in figures], "table": table}
