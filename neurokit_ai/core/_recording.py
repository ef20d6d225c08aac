"""The continuous-data object shared by every modality."""

from __future__ import annotations

import copy as _copy
import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from ._annotations import Annotations
from ._errors import ValidationError
from ._montage import Montage
from ._validation import check_array, check_option, check_sfreq

__all__ = ["Recording", "CHANNEL_TYPES", "DEFAULT_UNITS", "SegmentReader"]

MNE_CHANNEL_TYPES = (
    "grad", "mag", "ref_meg", "eeg", "seeg", "dbs", "ecog", "eog", "emg", "ecg",
    "resp", "bio", "misc", "stim", "exci", "syst", "ias", "gof", "dipole", "chpi",
    "fnirs_cw_amplitude", "fnirs_fd_ac_amplitude", "fnirs_fd_phase",
    "fnirs_td_gated_amplitude", "fnirs_td_moments_intensity",
    "fnirs_td_moments_mean", "fnirs_td_moments_variance", "fnirs_od", "hbo",
    "hbr", "csd", "temperature", "gsr", "eyegaze", "pupil",
)  # fmt: skip
#: Channel types beyond MNE's: fMRI voxels, calcium ROIs, binned spike counts,
#: behavioural covariates.
EXTRA_CHANNEL_TYPES = ("fmri", "calcium", "spikes", "behavior")
CHANNEL_TYPES = MNE_CHANNEL_TYPES + EXTRA_CHANNEL_TYPES

#: SI unit of each channel type when a reader does not say otherwise.
DEFAULT_UNITS = {
    **{t: "V" for t in ("eeg", "seeg", "dbs", "ecog", "eog", "emg", "ecg", "misc")},
    "mag": "T",
    "ref_meg": "T",
    "grad": "T/m",
    "hbo": "mol",
    "hbr": "mol",
    "stim": "NA",
    "fmri": "a.u.",
    "calcium": "a.u.",
    "spikes": "count",
    "behavior": "a.u.",
}


class SegmentReader(Protocol):
    """What a lazy :class:`Recording` reads its data through."""

    def __call__(self, picks: np.ndarray, start: int, stop: int) -> np.ndarray:
        """Return the samples ``start:stop`` of channels ``picks``."""


def _check_names(ch_names: Sequence[str], n_channels: int) -> list[str]:
    names = [str(c) for c in ch_names]
    if len(names) != n_channels:
        raise ValidationError(
            f"ch_names has {len(names)} names for {n_channels} channels; give one "
            "name per row of data."
        )
    dup = [n for n, c in Counter(names).items() if c > 1]
    if dup:
        raise ValidationError(
            f"ch_names must be unique; {dup[:5]} appear more than once. Rename them."
        )
    return names


def _check_types(ch_types: str | Sequence[str], n_channels: int) -> list[str]:
    types = [ch_types] * n_channels if isinstance(ch_types, str) else list(ch_types)
    if len(types) != n_channels:
        raise ValidationError(
            f"ch_types has {len(types)} entries for {n_channels} channels."
        )
    for t in types:
        check_option(t, "ch_types", CHANNEL_TYPES)
    return [str(t) for t in types]


