"""Action plugin: audit the region's HSA directory (care provider, care units, persons, organisation).

Runs on the controller: reads the region from the inventory (provider, clinics' care units and staff
lists, units registered with Inera), runs the read-only module webcert_hsa_provider, and judges what it
read into subjects with one result per directory control. Never fails the play for a directory
problem: a directory that is down, slow, refuses the bind or answers garbage gives `error` results for
the affected subjects; a region without a directory gives `not_reviewed`. The bind password is passed
to the module only (no_log there) and never appears in what this plugin returns.
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils"))

from ansible.plugins.action import ActionBase  # noqa: E402

from webcert.catalogue import load_catalogue  # noqa: E402
from webcert.directory_checks import judge_directory  # noqa: E402
from webcert.errors import WebcertError  # noqa: E402

MODULE = "webcert_hsa_provider"
CONNECTION = ("uri", "base_dn", "bind_dn", "bind_password", "start_tls", "validate_certs", "ca_file",
              "connect_timeout", "search_timeout", "page_size")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(CONNECTION + ("provider_hsa_id", "provider_name", "hosts", "care_units", "staff",
                                          "registered_units", "settings", "profile", "as_of"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        try:
            catalogue = load_catalogue()
            settings = args.get("settings") or {}
            values = catalogue.effective_settings(settings)
            now = self._as_of(args.get("as_of"))
        except (WebcertError, ValueError) as exc:
            return dict(result, failed=True, msg=str(exc))
        region = self._region(args, task_vars.get("hostvars", {}))
        uris = args.get("uri")
        # A list, or one string with URIs separated by commas or spaces (e.g. from an environment variable).
        uris = uris.replace(",", " ").split() if isinstance(uris, str) else [u for u in uris or [] if u]
        data = None
        if not uris:
            region["not_configured"] = "no HSA directory configured for the region (webcert_hsa_uri is empty)"
        else:
            module_args = {name: args[name] for name in CONNECTION if args.get(name) not in (None, "")}
            module_args.update(uri=uris, provider_hsa_id=region["provider_hsa_id"] or "",
                               care_unit_hsa_ids=[u["hsa_id"] for u in region["care_units"]],
                               person_hsa_ids=[p["hsa_id"] for p in region["staff"]],
                               attribute_names=values.get("hsa_attribute_names") or {},
                               hsa_id_pattern=values.get("hsa_id_pattern"))
            reply = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
            if reply.get("failed") or not isinstance(reply.get("directory"), dict):
                # The module itself broke (bad arguments, ldap3 missing): every directory subject says so.
                reason = "the %s module failed: %s" % (MODULE, reply.get("msg", "no message"))
                data = {"provider_hsa_id": region["provider_hsa_id"], "errors": {s: reason for s in
                                                                               ("provider", "units", "persons")}}
            else:
                data = reply["directory"]
            if reply.get("warnings"):
                result["warnings"] = list(reply["warnings"])
        try:
            subjects = judge_directory(catalogue, settings, data, region, args.get("profile"), now)
        except WebcertError as exc:
            return dict(result, failed=True, msg=str(exc))
        summary = {"server": (data or {}).get("server"), "searches": (data or {}).get("searches", 0),
                   "errors": (data or {}).get("errors", {}), "failover": (data or {}).get("failover", [])}
        return dict(result, changed=False, subjects=subjects, directory=summary)

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

    @staticmethod
    def _region(args, hostvars):
        """The region as the inventory sees it: clinics' care units and staff lists from the hosts' vars."""
        care_units = [dict(u) for u in args.get("care_units") or []]
        staff = [dict(p) for p in args.get("staff") or []]
        for host in args.get("hosts") or []:
            variables = hostvars.get(host, {}) if host in hostvars else {}
            unit = variables.get("webcert_care_unit_hsa_id")
            clinic = variables.get("webcert_clinic")
            if unit:
                care_units.append({"hsa_id": unit, "clinic": clinic})
            for person in variables.get("webcert_hsa_staff") or []:
                staff.append(dict(person, care_unit_hsa_id=person.get("care_unit_hsa_id") or unit,
                                  clinic=person.get("clinic") or clinic))
        # Every PC of a clinic carries the clinic's group vars: keep each unit, and each person per unit, once.
        units, people, seen = [], [], set()
        for unit in care_units:
            key = ("unit", str(unit.get("hsa_id") or "").casefold())
            if unit.get("hsa_id") and key not in seen:
                seen.add(key)
                units.append(unit)
        for person in staff:
            key = ("person", str(person.get("hsa_id") or "").casefold(), str(person.get("care_unit_hsa_id") or "").casefold())
            if person.get("hsa_id") and key not in seen:
                seen.add(key)
                people.append(person)
        registered = args.get("registered_units")
        return {"provider_hsa_id": args.get("provider_hsa_id") or "", "provider_name": args.get("provider_name"),
                "care_units": units, "staff": people, "base_dn": args.get("base_dn") or "c=SE",
                "registered_units": list(registered) if registered is not None else None}
