"""Steering: difference-in-means and probe directions by hand, G-ACT recovers the
planted per-prompt clusters of the toy IOI model and steers it better than one
difference-in-means direction of equal norm, SNMF features compared with
difference-in-means, and a steering run on the real MiniLM."""

from __future__ import annotations

import numpy as np
import pytest

from neurokit_ai.core import NeurokitError, NotFittedError

torch = pytest.importorskip("torch")
from neurokit_ai.ann import (  # noqa: E402
    GACT,
    SNMF,
    HookedModel,
    diff_in_means,
    make_ioi_task,
    probe_direction,
    steering_effect,
    steering_intervention,
)
from neurokit_ai.ann._toy_models import IOI_END_POSITION as END  # noqa: E402

TARGET = 0  # steer the toy model to answer name 0


def _target_rate(out):
    return float((out[:, -1].argmax(-1) == TARGET).float().mean())


def _margin(task):
    def metric(out):
        logits = out[:, -1, : task.n_names]
        others = logits.clone()
        others[:, TARGET] = -torch.inf
        return (logits[:, TARGET] - others.max(-1).values).mean()

    return metric


def _prompts_without_target(task):
    keep = (task.io != TARGET) & (task.s != TARGET)
    return task.clean[keep], task.io[keep]


def test_gact_finds_the_planted_clusters_and_steers_better(toy_ioi):
    from sklearn.metrics import adjusted_rand_score

    model, task = toy_ioi
    hooked = HookedModel(model)
    name = "unembed:input"
    base, io = _prompts_without_target(task)
    target = base.clone()
    target[target == io[:, None]] = TARGET  # the same prompt, answer renamed
    _, cb = hooked.run_with_cache(base, names=[name])
    _, ct = hooked.run_with_cache(target, names=[name])
    gact = GACT(n_clusters=task.n_names - 1, random_state=0).fit(
        {name: cb[name][:, END]}, {name: ct[name][:, END]}
    )
    # the difference depends on which name is replaced: clusters = old answer
    ari = adjusted_rand_score(io.numpy(), gact.labels_[name])
    assert ari > 0.8
    assert gact.probe_scores_[name] > 0.9
    # held-out prompts: the probe picks the direction from the base run only
    held_out = make_ioi_task(512, random_state=7)
    base2, _ = _prompts_without_target(held_out)
    _, cb2 = hooked.run_with_cache(base2, names=[name])
    acts = {name: cb2[name][:, END]}
    vectors = gact.steering_vectors(acts)[name]
    assert vectors.shape == (len(base2), model.unembed.in_features)
    plain = hooked.run_with_interventions(base2, interventions=[])
    assert _target_rate(plain) == 0.0
    full = hooked.run_with_interventions(
        base2, interventions=gact.interventions(acts, 1.0, positions=END)
    )
    assert _target_rate(full) > 0.95
    # equal norm: one difference-in-means direction vs the probe-chosen ones
    alpha = 0.5
    norm = float(np.linalg.norm(vectors, axis=1).mean())
    one = diff_in_means(ct[name][:, END], cb[name][:, END])
    dim = [steering_intervention(name, one, alpha * norm, positions=END)]
    gact_ivs = gact.interventions(acts, alpha, positions=END)
    metric = _margin(held_out)
    gact_rate = _target_rate(
        hooked.run_with_interventions(base2, interventions=gact_ivs)
    )
    dim_rate = _target_rate(hooked.run_with_interventions(base2, interventions=dim))
    gact_gain = steering_effect(hooked, base2, gact_ivs, metric)
    dim_gain = steering_effect(hooked, base2, dim, metric)
    print(
        f"steer to name {TARGET} at half norm: G-ACT {gact_rate:.2f} of prompts "
        f"(margin +{gact_gain:.1f}), diff-in-means {dim_rate:.2f} (+{dim_gain:.1f})"
    )
    assert gact_rate > dim_rate
    assert gact_gain > dim_gain > 0


