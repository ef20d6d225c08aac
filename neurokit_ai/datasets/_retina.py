"""A simulated retina: linear–nonlinear ganglion cells of planted functional types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import (
    Responses,
    ValidationError,
    check_array,
    check_option,
    check_random_state,
    check_scalar,
)
from ._common import check_count, simulation_metadata

__all__ = ["RETINA_TYPES", "RetinaSimulation", "simulate_retina"]

#: The planted types, in order: (name, polarity, kinetics, receptive-field size).
#: Polarity +1 is ON, −1 OFF and 0 ON–OFF (rectified both ways).
RETINA_TYPES: list[tuple[str, int, str, str]] = [
    ("ON sustained small", 1, "sustained", "small"),
    ("OFF sustained small", -1, "sustained", "small"),
    ("ON transient small", 1, "transient", "small"),
    ("OFF transient small", -1, "transient", "small"),
    ("ON sustained large", 1, "sustained", "large"),
    ("OFF sustained large", -1, "sustained", "large"),
    ("ON transient large", 1, "transient", "large"),
    ("OFF transient large", -1, "transient", "large"),
    ("ON-OFF transient small", 0, "transient", "small"),
    ("ON-OFF transient large", 0, "transient", "large"),
    ("ON-OFF sustained small", 0, "sustained", "small"),
    ("ON-OFF sustained large", 0, "sustained", "large"),
]

_SLOPE, _THRESHOLD = 2.0, 0.5


def _temporal_filter(kinetics: str, n_frames: int, tau: float) -> np.ndarray:
    """Filter over lags, oldest frame first; unit norm, positive at lag 0."""
    lag = np.arange(n_frames, dtype=float)[::-1]
    fast = np.exp(-lag / tau)
    if kinetics == "sustained":
        filt = fast
    else:
        slow = np.exp(-lag / (2.5 * tau))
        filt = fast - slow * fast.sum() / slow.sum()
        filt *= np.sign(filt[-1])
    return filt / np.linalg.norm(filt)


def _spatial_filter(
    size: int, centre: np.ndarray, sigma: float, surround: float
) -> np.ndarray:
    """Difference of Gaussians (surround twice the centre's width), unit norm."""
    yy, xx = np.mgrid[:size, :size].astype(float)
    d2 = (yy - centre[0]) ** 2 + (xx - centre[1]) ** 2
    centre_g = np.exp(-d2 / (2 * sigma**2)) / sigma**2
    surround_g = np.exp(-d2 / (8 * sigma**2)) / (4 * sigma**2)
    filt = centre_g - surround * surround_g
    return filt / np.linalg.norm(filt)


def _natural_clips(
    rng: np.random.Generator, n: int, n_frames: int, size: int
) -> np.ndarray:
    """Clips with a 1/f amplitude spectrum in space and time, unit pixel std."""
    ft = np.fft.fftfreq(n_frames)[:, None, None]
    fy = np.fft.fftfreq(size)[None, :, None]
    fx = np.fft.fftfreq(size)[None, None, :]
    freq = np.sqrt(fx**2 + fy**2 + (0.5 * ft) ** 2)
    gain = np.zeros_like(freq)
    gain[freq > 0] = 1.0 / freq[freq > 0]
    white = rng.standard_normal((n, n_frames, size, size))
    clips = np.real(
        np.fft.ifftn(np.fft.fftn(white, axes=(1, 2, 3)) * gain, axes=(1, 2, 3))
    )
    clips -= clips.mean(axis=(1, 2, 3), keepdims=True)
    return clips / clips.std(axis=(1, 2, 3), keepdims=True)


@dataclass
class RetinaSimulation:
    """A simulated recording: stimuli, responses, planted types, and the cells.

    Attributes
    ----------
    stimuli : ndarray, shape (n_stimuli, n_frames, size, size)
        The clips shown (unit contrast; frames oldest first).
    responses : Responses
        One row per clip (condition = clip index), one column per cell;
        ``metadata["cell_types"]`` repeats :attr:`cell_types`.
    cell_types : ndarray of int, shape (n_neurons,)
        Planted type of each cell (index into :attr:`type_names`).
    type_names : list of str
        Names of the types (see :data:`RETINA_TYPES`).
    filters : ndarray, shape (n_neurons, n_frames, size, size)
        Each cell's unit-norm space–time filter.
    polarity, gain, noise_sd : ndarray, shape (n_neurons,)
        Sign of the filter output used (0: rectified both ways), response gain
        and the standard deviation of the additive response noise.
    rf_centres : ndarray, shape (n_neurons, 2)
        Receptive-field centre of each cell, (row, column) in pixels.
    """

    stimuli: np.ndarray
    responses: Responses
    cell_types: np.ndarray
    type_names: list[str]
    filters: np.ndarray
    polarity: np.ndarray
    gain: np.ndarray
    noise_sd: np.ndarray = field(repr=False)
    rf_centres: np.ndarray | None = field(default=None, repr=False)

    def rates(self, stimuli: Any, neurons: Any = None) -> np.ndarray:
        """Noise-free responses of ``neurons`` (indices, default all) to ``stimuli``.

        Parameters
        ----------
        stimuli : array-like, shape (n, n_frames, size, size)
            Clips of the simulation's shape.
        neurons : array-like of int, optional
            Which cells.

        Returns
        -------
        ndarray, shape (n, n_neurons)

        Examples
        --------
        >>> sim = simulate_retina(n_neurons=16, n_types=2, n_stimuli=50)
        >>> sim.rates(sim.stimuli[:3]).shape
        (3, 16)
        """
        idx = self._neurons(neurons)
        stim = check_array(
            stimuli, "stimuli", ndim=4, shape=(None, *self.stimuli.shape[1:])
        )
        drive = stim.reshape(len(stim), -1) @ self.filters[idx].reshape(len(idx), -1).T
        pol = self.polarity[idx]
        drive = np.where(pol == 0, np.abs(drive), pol * drive)
        x = _SLOPE * (drive - _THRESHOLD)
        return self.gain[idx] * np.logaddexp(0.0, x) / _SLOPE

    def respond(
        self,
        stimuli: Any,
        neurons: Any = None,
        n_repeats: int = 1,
        random_state: Any = None,
    ) -> Responses:
        """Noisy responses of ``neurons`` to ``stimuli``, ``n_repeats`` times each.

        Returns
        -------
        Responses
            ``n_repeats * n`` rows (condition = clip index, run = repeat).

        Examples
        --------
        >>> sim = simulate_retina(n_neurons=16, n_types=2, n_stimuli=50)
        >>> sim.respond(sim.stimuli[:3], n_repeats=2, random_state=0).data.shape
        (6, 16)
        """
        n_repeats = check_count(n_repeats, "n_repeats")
        idx = self._neurons(neurons)
        rng = check_random_state(random_state)
        rates = self.rates(stimuli, idx)
        data = np.concatenate(
            [
                rates + self.noise_sd[idx] * rng.standard_normal(rates.shape)
                for _ in range(n_repeats)
            ]
        )
        n = len(rates)
        return Responses(
            data,
            conditions=np.tile(np.arange(n), n_repeats).tolist(),
            runs=np.repeat(np.arange(n_repeats), n),
            unit_names=[self.responses.unit_names[i] for i in idx],
            source="sim:retina",
            metadata={"cell_types": self.cell_types[idx].tolist()},
        )

    def _neurons(self, neurons: Any) -> np.ndarray:
        n = len(self.cell_types)
        if neurons is None:
            return np.arange(n)
        idx = np.asarray(neurons)
        if idx.dtype == bool or idx.ndim != 1 or idx.dtype.kind not in "iu":
            raise ValidationError(
                f"neurons must be a 1-D array of cell indices, got dtype {idx.dtype} "
                f"and shape {idx.shape}; pass e.g. np.arange(10)."
            )
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise ValidationError(
                f"neurons holds indices outside 0..{n - 1} (min {idx.min()}, max "
                f"{idx.max()}); this simulation has {n} cells."
            )
        return idx


def simulate_retina(
    n_neurons: int = 240,
    n_types: int = 8,
    n_stimuli: int = 1500,
    n_frames: int = 4,
    size: int = 8,
    noise_level: float = 1.0,
    stimulus: str = "mixed",
    rf_jitter: float = 0.4,
    rf_spread: float = 0.0,
    random_state: Any = 0,
) -> RetinaSimulation:
    """Simulate retinal ganglion cells of planted types responding to short clips.

    Every cell is a linear–nonlinear model: a space–time separable filter (a
    centre–surround difference of Gaussians, centred near the middle of the
    grid with ``rf_jitter`` pixels of scatter, or spread uniformly over a
    ``2 rf_spread``-pixel square around it, times a sustained (monophasic)
    or transient (biphasic) temporal filter) whose output, sign-flipped for
    OFF cells and rectified both ways for ON–OFF cells, passes a softplus
    ``gain · log(1 + exp(2 (s − 0.5))) / 2``. Types differ in polarity,
    kinetics and centre size (centre width 0.72 or 1.6 pixels, see
    :data:`RETINA_TYPES`); within a type the
    centre width, surround strength, time constant (±10 %) and gain
    (log-normal, σ = 0.2) vary. Each response is the rate plus Gaussian noise
    whose standard deviation is ``noise_level`` times the cell's response
    standard deviation over these stimuli (``noise_level = 1``: SNR of 1, a
    typical single-trial calcium response).

    Receptive-field sizes are in pixels, independent of ``size``: a larger
    grid shows a larger part of the visual field. Real ganglion cells of one
    type tile the retina in mosaics, so a recorded field holds cells of every
    type at many positions; ``rf_spread > 0`` reproduces this (then responses
    of two cells correlate mostly through the overlap of their receptive
    fields, whatever their types), ``rf_spread = 0`` puts every cell at the
    centre, a simpler, unrealistic setting.

    Parameters
    ----------
    n_neurons : int
        Number of cells, split as equally as possible among the types.
    n_types : int
        Number of planted types, 2–12 (the first ``n_types`` of
        :data:`RETINA_TYPES`).
    n_stimuli : int
        Number of clips.
    n_frames, size : int
        Clip shape: ``n_frames`` frames of ``size × size`` pixels.
    noise_level : float
        Noise standard deviation relative to the signal's (0: noise-free).
    stimulus : {"mixed", "natural", "noise"}
        Natural-like clips (1/f spectrum), white noise, or half of each.
    rf_jitter : float
        Standard deviation of the receptive-field centres around the grid
        centre, in pixels.
    rf_spread : float
        Half-width, in pixels, of the square around the grid centre over
        which receptive-field centres are drawn uniformly (added to the
        ``rf_jitter`` scatter); centres are kept inside the grid.
    random_state : None, int or numpy Generator
        Seed.

    Returns
    -------
    RetinaSimulation

    Examples
    --------
    >>> sim = simulate_retina(n_neurons=40, n_types=4, n_stimuli=100)
    >>> sim.stimuli.shape, sim.responses.data.shape, np.unique(sim.cell_types).tolist()
    ((100, 4, 8, 8), (100, 40), [0, 1, 2, 3])
    """
    n_types = check_count(n_types, "n_types", min_val=2, max_val=len(RETINA_TYPES))
    n_neurons = check_count(n_neurons, "n_neurons", min_val=n_types)
    n_stimuli = check_count(n_stimuli, "n_stimuli", min_val=2)
    n_frames = check_count(n_frames, "n_frames", min_val=2)
    size = check_count(size, "size", min_val=5)
    check_scalar(noise_level, "noise_level", min_val=0.0)
    check_scalar(rf_jitter, "rf_jitter", min_val=0.0)
    check_scalar(rf_spread, "rf_spread", min_val=0.0)
    check_option(stimulus, "stimulus", ["mixed", "natural", "noise"])
    rng = check_random_state(random_state)

    cell_types = np.sort(np.arange(n_neurons) % n_types)
    n_natural = {"natural": n_stimuli, "noise": 0, "mixed": n_stimuli // 2}[stimulus]
    stimuli = np.concatenate(
        [
            _natural_clips(rng, n_natural, n_frames, size),
            rng.standard_normal((n_stimuli - n_natural, n_frames, size, size)),
        ]
    )[rng.permutation(n_stimuli)]

    filters = np.empty((n_neurons, n_frames, size, size))
    polarity = np.empty(n_neurons, dtype=int)
    centres = np.empty((n_neurons, 2))
    middle = (size - 1) / 2.0
    for i, t in enumerate(cell_types):
        _, pol, kinetics, extent = RETINA_TYPES[t]
        jitter = lambda: 1.0 + 0.1 * rng.uniform(-1, 1)  # noqa: E731
        sigma = (0.72 if extent == "small" else 1.6) * jitter()
        offset = rf_jitter * rng.standard_normal(2)
        if rf_spread > 0:
            offset += rng.uniform(-rf_spread, rf_spread, 2)
        centres[i] = np.clip(middle + offset, 0.0, size - 1.0)
        spatial = _spatial_filter(size, centres[i], sigma, 0.6 * jitter())
        temporal = _temporal_filter(kinetics, n_frames, 0.35 * n_frames * jitter())
        filters[i] = temporal[:, None, None] * spatial[None]
        polarity[i] = pol
    gain = np.exp(0.2 * rng.standard_normal(n_neurons))
    sim = RetinaSimulation(
        stimuli=stimuli,
        responses=Responses(np.zeros((1, n_neurons))),
        cell_types=cell_types,
        type_names=[RETINA_TYPES[t][0] for t in range(n_types)],
        filters=filters,
        polarity=polarity,
        gain=gain,
        noise_sd=np.zeros(n_neurons),
        rf_centres=centres,
    )
    rates = sim.rates(stimuli)
    sim.noise_sd = noise_level * rates.std(axis=0)
    meta = simulation_metadata(
        "simulate_retina",
        random_state,
        n_neurons=n_neurons,
        n_types=n_types,
        n_stimuli=n_stimuli,
        n_frames=n_frames,
        size=size,
        noise_level=noise_level,
        stimulus=stimulus,
        rf_jitter=rf_jitter,
        rf_spread=rf_spread,
    )
    meta.update(cell_types=cell_types.tolist(), type_names=sim.type_names)
    sim.responses = Responses(
        rates + sim.noise_sd * rng.standard_normal(rates.shape),
        unit_names=[f"cell{i}" for i in range(n_neurons)],
        source="sim:retina",
        metadata=meta,
    )
    return sim
