"""
Look inside a network
=====================

Record the activations of a small network's layers with
:class:`~neurokit_ai.ann.ActivationRecorder` (forward hooks, no change to the
model) and compare the layers' representational geometry.
"""

# %%
# Record activations
# ------------------
import numpy as np
import torch

from neurokit_ai.ann import ActivationRecorder
from neurokit_ai.rsa import compare, compute_rdm
from neurokit_ai.viz import plot_rdm

torch.manual_seed(0)
rng = np.random.default_rng(0)
net = torch.nn.Sequential(
    torch.nn.Linear(8, 32),
    torch.nn.ReLU(),
    torch.nn.Linear(32, 32),
    torch.nn.ReLU(),
    torch.nn.Linear(32, 4),
)
prototypes = rng.normal(size=(4, 8))
stimuli = np.repeat(prototypes, 4, axis=0) + 0.3 * rng.normal(size=(16, 8))
names = [f"class{i // 4}-{i % 4}" for i in range(16)]
layers = ActivationRecorder(net, ["1", "3", "4"], name="mlp").record(
    torch.tensor(stimuli, dtype=torch.float32), conditions=names
)
for name, responses in layers.items():
    print(name, responses.data.shape, responses.source)

# %%
# Representational geometry per layer
# -----------------------------------
rdms = {name: compute_rdm(r, "correlation") for name, r in layers.items()}
fig = plot_rdm(rdms["3"])
for a in rdms:
    row = [float(compare(rdms[a], rdms[b], "spearman")[0, 0]) for b in rdms]
    print(a, np.round(row, 2))
