"""Certificate subjects as Windows writes them, including attributes Windows names by OID."""

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.certificates import common_name, named


@pytest.mark.parametrize("subject", [
    # organizationIdentifier (2.5.4.97) has no short name in Windows: it writes OID.2.5.4.97=, here after the CN.
    "CN=SITHS e-id Person HSA-id 3 CA v1, OID.2.5.4.97=NTRSE-2321000016, O=Inera AB, C=SE",
    "OID.2.5.4.97=NTRSE-2321000016, CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE",
    "CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE",
])
def test_the_common_name_is_found_wherever_windows_puts_oid_attributes(subject):
    assert common_name(subject) == "SITHS e-id Person HSA-id 3 CA v1"
    assert named([{"subject": subject}], "siths e-id person hsa-id 3 ca v1")


def test_a_quoted_common_name_keeps_its_comma():
    assert common_name('CN="Inera, AB CA", O=Inera AB') == "Inera, AB CA"
