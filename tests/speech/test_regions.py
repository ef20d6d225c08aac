"""Region selection from electrodes tables, and re-referencing."""

from __future__ import annotations

import csv
from collections import Counter

import numpy as np
import pytest

from neurokit_ai.core import DTypeError, Recording, ValidationError
from neurokit_ai.speech import (
    FRONTAL_SPEECH_MOTOR,
    bipolar_reference,
    common_average_reference,
    parse_atlas_label,
    read_contact_labels,
    select_region_contacts,
    shaft_pairs,
)

TABLE = "ieeg/seeg/sample_seeg_electrodes_fsnative.tsv"


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_sample_table_frontal_speech_motor_exact(recordings):
    path = recordings / TABLE
    rows = _rows(path)
    wanted = {
        "ctx-lh-parsopercularis",
        "ctx-rh-parsopercularis",
        "ctx-lh-precentral",
        "ctx-rh-precentral",
        "ctx-lh-rostralmiddlefrontal",
        "ctx-rh-rostralmiddlefrontal",
    }
    expected = [r["name"] for r in rows if r["desikan-killiany"] in wanted]
    got = select_region_contacts(path, FRONTAL_SPEECH_MOTOR)
    assert got == expected
    counts = Counter(r["desikan-killiany"] for r in rows if r["name"] in got)
    assert counts == {
        "ctx-lh-rostralmiddlefrontal": 7,
        "ctx-lh-parsopercularis": 2,
        "ctx-lh-precentral": 1,
    }


def test_sample_table_destrieux_column_spelled_destriuex(recordings):
    path = recordings / TABLE
    rows = _rows(path)
    labels, column = read_contact_labels(path, atlas="destrieux")
    assert column == "destriuex"
    assert len(labels) == sum(r["destriuex"] not in ("", "n/a") for r in rows)
    got = select_region_contacts(path, "precentral", atlas="destrieux")
    precentral = ("G_precentral", "S_precentral-inf-part", "S_precentral-sup-part")
    expected = [r["name"] for r in rows if r["destriuex"].endswith(precentral)]
    assert got == expected and len(got) == 1


def test_no_contact_in_region_lists_the_regions_present(recordings):
    with pytest.raises(ValidationError, match="regions present") as err:
        select_region_contacts(recordings / TABLE, "STG")
    assert "superiorfrontal (16)" in str(err.value)
    assert "Unknown (40)" in str(err.value)


def test_selection_on_a_written_table_and_hemisphere(tmp_path):
    path = tmp_path / "sub-01_electrodes.tsv"
    path.write_text(
        "name\tx\ty\tz\tdesikan-killiany\n"
        "A1\t0\t0\t0\tctx-lh-superiortemporal\n"
        "A2\t0\t0\t1\tctx-rh-superiortemporal\n"
        "A3\t0\t0\t2\tctx-lh-precentral\n"
        "A4\t0\t0\t3\tn/a\n"
        "A5\t0\t0\t4\tLeft-Cerebral-White-Matter\n"
    )
    assert select_region_contacts(path, "STG") == ["A1", "A2"]
    assert select_region_contacts(path, "STG", hemisphere="left") == ["A1"]
    assert select_region_contacts(path, ["vSMC", "STG"]) == ["A1", "A2", "A3"]
    assert select_region_contacts(path, "white_matter") == ["A5"]
    # a raw label without its hemisphere prefix works too
    assert select_region_contacts(path, "precentral") == ["A3"]


def test_labels_absent_is_an_error(tmp_path):
    path = tmp_path / "sub-01_electrodes.tsv"
    path.write_text("name\tx\ty\tz\nA1\t0\t0\t0\n")
    with pytest.raises(ValidationError, match="no atlas labels"):
        select_region_contacts(path, "STG")
    with pytest.raises(ValidationError, match="all n/a"):
        select_region_contacts({"A1": "n/a"}, "STG")


def test_bad_region_arguments():
    with pytest.raises(ValidationError, match="Known regions"):
        select_region_contacts({"A1": "ctx-lh-precentral"}, [])
    with pytest.raises(ValidationError, match="hemisphere"):
        select_region_contacts({"A1": "ctx-lh-precentral"}, "vSMC", hemisphere="up")


def test_labels_from_recording_channel_info():
    rec = Recording(
        np.zeros((3, 10)),
        100.0,
        ["A1", "A2", "B1"],
        "seeg",
        channel_info={"destrieux": np.array(["ctx_lh_G_precentral", "", "Unknown"])},
    )
    assert select_region_contacts(rec, "vSMC") == ["A1"]


def test_shaft_pairs_and_bipolar_values():
    assert shaft_pairs(["L'1", "L'2", "L'4", "L'5", "X1"]) == [
        ("L'1", "L'2"),
        ("L'4", "L'5"),
    ]
    data = np.random.default_rng(0).normal(size=(4, 50))
    rec = Recording(data, 100.0, ["A1", "A2", "A3", "B7"], "seeg")
    bip = bipolar_reference(rec)
    assert bip.ch_names == ["A1-A2", "A2-A3"]
    np.testing.assert_allclose(bip.get_data(), data[[0, 1]] - data[[1, 2]])
    with pytest.raises(ValidationError, match="neighbours"):
        bipolar_reference(rec, picks=["A1", "B7"])


def test_common_average_reference_values():
    data = np.random.default_rng(1).normal(size=(3, 40))
    rec = Recording(data, 100.0, ["A1", "A2", "ECG"], ["seeg", "seeg", "ecg"])
    car = common_average_reference(rec).get_data()
    np.testing.assert_allclose(car[:2], data[:2] - data[:2].mean(axis=0))
    np.testing.assert_allclose(car[2], data[2])
    with pytest.raises(ValidationError, match="does not have"):
        common_average_reference(rec, picks=["Z9"])


def test_shaft_pairs_refuses_a_single_string_or_non_names():
    # a bare string was iterated character by character and gave no pairs
    with pytest.raises(DTypeError, match="contacts"):
        shaft_pairs("A1")
    with pytest.raises(DTypeError, match="contacts"):
        shaft_pairs([1, 2])


def test_parse_atlas_label_refuses_a_non_string():
    assert parse_atlas_label("Right-Hippocampus") == ("rh", "Hippocampus")
    with pytest.raises(DTypeError, match="label must be"):
        parse_atlas_label(None)  # a missing tsv cell; AttributeError before


def test_common_average_leaves_bad_contacts_out_of_the_mean():
    data = np.array([[1.0, 2.0], [3.0, 6.0], [500.0, -500.0]])
    rec = Recording(data, 100.0, ["A1", "A2", "A3"], "seeg", bads=["A3"])
    car = common_average_reference(rec).get_data()
    # by hand: the mean of the good contacts A1, A2 is [2, 4]
    np.testing.assert_allclose(car[:2], [[-1.0, -2.0], [1.0, 2.0]])
    np.testing.assert_array_equal(car[2], data[2])
