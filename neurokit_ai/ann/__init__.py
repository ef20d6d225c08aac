"""Neural-network side of the bridge: record activations into Responses.

Examples
--------
>>> from neurokit_ai.ann import ActivationRecorder  # doctest: +SKIP
"""

from ._recorder import ActivationRecorder

__all__ = ["ActivationRecorder"]