class Recording:
    """Continuous multichannel data with its metadata.

    The orientation is MNE's: ``data`` is ``(n_channels, n_times)``. Units are
    SI (volts, tesla) for electrophysiology and arbitrary units for fMRI and
    fluorescence.

    Parameters
    ----------
    data : array-like, shape (n_channels, n_times), or None
        The samples. ``None`` together with ``reader`` and ``n_times`` gives a
        lazy recording whose samples are read only when asked for.
    sfreq : float
        Sampling rate in Hz.
    ch_names : sequence of str
        Unique channel names.
    ch_types : str or sequence of str
        Channel types (:data:`CHANNEL_TYPES`); one string sets all channels.
    units : sequence of str, optional
        Unit of each channel; defaults from the channel type.
    annotations : Annotations, optional
        Events, with onsets in seconds from the first sample.
    montage : Montage, optional
        Sensor positions.
    first_samp : int
        Index of the first sample in the acquisition's clock (MNE's ``first_samp``).
    meas_date : datetime, optional
        Acquisition start (UTC).
    bads : sequence of str, optional
        Names of bad channels.
    modality : str, optional
        ``"eeg"``, ``"meg"``, ``"ieeg"``, ``"fmri"``, ``"calcium"``, ``"spikes"``...
        Guessed from the channel types when omitted.
    source : str, optional
        Where the data came from (a file path, ``"simulated:eeg"``...).
    subject, session : str, optional
        Provenance.
    channel_info : dict of str to array-like, optional
        Per-channel arrays (first axis ``n_channels``) kept in step with picks,
        for instance suite2p's ``iscell`` probability or fMRI voxel indices.
    metadata : dict, optional
        Anything else (line frequency, filter settings, affine...).
    reader : callable, optional
        ``reader(picks, start, stop) -> array`` for lazy recordings.
    n_times : int, optional
        Number of samples of a lazy recording.
    check_finite : bool
        Reject NaN/inf in eagerly given data.

    Examples
    --------
    >>> import numpy as np
    >>> rec = Recording(np.zeros((2, 100)), sfreq=100.0, ch_names=["C3", "C4"],
    ...                 ch_types="eeg")
    >>> rec.n_channels, rec.n_times, rec.duration
    (2, 100, 1.0)
    """

    def __init__(
        self,
        data: Any,
        sfreq: float,
        ch_names: Sequence[str],
        ch_types: str | Sequence[str] = "misc",
        *,
        units: Sequence[str] | None = None,
        annotations: Annotations | None = None,
        montage: Montage | None = None,
        first_samp: int = 0,
        meas_date: _dt.datetime | None = None,
        bads: Sequence[str] = (),
        modality: str | None = None,
        source: str | None = None,
        subject: str | None = None,
        session: str | None = None,
        channel_info: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        reader: SegmentReader | None = None,
        n_times: int | None = None,
        check_finite: bool = True,
    ) -> None:
        self.sfreq = check_sfreq(sfreq, "sfreq")
        if data is None:
            if reader is None or n_times is None:
                raise ValidationError(
                    "data is None: pass the samples, or a reader and n_times for a "
                    "lazy recording."
                )
            n_channels = len(ch_names)
            self._data = None
            self._n_times = int(n_times)
            if self._n_times < 1:
                raise ValidationError(f"n_times must be >= 1, got {n_times}.")
        else:
            arr = check_array(data, "data", ndim=2, dtype=None, allow_nonfinite=True)
            if arr.dtype.kind not in "biuf":
                raise ValidationError(
                    f"data must be real numeric, got dtype {arr.dtype}. Convert it "
                    "with data.astype(float)."
                )
            if check_finite:
                _check_finite_cheap(arr)
            n_channels, self._n_times = arr.shape
            self._data = arr
        self._reader = reader
        self._picks = np.arange(n_channels)
        self.ch_names = _check_names(ch_names, n_channels)
        self.ch_types = _check_types(ch_types, n_channels)
        if units is None:
            units = [DEFAULT_UNITS.get(t, "NA") for t in self.ch_types]
        self.units = [str(u) for u in units]
        if len(self.units) != n_channels:
            raise ValidationError(
                f"units has {len(self.units)} entries for {n_channels} channels."
            )
        self.annotations = annotations if annotations is not None else Annotations()
        if not isinstance(self.annotations, Annotations):
            raise ValidationError(
                "annotations must be a neurokit_ai.core.Annotations, got "
                f"{type(annotations).__name__}."
            )
        self.montage = montage
        self.first_samp = int(first_samp)
        self.meas_date = meas_date
        unknown = [b for b in bads if b not in self.ch_names]
        if unknown:
            raise ValidationError(f"bads name unknown channels {unknown}.")
        self.bads = list(bads)
        self.modality = modality or _guess_modality(self.ch_types)
        self.source = source
        self.subject = subject
        self.session = session
        self.channel_info = {}
        for key, val in (channel_info or {}).items():
            val = np.asarray(val)
            if val.shape[:1] != (n_channels,):
                raise ValidationError(
                    f"channel_info[{key!r}] has shape {val.shape}; its first axis "
                    f"must be n_channels={n_channels}."
                )
            self.channel_info[key] = val
        self.metadata = dict(metadata or {})

    # ------------------------------------------------------------------ sizes
    @property
    def n_channels(self) -> int:
        """Number of channels."""
        return len(self.ch_names)

    @property
    def n_times(self) -> int:
        """Number of samples."""
        return self._n_times

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_channels, n_times)``."""
        return (self.n_channels, self.n_times)

    @property
    def duration(self) -> float:
        """Length in seconds (``n_times / sfreq``)."""
        return self.n_times / self.sfreq

    @property
    def times(self) -> np.ndarray:
        """Sample times in seconds from the first sample."""
        return np.arange(self.n_times) / self.sfreq

    @property
    def is_loaded(self) -> bool:
        """Whether the samples are in memory."""
        return self._data is not None

    # ------------------------------------------------------------------- data
    @property
    def data(self) -> np.ndarray:
        """The samples, ``(n_channels, n_times)``; a lazy recording loads them."""
        if self._data is None:
            self.load_data()
        return self._data

    def load_data(self) -> Recording:
        """Read every sample into memory (no-op when already loaded)."""
        if self._data is None:
            arr = np.asarray(self._reader(self._picks, 0, self._n_times))
            _check_finite_cheap(arr, what=f"the data of {self.source or 'recording'}")
            self._data = arr
        return self

    def get_data(
        self,
        picks: Any = None,
        start: int = 0,
        stop: int | None = None,
    ) -> np.ndarray:
        """Return samples ``start:stop`` of the picked channels.

        A lazy recording reads only that segment from disk.

        Parameters
        ----------
        picks : None, str, list of str, list of int, or boolean mask
            Channel names, indices, a channel type, or ``None`` for all.
        start, stop : int
            Sample range.

        Returns
        -------
        data : ndarray, shape (n_picked, stop - start)

        Examples
        --------
        >>> rec = Recording(np.arange(6.0).reshape(2, 3), 1.0, ["a", "b"])
        >>> rec.get_data("b", 1, 3)
        array([[4., 5.]])
        """
        idx = self._pick_indices(picks)
        stop = self.n_times if stop is None else int(stop)
        start = int(start)
        if not 0 <= start < stop <= self.n_times:
            raise ValidationError(
                f"start={start}, stop={stop} is not a sample range inside 0.."
                f"{self.n_times}."
            )
        if self._data is not None:
            return self._data[idx, start:stop]
        return np.asarray(self._reader(self._picks[idx], start, stop))

    def _pick_indices(self, picks: Any) -> np.ndarray:
        if picks is None:
            return np.arange(self.n_channels)
        if isinstance(picks, str):
            picks = [picks]
        picks_arr = np.asarray(picks)
        if picks_arr.dtype == bool:
            if picks_arr.shape != (self.n_channels,):
                raise ValidationError(
                    f"A boolean picks mask must have {self.n_channels} entries, got "
                    f"{picks_arr.shape}."
                )
            return np.flatnonzero(picks_arr)
        if picks_arr.dtype.kind in "iu":
            if picks_arr.size and (
                picks_arr.min() < -self.n_channels or picks_arr.max() >= self.n_channels
            ):
                raise ValidationError(
                    f"picks {picks_arr.tolist()[:10]} out of range for "
                    f"{self.n_channels} channels."
                )
            return picks_arr.astype(int).reshape(-1) % self.n_channels
        out: list[int] = []
        lookup = {n: i for i, n in enumerate(self.ch_names)}
        for p in picks_arr.reshape(-1).tolist():
            if p in lookup:
                out.append(lookup[p])
            elif p in CHANNEL_TYPES:
                out.extend(i for i, t in enumerate(self.ch_types) if t == p)
            else:
                check_option(p, "picks", self.ch_names + sorted(set(self.ch_types)))
        if not out:
            raise ValidationError(f"picks {picks!r} selects no channel.")
        return np.asarray(out, dtype=int)

    # ------------------------------------------------------------ transforms
    def copy(self) -> Recording:
        """Return a deep copy (a lazy recording stays lazy)."""
        out = _copy.copy(self)
        out._data = None if self._data is None else self._data.copy()
        out._picks = self._picks.copy()
        for attr in ("ch_names", "ch_types", "units", "bads"):
            setattr(out, attr, list(getattr(self, attr)))
        out.annotations = self.annotations.copy()
        out.channel_info = {k: v.copy() for k, v in self.channel_info.items()}
        out.metadata = _copy.deepcopy(self.metadata)
        return out

    def pick(self, picks: Any) -> Recording:
        """Return a copy holding only ``picks`` (names, indices, types or mask).

        Examples
        --------
        >>> rec = Recording(np.zeros((3, 10)), 10.0, ["a", "b", "c"],
        ...                 ["eeg", "eeg", "ecg"])
        >>> rec.pick("eeg").ch_names
        ['a', 'b']
        """
        idx = self._pick_indices(picks)
        out = _copy.copy(self)
        out._data = None if self._data is None else self._data[idx].copy()
        out._picks = self._picks[idx]
        out.ch_names = [self.ch_names[i] for i in idx]
        out.ch_types = [self.ch_types[i] for i in idx]
        out.units = [self.units[i] for i in idx]
        out.bads = [b for b in self.bads if b in out.ch_names]
        out.montage = (
            None if self.montage is None else self.montage.subset(out.ch_names)
        )
        out.annotations = self.annotations.copy()
        out.channel_info = {k: v[idx].copy() for k, v in self.channel_info.items()}
        out.metadata = _copy.deepcopy(self.metadata)
        return out

    def crop(self, tmin: float = 0.0, tmax: float | None = None) -> Recording:
        """Return a copy restricted to ``[tmin, tmax)`` seconds.

        Annotations are shifted so that onsets stay relative to the new first
        sample; those that end before ``tmin`` or start at/after ``tmax`` are
        dropped.
        """
        start = int(round(tmin * self.sfreq))
        stop = self.n_times if tmax is None else int(round(tmax * self.sfreq))
        data = self.get_data(None, start, stop).copy()
        out = self.copy()
        out._data = data
        out._reader = None
        out._picks = np.arange(self.n_channels)
        out._n_times = data.shape[1]
        ann = self.annotations
        t0, t1 = start / self.sfreq, stop / self.sfreq
        keep = (ann.onset + ann.duration >= t0) & (ann.onset < t1)
        out.annotations = ann.select(keep).shift(-t0)
        out.first_samp = self.first_samp + start
        return out

    def set_channel_types(self, mapping: dict[str, str]) -> Recording:
        """Set channel types in place from ``{name: type}``; units follow the type.

        Examples
        --------
        >>> rec = Recording(np.zeros((2, 5)), 5.0, ["EKG", "Cz"], "eeg")
        >>> rec.set_channel_types({"EKG": "ecg"}).ch_types
        ['ecg', 'eeg']
        """
        for name, kind in mapping.items():
            check_option(name, "mapping key (channel name)", self.ch_names)
            check_option(kind, f"channel type for {name!r}", CHANNEL_TYPES)
        for name, kind in mapping.items():
            i = self.ch_names.index(name)
            self.ch_types[i] = kind
            self.units[i] = DEFAULT_UNITS.get(kind, self.units[i])
        self.modality = _guess_modality(self.ch_types)
        return self

    def channel_type_counts(self) -> dict[str, int]:
        """Return ``{channel type: count}`` in order of first appearance."""
        return dict(Counter(self.ch_types))

    def summary(self) -> dict[str, Any]:
        """Return a dict describing the recording (used by ``neurokit-ai info``)."""
        kinds = Counter(self.annotations.description.tolist())
        return {
            "modality": self.modality,
            "source": self.source,
            "n_channels": self.n_channels,
            "n_times": self.n_times,
            "sfreq": self.sfreq,
            "duration_s": self.duration,
            "channel_types": self.channel_type_counts(),
            "n_annotations": len(self.annotations),
            "annotation_counts": dict(kinds),
            "has_positions": self.montage is not None and bool(self.montage.ch_pos),
            "loaded": self.is_loaded,
        }

    def __repr__(self) -> str:
        types = ", ".join(f"{k}: {v}" for k, v in self.channel_type_counts().items())
        return (
            f"<Recording | {self.modality} | {self.n_channels} ch ({types}) × "
            f"{self.n_times} samples @ {self.sfreq:g} Hz, {self.duration:.3g} s, "
            f"{len(self.annotations)} annotations"
            + ("" if self.is_loaded else ", not loaded")
            + ">"
        )

    # ------------------------------------------------------------------ MNE
    @classmethod
    def from_mne(cls, raw: Any, *, copy: bool = True, **kwargs: Any) -> Recording:
        """Build a Recording from an ``mne.io.BaseRaw`` without losing anything.

        Data, channel names, types, units, annotations, bads, measurement date,
        ``first_samp`` and the montage are kept. A raw that is not preloaded
        gives a lazy Recording. ``copy=False`` shares the preloaded array.

        Examples
        --------
        >>> import mne
        >>> raw = mne.io.RawArray(np.zeros((1, 10)), mne.create_info(1, 10.0, "eeg"),
        ...                       verbose=False)
        >>> Recording.from_mne(raw).ch_types
        ['eeg']
        """
        from ._mne_bridge import recording_from_mne

        return recording_from_mne(cls, raw, copy=copy, **kwargs)

    def to_mne(self) -> Any:
        """Return an ``mne.io.RawArray`` with the same data and metadata.

        Channel types MNE does not know (``fmri``, ``calcium``, ``spikes``,
        ``behavior``) become ``misc``.
        """
        from ._mne_bridge import recording_to_mne

        return recording_to_mne(self)


def _check_finite_cheap(arr: np.ndarray, what: str = "data") -> None:
    """Reject NaN/inf without allocating a full boolean mask when all is fine."""
    if arr.dtype.kind != "f":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(arr, axis=None, dtype=np.float64)
    if not np.isfinite(total):
        for i, row in enumerate(arr):
            if not np.isfinite(row).all():
                j = int(np.flatnonzero(~np.isfinite(row))[0])
                raise ValidationError(
                    f"{what} holds non-finite values (NaN or inf), first at channel "
                    f"{i}, sample {j}. Interpolate or drop them, or pass "
                    "check_finite=False to keep them."
                )


def _guess_modality(ch_types: Sequence[str]) -> str:
    counts = Counter(ch_types)
    if not counts:
        return "unknown"
    if counts.get("mag", 0) + counts.get("grad", 0):
        return "meg"
    if counts.get("seeg", 0) + counts.get("ecog", 0) + counts.get("dbs", 0):
        return "ieeg"
    for kind in ("fmri", "calcium", "spikes", "eeg"):
        if counts.get(kind, 0):
            return kind
    if counts.get("hbo", 0) + counts.get("hbr", 0) or any(
        t.startswith("fnirs") for t in counts
    ):
        return "fnirs"
    return counts.most_common(1)[0][0]
