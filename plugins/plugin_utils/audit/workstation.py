# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One workstation's audit: its evidence (a live collection or a file) judged into a subject.

Shared by the per-host action webcert_audit_workstation (live hosts over WinRM/PSRP, or one file host)
and the controller action webcert_audit_evidence_files (every host of a drop folder in one task), so
both give the same subject for the same host. Never raises for the host's own problems: unreadable,
broken or stale evidence becomes a subject with status `error` (or `not_reviewed` results) and the reason.
"""

import datetime
import os

from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import collection_plan, user_context_types
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import (
    collection_time_problem, load_evidence_file, merge_user_evidence, names_match)
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.judge import judge_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import fail_subject, make_subject


def as_of(text):
    """The moment evidence files are dated against: the run's start, default now."""
    if not text:
        return datetime.datetime.now(datetime.timezone.utc)
    try:
        moment = parse_timestamp(text)
    except ValueError:
        raise WebcertError("as_of: %r is not an ISO 8601 time" % (text,)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def evidence_path(path, inventory_dir):
    """A relative evidence file path is relative to the host's inventory directory."""
    if not os.path.isabs(path):
        path = os.path.join(inventory_dir or os.getcwd(), path)
    return path


def file_evidence(path, host, values):
    """The evidence file of `host`, validated, and its source text."""
    evidence = load_evidence_file(path, values["evidence_max_file_bytes"])
    source = "file:%s" % os.path.relpath(path)
    # A file could be copied from another PC: its host must be this one. (A live collection is of the
    # host Ansible connected to, whatever name the inventory gives it: an IP, an alias.)
    if not names_match(evidence, host):
        raise WebcertError("%s: evidence is of host %r%s, not %r" % (
            source, evidence["host"], " (%s)" % evidence["dns_host_name"] if evidence.get("dns_host_name")
            else "", host))
    return evidence, source


def user_file_evidence(path, host, values):
    """The user-context evidence file (standalone run at logon), validated and of this host."""
    evidence = load_evidence_file(path, values["evidence_max_file_bytes"])
    source = "user file:%s" % os.path.relpath(path)
    if not evidence["collector"].get("user_context"):
        raise WebcertError("%s: user_evidence_file has no user_context (collected as SYSTEM, over WinRM or with "
                           "-NoUserContext); it cannot stand for the signed-in user" % path)
    if not names_match(evidence, host):
        raise WebcertError("%s: evidence is of host %r, not %r" % (source, evidence["host"], host))
    return evidence, source


def _timing(evidence, source, started, values):
    return collection_time_problem(evidence, source, started, values["evidence_clock_tolerance_minutes"],
                                   values["evidence_max_age_days"])


def audit_workstation(catalogue, host, args, inventory_dir, collect=None, expected_errors=(WebcertError,)):
    """The subject of one workstation.

    args: the validated arguments of webcert_audit_workstation (profile, settings, evidence_file,
    user_evidence_file, clinic, care_unit_hsa_id, as_of). collect(plan) -> (evidence, source) reads a live
    host; it is used when there is no evidence_file. Errors of the kinds in `expected_errors` become an
    `error` subject with their message; any other error while getting the evidence too, named as such.
    """
    profile = args.get("profile") or catalogue.default_profile
    subject = make_subject("workstation", host, clinic=args.get("clinic"),
                           care_unit_hsa_id=args.get("care_unit_hsa_id"), profile=profile)
    try:
        controls = catalogue.for_profile(profile, "workstation", args.get("settings"))
        values = catalogue.effective_settings(args.get("settings"))
        started = as_of(args.get("as_of"))
    except WebcertError as exc:
        # Still list every control the host would have had, each as error with the reason.
        known = catalogue.for_profile(profile, "workstation") if profile in catalogue.profiles else []
        return fail_subject(subject, known, str(exc))
    path = evidence_path(args["evidence_file"], inventory_dir) if args.get("evidence_file") else None
    if path:  # named even when the file turns out to be unreadable
        subject["evidence_source"] = "file:%s" % os.path.relpath(path)
    try:
        evidence, source = file_evidence(path, host, values) if path else collect(collection_plan(controls))
    except expected_errors as exc:
        return fail_subject(subject, controls, str(exc))
    except Exception as exc:  # pylint: disable=broad-except  # a PC that never answers costs only this PC
        return fail_subject(subject, controls, "evidence collection failed on %s: %s: %s"
                            % (host, type(exc).__name__, exc))
    stale = []
    if path:
        problem = _timing(evidence, source, started, values)
        if problem and problem[0] == "error":
            return fail_subject(subject, controls, problem[1])
        stale += [(None, problem[1])] if problem else []
    user_source = None
    if args.get("user_evidence_file"):
        try:
            user_evidence, user_source = user_file_evidence(evidence_path(args["user_evidence_file"], inventory_dir),
                                                            host, values)
        except WebcertError as exc:
            return fail_subject(subject, controls, str(exc))
        problem = _timing(user_evidence, user_source, started, values)
        if problem and problem[0] == "error":
            return fail_subject(subject, controls, problem[1])
        stale += [(user_context_types(), problem[1])] if problem else []
        evidence = merge_user_evidence(evidence, user_evidence)
        subject["user_evidence_source"] = user_source
    subject["evidence_source"] = source
    subject["collected_at"] = evidence["collected_at"]
    subject["user_context"] = evidence["collector"].get("user_context")
    subject["results"] = judge_evidence(controls, evidence, source)
    for check_types, message in stale:
        # Old evidence is never passed (nor failed): the controls it would judge are not_reviewed.
        kinds = {c["id"]: c["check"]["type"] for c in controls}
        for judged in subject["results"]:
            if check_types is None or kinds[judged["control_id"]] in check_types:
                judged.update(status="not_reviewed", message=message, expected=None, actual=None, details=None)
    if user_source:
        # Judged (also) from the user-context file: say so on each such result.
        user_controls = {c["id"] for c in controls if c["check"]["type"] in user_context_types()}
        for judged in subject["results"]:
            if judged["control_id"] in user_controls:
                judged["evidence_source"] = "%s + %s" % (source, user_source)
    return subject
