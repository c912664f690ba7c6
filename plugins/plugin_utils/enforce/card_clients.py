# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The card clients family: installing or upgrading Net iD / the SITHS eID app from the region's checked installer
(tasks/card_clients.yml). Never a downgrade."""

import os
import re

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.expect import parse_version, pattern_found, version_at_least
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Enforcement, op, register
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import section


def build_installed_product(control, inputs):
    check = control["check"]
    options = control.get("enforce") or {}
    installer = inputs.installers.get(control["id"])
    item = {"control_id": control["id"], "name_pattern": check["name_pattern"],
            "publisher_pattern": check.get("publisher_pattern"), "min_version": check.get("min_version"),
            "installer": None}
    if installer is None:
        return item
    where = "webcert_card_client_installers: %s" % control["id"]
    if not isinstance(installer, dict):
        raise WebcertError("%s: must be a mapping (file or path, sha256, version)" % where)
    unknown = set(installer) - {"file", "path", "sha256", "version", "arguments", "packaging"}
    if unknown:
        raise WebcertError("%s: unknown field(s) %s" % (where, ", ".join(sorted(unknown))))
    if bool(installer.get("file")) == bool(installer.get("path")):
        raise WebcertError("%s: give exactly one of 'file' (on the controller) and 'path' (a path or share the PC "
                           "reads)" % where)
    if not re.match(r"^[0-9A-Fa-f]{64}$", str(installer.get("sha256") or "")):
        raise WebcertError("%s: sha256 must be the installer's SHA-256 (64 hex digits)" % where)
    version = str(installer.get("version") or "")
    if parse_version(version) is None:
        raise WebcertError("%s: version %r is not a version such as 6.8.2" % (where, installer.get("version")))
    if item["min_version"] and not version_at_least(version, item["min_version"]):
        raise WebcertError("%s: the installer's version %s is older than the control's minimum %s"
                           % (where, version, item["min_version"]))
    if installer.get("packaging") not in (None, "md", "standard"):
        raise WebcertError("%s: packaging must be md or standard" % where)
    source = installer.get("file")
    if source:
        source = inputs.path(source)
        if not os.path.isfile(source):
            raise WebcertError("%s: file %s does not exist on the controller" % (where, source))
    item["installer"] = {"file": source, "path": installer.get("path"), "sha256": installer["sha256"].upper(),
                         "version": version, "packaging": installer.get("packaging"),
                         "arguments": installer.get("arguments", options.get("installer_arguments", "")),
                         "md_pattern": options.get("md_name_pattern")}
    return item


def change_installed_product(item, evidence, changes):
    found = [p for p in section(evidence, "products") if pattern_found(item["name_pattern"], p["name"])
             and pattern_found(item["publisher_pattern"], p.get("publisher"))]
    new_enough = [p for p in found if version_at_least(p.get("version"), item["min_version"])]
    if found and (not item["min_version"] or new_enough):
        return
    installer = item["installer"]
    if installer is None:
        changes.note(item["control_id"], "no installer for it in webcert_card_client_installers: left to the audit")
        return
    newest = max((p.get("version") for p in found if parse_version(p.get("version"))), key=parse_version, default=None)
    if newest and version_at_least(newest, installer["version"]):
        changes.note(item["control_id"], "installed %s is not older than the installer's %s: never downgrade"
                     % (newest, installer["version"]))
        return
    if installer["packaging"] and installer["md_pattern"]:
        md_installed = [p["name"] for p in found if pattern_found(installer["md_pattern"], p["name"])]
        if found and bool(md_installed) != (installer["packaging"] == "md"):
            changes.note(item["control_id"], "the installed packaging (%s) differs from the installer's (%s): Inera's "
                         "rule is uninstall, reboot, install; uninstall it first (enforce does not switch packaging)"
                         % ("; ".join(p["name"] for p in found), installer["packaging"]))
            return
    # The patterns go along so the role can read the version after the install the way the audit does.
    changes.add("card_clients", op(item, action="upgrade" if found else "install", before=newest,
                                   name_pattern=item["name_pattern"], publisher_pattern=item["publisher_pattern"],
                                   **installer))


register("installed_product", Enforcement("card_clients", build_installed_product, change_installed_product))
