"""scikit-learn conventions, checked on every public estimator of neurokit_ai.

Each estimator gets a factory (a "case") that builds it with tiny
hyper-parameters and a tiny valid input, then the same checks run on all of
them: ``__init__`` stores its arguments untouched and ``get_params`` returns
them, ``clone`` copies the parameters and drops the fitted state, ``set_params``
refuses unknown names and reaches nested estimators, ``fit`` returns self and
modifies neither its input nor its parameters, learned attributes end in ``_``
and appear only after ``fit``, unfitted use raises neurokit_ai's
``NotFittedError``, which is also scikit-learn's, refits are reproducible, a
fitted estimator survives pickling and ``deepcopy``, ``repr`` works, and a
wrong-typed or negative hyper-parameter is refused by name. Groups of cases
add online ``reset``/``step``, classifier labels, ``score`` and
``fit_transform`` checks. Estimators that take plain arrays also run
scikit-learn's own ``check_estimator``, with an allow-list of justified
exceptions. A public estimator without a case fails the first test.
"""

from __future__ import annotations

import copy
import functools
import importlib
import inspect
import pickle
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import sklearn.exceptions
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

import neurokit_ai
from neurokit_ai.core import NotFittedError, Recording, Responses
from neurokit_ai.speech._duin import _ARCH

# every subpackage, so that an estimator exported by a new one is found too
_SUBPACKAGES = tuple(
    m.name
    for m in pkgutil.iter_modules(neurokit_ai.__path__)
    if m.ispkg and not m.name.startswith("_")
)
_BASES = {"NeurokitEstimator", "NeurokitTransformer", "NeurokitRegressor"}

# the factories stop iterative fits after a few steps on purpose
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@dataclass
class Case:
    """An estimator, its fit arguments, and a method whose output is compared."""

    estimator: BaseEstimator
    fit_args: tuple
    method: str
    method_args: tuple


def _walk(n: int = 60, d: int = 2, n_feat: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.normal(size=(n, d)), axis=0) * 0.1
    z = x @ rng.normal(size=(d, n_feat)) + 0.1 * rng.normal(size=(n, n_feat))
    return z, x


