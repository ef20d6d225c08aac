"""
Decode cursor control in real time
==================================

Fit a Kalman filter on M1 spike counts (20 Hz bins) and hand velocity, then run
it bin by bin as it would run live, and time each step.
"""

# %%
# Data and fit
# ------------
import time

import numpy as np

from neurokit_ai.datasets import load_sample
from neurokit_ai.decoding import KalmanFilterDecoder
from neurokit_ai.viz import plot_raster

rec = load_sample("reaching")
counts = rec.get_data("spikes").T
velocity = rec.get_data(["vel_x", "vel_y"]).T
split = counts.shape[0] // 2
kf = KalmanFilterDecoder().fit(
    counts[:split], velocity[:split], bin_width=1.0 / rec.sfreq
)
print(f"R² on held-out bins: {kf.score(counts[split:], velocity[split:]):.3f}")
fig = plot_raster(rec, tmax=20.0)

# %%
# Step by step, as on a live stream
# ---------------------------------
kf.reset(bin_width=1.0 / rec.sfreq)
latencies = []
decoded = []
for z in counts[split:]:
    start = time.perf_counter()
    decoded.append(kf.step(z))
    latencies.append(time.perf_counter() - start)
decoded = np.array(decoded)
print(
    f"median step latency {np.median(latencies) * 1e6:.1f} µs for a "
    f"{1000.0 / rec.sfreq:g} ms bin"
)
