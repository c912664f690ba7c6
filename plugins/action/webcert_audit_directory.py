# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin: audit the region's HSA directory (care provider, care units, persons, organisation).

Runs on the controller: reads the region from the inventory (provider, clinics' care units and staff
lists, units registered with Inera), runs the read-only module webcert_hsa_provider, and judges what it
read into subjects with one result per directory control. Never fails the play for a directory
problem: a directory that is down, slow, refuses the bind or answers garbage gives `error` results for
the affected subjects; a region without a directory gives `not_reviewed`. The bind password is passed
to the module only (no_log there) and never appears in what this plugin returns.
"""

import datetime
import time


from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_options import CONNECTION_OPTIONS
from ansible_collections.webcert.fleet.plugins.modules.webcert_audit_directory import DOCUMENTATION
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.arguments import argument_spec, validate_args
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.directory import error_subjects, judge_directory
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.adapters.inventory_vars import origin
from ansible_collections.webcert.fleet.plugins.plugin_utils.audit.region import read_region
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.subjects_file import write_subjects

MODULE = "webcert.fleet.webcert_hsa_provider"
# Passed on to the module: the server URIs and the shared HSA connection options (hsa_options.py).
CONNECTION = ("uri",) + tuple(CONNECTION_OPTIONS)


# Validated by type against the documentation of the action (plugins/modules/webcert_audit_directory.py).
SPEC = argument_spec(DOCUMENTATION)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = validate_args(self, SPEC)
        try:
            catalogue = load_catalogue()
            settings = args.get("settings") or {}
            values = catalogue.effective_settings(settings)
            now = self._as_of(args.get("as_of"))
        except (WebcertError, ValueError) as exc:
            return dict(result, failed=True, msg=str(exc))
        try:
            hostvars = task_vars.get("hostvars", {})
            region = read_region(args, hostvars, lambda host, name: origin(hostvars, host, name))
        except Exception as exc:  # pylint: disable=broad-except  # a bug here must not lose the workstations
            region = {"provider_hsa_id": "", "care_units": [], "staff": [], "registered_units": None,
                      "base_dn": "c=SE", "input_errors": [
                          {"scope": scope, "message": "reading the region from the inventory failed: %s: %s"
                           % (type(exc).__name__, exc)} for scope in ("care_provider", "organisation")]}
        uris = args.get("uri")
        # A list, or one string with URIs separated by commas or spaces (e.g. from an environment variable).
        uris = uris.replace(",", " ").split() if isinstance(uris, str) else [u for u in uris or [] if u]
        data = None
        if not uris:
            region["not_configured"] = "no HSA directory configured for the region (webcert_hsa_uri is empty)"
        else:
            started = time.monotonic()
            _progress("HSA: reading care provider %s, %d care unit(s) and %d expected person(s) from %s"
                      % (region["provider_hsa_id"] or "(none)", len(region["care_units"]), len(region["staff"]),
                         ", ".join(uris)))
            data, warnings = self._read(args, uris, region, values, task_vars)
            _progress("HSA: read %d unit(s), %d commission(s) and %d person(s) in %d search(es), %.1f s%s"
                      % (len(data.get("units") or []), len(data.get("commissions") or []),
                         len(data.get("persons") or []), data.get("searches") or 0, time.monotonic() - started,
                         "; could not read: %s" % ", ".join(sorted(data["errors"])) if data.get("errors") else ""))
            if warnings:
                result["warnings"] = warnings
        started = time.monotonic()
        try:
            subjects = judge_directory(catalogue, settings, data, region, args.get("profile"), now)
        except Exception as exc:  # pylint: disable=broad-except  # never fail the play: say so per subject
            subjects = error_subjects(catalogue, settings, region, args.get("profile"),
                                      "judging the directory failed: %s: %s" % (type(exc).__name__, exc))
        if data is not None:
            _progress("HSA: judged %d subject(s) in %.1f s" % (len(subjects), time.monotonic() - started))
        summary = {"server": (data or {}).get("server"), "searches": (data or {}).get("searches", 0),
                   "errors": (data or {}).get("errors", {}), "failover": (data or {}).get("failover", []),
                   "inventory_errors": [e["message"] for e in region.get("input_errors", [])],
                   "configured": bool(uris)}
        if args.get("subjects_to_file"):
            # 10,000 persons are too many for a registered variable (subjects_file.py says why).
            return dict(result, changed=False, subjects_file=write_subjects(subjects, "directory"),
                        subject_count=len(subjects), directory=summary)
        return dict(result, changed=False, subjects=subjects, directory=summary)

    def _read(self, args, uris, region, values, task_vars):
        """What the webcert_hsa_provider module read; a module that broke gives errors for every scope."""
        module_args = {name: args[name] for name in CONNECTION if args.get(name) not in (None, "")}
        module_args.update(uri=uris, provider_hsa_id=region["provider_hsa_id"] or "",
                           care_unit_hsa_ids=[u["hsa_id"] for u in region["care_units"]],
                           person_hsa_ids=[p["hsa_id"] for p in region["staff"]],
                           attribute_names=values.get("hsa_attribute_names") or {},
                           hsa_id_pattern=values.get("hsa_id_pattern"),
                           max_attribute_values=values["hsa_max_attribute_values"])
        try:
            reply = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
        except Exception as exc:  # pylint: disable=broad-except
            reply = {"failed": True, "msg": "%s: %s" % (type(exc).__name__, exc)}
        if reply.get("failed") or not isinstance(reply.get("directory"), dict):
            # The module itself broke (bad arguments, ldap3 missing): every directory subject says so.
            reason = "the %s module failed: %s" % (MODULE, reply.get("msg", "no message"))
            data = {"provider_hsa_id": region["provider_hsa_id"],
                    "errors": {s: reason for s in ("provider", "units", "persons")}}
        else:
            data = dict(reply["directory"])
        return data, list(reply.get("warnings") or [])

    @staticmethod
    def _as_of(text):
        """Judge as of a given date (reproducible audits, tests); default now."""
        if not text:
            return datetime.datetime.now(datetime.timezone.utc)
        try:
            moment = datetime.datetime.fromisoformat(str(text))
        except ValueError:
            raise ValueError("as_of: %r is not an ISO date (YYYY-MM-DD[THH:MM:SS])" % text) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _progress(line):
    """A phase line on the controller's terminal, so a long directory read is never one silent task."""
    Display().display(line)
