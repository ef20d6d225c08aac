"""Searchlight RSA: neighbourhoods in a volume or around sensors, batched RDMs.

Neighbourhoods are spheres in a brain mask (:func:`volume_neighbourhoods`) or
around sensors/contacts (:func:`sensor_neighbourhoods`); :func:`searchlight_rdms`
computes one RDM per neighbourhood with the kernels and conventions of
:func:`compute_rdm`, and :func:`searchlight_evaluate` turns them into one map
per model.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ..core import Montage, Recording, Responses, ValidationError
from ..core._validation import (
    check_array,
    check_finite,
    check_option,
    check_path,
    check_scalar,
    check_type,
)
from ._compare import compare
from ._models import FixedModel
from ._rdm import RDM_METHODS, poisson_rates, run_condition_means
from ._rdms import RDMs

__all__ = [
    "Neighbourhoods",
    "searchlight_evaluate",
    "searchlight_rdms",
    "sensor_neighbourhoods",
    "volume_neighbourhoods",
]

logger = logging.getLogger(__name__)


class Neighbourhoods:
    """For each searchlight centre, the units (data columns) around it.

    Stored compressed (as a CSR matrix): the members of centre ``k`` are
    ``indices[indptr[k]:indptr[k + 1]]``.

    Parameters
    ----------
    indptr : array-like of int, shape (n_centres + 1,)
        Start of each centre's members in ``indices``.
    indices : array-like of int
        Member columns, concatenated.
    centres : array-like of int, shape (n_centres,)
        The column of each centre (its voxel or sensor).
    n_units : int
        Number of columns of the data the indices refer to.
    mask : numpy.ndarray of bool, optional
        The 3-D volume mask; its ``True`` voxels, in C order, are the columns.
    affine : numpy.ndarray, shape (4, 4), optional
        Voxel-to-mm affine of ``mask``.

    Examples
    --------
    >>> nb = Neighbourhoods.from_lists([[0, 1], [0, 1, 2], [1, 2]], n_units=3)
    >>> len(nb), nb.sizes.tolist(), nb[1].tolist()
    (3, [2, 3, 2], [0, 1, 2])
    """

    def __init__(
        self,
        indptr: Any,
        indices: Any,
        centres: Any,
        n_units: int,
        *,
        mask: np.ndarray | None = None,
        affine: np.ndarray | None = None,
    ) -> None:
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int64)
        self.centres = np.asarray(centres, dtype=np.int64)
        self.n_units = check_scalar(n_units, "n_units", kind=(int, np.integer))
        if (
            self.indptr.ndim != 1
            or self.indptr.size != self.centres.size + 1
            or self.indptr[0] != 0
            or self.indptr[-1] != self.indices.size
            or np.any(np.diff(self.indptr) < 0)
        ):
            raise ValidationError(
                f"indptr must rise from 0 to len(indices)={self.indices.size} with one "
                f"entry per centre plus one ({self.centres.size + 1}), got "
                f"{self.indptr.size} entries."
            )
        if self.centres.size == 0:
            raise ValidationError(
                "no searchlight centres: the mask is empty or min_fraction too high."
            )
        empty = np.flatnonzero(np.diff(self.indptr) == 0)
        if empty.size:
            raise ValidationError(
                f"searchlight centres {empty[:10].tolist()} have empty "
                "neighbourhoods; give every centre at least one unit."
            )
        for name, idx in (("indices", self.indices), ("centres", self.centres)):
            if idx.size and (idx.min() < 0 or idx.max() >= self.n_units):
                raise ValidationError(
                    f"{name} must lie in [0, {self.n_units}) (n_units), got values "
                    f"from {idx.min()} to {idx.max()}."
                )
        self.mask = mask
        self.affine = affine

    @classmethod
    def from_lists(
        cls,
        members: Sequence[Any],
        n_units: int,
        centres: Sequence[int] | None = None,
    ) -> Neighbourhoods:
        """Build from one index sequence per centre (e.g. rsatoolbox's ``neighbors``).

        ``centres`` defaults to ``0..len(members)-1``.
        """
        lists = [np.asarray(m, dtype=np.int64).ravel() for m in members]
        sizes = np.array([m.size for m in lists], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(sizes)])
        indices = np.concatenate(lists) if lists else np.zeros(0, np.int64)
        if centres is None:
            centres = np.arange(len(lists))
        return cls(indptr, indices, centres, n_units)

    def __len__(self) -> int:
        return self.centres.size

    def __getitem__(self, k: int) -> np.ndarray:
        """Members of centre ``k``."""
        return self.indices[self.indptr[k] : self.indptr[k + 1]]

    @property
    def sizes(self) -> np.ndarray:
        """Number of members of each centre."""
        return np.diff(self.indptr)

    def to_volume(self, values: Any) -> np.ndarray:
        """Place one value per centre (or ``(k, n_centres)``) into the volume.

        Voxels that are not centres are NaN; a 2-D input gives a 4-D array with
        the maps along the last axis (nibabel's convention).
        """
        if self.mask is None:
            raise ValidationError(
                "these neighbourhoods have no volume mask; build them with "
                "volume_neighbourhoods() to map values back to a volume."
            )
        vals = np.asarray(values, dtype=float)
        if vals.shape[-1] != len(self) or vals.ndim not in (1, 2):
            raise ValidationError(
                f"values must have shape ({len(self)},) or (k, {len(self)}) (one per "
                f"centre), got {vals.shape}."
            )
        maps = np.atleast_2d(vals)
        voxels = np.argwhere(self.mask)[self.centres]
        out = np.full(self.mask.shape + (maps.shape[0],), np.nan)
        out[voxels[:, 0], voxels[:, 1], voxels[:, 2]] = maps.T
        return out[..., 0] if vals.ndim == 1 else out

    def to_image(self, values: Any) -> Any:
        """:meth:`to_volume` as a ``nibabel.Nifti1Image`` with the mask's affine."""
        import nibabel as nib

        affine = np.eye(4) if self.affine is None else self.affine
        return nib.Nifti1Image(self.to_volume(values), affine)

    def __repr__(self) -> str:
        sizes = self.sizes
        return (
            f"<Neighbourhoods | {len(self)} centres over {self.n_units} units | "
            f"{sizes.min()}-{sizes.max()} members>"
        )


def _load_mask(mask_img_or_array: Any, affine: Any) -> tuple[np.ndarray, np.ndarray]:
    img = mask_img_or_array
    if isinstance(img, str | Path):
        import nibabel as nib

        img = nib.load(check_path(img, "mask_img_or_array", kind="file"))
    if hasattr(img, "get_fdata") and hasattr(img, "affine"):
        if affine is not None and not np.allclose(affine, img.affine):
            raise ValidationError(
                "affine differs from the mask image's own affine; leave affine=None "
                "for images (it is read from the image)."
            )
        data, affine = np.asarray(img.dataobj), img.affine
    else:
        data = np.asarray(img)
    if data.ndim != 3:
        raise ValidationError(
            f"mask_img_or_array must be a 3-D volume, got shape {data.shape}."
        )
    affine = np.eye(4) if affine is None else check_array(affine, "affine")
    if affine.shape != (4, 4) or abs(np.linalg.det(affine[:3, :3])) < 1e-12:
        raise ValidationError(
            f"affine must be an invertible (4, 4) voxel-to-mm matrix, got shape "
            f"{affine.shape}."
        )
    mask = data.astype(bool)
    if not mask.any():
        raise ValidationError(
            "the mask has no non-zero voxel; give a brain mask (non-zero inside)."
        )
    return mask, affine


def volume_neighbourhoods(
    mask_img_or_array: Any,
    radius_mm: float,
    *,
    affine: Any = None,
    min_fraction: float = 0.5,
) -> Neighbourhoods:
    """Spheres of ``radius_mm`` around every voxel of a mask.

    The columns are the mask's non-zero voxels in C order, as those of
    ``nilearn.maskers.NiftiMasker(mask_img).transform`` and of ``data[mask]``.
    A sphere holds the mask voxels whose centres lie within ``radius_mm``
    (inclusive) of its centre; a voxel becomes a centre when at least
    ``min_fraction`` of the grid points of its full sphere are in the mask (so
    spheres cut by the mask edge or the volume border can be left out).

    Parameters
    ----------
    mask_img_or_array : nibabel image, path or array-like, shape (X, Y, Z)
        The mask; non-zero is inside.
    radius_mm : float
        Sphere radius in mm (voxel units for an array without ``affine``).
    affine : array-like, shape (4, 4), optional
        Voxel-to-mm affine for an array mask (identity by default).
    min_fraction : float
        Smallest fraction of a sphere inside the mask for its centre to count.

    Returns
    -------
    Neighbourhoods

    Examples
    --------
    >>> import numpy as np
    >>> nb = volume_neighbourhoods(np.ones((5, 5, 5)), 1.0, min_fraction=1.0)
    >>> len(nb), int(nb.sizes[0])
    (27, 7)
    """
    check_scalar(radius_mm, "radius_mm", min_val=0, include_min=False)
    check_scalar(min_fraction, "min_fraction", min_val=0, max_val=1)
    mask, affine = _load_mask(mask_img_or_array, affine)
    linear = affine[:3, :3]
    reach = int(np.ceil(radius_mm / np.linalg.svd(linear, compute_uv=False).min()))
    grid = np.arange(-reach, reach + 1)
    offsets = np.stack(np.meshgrid(grid, grid, grid, indexing="ij"), -1).reshape(-1, 3)
    offsets = offsets[np.linalg.norm(offsets @ linear.T, axis=1) <= radius_mm + 1e-9]
    voxels = np.argwhere(mask)
    column = np.full(mask.shape, -1, dtype=np.int64)
    column[mask] = np.arange(voxels.shape[0])
    shape = np.array(mask.shape)
    members = np.empty((voxels.shape[0], offsets.shape[0]), dtype=np.int64)
    for k, offset in enumerate(offsets):
        nb = voxels + offset
        inside = np.all((nb >= 0) & (nb < shape), axis=1)
        members[:, k] = -1
        members[inside, k] = column[nb[inside, 0], nb[inside, 1], nb[inside, 2]]
    valid = members >= 0
    counts = valid.sum(axis=1)
    keep = counts >= min_fraction * offsets.shape[0] - 1e-9
    # lexicographic offsets and C-ordered columns: each row is already sorted
    indices = members[keep][valid[keep]]
    indptr = np.concatenate([[0], np.cumsum(counts[keep])])
    return Neighbourhoods(
        indptr,
        indices,
        np.flatnonzero(keep),
        voxels.shape[0],
        mask=mask,
        affine=affine,
    )


def sensor_neighbourhoods(positions: Any, radius: float) -> Neighbourhoods:
    """Every sensor/contact with those within ``radius`` of it (itself included).

    Parameters
    ----------
    positions : array-like, shape (n_sensors, 3), Montage or Recording
        Positions, in the same units as ``radius`` (metres for a montage); a
        Recording uses its montage in its channel order.
    radius : float
        Neighbourhood radius (inclusive).

    Returns
    -------
    Neighbourhoods
        Centre ``k`` is sensor ``k``; columns are the sensors.

    Examples
    --------
    >>> import numpy as np
    >>> nb = sensor_neighbourhoods(np.array([[0, 0, 0], [1, 0, 0], [3, 0, 0]]), 1.5)
    >>> [nb[k].tolist() for k in range(3)]
    [[0, 1], [0, 1], [2]]
    """
    from scipy.spatial import cKDTree

    check_scalar(radius, "radius", min_val=0, include_min=False)
    if isinstance(positions, Recording):
        if positions.montage is None:
            raise ValidationError(
                "the recording has no montage; set one (Recording.montage) or pass "
                "the positions as an (n_sensors, 3) array."
            )
        missing = [c for c in positions.ch_names if c not in positions.montage.ch_pos]
        if missing:
            raise ValidationError(
                f"channels {missing[:10]} have no position in the montage; pick the "
                "channels with positions first (Recording.pick)."
            )
        positions = positions.montage.positions(positions.ch_names)
    elif isinstance(positions, Montage):
        positions = positions.positions()
    pos = check_array(positions, "positions", ndim=2, shape=(None, 3))
    tree = cKDTree(pos)
    members = tree.query_ball_point(pos, r=radius * (1 + 1e-12), return_sorted=True)
    return Neighbourhoods.from_lists(members, pos.shape[0])


class _Units:
    """Unit-major (voxel-major) arrays for gathering searchlight members fast.

    ``test`` is ``(n_units + 1, C)`` (or ``(n_units + 1, F, C)`` per run for
    crossnobis); the last row is zero, the padding target. ``other`` holds the
    log-rates (poisson) or the leave-one-run-out means (unbalanced crossnobis).
    """

    def __init__(
        self,
        responses: Responses,
        method: str,
        noise: Any,
        prior_lambda: float,
        prior_weight: float,
    ) -> None:
        p = responses.n_units
        weight = None
        if noise is not None:
            if method not in ("mahalanobis", "crossnobis"):
                raise ValidationError(
                    f"noise is only used by 'mahalanobis' and 'crossnobis', not "
                    f"{method!r}; leave noise=None."
                )
            prec = np.asarray(noise, dtype=float)
            if prec.shape != (p,):
                raise ValidationError(
                    f"noise must be a length-{p} diagonal precision (one value per "
                    f"unit) for a searchlight, got shape {prec.shape}; a full "
                    "precision matrix does not restrict to a sphere (invert the "
                    "sphere's covariance instead)."
                )
            if not np.all(np.isfinite(prec)) or np.any(prec <= 0):
                raise ValidationError("noise precisions must be finite and positive.")
            weight = np.sqrt(prec)
        self.other = None
        self.n_runs = 1
        self.balanced = True
        if method == "crossnobis":
            means, counts, self.names = run_condition_means(responses)
            self.n_runs = len(means)
            self.balanced = bool(np.all(counts == counts[:1]))
            self.test = _unit_major(means, weight)
            if not self.balanced:
                sums = [m * c[:, None] for m, c in zip(means, counts)]
                total, n_total = np.add.reduce(sums), counts.sum(0)
                train = [
                    (total - s) / (n_total - c)[:, None] for s, c in zip(sums, counts)
                ]
                self.other = _unit_major(train, weight)
            return
        avg = responses if responses.is_averaged else responses.average()
        self.names = list(avg.conditions.tolist())
        data = avg.data
        if method == "poisson":
            rates = poisson_rates(data, prior_lambda, prior_weight)
            self.test = _unit_major([rates], None)[:, 0]
            self.other = _unit_major([np.log(rates)], None)[:, 0]
            return
        self.test = _unit_major([data], weight)[:, 0]
        self.scale = max(1.0, float(np.abs(data).max()))

    @property
    def row_bytes(self) -> int:
        """Bytes gathered per member unit."""
        per = self.test[0].nbytes
        return per if self.other is None else 2 * per


def _unit_major(blocks: list[np.ndarray], weight: np.ndarray | None) -> np.ndarray:
    """Stack ``(C, p)`` blocks into ``(p + 1, len(blocks), C)``, last row zero."""
    n_c, p = blocks[0].shape
    out = np.zeros((p + 1, len(blocks), n_c))
    for f, block in enumerate(blocks):
        out[:p, f, :] = block.T
    if weight is not None:
        out[:p] *= weight[:, None, None]
    return out


def _batch_rdms(
    units: _Units, method: str, members: np.ndarray, sizes: np.ndarray
) -> np.ndarray:
    """Condensed RDMs of a batch of padded neighbourhoods ``(B, v)``."""
    b, v = members.shape
    n_c = len(units.names)
    iu, ju = np.triu_indices(n_c, 1)
    x = units.test[members]
    if method == "crossnobis":
        n_f = units.n_runs
        flat = x.reshape(b, v * n_f, n_c)
        if units.balanced:
            mean = x.sum(axis=2)
            gram = np.matmul(mean.transpose(0, 2, 1), mean)
            gram -= np.matmul(flat.transpose(0, 2, 1), flat)
            diag = np.diagonal(gram, axis1=1, axis2=2)
            out = diag[:, iu] + diag[:, ju] - 2.0 * gram[:, iu, ju]
            return out / (sizes[:, None] * (n_f * (n_f - 1.0)))
        train = units.other[members].reshape(b, v * n_f, n_c)
        gram = np.matmul(train.transpose(0, 2, 1), flat)
        diag = np.diagonal(gram, axis1=1, axis2=2)
        out = diag[:, iu] + diag[:, ju] - gram[:, iu, ju] - gram[:, ju, iu]
        return out / (sizes[:, None] * n_f)
    if method == "poisson":
        gram = np.matmul(x.transpose(0, 2, 1), units.other[members])
        diag = np.diagonal(gram, axis1=1, axis2=2)
        out = diag[:, iu] + diag[:, ju] - gram[:, iu, ju] - gram[:, ju, iu]
        return out / sizes[:, None]
    if method == "correlation":
        x -= (x.sum(axis=1) / sizes[:, None])[:, None, :]
        x *= (np.arange(v) < sizes[:, None])[:, :, None]
    gram = np.matmul(x.transpose(0, 2, 1), x)
    diag = np.diagonal(gram, axis1=1, axis2=2)
    if method in ("correlation", "cosine"):
        flat = diag <= (1e-12 * units.scale) ** 2
        if np.any(flat):
            what = "constant" if method == "correlation" else "all-zero"
            raise ValidationError(
                f"{method} distance is undefined for {what} patterns, found in "
                f"{int(flat.any(axis=1).sum())} searchlight(s) of this batch; use "
                "method='euclidean' or drop the flat units from the mask."
            )
        inv = 1.0 / np.sqrt(diag)
        return 1.0 - gram[:, iu, ju] * inv[:, iu] * inv[:, ju]
    out = diag[:, iu] + diag[:, ju] - 2.0 * gram[:, iu, ju]
    return out / sizes[:, None]


def _padded(nb: Neighbourhoods, rows: np.ndarray, pad: int) -> np.ndarray:
    sizes = nb.sizes[rows]
    width = int(sizes.max())
    pos = nb.indptr[rows][:, None] + np.arange(width)
    valid = np.arange(width) < sizes[:, None]
    return np.where(valid, nb.indices[np.minimum(pos, nb.indices.size - 1)], pad)


def _estimate_bytes(
    units: _Units, nb: Neighbourhoods, batch: int, n_workers: int
) -> dict[str, int]:
    n_c = len(units.names)
    n_pairs = n_c * (n_c - 1) // 2
    width = int(nb.sizes.max())
    arrays = units.test.nbytes + (0 if units.other is None else units.other.nbytes)
    per_batch = batch * (2 * width * units.row_bytes + 4 * n_c * n_c * 8)
    return {
        "RDMs": len(nb) * n_pairs * 8,
        "unit arrays": arrays,
        "batches": per_batch * n_workers,
    }


def searchlight_rdms(
    responses_or_array: Responses | Any,
    neighbourhoods: Neighbourhoods | Sequence[Any],
    method: str = "correlation",
    *,
    noise: Any = None,
    n_jobs: int = 1,
    batch_size: int | None = None,
    prior_lambda: float = 1.0,
    prior_weight: float = 0.1,
    verbose: bool = True,
) -> RDMs:
    """One RDM per searchlight, with :func:`compute_rdm`'s methods and conventions.

    Searchlights are processed in batches of similar size; each batch is one
    vectorised computation on ``(batch, n_members, n_conditions)`` arrays
    gathered from unit-major copies of the condition means (per run for
    crossnobis, computed once). The estimated peak memory is printed first.

    Parameters
    ----------
    responses_or_array : Responses or array-like, shape (n_rows, n_units)
        Patterns; an array is taken as one row per condition. Crossnobis needs
        Responses with runs.
    neighbourhoods : Neighbourhoods or sequence of index sequences
        Columns of each searchlight, e.g. from :func:`volume_neighbourhoods`.
    method : str
        As in :func:`compute_rdm`: ``"euclidean"``, ``"correlation"``,
        ``"cosine"``, ``"mahalanobis"``, ``"crossnobis"``, ``"poisson"``.
    noise : array-like, shape (n_units,), optional
        Diagonal noise precision (one value per unit), for mahalanobis/crossnobis.
    n_jobs : int
        Threads working on batches (``-1``: all cores).
    batch_size : int, optional
        Searchlights per batch; by default about 32 MiB of gathered data.
    prior_lambda, prior_weight : float
        Prior of the ``"poisson"`` distance.
    verbose : bool
        Print the memory estimate and show a progress bar.

    Returns
    -------
    RDMs
        ``n_centres`` RDMs; the ``"centre"`` descriptor holds each centre's column.

    Examples
    --------
    >>> import numpy as np
    >>> nb = volume_neighbourhoods(np.ones((4, 4, 4)), 1.0, min_fraction=0.0)
    >>> x = np.random.default_rng(0).normal(size=(5, 64))
    >>> searchlight_rdms(x, nb, "euclidean", verbose=False).n_rdms
    64
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    check_option(method, "method", RDM_METHODS)
    check_type(n_jobs, "n_jobs", int)
    if n_jobs == 0 or n_jobs < -1:
        raise ValidationError(f"n_jobs must be -1 or a positive int, got {n_jobs}.")
    responses = responses_or_array
    if not isinstance(responses, Responses):
        responses = Responses(check_array(responses, "responses_or_array", ndim=2))
    if responses.data.ndim != 2:
        raise ValidationError(
            f"searchlight_rdms needs 2-D patterns, got shape {responses.data.shape}."
        )
    check_finite(responses.data, "responses_or_array")
    if responses.n_conditions < 2:
        raise ValidationError(
            f"an RDM needs at least 2 conditions, got {responses.n_conditions}."
        )
    nb = neighbourhoods
    if not isinstance(nb, Neighbourhoods):
        nb = Neighbourhoods.from_lists(nb, responses.n_units)
    if nb.n_units != responses.n_units:
        raise ValidationError(
            f"the neighbourhoods index {nb.n_units} units but the data have "
            f"{responses.n_units} columns; mask the data with the same mask "
            "(data[mask] / NiftiMasker(mask_img)) or rebuild the neighbourhoods."
        )
    units = _Units(responses, method, noise, prior_lambda, prior_weight)
    width = int(nb.sizes.max())
    if batch_size is None:
        batch_size = max(1, 32 * 2**20 // (width * units.row_bytes))
    check_scalar(batch_size, "batch_size", kind=(int, np.integer), min_val=1)
    n_workers = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    parts = _estimate_bytes(units, nb, batch_size, n_workers)
    n_c = len(units.names)
    message = (
        f"searchlight_rdms: {len(nb)} searchlights of {nb.sizes.min()}-{width} units, "
        f"{n_c} conditions ({method}); estimated memory on top of the data "
        f"{sum(parts.values()) / 2**30:.2f} GiB ("
        + ", ".join(f"{k} {v / 2**30:.2f}" for k, v in parts.items())
        + ")"
    )
    if verbose:
        print(message, flush=True)
    else:
        logger.info(message)
    out = np.empty((len(nb), n_c * (n_c - 1) // 2))
    order = np.argsort(nb.sizes, kind="stable")
    batches = [order[i : i + batch_size] for i in range(0, order.size, batch_size)]
    pad = responses.n_units

    def run(rows: np.ndarray) -> int:
        members = _padded(nb, rows, pad)
        sizes = nb.sizes[rows].astype(float)
        out[rows] = _batch_rdms(units, method, members, sizes)
        return rows.size

    bar = tqdm(total=len(nb), desc="searchlight RDMs", disable=not verbose)
    with _blas_threads(1 if n_workers > 1 else None):
        tasks = (delayed(run)(rows) for rows in batches)
        for done in Parallel(
            n_jobs=n_jobs, prefer="threads", return_as="generator_unordered"
        )(tasks):
            bar.update(done)
    bar.close()
    measure = f"squared {method}" if method in ("euclidean", "mahalanobis") else method
    return RDMs(
        out, units.names, measure=measure, descriptors={"centre": nb.centres.tolist()}
    )


@contextmanager
def _blas_threads(limit: int | None) -> Iterator[None]:
    """One BLAS thread per worker when workers run in parallel."""
    if limit is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=limit, user_api="blas"):
        yield


def searchlight_evaluate(
    rdms: RDMs,
    models: Any,
    method: str = "corr",
    *,
    n_jobs: int = 1,
) -> np.ndarray:
    """Compare every searchlight RDM with every model: one map per model.

    Parameters
    ----------
    rdms : RDMs
        Searchlight RDMs from :func:`searchlight_rdms`.
    models : RDMs, FixedModel or sequence of FixedModel
        Model RDMs over the same conditions (aligned by label).
    method : str
        A :func:`compare` method (``"corr"``, ``"spearman"``, ``"tau-a"``...).
    n_jobs : int
        Threads for the Kendall methods.

    Returns
    -------
    numpy.ndarray, shape (n_models, n_searchlights)
        Use :meth:`Neighbourhoods.to_image` to turn a row into a brain map.

    Examples
    --------
    >>> import numpy as np
    >>> nb = volume_neighbourhoods(np.ones((3, 3, 3)), 1.0, min_fraction=0.0)
    >>> x = np.random.default_rng(0).normal(size=(4, 27))
    >>> sl = searchlight_rdms(x, nb, "euclidean", verbose=False)
    >>> searchlight_evaluate(sl, sl[0], "corr").shape
    (1, 27)
    """
    check_type(rdms, "rdms", RDMs)
    if isinstance(models, FixedModel):
        models = [models]
    if not isinstance(models, RDMs):
        if not isinstance(models, Sequence) or not all(
            isinstance(m, FixedModel) for m in models
        ):
            raise ValidationError(
                "models must be RDMs, a FixedModel or a list of FixedModels; fit "
                "weighted models per searchlight with evaluate_models instead."
            )
        models = RDMs.concat([m.rdm for m in models])
    return compare(rdms, models, method, n_jobs=n_jobs).T
