"""AT-AT and the neural baselines: shapes, targeting, training, weight files."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neurokit_ai.artifacts import (
    ATATNet,
    build_network,
    count_parameters,
    denoise_segments,
    make_benchmark,
    simulate_emg,
    train_denoiser,
)
from neurokit_ai.artifacts._weights import (
    load_weights,
    save_weights,
    shipped_weights_path,
)
from neurokit_ai.core import FileFormatError, ValidationError, save_checkpoint


@pytest.mark.parametrize("kind", ["atat", "cnn", "transformer"])
def test_networks_keep_the_shape(kind):
    net = build_network(kind).eval()
    y = torch.randn(3, 512)
    assert net(y).shape == (3, 512)


def test_atat_is_under_a_tenth_of_the_plain_transformer():
    atat = count_parameters(build_network("atat"))
    plain = count_parameters(build_network("transformer"))
    assert atat <= 0.1 * plain


def test_gate_flags_the_contaminated_patch_and_routing_skips_clean_segments():
    torch.manual_seed(0)
    net = ATATNet().eval()
    t = torch.arange(512) / 256.0
    smooth = torch.sin(2 * torch.pi * 3 * t)[None]
    a = smooth.clone()
    y = smooth.clone()
    y[0, 160:176] += 2.0 * torch.randn(16)  # patch 10 departs from the estimate
    gate = net.gate(y, a)[0]
    assert int(gate.argmax()) == 10
    assert gate[10] > 0.9
    # elsewhere corr = 1, so gate = sigmoid((1 - 1 - threshold) / 0.1)
    expected = torch.sigmoid(-net.threshold / 0.1).expand(31)
    torch.testing.assert_close(torch.cat([gate[:10], gate[11:]]), expected)
    with torch.no_grad():
        net.threshold.fill_(3.0)  # gate <= sigmoid(-10): every segment skips
        out, parts = net(torch.randn(4, 512), return_parts=True)
    assert not parts["routed"].any()
    torch.testing.assert_close(out, parts["autoencoder"])


def test_adversarial_training_reduces_the_error():
    rng = np.random.default_rng(0)
    t = np.arange(128) / 256.0
    freqs = rng.uniform(4, 12, (80, 1))
    clean = np.sin(2 * np.pi * freqs * t + rng.uniform(0, 6, (80, 1)))
    emg = simulate_emg(32, 128, random_state=0)
    mix = make_benchmark(clean[64:], emg, [0.0], random_state=1)
    torch.manual_seed(0)
    net = build_network("atat", n_samples=128, patch=8, d_model=16, dim_ff=32)
    before = np.mean((denoise_segments(net, mix.noisy) - mix.clean) ** 2)
    out = train_denoiser(
        net,
        clean[:64],
        emg,
        val=(mix.noisy, mix.clean),
        adversarial_weight=0.05,
        autoencoder_weight=0.5,
        max_epochs=6,
        lr=5e-3,
        patience=None,
        random_state=0,
    )
    after = np.mean((denoise_segments(net, mix.noisy) - mix.clean) ** 2)
    assert after < 0.5 * before
    assert out["discriminator"] is not None and len(out["history"]["val_loss"]) == 6
    with pytest.raises(ValidationError, match="adversarial_weight"):
        train_denoiser(net, clean, emg, adversarial_weight=-1.0)


def test_weight_file_round_trip_and_version_check(tmp_path):
    net = build_network("cnn", width=4, n_layers=1)
    path = save_weights(tmp_path / "w.pt", net, "cnn", {"width": 4, "n_layers": 1})
    loaded, kind, _ = load_weights(path)
    y = torch.randn(2, 512)
    torch.testing.assert_close(loaded(y), net.eval()(y))
    state = torch.load(path, weights_only=True)
    state["version"] = 999
    save_checkpoint(tmp_path / "old.pt", state)
    with pytest.raises(FileFormatError, match="version 999.*build_artifact_weights"):
        load_weights(tmp_path / "old.pt")
    save_checkpoint(tmp_path / "other.pt", {"model": {}})
    with pytest.raises(FileFormatError, match="not a neurokit_ai denoiser"):
        load_weights(tmp_path / "other.pt")


def test_shipped_weights_are_small_and_load():
    path = shipped_weights_path()
    assert path.stat().st_size < 300_000
    model, kind, info = load_weights(path)
    assert kind == "atat" and info["n_parameters"] == count_parameters(model)
