"""VQ layer: straight-through gradient, EMA update and restarts on tiny cases."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurokit_ai.speech import (  # noqa: E402
    VectorQuantizerEMA,
    codebook_perplexity,
    masked_code_loss,
)


def _vq(codebook, **kw):
    vq = VectorQuantizerEMA(codebook.shape[0], codebook.shape[1], **kw)
    vq.codebook.copy_(codebook)
    vq.embed_sum.copy_(codebook)
    vq.cluster_size.fill_(1.0)
    vq.initialized.fill_(True)
    return vq


def test_straight_through_gradient_is_identity_plus_commitment():
    codebook = torch.tensor([[0.0, 0.0], [10.0, 10.0]])
    vq = _vq(codebook, beta=0.25).eval()
    z = torch.tensor([[1.0, -1.0], [9.0, 12.0]], requires_grad=True)
    out, idx, loss = vq(z)
    assert idx.tolist() == [0, 1]
    # forward value is the code itself
    assert torch.equal(out.detach(), codebook[[0, 1]])
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    ((out * w).sum() + loss).backward()
    # d/dz of sum(w * st(z)) is w; commitment beta * mean((z - e)^2) adds
    # 2 * beta * (z - e) / z.numel()
    expected = w + 2 * 0.25 * (z.detach() - codebook[[0, 1]]) / z.numel()
    assert torch.allclose(z.grad, expected)
    diff = z.detach() - codebook[[0, 1]]
    assert float(loss.detach()) == pytest.approx(0.25 * float((diff**2).mean()))


def test_ema_update_matches_hand_computation():
    codebook = torch.tensor([[0.0], [4.0]])
    vq = _vq(codebook, decay=0.5, eps=0.0, dead_threshold=0.0).train()
    z = torch.tensor([[1.0], [3.0], [5.0]])
    _, idx, _ = vq(z)
    assert idx.tolist() == [0, 1, 1]
    # counts: N0 = .5*1 + .5*1 = 1, N1 = .5*1 + .5*2 = 1.5
    assert vq.cluster_size.tolist() == pytest.approx([1.0, 1.5])
    # sums: m0 = .5*0 + .5*1 = .5, m1 = .5*4 + .5*(3+5) = 6
    assert vq.embed_sum[:, 0].tolist() == pytest.approx([0.5, 6.0])
    # codes = m / N (eps = 0 leaves the counts unsmoothed)
    assert vq.codebook[:, 0].tolist() == pytest.approx([0.5, 4.0])
    assert vq.usage.tolist() == [1.0, 2.0]


def test_eval_mode_leaves_codebook_alone():
    codebook = torch.tensor([[0.0], [4.0]])
    vq = _vq(codebook).eval()
    vq(torch.tensor([[1.0], [3.0]]))
    assert torch.equal(vq.codebook, codebook)


def test_dead_code_is_restarted_on_a_batch_vector():
    codebook = torch.tensor([[0.0], [100.0]])
    vq = _vq(codebook, decay=0.5, dead_threshold=0.6).train()
    z = torch.tensor([[1.0], [2.0]])
    vq(z)  # code 1 unused: its count drops to 0.5 < 0.6
    assert float(vq.codebook[1, 0]) in (1.0, 2.0)
    assert float(vq.cluster_size[1]) == pytest.approx(0.6)
    assert float(vq.embed_sum[1, 0]) == pytest.approx(0.6 * float(vq.codebook[1, 0]))
    assert float(vq.cluster_size[0]) == pytest.approx(1.5)  # used: not restarted


def test_first_training_batch_initialises_codebook_from_data():
    torch.manual_seed(0)
    vq = VectorQuantizerEMA(4, 3, dead_threshold=0.0).train()
    z = torch.randn(50, 3) + 20.0
    vq(z)
    assert bool((vq.codebook > 10).all())


def test_perplexity_bounds():
    assert codebook_perplexity(torch.tensor([1.0, 1.0, 1.0, 1.0])) == pytest.approx(4)
    assert codebook_perplexity(torch.tensor([7.0, 0.0, 0.0])) == pytest.approx(1)
    p = np.array([0.5, 0.25, 0.25])
    expected = np.exp(-(p * np.log(p)).sum())
    assert codebook_perplexity(torch.tensor([2.0, 1.0, 1.0])) == pytest.approx(expected)


def test_masked_loss_ignores_unmasked_positions():
    torch.manual_seed(0)
    logits = torch.randn(3, 5, 7, requires_grad=True)
    codes = torch.randint(0, 7, (3, 5))
    mask = torch.zeros(3, 5, dtype=torch.bool)
    mask[0, 1] = mask[2, 4] = mask[1, 0] = True
    loss = masked_code_loss(logits, codes, mask)
    loss.backward()
    assert bool((logits.grad[~mask] == 0).all())
    assert bool((logits.grad[mask].abs().sum(-1) > 0).all())
    changed = logits.detach().clone()
    changed[~mask] = torch.randn(int((~mask).sum()), 7) * 100
    same = masked_code_loss(changed, codes, mask)
    assert float(same) == pytest.approx(float(loss.detach()))
    by_hand = torch.nn.functional.cross_entropy(
        logits.detach()[mask], codes[mask], reduction="mean"
    )
    assert float(loss.detach()) == pytest.approx(float(by_hand))
