"""Izhikevich (2003) neuron classes and per-neuron parameter draws."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core import ValidationError, check_option, check_random_state, check_scalar

__all__ = ["NEURON_TYPES", "neuron_parameters"]

#: Izhikevich (2003), Fig. 2: ``name -> (a, b, c, d, excitatory)``; ``a`` in 1/ms,
#: ``c`` in mV, the model's native units. RZ (resonator) is listed as inhibitory,
#: as resonance is an interneuron property; pass your own sign if it matters.
NEURON_TYPES: dict[str, tuple[float, float, float, float, bool]] = {
    "RS": (0.02, 0.2, -65.0, 8.0, True),
    "IB": (0.02, 0.2, -55.0, 4.0, True),
    "CH": (0.02, 0.2, -50.0, 2.0, True),
    "TC": (0.02, 0.25, -65.0, 0.05, True),
    "FS": (0.1, 0.2, -65.0, 2.0, False),
    "LTS": (0.02, 0.25, -65.0, 2.0, False),
    "RZ": (0.1, 0.26, -65.0, 2.0, False),
}


def neuron_parameters(
    types: Mapping[str, int] | str,
    *,
    n_neurons: int | None = None,
    heterogeneity: float = 0.0,
    random_state: Any = None,
) -> dict[str, np.ndarray]:
    """Per-neuron Izhikevich parameters for a mix of classes.

    Parameters
    ----------
    types : dict or "izhikevich2003"
        ``{class name: count}`` with names from :data:`NEURON_TYPES`, or
        ``"izhikevich2003"``: the classic heterogeneous recipe (80 % excitatory
        with ``c = -65 + 15 r², d = 8 - 6 r²``; 20 % inhibitory with
        ``a = 0.02 + 0.08 r, b = 0.25 - 0.05 r``), which needs ``n_neurons``.
    n_neurons : int, optional
        Network size for ``"izhikevich2003"``.
    heterogeneity : float
        Relative jitter (uniform, ± this fraction) applied to ``a, b, c, d`` of
        named classes; 0 gives exact class parameters.
    random_state : None, int or Generator
        Seed of the draws.

    Returns
    -------
    dict
        ``a, b, c, d`` (float arrays), ``excitatory`` (bool array) and
        ``types`` (array of class names), one entry per neuron.

    Examples
    --------
    >>> p = neuron_parameters({"RS": 3, "FS": 1})
    >>> p["a"].tolist(), p["excitatory"].tolist()
    ([0.02, 0.02, 0.02, 0.1], [True, True, True, False])
    """
    rng = check_random_state(random_state)
    check_scalar(heterogeneity, "heterogeneity", min_val=0.0, max_val=0.5)
    if isinstance(types, str):
        check_option(types, "types", ["izhikevich2003"])
        if n_neurons is None:
            raise ValidationError(
                'types="izhikevich2003" needs n_neurons (e.g. n_neurons=1000).'
            )
        check_scalar(n_neurons, "n_neurons", kind=int, min_val=2)
        n_exc = int(round(0.8 * n_neurons))
        r_e, r_i = rng.random(n_exc), rng.random(n_neurons - n_exc)
        return {
            "a": np.r_[np.full(n_exc, 0.02), 0.02 + 0.08 * r_i],
            "b": np.r_[np.full(n_exc, 0.2), 0.25 - 0.05 * r_i],
            "c": np.r_[-65.0 + 15.0 * r_e**2, np.full(r_i.size, -65.0)],
            "d": np.r_[8.0 - 6.0 * r_e**2, np.full(r_i.size, 2.0)],
            "excitatory": np.r_[np.ones(n_exc, bool), np.zeros(r_i.size, bool)],
            "types": np.array(["RS"] * n_exc + ["FS"] * r_i.size),
        }
    if not isinstance(types, Mapping) or not types:
        raise ValidationError(
            f"types must be a non-empty dict {{class: count}} or 'izhikevich2003', "
            f"got {types!r}."
        )
    rows, names = [], []
    for name, count in types.items():
        check_option(name, "neuron class", list(NEURON_TYPES))
        check_scalar(count, f"types[{name!r}]", kind=int, min_val=0)
        rows.extend([NEURON_TYPES[name]] * count)
        names.extend([name] * count)
    if not rows:
        raise ValidationError(f"types {dict(types)!r} holds no neuron; give counts.")
    table = np.array([r[:4] for r in rows], dtype=float)
    if heterogeneity:
        table *= 1.0 + heterogeneity * rng.uniform(-1.0, 1.0, table.shape)
    return {
        "a": table[:, 0].copy(),
        "b": table[:, 1].copy(),
        "c": table[:, 2].copy(),
        "d": table[:, 3].copy(),
        "excitatory": np.array([r[4] for r in rows], dtype=bool),
        "types": np.array(names),
    }
