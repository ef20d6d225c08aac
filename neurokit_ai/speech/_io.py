"""Unlabelled windows from any Recording, and a reader for the Du-IN dataset layout."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    FileFormatError,
    Recording,
    ValidationError,
    check_path,
    check_scalar,
)

__all__ = ["make_windows", "DuINTrials", "read_duin_subject"]


def make_windows(
    rec: Recording,
    window: float,
    step: float | None = None,
    picks: Any = None,
) -> np.ndarray:
    """Cut a recording into (overlapping) windows for pre-training.

    Parameters
    ----------
    rec : Recording
        Any continuous recording.
    window : float
        Window length in seconds.
    step : float, optional
        Hop between window starts (s); defaults to ``window`` (no overlap).
    picks : optional
        Channels (names, type or indices, as :meth:`Recording.pick`).

    Returns
    -------
    ndarray, shape (n_windows, n_channels, n_window_samples)
        float32.

    Examples
    --------
    >>> rec = Recording(np.zeros((2, 1000)), 100.0, ["A1", "A2"], "seeg")
    >>> make_windows(rec, 2.0, step=1.0).shape
    (9, 2, 200)
    """
    if not isinstance(rec, Recording):
        raise DTypeError(
            f"rec must be a neurokit_ai Recording, got {type(rec).__name__}."
        )
    check_scalar(window, "window", min_val=0, include_min=False)
    step = window if step is None else step
    check_scalar(step, "step", min_val=0, include_min=False)
    n_win = int(round(window * rec.sfreq))
    hop = max(1, int(round(step * rec.sfreq)))
    if n_win < 2 or n_win > rec.n_times:
        raise ValidationError(
            f"window={window} s is {n_win} samples; it must hold at least 2 and at "
            f"most the recording's {rec.n_times} samples."
        )
    sub = rec if picks is None else rec.pick(picks)
    data = np.asarray(sub.get_data(), dtype=np.float32)
    starts = np.arange(0, rec.n_times - n_win + 1, hop)
    return np.stack([data[:, s : s + n_win] for s in starts])


class _Record(dict):
    """Stand-in for the reference code's ``DotDict`` (a dict with attributes)."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError as err:
            raise AttributeError(key) from err


_ALLOWED = {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
    ("builtins", "dict"),
    ("builtins", "list"),
}


class _DuINUnpickler(pickle.Unpickler):
    """Unpickle only arrays, containers and ``DotDict`` records (no code)."""

    def find_class(self, module: str, name: str) -> Any:
        if name == "DotDict":
            return _Record
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise FileFormatError(
            f"The Du-IN file refers to {module}.{name}, which a dataset file should "
            "not contain; it was not loaded (only arrays and DotDict records are)."
        )


def _load(path: Path) -> Any:
    try:
        with open(path, "rb") as f:
            return _DuINUnpickler(f).load()
    except FileFormatError:
        raise
    except Exception as err:
        raise FileFormatError(
            f"{str(path)!r} is not a readable Du-IN pickle ({err})."
        ) from err


@dataclass
class DuINTrials:
    """Word-reading trials of one Du-IN subject.

    Attributes
    ----------
    X : ndarray, shape (n_trials, n_channels, n_times)
        The ``data_s`` arrays (what Du-IN trains on), float32.
    y : ndarray of str
        The word of each trial.
    ch_names : list of str
        Channels (bipolar pairs in the published data).
    run : ndarray of str
        The run (folder) of each trial, for cross-validation over runs.
    sfreq : float
        1000 Hz (the rate of the published, preprocessed data).
    tmin : float
        -0.5 s: epochs run from 0.5 s before to 2.5 s after word onset.
    """

    X: np.ndarray
    y: np.ndarray
    ch_names: list[str]
    run: np.ndarray
    sfreq: float = 1000.0
    tmin: float = -0.5


def read_duin_subject(
    path: str | os.PathLike,
    ch_names: list[str] | None = None,
    aligned: bool = True,
) -> DuINTrials:
    """Read one subject of the Du-IN 61-word sEEG dataset (Hugging Face layout).

    The layout is ``<subject>/word-recitation/<run>/dataset.bipolar.default.
    <aligned|unaligned>/{data,info}``: ``data`` is a pickled list of records
    (``name``: the word, ``data_s``: ``(n_channels, n_times)`` sEEG), ``info`` a
    pickled record with ``ch_names``. Pickles are read with a restricted
    unpickler that builds only arrays and records, never arbitrary objects.

    Parameters
    ----------
    path : str or path-like
        The subject folder (e.g. ``data/seeg.he2023xuanwu/001``).
    ch_names : list of str, optional
        Channels to keep, in this order (Du-IN uses 10 vSMC/STG channels per
        subject); default: the channels of the first run.
    aligned : bool
        Read the ``aligned`` (default) or ``unaligned`` epochs.

    Returns
    -------
    DuINTrials

    Examples
    --------
    >>> trials = read_duin_subject("data/seeg.he2023xuanwu/001")  # doctest: +SKIP
    >>> trials.X.shape  # doctest: +SKIP
    (3000, 10, 3000)
    """
    if ch_names is not None and (isinstance(ch_names, str) or len(ch_names) == 0):
        raise ValidationError(
            f"ch_names must be a non-empty list of channel names, got {ch_names!r}; "
            "or None for the channels of the first run."
        )
    root = check_path(path, "path", kind="dir")
    task = root / "word-recitation"
    if not task.is_dir():
        raise FileFormatError(
            f"{str(root)!r} has no 'word-recitation' folder; pass a Du-IN subject "
            "folder such as data/seeg.he2023xuanwu/001."
        )
    kind = "aligned" if aligned else "unaligned"
    X, y, runs = [], [], []
    names = None if ch_names is None else list(ch_names)
    for run in sorted(p for p in task.iterdir() if p.is_dir()):
        folder = run / f"dataset.bipolar.default.{kind}"
        if not (folder / "data").is_file() or not (folder / "info").is_file():
            continue
        items, info = _load(folder / "data"), _load(folder / "info")
        try:
            run_names = list(info["ch_names"])
            names = run_names if names is None else names
            missing = [n for n in names if n not in run_names]
            if missing:
                raise ValidationError(
                    f"Run {run.name!r} lacks channels {missing}; its channels are "
                    f"{run_names}. Pass ch_names present in every run."
                )
            idx = [run_names.index(n) for n in names]
            for item in items:
                X.append(np.asarray(item["data_s"], dtype=np.float32)[idx])
                y.append(str(item["name"]))
                runs.append(run.name)
        except (KeyError, TypeError) as err:
            raise FileFormatError(
                f"{str(folder)!r} does not hold Du-IN records (name, data_s; "
                f"info.ch_names): missing {err}."
            ) from err
    if not X:
        raise FileFormatError(
            f"No run of {str(task)!r} holds dataset.bipolar.default.{kind}/"
            "{data,info}; check the path and the aligned flag."
        )
    lengths = sorted({x.shape[1] for x in X})
    if len(lengths) > 1:
        raise FileFormatError(
            f"The trials have unequal lengths {lengths}; the Du-IN files are damaged."
        )
    return DuINTrials(np.stack(X), np.asarray(y), names, np.asarray(runs))
