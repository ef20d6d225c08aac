"""ActivationCache: a plain name -> tensor mapping filled by a cached run."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..core import ValidationError

__all__ = ["ActivationCache", "unknown_name_error"]


def unknown_name_error(name: Any, known: list[str], what: str) -> ValidationError:
    """Error for a hook/cache name that does not exist, listing the close matches."""
    close = difflib.get_close_matches(str(name), known, n=5, cutoff=0.5)
    hint = (
        f" Close matches: {close}."
        if close
        else f" Known names start with: {known[:20]}"
        + (" ..." if len(known) > 20 else "")
    )
    return ValidationError(f"{what} {name!r} does not exist.{hint}")


class ActivationCache(Mapping):
    """Activations of one run, keyed by hook-point name.

    Values are torch tensors. Points declared with ``heads`` hold the
    per-head view ``(..., n_heads, d_head)``.

    Parameters
    ----------
    tensors : mapping of str to torch.Tensor
        The activations.

    Examples
    --------
    >>> import torch
    >>> cache = ActivationCache({"a.0": torch.ones(2, 3), "b": torch.zeros(1)})
    >>> sorted(cache.filter(r"^a\\.").keys())
    ['a.0']
    >>> cache.nbytes
    28
    """

    def __init__(self, tensors: Mapping[str, Any]) -> None:
        self._tensors = dict(tensors)

    def __getitem__(self, name: str) -> Any:
        if name not in self._tensors:
            raise unknown_name_error(name, list(self._tensors), "cache entry")
        return self._tensors[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tensors)

    def __len__(self) -> int:
        return len(self._tensors)

    def __repr__(self) -> str:
        return f"ActivationCache({len(self)} tensors, {self.nbytes / 2**20:.2f} MiB)"

    @property
    def nbytes(self) -> int:
        """Total size of the cached tensors in bytes."""
        return sum(t.numel() * t.element_size() for t in self._tensors.values())

    def filter(self, pattern: str) -> ActivationCache:
        """Keep the entries whose name matches the regular expression ``pattern``."""
        try:
            regex = re.compile(pattern)
        except (re.error, TypeError) as err:
            raise ValidationError(
                f"pattern={pattern!r} is not a valid regular expression ({err}); "
                r"pass one such as 'blocks\.0\.'."
            ) from err
        return ActivationCache(
            {k: v for k, v in self._tensors.items() if regex.search(k)}
        )

    def to(self, device: Any) -> ActivationCache:
        """Return a copy with every tensor moved to ``device`` (e.g. ``"cpu"``)."""
        return ActivationCache({k: v.to(device) for k, v in self._tensors.items()})
