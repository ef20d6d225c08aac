"""A simulated event camera: ON/OFF events from a moving bar.

An event camera (DVS) pixel emits an ON (OFF) event each time its log
brightness rises (falls) by a contrast ``threshold`` since its last event.
:func:`moving_bar_events` renders a bar drifting across the sensor, applies
that rule on a fine time grid and adds background noise events; the result is
an :class:`EventStream` ``(x, y, polarity, t)``. :func:`make_motion_dataset`
draws many such streams with known directions: the motion-detection task of
Grimaldi & Perrinet (2023; papers.md section 12), with bars instead of natural
images.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import (
    DTypeError,
    SpikeTrains,
    ValidationError,
    check_array,
    check_option,
    check_random_state,
    check_scalar,
)

__all__ = ["EventStream", "moving_bar_events", "make_motion_dataset"]

POLARITY_NAMES = ("OFF", "ON")


def _check_sensor_size(sensor_size: Any) -> tuple[int, int]:
    ok = (
        isinstance(sensor_size, (tuple, list))
        and len(sensor_size) == 2
        and all(isinstance(s, (int, np.integer)) and s >= 2 for s in sensor_size)
    )
    if not ok:
        raise ValidationError(
            f"sensor_size must be (width, height) in pixels, two ints >= 2, got "
            f"{sensor_size!r}."
        )
    return int(sensor_size[0]), int(sensor_size[1])


@dataclass(frozen=True)
class EventStream:
    """Events of an event camera: pixel ``(x, y)``, polarity and time.

    Parameters
    ----------
    x, y : array-like of int, shape (n_events,)
        Pixel column (0 .. width − 1) and row (0 .. height − 1).
    polarity : array-like of int, shape (n_events,)
        1 for ON (brighter), 0 for OFF (darker).
    t : array-like of float, shape (n_events,)
        Event times (s) in ``[0, duration)``.
    sensor_size : tuple of int
        ``(width, height)`` in pixels.
    duration : float
        Length of the recording (s).

    Examples
    --------
    >>> ev = EventStream([0, 3], [1, 1], [1, 0], [0.002, 0.001], (4, 2), 0.01)
    >>> ev.n_events, ev.t.tolist()
    (2, [0.001, 0.002])
    >>> ev.to_tensor(0.005).shape
    (2, 2, 2, 4)
    """

    x: np.ndarray
    y: np.ndarray
    polarity: np.ndarray
    t: np.ndarray
    sensor_size: tuple[int, int]
    duration: float

    def __post_init__(self) -> None:
        width, height = _check_sensor_size(self.sensor_size)
        duration = float(
            check_scalar(self.duration, "duration", min_val=0, include_min=False)
        )
        cols = {}
        for name in ("x", "y", "polarity", "t"):
            arr = np.asarray(getattr(self, name))
            if arr.ndim != 1:
                raise ValidationError(
                    f"{name} must be 1-D (one value per event), got shape {arr.shape}."
                )
            if arr.size and arr.dtype.kind not in "biuf":
                raise DTypeError(f"{name} must be numeric, got dtype {arr.dtype}.")
            cols[name] = arr
        n = cols["t"].size
        if any(a.size != n for a in cols.values()):
            sizes = {k: a.size for k, a in cols.items()}
            raise ValidationError(
                f"x, y, polarity and t must have one value per event; got sizes "
                f"{sizes}."
            )
        t = cols["t"].astype(float)
        if n:
            check_array(t, "t", ndim=1)
        for name, high in (("x", width), ("y", height), ("polarity", 2)):
            arr = cols[name]
            if n and not np.all(np.isfinite(arr)):
                raise ValidationError(f"{name} holds NaN or inf; remove those events.")
            if n and (
                np.any(arr != np.round(arr)) or arr.min() < 0 or arr.max() >= high
            ):
                what = "0 (OFF) or 1 (ON)" if name == "polarity" else f"0 .. {high - 1}"
                raise ValidationError(
                    f"{name} must hold integers in {what} (sensor_size="
                    f"{(width, height)}), got values in [{arr.min():g}, "
                    f"{arr.max():g}]. Drop events outside the sensor or fix "
                    "sensor_size."
                )
        if n and (t.min() < 0 or t.max() >= duration):
            raise ValidationError(
                f"Event times span [{t.min():g}, {t.max():g}] s, outside [0, "
                f"duration={duration:g}) s; shift the times or lengthen duration."
            )
        order = np.argsort(t, kind="stable")
        object.__setattr__(self, "x", cols["x"].astype(np.int64)[order])
        object.__setattr__(self, "y", cols["y"].astype(np.int64)[order])
        object.__setattr__(self, "polarity", cols["polarity"].astype(np.int8)[order])
        object.__setattr__(self, "t", t[order])
        object.__setattr__(self, "sensor_size", (width, height))
        object.__setattr__(self, "duration", duration)

    def __eq__(self, other: object) -> bool:
        """Same sensor, duration and events (the generated ``==`` raised on arrays)."""
        if not isinstance(other, EventStream):
            return NotImplemented
        return (
            self.sensor_size == other.sensor_size
            and self.duration == other.duration
            and all(
                np.array_equal(getattr(self, k), getattr(other, k))
                for k in ("x", "y", "polarity", "t")
            )
        )

    @property
    def n_events(self) -> int:
        """Number of events."""
        return int(self.t.size)

    def to_tensor(self, bin_width: float, *, binary: bool = False) -> np.ndarray:
        """Dense event counts, shape ``(2, n_bins, height, width)`` (float32).

        Channel 0 counts OFF events, channel 1 ON events; bin ``k`` covers
        ``[k·bin_width, (k+1)·bin_width)`` and a final partial bin is dropped.
        ``binary=True`` keeps only whether a pixel had an event in a bin (the
        tensor of Grimaldi & Perrinet).
        """
        check_scalar(bin_width, "bin_width", min_val=0, include_min=False)
        n_bins = int(np.floor(self.duration / bin_width + 1e-9))
        if n_bins < 1:
            raise ValidationError(
                f"bin_width={bin_width} s is longer than the stream "
                f"({self.duration:g} s); use a shorter bin."
            )
        width, height = self.sensor_size
        k = np.floor(self.t / bin_width + 1e-9).astype(np.int64)
        keep = k < n_bins
        out = np.zeros((2, n_bins, height, width), dtype=np.float32)
        np.add.at(out, (self.polarity[keep], k[keep], self.y[keep], self.x[keep]), 1.0)
        return np.minimum(out, 1.0) if binary else out

    def to_spiketrains(self) -> SpikeTrains:
        """One spike train per (polarity, y, x) input, named like ``"ON(x=3,y=1)"``.

        Unit ``p·width·height + y·width + x``; units without events are kept.
        """
        width, height = self.sensor_size
        unit = self.polarity.astype(np.int64) * width * height + self.y * width + self.x
        order = np.argsort(unit, kind="stable")
        splits = np.searchsorted(unit[order], np.arange(1, 2 * width * height))
        trains = np.split(self.t[order], splits)
        names = [
            f"{POLARITY_NAMES[p]}(x={x},y={y})"
            for p in range(2)
            for y in range(height)
            for x in range(width)
        ]
        return SpikeTrains(
            trains,
            t_start=0.0,
            t_stop=self.duration,
            unit_names=names,
            source="event camera",
            metadata={"sensor_size": self.sensor_size},
        )


def _bar_profile(distance: np.ndarray, half_width: float, edge: float) -> np.ndarray:
    """Smooth box: ~1 inside ``|distance| < half_width``, ~0 outside."""
    z = (half_width - np.abs(distance)) / edge
    return 0.5 * (1.0 + np.tanh(z))


def moving_bar_events(
    direction: float,
    speed: float,
    *,
    sensor_size: tuple[int, int] = (32, 32),
    duration: float = 0.1,
    bar_width: float = 3.0,
    bar_length: float = 12.0,
    contrast: float = 1.0,
    offset: tuple[float, float] = (0.0, 0.0),
    threshold: float = 0.15,
    threshold_sd: float = 0.0,
    noise_rate: float = 0.0,
    dt: float = 2e-4,
    random_state: Any = None,
) -> EventStream:
    """Events of a bar drifting across an event camera.

    The bar (``bar_width`` × ``bar_length`` px, its long axis perpendicular to
    the motion) moves with velocity ``speed·(cos θ, sin θ)`` px/s in (x, y)
    pixel coordinates, y being the row index; its centre is at the sensor
    centre plus ``offset`` at ``duration / 2``. The brightness is
    ``1 + contrast·bar`` (a dark bar for ``contrast < 0``), sampled every
    ``dt`` s; a pixel fires ON (OFF) whenever its log brightness has risen
    (fallen) by its threshold since its last event, and each pixel also fires
    noise events of random polarity as a Poisson process of ``noise_rate`` Hz.

    Parameters
    ----------
    direction : float
        θ, the motion direction (radians; 0 = +x, π/2 = +y).
    speed : float
        Pixels per second, > 0.
    sensor_size : tuple of int
        ``(width, height)``.
    duration : float
        Seconds.
    bar_width, bar_length : float
        Bar size in pixels (edges smoothed over ~0.5 px).
    contrast : float
        Relative brightness of the bar, > −1 and ≠ 0.
    offset : tuple of float
        Position (px) of the bar centre at mid-time relative to the centre.
    threshold : float
        Log-brightness change per event (> 0).
    threshold_sd : float
        Pixel-to-pixel s.d. of the threshold (fixed-pattern mismatch); the
        thresholds are clipped at ``threshold / 4``.
    noise_rate : float
        Background events per pixel per second.
    dt : float
        Time step of the brightness sampling (s).
    random_state : None, int or Generator
        Seeds the threshold mismatch and the noise.

    Returns
    -------
    EventStream

    Examples
    --------
    >>> ev = moving_bar_events(0.0, 200.0, sensor_size=(16, 16), duration=0.04,
    ...                        random_state=0)
    >>> bool(ev.n_events > 0), set(ev.polarity.tolist())
    (True, {0, 1})
    """
    check_scalar(direction, "direction")
    check_scalar(speed, "speed", min_val=0, include_min=False)
    width, height = _check_sensor_size(sensor_size)
    check_scalar(duration, "duration", min_val=0, include_min=False)
    check_scalar(bar_width, "bar_width", min_val=0, include_min=False)
    check_scalar(bar_length, "bar_length", min_val=0, include_min=False)
    check_scalar(contrast, "contrast", min_val=-1, include_min=False)
    if contrast == 0:
        raise ValidationError("contrast=0 draws no bar; use e.g. 1.0 or -0.5.")
    off = check_array(offset, "offset", ndim=1, shape=(2,))
    check_scalar(threshold, "threshold", min_val=0, include_min=False)
    check_scalar(threshold_sd, "threshold_sd", min_val=0)
    check_scalar(noise_rate, "noise_rate", min_val=0)
    check_scalar(dt, "dt", min_val=0, max_val=duration, include_min=False)
    rng = check_random_state(random_state)

    n_steps = int(np.floor(duration / dt + 1e-9))
    times = np.arange(n_steps + 1) * dt
    ux, uy = np.cos(direction), np.sin(direction)
    yy, xx = np.mgrid[0:height, 0:width].astype(float)
    centre = np.array([(width - 1) / 2.0, (height - 1) / 2.0]) + off
    thresholds = np.full((height, width), float(threshold))
    if threshold_sd:
        thresholds = np.maximum(
            threshold + threshold_sd * rng.standard_normal((height, width)),
            threshold / 4.0,
        )

    def log_brightness(t: float) -> np.ndarray:
        cx, cy = centre + speed * (t - duration / 2.0) * np.array([ux, uy])
        along = (xx - cx) * ux + (yy - cy) * uy
        across = -(xx - cx) * uy + (yy - cy) * ux
        bar = _bar_profile(along, bar_width / 2.0, 0.5) * _bar_profile(
            across, bar_length / 2.0, 0.5
        )
        return np.log1p(contrast * bar)

    reference = log_brightness(0.0)
    xs, ys, ps, ts = [], [], [], []
    for step in range(1, n_steps + 1):
        change = log_brightness(times[step]) - reference
        n_events = np.floor(np.abs(change) / thresholds).astype(np.int64)
        rows, cols = np.nonzero(n_events)
        if rows.size:
            counts = n_events[rows, cols]
            sign = np.sign(change[rows, cols])
            reference[rows, cols] += sign * counts * thresholds[rows, cols]
            xs.append(np.repeat(cols, counts))
            ys.append(np.repeat(rows, counts))
            ps.append(np.repeat((sign > 0).astype(np.int8), counts))
            ts.append(np.full(counts.sum(), times[step]))
    n_noise = rng.poisson(noise_rate * duration * width * height)
    xs.append(rng.integers(0, width, n_noise))
    ys.append(rng.integers(0, height, n_noise))
    ps.append(rng.integers(0, 2, n_noise).astype(np.int8))
    ts.append(rng.uniform(0.0, duration, n_noise))
    t = np.concatenate(ts)
    return EventStream(
        np.concatenate(xs),
        np.concatenate(ys),
        np.concatenate(ps),
        np.minimum(t, np.nextafter(duration, 0.0)),
        (width, height),
        float(duration),
    )


def make_motion_dataset(
    n_samples: int,
    n_directions: int = 8,
    *,
    speed: float | tuple[float, float] = 250.0,
    sensor_size: tuple[int, int] = (16, 16),
    duration: float = 0.04,
    bin_width: float = 2e-3,
    bar_width: float = 3.0,
    bar_length: float = 8.0,
    max_offset: float = 2.0,
    random_polarity: bool = True,
    threshold: float = 0.15,
    threshold_sd: float = 0.02,
    noise_rate: float = 5.0,
    dt: float = 5e-4,
    random_state: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Event tensors of moving bars labelled with their motion direction.

    Sample ``i`` moves in direction ``2π·y[i] / n_directions`` at a speed drawn
    uniformly from ``speed`` (a range) or fixed; its path is shifted by up to
    ``max_offset`` px in x and y, and with ``random_polarity`` half of the bars
    are dark (``contrast = −0.5``, else +1), so that the ON/OFF layout alone
    does not give the direction: only the order of the events does.

    Parameters
    ----------
    n_samples : int
    n_directions : int
        Number of equally spaced directions (classes), >= 2.
    speed : float or (float, float)
        Pixels per second, fixed or a uniform range.
    sensor_size, duration, bar_width, bar_length, threshold, threshold_sd,
    noise_rate, dt
        As in :func:`moving_bar_events`.
    bin_width : float
        Time bin of the tensors (s).
    max_offset : float
        Largest shift (px) of the path in x and in y.
    random_polarity : bool
        Mix bright and dark bars.
    random_state : None, int or Generator

    Returns
    -------
    X : ndarray, shape (n_samples, 2, n_bins, height, width), float32
        Binned events (channel 0 OFF, 1 ON).
    y : ndarray of int, shape (n_samples,)
        Direction index.

    Examples
    --------
    >>> X, y = make_motion_dataset(4, 4, random_state=0)
    >>> X.shape, y.tolist()
    ((4, 2, 20, 16, 16), [0, 1, 2, 3])
    """
    check_scalar(n_samples, "n_samples", kind=int, min_val=1)
    check_scalar(n_directions, "n_directions", kind=int, min_val=2)
    check_scalar(max_offset, "max_offset", min_val=0)
    check_option(random_polarity, "random_polarity", [True, False])
    rng = check_random_state(random_state)
    if isinstance(speed, (tuple, list, np.ndarray)):
        lo, hi = check_array(speed, "speed", ndim=1, shape=(2,))
        if not 0 < lo <= hi:
            raise ValidationError(
                f"speed range must satisfy 0 < low <= high, got {tuple(speed)}."
            )
    else:
        lo = hi = check_scalar(speed, "speed", min_val=0, include_min=False)
    y = np.arange(n_samples) % n_directions
    X = None
    for i in range(n_samples):
        contrast = -0.5 if random_polarity and rng.random() < 0.5 else 1.0
        ev = moving_bar_events(
            2.0 * np.pi * y[i] / n_directions,
            float(rng.uniform(lo, hi)),
            sensor_size=sensor_size,
            duration=duration,
            bar_width=bar_width,
            bar_length=bar_length,
            contrast=contrast,
            offset=tuple(rng.uniform(-max_offset, max_offset, 2)),
            threshold=threshold,
            threshold_sd=threshold_sd,
            noise_rate=noise_rate,
            dt=dt,
            random_state=rng,
        )
        tensor = ev.to_tensor(bin_width)
        if X is None:
            X = np.empty((n_samples, *tensor.shape), dtype=np.float32)
        X[i] = tensor
    return X, y
