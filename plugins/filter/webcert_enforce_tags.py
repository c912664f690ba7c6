# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filter that refuses enforce-run tags naming neither a control id nor a family (playbooks/enforce.yml)."""

from ansible.errors import AnsibleFilterError

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.plan import check_tags


def webcert_enforce_tags(run_tags, skip_tags=None):
    """run_tags | webcert_enforce_tags(skip_tags) -> run_tags, or an error naming the unknown tags and the known ones."""
    try:
        check_tags(run_tags, skip_tags)
    except WebcertError as exc:
        raise AnsibleFilterError(str(exc)) from None
    return run_tags


class FilterModule:
    def filters(self):
        return {"webcert_enforce_tags": webcert_enforce_tags}
