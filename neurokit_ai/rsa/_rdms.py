"""The RDMs container: one or more dissimilarity matrices in condensed form."""

from __future__ import annotations

import copy as _copy
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._validation import short_repr

__all__ = ["RDMs", "n_conditions_from_pairs", "pair_index"]


def n_conditions_from_pairs(n_pairs: int) -> int:
    """Return ``n`` such that ``n * (n - 1) / 2 == n_pairs``.

    Examples
    --------
    >>> n_conditions_from_pairs(6)
    4
    """
    n = int(round((1 + np.sqrt(1 + 8 * n_pairs)) / 2))
    if n * (n - 1) // 2 != n_pairs:
        raise ValidationError(
            f"{n_pairs} dissimilarities do not form the upper triangle of a square "
            "matrix; give n*(n-1)/2 values per RDM or square (n, n) matrices."
        )
    return n


def pair_index(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Condensed (scipy ``squareform``) index of the pairs ``(i, j)``, ``i != j``.

    Examples
    --------
    >>> int(pair_index(np.array([0]), np.array([2]), 4)[0])
    1
    """
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    return lo * n - lo * (lo + 1) // 2 + (hi - lo - 1)


class RDMs:
    """A set of representational dissimilarity matrices over the same conditions.

    Storage is condensed: row ``k`` of :attr:`vectors` holds the upper triangle
    (row-major, as :func:`scipy.spatial.distance.squareform` and rsatoolbox) of
    RDM ``k``. NaN marks a missing dissimilarity.

    Parameters
    ----------
    dissimilarities : array-like
        ``(n_pairs,)`` or ``(n_rdms, n_pairs)`` condensed vectors, or ``(n, n)`` or
        ``(n_rdms, n, n)`` symmetric matrices with a zero diagonal.
    conditions : sequence, optional
        Condition label of each row/column; defaults to ``0..n-1``.
    measure : str, optional
        The dissimilarity measure (``"correlation"``, ``"crossnobis"``...).
    descriptors : dict of str to sequence, optional
        One value per RDM for each key, e.g. ``{"subject": [...], "source": [...]}``.
    names : sequence of str, optional
        Name of each RDM (stored as the ``"name"`` descriptor).

    Examples
    --------
    >>> r = RDMs([[1.0, 2.0, 3.0]], conditions=["a", "b", "c"], measure="euclidean")
    >>> r.matrices()[0]
    array([[0., 1., 2.],
           [1., 0., 3.],
           [2., 3., 0.]])
    """

    def __init__(
        self,
        dissimilarities: Any,
        conditions: Sequence[Any] | None = None,
        *,
        measure: str | None = None,
        descriptors: dict[str, Sequence[Any]] | None = None,
        names: Sequence[str] | None = None,
    ) -> None:
        d = np.asarray(dissimilarities, dtype=np.float64)
        if d.ndim == 1:
            d = d[None, :]
        elif d.ndim == 2 and d.shape[0] == d.shape[1] and d.shape[0] > 1:
            if np.allclose(np.diag(d), 0, equal_nan=False) and np.allclose(
                d, d.T, equal_nan=True
            ):
                d = d[None]
        if d.ndim == 3:
            d = self._condense(d)
        if d.ndim != 2 or d.shape[1] == 0:
            raise ValidationError(
                f"dissimilarities must hold condensed vectors or square matrices, got "
                f"{short_repr(np.asarray(dissimilarities))}."
            )
        n = n_conditions_from_pairs(d.shape[1])
        self.vectors = d
        if conditions is None:
            conditions = list(range(n))
        conditions = [c.item() if isinstance(c, np.generic) else c for c in conditions]
        if len(conditions) != n:
            raise ValidationError(
                f"conditions has {len(conditions)} labels for RDMs of {n} conditions."
            )
        if len(set(conditions)) != n:
            raise ValidationError(
                f"conditions must be unique, got {short_repr(conditions)}; average "
                "repeated conditions first (Responses.average())."
            )
        self.conditions = list(conditions)
        self.measure = measure
        descriptors = {k: list(v) for k, v in (descriptors or {}).items()}
        if names is not None:
            descriptors["name"] = [str(x) for x in names]
        for key, values in descriptors.items():
            if len(values) != self.n_rdms:
                raise ValidationError(
                    f"descriptor {key!r} has {len(values)} values for {self.n_rdms} "
                    "RDMs; give one value per RDM."
                )
        self.descriptors = descriptors

    @staticmethod
    def _condense(mats: np.ndarray) -> np.ndarray:
        if mats.shape[1] != mats.shape[2]:
            raise ValidationError(
                f"RDM matrices must be square, got shape {mats.shape[1:]}."
            )
        n = mats.shape[1]
        diag = mats[:, np.arange(n), np.arange(n)]
        if np.any(np.abs(diag[np.isfinite(diag)]) > 1e-12):
            raise ValidationError("RDM matrices must have a zero diagonal.")
        if not np.allclose(mats, mats.transpose(0, 2, 1), equal_nan=True):
            raise ValidationError("RDM matrices must be symmetric.")
        iu = np.triu_indices(n, 1)
        return mats[:, iu[0], iu[1]]

    @property
    def n_rdms(self) -> int:
        """Number of RDMs."""
        return self.vectors.shape[0]

    @property
    def n_conditions(self) -> int:
        """Number of conditions (rows/columns of each RDM)."""
        return len(self.conditions)

    @property
    def n_pairs(self) -> int:
        """Number of dissimilarities per RDM."""
        return self.vectors.shape[1]

    @property
    def names(self) -> list[str]:
        """Name of each RDM (``rdm0``, ``rdm1``... when unnamed)."""
        return self.descriptors.get("name", [f"rdm{i}" for i in range(self.n_rdms)])

    def __len__(self) -> int:
        return self.n_rdms

    def matrices(self) -> np.ndarray:
        """Return the square matrices, shape ``(n_rdms, n, n)``."""
        n = self.n_conditions
        out = np.zeros((self.n_rdms, n, n))
        iu = np.triu_indices(n, 1)
        out[:, iu[0], iu[1]] = self.vectors
        out[:, iu[1], iu[0]] = self.vectors
        return out

    def _with(self, vectors: np.ndarray, **changes: Any) -> RDMs:
        out = _copy.copy(self)
        out.vectors = vectors
        out.descriptors = _copy.deepcopy(self.descriptors)
        for key, value in changes.items():
            setattr(out, key, value)
        return out

    def __getitem__(self, index: Any) -> RDMs:
        """Select RDMs by integer, slice, index array or boolean mask."""
        idx = np.arange(self.n_rdms)[index]
        idx = np.atleast_1d(idx)
        out = self._with(self.vectors[idx])
        out.descriptors = {
            k: [v[i] for i in idx.tolist()] for k, v in self.descriptors.items()
        }
        return out

    def subset(self, descriptor: str, values: Any) -> RDMs:
        """Return the RDMs whose ``descriptor`` takes one of ``values``.

        Examples
        --------
        >>> r = RDMs(np.ones((3, 3)), descriptors={"subject": [1, 2, 2]})
        >>> r.subset("subject", 2).n_rdms
        2
        """
        if descriptor not in self.descriptors:
            raise ValidationError(
                f"descriptor {descriptor!r} not found; available: "
                f"{sorted(self.descriptors)}."
            )
        wanted = set(np.atleast_1d(np.asarray(values, dtype=object)).tolist())
        keep = [i for i, v in enumerate(self.descriptors[descriptor]) if v in wanted]
        if not keep:
            raise ValidationError(
                f"no RDM has {descriptor} in {sorted(wanted, key=str)[:10]}; values "
                f"present: {sorted(set(self.descriptors[descriptor]), key=str)[:10]}."
            )
        return self[np.array(keep)]

    def select_conditions(self, conditions: Sequence[Any]) -> RDMs:
        """Return the RDMs restricted to (and reordered as) ``conditions``."""
        lookup = {c: i for i, c in enumerate(self.conditions)}
        missing = [c for c in conditions if c not in lookup]
        if missing:
            raise ValidationError(
                f"Conditions {missing[:10]} are not in these RDMs; available: "
                f"{self.conditions[:10]}."
            )
        if len(set(conditions)) != len(conditions) or len(conditions) < 2:
            raise ValidationError(
                f"conditions must be at least 2 distinct labels, got "
                f"{short_repr(list(conditions))}."
            )
        idx = np.array([lookup[c] for c in conditions])
        i, j = np.triu_indices(len(idx), 1)
        cols = pair_index(idx[i], idx[j], self.n_conditions)
        return self._with(self.vectors[:, cols], conditions=list(conditions))

    def align_to(self, other: RDMs) -> RDMs:
        """Reorder these RDMs to ``other``'s conditions; refuse different sets.

        Raises
        ------
        ValidationError
            When the condition sets differ; the message names what is missing on
            each side.
        """
        mine, theirs = self.conditions, other.conditions
        only_mine = [c for c in mine if c not in set(theirs)]
        only_theirs = [c for c in theirs if c not in set(mine)]
        if only_mine or only_theirs:
            raise ValidationError(
                f"RDM conditions differ: only in the first {only_mine[:10]}, only in "
                f"the second {only_theirs[:10]}. Use select_conditions() on both to "
                "keep the shared conditions."
            )
        return self if mine == theirs else self.select_conditions(theirs)

    def rank_transform(self) -> RDMs:
        """Replace each RDM's dissimilarities by their ranks (ties averaged).

        NaN entries stay NaN, as in rsatoolbox's ``rank_transform``.
        """
        from scipy.stats import rankdata

        ranks = rankdata(self.vectors, axis=1, nan_policy="omit")
        measure = f"{self.measure or 'unknown'} (ranks)"
        return self._with(np.asarray(ranks, dtype=float), measure=measure)

    @classmethod
    def concat(cls, rdms: Sequence[RDMs]) -> RDMs:
        """Stack RDMs objects over the same conditions (reordered to the first)."""
        if not rdms:
            raise ValidationError("concat needs at least one RDMs object.")
        first = rdms[0]
        aligned = [r.align_to(first) for r in rdms]
        keys = set().union(*(r.descriptors for r in aligned))
        desc = {
            k: [v for r in aligned for v in r.descriptors.get(k, [None] * r.n_rdms)]
            for k in keys
        }
        measures = {r.measure for r in aligned}
        return cls(
            np.concatenate([r.vectors for r in aligned]),
            first.conditions,
            measure=measures.pop() if len(measures) == 1 else "mixed",
            descriptors=desc,
        )

    def __repr__(self) -> str:
        return (
            f"<RDMs | {self.n_rdms} RDM(s) of {self.n_conditions} conditions | "
            f"{self.measure or 'unknown measure'}>"
        )
