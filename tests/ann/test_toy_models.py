"""Toy transformer and synthetic IOI task: task structure and a trained solution."""

from __future__ import annotations

import pytest

from neurokit_ai.core import NeurokitError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    HookPoint,
    ToyTransformer,
    logit_difference,
    make_ioi_task,
)


def test_ioi_task_structure():
    task = make_ioi_task(500, random_state=3)
    a, b, s = task.clean[:, 0], task.clean[:, 1], task.clean[:, 4]
    assert torch.equal(s, task.s)
    assert bool(((task.io == a) | (task.io == b)).all())
    assert bool((task.io != task.s).all())
    assert bool((a != b).all())
    diff = task.clean != task.corrupt
    assert bool(diff[:, 4].all()) and int(diff.sum()) == 500
    c = task.corrupt[:, 4]
    assert bool(((c != a) & (c != b) & (c < task.n_names)).all())
    fillers = task.clean[:, [2, 3, 5]]
    assert bool(((fillers >= task.n_names) & (fillers < task.vocab_size - 1)).all())
    assert bool((task.clean[:, 6] == task.vocab_size - 1).all())
    # both templates (S = A and S = B) occur
    assert 150 < int((s == a).sum()) < 350
    again = make_ioi_task(500, random_state=3)
    assert torch.equal(again.clean, task.clean)


def test_trained_model_solves_task_and_corruption_removes_the_answer(toy_ioi):
    model, task = toy_ioi
    with torch.no_grad():
        clean, corrupt = model(task.clean), model(task.corrupt)
    accuracy = (clean[:, -1].argmax(-1) == task.io).float().mean()
    assert accuracy > 0.95
    assert logit_difference(clean, task) > 5.0
    # with a third name at S the model cannot tell IO from S
    assert abs(float(logit_difference(corrupt, task))) < 1.5
    assert not model.training


def test_logit_difference_hand_checked():
    task = make_ioi_task(2, random_state=0)
    logits = torch.zeros(2, 7, task.vocab_size)
    logits[0, -1, task.io[0]] = 3.0
    logits[1, -1, task.s[1]] = 1.0
    assert float(logit_difference(logits, task)) == pytest.approx((3.0 - 1.0) / 2)


def test_model_shapes_and_hook_point():
    model = ToyTransformer(12, 7, d_model=8, n_heads=2, n_layers=3, d_mlp=4)
    assert model.head_points() == {f"blocks.{i}.attn.out:input": 2 for i in range(3)}
    x = torch.randn(3, 4)
    assert HookPoint()(x) is x


def test_bad_input():
    with pytest.raises(NeurokitError, match="d_model=10 is not divisible"):
        ToyTransformer(5, 7, d_model=10, n_heads=4)
    with pytest.raises(NeurokitError, match="n_layers"):
        ToyTransformer(5, 7, n_layers=0)
    with pytest.raises(NeurokitError, match="n_names"):
        make_ioi_task(4, n_names=2)
    with pytest.raises(NeurokitError, match="n "):
        make_ioi_task(0)
