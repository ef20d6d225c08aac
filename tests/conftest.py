"""Shared fixtures: the real recordings, a quiet matplotlib, one torch thread."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
import torch

matplotlib.use("Agg")

# ``pytest -n 2`` runs one worker per core; torch's default of one thread per core
# in every worker oversubscribes the machine (small models trained ~10x slower on
# 2 cores), so each worker computes on one thread.
torch.set_num_threads(1)

REPO = Path(__file__).resolve().parents[1]


def _shared_root() -> Path:
    env = os.environ.get("NEUROKIT_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Root of ../shared/datasets (or $NEUROKIT_SHARED_DATA).

    Skips when absent, unless NEUROKIT_REQUIRE_SHARED_DATA=1 (as in CI), where
    it fails.
    """
    root = _shared_root()
    if not (root / "recordings").is_dir():
        msg = (
            f"shared datasets not found at {root}; set NEUROKIT_SHARED_DATA to the "
            "folder holding recordings/"
        )
        if os.environ.get("NEUROKIT_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return root


@pytest.fixture(scope="session")
def recordings(shared_data: Path) -> Path:
    """The folder ../shared/datasets/recordings."""
    return shared_data / "recordings"
