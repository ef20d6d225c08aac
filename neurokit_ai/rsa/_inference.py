"""Model comparison with inference: bootstrap, permutation, noise ceiling, tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import ValidationError
from ..core._validation import check_option, check_random_state, check_scalar
from ._compare import COMPARE_METHODS, compare
from ._models import FixedModel, WeightedModel, fit_weights, pool_rdms
from ._rdms import RDMs, pair_index

__all__ = [
    "ModelComparison",
    "evaluate_models",
    "noise_ceiling",
    "permutation_test",
]

Model = FixedModel | WeightedModel


def _take(vectors: np.ndarray, cols: np.ndarray | None) -> np.ndarray:
    """Columns ``cols`` of ``vectors``, NaN where ``cols`` is -1."""
    if cols is None:
        return vectors
    out = vectors[:, np.maximum(cols, 0)]
    out[:, cols < 0] = np.nan
    return out


def _condition_columns(sample: np.ndarray, n: int) -> np.ndarray:
    """Condensed columns of a resampled condition set; -1 for a self-pair."""
    s = np.sort(sample)
    i, j = np.triu_indices(s.size, 1)
    cols = pair_index(s[i], s[j], n)
    cols[s[i] == s[j]] = -1
    return cols


def _ceiling(data: np.ndarray, groups: np.ndarray, method: str) -> tuple[float, float]:
    """rsatoolbox's leave-one-(group)-out noise ceiling on RDM vectors."""
    upper_pool = pool_rdms(data, method)[None]
    lows, ups = [], []
    for g in np.unique(groups):
        test = data[groups == g]
        train = data[groups != g]
        lows.append(np.mean(compare(pool_rdms(train, method)[None], test, method)))
        ups.append(np.mean(compare(upper_pool, test, method)))
    return float(np.mean(lows)), float(np.mean(ups))


def noise_ceiling(data: RDMs, method: str = "corr") -> tuple[float, float]:
    """Lower and upper bound of the best possible model's mean similarity.

    Upper bound: each subject's RDM compared with the mean of all; lower bound:
    compared with the mean of the others (leave one out), as rsatoolbox's
    ``boot_noise_ceiling``. The ``"subject"`` descriptor, when present, groups
    RDMs that are left out together.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.random(45)
    >>> data = RDMs(truth + 0.1 * rng.normal(size=(5, 45)))
    >>> low, up = noise_ceiling(data)
    >>> bool(0 < low < up <= 1)
    True
    """
    check_option(method, "method", COMPARE_METHODS)
    groups = _groups(data)
    if np.unique(groups).size < 2:
        raise ValidationError(
            "a noise ceiling needs RDMs from at least 2 subjects, got "
            f"{np.unique(groups).size}."
        )
    return _ceiling(data.vectors, groups, method)


def _groups(data: RDMs) -> np.ndarray:
    if "subject" in data.descriptors:
        labels = data.descriptors["subject"]
        code = {v: i for i, v in enumerate(dict.fromkeys(labels))}
        return np.array([code[v] for v in labels])
    return np.arange(data.n_rdms)


def _evaluate_sample(
    models: Sequence[Model],
    data: np.ndarray,
    groups: np.ndarray,
    cols: np.ndarray | None,
    method: str,
    with_ceiling: bool,
) -> np.ndarray:
    """Mean similarity of each model (and the ceiling) on one resampled data set."""
    data = _take(data, cols)
    out = np.empty(len(models) + 2)
    uniq = np.unique(groups)
    for k, model in enumerate(models):
        comps = _take(model.rdm.vectors, cols)
        if isinstance(model, FixedModel):
            out[k] = np.mean(compare(comps, data, method))
        elif uniq.size < 2:
            theta = fit_weights(comps, data, method, nonnegative=model.nonnegative)
            out[k] = np.mean(compare((theta @ comps)[None], data, method))
        else:
            scores = []
            for g in uniq:
                theta = fit_weights(
                    comps, data[groups != g], method, nonnegative=model.nonnegative
                )
                pred = (theta @ comps)[None]
                scores.append(compare(pred, data[groups == g], method).ravel())
            out[k] = np.mean(np.concatenate(scores))
    if with_ceiling and uniq.size >= 2:
        out[-2:] = _ceiling(data, groups, method)
    else:
        out[-2:] = np.nan
    return out


