"""Pipeline files: YAML/TOML loading, schema errors that name the bad key."""

import pytest

from neurokit_ai.core import (
    DTypeError,
    FileFormatError,
    MissingFileError,
    ValidationError,
)
from neurokit_ai.pipeline import STAGES, load_pipeline

BASE = {
    "name": "faces",
    "inputs": {"files": ["a.edf"]},
    "derivatives": "out",
    "stages": [{"filter": {"l_freq": 1.0, "h_freq": 40.0}}, "report"],
}


def with_(**changes):
    return {**BASE, **changes}


def test_yaml_and_toml_give_the_same_spec(tmp_path):
    (tmp_path / "p.yaml").write_text(
        "name: faces\ninputs:\n  bids_root: ds\n  subjects: ['01', 2]\n"
        "stages:\n  - filter: {l_freq: 1, h_freq: 40.0}\n"
        "  - epoch: {tmin: -0.2, tmax: 0.5}\n  - decode_conditions: {cv: 3}\n"
    )
    (tmp_path / "p.toml").write_text(
        'name = "faces"\n[inputs]\nbids_root = "ds"\nsubjects = ["01", "2"]\n'
        "[[stages]]\nfilter = {l_freq = 1, h_freq = 40.0}\n"
        "[[stages]]\nepoch = {tmin = -0.2, tmax = 0.5}\n"
        "[[stages]]\ndecode_conditions = {cv = 3}\n"
    )
    a, b = load_pipeline(tmp_path / "p.yaml"), load_pipeline(tmp_path / "p.toml")
    assert a == b
    assert a.inputs.bids_root == tmp_path / "ds"  # relative to the file
    assert a.inputs.subjects == ("01", "2")
    assert a.derivatives == tmp_path / "ds" / "derivatives"
    assert [s.label for s in a.steps] == ["filter", "epoch", "decodeconditions"]
    assert a.steps[2].params == {"cv": 3, "C": 1.0, "n_jobs": 1, "random_state": 0}


def test_repeated_stage_gets_a_numbered_label():
    spec = load_pipeline(
        with_(
            stages=[
                {"filter": {"l_freq": 1, "h_freq": None}},
                {"filter": {"l_freq": None, "h_freq": 40}},
            ]
        )  # fmt: skip
    )
    assert [s.label for s in spec.steps] == ["filter", "filter2"]


def test_unknown_stage_is_named_with_the_valid_ones():
    with pytest.raises(ValidationError) as err:
        load_pipeline(with_(stages=[{"filtre": {}}]))
    msg = str(err.value)
    assert "'filtre'" in msg and "Did you mean 'filter'" in msg
    for name in STAGES:
        assert repr(name) in msg


def test_unknown_parameter_is_named_with_the_valid_ones():
    with pytest.raises(ValidationError) as err:
        load_pipeline(
            with_(stages=[{"filter": {"l_freq": 1, "h_freq": 9, "hfreq": 9}}])
        )
    msg = str(err.value)
    assert "'hfreq'" in msg and "stages[0] (filter)" in msg
    for name in STAGES["filter"].params:
        assert repr(name) in msg


def test_unknown_top_level_and_input_keys():
    with pytest.raises(ValidationError, match="unknown key 'stage'.*'stages'"):
        load_pipeline({k if k != "stages" else "stage": v for k, v in BASE.items()})
    with pytest.raises(ValidationError, match="unknown key 'subject'.*'subjects'"):
        load_pipeline(with_(inputs={"bids_root": "ds", "subject": ["01"]}))


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"stages": [{"filter": {"h_freq": 40}}]}, ValidationError, "'l_freq'"),
        ({"stages": [{"filter": {"l_freq": "1", "h_freq": 4}}]}, DTypeError, "l_freq"),
        ({"stages": [{"filter": {"l_freq": True, "h_freq": 4}}]}, DTypeError, "l_freq"),
        ({"stages": []}, ValidationError, "stages is empty"),
        (
            {"stages": ["report", {"resample": {"sfreq": 100}}]},
            ValidationError,
            "order",
        ),
        ({"stages": ["rdm"]}, ValidationError, "epoch stage before"),
        ({"stages": [42]}, DTypeError, "stages[0]"),
        (
            {"inputs": {"files": ["a"], "bids_root": "x"}},
            ValidationError,
            "exactly one",
        ),
        ({"inputs": {"files": ["a"], "tasks": ["x"]}}, ValidationError, "BIDS root"),
        (
            {"inputs": {"bids_root": "x", "subjects": ["sub-01"]}},
            ValidationError,
            "label",
        ),
        ({"name": "my study"}, ValidationError, "name"),
        ({"derivatives": None}, DTypeError, "derivatives"),
    ],
)
def test_bad_pipelines_raise_clear_errors(changes, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_pipeline(with_(**changes))


def test_missing_derivatives_with_files_and_bad_file(tmp_path):
    raw = {k: v for k, v in BASE.items() if k != "derivatives"}
    with pytest.raises(ValidationError, match="derivatives is missing"):
        load_pipeline(raw)
    assert load_pipeline(raw, derivatives=tmp_path).derivatives == tmp_path
    with pytest.raises(MissingFileError):
        load_pipeline(tmp_path / "absent.yaml")
    (tmp_path / "p.json").write_text("{}")
    with pytest.raises(ValidationError, match=".yaml"):
        load_pipeline(tmp_path / "p.json")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(FileFormatError, match="mapping"):
        load_pipeline(tmp_path / "list.yaml")
