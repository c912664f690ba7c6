"""site-lists/ in a run: the region's own site lists with Webcert's entry merged in, from the enforcement part of
report.json alone, rendered with the role's own template and read back with the audit's site-list parser."""

import copy

from report_samples import sample_report, subjects, workstation
from test_enforce_satisfies_audit import region  # noqa: F401  pylint: disable=unused-import
from test_enforce_equals_audit import regions, _set, _site_list_xml  # noqa: F401  pylint: disable=unused-import
from test_enforce_satisfies_audit import prepared_evidence
from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import enforcement_changes, enforcement_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.browser_policy import parse_site_list
from ansible_collections.webcert.fleet.plugins.plugin_utils.report import render_site_lists

SHARE = "\\\\region-fs\\policy$\\sites.xml"


def region_site_lists(regions_):  # pylint: disable=redefined-outer-name
    """What enforce hands on for a PC whose Edge uses the region's list on a share, which lacks Webcert."""
    settings, inputs_by_owner = regions_
    evidence = prepared_evidence("win10-22h2-compliant")
    catalogue = load_catalogue()
    check = catalogue.by_id["WS-EDGE-SITELIST"]["check"]
    _set(evidence, check["policy_path"], check["policy_name"], SHARE)
    evidence["site_lists"] = {"%s\\%s" % (check["policy_path"], check["policy_name"]): {
        "location": SHARE, "error": None, "truncated": False,
        "content": _site_list_xml([("intranet.region.invalid", "default", "MSEdge")], version=11)}}
    controls = catalogue.for_profile("inera-classic", "workstation", settings)
    plan = enforcement_plan("inera-classic", settings, catalogue=catalogue,
                            inputs=inputs_by_owner["does not own the site list"], only=["WS-EDGE-SITELIST"])
    return enforcement_changes(plan, controls, evidence).region_site_lists


def enforced(host, site_lists):
    subject = workstation(host, "Vårdcentralen Exempel", "SE5591234561-1001", {"WS-NETID-VERSION": "passed"})
    subject["enforcement"] = {"check_mode": True, "before": {}, "changes": [], "audit_only": [], "reboot_pending": False,
                              "region_site_lists": copy.deepcopy(site_lists)}
    return subject


def test_the_merged_region_list_is_written_once_per_location(regions):  # pylint: disable=redefined-outer-name
    site_lists = region_site_lists(regions)
    report = sample_report(subject_list=subjects() + [enforced("vce-ws10", site_lists), enforced("vce-ws11", site_lists)])
    files = dict(render_site_lists.render(report))  # validated against the report schema by sample_report
    [xml_name] = [name for name in files if name.endswith(".xml")]
    assert xml_name.startswith("site-lists/sites-") and len(xml_name) < 80
    version, sites = parse_site_list(files[xml_name])
    assert version == "12"
    assert [(s["url"], s["open_in"]) for s in sites] == [("intranet.region.invalid", "MSEdge"),
                                                         ("webcert.intygstjanster.se", "IE11")]
    index = files["site-lists/index.txt"]
    assert "List: %s" % SHARE in index and "Used by: vce-ws10, vce-ws11" in index
    assert 'Entry to add: <site url="webcert.intygstjanster.se"><compat-mode>IE11</compat-mode>' in index


def test_no_region_list_no_folder():
    assert list(render_site_lists.render(sample_report())) == []
