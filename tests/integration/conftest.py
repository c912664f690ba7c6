"""Fixtures of the integration tests: a real slapd serving the HSA test directory (tests/hsa/)."""


import pytest


import hsa_test_directory


@pytest.fixture(scope="session")
def hsa_directory(tmp_path_factory):
    """tests/hsa/region.ldif on slapd with LDAPS (generated CA) and plain LDAP; always stopped."""
    state = tmp_path_factory.mktemp("hsa-directory") / "state"
    info = hsa_test_directory.start(hsa_test_directory.REGION_LDIF, state, tls=True)
    try:
        yield info
    finally:
        hsa_test_directory.stop(state)


@pytest.fixture
def hsa_directory_factory(tmp_path):
    """Start extra directories for one test (to kill, freeze or fail over); all stopped afterwards."""
    states = []

    def start(ldif=hsa_test_directory.REGION_LDIF, tls=False, password=None):
        state = tmp_path / ("hsa-state-%d" % len(states))
        states.append(state)
        return hsa_test_directory.start(ldif, state, tls=tls, password=password)

    try:
        yield start
    finally:
        for state in states:
            hsa_test_directory.stop(state)
