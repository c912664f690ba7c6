"""webcert-fleet's shared Python: catalogue, evidence, judge, results and reports.

Plain Python that imports nothing from Ansible, so it is testable on its own. Modules import it as
``ansible.module_utils.webcert.<name>``; controller plugins put ``plugins/module_utils`` on sys.path
and import ``webcert.<name>`` (Ansible does not expose custom module_utils to controller plugins).
Inside the package, imports are relative so both ways work.
"""

TOOL_VERSION = "0.1.0"
