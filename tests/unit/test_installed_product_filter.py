"""webcert.fleet.webcert_installed_product: the check the role makes after a card-client install."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.webcert.fleet.plugins.filter.webcert_enforcement import webcert_installed_product

OPERATION = {"control_id": "WS-NETID-VERSION", "name_pattern": r"^Net iD Enterprise\b",
             "publisher_pattern": "Pointsharp", "version": "6.8.5"}


def product(version, name="Net iD Enterprise", publisher="Pointsharp AB"):
    return {"name": name, "version": version, "publisher": publisher}


@pytest.mark.parametrize("version, at_target", [("6.8.5.0", True), ("6.8.5", True), ("6.10.0", True),
                                                ("6.8.4.99", False), ("6.6", False)])
def test_versions_are_compared_as_the_audit_compares_them(version, at_target):
    assert webcert_installed_product([product(version)], OPERATION) == {
        "name": "Net iD Enterprise", "version": version, "at_target": at_target}


def test_the_newest_matching_product_counts_and_other_publishers_do_not():
    products = [product("6.6.0"), product("6.8.5.2"), product("9.9", publisher="Someone Else"),
                product("9.9", name="Net iD Client")]
    assert webcert_installed_product(products, OPERATION)["version"] == "6.8.5.2"
    assert webcert_installed_product([product("9.9", publisher="Someone Else")], OPERATION) == {
        "name": None, "version": None, "at_target": False}


def test_bad_input_names_the_filter():
    with pytest.raises(AnsibleFilterError, match="webcert_installed_product"):
        webcert_installed_product(None, OPERATION)
