# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The management-channel guard: the baseline may never cut the branch Ansible sits on.

Enforce mode reaches a clinic PC over WinRM/PSRP (or OpenSSH) with one account. A control that would
disable that channel or that account would lock the region out of every PC it touched, so such a control is
rejected before any host is touched: when the catalogue loads (with default settings), and when the plan is
built with a region's webcert_settings. The PowerShell modules refuse the same names on the PC as well.
"""

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError

# Services that carry the management channel (short names, compared case-insensitively).
CHANNEL_SERVICES = {"winrm": "Windows Remote Management (WinRM/PSRP)", "sshd": "OpenSSH server"}
# Registry keys that configure the channel or the accounts that may use it. Enforce never writes below them.
CHANNEL_KEYS = (
    "HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM",
    "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN",
    "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\WinRM",
    "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\sshd",
    "HKLM:\\SOFTWARE\\OpenSSH",
    "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\SpecialAccounts",
    "HKLM:\\SAM",
    "HKLM:\\SECURITY",
)
# Single values that decide whether the Ansible account may log on remotely (local accounts need it).
CHANNEL_VALUES = (("HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System", "LocalAccountTokenFilterPolicy"),)


def _below(path, key):
    path, key = path.casefold().rstrip("\\"), key.casefold()
    return path == key or path.startswith(key + "\\")


def channel_problem(check):
    """Why a check, if enforced, could disable the management channel or its account; None when it cannot."""
    kind = check.get("type")
    if kind == "service" and str(check.get("name", "")).casefold() in CHANNEL_SERVICES:
        service = CHANNEL_SERVICES[check["name"].casefold()]
        wanted = dict(check.get("start_mode") or {}, **(check.get("state") or {}))
        if "Disabled" in str(wanted) or "Stopped" in str(wanted) or "Manual" in str(wanted):
            return "it would change the start of %s, the channel Ansible uses" % service
    if kind == "registry_value":
        path, name = str(check.get("path", "")), str(check.get("name", ""))
        if any(_below(path, key) for key in CHANNEL_KEYS):
            return "it would write %s\\%s, which configures the management channel or its accounts" % (path, name)
        if any(_below(path, key) and name.casefold() == value.casefold() for key, value in CHANNEL_VALUES):
            return "it would write %s\\%s, which decides whether the Ansible account may log on remotely" % (path, name)
    return None


def guard_control(control, source):
    """Raise CatalogueError naming the control when enforcing it could lock Ansible out; `source` says where the
    control's values came from."""
    if not control.get("enforceable"):
        return
    problem = channel_problem(control["check"])
    if problem:
        raise CatalogueError("control %s (%s): enforceable: true rejected by the management-channel guard: %s. "
                             "The baseline may never disable WinRM/PSRP/SSH or the account Ansible uses."
                             % (control["id"], control.get("source_file") or source, problem))
