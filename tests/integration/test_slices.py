"""A sliced audit (AWX job slicing, here N runs with --limit) merged into one run equals a single run."""

import json
import os
import shutil

import pytest

from ansible_cli import REPO, run_ansible
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import validate_report
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.slices import SliceError, merge, read_slices

VOLATILE = ("collected_at",)


def audit(inventory, reports, limit=None):
    extra = ["--limit", limit] if limit else []
    done = run_ansible("ansible-playbook", "playbooks/audit.yml", "-i", inventory, "-e", "webcert_reports_dir=%s" % reports, *extra)
    assert done.returncode == 0, done.stdout[-3000:]


def comparable(report):
    """Subjects and summary without what differs between two runs of the same evidence (times, run ids)."""
    subjects = sorted(({k: v for k, v in s.items() if k not in VOLATILE} for s in report["subjects"]),
                      key=lambda s: (s["kind"], s["id"]))
    return {"subjects": subjects, "summary": report["summary"], "waivers": report["waivers"],
            "inventory": report["run"]["inventory"], "readiness": report["readiness"]}


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    inventory = tmp_path_factory.mktemp("inventory") / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), inventory)
    return inventory


def test_three_slices_merged_equal_one_run(region, tmp_path):
    audit(region, tmp_path / "single")
    slices = tmp_path / "slices"
    for part in ("vce-ws01,vce-ws02", "vce-ws03,vce-ws04", "clinic_mottagning_ost"):
        audit(region, slices, "localhost,%s" % part)
    merged = run_ansible("ansible-playbook", "playbooks/merge-slices.yml", "-e", "webcert_slices_dir=%s" % slices,
                         "-e", "webcert_reports_dir=%s" % (tmp_path / "merged"))
    assert merged.returncode == 0, merged.stdout[-3000:]
    with open(tmp_path / "single" / "latest" / "report.json", encoding="utf-8") as handle:
        single = json.load(handle)
    with open(tmp_path / "merged" / "latest" / "report.json", encoding="utf-8") as handle:
        combined = json.load(handle)
    validate_report(combined)
    assert comparable(combined) == comparable(single)
    assert len(combined["run"]["slices"]) == 3
    assert (tmp_path / "merged" / "latest" / "report.html").exists() and (tmp_path / "merged" / "latest" / "junit.xml").exists()


def test_overlapping_slices_are_refused(region, tmp_path):
    audit(region, tmp_path, "localhost,clinic_mottagning_ost")
    audit(region, tmp_path, "localhost,mo-ws01")
    with pytest.raises(SliceError, match="workstation mo-ws01 is in run .* and run .*: slices must not overlap"):
        merge(read_slices(str(tmp_path)))


def test_an_empty_slices_directory_is_named(tmp_path):
    with pytest.raises(SliceError, match="no finished slice runs"):
        read_slices(str(tmp_path))
