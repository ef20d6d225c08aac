"""Fixed settings of the artifact-removal benchmark and models.

The benchmark follows EEGdenoiseNet (papers.md §1, EEGdenoiseNet subsection):
single-channel 2-s segments at 256 Hz, SNR levels -7, -6, ..., +2 dB.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "MODEL_SFREQ",
    "SEGMENT_SAMPLES",
    "EEG_BAND",
    "SNR_LEVELS_DB",
    "WEIGHTS_VERSION",
    "SHIPPED_WEIGHTS",
]

#: Sampling rate (Hz) at which every model works.
MODEL_SFREQ = 256.0
#: Samples per segment (2 s at :data:`MODEL_SFREQ`).
SEGMENT_SAMPLES = 512
#: Band (Hz) that the models treat as EEG: clean training targets are band-passed
#: to it, so a recording must be sampled at >= 2 x its upper edge.
EEG_BAND = (1.0, 45.0)
#: The ten test SNR levels (dB) of EEGdenoiseNet.
SNR_LEVELS_DB = np.arange(-7.0, 3.0)
#: Version of the weight-file layout; files of another version are refused.
WEIGHTS_VERSION = 1
#: Name of the weight file shipped inside the package.
SHIPPED_WEIGHTS = "atat_weights_v1.pt"
