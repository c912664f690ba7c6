# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Evidence documents (schemas/evidence.schema.json): loading, validating, and safe access."""

import codecs
import datetime
import json

from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import EvidenceError, kind_of
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.input_files import InputFileError, TooLarge, read_regular_file
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.schema import conforms, field_path, schema_errors

SCHEMA_VERSION = 1


def replace_lone_surrogates(value):
    """`value` with every lone UTF-16 surrogate in its text (keys and values, at any depth) replaced by
    U+FFFD. PowerShell's ConvertTo-Json writes broken UTF-16 from the registry as "\ud800": valid JSON,
    but text that no UTF-8 report file can hold. A surrogate pair split over two characters is joined."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, dict):
        return {replace_lone_surrogates(key): replace_lone_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_lone_surrogates(item) for item in value]
    return value


def validate_evidence(document, source):
    """Raise EvidenceError naming `source` and the first bad field; return the document, its text cleaned
    of lone surrogates (replace_lone_surrogates)."""
    document = replace_lone_surrogates(document)
    if not isinstance(document, dict):
        raise EvidenceError("%s: evidence must be a JSON object, not %s" % (source, kind_of(document)))
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise EvidenceError("%s: field 'schema_version': %r is not supported (this webcert-fleet reads "
                            "version %d)" % (source, version, SCHEMA_VERSION))
    # The fast answer first (5,000 PCs); jsonschema only to name the bad field.
    errors = [] if conforms(document, "evidence.schema.json") else schema_errors(document, "evidence.schema.json")
    if errors:
        error = errors[0]
        raise EvidenceError("%s: field '%s': %s" % (source, field_path(list(error.absolute_path)), error.message))
    return document


def _text(raw, path):
    """The file's bytes as text: UTF-8 (with or without the BOM PowerShell 5.1 writes), or UTF-16 with a
    BOM (what Windows PowerShell 5.1's Out-File and '>' write by default). Anything else is named."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EvidenceError("%s: UTF-16 text (it starts with a UTF-16 byte-order mark) that cannot be decoded "
                                "at byte %d: truncated or corrupt?" % (path, exc.start)) from None
    if len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] != 0:
        raise EvidenceError("%s: looks like UTF-16 text without a byte-order mark; write the file as UTF-8 "
                            "(Out-File -Encoding utf8)" % path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EvidenceError("%s: not UTF-8 text (byte 0x%02x at offset %d; saved in a Windows code page?); the "
                            "collector writes UTF-8" % (path, raw[exc.start], exc.start)) from None


# The default of the setting evidence_max_file_bytes (controls/run.yml), for callers without settings.
DEFAULT_MAX_FILE_BYTES = 10000000


def load_evidence_file(path, max_bytes=None):
    """Read and validate an evidence file written by the collector. Only a regular file is read (a FIFO, a
    device, a socket is an error naming its kind), and no more than `max_bytes` (the setting
    evidence_max_file_bytes; DEFAULT_MAX_FILE_BYTES when not given) of it: a longer file is an error,
    however it reports its size."""
    max_bytes = max_bytes or DEFAULT_MAX_FILE_BYTES
    try:
        raw = read_regular_file(path, max_bytes)
    except TooLarge:
        raise EvidenceError("%s: evidence file is more than evidence_max_file_bytes (%d); not read further (a real "
                            "one is some tens of kilobytes)" % (path, max_bytes)) from None
    except InputFileError as exc:
        raise EvidenceError("%s: evidence file %s" % (path, exc)) from None
    except OSError as exc:
        raise EvidenceError("%s: cannot read evidence file: %s" % (path, exc.strerror)) from None
    if not raw.strip():
        raise EvidenceError("%s: evidence file is empty (the collector was interrupted?)" % path)
    try:
        document = json.loads(_text(raw, path))
    except ValueError as exc:
        raise EvidenceError("%s: not valid JSON (truncated or corrupt?): %s" % (path, exc)) from None
    return validate_evidence(document, path)


def collection_time_problem(evidence, source, started, tolerance_minutes, max_age_days):
    """Is the evidence of a file too new or too old to judge, against the run's start (`started`, aware)?

    ('error', message) when it was collected more than `tolerance_minutes` after the run started (a clock
    ahead of time gives false failures); ('stale', message) when more than `max_age_days` days before it
    (0: no limit; old evidence must never pass); None when it can be judged."""
    try:
        collected = parse_timestamp(evidence["collected_at"])
    except ValueError:
        return "error", "%s: field 'collected_at': %r is not an ISO 8601 time" % (source, evidence["collected_at"])
    if collected.tzinfo is None:
        return "error", "%s: field 'collected_at': %r has no time zone offset" % (source, evidence["collected_at"])
    ahead = collected - started
    if ahead > datetime.timedelta(minutes=tolerance_minutes):
        return "error", ("%s: collected_at %s is %s after the run started (%s): the PC's clock, or the file, is "
                         "wrong (evidence_clock_tolerance_minutes is %d)"
                         % (source, evidence["collected_at"], _span(ahead), started.isoformat(timespec="seconds"),
                            tolerance_minutes))
    age = started - collected
    if max_age_days and age > datetime.timedelta(days=max_age_days):
        return "stale", ("%s: stale evidence, collected %s (%s before the run; evidence_max_age_days is %d): not "
                         "judged; is the collector's scheduled task still running?"
                         % (source, evidence["collected_at"], _span(age), max_age_days))
    return None


def _span(delta):
    hours = delta.total_seconds() / 3600
    return "%.1f days" % (hours / 24) if hours >= 48 else "%.1f hours" % hours if hours >= 1 else \
        "%d minutes" % (delta.total_seconds() // 60)


class NotCollected(Exception):
    """The evidence a control needs was not collected; the control is not_reviewed."""


def section(evidence, name):
    """The named section, or NotCollected with the collector's reason."""
    reason = (evidence.get("section_errors") or {}).get(name)
    if reason:
        raise NotCollected("the collector could not read '%s': %s" % (name, reason))
    if name not in evidence:
        raise NotCollected("the evidence has no '%s' section" % name)
    return evidence[name]


def lookup(mapping, name):
    """Case-insensitive key lookup, as Windows compares registry keys, value names and service names."""
    return next((v for k, v in mapping.items() if k.casefold() == name.casefold()), None)


def registry_key(evidence, path, required=True):
    """The collected key {exists, values} or None; NotCollected if `required` and it was not collected."""
    key = lookup(section(evidence, "registry"), path)
    if key is None and required:
        raise NotCollected("registry key %s was not collected" % path)
    return key


def key_values(key):
    """The values of a collected key; {} when the key does not exist or was not collected (None)."""
    return (key.get("values") or {}) if key and key["exists"] else {}


def registry_value(evidence, path, name, required=True):
    """{type, data} of one value, or None when the key or value does not exist (or, unless `required`, was not
    collected)."""
    return lookup(key_values(registry_key(evidence, path, required)), name)


# --- files of the standalone collector: which host, and the user-context run --------------------

NETBIOS_LENGTH = 15
# Sections of a user-context evidence file that describe the signed-in user (used with
# user_evidence_file); everything else comes from the machine evidence.
USER_SECTIONS = ("user_certificates",)


def short_name(name):
    return (name or "").split(".")[0].casefold()


def names_match(evidence, inventory_name):
    """Is this evidence file of the inventory host? The collector's `host` is %COMPUTERNAME% (NetBIOS, at
    most 15 characters), `dns_host_name` the full DNS name (collector 1.1.0 and later)."""
    wanted = {inventory_name.casefold(), short_name(inventory_name), short_name(inventory_name)[:NETBIOS_LENGTH]}
    found = {short_name(evidence["host"])}
    if evidence.get("dns_host_name"):
        found |= {evidence["dns_host_name"].casefold(), short_name(evidence["dns_host_name"])}
    return bool(wanted & found)


def merge_user_evidence(machine, user):
    """Machine evidence with the user sections (user certificates, HKCU registry keys) of a user-context file."""
    merged = dict(machine, collector=dict(machine["collector"], user_context=user["collector"].get("user_context")))
    user_errors = user.get("section_errors") or {}
    errors = {k: v for k, v in (machine.get("section_errors") or {}).items() if k not in USER_SECTIONS}
    for name in USER_SECTIONS:
        merged.pop(name, None)
        if name in user:
            merged[name] = user[name]
        if name in user_errors:
            errors[name] = user_errors[name]
    registry = {k: v for k, v in (machine.get("registry") or {}).items() if not k.upper().startswith("HKCU:")}
    registry.update({k: v for k, v in (user.get("registry") or {}).items() if k.upper().startswith("HKCU:")})
    if "registry" in machine or registry:
        merged["registry"] = registry
    if user_errors.get("registry"):
        errors["registry"] = "user evidence: %s" % user_errors["registry"]
    if errors:
        merged["section_errors"] = errors
    else:
        merged.pop("section_errors", None)
    return merged
