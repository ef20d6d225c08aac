"""The stage registry: every step a pipeline file may name, one entry each.

A stage declares its kind (``clean``, ``epoch``, ``analyse``, ``report``), what it
consumes (the raw recording, the latest recording, the epochs, or everything a
recording produced), what it produces, its parameters and the function that
does the work. Adding a stage (artifact removal, say) is one :class:`Stage`
entry in :data:`STAGES`; the file schema, the task graph, caching and the CLI
help follow from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import Recording, Responses, ValidationError
from ._schema import REQUIRED, Param

__all__ = ["KINDS", "STAGES", "Stage", "TableResult"]

#: Stage kinds, in the order a pipeline runs them.
KINDS = ("clean", "epoch", "analyse", "report")

_NUM = (float,)
_OPT_NUM = (float, type(None))
_PICKS = (str, list, type(None))


@dataclass(frozen=True)
class TableResult:
    """What an analysis stage returns: table rows, their columns, and a summary.

    ``summary`` holds a few headline numbers (JSON-ready); it is stored in the
    output's sidecar and shown in the reports.

    Examples
    --------
    >>> TableResult([{"a": 1}], ["a"], {"n": 1}).summary
    {'n': 1}
    """

    rows: list[dict[str, Any]]
    columns: list[str]
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stage:
    """One registered pipeline step.

    Parameters
    ----------
    name : str
        The name used in pipeline files.
    kind : {"clean", "epoch", "analyse", "report"}
        Position in the pipeline (stages run in this order of kinds).
    consumes : {"recording", "responses", "unit"}
        The latest recording (after cleaning), the epochs, or everything the
        recording's earlier stages produced (reports).
    produces : {"recording", "responses", "table", "report"}
        What ``run`` returns: a Recording, Responses, a :class:`TableResult` or a
        :class:`~neurokit_ai.viz.Report`.
    suffix, extension : str
        BIDS-derivatives suffix and file extension of the output.
    params : dict of str to Param
        Declared parameters (names, defaults, accepted types, description).
    run : callable
        ``run(data, params) -> output``.
    doc : str
        One line for ``neurokit-ai run --list-stages`` and the docs.

    Examples
    --------
    >>> STAGES["filter"].kind
    'clean'
    """

    name: str
    kind: str
    consumes: str
    produces: str
    suffix: str
    extension: str
    params: Mapping[str, Param]
    run: Callable[[Any, dict[str, Any]], Any]
    doc: str


def _filter(rec: Recording, p: dict[str, Any]) -> Recording:
    from ..preprocessing import filter_recording

    return filter_recording(
        rec, p["l_freq"], p["h_freq"], picks=p["picks"], method=p["method"]
    )


def _notch(rec: Recording, p: dict[str, Any]) -> Recording:
    from ..preprocessing import notch_filter

    return notch_filter(rec, p["freqs"], picks=p["picks"])


def _resample(rec: Recording, p: dict[str, Any]) -> Recording:
    from ..preprocessing import resample

    return resample(rec, p["sfreq"])


def _remove_artifacts(rec: Recording, p: dict[str, Any]) -> Recording:
    from ..artifacts import ArtifactRemover

    remover = ArtifactRemover(
        method=p["method"], weights=p["weights"], picks=p["picks"]
    )
    return remover.fit().transform(rec)


def _pair(value: Any, name: str) -> tuple[Any, Any] | None:
    if value is None:
        return None
    if len(value) != 2:
        raise ValidationError(f"{name} must be [start, end] in seconds, got {value!r}.")
    return (value[0], value[1])


def _epoch(rec: Recording, p: dict[str, Any]) -> Responses:
    from ..preprocessing import epochs_to_responses

    return epochs_to_responses(
        rec,
        tmin=p["tmin"],
        tmax=p["tmax"],
        conditions=p["conditions"],
        picks=p["picks"],
        baseline=_pair(p["baseline"], "epoch.baseline"),
        average=p["average"],
        window=_pair(p["window"], "epoch.window"),
    )


def _rdm(responses: Responses, p: dict[str, Any]) -> TableResult:
    from ..rsa import compute_rdm

    if responses.data.ndim != 2:
        raise ValidationError(
            "rdm needs 2-D patterns, but the epochs are time-resolved; give the "
            "epoch stage a window, e.g. window: [0.1, 0.3]."
        )
    rdm = compute_rdm(responses, p["method"])
    matrix = rdm.matrices()[0]
    names = [str(c) for c in rdm.conditions]
    rows = [
        {"condition": a, **{b: float(matrix[i, j]) for j, b in enumerate(names)}}
        for i, a in enumerate(names)
    ]
    upper = matrix[np.triu_indices(len(names), 1)]
    summary = {
        "method": p["method"],
        "n_conditions": len(names),
        "mean_dissimilarity": float(upper.mean()) if upper.size else 0.0,
    }
    return TableResult(rows, ["condition", *names], summary)


def _band_power(rec: Recording, p: dict[str, Any]) -> TableResult:
    from scipy.signal import welch

    bands = p["bands"]
    for band, edges in bands.items():
        if not (isinstance(edges, list) and len(edges) == 2 and edges[0] < edges[1]):
            raise ValidationError(
                f"band_power.bands[{band!r}] must be [low, high] in Hz with low < "
                f"high, got {edges!r}."
            )
    from ..preprocessing._common import pick_indices

    picked = rec.pick(pick_indices(rec, p["picks"], exclude_bads=True))
    data = picked.get_data()
    freqs, psd = welch(data, fs=rec.sfreq, nperseg=min(data.shape[1], 2 * 256))
    rows = []
    for name, row in zip(picked.ch_names, psd):
        entry = {"channel": name}
        for band, (low, high) in bands.items():
            keep = (freqs >= low) & (freqs < high)
            entry[band] = float(np.trapezoid(row[keep], freqs[keep]))
        rows.append(entry)
    summary = {
        f"mean_{band}": float(np.mean([r[band] for r in rows])) for band in bands
    }
    return TableResult(rows, ["channel", *bands], summary)


def _decode_conditions(responses: Responses, p: dict[str, Any]) -> TableResult:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    labels = np.asarray([str(c) for c in responses.conditions])
    classes, counts = np.unique(labels, return_counts=True)
    if classes.size < 2 or counts.min() < p["cv"]:
        raise ValidationError(
            f"decode_conditions needs at least {p['cv']} epochs of each of 2+ "
            f"conditions, got {dict(zip(classes.tolist(), counts.tolist()))}; use "
            "epoch with average: false, or fewer folds (cv)."
        )
    features = responses.data.reshape(responses.n_observations, -1)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=p["C"], max_iter=1000))
    folds = StratifiedKFold(p["cv"], shuffle=True, random_state=p["random_state"])
    scores = cross_val_score(model, features, labels, cv=folds, n_jobs=p["n_jobs"])
    rows = [{"fold": k, "accuracy": float(s)} for k, s in enumerate(scores)]
    summary = {
        "accuracy": float(scores.mean()),
        "accuracy_std": float(scores.std()),
        "chance": float(counts.max() / counts.sum()),
        "n_epochs": int(labels.size),
        "classes": classes.tolist(),
    }
    return TableResult(rows, ["fold", "accuracy"], summary)


def _fold_r2(x: np.ndarray, y: np.ndarray, test: np.ndarray, bin_width: float) -> Any:
    from sklearn.metrics import r2_score

    from ..decoding import KalmanFilterDecoder

    train = np.setdiff1d(np.arange(len(x)), test)
    model = KalmanFilterDecoder().fit(x[train], y[train], bin_width=bin_width)
    predicted = model.predict(x[test])
    return [r2_score(y[test, k], predicted[:, k]) for k in range(y.shape[1])]


def _decode_covariates(rec: Recording, p: dict[str, Any]) -> TableResult:
    from joblib import Parallel, delayed
    from sklearn.model_selection import KFold

    targets = p["targets"]
    if targets is None:
        targets = [n for n, t in zip(rec.ch_names, rec.ch_types) if t == "behavior"]
    missing = [t for t in targets if t not in rec.ch_names]
    if not targets or missing:
        raise ValidationError(
            f"decode_covariates.targets {missing or targets!r} are not channels of "
            f"the recording; its channels include {rec.ch_names[-8:]}."
        )
    x = rec.get_data(p["features"]).T
    y = rec.get_data(targets).T
    folds = KFold(p["cv"], shuffle=False).split(x)
    r2 = Parallel(n_jobs=p["n_jobs"])(
        delayed(_fold_r2)(x, y, test, 1.0 / rec.sfreq) for _, test in folds
    )
    rows = [
        {"fold": k, **{t: float(v) for t, v in zip(targets, fold)}}
        for k, fold in enumerate(r2)
    ]
    summary = {f"r2_{t}": float(np.mean([r[t] for r in rows])) for t in targets}
    summary["n_bins"] = int(len(x))
    return TableResult(rows, ["fold", *targets], summary)


def _report(unit: Mapping[str, Any], p: dict[str, Any]) -> Any:
    from ..viz._report import build_recording_report

    return build_recording_report(
        unit["raw"],
        title=p["title"] or unit["label"],
        cleaned=unit.get("recording"),
        responses=unit.get("responses"),
        results=unit.get("results", {}),
        fmax=p["fmax"],
    )


_CV = Param(5, (int,), "number of cross-validation folds")
_N_JOBS = Param(
    1, (int, type(None)), "parallel folds (scikit-learn's n_jobs; -1 = all cores)"
)

#: Every stage a pipeline file may name.
STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage(
            "filter",
            "clean",
            "recording",
            "recording",
            "",
            "npz",
            {
                "l_freq": Param(REQUIRED, _OPT_NUM, "high-pass edge (Hz) or null"),
                "h_freq": Param(REQUIRED, _OPT_NUM, "low-pass edge (Hz) or null"),
                "picks": Param(None, _PICKS, "channels (default: data channels)"),
                "method": Param("fir", (str,), "'fir' or 'iir'"),
            },
            _filter,
            "Band-, high- or low-pass filter (preprocessing.filter_recording).",
        ),
        Stage(
            "notch",
            "clean",
            "recording",
            "recording",
            "",
            "npz",
            {
                "freqs": Param(REQUIRED, (float, list), "line frequencies (Hz)"),
                "picks": Param(None, _PICKS, "channels (default: data channels)"),
            },
            _notch,
            "Remove line noise (preprocessing.notch_filter).",
        ),
        Stage(
            "resample",
            "clean",
            "recording",
            "recording",
            "",
            "npz",
            {"sfreq": Param(REQUIRED, _NUM, "new sampling rate (Hz)")},
            _resample,
            "Change the sampling rate (preprocessing.resample).",
        ),
        Stage(
            "remove_artifacts",
            "clean",
            "recording",
            "recording",
            "",
            "npz",
            {
                "method": Param(
                    "atat", (str,), "'atat', 'cnn', 'transformer', 'filter'"
                ),
                "weights": Param("shipped", (str,), "'shipped' or a weight file"),
                "picks": Param("eeg", _PICKS, "channels (default: EEG channels)"),
            },
            _remove_artifacts,
            "Remove muscle artifacts from EEG (artifacts.ArtifactRemover, AT-AT).",
        ),
        Stage(
            "epoch",
            "epoch",
            "recording",
            "responses",
            "responses",
            "npz",
            {
                "tmin": Param(REQUIRED, _NUM, "epoch start (s) from each event"),
                "tmax": Param(REQUIRED, _NUM, "epoch end (s) from each event"),
                "conditions": Param(None, (list, type(None)), "event labels kept"),
                "picks": Param(None, _PICKS, "channels (default: data channels)"),
                "baseline": Param(None, (list, type(None)), "[start, end] (s)"),
                "average": Param(False, (bool,), "one row per condition"),
                "window": Param(None, (list, type(None)), "[start, end] (s) averaged"),
            },
            _epoch,
            "Cut epochs around events (preprocessing.epochs_to_responses).",
        ),
        Stage(
            "rdm",
            "analyse",
            "responses",
            "table",
            "rdm",
            "tsv",
            {"method": Param("correlation", (str,), "dissimilarity (rsa.compute_rdm)")},
            _rdm,
            "Representational dissimilarity matrix of the epochs (rsa.compute_rdm).",
        ),
        Stage(
            "band_power",
            "analyse",
            "recording",
            "table",
            "bandpower",
            "tsv",
            {
                "bands": Param(
                    {"theta": [4, 8], "alpha": [8, 13], "beta": [13, 30]},
                    (dict,),
                    "band name -> [low, high] Hz",
                ),
                "picks": Param(None, _PICKS, "channels (default: data channels)"),
            },
            _band_power,
            "Power per channel in frequency bands (Welch).",
        ),
        Stage(
            "decode_conditions",
            "analyse",
            "responses",
            "table",
            "decoding",
            "tsv",
            {
                "cv": _CV,
                "C": Param(1.0, _NUM, "inverse regularisation strength"),
                "n_jobs": _N_JOBS,
                "random_state": Param(0, (int,), "seed of the fold shuffling"),
            },
            _decode_conditions,
            "Cross-validated logistic-regression decoding of the epochs' conditions.",
        ),
        Stage(
            "decode_covariates",
            "analyse",
            "recording",
            "table",
            "decoding",
            "tsv",
            {
                "features": Param("spikes", (str, list), "feature channels"),
                "targets": Param(None, (list, type(None)), "decoded channels"),
                "cv": _CV,
                "n_jobs": _N_JOBS,
            },
            _decode_covariates,
            "Cross-validated Kalman-filter decoding of covariates from spike counts.",
        ),
        Stage(
            "report",
            "report",
            "unit",
            "report",
            "report",
            "html",
            {
                "title": Param(None, (str, type(None)), "page title"),
                "fmax": Param(None, _OPT_NUM, "highest frequency shown (Hz)"),
            },
            _report,
            "Self-contained HTML report of the recording (viz.Report).",
        ),
    )
}
