# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Certificates of a store as the collector reports them (subject and issuer as Windows writes them).

Plain functions shared by the certificate judge (workstation_checks.py) and enforcement, so both find
the same CA by name.
"""

import re

from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp


def common_name(distinguished_name):
    """The CN of 'CN=SITHS e-id Person HSA-id 3 CA v1, O=Inera AB, C=SE' (as Windows writes a subject)."""
    # An attribute starts at ", NAME=" where NAME may be an OID as Windows writes one (OID.2.5.4.97=).
    for part in re.split(r",\s*(?=[A-Za-z][A-Za-z0-9.]*=)", distinguished_name or ""):
        name, _unused, value = part.partition("=")
        if name.strip().upper() == "CN":
            return value.strip().strip('"')
    return None


def serial_number(distinguished_name):
    """The SERIALNUMBER of a subject: on a SITHS card's certificates, the holder's HSA-id
    ('CN=Bertil Berg, SERIALNUMBER=SE5591234561-P002, O=...'). Windows may write the attribute as OID.2.5.4.5."""
    for part in re.split(r",\s*(?=[A-Za-z0-9.]+=)", distinguished_name or ""):
        name, _unused, value = part.partition("=")
        if name.strip().upper() in ("SERIALNUMBER", "OID.2.5.4.5"):
            return value.strip().strip('"') or None
    return None


def named(certificates, name, issuer=None):
    """The certificates whose subject CN is `name` (and, given `issuer`, whose issuer CN is that), case-insensitive."""
    return [c for c in certificates if (common_name(c.get("subject")) or "").casefold() == name.casefold()
            and (issuer is None or (common_name(c.get("issuer")) or "").casefold() == issuer.casefold())]


def unexpired(certificates, moment):
    """The certificates still valid at `moment` (one without not_after counts as valid)."""
    return [c for c in certificates if not c.get("not_after") or parse_timestamp(c["not_after"]) > moment]
