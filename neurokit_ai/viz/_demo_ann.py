"""The network-interpretability stages of the demo: patching a toy IOI circuit
(activation, attribution and relevance patching), and concepts and subset
attribution in a toy CNN (CRAFT, LiMA-style insertion/deletion)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..core import check_path

__all__ = ["ann_stage", "ann_concepts_stage"]


def ann_stage(out_dir: str | os.PathLike) -> dict[str, Any]:
    """Train a tiny transformer on synthetic IOI and patch its circuit (demo section).

    Activation patching (one run per component and position), attribution
    patching (two forward, one backward pass) and RelP (the same, with LRP
    coefficients) rank the heads and MLPs; the section shows the heat maps and
    how well each estimate agrees with activation patching.

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
        relevance_patching,
        train_toy_ioi,
    )
    from ._ann import plot_patching, plot_patching_agreement
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
    relp = relevance_patching(
        hooked,
        task.clean,
        task.corrupt,
        metric,
        names,
        per_position=True,
        constant=r"hook_pattern$",
    )
    r = float(np.corrcoef(act.flatten()[1], atp.flatten()[1])[0, 1])
    r_relp = float(np.corrcoef(act.flatten()[1], relp.flatten()[1])[0, 1])
    figures = [
        save_figure(
            plot_patching(act, title="activation patching (IOI logit difference)"),
            out / "ann_activation_patching.png",
        ),
        save_figure(
            plot_patching(atp, title="attribution patching (2 forward, 1 backward)"),
            out / "ann_attribution_patching.png",
        ),
        save_figure(
            plot_patching_agreement(act, {"attribution patching": atp, "RelP": relp}),
            out / "ann_patching_agreement.png",
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
        f"and RelP (LRP coefficients, AH-rule on attention patterns) at "
        f"r = {r_relp:.3f} over {len(act.flatten()[0])} components."
    )
    table = {
        "clean logit difference": f"{act.clean_metric:.2f}",
        "corrupt logit difference": f"{act.corrupt_metric:.2f}",
        "top component": top[0][0],
        "attribution vs activation patching (r)": f"{r:.3f}",
        "RelP vs activation patching (r)": f"{r_relp:.3f}",
    }
    return {"text": text, "figures": [Path(f) for f in figures], "table": table}


def ann_concepts_stage(out_dir: str | os.PathLike) -> dict[str, Any]:
    """Concepts and subset attribution in a small CNN (demo section).

    A CNN is trained from scratch on synthetic images whose class is a planted
    shape (cross, ring, checkerboard) among distractor shapes. CRAFT factors
    its last ReLU layer on ring images into concepts, ranks them by Sobol
    importance and shows a concept gallery; the LiMA-style submodular search
    ranks image regions, scored by insertion/deletion against integrated
    gradients and a random ranking.

    Returns
    -------
    dict
        ``text``, ``figures`` (PNG paths) and ``table``.

    Examples
    --------
    >>> section = ann_concepts_stage("demo_out")  # doctest: +SKIP
    >>> sorted(section)  # doctest: +SKIP
    ['figures', 'table', 'text']
    """
    import torch

    from ..ann import (
        CLASS_SHAPES,
        CRAFT,
        HookedModel,
        grid_regions,
        insertion_deletion,
        integrated_gradients,
        make_toy_vision,
        region_ranking,
        submodular_attribution,
        train_toy_cnn,
    )
    from ._ann import plot_concept_gallery, plot_insertion_deletion
    from ._files import save_figure

    out = check_path(out_dir, "out_dir", kind="dir")
    model, held_out = train_toy_cnn()
    with torch.no_grad():
        accuracy = float(
            (model(held_out.images).argmax(1) == held_out.labels).float().mean()
        )
    cls = CLASS_SHAPES.index("ring")
    data = make_toy_vision(90, random_state=3)
    keep = (data.labels == cls).numpy()
    images = data.images[keep]
    _, cache = HookedModel(model).run_with_cache(images, names=["relu3"])
    acts = cache["relu3"]
    craft = CRAFT(4, random_state=0).fit(acts)

    def centred_logits(a: Any) -> Any:
        logits = model.head(model.gap(a).flatten(1))
        return logits - logits.mean(1, keepdim=True)

    importance = craft.estimate_importance(acts, centred_logits, cls)
    maps = craft.concept_attribution_maps(acts, images.shape[-1])
    top = int(np.argmax(importance))
    regions = grid_regions(images.shape[-2], images.shape[-1], 8)
    rng = np.random.default_rng(0)
    curves: dict[str, list[Any]] = {
        "LiMA": [],
        "integrated gradients": [],
        "random": [],
    }
    for image in images[:4]:
        ig = integrated_gradients(model, image[None], target=cls)[0].sum(0)
        orders = {
            "LiMA": submodular_attribution(model, image, cls, regions).order,
            "integrated gradients": region_ranking(ig, regions),
            "random": rng.permutation(int(regions.max()) + 1),
        }
        for name, order in orders.items():
            curves[name].append(
                insertion_deletion(model, image, cls, regions, order)[2:]
            )
    mean_curves = {
        name: tuple(np.mean([pair[i] for pair in pairs], 0) for i in range(2))
        for name, pairs in curves.items()
    }
    aucs = {
        name: [float(((c[1:] + c[:-1]) / 2).mean()) for c in pair]
        for name, pair in mean_curves.items()
    }
    figures = [
        save_figure(
            plot_concept_gallery(images, maps, importance, n_images=5),
            out / "ann_concept_gallery.png",
        ),
        save_figure(
            plot_insertion_deletion(mean_curves), out / "ann_insertion_deletion.png"
        ),
    ]
    text = (
        f"A 3-layer CNN trained from scratch on synthetic 32x32 images (class = a "
        f"planted shape among distractors) reaches {accuracy:.0%} held-out "
        f"accuracy. CRAFT factors its last ReLU layer on {len(images)} ring images "
        f"into 4 concepts; concept {top} has the largest Sobol importance "
        f"({importance[top]:.2f}) for the ring logit. Region rankings on 4 images "
        "(16 regions): insertion/deletion AUC "
        + ", ".join(f"{name} {v[0]:.3f}/{v[1]:.3f}" for name, v in aucs.items())
        + "."
    )
    table = {
        "held-out accuracy": f"{accuracy:.3f}",
        "top concept importance": f"{importance[top]:.3f}",
        **{
            f"{name} insertion / deletion": f"{v[0]:.3f} / {v[1]:.3f}"
            for name, v in aucs.items()
        },
    }
    return {"text": text, "figures": [Path(f) for f in figures], "table": table}
