"""Shared pytest setup. The collection is imported as ansible_collections.webcert.fleet through
.collections/ (pytest.ini's pythonpath), the way Ansible itself imports it."""

import os

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