def _evaluate_chunk(
    models: Sequence[Model],
    data: np.ndarray,
    groups: np.ndarray,
    samples: list[tuple[np.ndarray | None, np.ndarray | None]],
    n_conditions: int,
    method: str,
    with_ceiling: bool,
) -> np.ndarray:
    rows = []
    for rdm_idx, cond_idx in samples:
        if cond_idx is not None and np.unique(cond_idx).size < 3:
            rows.append(np.full(len(models) + 2, np.nan))
            continue
        cols = None if cond_idx is None else _condition_columns(cond_idx, n_conditions)
        d = data if rdm_idx is None else data[rdm_idx]
        g = groups if rdm_idx is None else groups[rdm_idx]
        rows.append(_evaluate_sample(models, d, g, cols, method, with_ceiling))
    return np.array(rows)


@dataclass
class ModelComparison:
    """Result of :func:`evaluate_models`.

    Attributes
    ----------
    model_names : list of str
    method : str
        The RDM comparison method.
    scores : numpy.ndarray, shape (n_models,)
        Mean similarity of each model with the data (flexible models
        cross-validated over subjects).
    bootstrap_scores : numpy.ndarray, shape (n_bootstrap, n_models)
        Scores on each bootstrap sample (NaN for degenerate samples).
    noise_ceiling : numpy.ndarray, shape (2,)
        Lower and upper noise ceiling (NaN with a single subject).
    bootstrap_ceiling : numpy.ndarray, shape (n_bootstrap, 2)
    bootstrap : str or None
        What was resampled: "conditions", "subjects", "both" or None.
    dof : int
        Degrees of freedom for t-tests (``min(n_subjects, n_conditions) - 1``).
    """

    model_names: list[str]
    method: str
    scores: np.ndarray
    bootstrap_scores: np.ndarray
    noise_ceiling: np.ndarray
    bootstrap_ceiling: np.ndarray
    bootstrap: str | None
    dof: int
    weights: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def best(self) -> str:
        """Name of the model with the highest score."""
        return self.model_names[int(np.nanargmax(self.scores))]

    def _valid(self) -> np.ndarray:
        ok = np.isfinite(self.bootstrap_scores).all(axis=1)
        if ok.sum() < 2:
            raise ValidationError(
                "fewer than 2 valid bootstrap samples; run evaluate_models with "
                "bootstrap= and n_bootstrap >= 100."
            )
        return self.bootstrap_scores[ok]

    def sem(self) -> np.ndarray:
        """Bootstrap standard error of each model's score."""
        return self._valid().std(axis=0, ddof=1)

    def ci(self, level: float = 0.95) -> np.ndarray:
        """Percentile bootstrap interval of each score, shape (n_models, 2)."""
        check_scalar(level, "level", min_val=0, max_val=1, include_min=False)
        q = [(1 - level) / 2, 1 - (1 - level) / 2]
        return np.quantile(self._valid(), q, axis=0).T

    def pairwise_tests(
        self, *, test: str = "t", correction: str | None = "fdr"
    ) -> np.ndarray:
        """Two-sided p-values of every model difference, shape (n_models, n_models).

        ``test="t"`` uses the t statistic of the difference with its bootstrap
        standard error (rsatoolbox's default); ``test="bootstrap"`` the share of
        bootstrap differences on the other side of zero. ``correction`` is
        ``"fdr"`` (Benjamini-Hochberg), ``"bonferroni"`` or None, applied to the
        ``n_models * (n_models - 1) / 2`` tests.
        """
        from scipy.stats import t as t_dist

        check_option(test, "test", ("t", "bootstrap"))
        check_option(correction, "correction", ("fdr", "bonferroni", None))
        boot = self._valid()
        m = len(self.model_names)
        p = np.ones((m, m))
        iu = np.triu_indices(m, 1)
        for a, b in zip(*iu):
            diff = boot[:, a] - boot[:, b]
            if test == "t":
                se = diff.std(ddof=1)
                stat = (self.scores[a] - self.scores[b]) / se if se > 0 else 0.0
                pv = 2 * t_dist.sf(abs(stat), max(self.dof, 1))
            else:
                pv = 2 * min(np.mean(diff <= 0), np.mean(diff >= 0))
            p[a, b] = p[b, a] = min(pv, 1.0)
        p[iu] = p.T[iu] = _correct(p[iu], correction)
        return p

    def summary(self, level: float = 0.95) -> str:
        """A text table of scores, intervals and the noise ceiling."""
        lines = [f"{'model':<24} {'score':>8} {'ci_low':>8} {'ci_high':>8}"]
        ci = (
            self.ci(level) if self.bootstrap else np.full((len(self.scores), 2), np.nan)
        )
        for name, s, (lo, hi) in zip(self.model_names, self.scores, ci):
            lines.append(f"{name:<24} {s:8.3f} {lo:8.3f} {hi:8.3f}")
        lines.append(
            f"noise ceiling: [{self.noise_ceiling[0]:.3f}, {self.noise_ceiling[1]:.3f}]"
            f" ({self.method}, bootstrap over {self.bootstrap})"
        )
        return "\n".join(lines)


