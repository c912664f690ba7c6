# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Assemble report.json from subjects, validate it, and write every output of a run under reports/<run id>/.

A run is written into reports/.incomplete-<run id>/ first, each file atomically, and renamed to
reports/<run id>/ only when every output is written and on disk; reports/latest moves after that. So a
run directory is always complete, an interrupted run never replaces or half-writes anything, and what
it did write stays in the .incomplete- directory for inspection.
"""

import concurrent.futures
import datetime
import fcntl
import json
import os
import re
import secrets
import tempfile

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.version import TOOL_VERSION
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_csv
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_fault_reports
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_site_lists
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_html
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_inspec
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_junit
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_readiness
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import SettingsError, WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import replace_lone_surrogates
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.history import RUN_ID, run_meta
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import clinic_of
from ansible_collections.webcert.fleet.plugins.plugin_utils.readiness.join import build_readiness
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import count_statuses
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.schema import conforms, field_path, schema_errors


def new_run_id(now=None):
    """Sortable and unique: 20261126T103000.123Z-1a2b3c (milliseconds keep runs of one second in order)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + ".%03dZ-" % (now.microsecond // 1000) + secrets.token_hex(3)


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
        by_clinic.setdefault(clinic_of(subject), []).extend(subject["results"])
    return {"subjects": by_kind,
            "results": count_statuses([r for s in subjects for r in s["results"]]),
            "by_clinic": {clinic: count_statuses(results) for clinic, results in by_clinic.items()}}


def profile_notices(catalogue, subjects):
    """Once per run, the notice of every profile (controls/profiles.yml) a subject was audited on."""
    used = {s.get("profile") for s in subjects}
    return [dict(profile=name, text=" ".join(p["notice"]["text"].split()), source=p["notice"]["source"])
            for name, p in catalogue.profiles.items() if name in used and p.get("notice")]


# C0 control characters other than tab, line feed and carriage return, DEL and the C1 controls: a NUL from
# the directory or a registry value must not reach a CSV cell, an XML attribute or a terminal.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape_controls(value):
    """`value` with every control character in its text (keys and values, at any depth) written as \\xNN,
    visible and harmless in every format. The one place this is done: every format is rendered from the
    report, which build_report cleans."""
    if isinstance(value, str):
        return _CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()), value) if _CONTROL.search(value) else value
    # A container is copied only when something in it changed: a region's 100,000 clean results are not
    # held twice.
    if isinstance(value, dict):
        escaped = {escape_controls(key): escape_controls(item) for key, item in value.items()}
        same = len(escaped) == len(value) and all(a is b for a, b in zip(value, escaped)) and \
            all(value[k] is escaped[k] for k in value)
        return value if same else escaped
    if isinstance(value, list):
        escaped = [escape_controls(item) for item in value]
        return value if all(a is b for a, b in zip(value, escaped)) else escaped
    return value


def build_report(run, catalogue, subjects, waiver_usage, validate=True):
    """report.json from the judged subjects; drift and gate, when wanted, are added by the caller. Control
    characters in the subjects' text are escaped (escape_controls)."""
    subjects = escape_controls(subjects)
    report = {
        "schema_version": 1,
        "tool": {"name": "webcert-fleet", "version": TOOL_VERSION},
        "run": run,
        "catalogue": catalogue_summary(catalogue),
        "subjects": subjects,
        "summary": summarise(subjects),
        "waivers": waiver_usage,
        "notices": profile_notices(catalogue, subjects),
    }
    # One verdict per person and PC, joined from the judged subjects alone (readiness/join.py).
    report["readiness"] = build_readiness(subjects, report["catalogue"]["controls"], report["notices"])
    if validate:
        validate_report(report)
    return report


def validate_report(report):
    if conforms(report, "report.schema.json"):  # the fast answer; jsonschema only to explain a no
        return
    errors = schema_errors(report, "report.schema.json")
    if errors:
        raise WebcertError("report.json would not follow schemas/report.schema.json: field '%s': %s"
                           % (field_path(list(errors[0].absolute_path)), errors[0].message))


