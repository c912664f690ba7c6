# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The region register: which clinic (care unit) owns which PCs, how they are reached, when they may be
changed and in which rollout wave. Read from the CSV regional IT exports from its spreadsheet or from YAML.

Every row is validated before anything is returned, and every problem names the file, the line and
the column, so a register with one bad row loads nothing (the inventory is never half-built).
Plain Python: the inventory plugin webcert_register wraps it.
"""

import codecs
import csv
import io
import re
import unicodedata

import yaml

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_rules import hsa_id_problem
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.host_names import host_name_problem
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.maintenance_window import WindowError, parse_window

COLUMNS = ("clinic", "care_unit_hsa_id", "hosts", "connection", "maintenance_window", "wave")
REQUIRED = ("clinic", "care_unit_hsa_id", "hosts", "connection")
# The connection kinds a register may name, and the host variables each gives the PC.
CONNECTION_VARS = {
    "psrp": {"ansible_connection": "psrp"},
    "winrm": {"ansible_connection": "winrm"},
    # OpenSSH on Windows: Ansible must speak PowerShell once connected.
    "ssh": {"ansible_connection": "ssh", "ansible_shell_type": "powershell"},
}
CONNECTIONS = tuple(CONNECTION_VARS)
# Host names as Ansible and Windows accept them; a range such as vce-ws[01:40] expands to 40 PCs.
HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
HOST_RANGE = re.compile(r"^(?P<head>[A-Za-z0-9.-]*)\[(?P<start>\d+):(?P<end>\d+)\](?P<tail>[A-Za-z0-9.-]*)$")
MAX_RANGE = 5000
MAX_ERRORS = 20


class RegisterError(WebcertError):
    """The register file is invalid; the message lists every problem with file, line and column."""


def group_name(prefix, text):
    """An Ansible group name from a clinic name or HSA-id: 'Vårdcentralen Exempel' -> clinic_vardcentralen_exempel."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return prefix + re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _header_key(text):
    """'Care unit HSA-id' and 'care_unit_hsa_id' name the same column."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def expand_hosts(text):
    """'vce-ws01 vce-ws02, mo-ws[01:03]' -> names; ValueError naming the bad entry."""
    names = []
    for entry in re.split(r"[\s,;]+", text.strip()):
        if not entry:
            continue
        found = HOST_RANGE.match(entry)
        if found:
            start, end = found["start"], found["end"]
            if int(end) < int(start) or int(end) - int(start) >= MAX_RANGE:
                raise ValueError("host range %r must count up, and by fewer than %d" % (entry, MAX_RANGE))
            width = len(start) if start.startswith("0") else 0
            names.extend("%s%0*d%s" % (found["head"], width, n, found["tail"]) for n in range(int(start), int(end) + 1))
        elif HOST.match(entry):
            names.append(entry)
        else:
            raise ValueError("%r is not a host name (letters, digits, '.', '-'; ranges as name[01:20])" % entry)
    for name in names:
        problem = host_name_problem(name)
        if problem:
            raise ValueError(problem)
    return [name.lower() for name in names]


def column_names(path, columns):
    """The plugin's `columns:` mapping (our column name -> the header in the region's file) checked, as
    {header key: our column name}."""
    columns = columns or {}
    if not isinstance(columns, dict):
        raise RegisterError("%s: option 'columns' must map our column names to the headers of the file" % path)
    unknown = sorted(set(columns) - set(COLUMNS))
    if unknown:
        raise RegisterError("%s: option 'columns': %r is not one of our columns (%s)" % (path, unknown[0], ", ".join(COLUMNS)))
    return {_header_key(str(header)): ours for ours, header in columns.items()}


def _csv_rows(path, text, columns=None):
    """(line, {column: text}) per data row; header problems raise at once. `columns`: the plugin's mapping
    of our column names to the region's own headers (column_names)."""
    mapped = column_names(path, columns)
    first_line = (text[:4096].splitlines() or [""])[0]  # an empty file has none: "the register is empty" below
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise RegisterError("%s: line 1: the register is empty (expected a header row: %s)" % (path, ", ".join(COLUMNS)))
    lines = [(reader.line_num, cells) for cells in reader]  # a register is some hundred rows: read it whole
    keys = [mapped.get(_header_key(h), _header_key(h)) for h in header]
    problems = []
    for number, (raw, key) in enumerate(zip(header, keys), 1):
        if not key:
            # Excel writes empty cells after the last column ("Wave;;"): an empty column without a header is no column.
            used = next((line for line, cells in lines if len(cells) >= number and cells[number - 1].strip()), None)
            if used is not None:
                problems.append("%s: line %d, column %d: a value under an empty header cell (line 1); name the column"
                                % (path, used, number))
        elif key not in COLUMNS:
            problems.append("%s: line 1, column %d (%r): unknown column (known: %s%s)"
                            % (path, number, raw, ", ".join(COLUMNS), "; option 'columns' maps other headers to "
                               "them" if not mapped else ""))
    for column in REQUIRED:
        if column not in keys:
            problems.append("%s: line 1: column %r is missing%s" % (
                path, column, " (option 'columns' maps it to header %r, which the file does not have)"
                % (columns[column],) if column in (columns or {}) else ""))
    seen = set()
    for number, key in enumerate(keys, 1):
        if key in seen and key in COLUMNS:
            problems.append("%s: line 1, column %d: column %r appears twice" % (path, number, key))
        seen.add(key)
    if problems:
        raise RegisterError("\n".join(problems))
    rows = []
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets export empty rows
        if len(cells) > len(keys) and any(c.strip() for c in cells[len(keys):]):
            raise RegisterError("%s: line %d: %d cells but the header has %d columns" % (path, line, len(cells), len(keys)))
        rows.append((line, {key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(keys) if key}))
    return rows


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of each mapping and of each of its keys, for error messages."""


def _mapping_with_lines(loader, node):
    mapping = _Lines(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.lines = {key.value: key.start_mark.line + 1 for key, _value in node.value if hasattr(key, "value")}
    return mapping


class _Lines(dict):
    line = 0
    lines = {}


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_lines)


def _yaml_rows(path, text):
    try:
        document = yaml.load(text, Loader=_LineLoader)  # nosec: SafeLoader subclass
    except yaml.YAMLError as exc:
        raise RegisterError("%s: not valid YAML: %s" % (path, exc)) from None
    if not isinstance(document, dict) or not isinstance(document.get("clinics"), list):
        raise RegisterError("%s: line 1: expected a mapping with a list 'clinics' (one entry per clinic)" % path)
    unknown = sorted(set(document) - {"clinics"})
    if unknown:
        raise RegisterError("%s: line %d, key %r: unknown key (only 'clinics')" % (path, document.lines.get(unknown[0], 1), unknown[0]))
    rows, problems = [], []
    for entry in document["clinics"]:
        if not isinstance(entry, dict):
            problems.append("%s: 'clinics' entry %r is not a mapping" % (path, entry))
            continue
        row = {}
        for key, value in entry.items():
            where = "%s: line %d, column %r" % (path, entry.lines.get(key, entry.line), key)
            if key not in COLUMNS:
                problems.append("%s: unknown column (known: %s)" % (where, ", ".join(COLUMNS)))
                continue
            if key == "hosts" and isinstance(value, list):
                value = " ".join(str(v) for v in value)
            if value is None:
                value = ""
            if isinstance(value, (dict, list, bool)):
                problems.append("%s: expected text, got %s" % (where, type(value).__name__))
                continue
            row[key] = str(value).strip()
        rows.append((entry.line, row, entry.lines))
    if problems:
        raise RegisterError("\n".join(problems[:MAX_ERRORS]))
    return rows


def read_text(path, encoding=None):
    """The register's text: UTF-8 (with or without the BOM Excel writes), or the `encoding` the plugin names
    for a region whose export cannot change (cp1252, Windows' Western European code page)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise RegisterError("%s: option 'encoding': %r is not a known encoding (for example utf-8, cp1252)"
                                % (path, encoding)) from None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise RegisterError("%s: cannot read the register: %s" % (path, exc.strerror)) from None
    if encoding and codecs.lookup(encoding).name != "utf-8":
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise RegisterError("%s: byte %d: not %s text (option 'encoding')" % (path, exc.start, encoding)) from None
    try:
        return data.decode("utf-8-sig")  # Excel writes a BOM; utf-8-sig drops it when there is one
    except UnicodeDecodeError as exc:
        raise RegisterError("%s: byte %d: not UTF-8 (save the spreadsheet as 'CSV UTF-8', or set the plugin's "
                            "option 'encoding', for example cp1252)" % (path, exc.start)) from None


