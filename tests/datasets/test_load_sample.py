"""load_sample / list_samples / data_checksum, and the dataset cards' checksums."""

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, Recording, ValidationError
from neurokit_ai.datasets import (
    SAMPLES,
    data_checksum,
    list_samples,
    load_sample,
)

CARDS = Path(__file__).resolve().parents[2] / "datasets"


def read_front_matter(path):
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, flags=re.DOTALL)
    assert match, f"{path} has no front matter"
    return dict(line.split(": ", 1) for line in match.group(1).splitlines())


def test_list_samples():
    assert list_samples() == ["calcium", "eeg", "fmri", "reaching", "seeg"]


@pytest.mark.parametrize("name", ["eeg", "seeg", "fmri", "calcium", "reaching"])
def test_sample_matches_its_card(name):
    card = read_front_matter(CARDS / f"{name}.md")
    rec = load_sample(name)
    assert card["name"] == name
    assert card["generator"] == rec.metadata["generator"]
    assert card["seed"] == "0" and rec.metadata["random_state"] == 0
    assert card["shape"] == f"{rec.n_channels} x {rec.n_times}"
    assert card["sha256_rounded6"] == data_checksum(rec, decimals=6), (
        f"the {name} sample changed; if deliberate, run datasets/build_cards.py"
    )
    assert rec.data.dtype == np.float64
    size = rec.data.nbytes + sum(
        v.nbytes for v in rec.metadata.values() if isinstance(v, np.ndarray)
    )
    assert size < 50e6


def test_load_sample_returns_independent_copies():
    a = load_sample("reaching")
    a.data[:] = 0.0
    a.metadata["targets"][:] = 0.0
    b = load_sample("reaching")
    assert b.data.any() and b.metadata["targets"].any()
    direct = SAMPLES["reaching"](random_state=0)
    np.testing.assert_array_equal(b.data, direct.data)


def test_load_sample_bad_names():
    with pytest.raises(ValidationError, match="Did you mean 'eeg'"):
        load_sample("eg")
    with pytest.raises(ValidationError, match=r"\['calcium', 'eeg'"):
        load_sample("meg")
    with pytest.raises(DTypeError, match="name must be str"):
        load_sample(1)


def test_data_checksum_exact_and_rounded():
    data = np.array([[1.0, -2.5e-3], [0.0, 3.0]])
    rec = Recording(data, 1.0, ["a", "b"])
    assert data_checksum(rec) == hashlib.sha256(data.tobytes()).hexdigest()
    nudged = Recording(np.nextafter(data, np.inf), 1.0, ["a", "b"])
    assert data_checksum(nudged) != data_checksum(rec)
    assert data_checksum(nudged, decimals=6) == data_checksum(rec, decimals=6)
    negzero = Recording(np.array([[1.0, -1e-12], [0.0, 3.0]]), 1.0, ["a", "b"])
    zero = Recording(np.array([[1.0, 1e-12], [0.0, 3.0]]), 1.0, ["a", "b"])
    assert data_checksum(negzero, decimals=6) == data_checksum(zero, decimals=6)
    changed = Recording(data + np.array([[0.0, 1e-5], [0.0, 0.0]]), 1.0, ["a", "b"])
    assert data_checksum(changed, decimals=6) != data_checksum(rec, decimals=6)


def test_data_checksum_bad_input():
    with pytest.raises(DTypeError, match="rec must be Recording"):
        data_checksum(np.zeros((2, 2)))
    rec = Recording(np.zeros((1, 2)), 1.0, ["a"])
    with pytest.raises(DTypeError, match="decimals must be None or an int"):
        data_checksum(rec, decimals=2.5)
