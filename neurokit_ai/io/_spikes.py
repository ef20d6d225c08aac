"""Spikes: MATLAB files of binned counts, and text files of spike times."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core import (
    FileFormatError,
    Recording,
    SpikeTrains,
    ValidationError,
    check_option,
    check_path,
    check_scalar,
)
from ._sniff import sniff_format

__all__ = ["read_binned_mat", "read_spike_times", "regular_step"]

#: Seconds per declared time unit of a spike-time file.
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "μs": 1e-6}
_TIME_NAMES = ("time", "times", "t", "timestamps", "time_s", "bin_times")
_UNIT_COLUMNS = ("unit", "units", "unit_id", "cluster", "cluster_id", "id", "neuron")
_TIME_COLUMNS = ("time", "times", "t", "spike_time", "spike_times", "timestamp")


def regular_step(times: np.ndarray, what: str) -> float:
    """Return the step of a regularly sampled time vector, or raise.

    Each difference must lie within 5 % of the median difference (timestamps
    rounded to the millisecond still pass) and the whole span must match
    ``(n - 1)`` median steps to half a step (no missing samples). The step
    returned is the span divided by ``n - 1``: rounding errors of single
    timestamps shrink by ``n - 1`` instead of biasing the rate.

    Examples
    --------
    >>> regular_step(np.array([0.0, 0.25, 0.5, 0.75]), "time")
    0.25
    """
    times = np.asarray(times, dtype=float).reshape(-1)
    if times.size < 2 or not np.isfinite(times).all():
        raise ValidationError(
            f"{what} must hold at least 2 finite times to give a sampling step, got "
            f"{times.size} value(s). Give bin_width/rate explicitly."
        )
    diffs = np.diff(times)
    step = float(np.median(diffs))
    drift = abs((times[-1] - times[0]) - (times.size - 1) * step)
    if step <= 0 or np.abs(diffs - step).max() > 0.05 * step or drift > 0.5 * step:
        raise ValidationError(
            f"{what} is not regularly sampled: median step {step:g} s, steps range "
            f"{diffs.min():g}..{diffs.max():g} s. Resample the data onto a regular "
            "grid, or read the segments separately."
        )
    return float((times[-1] - times[0]) / (times.size - 1))


def read_binned_mat(
    path: str | os.PathLike,
    *,
    counts: str | None = None,
    time: str | None = None,
    covariates: Sequence[str] | None = None,
    bin_width: float | None = None,
) -> Recording:
    """Read binned spike counts (and behavioural covariates) from a ``.mat`` file.

    Parameters
    ----------
    path : str or path-like
        MATLAB file, v5 (``scipy.io.loadmat``) or v7.3 (HDF5, via pymatreader).
    counts : str, optional
        Variable holding the counts, units × bins or bins × units. Default: the
        largest 2-D array of non-negative integers not named like a time vector.
    time : str, optional
        Variable holding the bin times in seconds. Default: a 1-D vector named
        ``time``, ``times``, ``t``... whose length matches an axis of the counts.
        Its median step is the bin width (checked regular).
    covariates : list of str, optional
        Variables sampled on the same bins (e.g. ``["handPos", "handVel"]``);
        each row becomes a channel of type ``behavior`` named
        ``"{name}_{row}"``.
    bin_width : float, optional
        Bin width in seconds; required when the file has no time vector (the
        first bin then starts at 0 s).

    Returns
    -------
    Recording
        Float64; the spike channels first (type ``spikes``, unit ``count``, named
        ``"unit{i}"``), then the covariates. The bins axis is the one matching
        the time vector (else the covariates, else the longer axis); a square
        count matrix with no time vector is refused. ``metadata["t_start"]`` is
        the first bin time.

    Examples
    --------
    >>> covs = ["handPos", "handVel"]
    >>> rec = read_binned_mat("m1.mat", covariates=covs)  # doctest: +SKIP
    >>> rec.channel_type_counts()  # doctest: +SKIP
    {'spikes': 171, 'behavior': 6}
    """
    path = check_path(path, "path", kind="file")
    if bin_width is not None:
        check_scalar(bin_width, "bin_width", min_val=0, include_min=False)
    if covariates is not None and (
        isinstance(covariates, str) or not all(isinstance(c, str) for c in covariates)
    ):
        raise ValidationError(
            f"covariates must be a list of variable names, got {covariates!r}; e.g. "
            "covariates=['handPos']."
        )
    variables = _load_mat(path)
    listing = _describe(variables)
    counts_name = counts or _find_counts(variables, path, listing)
    count_matrix = _variable(variables, counts_name, "counts", path)
    if count_matrix.ndim != 2 or count_matrix.dtype.kind not in "biuf":
        raise ValidationError(
            f"counts={counts_name!r} in {str(path)!r} is {count_matrix.shape} "
            f"{count_matrix.dtype}, not a 2-D numeric matrix. Variables: {listing}."
        )
    time_name = time or _find_time(variables, count_matrix.shape)
    times = None
    if time_name is not None:
        times = _variable(variables, time_name, "time", path).astype(float).ravel()
    cov_arrays = [_variable(variables, n, "covariates", path) for n in covariates or []]
    n_bins = _bins_length(count_matrix, times, cov_arrays, counts_name, path)
    spikes = count_matrix if count_matrix.shape[1] == n_bins else count_matrix.T
    if times is not None:
        step = regular_step(times, f"time={time_name!r} in {str(path)!r}")
        if bin_width is not None and not np.isclose(step, bin_width, rtol=0.01):
            raise ValidationError(
                f"bin_width={bin_width} s disagrees with the time vector "
                f"{time_name!r} of {str(path)!r} (step {step:g} s); drop bin_width."
            )
        t_start = float(times[0])
    elif bin_width is not None:
        step, t_start = float(bin_width), 0.0
    else:
        raise ValidationError(
            f"{str(path)!r} has no time vector (variables: {listing}), so the bin "
            "width is unknown. Pass time='<variable>' or bin_width=<seconds>."
        )
    rows = [spikes.astype(float)]
    names = [f"unit{i}" for i in range(len(spikes))]
    for name, arr in zip(covariates or [], cov_arrays):
        arr = np.atleast_2d(arr.astype(float))
        arr = arr if arr.shape[1] == n_bins else arr.T
        rows.append(arr)
        names += [f"{name}_{i}" for i in range(len(arr))]
    n_spikes = len(spikes)
    return Recording(
        np.concatenate(rows),
        sfreq=1.0 / step,
        ch_names=names,
        ch_types=["spikes"] * n_spikes + ["behavior"] * (len(names) - n_spikes),
        modality="spikes",
        source=str(path),
        metadata={
            "t_start": t_start,
            "bin_width": step,
            "counts_variable": counts_name,
            "time_variable": time_name,
            "covariates": list(covariates or []),
        },
    )


def _load_mat(path: Path) -> dict[str, Any]:
    kind = sniff_format(path)
    try:
        if kind in ("hdf5", "matlab73"):
            import pymatreader

            variables = pymatreader.read_mat(str(path))
        else:
            import scipy.io

            variables = scipy.io.loadmat(str(path))
    except Exception as err:
        raise FileFormatError(
            f"{str(path)!r} could not be read as a MATLAB file ({err}); it is "
            "corrupt, truncated or not a .mat file. Re-save it in MATLAB."
        ) from err
    return {
        k: np.asarray(v)
        for k, v in variables.items()
        if not k.startswith("__") and isinstance(v, (np.ndarray, int, float))
    }


def _describe(variables: dict[str, np.ndarray]) -> str:
    return ", ".join(f"{k} {v.shape} {v.dtype}" for k, v in variables.items()) or (
        "none"
    )


def _variable(variables: dict, name: str, arg: str, path: Path) -> np.ndarray:
    if not isinstance(name, str):
        raise ValidationError(f"{arg} must be a variable name (str), got {name!r}.")
    if name not in variables:
        check_option(name, f"{arg} (a variable of {str(path)!r})", list(variables))
    return variables[name]


def _is_count_matrix(arr: np.ndarray) -> bool:
    if arr.ndim != 2 or min(arr.shape) < 1:
        return False
    if arr.dtype.kind in "iu":
        return True
    if arr.dtype.kind != "f" or not np.isfinite(arr).all():
        return False
    return bool((arr >= 0).all() and (arr == np.round(arr)).all())


def _find_counts(variables: dict, path: Path, listing: str) -> str:
    candidates = [
        k
        for k, v in variables.items()
        if k.lower() not in _TIME_NAMES and _is_count_matrix(v)
    ]
    if not candidates:
        raise ValidationError(
            f"No binned spike counts found in {str(path)!r}: no 2-D array of "
            f"non-negative integers. Variables: {listing}. Pass counts='<name>'."
        )
    return max(candidates, key=lambda k: variables[k].size)


def _find_time(variables: dict, shape: tuple[int, int]) -> str | None:
    for name, arr in variables.items():
        vector = arr.ndim == 1 or (arr.ndim == 2 and 1 in arr.shape)
        if (
            name.lower() in _TIME_NAMES
            and vector
            and arr.dtype.kind in "iuf"
            and arr.size in shape
        ):
            return name
    return None


def _bins_length(
    counts: np.ndarray,
    times: np.ndarray | None,
    covariates: list[np.ndarray],
    name: str,
    path: Path,
) -> int:
    n_rows, n_cols = counts.shape
    if times is not None:
        ref, source = times.size, "the time vector"
    elif covariates:
        ref, source = max(np.atleast_2d(covariates[0]).shape), "the first covariate"
    elif n_rows != n_cols:
        return max(n_rows, n_cols)
    else:
        ref, source = None, "nothing"
    if ref is None or (ref == n_rows) == (ref == n_cols):
        raise ValidationError(
            f"Cannot tell the bins axis of counts={name!r} {counts.shape} in "
            f"{str(path)!r} from {source}"
            + (f" (length {ref})" if ref is not None else "")
            + ". Pass time='<variable>' with one time per bin."
        )
    for arr in covariates:
        if ref not in np.atleast_2d(arr).shape:
            raise ValidationError(
                f"A covariate of {str(path)!r} has shape {arr.shape}, with no axis of "
                f"{ref} bins like counts={name!r} {counts.shape}; choose covariates "
                "sampled on the same bins."
            )
    return ref


def read_spike_times(
    path: str | os.PathLike,
    *,
    time_unit: str | None = None,
    t_start: float | None = None,
    t_stop: float | None = None,
    delimiter: str | None = None,
) -> SpikeTrains:
    """Read spike times from a text file (``.txt``, ``.csv``, ``.tsv``).

    One column: the spike times of one unit (named after the column header, or
    the file's stem). Two columns: unit id and spike time, one spike per line
    (a header naming them ``unit``/``cluster``/``id`` and ``time`` may put them
    in either order). Lines starting with ``#`` and blank lines are skipped.

    Parameters
    ----------
    path : str or path-like
        The text file.
    time_unit : {"s", "ms", "us", "µs"}
        Unit of the times in the file. Required: a text file does not say it,
        and a wrong guess scales every rate by 1000.
    t_start, t_stop : float, optional
        Observed interval in seconds; default the first spike and just after
        the last.
    delimiter : str, optional
        Column separator; default comma for ``.csv``, tab for ``.tsv``, else any
        whitespace (or comma when the lines hold commas).

    Returns
    -------
    SpikeTrains
        Times in seconds.

    Examples
    --------
    >>> st = read_spike_times("cluster_times.csv", time_unit="ms")  # doctest: +SKIP
    >>> st.n_spikes()  # doctest: +SKIP
    """
    path = check_path(path, "path", kind="file")
    if time_unit is None:
        raise ValidationError(
            f"time_unit is required to read {str(path)!r}: a text file of spike "
            "times does not say whether its numbers are seconds, milliseconds or "
            "microseconds, and a wrong guess scales every rate by 1000. Pass "
            "time_unit='s', 'ms' or 'us'."
        )
    check_option(time_unit, "time_unit", list(TIME_UNITS))
    lines = _data_lines(path, delimiter)
    if not lines:
        raise FileFormatError(
            f"{str(path)!r} holds no spike times (empty, or only comments). Check "
            "the file."
        )
    header = None
    if not _is_number(lines[0][1][-1]):
        header = [h.strip().lower() for h in lines[0][1]]
        lines = lines[1:]
    widths = sorted({len(fields) for _, fields in lines})
    if widths not in ([1], [2]):
        raise FileFormatError(
            f"{str(path)!r} must hold one column (spike times) or two columns (unit, "
            "time) on every line after an optional header; found lines of "
            f"{widths} column(s). Fix the file or pass delimiter=..."
        )
    unit_col, time_col = _column_order(header, len(lines[0][1]))
    times = np.empty(len(lines))
    for k, (number, fields) in enumerate(lines):
        value = fields[time_col]
        if not _is_number(value) or not np.isfinite(float(value)):
            raise FileFormatError(
                f"{str(path)!r} line {number}: {value!r} is not a finite spike time. "
                "Fix or remove that line."
            )
        times[k] = float(value)
    times *= TIME_UNITS[time_unit]
    meta = {"time_unit": time_unit}
    if unit_col is None:
        name = header[0] if header else path.stem
        return SpikeTrains(
            [times], t_start, t_stop, [name], source=str(path), metadata=meta
        )
    ids = [_unit_id(fields[unit_col]) for _, fields in lines]
    order = sorted(set(ids), key=_unit_sort_key)
    ids_arr = np.asarray(ids, dtype=object)
    return SpikeTrains(
        [times[ids_arr == u] for u in order],
        t_start,
        t_stop,
        order,
        source=str(path),
        metadata=meta,
    )


def _data_lines(path: Path, delimiter: str | None) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileFormatError(
            f"{str(path)!r} is not a UTF-8 text file ({err}); it is binary or "
            "corrupt. Export the spike times as text."
        ) from err
    if delimiter is None:
        suffix = path.suffix.lower()
        delimiter = {".csv": ",", ".tsv": "\t"}.get(suffix)
        if delimiter is None and "," in text:
            delimiter = ","
    rows = []
    raw = text.splitlines()
    if delimiter is None:
        split = [ln.split() for ln in raw]
    else:
        split = list(csv.reader(raw, delimiter=delimiter))
    for number, (line, fields) in enumerate(zip(raw, split), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append((number, [f.strip() for f in fields]))
    return rows


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _column_order(header: list[str] | None, width: int) -> tuple[int | None, int]:
    if width == 1:
        return None, 0
    if header and header[0] in _TIME_COLUMNS and header[1] in _UNIT_COLUMNS:
        return 1, 0
    return 0, 1


def _unit_id(text: str) -> str:
    if re.fullmatch(r"-?\d+(\.0*)?", text):
        return str(int(float(text)))
    return text


def _unit_sort_key(unit: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order first, then the others alphabetically."""
    return (0, int(unit), "") if re.fullmatch(r"-?\d+", unit) else (1, 0, unit)
