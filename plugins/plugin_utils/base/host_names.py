# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How long a Windows PC's name may be, for the register and the drop-folder inventory.

A name without dots is a computer name (%COMPUTERNAME%, NetBIOS): at most 15 characters. A name with
dots is a DNS name: at most 253 characters, each label at most 63.
"""

NETBIOS_MAX = 15
DNS_MAX = 253
DNS_LABEL_MAX = 63


def _shown(name):
    return repr(name) if len(name) <= 40 else "%r..." % name[:40]


def host_name_problem(name):
    """Why `name` is longer than Windows allows, naming the rule; None when it is not."""
    if "." not in name:
        if len(name) > NETBIOS_MAX:
            return ("host name %s is %d characters, more than the %d a Windows computer name (NetBIOS, "
                    "%%COMPUTERNAME%%) may have" % (_shown(name), len(name), NETBIOS_MAX))
        return None
    if len(name) > DNS_MAX:
        return "host name %s is %d characters, more than the %d a DNS name may have" % (_shown(name), len(name), DNS_MAX)
    label = next((part for part in name.split(".") if len(part) > DNS_LABEL_MAX), None)
    if label is not None:
        return ("host name %s has a part of %d characters (%s...), more than the %d a DNS label may have"
                % (_shown(name), len(label), label[:20], DNS_LABEL_MAX))
    return None
