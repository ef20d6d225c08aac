"""The decoding stage of the demo: closed-loop cursor control via a Kalman filter."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core import check_path

__all__ = ["decoding_stage"]


def decoding_stage(out_dir: str | os.PathLike) -> dict[str, Any]:
    """Closed-loop centre-out simulation with a Kalman filter (demo section).

    A simulated user (60 cosine-tuned Poisson neurons) calibrates a Kalman
    filter in open loop, then controls the cursor through it; the section
    reports the BCI metrics and shows the cursor paths and decoded velocity.

    Returns
    -------
    dict
        ``text``, ``figures`` (PNG paths) and ``table``.

    Examples
    --------
    >>> section = decoding_stage("demo_out")  # doctest: +SKIP
    >>> sorted(section)  # doctest: +SKIP
    ['figures', 'table', 'text']
    """
    from ..decoding import ClosedLoopSimulator, KalmanFilterDecoder
    from ._decoding import plot_cursor_paths, plot_decoded_trajectories
    from ._files import save_figure

    out = check_path(out_dir, "out_dir", kind="dir")
    sim = ClosedLoopSimulator("centre_out", random_state=0)
    counts, velocity = sim.calibrate(n_trials=40)
    kf = KalmanFilterDecoder().fit(counts, velocity, bin_width=sim.bin_width)
    test_counts, test_velocity = sim.calibrate(n_trials=8)
    result = sim.run(kf, n_trials=40)
    ideal = sim.run(None, n_trials=40).metrics
    m = result.metrics
    figures = [
        save_figure(
            plot_cursor_paths(result, target_radius=sim.target_radius),
            out / "closed_loop_paths.png",
        ),
        save_figure(
            plot_decoded_trajectories(
                test_velocity,
                kf.predict(test_counts),
                sim.bin_width,
                names=["vx (m/s)", "vy (m/s)"],
            ),
            out / "closed_loop_decoded_velocity.png",
        ),
    ]
    text = (
        f"A simulated user with {sim.n_neurons} cosine-tuned Poisson neurons "
        f"({sim.bin_width * 1e3:g} ms bins) moved a cursor through a Kalman filter "
        f"fitted on a {len(counts) * sim.bin_width:.0f} s open-loop calibration "
        f"block: {m['success_rate']:.0%} of {m['n_trials']} centre-out trials "
        f"succeeded (perfect decoder: {ideal['success_rate']:.0%}), time to target "
        f"{m['time_to_target_s']:.2f} s, path efficiency {m['path_efficiency']:.2f}, "
        f"Fitts throughput {m['fitts_throughput_bps']:.2f} bits/s and achieved "
        f"bitrate (Nuyujukian et al. 2015) {m['achieved_bitrate_bps']:.2f} bits/s."
    )
    table = {
        "success rate": f"{m['success_rate']:.2f}",
        "time to target (s)": f"{m['time_to_target_s']:.2f}",
        "path efficiency": f"{m['path_efficiency']:.2f}",
        "Fitts throughput (bits/s)": f"{m['fitts_throughput_bps']:.2f}",
        "achieved bitrate (bits/s)": f"{m['achieved_bitrate_bps']:.2f}",
    }
    return {
        "text": text,
        "figures": [Path(f) for f in figures],
        "table": table,
    }
