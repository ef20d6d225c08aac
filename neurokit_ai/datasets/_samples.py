"""The named sample recordings: default simulations, cached in-process."""

from __future__ import annotations

import hashlib
import numbers
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from ..core import DTypeError, Recording, check_option, check_type
from ..core._validation import short_repr
from ._calcium import simulate_calcium
from ._eeg import simulate_eeg
from ._fmri import simulate_fmri_block
from ._reaching import simulate_reaching_m1
from ._seeg import simulate_seeg

__all__ = ["SAMPLES", "data_checksum", "list_samples", "load_sample"]

#: Sample name -> the simulator that builds it (default parameters, seed 0).
SAMPLES: dict[str, Callable[..., Recording]] = {
    "eeg": simulate_eeg,
    "seeg": simulate_seeg,
    "fmri": simulate_fmri_block,
    "calcium": simulate_calcium,
    "reaching": simulate_reaching_m1,
}


def list_samples() -> list[str]:
    """Names accepted by :func:`load_sample`.

    Examples
    --------
    >>> list_samples()
    ['calcium', 'eeg', 'fmri', 'reaching', 'seeg']
    """
    return sorted(SAMPLES)


@lru_cache(maxsize=len(SAMPLES))
def _build(name: str) -> Recording:
    return SAMPLES[name](random_state=0)


def load_sample(name: str) -> Recording:
    """Return a sample recording, simulated offline with default parameters.

    The first call builds it (well under a second or two); later calls return
    a copy of the cached recording, so changing the result is safe. Each
    sample's generator, parameters and checksum are described by its dataset
    card in the repository's ``datasets/`` folder.

    Parameters
    ----------
    name : str
        One of :func:`list_samples`: ``"eeg"``, ``"seeg"``, ``"fmri"``,
        ``"calcium"`` or ``"reaching"``.

    Returns
    -------
    Recording

    Examples
    --------
    >>> load_sample("reaching").modality
    'spikes'
    """
    check_type(name, "name", str)
    check_option(name, "name (sample)", list_samples())
    return _build(name).copy()


def data_checksum(rec: Recording, *, decimals: int | None = None) -> str:
    """SHA-256 of a recording's samples as C-ordered float64 bytes.

    With ``decimals``, the data are first divided by the power of ten at or
    below their largest magnitude and rounded to that many decimals (about
    ``decimals + 1`` significant digits), and negative zeros are made
    positive, so the digest ignores last-bit differences between platforms
    while still catching any real change.

    Parameters
    ----------
    rec : Recording
        The recording.
    decimals : int, optional
        Round before hashing.

    Returns
    -------
    str
        Hex digest.

    Examples
    --------
    >>> rec = Recording(np.array([[1.0, 2.0]]), 1.0, ["a"])
    >>> data_checksum(rec) == hashlib.sha256(np.array([1.0, 2.0]).tobytes()).hexdigest()
    True
    """
    check_type(rec, "rec", Recording)
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral)
    ):
        raise DTypeError(
            f"decimals must be None or an int, got {short_repr(decimals)}."
        )
    data = np.ascontiguousarray(rec.get_data(), dtype=np.float64)
    if decimals is not None:
        peak = float(np.max(np.abs(data)))
        scale = 10.0 ** np.floor(np.log10(peak)) if peak > 0 else 1.0
        data = np.round(data / scale, int(decimals)) + 0.0
    return hashlib.sha256(data.tobytes()).hexdigest()
