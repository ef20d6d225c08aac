"""Shared fixtures: where the real recordings live, and a quiet matplotlib."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

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
