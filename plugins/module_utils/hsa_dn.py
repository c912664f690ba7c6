# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Distinguished names of HSA entries: parents and a comparable form. Used by the LDAP reader and by the
directory judges, which must not depend on the reader.

Both are cached: a region's audit asks about the same few thousand DNs some 50,000 times, and ldap3's
parser is the slow part."""

import functools

try:
    from ldap3.utils.dn import parse_dn
except ImportError:  # the modules and the audit report a missing ldap3 clearly before any DN is parsed
    parse_dn = None


def parent_dns(dn):
    """'cn=x,ou=y,o=z,c=SE' -> ['ou=y,o=z,c=SE', 'o=z,c=SE', 'c=SE'] (case kept as the server gave it)."""
    return list(_parent_dns(dn))


@functools.lru_cache(maxsize=65536)
def _parent_dns(dn):
    parts = parse_dn(dn, escape=False, strip=False)
    rdns = []
    current = []
    for attribute, value, separator in parts:
        current.append("%s=%s" % (attribute, value))
        if separator != "+":
            rdns.append("+".join(current))
            current = []
    return tuple(",".join(rdns[i:]) for i in range(1, len(rdns)))


@functools.lru_cache(maxsize=65536)
def dn_key(dn):
    """A DN normalised for comparison: case-folded, no spaces around separators."""
    try:
        return ",".join("%s=%s" % (a.strip().casefold(), v.strip().casefold())
                        for a, v, _unused in parse_dn(dn, escape=False, strip=True))
    except Exception:  # a DN ldap3 cannot parse is compared as text
        return dn.casefold()
