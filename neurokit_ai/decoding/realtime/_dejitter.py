"""Gap-aware dejittering of a regular stream's timestamps."""

from __future__ import annotations

from ...core import check_scalar

__all__ = ["Dejitter"]


class Dejitter:
    """Put the timestamps of a regular stream on a smooth grid and count gaps.

    The model is ``t_n = offset + n / rate``: each raw timestamp is assigned the
    grid index ``n`` nearest to it (at least one more than the last, so gaps of
    lost samples advance ``n`` by the number lost), and ``offset`` follows the
    residuals with an exponential average of half-life ``halftime`` seconds
    (a running mean at first). Jitter shrinks by about the square root of the
    number of samples averaged; gaps do not disturb the grid. (liblsl's own
    ``proc_dejitter`` fits the sample count, not time, so a gap or a reconnect
    skews it; that is why this one is used instead.)

    Parameters
    ----------
    rate : float
        Nominal sampling rate (Hz).
    halftime : float
        Half-life (s) of the offset's exponential average.

    Examples
    --------
    >>> dj = Dejitter(20.0)
    >>> [dj(t) for t in (0.001, 0.049, 0.151)]  # the third comes after a gap
    [(0.001, 0), (0.05, 1), (0.15033333333333335, 3)]
    """

    def __init__(self, rate: float, halftime: float = 10.0) -> None:
        self.period = 1.0 / check_scalar(rate, "rate", min_val=0.0, include_min=False)
        check_scalar(halftime, "halftime", min_val=0.0, include_min=False)
        self.alpha = 1.0 - 0.5 ** (self.period / halftime)
        self.reset()

    def reset(self) -> None:
        """Forget the grid; the next timestamp starts a new one at index 0."""
        self._offset: float | None = None
        self._n = -1
        self._count = 0

    def __call__(self, t_raw: float) -> tuple[float, int]:
        """Return the dejittered timestamp and grid index of ``t_raw``."""
        if self._offset is None:
            self._offset, self._n, self._count = float(t_raw), 0, 1
            return self._offset, 0
        n = max(round((t_raw - self._offset) / self.period), self._n + 1)
        self._count += 1
        weight = max(1.0 / self._count, self.alpha)
        self._offset += weight * (t_raw - (self._offset + n * self.period))
        self._n = n
        return self._offset + n * self.period, n
