"""read_bids_recording on small BIDS datasets written with mne-bids from real files."""

from __future__ import annotations

import mne
import numpy as np
import pytest

from neurokit_ai.core import DTypeError, MissingFileError, Recording, ValidationError
from neurokit_ai.io import read_bids_recording, read_raw_file

mne_bids = pytest.importorskip("mne_bids")

SEEG_PATTERNS = {"ecg": "^EKG", "misc": "^DC"}
# mne-bids notes that the DC/EKG channels have no position; that is expected.
pytestmark = [
    pytest.mark.filterwarnings("ignore:There are channels without locations"),
    pytest.mark.filterwarnings("ignore:Not setting positions of 10 ecg/misc"),
]


def _listing(root):
    return sorted(p.relative_to(root) for p in root.rglob("*"))


@pytest.fixture(scope="module")
def bids_root(recordings, tmp_path_factory):
    """sub-01: an sEEG run (montage, one bad channel) and two EEG tasks."""
    root = tmp_path_factory.mktemp("bids")
    seeg = recordings / "ieeg" / "seeg"
    raw = read_raw_file(
        seeg / "sample_seeg.edf",
        electrodes=seeg / "sample_seeg_electrodes_mni.tsv",
        type_patterns=SEEG_PATTERNS,
        return_native=True,
        preload=False,
    )
    raw.info["bads"] = ["L'1"]
    path = mne_bids.BIDSPath(
        subject="01", session="clinic", task="rest", datatype="ieeg", root=root
    )
    mne_bids.write_raw_bids(raw, path.copy().update(space="fsaverage"), verbose=False)
    eeg = recordings / "eeg" / "edf" / "test_edf_overlapping_annotations.edf"
    for task in ("imagery", "motor"):
        raw = mne.io.read_raw_edf(eeg, verbose="error")
        mne_bids.write_raw_bids(
            raw,
            mne_bids.BIDSPath(
                subject="01", session="lab", task=task, datatype="eeg", root=root
            ),
            verbose=False,
        )
    return root


def test_seeg_recording_keeps_types_bads_and_montage(bids_root, recordings):
    before = _listing(bids_root)
    rec = read_bids_recording(bids_root, subject="01", session="clinic")
    assert _listing(bids_root) == before  # reading writes nothing
    assert isinstance(rec, Recording)
    assert rec.channel_type_counts() == {"seeg": 88, "misc": 8, "ecg": 2}
    assert rec.bads == ["L'1"]
    assert (rec.subject, rec.session) == ("01", "clinic")
    assert len(rec.annotations) == 3
    assert rec.montage.coord_frame == "mni_tal"
    assert len(rec.montage.ch_pos) == 88
    source = recordings / "ieeg" / "seeg"
    ref = read_raw_file(
        source / "sample_seeg.edf",
        electrodes=source / "sample_seeg_electrodes_mni.tsv",
        type_patterns=SEEG_PATTERNS,
    )
    for name in ("L'1", "X'16"):
        np.testing.assert_allclose(
            rec.montage.ch_pos[name], ref.montage.ch_pos[name], atol=1e-9
        )
    # mne-bids copied the EDF unchanged: same samples as the original file.
    np.testing.assert_array_equal(rec.data, ref.data)


def test_eeg_task_and_lazy_read(bids_root, recordings):
    rec = read_bids_recording(bids_root, subject="01", task="motor", preload=False)
    assert rec.is_loaded is False
    assert rec.shape == (64, 15872) and rec.sfreq == 128.0
    assert len(rec.annotations) == 38
    ref = mne.io.read_raw_edf(
        recordings / "eeg" / "edf" / "test_edf_overlapping_annotations.edf",
        preload=True,
        verbose="error",
    )
    np.testing.assert_array_equal(
        rec.get_data(None, 0, 500), ref.get_data(None, 0, 500)
    )


def test_return_native(bids_root):
    raw = read_bids_recording(
        bids_root, subject="01", task="imagery", datatype="eeg", return_native=True
    )
    assert isinstance(raw, mne.io.BaseRaw)
    assert raw.info["subject_info"]["his_id"] == "sub-01"


def test_missing_subject_lists_subjects(bids_root):
    with pytest.raises(MissingFileError) as info:
        read_bids_recording(bids_root, subject="02")
    assert "'02'" in str(info.value) and "['01']" in str(info.value)


def test_missing_task_lists_tasks(bids_root):
    with pytest.raises(MissingFileError) as info:
        read_bids_recording(bids_root, subject="01", task="sleep")
    msg = str(info.value)
    assert "sleep" in msg and "'imagery'" in msg and "'motor'" in msg
    assert "'rest'" in msg


def test_ambiguous_selection(bids_root):
    with pytest.raises(ValidationError) as info:
        read_bids_recording(bids_root, subject="01", session="lab")
    msg = str(info.value)
    assert "2 recordings" in msg and "task-imagery" in msg and "task-motor" in msg


def test_not_a_bids_root(tmp_path):
    with pytest.raises(MissingFileError, match="dataset_description.json"):
        read_bids_recording(tmp_path, subject="01")
    with pytest.raises(MissingFileError, match="does not exist"):
        read_bids_recording(tmp_path / "absent", subject="01")


def test_bad_arguments(bids_root):
    with pytest.raises(DTypeError, match="subject"):
        read_bids_recording(bids_root, subject=1)
    with pytest.raises(DTypeError, match="preload"):
        read_bids_recording(bids_root, subject="01", task="motor", preload="yes")
