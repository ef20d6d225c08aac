"""Fixtures of the pipeline tests (helpers live in pipeline_testing.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pipeline_testing import (  # noqa: E402
    N_SUBJECTS,
    LoopbackCluster,
    chromium_binary,
    open_in_chromium,
    write_study,
)


@pytest.fixture(scope="session")
def eeg_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 simulated subjects, task 'faces', in a BIDS layout."""
    return write_study(tmp_path_factory.mktemp("study"), N_SUBJECTS)


@pytest.fixture
def loopback_cluster(tmp_path: Path) -> Iterator:
    """Start ``LoopbackCluster(tmp_path, n)``; every process is stopped after."""
    started: list[LoopbackCluster] = []

    def start(n_workers: int) -> LoopbackCluster:
        started.append(LoopbackCluster(tmp_path, n_workers))
        return started[-1]

    yield start
    for cluster in started:
        cluster.close()


@pytest.fixture
def chromium():
    """``open_in_chromium``; skips (with the reason) where Chromium is absent."""
    if chromium_binary() is None:
        pytest.skip(
            "Chromium is not installed (CI installs it with .ci/chromium: "
            "apt-get install chromium)"
        )
    return open_in_chromium
