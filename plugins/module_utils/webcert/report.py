"""Assemble report.json from subjects, validate it, and write it atomically under reports/<run id>/."""

import datetime
import json
import os
import secrets
import tempfile

from . import TOOL_VERSION
from .errors import WebcertError
from .results import count_statuses
from .schema import field_path, schema_errors


def new_run_id(now=None):
    """Sortable and unique: 20261126T103000Z-1a2b3c."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds")


def catalogue_summary(catalogue):
    return {
        "profiles": {name: {"title": p["title"], "default": bool(p.get("default"))}
                     for name, p in catalogue.profiles.items()},
        "requirements": dict(catalogue.requirements),
        "controls": [{"id": c["id"], "title": c["title"], "requirements": c["requirements"], "scope": c["scope"],
                      "profiles": c["profiles"], "impact": c["impact"], "enforceable": c["enforceable"],
                      "remediation": c["remediation"], "check_type": c["check"]["type"],
                      "source_file": c.get("source_file", "")} for c in catalogue.controls],
    }


def summarise(subjects):
    by_kind, by_clinic = {}, {}
    for subject in subjects:
        kind = by_kind.setdefault(subject["kind"], {"total": 0, "error": 0})
        kind["total"] += 1
        kind["error"] += subject["status"] == "error"
        clinic = subject.get("clinic") or "(no clinic)"
        counts = count_statuses(subject["results"])
        into = by_clinic.setdefault(clinic, {k: 0 for k in counts})
        for key, value in counts.items():
            into[key] += value
    return {"subjects": by_kind,
            "results": count_statuses([r for s in subjects for r in s["results"]]),
            "by_clinic": by_clinic}


def build_report(run, catalogue, subjects, waiver_usage):
    report = {
        "schema_version": 1,
        "tool": {"name": "webcert-fleet", "version": TOOL_VERSION},
        "run": run,
        "catalogue": catalogue_summary(catalogue),
        "subjects": subjects,
        "summary": summarise(subjects),
        "waivers": waiver_usage,
    }
    validate_report(report)
    return report


def validate_report(report):
    errors = schema_errors(report, "report.schema.json")
    if errors:
        raise WebcertError("report.json would not follow schemas/report.schema.json: field '%s': %s"
                           % (field_path(list(errors[0].absolute_path)), errors[0].message))


def atomic_write(path, text):
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def point_latest(reports_dir, run_id):
    """reports/latest -> <run id>, replaced atomically (a symlink renamed over the old one)."""
    link = os.path.join(reports_dir, "latest")
    temporary = os.path.join(reports_dir, ".latest-%s" % secrets.token_hex(4))
    os.symlink(run_id, temporary)
    os.replace(temporary, link)
    return link


def write_report(report, reports_dir):
    """Write reports/<run id>/report.json; returns its path. `latest` is moved by the caller when all is written."""
    run_dir = os.path.join(reports_dir, report["run"]["id"])
    if os.path.exists(os.path.join(run_dir, "report.json")):
        raise WebcertError("%s already has a report; runs are never overwritten" % run_dir)
    path = os.path.join(run_dir, "report.json")
    atomic_write(path, json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
    return path
