"""Shared pytest setup: the judge and its friends are plain Python under plugins/module_utils."""

import os
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO_ROOT, "plugins", "module_utils"))
sys.path.insert(0, os.path.dirname(__file__))  # tests/ansible_cli.py
