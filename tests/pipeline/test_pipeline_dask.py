"""A 20-subject study on Dask: local vs external cluster, resumption, failures."""

import json
import signal
import socket
import time

import numpy as np
import pytest
from pipeline_testing import (
    N_SUBJECTS,
    output_files,
    pipeline_dict,
    spawn_python,
    stop,
    write_study,
)

from neurokit_ai.core import MissingFileError, ValidationError
from neurokit_ai.io import read_responses
from neurokit_ai.pipeline import SchedulerUnreachableError, run_pipeline
from neurokit_ai.pipeline._store import read_json

N_TASKS = N_SUBJECTS * 4  # filter, epoch, decode, rdm (reads are not counted)


@pytest.fixture(scope="module")
def reference(eeg_study, tmp_path_factory):
    """The study run once on a 2-worker LocalCluster."""
    out = tmp_path_factory.mktemp("reference")
    result = run_pipeline(pipeline_dict(eeg_study, out), n_workers=2, progress=False)
    return result, output_files(result.out_root)


def test_local_cluster_runs_every_subject_with_planted_effect(reference, eeg_study):
    result, files = reference
    assert result.ok and result.counts == {"done": N_TASKS}
    decoded = [r for r in result.records if r["stage"] == "decode_conditions"]
    assert len(decoded) == N_SUBJECTS
    # Planted N170/P2 face-house difference: decodable above chance over the
    # study (pooled single-trial predictions, one-sided binomial test).
    from scipy.stats import binomtest

    accuracy = np.array([r["summary"]["accuracy"] for r in decoded])
    n_trials = N_SUBJECTS * 24
    correct = int(round(accuracy.mean() * n_trials))
    assert accuracy.mean() > 0.55
    assert binomtest(correct, n_trials, 0.5, alternative="greater").pvalue < 1e-3
    # BIDS-derivatives naming, sidecars with the parameters and input hash.
    name = "sub-07/eeg/sub-07_task-faces_desc-epoch_responses.npz"
    assert name in files and name.replace(".npz", ".json") in files
    sidecar = json.loads(files[name.replace(".npz", ".json")])
    assert (
        sidecar["Parameters"]["window"] == [0.12, 0.22] and len(sidecar["Hash"]) == 64
    )
    responses = read_responses(result.out_root / name)
    assert responses.n_observations == 24 and responses.n_units == 32
    assert sorted(set(responses.conditions)) == ["face", "house"]
    description = json.loads(files["dataset_description.json"])
    assert description["DatasetType"] == "derivative"


def test_external_scheduler_gives_identical_outputs(
    reference, eeg_study, tmp_path, loopback_cluster
):
    cluster = loopback_cluster(2)
    out = tmp_path / "external"
    result = run_pipeline(
        pipeline_dict(eeg_study, out), scheduler=cluster.address, progress=False
    )
    assert result.ok and result.counts == {"done": N_TASKS}
    files = output_files(result.out_root)
    assert files.keys() == reference[1].keys()
    different = [k for k in files if files[k] != reference[1][k]]
    assert different == []


def test_rerun_skips_what_is_up_to_date_and_redoes_what_changed(eeg_study, tmp_path):
    spec = pipeline_dict(eeg_study, tmp_path)
    first = run_pipeline(spec, n_workers=1, progress=False)
    assert first.counts == {"done": N_TASKS}
    again = run_pipeline(spec, n_workers=1, progress=False)
    assert again.counts == {"skipped": N_TASKS}
    # A changed parameter re-runs that stage (and nothing upstream of it).
    spec["stages"][3] = {"rdm": {"method": "correlation"}}
    changed = run_pipeline(spec, n_workers=1, progress=False)
    redone = {r["stage"] for r in changed.records if r["status"] == "done"}
    assert redone == {None, "rdm"}  # None: the reads, which only hash the inputs


def test_killed_worker_loses_no_finished_output_and_rerun_completes_the_rest(
    reference, eeg_study, tmp_path, loopback_cluster
):
    cluster = loopback_cluster(1)
    out = tmp_path / "killed"
    spec = pipeline_dict(eeg_study, out)
    client = spawn_python(
        "from neurokit_ai.pipeline import run_pipeline\n"
        f"run_pipeline({spec!r}, scheduler={cluster.address!r}, progress=False)\n",
        tmp_path,
    )
    root = out / "neurokit_ai-faces"
    try:
        deadline = time.monotonic() + 120
        while len(list(root.rglob("*_rdm.json"))) < 3:
            assert time.monotonic() < deadline, "no output within 120 s"
            assert client.poll() is None, client.stdout.read().decode()
            time.sleep(0.02)
        stop(cluster.workers[0], signal.SIGKILL)
        time.sleep(0.5)
        stop(client, signal.SIGKILL)
    finally:
        stop(client, signal.SIGKILL)
    finished = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*.json")}
    finished_stages = [
        p for p in finished if p.parent.name == "eeg" and "Hash" in read_json(p)
    ]
    assert 3 <= len(finished_stages) < N_TASKS, "the worker was not killed mid-run"
    result = run_pipeline(spec, n_workers=2, progress=False)
    assert result.ok
    skipped = [r for r in result.records if r["status"] == "skipped"]
    done = [r for r in result.records if r["status"] == "done" and r["stage"]]
    assert len(skipped) == len(finished_stages)
    assert len(skipped) + len(done) == N_TASKS
    for path in finished_stages:  # untouched by the re-run
        assert (path.stat().st_mtime_ns, path.read_bytes()) == finished[path]
    assert not list(root.rglob("*.tmp"))
    assert output_files(root) == reference[1]


def test_one_failing_subject_does_not_stop_the_others(tmp_path):
    study = write_study(tmp_path / "study", 3)
    edf = study / "sub-02" / "eeg" / "sub-02_task-faces_eeg.edf"
    edf.write_bytes(edf.read_bytes()[:300])  # truncated recording
    lines = []
    result = run_pipeline(
        pipeline_dict(study, tmp_path / "out"), n_workers=1, progress=False,
        echo=lines.append,
    )  # fmt: skip
    assert not result.ok
    assert {r["unit"] for r in result.failed} == {"sub-02_task-faces"}
    by_unit = {}
    for r in result.records:
        by_unit.setdefault(r["unit"], set()).add(r["status"])
    assert by_unit["sub-01_task-faces"] == by_unit["sub-03_task-faces"] == {"done"}
    assert by_unit["sub-02_task-faces"] == {"done", "failed", "blocked"}
    assert any(line.startswith("FAILED sub-02_task-faces") for line in lines)
    assert not list((tmp_path / "out").rglob("sub-02*.npz"))


def test_no_matching_subjects_names_the_filters_and_what_exists(eeg_study, tmp_path):
    spec = pipeline_dict(eeg_study, tmp_path / "out")
    spec["inputs"]["subjects"] = ["99"]
    with pytest.raises(MissingFileError) as err:
        run_pipeline(spec, n_workers=1, progress=False)
    msg = str(err.value)
    assert "'subjects': ['99']" in msg and "'01'" in msg and "'20'" in msg
    assert not (tmp_path / "out").exists()


def test_unreachable_scheduler_is_a_clear_error_with_no_outputs(eeg_study, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    spec = pipeline_dict(eeg_study, tmp_path / "out")
    with pytest.raises(SchedulerUnreachableError, match=f"127.0.0.1:{port}"):
        run_pipeline(spec, scheduler=f"tcp://127.0.0.1:{port}", timeout=1.0)
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValidationError, match="host:port"):
        run_pipeline(spec, scheduler="not an address")