def test_snmf_features_versus_diff_in_means_on_the_toy_mlp(toy_ioi):
    model, task = toy_ioi
    hooked = HookedModel(model)
    name = "blocks.1.mlp.1"  # the MLP's GELU output (64 units)
    big = make_ioi_task(1024, random_state=5)
    _, cache = hooked.run_with_cache(big.clean, names=[name])
    hidden = cache[name][:, END].numpy()
    is_target = big.io.numpy() == TARGET
    snmf = SNMF(8, sparsity=0.1, max_iter=100, random_state=0).fit(hidden)
    ratio = snmf.codes_[is_target].mean(0) / (snmf.codes_[~is_target].mean(0) + 1e-9)
    feature = snmf.components_[int(np.argmax(ratio))]
    dim = diff_in_means(hidden[is_target], hidden[~is_target])
    base, _ = _prompts_without_target(task)
    metric = _margin(task)
    gains = {}
    for label, vector in [("snmf", feature), ("dim", dim)]:
        gains[label] = [
            steering_effect(
                hooked,
                base,
                [steering_intervention(name, vector, alpha, positions=END)],
                metric,
            )
            for alpha in (2.0, 8.0)
        ]
    print(
        f"toy MLP steering gain at norm 2 / 8: SNMF feature {gains['snmf']}, "
        f"diff-in-means {gains['dim']}"
    )
    # both push toward the target, more with a larger norm
    for values in gains.values():
        assert 0 < values[0] < values[1]


