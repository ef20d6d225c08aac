"""Rebuild the sample recordings and write their checksums into the dataset cards.

Each card ``datasets/<name>.md`` starts with a front-matter block of
``key: value`` lines between ``---`` fences. This script builds every sample
with :func:`neurokit_ai.datasets.load_sample` and rewrites the ``shape``,
``sha256`` (exact float64 bytes) and ``sha256_rounded6`` (rounded to about 7
significant digits, see :func:`neurokit_ai.datasets.data_checksum`) lines of
the matching card. Files are replaced atomically.

Usage::

    python datasets/build_cards.py          # update the cards
    python datasets/build_cards.py --check  # exit 1 if a card is out of date
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

CARDS = Path(__file__).resolve().parent
ROUNDING = 6


def card_values(name: str) -> dict[str, str]:
    """The front-matter values a card for sample ``name`` must hold."""
    from neurokit_ai.datasets import data_checksum, load_sample

    rec = load_sample(name)
    return {
        "shape": f"{rec.n_channels} x {rec.n_times}",
        "sha256": data_checksum(rec),
        f"sha256_rounded{ROUNDING}": data_checksum(rec, decimals=ROUNDING),
    }


def update_card(text: str, values: dict[str, str]) -> str:
    """Return ``text`` with each ``key: value`` front-matter line set to ``values``."""
    for key, value in values.items():
        pattern = re.compile(rf"^{re.escape(key)}:.*$", flags=re.MULTILINE)
        if not pattern.search(text):
            raise SystemExit(f"card has no '{key}:' line; add it to the front matter")
        text = pattern.sub(f"{key}: {value}", text, count=1)
    return text


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare")
    args = parser.parse_args(argv)
    if str(CARDS.parent) not in sys.path:
        sys.path.insert(0, str(CARDS.parent))  # the checkout's package, uninstalled
    from neurokit_ai.datasets import list_samples

    stale = []
    for name in list_samples():
        path = CARDS / f"{name}.md"
        text = path.read_text(encoding="utf-8")
        new = update_card(text, card_values(name))
        if new != text:
            stale.append(name)
            if not args.check:
                write_atomic(path, new)
    if stale:
        verb = "out of date" if args.check else "updated"
        print(f"{verb}: {', '.join(stale)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