def _utf8(text):
    """UTF-8 bytes that cannot fail: evidence is cleaned when loaded, but a lone surrogate that still
    slips through (from an extra subject, say) becomes U+FFFD instead of losing the fleet's report."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return replace_lone_surrogates(text).encode("utf-8", "replace")


DEFAULT_FILE_MODE = 0o600


def file_mode(text):
    """The setting report_file_mode ("0600" .. "0666") as a number; SettingsError otherwise. Never executable,
    always readable and writable by the controller's user."""
    try:
        mode = int(str(text), 8)
    except ValueError:
        mode = None
    if mode is None or not 0o600 <= mode <= 0o666 or mode & 0o111:
        raise SettingsError("webcert_settings: report_file_mode: %r is not a file mode from 0600 to 0666 "
                            "(octal text such as \"0640\")" % (text,))
    return mode


def directory_mode(mode=DEFAULT_FILE_MODE):
    """The mode of a report directory for files of `mode`: 0700, with read and search for the group (and
    others) only when the files are readable by them. File names alone carry host names and HSA-ids."""
    return 0o700 | (0o050 if mode & 0o040 else 0) | (0o005 if mode & 0o004 else 0)


def make_dirs(path, mode=0o700):
    """Create `path` and its missing parents with `mode`, whatever the umask; existing ones stay as they are."""
    missing = []
    while not os.path.isdir(path):
        missing.append(path)
        path = os.path.dirname(path)
    for directory in reversed(missing):
        try:
            os.mkdir(directory, mode)
        except FileExistsError:
            continue  # made meanwhile by another run: not ours to change
        os.chmod(directory, mode)


