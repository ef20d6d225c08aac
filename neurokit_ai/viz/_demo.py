"""The sample pipeline behind ``neurokit-ai demo``: one small function per stage.

Each stage takes the output folder, saves its PNG figures there (atomically)
and returns a section for :func:`write_html_summary`. Adding a stage is one
line in :data:`DEMO_STAGES`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core import check_path
from ._common import new_figure
from ._demo_ann import ann_concepts_stage, ann_stage
from ._demo_artifacts import artifacts_stage
from ._demo_celltypes import celltypes_stage
from ._demo_connectome import connectome_stage
from ._demo_decoding import decoding_stage
from ._demo_rsa import rsa_stage
from ._demo_speech import speech_stage
from ._demo_spiking import spiking_stage
from ._files import save_figure
from ._positions import plot_positions
from ._report import Report
from ._responses import plot_responses
from ._spectra import plot_psd
from ._spikes import plot_raster
from ._traces import plot_recording

__all__ = ["DemoStage", "DEMO_STAGES", "run_demo"]

Section = dict[str, Any]


@dataclass(frozen=True)
class DemoStage:
    """One step of the demo: a heading and ``run(out_dir) -> section dict``."""

    name: str
    run: Callable[[Path], Section]


def _save(fig: Any, out_dir: Path, name: str) -> Path:
    return save_figure(fig, out_dir / f"{name}.png")


def eeg_stage(out_dir: Path) -> Section:
    """Filter the EEG sample 1–40 Hz, show its spectrum and face/house responses."""
    from ..datasets import load_sample
    from ..preprocessing import epochs_to_responses, filter_recording

    rec = load_sample("eeg")
    filtered = filter_recording(rec, 1.0, 40.0)
    epochs = {
        "picks": "eeg",
        "tmin": -0.2,
        "tmax": 0.5,
        "baseline": (-0.2, 0.0),
        "average": True,
    }
    evoked = epochs_to_responses(filtered, **epochs)
    responses = epochs_to_responses(filtered, window=(0.1, 0.3), **epochs)
    conds = [str(c) for c in responses.condition_names]
    diff = responses.data[0] - responses.data[1]
    top = np.argsort(-np.abs(diff))[:5]
    figures = [
        _save(
            plot_recording(filtered, picks="eeg", duration=10.0), out_dir, "eeg_traces"
        ),
        _save(plot_psd(filtered, picks="eeg", fmax=60.0), out_dir, "eeg_psd"),
        _save(plot_responses(evoked), out_dir, "eeg_evoked"),
        _save(plot_responses(responses), out_dir, "eeg_responses"),
    ]
    text = (
        f"{rec.n_channels} channels at {rec.sfreq:g} Hz, {rec.duration:g} s, "
        f"band-pass 1–40 Hz, {len(rec.annotations)} events. Epochs (−0.2–0.5 s, "
        "baseline −0.2–0 s) averaged per condition, then over 0.1–0.3 s after "
        f"onset: {' vs '.join(conds)}. Largest {conds[0]} − {conds[1]} difference "
        f"at {responses.unit_names[top[0]]} ({diff[top[0]] * 1e6:+.2f} µV)."
    )
    table = [
        {
            "channel": responses.unit_names[i],
            f"{conds[0]} − {conds[1]} (µV)": f"{diff[i] * 1e6:+.2f}",
        }
        for i in top
    ]
    return {"text": text, "figures": figures, "table": table}


def seeg_stage(out_dir: Path) -> Section:
    """Contacts by region, and high-gamma power during words against baseline."""
    from ..datasets import load_sample
    from ..preprocessing import epochs_to_responses, filter_recording

    rec = load_sample("seeg")
    contacts = rec.pick("seeg")
    band = filter_recording(contacts, 70.0, 150.0)
    power = band.copy()
    power.data[:] = band.data**2
    during = epochs_to_responses(power, tmin=-0.5, tmax=1.0, window=(0.0, 0.5))
    before = epochs_to_responses(power, tmin=-0.5, tmax=1.0, window=(-0.5, 0.0))
    change_db = 10.0 * np.log10(during.data.mean(axis=0) / before.data.mean(axis=0))
    regions = np.asarray(contacts.channel_info["region"]).astype(str)
    names = list(dict.fromkeys(regions.tolist()))
    per_region = [float(change_db[regions == r].mean()) for r in names]
    planted = set(rec.metadata.get("responsive_regions", ()))
    fig = new_figure(7.0, 0.4 * len(names) + 1.2)
    ax = fig.add_subplot()
    colors = ["tab:purple" if r in planted else "tab:gray" for r in names]
    ax.barh(names, per_region, color=colors)
    ax.invert_yaxis()
    ax.axvline(0.0, color="k", lw=0.8)
    ax.set_xlabel("High-gamma change (dB); purple: planted responsive regions")
    ax.set_title("High gamma: words (0–0.5 s) vs baseline (−0.5–0 s)")
    figures = [
        _save(plot_positions(contacts), out_dir, "seeg_positions"),
        _save(fig, out_dir, "seeg_high_gamma"),
    ]
    best = names[int(np.argmax(per_region))]
    text = (
        f"{contacts.n_channels} contacts in {len(names)} regions, "
        f"{during.n_observations} words. High-gamma (70–150 Hz) power rises most "
        f"in {best} ({max(per_region):+.2f} dB over baseline)."
    )
    table = [
        {
            "region": r,
            "contacts": int((regions == r).sum()),
            "change (dB)": f"{v:+.2f}",
            "planted responsive": "yes" if r in planted else "no",
        }
        for r, v in zip(names, per_region)
    ]
    return {"text": text, "figures": figures, "table": table}


def fmri_stage(out_dir: Path) -> Section:
    """Block responses of every voxel to every condition, against planted tuning."""
    from ..datasets import load_sample
    from ..preprocessing import epochs_to_responses

    rec = load_sample("fmri")
    signal = rec.copy()
    mean = rec.data.mean(axis=1, keepdims=True)
    signal.data[:] = (rec.data / mean - 1.0) * 100.0
    block = float(np.median(rec.annotations.duration))
    lag = 5.0
    responses = epochs_to_responses(
        signal,
        tmin=0.0,
        tmax=block + lag,
        picks="fmri",
        average=True,
        window=(lag, block + lag),
    )
    planted = np.asarray(rec.channel_info["preferred"]).astype(str)
    order = np.argsort(planted, kind="stable")
    conds = np.asarray([str(c) for c in responses.condition_names])
    found = conds[responses.data.argmax(axis=0)]
    rows = []
    for c in conds:
        tuned = planted == c
        rows.append(
            {
                "condition": c,
                "planted voxels": int(tuned.sum()),
                "recovered": int((found[tuned] == c).sum()),
            }
        )
    selective = np.isin(planted, conds)
    accuracy = float((found[selective] == planted[selective]).mean())
    figures = [
        _save(plot_responses(responses.select_units(order)), out_dir, "fmri_responses")
    ]
    text = (
        f"{responses.n_units} voxels, TR {1.0 / rec.sfreq:g} s, "
        f"{responses.n_conditions} conditions in {block:g} s blocks; % signal "
        f"change averaged {lag:g}–{block + lag:g} s after block onset "
        "(haemodynamic lag). Voxels sorted by planted preference. The strongest "
        f"condition matches the planted one in {accuracy:.1%} of the "
        f"{int(selective.sum())} selective voxels."
    )
    return {"text": text, "figures": figures, "table": rows}


def calcium_stage(out_dir: Path) -> Section:
    """ΔF/F with neuropil subtraction; correlations sorted by planted ensemble."""
    from ..datasets import load_sample
    from ..preprocessing import delta_f_over_f

    rec = load_sample("calcium")
    dff = delta_f_over_f(
        rec, neuropil=rec.metadata["neuropil"], coef=rec.metadata["neuropil_coef"]
    )
    ensemble = np.asarray(rec.channel_info["ensemble"])
    order = np.argsort(ensemble, kind="stable")
    corr = np.corrcoef(dff.data[order])
    label = ensemble[order]
    member = label >= 0
    pairs = member[:, None] & member[None, :] & ~np.eye(label.size, dtype=bool)
    same = label[:, None] == label[None, :]
    within = float(corr[pairs & same].mean())
    between = float(corr[pairs & ~same].mean())
    fig = new_figure(5.5, 4.5)
    ax = fig.add_subplot()
    image = ax.imshow(corr, cmap="RdBu_r", vmin=-1.0, vmax=1.0, interpolation="nearest")
    ax.set_title("ΔF/F correlation, ROIs sorted by planted ensemble")
    ax.set_xlabel("ROI")
    ax.set_ylabel("ROI")
    fig.colorbar(image, ax=ax, label="Pearson r")
    figures = [
        _save(
            plot_recording(dff, picks=list(range(20)), duration=60.0),
            out_dir,
            "calcium_dff",
        ),
        _save(fig, out_dir, "calcium_correlation"),
    ]
    n_ens = len(set(label[member].tolist()))
    text = (
        f"{rec.n_channels} ROIs at {rec.sfreq:g} Hz, ΔF/F with neuropil "
        f"subtraction. Mean correlation within the {n_ens} planted ensembles "
        f"{within:.3f}, between ensembles {between:.3f} "
        f"({int((~member).sum())} ROIs belong to none)."
    )
    table = {"within r": f"{within:.3f}", "between r": f"{between:.3f}"}
    return {"text": text, "figures": figures, "table": table}


def lagged_counts(counts: np.ndarray, n_lags: int) -> np.ndarray:
    """Stack spike counts at lags ``0..n_lags-1`` bins: ``(n_times, n_units·n_lags)``.

    Rows before the first full history are zero-padded.

    Examples
    --------
    >>> lagged_counts(np.array([[1.0, 2.0, 3.0]]), 2)
    array([[1., 0.],
           [2., 1.],
           [3., 2.]])
    """
    n_units, n_times = counts.shape
    out = np.zeros((n_times, n_units * n_lags))
    for lag in range(n_lags):
        out[lag:, lag::n_lags] = counts[:, : n_times - lag].T
    return out


def reaching_stage(out_dir: Path) -> Section:
    """M1 raster and a cross-validated ridge decoder of hand velocity."""
    from sklearn.linear_model import Ridge
    from sklearn.metrics import r2_score
    from sklearn.model_selection import KFold, cross_val_predict

    from ..datasets import load_sample

    rec = load_sample("reaching")
    counts = rec.get_data("spikes")
    velocity = rec.get_data(["vel_x", "vel_y"]).T
    features = lagged_counts(counts, n_lags=5)
    predicted = cross_val_predict(
        Ridge(alpha=10.0), features, velocity, cv=KFold(n_splits=5, shuffle=False)
    )
    r2 = [r2_score(velocity[:, k], predicted[:, k]) for k in range(2)]
    shown = slice(0, min(rec.n_times, int(round(20.0 * rec.sfreq))))
    fig = new_figure(9.0, 4.0)
    times = rec.times[shown]
    for k, axis in enumerate(("vel_x", "vel_y")):
        ax = fig.add_subplot(2, 1, k + 1)
        ax.plot(times, velocity[shown, k], color="k", lw=1.0, label="measured")
        ax.plot(times, predicted[shown, k], color="tab:orange", lw=1.0, label="decoded")
        ax.set_ylabel(f"{axis} (R² {r2[k]:.3f})")
    fig.axes[0].legend(fontsize=7, loc="upper right")
    fig.axes[-1].set_xlabel("Time (s)")
    figures = [
        _save(
            plot_raster(rec, tmax=min(rec.duration, 30.0)), out_dir, "reaching_raster"
        ),
        _save(fig, out_dir, "reaching_decoder"),
    ]
    text = (
        f"{counts.shape[0]} units in {1000.0 / rec.sfreq:g} ms bins, "
        f"{rec.duration:g} s. Ridge decoder of hand velocity from 5 lags of spike "
        f"counts, 5-fold cross-validation without shuffling: R² vel_x = {r2[0]:.3f}, "
        f"R² vel_y = {r2[1]:.3f}."
    )
    return {
        "text": text,
        "figures": figures,
        "table": {"R² vel_x": f"{r2[0]:.3f}", "R² vel_y": f"{r2[1]:.3f}"},
    }


#: The demo's stages, in order.
DEMO_STAGES: list[DemoStage] = [
    DemoStage("EEG: filtering, spectrum and face/house responses", eeg_stage),
    DemoStage("EEG: muscle-artifact removal with AT-AT", artifacts_stage),
    DemoStage("sEEG: contacts by region and high-gamma during words", seeg_stage),
    DemoStage("Speech from sEEG: Du-IN word decoding (simulated)", speech_stage),
    DemoStage("fMRI: block responses per condition", fmri_stage),
    DemoStage("Calcium imaging: ΔF/F and ensemble correlations", calcium_stage),
    DemoStage("Reaching (M1): raster and velocity decoder", reaching_stage),
    DemoStage("Dynamic functional connectome (calcium, NTF)", connectome_stage),
    DemoStage("Functional cell types (most discriminative stimuli)", celltypes_stage),
    DemoStage("Closed-loop cursor control (simulated BCI)", decoding_stage),
    DemoStage("Brains vs networks: RSA of the layers of a small network", rsa_stage),
    DemoStage("Inside a network: activation and attribution patching", ann_stage),
    DemoStage(
        "Inside a network: concepts (CRAFT) and subset attribution",
        ann_concepts_stage,
    ),
    DemoStage(
        "Spiking reservoir: Izhikevich network and three-factor readout", spiking_stage
    ),
]


def run_demo(
    out_dir: str | os.PathLike = "neurokit_ai_demo",
    *,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
    stages: list[DemoStage] | None = None,
) -> list[Path]:
    """Run the sample pipeline on the bundled samples and write a one-page report.

    Every figure is saved as a PNG in ``out_dir`` and the report as
    ``out_dir/index.html``; each file is written atomically, and the report only
    after every stage succeeded, so a failed run never leaves a half-written
    ``index.html``. Nothing is downloaded.

    Parameters
    ----------
    out_dir : str or path-like
        Output folder (created if needed).
    progress : bool
        Show a tqdm bar over the stages.
    echo : callable, optional
        Called with one line per stage result and per written file (the CLI
        passes ``print``); ``None`` prints nothing.
    stages : list of DemoStage, optional
        Stages to run; default :data:`DEMO_STAGES`.

    Returns
    -------
    list of Path
        The written files, ``index.html`` last.

    Examples
    --------
    >>> files = run_demo("demo_out", progress=False)  # doctest: +SKIP
    >>> files[-1].name  # doctest: +SKIP
    'index.html'
    """
    from tqdm.auto import tqdm

    out = check_path(out_dir, "out_dir", must_exist=False)
    out.mkdir(parents=True, exist_ok=True)
    say = echo or (lambda line: None)
    report = Report("neurokit_ai demo")
    written: list[Path] = []
    for stage in tqdm(
        stages or DEMO_STAGES, desc="demo", unit="stage", disable=not progress
    ):
        section = stage.run(out)
        report.add_section(stage.name, **section)
        say(f"{stage.name}: {section.get('text', '')}")
        written.extend(Path(f) for f in section.get("figures", []))
    written.append(report.save(out / "index.html"))
    for path in written:
        say(f"wrote {path}")
    say(f"output folder: {out.resolve()}")
    return written