def _correct(p: np.ndarray, correction: str | None) -> np.ndarray:
    if correction is None or p.size == 0:
        return p
    if correction == "bonferroni":
        return np.minimum(p * p.size, 1.0)
    order = np.argsort(p)
    ranked = p[order] * p.size / np.arange(1, p.size + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(p)
    out[order] = np.minimum(ranked, 1.0)
    return out


def _check_models(models: Any, data: RDMs) -> list[Model]:
    if isinstance(models, FixedModel | WeightedModel):
        models = [models]
    models = list(models)
    if not models:
        raise ValidationError("models is empty; give at least one model.")
    out = []
    for m in models:
        if not isinstance(m, FixedModel | WeightedModel):
            raise ValidationError(
                f"models must be FixedModel or WeightedModel, got {type(m).__name__}."
            )
        out.append(m.aligned(data))
    names = [m.name for m in out]
    if len(set(names)) != len(names):
        raise ValidationError(f"model names must be unique, got {names}.")
    return out


def evaluate_models(
    models: Model | Sequence[Model],
    data: RDMs,
    method: str = "corr",
    *,
    bootstrap: str | None = "both",
    n_bootstrap: int = 1000,
    n_jobs: int = 1,
    random_state: Any = None,
) -> ModelComparison:
    """Evaluate models on data RDMs with bootstrap inference and a noise ceiling.

    Parameters
    ----------
    models : FixedModel, WeightedModel or sequence of them
        Their RDM conditions must match the data's (order is fixed by label).
    data : RDMs
        One RDM per subject (a ``"subject"`` descriptor groups several).
    method : str
        RDM comparison method (see :func:`compare`).
    bootstrap : {"conditions", "subjects", "both", None}
        What to resample; rsatoolbox's ``eval_bootstrap_pattern``,
        ``eval_bootstrap_rdm`` and ``eval_bootstrap``.
    n_bootstrap : int
        Number of bootstrap samples.
    n_jobs : int
        Parallel workers (joblib) over bootstrap samples; results do not depend
        on it.
    random_state : None, int or numpy Generator

    Returns
    -------
    ModelComparison

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> truth = RDMs(rng.random(28))
    >>> data = RDMs(truth.vectors + 0.1 * rng.normal(size=(4, 28)))
    >>> res = evaluate_models([FixedModel("truth", truth),
    ...                        FixedModel("noise", RDMs(rng.random(28)))],
    ...                       data, n_bootstrap=50, random_state=0)
    >>> res.best
    'truth'
    """
    if not isinstance(data, RDMs):
        raise ValidationError(f"data must be RDMs, got {type(data).__name__}.")
    check_option(method, "method", COMPARE_METHODS)
    check_option(bootstrap, "bootstrap", ("conditions", "subjects", "both", None))
    check_scalar(n_bootstrap, "n_bootstrap", kind=int, min_val=1)
    if np.isnan(data.vectors).any():
        raise ValidationError("data RDMs contain NaN dissimilarities.")
    models = _check_models(models, data)
    groups = _groups(data)
    n_groups = np.unique(groups).size
    if bootstrap in ("subjects", "both") and n_groups < 2:
        raise ValidationError(
            f"bootstrap={bootstrap!r} needs RDMs of at least 2 subjects, got "
            f"{n_groups}; use bootstrap='conditions'."
        )
    if bootstrap in ("conditions", "both") and data.n_conditions < 3:
        raise ValidationError(
            "bootstrapping conditions needs at least 3 conditions, got "
            f"{data.n_conditions}."
        )
    full = _evaluate_sample(models, data.vectors, groups, None, method, True)
    n_m = len(models)
    rng = check_random_state(random_state)
    samples: list[tuple[np.ndarray | None, np.ndarray | None]] = []
    if bootstrap is not None:
        uniq = np.unique(groups)
        for _ in range(n_bootstrap):
            rdm_idx = None
            if bootstrap in ("subjects", "both"):
                chosen = rng.choice(uniq, size=uniq.size, replace=True)
                rdm_idx = np.concatenate([np.flatnonzero(groups == g) for g in chosen])
            cond_idx = None
            if bootstrap in ("conditions", "both"):
                cond_idx = rng.integers(0, data.n_conditions, data.n_conditions)
            samples.append((rdm_idx, cond_idx))
    boot = _run_samples(models, data, groups, samples, method, n_jobs)
    weights = {
        m.name: m.fit(data, method) for m in models if isinstance(m, WeightedModel)
    }
    return ModelComparison(
        model_names=[m.name for m in models],
        method=method,
        scores=full[:n_m],
        bootstrap_scores=boot[:, :n_m],
        noise_ceiling=full[n_m:],
        bootstrap_ceiling=boot[:, n_m:],
        bootstrap=bootstrap,
        dof=int(min(n_groups, data.n_conditions) - 1),
        weights=weights,
    )


def _run_samples(
    models: list[Model],
    data: RDMs,
    groups: np.ndarray,
    samples: list,
    method: str,
    n_jobs: int,
) -> np.ndarray:
    if not samples:
        return np.empty((0, len(models) + 2))
    args = (data.vectors, groups)
    if n_jobs == 1:
        return _evaluate_chunk(models, *args, samples, data.n_conditions, method, True)
    from joblib import Parallel, delayed, effective_n_jobs

    n_chunks = min(len(samples), 4 * effective_n_jobs(n_jobs))
    bounds = np.linspace(0, len(samples), n_chunks + 1).astype(int)
    parts = Parallel(n_jobs=n_jobs)(
        delayed(_evaluate_chunk)(
            models, *args, samples[a:b], data.n_conditions, method, True
        )
        for a, b in zip(bounds[:-1], bounds[1:])
    )
    return np.concatenate(parts)


def permutation_test(
    models: Model | Sequence[Model],
    data: RDMs,
    method: str = "corr",
    *,
    n_permutations: int = 1000,
    random_state: Any = None,
) -> np.ndarray:
    """One-sided p-value of each fixed model's score under condition relabelling.

    The model RDM's conditions are permuted (rows and columns together) and the
    mean similarity with the data recomputed; ``p = (1 + #{perm >= obs}) /
    (1 + n_permutations)``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> truth = RDMs(rng.random(45))
    >>> data = RDMs(truth.vectors + 0.05 * rng.normal(size=(3, 45)))
    >>> p = permutation_test(FixedModel("t", truth), data, n_permutations=99,
    ...                      random_state=0)
    >>> float(p[0])
    0.01
    """
    check_scalar(n_permutations, "n_permutations", kind=int, min_val=1)
    models = _check_models(models, data)
    flexible = [m.name for m in models if not isinstance(m, FixedModel)]
    if flexible:
        raise ValidationError(
            f"permutation_test takes fixed models only; {flexible} are flexible."
        )
    rng = check_random_state(random_state)
    n = data.n_conditions
    i, j = np.triu_indices(n, 1)
    preds = np.concatenate([m.rdm.vectors for m in models])
    observed = compare(preds, data.vectors, method).mean(axis=1)
    exceed = np.zeros(len(models))
    for _ in range(n_permutations):
        perm = rng.permutation(n)
        cols = pair_index(perm[i], perm[j], n)
        null = compare(preds[:, cols], data.vectors, method).mean(axis=1)
        exceed += null >= observed - 1e-12
    return (1 + exceed) / (1 + n_permutations)
