# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waivers: accepted exceptions with a justification, an owner and an expiry date.

A malformed waiver file stops the audit at its start (WaiverError naming the file and the entry); it is
never silently ignored. A waiver expires at 00:00 Swedish time on its `expires` date: "today" is the
Swedish calendar day on which the run started, whatever the controller's time zone. From then on it no
longer applies and the result says so. A waiver waives only failed results; error and not_reviewed
results keep their status (the waiver is recorded on them), so nobody loses sight of why a host could
not be checked.
"""

import datetime

import yaml

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WaiverError
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.schema import field_path, schema_errors
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SWEDEN, parse_timestamp


class _TextDatesLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text: a bad date (2027-02-30) is then reported with its entry
    instead of failing the whole file with a bare ValueError."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_waivers(path, known_control_ids=None):
    """The waivers of `path`; None means no waiver file. Set but empty text is an error (a template that
    resolved to nothing), never "no waivers"."""
    if path is None:
        return []
    if not str(path).strip():
        raise WaiverError("webcert_waivers_file is set but empty: give the waiver file's path, or leave the "
                          "variable unset for no waivers")
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except OSError as exc:
        raise WaiverError("%s: cannot read waiver file: %s" % (path, exc.strerror)) from None
    except yaml.YAMLError as exc:
        raise WaiverError("%s: not valid YAML: %s" % (path, exc)) from None
    if data is None:
        data = {"waivers": []}
    # YAML reads 2027-01-31 as a date; the schema speaks ISO text.
    for entry in (data.get("waivers") or []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("expires"), datetime.date):
            entry["expires"] = entry["expires"].isoformat()
    errors = schema_errors(data, "waivers.schema.json")
    if errors:
        location = list(errors[0].absolute_path)
        entry = ""
        if len(location) >= 2 and isinstance(location[1], int):
            bad = data["waivers"][location[1]]
            entry = " entry %d (control %s)" % (location[1] + 1, bad.get("control_id") if isinstance(bad, dict) else "?")
        raise WaiverError("%s:%s field '%s': %s" % (path, entry, field_path(location), errors[0].message))
    for number, entry in enumerate(data["waivers"], start=1):
        if known_control_ids is not None and entry["control_id"] not in known_control_ids:
            raise WaiverError("%s: entry %d: field 'control_id': unknown control %r"
                              % (path, number, entry["control_id"]))
        try:
            datetime.date.fromisoformat(entry["expires"])
        except ValueError:
            raise WaiverError("%s: entry %d (control %s): field 'expires': %r is not a date"
                              % (path, number, entry["control_id"], entry["expires"])) from None
        entry["number"] = number
    return data["waivers"]


def waiver_in_scope(waiver, subject):
    """Does the waiver's scope (all, one host, or one clinic) cover this subject?"""
    scope = waiver["scope"]
    if scope == "all":
        return True
    if "host" in scope:
        return subject["id"] == scope["host"]
    return subject.get("clinic") == scope["clinic"]


def scope_text(scope):
    """A waiver's scope for a reader: 'all', 'host pc-001' or 'clinic Mottagning Öst'."""
    return scope if isinstance(scope, str) else ", ".join("%s %s" % item for item in (scope or {}).items())


def run_day(started_at):
    """The Swedish calendar day (Europe/Stockholm) of the run's start: the 'today' waivers expire against,
    the same whatever time zone the controller runs in."""
    try:
        moment = parse_timestamp(started_at)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise WaiverError("run start (run.started_at) %r is not an ISO 8601 time with a time zone" % (started_at,))
    return moment.astimezone(SWEDEN).date()


def apply_waivers(subjects, waivers, started_at=None, today=None):
    """Mark matching failed results waived; record the waiver (and whether it expired) on every matching
    result. Returns waiver usage notes. `today` defaults to the Swedish day of `started_at` (the run start).

    Only a `failed` result is waived: on an error or not_reviewed result the waiver is recorded but the
    result keeps showing that it could not be checked."""
    if today is None:
        if not started_at:
            raise WaiverError("applying waivers needs the run start (run.started_at)")
        today = run_day(started_at)
    usage = []
    for waiver in waivers:
        expired = datetime.date.fromisoformat(waiver["expires"]) <= today
        record = {key: waiver.get(key) for key in ("control_id", "scope", "justification", "owner", "ticket", "expires")}
        record["expired"] = expired
        matched = 0
        for subject in subjects:
            if not waiver_in_scope(waiver, subject):
                continue
            for result in subject["results"]:
                if result["control_id"] != waiver["control_id"]:
                    continue
                matched += 1
                if result["waiver"] is None or (result["waiver"]["expired"] and not expired):
                    result["waiver"] = dict(record)
                    result["waived"] = not expired and result["status"] == "failed"
        usage.append(dict(record, matched_results=matched))
    return usage
