"""The ``neurokit-ai clean`` command: muscle-artifact removal on a recording file."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["add_clean_parser", "run_clean"]


def add_clean_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``clean``: recording file -> cleaned .fif/.npz (+ before/after plots).

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_clean_parser(sub).prog.endswith("clean")
    True
    """
    p = subparsers.add_parser(
        "clean",
        help="remove muscle (EMG) artifacts from EEG with AT-AT",
        description=(
            "Remove muscle artifacts from the EEG channels of a recording with "
            "AT-AT (shipped weights) or a baseline, and write the cleaned "
            "recording (.fif for MNE, .npz for neurokit_ai: read it back with "
            "neurokit_ai.io.read_recording or neurokit-ai info) with, optionally, "
            "before/after trace and spectrum plots."
        ),
    )
    p.add_argument("path", help="recording file (any format neurokit-ai info reads)")
    p.add_argument(
        "--out", type=Path, required=True, help="output file, ending in .fif or .npz"
    )
    p.add_argument(
        "--method", default="atat", choices=["atat", "cnn", "transformer", "filter"]
    )
    p.add_argument(
        "--weights",
        default="shipped",
        help="weight file (default: the shipped AT-AT weights)",
    )
    p.add_argument(
        "--picks",
        nargs="+",
        default=None,
        help="channel names to clean (default: every EEG channel)",
    )
    p.add_argument(
        "--plots",
        type=Path,
        default=None,
        help="folder for clean_traces.png and clean_spectra.png",
    )
    p.set_defaults(handler=run_clean)
    return p


def _write(rec: Any, out: Path) -> None:
    if out.suffix == ".npz":
        from ..io import write_recording

        write_recording(rec, out)
        return
    raw = rec.to_mne()
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        staged = Path(tmp) / out.name
        raw.save(staged, overwrite=True, verbose=False)
        os.replace(staged, out)


def run_clean(args: argparse.Namespace) -> int:
    """Run the ``clean`` command; returns the exit status."""
    import numpy as np

    from ..artifacts import ArtifactRemover
    from ..artifacts._signal import band_power
    from ..core import ValidationError, check_path
    from ..io import read_recording

    out = check_path(args.out, "--out", must_exist=False)
    if out.suffix not in (".fif", ".npz") or (
        out.suffix == ".fif" and not out.name.endswith(("raw.fif", "eeg.fif"))
    ):
        raise ValidationError(
            f"--out {str(out)!r} must end in raw.fif / eeg.fif (MNE) or .npz "
            "(neurokit_ai archive)."
        )
    check_path(out.parent, "--out's folder", kind="dir")
    if args.plots is not None:
        check_path(args.plots, "--plots", kind="dir")
    if args.method in ("cnn", "transformer") and args.weights == "shipped":
        raise ValidationError(
            f"--method {args.method} has no shipped weights; pass --weights FILE "
            "(written by neurokit_ai.artifacts.save_weights) or use --method atat."
        )
    rec = read_recording(args.path)
    remover = ArtifactRemover(
        method=args.method,
        weights=None if args.method == "filter" else args.weights,
        picks="eeg" if args.picks is None else args.picks,
    ).fit()
    cleaned = remover.transform(rec)
    names = cleaned.metadata["artifact_removal"]["channels"]
    before, after = rec.get_data(names), cleaned.get_data(names)
    hi = [
        band_power(x, rec.sfreq, 20.0, 45.0, int(2 * rec.sfreq)).sum()
        for x in (before, after)
    ]
    lo = [
        band_power(x, rec.sfreq, 1.0, 12.0, int(2 * rec.sfreq)).sum()
        for x in (before, after)
    ]
    _write(cleaned, out)
    print(
        f"{args.method}: cleaned {len(names)} channel(s) of {rec.source} "
        f"({rec.duration:.1f} s at {rec.sfreq:g} Hz, {remover.n_parameters_} "
        f"parameters); 20-45 Hz power x{hi[1] / hi[0]:.2f}, 1-12 Hz power "
        f"x{lo[1] / lo[0]:.2f}, correlation with the input "
        f"{np.corrcoef(before.ravel(), after.ravel())[0, 1]:.3f}"
    )
    print(f"wrote {out}")
    if args.plots is not None:
        from ..viz._artifacts import plot_cleaning, plot_cleaning_spectra
        from ..viz._files import save_figure

        for name, fig in (
            ("clean_traces.png", plot_cleaning(rec, cleaned)),
            ("clean_spectra.png", plot_cleaning_spectra(rec, cleaned)),
        ):
            print(f"wrote {save_figure(fig, Path(args.plots) / name)}")
    return 0
