# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Judged subjects handed from one controller task to the next as a file, not as an Ansible variable.

A registered variable is pickled between processes and templated again, in full, by every task that
uses it: at region scale (10,000 persons, 5,000 PCs) that cost more than judging and writing the
reports (docs/performance.md). A subjects file is JSON lines, one subject per line, readable by the
controller's user only (it names persons and hosts), in the controller's temporary directory;
webcert_write_report reads it and removes it.
"""

import json
import os
import tempfile

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError


def write_subjects(subjects, what):
    """Write `subjects` (any iterable: a generator keeps only one subject in memory) to a new private
    file; returns its path. `what` goes into the file name."""
    handle, path = tempfile.mkstemp(prefix="webcert-%s-" % what, suffix=".jsonl")  # mode 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for subject in subjects:
                out.write(json.dumps(subject, ensure_ascii=False))
                out.write("\n")
    except BaseException:
        os.unlink(path)
        raise
    return path


# Fields that repeat across results (a control's title, remediation, requirements): one object each,
# shared, instead of one copy per result (100,000 results at region scale).
SHARED_FIELDS = ("control_id", "title", "requirements", "scope", "impact", "remediation", "evidence_source")


def _share(subject, memo):
    for result in subject.get("results") or []:
        if isinstance(result, dict):
            for field in SHARED_FIELDS:
                value = result.get(field)
                if isinstance(value, str):
                    result[field] = memo.setdefault(value, value)
                elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                    result[field] = memo.setdefault(("list",) + tuple(value), value)
    return subject


def read_subjects(path):
    """The subjects of a subjects file, in order; an unreadable file is an error naming it and the line."""
    subjects, memo = [], {}
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    subject = json.loads(line)
                except ValueError as exc:
                    raise WebcertError("subjects file %s, line %d: not JSON: %s" % (path, number, exc)) from None
                if not isinstance(subject, dict):
                    raise WebcertError("subjects file %s, line %d: not a subject (a mapping)" % (path, number))
                subjects.append(_share(subject, memo))
    except OSError as exc:
        raise WebcertError("subjects file %s: %s" % (path, exc.strerror)) from None
    return subjects
