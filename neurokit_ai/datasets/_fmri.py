"""Simulated block-design fMRI: HRF-convolved boxcars in condition-selective voxels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import (
    Annotations,
    DTypeError,
    Recording,
    ValidationError,
    check_random_state,
    check_scalar,
)
from ._common import check_count, simulation_metadata

__all__ = ["simulate_fmri_block", "double_gamma_hrf"]

_OVERSAMPLING = 16
VOXEL_SIZE_MM = 3.0


def double_gamma_hrf(times: np.ndarray) -> np.ndarray:
    """The canonical (SPM) double-gamma haemodynamic response, peak 1.

    ``h(t) = g(t; 6) − g(t; 16) / 6`` with ``g(t; a)`` the gamma density of
    shape ``a`` and unit scale; zero for ``t < 0``.

    Parameters
    ----------
    times : ndarray
        Seconds after a neural impulse.

    Examples
    --------
    >>> t = np.arange(0.0, 32.0, 0.1)
    >>> round(float(t[np.argmax(double_gamma_hrf(t))]), 1)
    5.0
    """
    from scipy.stats import gamma

    times = np.asarray(times, dtype=float)
    h = gamma.pdf(times, 6.0) - gamma.pdf(times, 16.0) / 6.0
    fine = np.arange(0.0, 32.0, 0.01)
    return h / np.max(gamma.pdf(fine, 6.0) - gamma.pdf(fine, 16.0) / 6.0)


def _check_conditions(conditions: Sequence[str]) -> list[str]:
    if isinstance(conditions, str) or not all(isinstance(c, str) for c in conditions):
        raise DTypeError(f"conditions must be a sequence of str, got {conditions!r}.")
    conditions = list(conditions)
    if len(conditions) < 2 or len(set(conditions)) != len(conditions):
        raise ValidationError(
            f"conditions must hold at least 2 distinct names, got {conditions}."
        )
    return conditions


def _block_schedule(
    rng: np.random.Generator,
    conditions: list[str],
    block: float,
    total: float,
) -> tuple[np.ndarray, list[str]]:
    """Blocks separated by rests of ``block / 2``, conditions in shuffled cycles."""
    rest = block / 2.0
    n_blocks = int((total - rest) // (block + rest))
    if n_blocks < len(conditions):
        need = rest + len(conditions) * (block + rest)
        raise ValidationError(
            f"{len(conditions)} blocks of {block} s (plus {rest} s rests) do not fit "
            f"in {total} s of scanning; use at least {need:g} s (more volumes) or "
            "shorter blocks."
        )
    n_cycles = -(-n_blocks // len(conditions))
    order = [c for _ in range(n_cycles) for c in rng.permutation(conditions)]
    onsets = rest + (block + rest) * np.arange(n_blocks)
    return onsets, [str(c) for c in order[:n_blocks]]


def _regressors(
    onsets: np.ndarray,
    labels: list[str],
    conditions: list[str],
    block: float,
    t_r: float,
    n_volumes: int,
) -> np.ndarray:
    """HRF-convolved boxcars ``(n_conditions, n_volumes)``, plateau ≈ 1."""
    dt = t_r / _OVERSAMPLING
    n_fine = n_volumes * _OVERSAMPLING
    fine_t = np.arange(n_fine) * dt
    hrf = double_gamma_hrf(np.arange(0.0, 32.0, dt))
    hrf /= hrf.sum()
    out = np.zeros((len(conditions), n_volumes))
    for k, cond in enumerate(conditions):
        box = np.zeros(n_fine)
        for onset, label in zip(onsets, labels):
            if label == cond:
                box[(fine_t >= onset) & (fine_t < onset + block)] = 1.0
        out[k] = np.convolve(box, hrf)[:n_fine:_OVERSAMPLING]
    return out


def simulate_fmri_block(
    n_voxels: int = 500,
    n_volumes: int = 160,
    t_r: float = 2.0,
    conditions: Sequence[str] = ("face", "house", "chair", "shoe"),
    block_duration: float = 20.0,
    random_state: Any = 0,
) -> Recording:
    """Simulate a block-design fMRI run with condition-selective voxel groups.

    Blocks of ``block_duration`` seconds alternate with rests of half that
    length, conditions in shuffled cycles; they are annotated with their
    condition name and duration. Voxels are split into ``len(conditions) + 1``
    equal, spatially contiguous groups: one per condition (its
    ``channel_info["preferred"]``; response 1.5–2.5 % of baseline to it and
    0.2–0.6 % to the others) and one unselective (``"none"``, 0.2–0.6 % to
    every condition). The BOLD signal is baseline (800–1200 a.u.) ×
    (1 + Σ β · regressor / 100) plus a slow drift and AR(1) noise (ρ = 0.4,
    0.5 % of baseline). Regressors are boxcars convolved with the canonical
    double-gamma HRF (:func:`double_gamma_hrf`), sampled at volume times
    ``k · t_r``.

    Voxels sit on a small grid: ``channel_info["ijk"]`` are their indices,
    ``metadata["affine"]`` maps them to millimetres (NIfTI convention, 3 mm
    voxels) and ``metadata["grid_shape"]`` is the grid.

    Parameters
    ----------
    n_voxels : int
        Number of voxels (at least ``len(conditions) + 1``).
    n_volumes : int
        Number of volumes.
    t_r : float
        Repetition time in seconds (``sfreq = 1 / t_r``).
    conditions : sequence of str
        Condition names (at least 2).
    block_duration : float
        Block length in seconds (at least ``t_r``).
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    Recording
        ``(n_voxels, n_volumes)``, channel type ``fmri``.

    Examples
    --------
    >>> rec = simulate_fmri_block(n_voxels=50, n_volumes=100)
    >>> rec.sfreq, sorted(set(rec.channel_info["preferred"].tolist()))
    (0.5, ['chair', 'face', 'house', 'none', 'shoe'])
    """
    conditions = _check_conditions(conditions)
    n_groups = len(conditions) + 1
    n_voxels = check_count(n_voxels, "n_voxels", min_val=n_groups)
    n_volumes = check_count(n_volumes, "n_volumes", min_val=10)
    check_scalar(t_r, "t_r", min_val=0, include_min=False)
    check_scalar(block_duration, "block_duration", min_val=t_r)
    rng = check_random_state(random_state)
    t_r, block = float(t_r), float(block_duration)

    onsets, labels = _block_schedule(rng, conditions, block, n_volumes * t_r)
    regressors = _regressors(onsets, labels, conditions, block, t_r, n_volumes)
    group = np.minimum(np.arange(n_voxels) * n_groups // n_voxels, n_groups - 1)
    preferred = np.array(conditions + ["none"])[group]
    betas = rng.uniform(0.2, 0.6, (n_voxels, len(conditions)))
    selective = group < len(conditions)
    betas[np.flatnonzero(selective), group[selective]] = rng.uniform(
        1.5, 2.5, int(selective.sum())
    )

    times = np.arange(n_volumes) * t_r
    baseline = rng.uniform(800.0, 1200.0, n_voxels)
    drift = 0.5 * np.outer(rng.standard_normal(n_voxels), times / times[-1] - 0.5)
    drift += 0.3 * np.outer(
        rng.standard_normal(n_voxels), np.cos(np.pi * times / times[-1])
    )
    rho = 0.4
    innovations = rng.standard_normal((n_voxels, n_volumes)) * 0.5 * np.sqrt(1 - rho**2)
    noise = np.empty_like(innovations)
    noise[:, 0] = innovations[:, 0] / np.sqrt(1 - rho**2)
    for k in range(1, n_volumes):
        noise[:, k] = rho * noise[:, k - 1] + innovations[:, k]
    percent = betas @ regressors + drift + noise
    data = baseline[:, None] * (1.0 + percent / 100.0)

    side = int(np.ceil(n_voxels ** (1.0 / 3.0)))
    grid = (side, side, int(np.ceil(n_voxels / side**2)))
    ijk = np.column_stack(np.unravel_index(np.arange(n_voxels), grid))
    affine = np.diag([VOXEL_SIZE_MM] * 3 + [1.0])
    affine[:3, 3] = -VOXEL_SIZE_MM * (np.array(grid) - 1) / 2.0
    metadata = simulation_metadata(
        "simulate_fmri_block",
        random_state,
        n_voxels=n_voxels,
        n_volumes=n_volumes,
        t_r=t_r,
        conditions=tuple(conditions),
        block_duration=block,
    )
    metadata.update({"affine": affine, "grid_shape": grid, "t_r": t_r})
    width = len(str(n_voxels - 1))
    return Recording(
        data,
        1.0 / t_r,
        [f"v{i:0{width}d}" for i in range(n_voxels)],
        "fmri",
        annotations=Annotations(onsets, block, labels),
        modality="fmri",
        source="simulated:fmri",
        subject="sim01",
        channel_info={"preferred": preferred, "ijk": ijk},
        metadata=metadata,
    )