def load_register(path, columns=None, encoding=None):
    """The register as {'clinics': {group: clinic}, 'hosts': {host: group}}; RegisterError lists every problem.

    A clinic is {'group', 'clinic', 'care_unit_hsa_id', 'hosts', 'connection' (per host), 'maintenance_window',
    'wave', 'line'}. One clinic may take several rows (one per PC, say); its rows must agree on the care unit,
    the window and the wave. `columns` (CSV): our column name -> the header in the region's file; `encoding`:
    of a file that is not UTF-8."""
    text = read_text(path, encoding)
    if path.lower().endswith((".yml", ".yaml")):
        rows = _yaml_rows(path, text)
    else:
        rows = [(line, row, {}) for line, row in _csv_rows(path, text, columns)]
    clinics, hosts, problems = {}, {}, []
    names_by_group = {}
    for line, row, key_lines in rows:
        def where(column, line=line, key_lines=key_lines):
            return "%s: line %d, column %r" % (path, key_lines.get(column, line), column)
        row_problems = []
        for column in REQUIRED:
            if not row.get(column):
                row_problems.append("%s: is empty" % where(column))
        clinic = row.get("clinic", "")
        hsa_id = row.get("care_unit_hsa_id", "")
        if hsa_id:
            problem = hsa_id_problem(hsa_id)
            if problem:
                row_problems.append("%s: %s" % (where("care_unit_hsa_id"), problem))
        connection = row.get("connection", "").lower()
        if connection and connection not in CONNECTIONS:
            row_problems.append("%s: %r is not one of %s" % (where("connection"), row["connection"], ", ".join(CONNECTIONS)))
        window = row.get("maintenance_window") or None
        if window:
            try:
                parse_window(window)
            except WindowError as exc:
                row_problems.append("%s: %s" % (where("maintenance_window"), exc))
        wave = row.get("wave") or "1"
        if not re.fullmatch(r"[1-9]\d{0,3}", wave):
            row_problems.append("%s: %r is not a wave number (1, 2, ...)" % (where("wave"), wave))
        names = []
        if row.get("hosts"):
            try:
                names = expand_hosts(row["hosts"])
            except ValueError as exc:
                row_problems.append("%s: %s" % (where("hosts"), exc))
        if clinic and not group_name("clinic_", clinic)[len("clinic_"):]:
            row_problems.append("%s: %r has no letters or digits to name its group" % (where("clinic"), clinic))
        if row_problems:
            problems.extend(row_problems)
            continue
        group = group_name("clinic_", clinic)
        if names_by_group.setdefault(group, clinic) != clinic:
            problems.append("%s: %r and %r would both be group %s; rename one" % (where("clinic"), names_by_group[group], clinic, group))
            continue
        entry = clinics.get(group)
        if entry is None:
            entry = clinics[group] = {"group": group, "clinic": clinic, "care_unit_hsa_id": hsa_id, "hosts": [],
                                      "connection": {}, "maintenance_window": window, "wave": int(wave), "line": line}
        else:
            for column, value in (("care_unit_hsa_id", hsa_id), ("maintenance_window", window), ("wave", int(wave))):
                if entry[column] != value:
                    problems.append("%s: %r, but line %d gives clinic %r %r" % (where(column), value, entry["line"], clinic, entry[column]))
        for name in names:
            if name in hosts:
                owner_group, owner_line = hosts[name]
                if owner_group == group:
                    problems.append("%s: host %s is listed twice (also on line %d)" % (where("hosts"), name, owner_line))
                else:
                    problems.append("%s: host %s is in two clinics: %r and %r (line %d)"
                                    % (where("hosts"), name, clinic, clinics[owner_group]["clinic"], owner_line))
                continue
            hosts[name] = (group, line)
            entry["hosts"].append(name)
            entry["connection"][name] = connection
    if problems:
        more = len(problems) - MAX_ERRORS
        raise RegisterError("the register has %d problem(s); nothing was loaded:\n%s%s"
                            % (len(problems), "\n".join(problems[:MAX_ERRORS]),
                               "\n... and %d more" % more if more > 0 else ""))
    if not clinics:
        raise RegisterError("%s: the register lists no clinics" % path)
    return {"clinics": clinics, "hosts": {name: owner[0] for name, owner in hosts.items()}}