def _regression(n: int = 40, p: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    return X, X @ np.arange(1.0, p + 1.0) + 0.1 * rng.normal(size=n)


def _trials(n: int = 12, n_ch: int = 2, n_times: int = 20, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    return rng.normal(size=(n, n_ch, n_times)) + 1.5 * y[:, None, None], y


def _kalman() -> Case:
    from neurokit_ai.decoding import KalmanFilterDecoder

    z, x = _walk()
    return Case(KalmanFilterDecoder(), (z, x), "predict", (z,))


def _dkf() -> Case:
    from sklearn.linear_model import Ridge

    from neurokit_ai.decoding import DiscriminativeKalmanFilter, GaussianRegressionModel

    z, x = _walk()
    model = GaussianRegressionModel(Ridge(), covariance="constant")
    return Case(DiscriminativeKalmanFilter(model), (z, x), "predict", (z,))


def _nadaraya_watson() -> Case:
    from neurokit_ai.decoding import NadarayaWatsonRegressor

    X, y = _regression()
    return Case(NadarayaWatsonRegressor(bandwidth=0.5), (X, y), "predict", (X,))


def _torch_mlp() -> Case:
    from neurokit_ai.decoding import TorchMLPRegressor

    X, y = _regression()
    est = TorchMLPRegressor(hidden_layer_sizes=(4,), max_epochs=2, batch_size=16)
    return Case(est, (X, y), "predict", (X,))


def _gaussian_regression() -> Case:
    from sklearn.linear_model import Ridge

    from neurokit_ai.decoding import GaussianRegressionModel

    z, x = _walk()
    est = GaussianRegressionModel(Ridge(), covariance="constant")
    return Case(est, (z, x), "predict", (z,))


def _spike_count() -> Case:
    from neurokit_ai.decoding import SpikeCountBinner

    trains = [np.array([0.1, 0.35, 0.7]), np.array([0.2, 0.9])]
    est = SpikeCountBinner(0.25, t_start=0.0, t_stop=1.0)
    return Case(est, (trains,), "transform", (trains,))


def _threshold_crossing() -> Case:
    from neurokit_ai.decoding import ThresholdCrossingBinner

    x = np.random.default_rng(0).normal(size=(200, 2))
    x[[20, 120], 0] = -10.0
    return Case(ThresholdCrossingBinner(0.05, sfreq=1000.0), (x,), "transform", (x,))


def _band_power() -> Case:
    from neurokit_ai.decoding import BandPowerBinner

    x = np.random.default_rng(0).normal(size=(400, 2))
    return Case(BandPowerBinner(0.1, sfreq=1000.0), (x,), "transform", (x,))


def _band_power_recording() -> Case:
    from neurokit_ai.decoding import BandPowerBinner

    rec = _eeg_recording()
    est = BandPowerBinner(0.25, band=(30.0, 60.0))
    return Case(est, (rec,), "transform", (rec,))


def _lag_stacker() -> Case:
    from neurokit_ai.decoding import LagStacker

    z, _ = _walk(n=10)
    return Case(LagStacker(2), (z,), "transform", (z,))


def _calibration_scaler() -> Case:
    from neurokit_ai.decoding import CalibrationScaler

    z, _ = _walk(n=10)
    return Case(CalibrationScaler(), (z,), "transform", (z,))


def _nonnegative_cp() -> Case:
    from neurokit_ai.connectome import NonNegativeCP

    rng = np.random.default_rng(0)
    x = np.einsum("ir,jr,kr->ijk", *(rng.random((n, 2)) for n in (6, 5, 3)))
    est = NonNegativeCP(rank=2, n_iter_max=5, random_state=0)
    return Case(est, (x,), "transform", (x,))


def _conv_response() -> Case:
    from neurokit_ai.celltypes import ConvResponseModel
    from neurokit_ai.datasets._retina import simulate_retina

    sim = simulate_retina(n_neurons=4, n_types=2, n_stimuli=40, size=6, random_state=0)
    est = ConvResponseModel(n_features=2, kernel_size=3, max_epochs=1, batch_size=16)
    return Case(est, (sim.stimuli, sim.responses), "predict", (sim.stimuli,))


def _mds() -> Case:
    import torch

    from neurokit_ai.celltypes import MDSClustering

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.Softplus())
    ref = np.random.default_rng(0).normal(size=(30, 6))
    est = MDSClustering(n_clusters=2, n_steps=2, max_iter=2, random_state=0)
    return Case(est, (net, ref), "predict_model", (net,))


def _artifact_remover() -> Case:
    from neurokit_ai.artifacts import ArtifactRemover

    segs = np.random.default_rng(0).normal(size=(2, 512)) * 1e-5
    return Case(ArtifactRemover(), (), "transform", (segs,))


def _eeg_recording():
    from neurokit_ai.core import Recording

    data = np.random.default_rng(0).normal(size=(2, 1024)) * 1e-5
    return Recording(data, sfreq=256.0, ch_names=["Fz", "Cz"], ch_types="eeg")


def _artifact_remover_trained() -> Case:
    from neurokit_ai.artifacts import ArtifactRemover

    segs = np.random.default_rng(1).normal(size=(4, 512)) * 1e-5
    est = ArtifactRemover(method="cnn", weights=None, max_epochs=1)
    return Case(est, (segs,), "transform", (_eeg_recording(),))


def _eegnet() -> Case:
    from neurokit_ai.speech import EEGNetClassifier

    X, y = _trials(n_times=32)
    est = EEGNetClassifier(f1=2, f2=4, kernel=4, max_epochs=1, verbose=False)
    return Case(est, (X, y), "predict_proba", (X,))


def _high_gamma() -> Case:
    from neurokit_ai.speech import HighGammaLogistic

    X, y = _trials(n_times=200)
    est = HighGammaLogistic(sfreq=1000.0, n_bins=2)
    return Case(est, (X, y), "predict_proba", (X,))


def _tokenizer_kw() -> dict[str, Any]:
    return dict(
        patch_len=10, d_neural=4, conv_channels=4, d_model=8, n_heads=2, n_layers=1
    )


def _neural_tokenizer() -> Case:
    from neurokit_ai.speech import NeuralTokenizer

    X, _ = _trials()
    est = NeuralTokenizer(**_tokenizer_kw(), n_codes=4, max_epochs=1, verbose=False)
    return Case(est, (X,), "transform", (X,))


def _masked_code() -> Case:
    from neurokit_ai.speech import MaskedCodeModel, NeuralTokenizer

    X, _ = _trials()
    tok = NeuralTokenizer(**_tokenizer_kw(), n_codes=4, max_epochs=1, verbose=False)
    est = MaskedCodeModel(tok, max_epochs=1, verbose=False)
    return Case(est, (X,), "encoder_state", ())


def _word_decoder() -> Case:
    from neurokit_ai.speech import WordDecoder

    X, y = _trials()
    est = WordDecoder(**_tokenizer_kw(), hidden=4, max_epochs=1, verbose=False)
    return Case(est, (X, y), "predict_proba", (X,))


def _word_decoder_pretrained() -> Case:
    from neurokit_ai.speech import NeuralTokenizer, WordDecoder

    X, y = _trials()
    tok = NeuralTokenizer(**_tokenizer_kw(), n_codes=4, max_epochs=1, verbose=False)
    est = WordDecoder(
        tok.fit(X), **_tokenizer_kw(), hidden=4, max_epochs=1, verbose=False
    )
    return Case(est, (X, y), "predict_proba", (X,))


def _ridge_readout() -> Case:
    from neurokit_ai.spiking import RidgeReadout

    X, y = _regression()
    return Case(RidgeReadout(), (X, y), "predict", (X,))


def _force_readout() -> Case:
    from neurokit_ai.spiking import FORCEReadout

    X, y = _regression()
    return Case(FORCEReadout(), (X, y), "predict", (X,))


def _three_factor() -> Case:
    from neurokit_ai.spiking import ThreeFactorReadout

    X, y = _regression()
    return Case(ThreeFactorReadout(), (X, y), "predict", (X,))


def _delay_layer() -> Case:
    from neurokit_ai.spiking import HeterogeneousDelayLayer, make_motion_dataset

    X, y = make_motion_dataset(8, 2, sensor_size=(6, 6), random_state=0)
    est = HeterogeneousDelayLayer(
        n_delays=2, kernel_size=3, max_epochs=1, batch_size=4, random_state=0
    )
    return Case(est, (X, y), "predict_proba", (X,))


def _snmf() -> Case:
    from neurokit_ai.ann import SNMF

    rng = np.random.default_rng(0)
    X = rng.random((20, 2)) @ rng.standard_normal((2, 5))
    return Case(SNMF(2, max_iter=5, random_state=0), (X,), "transform", (X,))


def _craft() -> Case:
    from neurokit_ai.ann import CRAFT

    rng = np.random.default_rng(0)
    A = rng.random((20, 2)) @ rng.random((2, 5))
    return Case(CRAFT(2, max_iter=5, random_state=0), (A,), "transform", (A,))


def _gact() -> Case:
    from neurokit_ai.ann import GACT

    rng = np.random.default_rng(0)
    base = rng.standard_normal((12, 3))
    group = (base[:, 0] > 0).astype(int)
    target = base + np.where(group[:, None], [3.0, 0, 0], [0, 3.0, 0])
    est = GACT(n_clusters=2, cv=2, random_state=0)
    return Case(est, ({"l": base}, {"l": target}), "predict", ({"l": base},))


FACTORIES: dict[str, Callable[[], Case]] = {
    "KalmanFilterDecoder": _kalman,
    "DiscriminativeKalmanFilter": _dkf,
    "NadarayaWatsonRegressor": _nadaraya_watson,
    "TorchMLPRegressor": _torch_mlp,
    "GaussianRegressionModel": _gaussian_regression,
    "SpikeCountBinner": _spike_count,
    "ThresholdCrossingBinner": _threshold_crossing,
    "BandPowerBinner": _band_power,
    "BandPowerBinner[Recording]": _band_power_recording,
    "LagStacker": _lag_stacker,
    "CalibrationScaler": _calibration_scaler,
    "NonNegativeCP": _nonnegative_cp,
    "ConvResponseModel": _conv_response,
    "MDSClustering": _mds,
    "ArtifactRemover": _artifact_remover,
    "ArtifactRemover[trained]": _artifact_remover_trained,
    "EEGNetClassifier": _eegnet,
    "HighGammaLogistic": _high_gamma,
    "NeuralTokenizer": _neural_tokenizer,
    "MaskedCodeModel": _masked_code,
    "WordDecoder": _word_decoder,
    "WordDecoder[pretrained]": _word_decoder_pretrained,
    "RidgeReadout": _ridge_readout,
    "FORCEReadout": _force_readout,
    "ThreeFactorReadout": _three_factor,
    "HeterogeneousDelayLayer": _delay_layer,
    "SNMF": _snmf,
    "CRAFT": _craft,
    "GACT": _gact,
}
NAMES = sorted(FACTORIES)
# the cases that the online, classifier and nested-parameter checks apply to
ONLINE = ["DiscriminativeKalmanFilter", "KalmanFilterDecoder", "LagStacker"]
CLASSIFIERS = [
    "EEGNetClassifier",
    "HeterogeneousDelayLayer",
    "HighGammaLogistic",
    "WordDecoder",
    "WordDecoder[pretrained]",
]
NESTED = [
    "DiscriminativeKalmanFilter",
    "GaussianRegressionModel",
    "MaskedCodeModel",
    "WordDecoder[pretrained]",
]
# classifiers and regressors, whose score is accuracy or R² of predict
SUPERVISED = [
    "ConvResponseModel",
    "DiscriminativeKalmanFilter",
    "EEGNetClassifier",
    "FORCEReadout",
    "GaussianRegressionModel",
    "HeterogeneousDelayLayer",
    "HighGammaLogistic",
    "KalmanFilterDecoder",
    "NadarayaWatsonRegressor",
    "RidgeReadout",
    "ThreeFactorReadout",
    "TorchMLPRegressor",
    "WordDecoder",
    "WordDecoder[pretrained]",
]
# transformers whose case transforms the data it was fitted on
FIT_TRANSFORM = [
    "BandPowerBinner",
    "BandPowerBinner[Recording]",
    "CRAFT",
    "CalibrationScaler",
    "LagStacker",
    "NonNegativeCP",
    "SNMF",
    "SpikeCountBinner",
    "ThresholdCrossingBinner",
]


def _public_estimators() -> dict[str, type]:
    found = {}
    for sub in _SUBPACKAGES:
        module = importlib.import_module(f"neurokit_ai.{sub}")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found[name] = obj
    return {name: cls for name, cls in found.items() if name not in _BASES}


@functools.cache
def _fitted(name: str) -> tuple[Case, BaseEstimator]:
    """Fit each estimator once; a check that needs a fresh one calls the factory."""
    case = FACTORIES[name]()
    return case, clone(case.estimator).fit(*case.fit_args)


def _output(est: BaseEstimator, case: Case) -> Any:
    return getattr(est, case.method)(*case.method_args)


def _assert_same(a: Any, b: Any) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _assert_same(a[key], b[key])
    elif hasattr(a, "detach"):
        _assert_same(a.detach().cpu().numpy(), b.detach().cpu().numpy())
    elif isinstance(a, Recording):
        assert (a.ch_names, a.sfreq) == (b.ch_names, b.sfreq)
        _assert_same(a.data, b.data)
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def _init_names(cls: type) -> list[str]:
    sig = inspect.signature(cls.__init__)
    return [
        p.name
        for p in sig.parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _learned(est: BaseEstimator) -> set[str]:
    return {k for k in vars(est) if k.endswith("_") and not k.startswith("__")}


def test_every_public_estimator_is_covered():
    """A new estimator exported anywhere must get a factory and its groups here."""
    from sklearn.base import is_classifier, is_regressor

    built = {name: _case(name).estimator for name in NAMES}
    assert set(_public_estimators()) == {type(e).__name__ for e in built.values()}
    online = {n for n, e in built.items() if hasattr(e, "step") and hasattr(e, "reset")}
    assert online == set(ONLINE)
    assert {n for n, e in built.items() if is_classifier(e)} == set(CLASSIFIERS)
    nested = {
        n
        for n, e in built.items()
        if any(isinstance(v, BaseEstimator) for v in e.get_params(deep=False).values())
    }
    assert nested == set(NESTED)
    supervised = {n for n, e in built.items() if is_classifier(e) or is_regressor(e)}
    assert supervised == {getattr(n, "values", [n])[0] for n in SUPERVISED}
    same_data = {
        n
        for n in NAMES
        if hasattr(built[n], "fit_transform")
        and _case(n).method == "transform"
        and _case(n).fit_args
    } - {"ArtifactRemover[trained]"}  # it fits on segments, cleans a Recording
    assert same_data == {getattr(n, "values", [n])[0] for n in FIT_TRANSFORM}


@pytest.mark.parametrize("name", NAMES)
def test_init_stores_params_as_passed(name):
    """``__init__`` stores each argument untouched and sets nothing else."""
    cls = type(FACTORIES[name]().estimator)
    names = _init_names(cls)
    sentinels = {key: object() for key in names}
    est = cls(**sentinels)
    params = est.get_params(deep=False)
    assert sorted(params) == sorted(names)
    for key in names:
        assert params[key] is sentinels[key], f"{name}.__init__ changed {key!r}"
    public = {k for k in vars(est) if not k.startswith("_")}
    assert public == set(names), f"{name}.__init__ sets {public - set(names)}"


@pytest.mark.parametrize("name", NAMES)
def test_defaults_are_returned_as_declared(name):
    cls = type(FACTORIES[name]().estimator)
    sig = inspect.signature(cls.__init__)
    for key, value in cls().get_params(deep=False).items():
        assert value is sig.parameters[key].default, (name, key)


@pytest.mark.parametrize("name", NAMES)
def test_set_params_stores_values(name):
    est = FACTORIES[name]().estimator
    sentinels = {key: object() for key in est.get_params(deep=False)}
    assert est.set_params(**sentinels) is est
    for key, value in sentinels.items():
        assert getattr(est, key) is value


@pytest.mark.parametrize("name", NAMES)
def test_clone_copies_params(name):
    est = FACTORIES[name]().estimator
    twin = clone(est)
    assert type(twin) is type(est) and twin is not est
    _assert_params_equal(twin, est)


def _assert_params_equal(twin: BaseEstimator, est: BaseEstimator) -> None:
    ours, theirs = est.get_params(deep=False), twin.get_params(deep=False)
    assert ours.keys() == theirs.keys()
    for key, value in ours.items():
        if isinstance(value, BaseEstimator):
            assert type(theirs[key]) is type(value)
            _assert_params_equal(theirs[key], value)
        elif isinstance(value, np.ndarray):
            np.testing.assert_array_equal(theirs[key], value)
        else:
            assert theirs[key] == value or theirs[key] is value, (type(est), key)


@pytest.mark.parametrize("name", NAMES)
def test_set_params_rejects_unknown_name(name):
    est = FACTORIES[name]().estimator
    with pytest.raises(ValueError, match="no_such_param"):
        est.set_params(no_such_param=1)


@pytest.mark.parametrize("name", NAMES)
def test_unfitted_estimator_raises_not_fitted(name):
    case = FACTORIES[name]()
    est = case.estimator
    assert not _learned(est), f"{name} has learned attributes before fit"
    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(est)
    with pytest.raises(NotFittedError, match=r"(?i)fit"):
        _output(est, case)
    # peers catch scikit-learn's class: ours must be one
    with pytest.raises(sklearn.exceptions.NotFittedError):
        _output(est, case)


@pytest.mark.parametrize("name", NAMES)
def test_fit_returns_self_and_leaves_input_alone(name):
    case = FACTORIES[name]()
    before = pickle.dumps(case.fit_args)
    est = case.estimator
    params = est.get_params(deep=False)
    assert est.fit(*case.fit_args) is est
    _assert_unchanged(case.fit_args, before)
    learned = _learned(est)
    assert learned, f"{name} stored no attribute ending in '_' during fit"
    public = {k for k in vars(est) if not k.startswith("_")}
    assert public - learned == set(params), f"{name}.fit set {public - learned}"
    check_is_fitted(est)
    # fit must not rewrite the hyper-parameters either
    for key, value in est.get_params(deep=False).items():
        assert value is params[key], f"{name}.fit replaced {key!r}"


@pytest.mark.parametrize("name", NAMES)
def test_fit_leaves_params_unchanged(name):
    """Nested estimators passed as parameters are not fitted in place."""
    from joblib import hash as joblib_hash

    case = FACTORIES[name]()
    est = case.estimator
    before = {k: joblib_hash(v) for k, v in est.get_params(deep=False).items()}
    est.fit(*case.fit_args)
    after = {k: joblib_hash(v) for k, v in est.get_params(deep=False).items()}
    changed = [k for k in before if before[k] != after[k]]
    assert not changed, f"{name}.fit modified the parameters {changed}"


def _assert_unchanged(args: Any, snapshot: bytes) -> None:
    """``args`` pickle as they did before (arrays, Recordings, torch modules)."""
    if pickle.dumps(args) != snapshot:
        _assert_args_equal(args, pickle.loads(snapshot))  # names the array
        pytest.fail("the input was modified (its pickle changed)")


def _assert_args_equal(now: Any, before: Any) -> None:
    if isinstance(before, dict):
        assert now.keys() == before.keys()
        for key in before:
            _assert_args_equal(now[key], before[key])
    elif isinstance(before, list | tuple):
        assert len(now) == len(before)
        for a, b in zip(now, before, strict=True):
            _assert_args_equal(a, b)
    elif isinstance(before, np.ndarray):
        np.testing.assert_array_equal(now, before)
        assert now.dtype == before.dtype
    elif hasattr(before, "state_dict"):
        for (ka, va), (kb, vb) in zip(
            now.state_dict().items(), before.state_dict().items(), strict=True
        ):
            assert ka == kb
            np.testing.assert_array_equal(va.numpy(), vb.numpy())


@pytest.mark.parametrize("name", NAMES)
def test_fitted_estimator_pickles(name):
    case, est = _fitted(name)
    expected = _output(est, case)
    again = pickle.loads(pickle.dumps(est))
    _assert_same(_output(again, case), expected)
    _assert_params_equal(again, est)
    _assert_same(_output(copy.deepcopy(est), case), expected)
    unfitted = pickle.loads(pickle.dumps(case.estimator))
    _assert_params_equal(unfitted, case.estimator)


@pytest.mark.parametrize("name", NAMES)
def test_repr(name):
    case, est = _fitted(name)
    for obj in (case.estimator, est):
        assert repr(obj).startswith(type(obj).__name__ + "(")
        assert type(obj).__name__ in obj._repr_html_()  # notebooks


@pytest.mark.parametrize("name", NAMES)
def test_methods_leave_input_alone(name):
    case, est = _fitted(name)
    before = pickle.dumps(case.method_args)
    _output(est, case)
    _assert_unchanged(case.method_args, before)


@pytest.mark.parametrize("name", NAMES)
def test_clone_of_fitted_is_unfitted(name):
    case, est = _fitted(name)
    twin = clone(est)
    assert not _learned(twin), f"clone({name}) kept {_learned(twin)}"
    _assert_params_equal(twin, est)
    with pytest.raises(NotFittedError):
        _output(twin, case)


@pytest.mark.parametrize("name", NAMES)
def test_refit_is_reproducible(name):
    """Same data, same parameters: the same fitted output, from a clone (no hidden
    global state) and from the same object fitted again (no state carried over)."""
    case, est = _fitted(name)
    expected = _output(est, case)
    twin = clone(est).fit(*case.fit_args)
    _assert_same(_output(twin, case), expected)
    twin.fit(*case.fit_args)
    _assert_same(_output(twin, case), expected)


# scikit-learn checks that every estimator here fails by design: neurokit_ai's
# shared validation has its own error wording (empty input, 1-D X, a single
# sample or feature, y=None), and refuses complex, object-dtype and sparse input.
VALIDATION_DEVIATIONS = {
    "check_complex_data",
    "check_dtype_object",
    "check_estimators_empty_data_messages",
    "check_estimator_sparse_tag",
    "check_estimator_sparse_array",
    "check_estimator_sparse_matrix",
    "check_fit2d_predict1d",
    "check_fit2d_1sample",
    "check_fit2d_1feature",
    "check_requires_y_none",
}
_ORDER = {"check_methods_sample_order_invariance", "check_methods_subset_invariance"}


def _sklearn_cases() -> list[Any]:
    """Estimators on plain arrays, each with the checks it fails on purpose.

    KalmanFilterDecoder, SNMF and DiscriminativeKalmanFilter with a ridge model
    run ``check_estimator`` in their own test modules.
    """
    from sklearn.linear_model import Ridge

    from neurokit_ai.ann import CRAFT
    from neurokit_ai.decoding import (
        BandPowerBinner,
        CalibrationScaler,
        DiscriminativeKalmanFilter,
        GaussianRegressionModel,
        LagStacker,
        NadarayaWatsonRegressor,
        ThresholdCrossingBinner,
        TorchMLPRegressor,
    )
    from neurokit_ai.spiking import FORCEReadout, RidgeReadout, ThreeFactorReadout

    cases = [
        (NadarayaWatsonRegressor(), set()),
        (TorchMLPRegressor(), set()),
        (GaussianRegressionModel(Ridge(), covariance="constant"), set()),
        # the defaults: kernel regression of the residual covariance, which is
        # exactly zero on some of scikit-learn's data sets
        (GaussianRegressionModel(), set()),
        # a filter; predict holds non-finite rows; the non-robust DKF refuses
        # the non-stationary dynamics fitted on check_estimators_dtypes' data
        (
            DiscriminativeKalmanFilter(),
            _ORDER | {"check_estimators_nan_inf", "check_estimators_dtypes"},
        ),
        # one sample per bin, so the binners keep the row count
        (ThresholdCrossingBinner(0.05, sfreq=20.0), set()),
        # an IIR filter: each bin depends on the samples before it
        (BandPowerBinner(0.05, sfreq=20.0, band=(2.0, 8.0), order=2), _ORDER),
        # rows hold earlier rows; non-finite bins pass through (held online)
        (LagStacker(), _ORDER | {"check_estimators_nan_inf"}),
        # non-finite bins pass through transform (held by the online decoder)
        (CalibrationScaler(), {"check_estimators_nan_inf"}),
        (RidgeReadout(), set()),
        (FORCEReadout(), set()),
        (ThreeFactorReadout(), set()),
        # transform is scikit-learn NMF's iterative solve started from X's
        # mean, so a subset agrees to the solver's tolerance only
        (CRAFT(2, random_state=0), {"check_methods_subset_invariance"}),
    ]
    return [pytest.param(est, allowed, id=repr(est)) for est, allowed in cases]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
@pytest.mark.parametrize(("estimator", "allowed"), _sklearn_cases())
def test_sklearn_check_estimator(estimator, allowed):
    from sklearn.utils.estimator_checks import check_estimator

    failed = {
        r["check_name"]
        for r in check_estimator(estimator, on_fail=None)
        if r["status"] == "failed"
    }
    unexpected = failed - VALIDATION_DEVIATIONS - allowed
    assert not unexpected, unexpected


@pytest.mark.parametrize("name", NESTED)
def test_nested_params_round_trip(name):
    """``key__sub`` reaches an estimator given as a parameter, as in a Pipeline."""
    est = FACTORIES[name]().estimator
    nested = {
        key: value
        for key, value in est.get_params(deep=False).items()
        if isinstance(value, BaseEstimator)
    }
    deep = est.get_params(deep=True)
    for key, inner in nested.items():
        for sub, value in inner.get_params(deep=False).items():
            assert deep[f"{key}__{sub}"] is value
            sentinel = object()
            est.set_params(**{f"{key}__{sub}": sentinel})
            assert getattr(inner, sub) is sentinel
            inner.set_params(**{sub: value})


@pytest.mark.parametrize("name", ONLINE)
def test_online_use_before_fit_raises_not_fitted(name):
    case = FACTORIES[name]()
    row = np.asarray(case.method_args[0])[0]
    with pytest.raises(NotFittedError, match="fit"):
        case.estimator.reset()
    with pytest.raises(sklearn.exceptions.NotFittedError):
        case.estimator.step(row)


@pytest.mark.parametrize("name", ONLINE)
def test_online_state_survives_pickling(name):
    """A decoder pickled mid-stream resumes after ``reset()`` like the original."""
    case, est = _fitted(name)
    rows = np.asarray(case.method_args[0])[:5]
    est.reset()
    est.step(rows[0])
    again = pickle.loads(pickle.dumps(est))
    est.reset()
    again.reset()
    for row in rows:
        np.testing.assert_array_equal(again.step(row), est.step(row))


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifier_keeps_any_labels(name):
    """String labels in, the same labels out; one probability column per class."""
    from sklearn.base import is_classifier

    case = FACTORIES[name]()
    assert is_classifier(case.estimator)
    X, y = case.fit_args
    words = np.array(["yes", "no"])[np.asarray(y) % 2]
    est = case.estimator.fit(X, words)
    assert sorted(est.classes_) == ["no", "yes"]
    assert set(est.predict(X)) <= {"no", "yes"}
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert 0.0 <= est.score(X, words) <= 1.0


# parameters that a case's fit and method legitimately never read
_UNREAD = {
    # picks selects channels of a Recording; this case cleans bare segments
    "ArtifactRemover": {"picks"},
    # read only when n_clusters="auto"
    "MDSClustering": {"max_clusters"},
    # the architecture comes from the pre-trained encoder (documented)
    "WordDecoder[pretrained]": set(_ARCH),
}
# parameters for which a negative number is a valid value
_NEGATIVE_OK = {
    ("SpikeCountBinner", "t_start"),
    ("ThresholdCrossingBinner", "threshold"),
}


def _param_cases() -> list[Any]:
    classes = _public_estimators()
    cases = []
    for name in NAMES:
        for key in _init_names(classes[name.split("[")[0]]):
            if key in _UNREAD.get(name, ()):
                continue
            for bad in ("__bad__", -1.5):
                if bad == -1.5 and (name, key) in _NEGATIVE_OK:
                    continue
                cases.append(pytest.param(name, key, bad, id=f"{name}-{key}={bad}"))
    return cases


@functools.cache
def _case(name: str) -> Case:
    return FACTORIES[name]()


@pytest.mark.parametrize(("name", "key", "bad"), _param_cases())
def test_bad_hyper_parameter_is_refused_by_name(name, key, bad):
    """A wrong-typed or negative hyper-parameter raises a NeurokitError naming it.

    ``__init__`` only stores (see above), so the check happens in ``fit`` or,
    at the latest, in the method that reads it.
    """
    from neurokit_ai.core import NeurokitError

    case = _case(name)
    est = clone(case.estimator).set_params(**{key: bad})
    with pytest.raises(NeurokitError) as info:
        est.fit(*case.fit_args)
        _output(est, case)
    assert key in str(info.value) or str(bad) in str(info.value)


@pytest.mark.parametrize("name", FIT_TRANSFORM)
def test_fit_transform_is_fit_then_transform(name):
    case, est = _fitted(name)
    np.testing.assert_allclose(
        clone(est).fit_transform(*case.fit_args),
        _output(est, case),
        rtol=1e-6,
        atol=1e-9,
    )


@pytest.mark.parametrize("name", SUPERVISED)
def test_score_is_the_metric_of_predict(name):
    """``score(X, y)`` takes the ``y`` that fit takes: accuracy or R² of predict."""
    from sklearn.base import is_classifier
    from sklearn.metrics import accuracy_score, r2_score

    case, est = _fitted(name)
    X, y = case.fit_args[:2]
    metric = accuracy_score if is_classifier(est) else r2_score
    target = y.data if isinstance(y, Responses) else y
    assert est.score(X, y) == pytest.approx(metric(target, est.predict(X)))
    if is_classifier(est):
        proba = est.predict_proba(X)
        np.testing.assert_array_equal(
            est.classes_[proba.argmax(axis=1)], est.predict(X)
        )
