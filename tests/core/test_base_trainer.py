"""Estimator bases and the shared torch Trainer."""

import os

import numpy as np
import pytest
import torch
from sklearn.base import clone

from neurokit_ai.core import (
    FileFormatError,
    MissingFileError,
    NeurokitRegressor,
    NotFittedError,
    Trainer,
    ValidationError,
    check_is_fitted,
    load_checkpoint,
    resolve_device,
    save_checkpoint,
    seed_everything,
)


class _MeanRegressor(NeurokitRegressor):
    def __init__(self, shrink=0.0):
        self.shrink = shrink

    def fit(self, X, y):
        self.mean_ = (1 - self.shrink) * np.mean(y)
        return self

    def predict(self, X):
        check_is_fitted(self)
        return np.full(len(X), self.mean_)


def test_estimator_base_params_clone_and_not_fitted():
    est = _MeanRegressor(shrink=0.5)
    assert est.get_params() == {"shrink": 0.5}
    assert clone(est).shrink == 0.5
    with pytest.raises(NotFittedError, match="_MeanRegressor is not fitted"):
        est.predict(np.zeros((2, 1)))
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert est.fit(np.zeros((4, 1)), y).predict(np.zeros((2, 1))).tolist() == [
        1.25,
        1.25,
    ]
    assert clone(est).set_params(shrink=0.0).fit(np.zeros((4, 1)), y).score(
        np.zeros((4, 1)), y
    ) == pytest.approx(0.0)


def _regression_batches(seed=0, n=128):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    w = torch.tensor([[1.0], [-2.0], [0.5]])
    return [(x[i : i + 32], x[i : i + 32] @ w) for i in range(0, n, 32)]


def _loss(model, batch):
    xb, yb = batch
    return torch.nn.functional.mse_loss(model(xb), yb)


def test_trainer_learns_planted_weights_and_is_seeded():
    data = _regression_batches()
    weights = []
    for _ in range(2):
        seed_everything(3)
        model = torch.nn.Linear(3, 1)
        Trainer(max_epochs=200, lr=0.05, random_state=3, verbose=False).fit(
            model, data, _loss
        )
        weights.append(model.weight.detach().clone())
    torch.testing.assert_close(weights[0], weights[1], rtol=0, atol=0)
    torch.testing.assert_close(
        weights[0], torch.tensor([[1.0, -2.0, 0.5]]), rtol=0, atol=1e-3
    )


def test_trainer_early_stopping_restores_best_and_checkpoints(tmp_path):
    train = _regression_batches(0)
    val = _regression_batches(1)
    ckpt = tmp_path / "best.pt"
    model = torch.nn.Linear(3, 1)
    trainer = Trainer(
        max_epochs=500,
        lr=0.05,
        patience=3,
        min_delta=1e-3,
        random_state=0,
        checkpoint_path=ckpt,
        verbose=False,
    )
    hist = trainer.fit(model, train, _loss, val_data=val)
    assert len(hist["val_loss"]) < 500
    best = hist["best_epoch"][0]
    assert hist["val_loss"][best] == min(hist["val_loss"])
    state = load_checkpoint(ckpt)
    assert state["epoch"] == best
    torch.testing.assert_close(state["model"]["weight"], model.weight.detach())
    assert [p.name for p in tmp_path.iterdir()] == ["best.pt"]


def test_trainer_rejects_diverging_loss():
    model = torch.nn.Linear(3, 1)

    def bad_loss(model, batch):
        return model(batch[0]).sum() * torch.tensor(float("nan"))

    with pytest.raises(ValidationError, match="loss became nan"):
        Trainer(max_epochs=2, verbose=False).fit(model, _regression_batches(), bad_loss)


def test_trainer_bad_arguments():
    with pytest.raises(ValidationError, match="Did you mean 'adam'"):
        Trainer(optimizer="adma")
    with pytest.raises(ValidationError, match="max_epochs"):
        Trainer(max_epochs=0)
    with pytest.raises(ValidationError, match="torch.nn.Module"):
        Trainer(verbose=False).fit(object(), [], _loss)
    with pytest.raises(ValidationError, match="device"):
        resolve_device("gpu0")


def test_cuda_without_a_cuda_device_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValidationError, match="no CUDA device.*'cpu'"):
        resolve_device("cuda")
    with pytest.raises(ValidationError, match="no CUDA device"):
        resolve_device("cuda:1")
    assert resolve_device("auto").type in {"cpu", "mps"}


def test_checkpoint_atomic_and_safe_load(tmp_path, monkeypatch):
    path = tmp_path / "m.pt"
    save_checkpoint(path, {"w": torch.ones(2)})

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(torch, "save", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        save_checkpoint(path, {"w": torch.zeros(2)})
    monkeypatch.undo()
    torch.testing.assert_close(load_checkpoint(path)["w"], torch.ones(2))
    assert os.listdir(tmp_path) == ["m.pt"]
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(FileFormatError, match="corrupt"):
        load_checkpoint(tmp_path / "bad.pt")
    with pytest.raises(MissingFileError):
        load_checkpoint(tmp_path / "none.pt")


def test_torch_threads_restores_after_an_error_and_rejects_bad_counts():
    from neurokit_ai.core import ValidationError, torch_threads

    before = torch.get_num_threads()
    with pytest.raises(RuntimeError, match="inside"):
        with torch_threads(1):
            assert torch.get_num_threads() == 1
            raise RuntimeError("inside")
    assert torch.get_num_threads() == before
    for bad in (0, 1.5, "2"):
        with pytest.raises((ValidationError, TypeError), match="n_threads"):
            with torch_threads(bad):
                pass
    assert torch.get_num_threads() == before
