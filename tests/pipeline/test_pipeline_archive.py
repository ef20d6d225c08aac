"""Stage outputs are neurokit_ai archives: read_recording opens them, and a new
archive layout re-runs the stages instead of reading stale files."""

from __future__ import annotations

import numpy as np

from neurokit_ai.core import Annotations, Recording
from neurokit_ai.io import _archive, read_recording, write_recording
from neurokit_ai.pipeline import find_units, load_pipeline, read_task, stage_task
from neurokit_ai.pipeline._tasks import StageJob


def _job(tmp_path):
    rng = np.random.default_rng(0)
    rec = Recording(
        rng.normal(size=(2, 1280)) * 1e-5,
        128.0,
        ["Fz", "Cz"],
        "eeg",
        annotations=Annotations([1.0, 3.0], [0.0, 0.0], ["face", "house"]),
        bads=["Cz"],
    )
    path = write_recording(rec, tmp_path / "sub-01_task-faces_eeg.npz")
    spec = load_pipeline(
        {
            "name": "faces",
            "inputs": {"files": [str(path)]},
            "derivatives": str(tmp_path / "out"),
            "stages": [{"filter": {"l_freq": 1.0, "h_freq": 30.0}}],
        }
    )
    (unit,) = find_units(spec.inputs)
    return rec, StageJob(unit, spec.steps[0], tmp_path / "out", {})


def test_stage_output_reads_back_and_a_new_layout_reruns(tmp_path, monkeypatch):
    rec, job = _job(tmp_path)
    upstream = {"recording": read_task(job.unit, {})}
    first = stage_task(job, upstream)
    assert first["status"] == "done", first.get("error")
    out = read_recording(job.output)
    assert out.ch_names == rec.ch_names and out.bads == ["Cz"]
    assert out.annotations == rec.annotations
    assert out.data.shape == rec.data.shape and not np.allclose(out.data, rec.data)
    assert stage_task(job, upstream)["status"] == "skipped"
    monkeypatch.setattr(_archive, "ARCHIVE_VERSION", _archive.ARCHIVE_VERSION + 1)
    assert stage_task(job, upstream)["status"] == "done"
    assert stage_task(job, upstream)["status"] == "skipped"
