# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""site-lists/: the region's own Enterprise Mode site lists with Webcert's entry merged in, for the region to publish.

Where Edge on a PC uses the region's centrally hosted list (a share, a URL, the legacy IE policy) and that list
lacks Webcert, enforce never re-points the PC away from it (unless webcert_site_list.owns_policy). It records the
merged list in the workstation's `enforcement.region_site_lists` instead; this renderer writes one file per list
location, rendered with the role's own template (the file enforce writes on a PC), and index.txt saying which
entry to add where and which PCs use each list.
"""

import os

import jinja2

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.schema import COLLECTION_ROOT
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.file_names import short_hash, subject_stem

TEMPLATE = os.path.join(COLLECTION_ROOT, "roles", "webcert_workstation", "templates", "EnterpriseModeSiteList.xml.j2")


def _file_name(location):
    """Readable and bounded: the location's last part plus a short digest of the whole location."""
    tail = location.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = tail[:-len(".xml")] if tail.lower().endswith(".xml") else tail
    return "%s-%s.xml" % (subject_stem(stem or "site-list", 40), short_hash(location))


def _render(site_list):
    with open(TEMPLATE, encoding="utf-8") as handle:
        template = jinja2.Environment(trim_blocks=True, autoescape=False, undefined=jinja2.StrictUndefined).from_string(
            handle.read())
    return template.render(webcert_workstation__site_list=site_list)


def render(report):
    by_location = {}
    for subject in report["subjects"]:
        for site_list in (subject.get("enforcement") or {}).get("region_site_lists") or []:
            found = by_location.setdefault(site_list["location"], dict(site_list, hosts=[]))
            found["hosts"].append(subject["id"])
    if not by_location:
        return
    index = ["Site lists of the region that lack Webcert's entry (enforce did not re-point the PCs away from them).",
             "Publish the merged file in place of the region's list, or add the entry to it.", ""]
    for location in sorted(by_location):
        site_list = by_location[location]
        name = _file_name(location)
        yield "site-lists/%s" % name, _render(site_list)
        index += ["List: %s" % location, "Merged file: %s" % name, "Entry to add: %s" % site_list["entry"],
                  "Used by: %s" % ", ".join(sorted(site_list["hosts"])), ""]
    yield "site-lists/index.txt", "\n".join(index)