def open_lock(path):
    """The lock file `path`, opened for flock; created 0600 (a lock file's name can carry a run's host names)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.fchmod(handle, 0o600)  # also a lock file an older version left readable by all
    except OSError:
        pass  # another user's lock file: locking it still works
    return os.fdopen(handle, "a", encoding="utf-8")


def check_reports_dir(reports_dir):
    """Before any host is touched: the reports folder is a folder (or can be made), writable, and its
    `latest` is the link this tool keeps (or absent)."""
    path = reports_dir
    while not os.path.lexists(path):
        path = os.path.dirname(path)
    if not os.path.isdir(path):
        raise WebcertError("reports folder %s: %s is a file, not a folder" % (reports_dir, path))
    if not os.access(path, os.W_OK | os.X_OK):
        raise WebcertError("reports folder %s: %s is not writable by this user" % (reports_dir, path))
    latest = os.path.join(reports_dir, "latest")
    if os.path.lexists(latest) and not os.path.islink(latest):
        raise WebcertError("reports folder %s: 'latest' is a real %s, not the link to the newest run this tool "
                           "keeps; move it away" % (reports_dir, "folder" if os.path.isdir(latest) else "file"))


def atomic_write(path, text, mode=DEFAULT_FILE_MODE):
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    directory = os.path.dirname(path)
    make_dirs(directory, directory_mode(mode))
    data = _utf8(text)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _stage_file(path, text, directories, mode=DEFAULT_FILE_MODE):
    """Write one output into the private staging directory: to a temporary name, then renamed, so an
    interrupted write leaves no half file. No fsync here: _sync_all makes the whole run durable at once
    (one by one, the 20,000 files of a region's run would cost 20,000 journal commits)."""
    directory = os.path.dirname(path)
    if directory not in directories:
        make_dirs(directory, directory_mode(mode))
        directories.add(directory)
    temporary = os.path.join(directory, ".tmp-" + os.path.basename(path))
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.chmod(temporary, mode)  # the setting report_file_mode, whatever the umask
        with os.fdopen(handle, "wb") as out:
            # A renderer gives a file's text whole, or as an iterable of pieces (streamed, see report.json).
            for piece in [text] if isinstance(text, str) else text:
                out.write(_utf8(piece))
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _fsync(path):
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_all(paths):
    """fsync every file and directory of the run before it is published. From many threads at once:
    the file system then commits its journal once for many files (group commit), where one fsync after
    another costs a commit each (about 14 s for 20,000 files, against well under a second)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=SYNC_THREADS) as pool:
        list(pool.map(_fsync, paths))


SYNC_THREADS = 16


LATEST_LOCK = ".latest.lock"


def point_latest(reports_dir, run_id):
    """reports/latest -> <run id>, replaced atomically (a symlink renamed over the old one), but only if
    this run is newer than the one latest points at: two audits at once may finish in either order.
    The check and the move happen under a lock file in the reports directory. Returns True if moved."""
    link = os.path.join(reports_dir, "latest")
    with open_lock(os.path.join(reports_dir, LATEST_LOCK)) as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released when the file is closed
        try:
            current = os.readlink(link)
        except OSError:
            current = None
        if current is not None and RUN_ID.match(current) and current >= run_id:
            return False
        temporary = os.path.join(reports_dir, ".latest-%s" % secrets.token_hex(4))
        os.symlink(run_id, temporary)
        os.replace(temporary, link)
        return True


def _latest_now(reports_dir):
    """Where reports/latest points, in words, for an error message."""
    try:
        return "%s/latest still points at run %s" % (reports_dir, os.readlink(os.path.join(reports_dir, "latest")))
    except OSError:
        return "there is no %s/latest yet (no earlier run finished)" % reports_dir


def attention(report):
    """Subjects not fully judged: [{kind, id, clinic, status, count, reason}], errors first, then not_reviewed,
    each with a one-line reason (the subject's error, else its first such result's message)."""
    found = []
    for order, status in enumerate(("error", "not_reviewed")):
        for subject in report["subjects"]:
            hits = [r for r in subject["results"] if r["status"] == status]
            if (status == "error" and subject["status"] == "error") or hits:
                reason = subject.get("error") if status == "error" and subject.get("error") else \
                    (hits[0]["message"] if hits else "")
                found.append({"kind": subject["kind"], "id": subject["id"], "clinic": subject.get("clinic"),
                              "status": status, "count": len(hits), "reason": " ".join(str(reason or "").split()),
                              "order": order})
    found.sort(key=lambda item: item.pop("order"))
    return found


def render_report_json(report):
    yield "report.json", report_json_pieces(report)


def report_json_pieces(report):
    """json.dumps(report, indent=2, ensure_ascii=False) + newline, byte for byte, a subject at a time: the
    whole text of a region's report (about 100 MB) would be held in memory twice (text, then UTF-8)."""
    subjects = report["subjects"]
    if not subjects:
        yield json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        return
    marker = "webcert-subjects-%s" % secrets.token_hex(8)  # in no report: it is new each time
    head, tail = json.dumps(dict(report, subjects=marker), indent=2, ensure_ascii=False).split(
        json.dumps(marker), 1)
    yield head + "[\n"
    for number, subject in enumerate(subjects):
        # JSON text has no raw newline inside a string, so each newline starts a line to indent.
        yield ("    " if number == 0 else ",\n    ") + json.dumps(subject, indent=2, ensure_ascii=False).replace(
            "\n", "\n    ")
    yield "\n  ]" + tail + "\n"


def render_run_json(report):
    yield "run.json", json.dumps(run_meta(report), indent=2, ensure_ascii=False) + "\n"


def renderers():
    """(name, function) in writing order: report.json first, run.json (what history reads) last."""
    return [("report.json", render_report_json), ("inspec", render_inspec.render), ("report.html", render_html.render),
            ("junit.xml", render_junit.render), ("summary.csv", render_csv.render_streamed),
            ("fault-reports", render_fault_reports.render), ("site-lists", render_site_lists.render),
            ("readiness", render_readiness.render),
            ("run.json", render_run_json)]


def _inside(directory, relative):
    """The path of a renderer's output; a renderer can never write outside the run directory."""
    parts = relative.split("/")
    if relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise WebcertError("renderer output path %r is not a plain relative path" % relative)
    return os.path.join(directory, *parts)


def write_run(report, reports_dir, outputs=None, mode=DEFAULT_FILE_MODE):
    """Render and write every output of the run, each file with `mode`; returns (run directory, [relative paths])."""
    check_reports_dir(reports_dir)
    run_id = report["run"]["id"]
    final = os.path.join(reports_dir, run_id)
    if os.path.exists(final):
        raise WebcertError("%s already exists; runs are never overwritten" % final)
    staging = os.path.join(reports_dir, ".incomplete-" + run_id)
    make_dirs(reports_dir, directory_mode(mode))
    os.mkdir(staging, directory_mode(mode))
    os.chmod(staging, directory_mode(mode))  # whatever the umask
    written, directories = [], {staging}
    for name, renderer in outputs or renderers():
        try:
            for relative, text in renderer(report):
                _stage_file(_inside(staging, relative), text, directories, mode)
                written.append(relative)
        except Exception as exc:
            raise WebcertError("run %s is incomplete: writing %s failed: %s: %s. The %d file(s) written so far "
                               "(report.json first) are in %s; %s."
                               % (run_id, name, type(exc).__name__, exc, len(written), staging,
                                  _latest_now(reports_dir))) from exc
    _sync_all([_inside(staging, relative) for relative in written] + sorted(directories))
    os.rename(staging, final)
    _fsync(reports_dir)
    point_latest(reports_dir, run_id)
    return final, written
