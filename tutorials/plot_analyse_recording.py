"""
Analyse a recording
===================

Load the EEG sample, clean it, cut epochs around the face and house events,
decode the condition from single trials, and write a self-contained HTML report.
"""

# %%
# Load and clean
# --------------
# ``load_sample("eeg")`` is a simulated 32-channel recording with planted
# face/house evoked responses. Filtering returns a new Recording.
import tempfile
from pathlib import Path

from neurokit_ai.datasets import load_sample
from neurokit_ai.pipeline import STAGES
from neurokit_ai.preprocessing import epochs_to_responses, filter_recording
from neurokit_ai.viz import plot_psd
from neurokit_ai.viz._report import build_recording_report

raw = load_sample("eeg")
clean = filter_recording(raw, 1.0, 40.0)
print(raw)
fig = plot_psd(clean, picks="eeg", fmax=60.0)

# %%
# Epochs and single-trial decoding
# --------------------------------
# Each epoch's mean over 100–300 ms after onset is one pattern; the pipeline's
# ``decode_conditions`` stage cross-validates a logistic regression on them.
# With 40 single trials the accuracy is noisy: compare it with ``chance``.
epochs = epochs_to_responses(
    clean, tmin=-0.2, tmax=0.5, baseline=(-0.2, 0.0), window=(0.1, 0.3)
)
decoding = STAGES["decode_conditions"].run(
    epochs, {"cv": 5, "C": 1.0, "n_jobs": 1, "random_state": 0}
)
print(decoding.summary)

# %%
# Report
# ------
# The report embeds every figure, so the single HTML file can be shared.
results = {
    "decoding": {
        "stage": "decode_conditions",
        "summary": decoding.summary,
        "rows": decoding.rows,
    }
}
report = build_recording_report(
    raw, title="EEG sample", cleaned=clean, responses=epochs, results=results
)
out = report.save(Path(tempfile.mkdtemp()) / "report.html")
print(report.headings, out.stat().st_size > 0)

# %%
# The same steps over a whole study are a pipeline file run by
# ``neurokit-ai run`` (see :doc:`/pipelines`).
