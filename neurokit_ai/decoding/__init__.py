"""Decoders for brain-computer interfaces: Kalman filter, Discriminative Kalman
Filter, their feature pipeline, and (below) the real-time loop and simulator.

Everything is imported lazily, so ``import neurokit_ai.decoding`` is cheap;
scikit-learn and torch load only when a class that needs them is used.

Examples
--------
>>> from neurokit_ai.decoding import KalmanFilterDecoder
>>> KalmanFilterDecoder(steady_state=True).steady_state
True
"""

import importlib

_LAZY = {
    # Offline/online decoders and their regressors.
    "KalmanFilterDecoder": "._kalman",
    "DiscriminativeKalmanFilter": "._dkf",
    "NotPositiveDefiniteError": "._linalg",
    "NadarayaWatsonRegressor": "._regressors",
    "TorchMLPRegressor": "._regressors",
    "GaussianRegressionModel": "._regressors",
    # Feature pipeline: bins, lags, calibration z-scoring.
    "SpikeCountBinner": "._features",
    "ThresholdCrossingBinner": "._features",
    "BandPowerBinner": "._features",
    "LagStacker": "._features",
    "CalibrationScaler": "._features",
    # ------------------------------------------------------------------
    # Real-time loop, streams (sources/sinks) and closed-loop simulator:
    # entries added here by their authors (StreamDecoder, ...).
    # ------------------------------------------------------------------
    "StreamDecoder": ".realtime",
    "StreamReport": ".realtime",
    "ReplaySource": ".realtime",
    "LSLSource": ".realtime",
    "LSLSink": ".realtime",
    "LSLPlayer": ".realtime",
    "CallbackSink": ".realtime",
    "SourceLostError": ".realtime",
    "ClosedLoopSimulator": "._closed_loop",
    "ClosedLoopResult": "._closed_loop",
    "trial_metrics": "._closed_loop",
    "fitts_throughput": "._closed_loop",
    "achieved_bitrate": "._closed_loop",
}

__all__ = [*_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
