"""A toy transformer trained once per test session on the synthetic IOI task."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def toy_ioi():
    """(model, held-out task) from ``train_toy_ioi`` with its defaults (~3 s)."""
    pytest.importorskip("torch")
    from neurokit_ai.ann import train_toy_ioi

    return train_toy_ioi()


@pytest.fixture(scope="session")
def toy_cnn():
    """(model, held-out images) from ``train_toy_cnn`` with its defaults (~4 s)."""
    pytest.importorskip("torch")
    from neurokit_ai.ann import train_toy_cnn

    return train_toy_cnn()
