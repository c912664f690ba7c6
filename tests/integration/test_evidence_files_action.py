"""webcert_audit_evidence_files (every file host judged in one controller task) gives each host exactly the
subject that the per-host webcert_audit_workstation gives it: good files, a user-context file, a broken
file and a file of another PC, in one real ansible-playbook run of both."""

import json
import os
import shutil

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

from ansible_cli import run_ansible

PLAYBOOK = [
    {"name": "All file hosts in one controller task", "hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "Judge the file hosts", "webcert.fleet.webcert_audit_evidence_files": {
            "hosts": "{{ groups['webcert_workstations'] }}", "as_of": "2026-11-26T12:00:00+00:00"},
         "register": "batch"},
        {"name": "Say where the batch wrote its subjects", "ansible.builtin.copy": {
            "dest": "{{ out }}/batch.json", "mode": "0600",
            "content": "{{ {'file': batch.subjects_file, 'live': batch.live_hosts, 'judged': batch.judged} | to_json }}"}},
    ]},
    {"name": "The same hosts one by one", "gather_facts": False, "check_mode": True,
     "hosts": "{{ groups['webcert_workstations'] | difference(hostvars['localhost']['batch']['live_hosts']) }}",
     "tasks": [
         {"name": "Judge one host", "register": "one", "webcert.fleet.webcert_audit_workstation": {
             "profile": "{{ webcert_profile | default(omit) }}", "settings": "{{ webcert_settings | default({}) }}",
             "evidence_file": "{{ webcert_evidence_file | default(omit) }}",
             "user_evidence_file": "{{ webcert_user_evidence_file | default(omit) }}",
             "clinic": "{{ webcert_clinic | default(omit) }}",
             "care_unit_hsa_id": "{{ webcert_care_unit_hsa_id | default(omit) }}",
             "as_of": "2026-11-26T12:00:00+00:00"}},
         {"name": "Keep its subject", "delegate_to": "localhost", "check_mode": False, "ansible.builtin.copy": {
             "dest": "{{ out }}/{{ inventory_hostname }}.json", "mode": "0600", "content": "{{ one.subject | to_json }}"}},
     ]},
]


def test_every_file_host_gets_the_subject_the_per_host_action_gives_it(tmp_path):
    inventory = tmp_path / "example"
    shutil.copytree(os.path.join(REPO, "inventories", "example"), inventory)
    evidence = inventory / "files" / "evidence"
    (evidence / "mo-ws02.json").write_text('{"schema_version": 1, "host": "mo-ws02", "collec', encoding="utf-8")
    other = json.loads((evidence / "vce-ws02.json").read_text(encoding="utf-8"))
    other["host"] = "somewhere-else"
    (evidence / "vce-ws02.json").write_text(json.dumps(other), encoding="utf-8")
    playbook, out = tmp_path / "both.yml", tmp_path / "out"
    out.mkdir()
    playbook.write_text(yaml.safe_dump(PLAYBOOK, sort_keys=False), encoding="utf-8")

    done = run_ansible("ansible-playbook", playbook, "-i", inventory, "-e", "out=%s" % out)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert batch["live"] == ["mo-ws04"]  # the one PC without an evidence file
    with open(batch["file"], encoding="utf-8") as handle:
        subjects = {s["id"]: s for s in map(json.loads, handle)}
    os.unlink(batch["file"])
    assert batch["judged"] == len(subjects) == 7
    for host, subject in subjects.items():
        assert subject == json.loads((out / ("%s.json" % host)).read_text(encoding="utf-8")), host
    # The defects are there, per host, as the per-host action reports them.
    assert subjects["mo-ws02"]["status"] == "error" and "mo-ws02.json" in subjects["mo-ws02"]["error"]
    assert subjects["vce-ws02"]["status"] == "error" and "somewhere-else" in subjects["vce-ws02"]["error"]
    assert subjects["vce-ws03"]["user_evidence_source"].startswith("user file:")
    assert subjects["vce-ws01"]["status"] == "judged"