def test_directions_by_hand_and_bad_inputs():
    np.testing.assert_allclose(
        diff_in_means([[1.0, 2.0], [3.0, 2.0]], [[0.0, 0.0]], normalize=True),
        [2 / np.sqrt(8), 2 / np.sqrt(8)],
    )
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 5))
    y = x @ [0.0, 3.0, 0.0, 0.0, 0.0] + 0.1 * rng.standard_normal(200) > 0
    d = probe_direction(x, y, random_state=0)
    assert d[1] > 0.99 and np.linalg.norm(d) == pytest.approx(1.0)
    with pytest.raises(NeurokitError, match="units"):
        diff_in_means(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(NeurokitError, match="zero vector"):
        diff_in_means(np.ones((2, 3)), np.ones((2, 3)), normalize=True)
    with pytest.raises(NeurokitError, match="both classes"):
        probe_direction(x, np.ones(200))
    with pytest.raises(NeurokitError, match="one label per row"):
        probe_direction(x, y[:10])
    with pytest.raises(NeurokitError, match="zero row"):
        steering_intervention("0", [0.0, 0.0])
    net = torch.nn.Sequential(torch.nn.Identity()).eval()
    hooked = HookedModel(net)
    with pytest.raises(NeurokitError, match="units"):
        hooked.run_with_interventions(
            torch.zeros(1, 3), interventions=[steering_intervention("0", [1.0, 0.0])]
        )
    with pytest.raises(NeurokitError, match="batch"):
        hooked.run_with_interventions(
            torch.zeros(3, 2),
            interventions=[steering_intervention("0", np.eye(2), normalize=False)],
        )
    with pytest.raises(NeurokitError, match="HookedModel"):
        steering_effect(net, torch.zeros(1, 2), [], lambda o: o.sum())
    with pytest.raises(NotFittedError):
        GACT().predict({"a": x})
    with pytest.raises(NeurokitError, match="layers"):
        GACT(2).fit({"a": x}, {"b": x})
    with pytest.raises(NeurokitError, match="same prompts"):
        GACT(2).fit({"a": x}, {"a": x[:10]})
    with pytest.raises(NeurokitError, match="n_clusters"):
        GACT(300).fit({"a": x}, {"a": x + 1})
    with pytest.raises(NeurokitError, match="n_layers"):
        GACT(2, n_layers=2).fit({"a": x}, {"a": x + 1})
    gact = GACT(2, random_state=0).fit({"a": x}, {"a": x + (x[:, :1] > 0)})
    with pytest.raises(NeurokitError, match="steered layers"):
        gact.predict({"b": x})


def test_steering_run_on_minilm(minilm):
    tokenizer, model = minilm
    hooked = HookedModel(model)
    positive = [
        "I love this wonderful film.",
        "What a happy, delightful day.",
        "The food was great and the staff were kind.",
        "A beautiful, joyful story.",
    ]
    negative = [
        "I hate this awful film.",
        "What a sad, miserable day.",
        "The food was terrible and the staff were rude.",
        "An ugly, painful story.",
    ]
    neutral = ["The film is about a man.", "The meeting is on Tuesday."]

    def embed(sentences, interventions=()):
        batch = dict(tokenizer(sentences, return_tensors="pt", padding=True))
        out = hooked.run_with_interventions(**batch, interventions=list(interventions))
        mask = batch["attention_mask"][..., None].float()
        emb = (out.last_hidden_state * mask).sum(1) / mask.sum(1)
        return torch.nn.functional.normalize(emb, dim=-1)

    with torch.no_grad():
        axis = embed(positive).mean(0) - embed(negative).mean(0)
    layer = "encoder.layer.2"

    def layer_mean(sentences):
        batch = dict(tokenizer(sentences, return_tensors="pt", padding=True))
        _, cache = hooked.run_with_cache(**batch, names=[layer])
        mask = batch["attention_mask"][..., None].float()
        return ((cache[layer] * mask).sum(1) / mask.sum(1)).numpy()

    direction = diff_in_means(layer_mean(positive), layer_mean(negative))
    norm = float(np.linalg.norm(direction))
    with torch.no_grad():
        plain = embed(neutral) @ axis
        up = embed(neutral, [steering_intervention(layer, direction, norm)]) @ axis
        down = embed(neutral, [steering_intervention(layer, direction, -norm)]) @ axis
        random = np.random.default_rng(0).standard_normal(direction.size)
        other = embed(neutral, [steering_intervention(layer, random, norm)]) @ axis
    print(
        f"MiniLM sentiment score {plain.tolist()} -> +{up.tolist()} / -{down.tolist()}"
    )
    assert (up > plain).all() and (down < plain).all()
    # a random direction of the same norm moves the score much less
    assert (torch.abs(other - plain) < 0.5 * torch.abs(up - plain)).all()


def test_snmf_feature_steers_more_than_diff_in_means_when_concepts_co_occur():
    # planted: 6 sparse mixed-sign features; feature 1 co-occurs with the
    # concept (feature 0), so the difference of means mixes the two, while the
    # model's output reads feature 0 alone
    rng = np.random.default_rng(0)
    n, d, k = 400, 100, 6
    features = np.zeros((k, d))
    for i in range(k):
        idx = rng.choice(d, 5, replace=False)
        features[i, idx] = rng.standard_normal(5)
    features /= np.linalg.norm(features, axis=1, keepdims=True)
    concept = rng.random(n) < 0.5
    codes = rng.exponential(1.0, (n, k)) * (rng.random((n, k)) < 0.3)
    codes[:, 0] = np.where(concept, rng.exponential(1.0, n) + 0.5, 0.0)
    codes[:, 1] = np.where(
        rng.random(n) < np.where(concept, 0.9, 0.1), rng.exponential(2.0, n), 0.0
    )
    hidden = codes @ features
    net = torch.nn.Sequential(torch.nn.Identity(), torch.nn.Linear(d, 1, bias=False))
    with torch.no_grad():
        net[1].weight.copy_(torch.as_tensor(features[:1]))
    hooked = HookedModel(net.eval())
    snmf = SNMF(k, sparsity=0.05, max_iter=200, random_state=0).fit(hidden)
    ratio = snmf.codes_[concept].mean(0) / (snmf.codes_[~concept].mean(0) + 1e-9)
    feature = snmf.components_[int(np.argmax(ratio))]
    feature = feature * np.sign(feature @ hidden[concept].mean(0))
    dim = diff_in_means(hidden[concept], hidden[~concept])
    x = torch.as_tensor(hidden[~concept], dtype=torch.float32)

    def gain(vector):
        iv = steering_intervention("0", vector, 1.0)
        return steering_effect(hooked, x, [iv], lambda out: out.mean())

    print(f"unit-norm steering gain: SNMF {gain(feature):.3f}, DiM {gain(dim):.3f}")
    assert gain(feature) == pytest.approx(1.0, abs=0.02)  # the planted feature
    assert gain(feature) > gain(dim) + 0.1


def test_steering_effect_review_single_intervention_and_wrong_type():
    net = torch.nn.Sequential(torch.nn.Identity()).eval()
    iv = steering_intervention("0", [1.0, 0.0], 2.0)

    def metric(out):
        return out[:, 0].mean()

    hooked = HookedModel(net)
    assert steering_effect(hooked, torch.zeros(3, 2), iv, metric) == 2.0
    with pytest.raises(NeurokitError, match="Intervention"):
        steering_effect(hooked, torch.zeros(3, 2), ["0"], metric)


def test_gact_ranks_a_layer_without_difference_last():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 8))
    shift = np.where(x[:, :1] > 0, 3.0, -3.0) * np.eye(8)[0]
    base = {"early": x, "late": x}
    target = {"early": x.copy(), "late": x + shift}
    gact = GACT(2, n_layers=1, random_state=0).fit(base, target)
    assert gact.layers_ == ["late"]
    assert np.isnan(gact.probe_scores_["early"])
    assert all(np.isfinite(d).all() for d in gact.directions_.values())
    with pytest.raises(NeurokitError, match="target equals base at every layer"):
        GACT(2).fit({"a": x}, {"a": x.copy()})
