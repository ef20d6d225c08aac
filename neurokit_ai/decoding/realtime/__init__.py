"""Live decoding: run a fitted online decoder on a stream of feature bins.

Sources deliver bins (:class:`ReplaySource` replays a recording in real time;
:class:`LSLSource` reads a Lab Streaming Layer stream), :class:`StreamDecoder`
decodes each and publishes the estimate to a sink (:class:`LSLSink`,
:class:`CallbackSink`), logging per-bin timestamps and latencies
(:class:`StreamLog`) and reporting lag, held, missing and skipped bins
(:class:`StreamReport`). pylsl is imported only when an LSL class is used.
"""

from ._base import Bin, Sink, Source, SourceLostError
from ._dejitter import Dejitter
from ._log import STATUS_NAMES, StreamLog
from ._sinks import CallbackSink
from ._sources import ReplaySource
from ._stream import StreamDecoder, StreamReport, check_online_decoder

_LAZY = {"LSLSource": "._lsl", "LSLSink": "._lsl", "LSLPlayer": "._lsl"}

__all__ = [
    "Bin",
    "CallbackSink",
    "Dejitter",
    "ReplaySource",
    "STATUS_NAMES",
    "Sink",
    "Source",
    "SourceLostError",
    "StreamDecoder",
    "StreamLog",
    "StreamReport",
    "check_online_decoder",
    *_LAZY,
]


def __getattr__(name: str):
    """Import the LSL classes (and pylsl) only when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
