"""Issue 19: hostile and messy files at the file boundary. Names become bounded file names that never
collide with the tool's own; evidence files are read only when regular, and never past their bound."""

import os
import stat
import string

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.file_names import (
    MAX_STEM_LENGTH, RESERVED_STEMS, subject_stem)
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import EvidenceError
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.input_files import (
    InputFileError, TooLarge, read_regular_file)
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import (
    DEFAULT_MAX_FILE_BYTES, load_evidence_file)
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import unique_stems
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.write import LATEST_LOCK, write_run
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.state import locked, open_rollout

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EVIDENCE = os.path.join(REPO, "inventories", "example", "files", "evidence", "vce-ws01.json")


# --- names into file names ---------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_every_name_becomes_a_bounded_plain_file_stem_that_is_never_our_own(name):
    stem = subject_stem(name)
    assert 0 < len(stem) <= MAX_STEM_LENGTH
    assert set(stem) <= set(string.ascii_letters + string.digits + "._-")
    assert not stem.startswith(".")  # temporary files (.tmp-*) and hidden files start with '.'
    assert stem.lower().split(".")[0] not in RESERVED_STEMS


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_lowercase + "-", min_size=MAX_STEM_LENGTH + 1, max_size=300),
       st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=5))
def test_two_long_names_with_one_beginning_get_different_stems(name, tail):
    assert subject_stem(name) != subject_stem(name + tail)


def test_a_short_safe_name_is_kept_as_it_is_and_a_long_one_keeps_its_beginning():
    assert subject_stem("vce-ws01") == "vce-ws01"
    member = "SE2321000016-" + "k" * 250
    stem = subject_stem(member)
    assert stem.startswith("SE2321000016-kkk") and len(stem) == MAX_STEM_LENGTH


@pytest.mark.parametrize("name", ["index", "INDEX", "README", "latest", "index.txt"])
def test_a_pc_named_like_our_own_files_gets_another_stem(name):
    assert subject_stem(name).lower() not in ("index", "readme", "latest", "index.txt")
    assert subject_stem(name).lower().startswith(name.lower() + "-")


def test_unique_stems_of_subjects_stay_bounded_and_distinct():
    subjects = [{"kind": "person", "id": "SE2321000016-" + "k" * 250},
                {"kind": "person", "id": "SE2321000016-" + "k" * 249 + "j"},
                {"kind": "workstation", "id": "index"}, {"kind": "workstation", "id": "INDEX"}]
    stems = unique_stems(subjects)
    assert len({s.lower() for s in stems}) == 4
    assert all(len(".tmp-%s.json" % s) < 255 for s in stems)
    assert all(s.lower() != "index" for s in stems)


# --- reading a file from a drop folder ---------------------------------------------------------------

def test_a_fifo_is_an_error_naming_it_and_does_not_block(tmp_path):
    fifo = tmp_path / "vce-ws01.json"
    os.mkfifo(fifo)  # no writer: a plain open() would wait forever
    with pytest.raises(EvidenceError, match=r"vce-ws01.json: evidence file is a FIFO \(named pipe\), not a regular"):
        load_evidence_file(str(fifo), 10 ** 6)


def test_a_link_to_dev_zero_is_an_error_naming_a_character_device(tmp_path):
    link = tmp_path / "vce-ws01.json"
    os.symlink("/dev/zero", link)
    with pytest.raises(EvidenceError, match="evidence file is a character device, not a regular file"):
        load_evidence_file(str(link), 10 ** 6)


def test_the_bound_holds_while_reading_not_by_the_size_the_file_reports():
    # /proc files are regular files that report size 0 and still hold text.
    assert os.path.getsize("/proc/self/maps") == 0
    with pytest.raises(TooLarge):
        read_regular_file("/proc/self/maps", 16)
    with pytest.raises(EvidenceError, match=r"more than evidence_max_file_bytes \(16\)"):
        load_evidence_file("/proc/self/maps", 16)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000), st.integers(min_value=0, max_value=3000))
def test_a_regular_file_is_read_whole_up_to_its_bound_and_refused_past_it(tmp_path_factory, data, bound):
    path = tmp_path_factory.mktemp("drop") / "f.json"
    path.write_bytes(data)
    if len(data) <= bound:
        assert read_regular_file(str(path), bound) == data
    else:
        with pytest.raises(TooLarge):
            read_regular_file(str(path), bound)


def test_a_real_evidence_file_reads_as_before():
    assert load_evidence_file(EVIDENCE, 10 ** 6)["schema_version"] == 1
    with pytest.raises(InputFileError, match="is a folder"):
        read_regular_file(REPO)


# --- writing a run: long names, our own names, private directories -----------------------------------

def _hostile_report():
    from report_samples import sample_report, subjects  # pylint: disable=import-outside-toplevel
    subject_list = subjects()
    by_id = {s["id"]: s for s in subject_list}
    by_id["SE5591234561-2001"]["id"] = "SE5591234561-" + "k" * 250  # a 250-character commission member
    by_id["vce-ws02"]["id"] = "index"  # a PC called index, with open failures
    return sample_report(subject_list=subject_list)


def test_a_run_with_a_250_character_hsa_id_and_a_pc_called_index_writes_every_report(tmp_path):
    os.umask(0o022)
    final, written = write_run(_hostile_report(), str(tmp_path / "reports"))
    faults = [name for name in written if name.startswith("fault-reports/")]
    assert "fault-reports/index.txt" in faults
    index_report = next(name for name in faults if name.startswith("fault-reports/index-"))
    with open(os.path.join(final, index_report), encoding="utf-8") as handle:
        assert "Workstation:                         index" in handle.read()
    with open(os.path.join(final, "fault-reports", "index.txt"), encoding="utf-8") as handle:
        assert "%s  workstation index" % index_report.split("/")[1] in handle.read()
    assert any(name.startswith("inspec/person-SE5591234561-kkk") for name in written)
    assert all(len(os.path.basename(name)) < 200 for name in written)


@pytest.mark.parametrize("file_mode, dir_mode", [(0o600, 0o700), (0o640, 0o750), (0o644, 0o755)])
def test_report_directories_are_private_unless_the_files_are_shared(tmp_path, file_mode, dir_mode):
    os.umask(0o022)
    reports = tmp_path / "reports"
    final, _written = write_run(_hostile_report(), str(reports), mode=file_mode)
    for directory in (reports, final, os.path.join(final, "inspec"), os.path.join(final, "fault-reports")):
        assert stat.S_IMODE(os.stat(directory).st_mode) == dir_mode, directory
    assert stat.S_IMODE(os.stat(reports / LATEST_LOCK).st_mode) == 0o600


def test_rollout_directories_are_private_and_their_lock_file_is_0600(tmp_path):
    os.umask(0o022)
    targets = [{"host": "vce-ws01", "clinic": "Vårdcentralen Exempel", "care_unit_hsa_id": "SE5591234561-1001"}]
    path, _state = open_rollout(str(tmp_path / "rollouts"), targets, "localhost,wave_1", "inventories/example")
    with locked(path):
        pass
    assert stat.S_IMODE(os.stat(tmp_path / "rollouts").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path + ".lock").st_mode) == 0o600


def test_every_evidence_read_is_bounded_even_without_the_setting():
    """The enforce plan reads an evidence file without the run's settings: the default bound still holds."""
    assert DEFAULT_MAX_FILE_BYTES == load_catalogue().effective_settings(None)["evidence_max_file_bytes"]
    with pytest.raises(EvidenceError, match="is a character device"):
        load_evidence_file("/dev/zero")
