"""The top-level package exposes every subpackage lazily."""

from __future__ import annotations

import importlib
from pathlib import Path

import neurokit_ai


def test_every_subpackage_is_reachable_from_the_top_level():
    root = Path(neurokit_ai.__file__).parent
    packages = sorted(
        p.name
        for p in root.iterdir()
        if (p / "__init__.py").is_file() and not p.name.startswith("_")
    )
    missing = [name for name in packages if name not in neurokit_ai.__all__]
    assert missing == []
    for name in packages:
        assert getattr(neurokit_ai, name) is importlib.import_module(
            f"neurokit_ai.{name}"
        )
