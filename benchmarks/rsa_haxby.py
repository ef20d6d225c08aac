"""RSA on real fMRI: Haxby et al. (2001), subject 1, run 1 (PyMVPA's reduced copy).

GLM patterns of the 8 categories (one 22.5 s block each, TR 2.5 s), their
correlation-distance RDM, and a comparison with categorical model RDMs, with a
bootstrap over conditions (the only resampling possible for one subject and
one run). Run: ``python benchmarks/rsa_haxby.py [--root ../shared/datasets]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

CATEGORIES = [
    "bottle",
    "cat",
    "chair",
    "face",
    "house",
    "scissors",
    "scrambledpix",
    "shoe",
]


def category_models(conditions: list[str]) -> list[Any]:
    """Categorical model RDMs: 1 between groups, 0 within."""
    from neurokit_ai.rsa import FixedModel, RDMs

    groups = {
        "animate/inanimate": {"cat", "face"},
        "faces": {"face"},
        "houses": {"house"},
        "scrambled vs objects": {"scrambledpix"},
    }
    n = len(conditions)
    i, j = np.triu_indices(n, 1)
    models = []
    for name, members in groups.items():
        inside = np.array([c in members for c in conditions])
        vec = (inside[i] != inside[j]).astype(float)
        models.append(FixedModel(name, RDMs(vec, conditions, measure="category")))
    return models


def haxby_rsa(
    root: Path,
    image: str = "bold_25mm.nii.gz",
    *,
    method: str = "tau-a",
    n_bootstrap: int = 1000,
    random_state: int = 0,
) -> tuple[Any, Any, int]:
    """GLM -> correlation RDM -> model comparison: (rdm, comparison, n_voxels)."""
    import pandas as pd

    from neurokit_ai.preprocessing._glm import glm_responses
    from neurokit_ai.rsa import compute_rdm, evaluate_models

    base = Path(root) / "recordings" / "fmri" / "haxby2001_pymvpa" / "sub001"
    run = base / "task001_run001"
    mask = base / "masks_25mm" / "brain.nii.gz" if "25mm" in image else None
    events = pd.read_csv(run / "bold_events.tsv", sep="\t")
    patterns = glm_responses(run / image, events, t_r=2.5, mask=mask)
    rdm = compute_rdm(patterns, "correlation")
    models = category_models(rdm.conditions)
    result = evaluate_models(
        models,
        rdm,
        method,
        bootstrap="conditions",
        n_bootstrap=n_bootstrap,
        random_state=random_state,
    )
    return rdm, result, patterns.n_units


def main(argv: list[str] | None = None) -> int:
    """Print the RDM and the model comparison for both image versions."""
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--root", type=Path, default=default)
    parser.add_argument("--n-bootstrap", type=int, default=1000)
    args = parser.parse_args(argv)
    for image in ("bold_1slice.nii.gz", "bold_25mm.nii.gz"):
        for method in ("tau-a", "corr"):
            rdm, res, n_vox = haxby_rsa(
                args.root, image, method=method, n_bootstrap=args.n_bootstrap
            )
            print(f"\n=== {image} ({n_vox} voxels), compare={method} ===")
            if method == "tau-a":
                mat = rdm.matrices()[0]
                print("correlation-distance RDM:")
                print(" " * 13 + " ".join(f"{c[:6]:>6}" for c in rdm.conditions))
                for c, row in zip(rdm.conditions, mat):
                    print(f"{c:>12} " + " ".join(f"{v:6.2f}" for v in row))
            print(res.summary())
            lo, hi = res.ci()[res.model_names.index(res.best)]
            print(
                f"winner: {res.best} ({res.scores.max():.3f}, 95% bootstrap interval "
                f"[{lo:.3f}, {hi:.3f}])"
            )
            p = res.pairwise_tests(test="bootstrap")
            print("pairwise bootstrap p (FDR):")
            for a in range(len(res.model_names)):
                print(
                    f"  {res.model_names[a]:<22}"
                    + " ".join(f"{p[a, b]:6.3f}" for b in range(len(res.model_names)))
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
