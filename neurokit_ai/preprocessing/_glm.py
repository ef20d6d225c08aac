"""fMRI GLM estimates as Responses: one pattern per condition and run (nilearn)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import Annotations, Recording, Responses, ValidationError
from ..core._validation import check_option, check_scalar

__all__ = ["glm_responses"]


def _events_frame(events: Any, name: str) -> Any:
    import pandas as pd

    if isinstance(events, str | os.PathLike):
        from ..io._fmri import read_events_tsv

        events = read_events_tsv(events)
    if isinstance(events, Annotations):
        events = pd.DataFrame(
            {
                "onset": events.onset,
                "duration": events.duration,
                "trial_type": [str(d) for d in events.description],
            }
        )
    if not isinstance(events, pd.DataFrame):
        raise ValidationError(
            f"{name} must be a DataFrame, an events .tsv path or Annotations, got "
            f"{type(events).__name__}."
        )
    missing = [c for c in ("onset", "duration", "trial_type") if c not in events]
    if missing:
        raise ValidationError(
            f"{name} lacks columns {missing}; it needs onset, duration and "
            "trial_type (BIDS events)."
        )
    if events.empty:
        raise ValidationError(f"{name} holds no events.")
    return events[["onset", "duration", "trial_type"]].copy()


def _run_data(img: Any, mask: Any, name: str) -> tuple[np.ndarray, list[str], str]:
    """(n_scans, n_voxels) data, voxel names and a source label."""
    if isinstance(img, Recording):
        return img.data.T, list(img.ch_names), str(img.source or "recording")
    if isinstance(img, str | os.PathLike):
        from ..io._fmri import read_nifti

        rec = read_nifti(img, mask=mask)
        return rec.data.T, list(rec.ch_names), str(img)
    import nibabel as nib

    if isinstance(img, nib.spatialimages.SpatialImage):
        from nilearn.maskers import NiftiMasker

        if mask is None:
            data = np.asarray(img.get_fdata(), dtype=float)
            return data.reshape(-1, data.shape[-1]).T, None, "image"
        data = NiftiMasker(mask_img=mask).fit_transform(img)
        return np.asarray(data, dtype=float), None, "image"
    raise ValidationError(
        f"{name} must be a 4-D NIfTI path or image or an fMRI Recording, got "
        f"{type(img).__name__}."
    )


def glm_responses(
    img_or_recording: Any,
    events: Any = None,
    *,
    t_r: float,
    mask: Any = None,
    hrf_model: str = "glover",
    drift_model: str | None = "cosine",
    high_pass: float = 0.01,
    noise_model: str = "ar1",
    signal_scaling: bool = True,
    conditions: Sequence[str] | None = None,
) -> Responses:
    """Fit a first-level GLM and return the condition betas as Responses.

    One regressor per ``trial_type`` (nilearn's
    ``make_first_level_design_matrix``), fitted per run with nilearn's
    ``run_glm`` (AR(1) noise by default), as ``FirstLevelModel`` does.

    Parameters
    ----------
    img_or_recording : path, nibabel image, Recording, or a list of them
        The BOLD time series of one run, or one per run.
    events : DataFrame, events .tsv path, Annotations, or a list of them
        Onsets/durations (s) and ``trial_type`` per run; a Recording's own
        annotations are used when omitted.
    t_r : float
        Repetition time in seconds.
    mask : path or image, optional
        Brain mask for NIfTI inputs; without one every voxel is kept.
    hrf_model, drift_model, high_pass, noise_model
        As in nilearn's ``FirstLevelModel``.
    signal_scaling : bool
        Scale each voxel to percent signal change first (nilearn's default);
        voxels with zero mean are set to 0.
    conditions : sequence of str, optional
        Conditions to keep (default: every trial_type, sorted).

    Returns
    -------
    Responses
        One row per condition and run (``runs`` set), ``source="brain:..."``;
        ``metadata["residuals"]`` holds each run's residuals (scans x voxels) and
        ``metadata["dof"]`` their degrees of freedom, for
        :func:`neurokit_ai.rsa.noise_precision`.

    Examples
    --------
    >>> r = glm_responses("bold.nii.gz", "events.tsv", t_r=2.5,
    ...                   mask="brain.nii.gz")  # doctest: +SKIP
    """
    from nilearn.glm.first_level import (
        make_first_level_design_matrix,
        mean_scaling,
        run_glm,
    )

    check_scalar(t_r, "t_r", min_val=0, include_min=False)
    check_option(noise_model, "noise_model", ("ar1", "ols"))
    imgs = (
        list(img_or_recording)
        if isinstance(img_or_recording, list)
        else [img_or_recording]
    )
    if events is None:
        events = [
            r.annotations if isinstance(r, Recording) and len(r.annotations) else None
            for r in imgs
        ]
        if any(e is None for e in events):
            raise ValidationError(
                "events is missing: pass a DataFrame/.tsv per run, or Recordings "
                "with annotations."
            )
    events = list(events) if isinstance(events, list) else [events]
    if len(events) != len(imgs):
        raise ValidationError(
            f"got {len(imgs)} runs but {len(events)} events tables; give one per run."
        )
    rows, conds, runs, residuals, dofs = [], [], [], [], []
    unit_names, source = None, None
    for run, (img, ev) in enumerate(zip(imgs, events)):
        y, names, src = _run_data(img, mask, "img_or_recording")
        ev = _events_frame(ev, "events")
        if y.shape[0] < 3:
            raise ValidationError(
                f"run {run} has {y.shape[0]} scans; a GLM needs a time series."
            )
        if not np.all(np.isfinite(y)):
            raise ValidationError(f"run {run} contains NaN or infinite values.")
        if unit_names is None:
            unit_names, source = names, src
        elif y.shape[1] != len(unit_names or range(y.shape[1])):
            raise ValidationError(
                f"run {run} has {y.shape[1]} voxels, run 0 had a different number."
            )
        if signal_scaling:
            y, _ = mean_scaling(y.copy())
        frame_times = np.arange(y.shape[0]) * t_r
        design = make_first_level_design_matrix(
            frame_times,
            ev,
            hrf_model=hrf_model,
            drift_model=drift_model,
            high_pass=high_pass,
        )
        wanted = conditions or sorted(ev["trial_type"].astype(str).unique())
        absent = [c for c in wanted if c not in design.columns]
        if absent:
            raise ValidationError(
                f"conditions {absent} have no events in run {run}; trial types "
                f"present: {sorted(ev['trial_type'].astype(str).unique())}."
            )
        x = design.to_numpy()
        labels, results = run_glm(y, x, noise_model=noise_model)
        betas = np.empty((x.shape[1], y.shape[1]))
        for lab, res in results.items():
            betas[:, labels == lab] = res.theta
        cols = [list(design.columns).index(c) for c in wanted]
        rows.append(betas[cols])
        conds += list(wanted)
        runs += [run] * len(wanted)
        residuals.append(y - x @ betas)
        dofs.append(int(y.shape[0] - np.linalg.matrix_rank(x)))
    return Responses(
        np.concatenate(rows),
        conditions=conds,
        runs=runs,
        unit_names=unit_names,
        source=f"brain:{source}",
        metadata={"residuals": residuals, "dof": dofs, "t_r": t_r},
    )
