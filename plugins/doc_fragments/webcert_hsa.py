# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Documentation shared by the plugins that read HSA (webcert_hsa_provider, webcert_audit_directory).

The connection options are declared once, in plugins/module_utils/hsa_options.py; this fragment is
written from them, so the documentation and both plugins' argument validation cannot drift apart.
"""

import json

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_options import connection_documentation


class ModuleDocFragment:
    # JSON is YAML: the options exactly as hsa_options declares them.
    DOCUMENTATION = json.dumps({"options": connection_documentation()}, indent=2, ensure_ascii=False)
