"""Every requirement of Inera's getting-started document is served by a control or says why it cannot be checked;
the in-repo mirror (controls/requirements.yml) names the same REQ-ids as the source document where it is at hand."""

import os
import re

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SOURCE = os.path.join(REPO, "..", "shared", "seed", "REQUIREMENTS.md")


def test_every_requirement_is_served_by_a_control_or_marked_not_checkable():
    unserved = [req for req, served in load_catalogue().coverage().items()
                if not served["controls"] and not served["not_checkable"]]
    assert unserved == [], "no control and no not_checkable entry: %s" % ", ".join(unserved)


def test_paperwork_is_served_by_a_declared_fact_and_support_rules_say_why_not_checkable():
    coverage = load_catalogue().coverage()
    assert coverage["REQ-ORG-1"]["controls"] == ["ORG-INERA-AGREEMENT"]
    assert all(coverage[req]["not_checkable"] for req in ("REQ-SUP-1", "REQ-SUP-2", "REQ-SUP-3"))


def test_a_requirement_left_unserved_is_caught(monkeypatch):
    catalogue = load_catalogue(cache=False)
    catalogue.requirements["REQ-NEW-1"] = "A requirement nobody serves."
    unserved = [req for req, served in catalogue.coverage().items()
                if not served["controls"] and not served["not_checkable"]]
    assert unserved == ["REQ-NEW-1"]


@pytest.mark.skipif(not os.path.isfile(SOURCE), reason="../shared/seed/REQUIREMENTS.md is not beside the checkout")
def test_the_mirror_has_exactly_the_source_documents_requirement_ids():
    with open(SOURCE, encoding="utf-8") as handle:
        source_ids = set(re.findall(r"\*\*(REQ-[A-Z0-9-]+)\*\*", handle.read()))
    assert source_ids and source_ids == set(load_catalogue().requirements)
