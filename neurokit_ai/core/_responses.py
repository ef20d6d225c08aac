"""Condition-by-unit response patterns: the bridge between brains and networks."""

from __future__ import annotations

import copy as _copy
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._errors import ValidationError
from ._validation import check_array

__all__ = ["Responses"]


def _unique_in_order(labels: Sequence[Any]) -> list[Any]:
    seen: dict[Any, None] = {}
    for lab in labels:
        seen.setdefault(lab, None)
    return list(seen)


class Responses:
    """Response patterns of units (neurons, voxels, model features) to conditions.

    Rows are observations: either one pattern per condition (averaged) or one per
    repeat, each carrying its condition label and, optionally, its run.

    Parameters
    ----------
    data : array-like, shape (n_obs, n_units) or (n_obs, n_units, n_times)
        The patterns; the optional last axis keeps time-resolved responses.
    conditions : sequence, shape (n_observations,), optional
        Condition label of each row; defaults to ``0..n_observations-1``.
    runs : sequence of int, shape (n_observations,), optional
        Run (or fold, session) of each row, for cross-validated statistics.
    unit_names : sequence of str, shape (n_units,), optional
        Names of the units.
    times : array-like, shape (n_times,), optional
        Time of each sample of a 3-D ``data``, in seconds.
    source : str, optional
        ``"brain:sub-01/V1"``, ``"model:resnet18/layer3"``...
    metadata : dict, optional
        Anything else.

    Examples
    --------
    >>> import numpy as np
    >>> r = Responses(np.arange(12.0).reshape(4, 3), conditions=["a", "b", "a", "b"])
    >>> r.average().data
    array([[3., 4., 5.],
           [6., 7., 8.]])
    """

    def __init__(
        self,
        data: Any,
        conditions: Sequence[Any] | None = None,
        runs: Sequence[int] | None = None,
        unit_names: Sequence[str] | None = None,
        times: Any = None,
        source: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.data = check_array(data, "data", ndim=(2, 3), dtype=np.float64)
        n_obs, n_units = self.data.shape[:2]
        if conditions is None:
            conditions = list(range(n_obs))
        conditions = [c.item() if isinstance(c, np.generic) else c for c in conditions]
        if len(conditions) != n_obs:
            raise ValidationError(
                f"conditions has {len(conditions)} labels for {n_obs} rows of data; "
                "give one condition label per row."
            )
        self.conditions = np.asarray(conditions, dtype=object)
        if runs is not None:
            runs = np.asarray(runs)
            if runs.shape != (n_obs,):
                raise ValidationError(
                    f"runs has shape {runs.shape}; expected ({n_obs},), one per row."
                )
        self.runs = runs
        if unit_names is None:
            unit_names = [f"unit{i}" for i in range(n_units)]
        unit_names = [str(u) for u in unit_names]
        if len(unit_names) != n_units:
            raise ValidationError(
                f"unit_names has {len(unit_names)} names for {n_units} units."
            )
        self.unit_names = unit_names
        if self.data.ndim == 3:
            n_times = self.data.shape[2]
            times = np.arange(n_times, dtype=float) if times is None else times
            times = check_array(times, "times", ndim=1)
            if times.size != n_times:
                raise ValidationError(
                    f"times has {times.size} entries for {n_times} time samples."
                )
        elif times is not None:
            raise ValidationError("times is only meaningful for 3-D data.")
        self.times = times
        self.source = source
        self.metadata = dict(metadata or {})

    @property
    def n_observations(self) -> int:
        """Number of rows."""
        return self.data.shape[0]

    @property
    def n_units(self) -> int:
        """Number of units (columns)."""
        return self.data.shape[1]

    @property
    def condition_names(self) -> list[Any]:
        """Unique condition labels, in order of first appearance."""
        return _unique_in_order(self.conditions.tolist())

    @property
    def n_conditions(self) -> int:
        """Number of distinct conditions."""
        return len(self.condition_names)

    @property
    def is_averaged(self) -> bool:
        """Whether there is exactly one row per condition."""
        return self.n_conditions == self.n_observations

    def copy(self) -> Responses:
        """Return a deep copy."""
        return _copy.deepcopy(self)

    def _subset_rows(self, idx: np.ndarray) -> Responses:
        return Responses(
            self.data[idx],
            self.conditions[idx].tolist(),
            None if self.runs is None else self.runs[idx],
            self.unit_names,
            self.times,
            self.source,
            _copy.deepcopy(self.metadata),
        )

    def average(self) -> Responses:
        """Average the rows of each condition (runs are dropped).

        Returns
        -------
        Responses
            One row per condition, in the order of :attr:`condition_names`.
        """
        names = self.condition_names
        cond = self.conditions.tolist()
        means = np.stack(
            [
                self.data[[i for i, c in enumerate(cond) if c == n]].mean(axis=0)
                for n in names
            ]
        )
        return Responses(
            means,
            names,
            None,
            self.unit_names,
            self.times,
            self.source,
            _copy.deepcopy(self.metadata),
        )

    def select_conditions(self, conditions: Sequence[Any]) -> Responses:
        """Return the rows of ``conditions``, in that order of conditions.

        Raises
        ------
        ValidationError
            If a requested condition is absent.
        """
        missing = [c for c in conditions if c not in set(self.conditions.tolist())]
        if missing:
            raise ValidationError(
                f"Conditions {missing[:10]} are not in these responses (source "
                f"{self.source!r}); available: {self.condition_names[:10]}."
            )
        cond = self.conditions.tolist()
        idx = np.array([i for c in conditions for i, x in enumerate(cond) if x == c])
        return self._subset_rows(idx)

    def select_units(self, units: Any) -> Responses:
        """Return a copy with the units given by names, indices or a boolean mask."""
        sel = np.asarray(units)
        if sel.dtype.kind in "US" or sel.dtype == object:
            lookup = {n: i for i, n in enumerate(self.unit_names)}
            bad = [u for u in sel.tolist() if u not in lookup]
            if bad:
                raise ValidationError(f"Unknown unit names {bad[:10]}.")
            sel = np.array([lookup[u] for u in sel.tolist()])
        elif sel.dtype == bool:
            sel = np.flatnonzero(sel)
        out = self.copy()
        out.data = self.data[:, sel]
        out.unit_names = [self.unit_names[i] for i in sel]
        return out

    def align_to(self, other: Responses) -> Responses:
        """Reorder these responses to ``other``'s condition order.

        Raises
        ------
        ValidationError
            When the two do not hold the same set of conditions; the message
            names what is missing on each side.
        """
        mine, theirs = self.condition_names, other.condition_names
        only_mine = [c for c in mine if c not in set(theirs)]
        only_theirs = [c for c in theirs if c not in set(mine)]
        if only_mine or only_theirs:
            raise ValidationError(
                f"Conditions differ between {self.source!r} and {other.source!r}: "
                f"only in the first {only_mine[:10]}, only in the second "
                f"{only_theirs[:10]}. Select the shared conditions first with "
                "select_conditions()."
            )
        if mine == theirs:
            return self
        return self.select_conditions(theirs)

    def __repr__(self) -> str:
        shape = "×".join(map(str, self.data.shape))
        return (
            f"<Responses | {self.source or 'unnamed'} | {shape} "
            f"({self.n_conditions} conditions, {self.n_units} units"
            + ("" if self.runs is None else f", {len(set(self.runs.tolist()))} runs")
            + ")>"
        )
