"""
Compare brains to networks with RSA
===================================

Turn brain responses and network activations into the same
:class:`~neurokit_ai.core.Responses`, compute their RDMs, and ask which layer
of a small network best matches the brain.
"""

# %%
# Brain side: fMRI block responses
# --------------------------------
import numpy as np
import torch

from neurokit_ai.ann import ActivationRecorder
from neurokit_ai.datasets import load_sample
from neurokit_ai.preprocessing import epochs_to_responses
from neurokit_ai.rsa import FixedModel, compute_rdm, evaluate_models
from neurokit_ai.viz import plot_model_comparison, plot_rdm

fmri = load_sample("fmri")
block = float(np.median(fmri.annotations.duration))
brain = epochs_to_responses(
    fmri, tmin=0.0, tmax=block + 5.0, picks="fmri", average=True, window=(5.0, block)
)
brain_rdm = compute_rdm(brain, "correlation")
fig = plot_rdm(brain_rdm)

# %%
# Network side: activations recorded with forward hooks
# -----------------------------------------------------
# One input vector per condition (here: the condition's mean brain pattern
# projected to 16 dimensions) goes through a small random MLP.
torch.manual_seed(0)
rng = np.random.default_rng(0)
net = torch.nn.Sequential(
    torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 32), torch.nn.Tanh()
)
stimuli = brain.data @ rng.normal(size=(brain.n_units, 16)) / np.sqrt(brain.n_units)
conditions = [str(c) for c in brain.conditions]
layers = ActivationRecorder(net, ["1", "3"], name="mlp").record(
    torch.tensor(stimuli, dtype=torch.float32), conditions=conditions
)
models = [
    FixedModel(f"layer {name}", compute_rdm(r, "correlation"))
    for name, r in layers.items()
]

# %%
# Which layer matches the brain?
# ------------------------------
result = evaluate_models(
    models, brain_rdm, "corr", bootstrap="conditions", n_bootstrap=100, random_state=0
)
print(result.summary())
fig = plot_model_comparison(result)
