"""Static checks of the PowerShell collector (no Windows here: nothing below runs PowerShell).

Gross syntax with tree-sitter-powershell; the plan keys and evidence fields agree with the Python side;
the module is read-only, declares check mode, and Ansible resolves its module_util.
"""

import json
import os
import re
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import load_catalogue
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.registry import all_check_types, collection_plan
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.schema import load_schema

MODULE_UTIL = os.path.join(REPO, "plugins", "module_utils", "WebcertEvidence.psm1")
MODULE = os.path.join(REPO, "plugins", "modules", "webcert_evidence.ps1")
SCRIPT = os.path.join(REPO, "scripts", "Collect-WebcertEvidence.ps1")
DEFAULT_PLAN = os.path.join(REPO, "scripts", "webcert-collection-plan.json")
READ_ONLY_FILES = (MODULE_UTIL, MODULE)
# Commands the read-only collector may call. Anything else (Set-*, New-*, Remove-*, Start-Service, ...) fails.
READ_ONLY_COMMANDS = {
    "Get-Item", "Get-ItemProperty", "Get-ChildItem", "Get-Service", "Get-CimInstance", "Test-Path",
    "Invoke-WebRequest", "ForEach-Object", "Where-Object", "Export-ModuleMember",
    # our own functions
    "Get-WebcertEvidence", "Get-WebcertPlanKey", "Get-WebcertUserContext", "Get-PlanField", "ConvertTo-IsoUtc",
    "Get-ErrorText", "Get-OsSection", "ConvertTo-RegistryEntry", "Get-RegistrySection", "Get-ServiceSection",
    "Get-ProductSection", "Get-CertificateSection", "Get-OptionalFeatureSection", "Read-SiteList",
    "Get-SiteListSection", "Get-CardReaderSection", "Test-Endpoint", "Get-NetworkSection", "Get-ClockSection",
    "Get-UserCertificateSection", "New-Object", "Get-DnsHostName", "Connect-TcpEndpoint", "Get-TlsHandshake", "Test-TlsNotSupported",
}
MUTATING_METHODS = re.compile(r"\.(SetValue|DeleteValue|DeleteSubKey\w*|CreateSubKey|Delete|MoveTo|CopyTo|Add\w*Certificate"
                              r"|Remove|Import|Install|Uninstall|StartService|StopService|ChangeStartMode|InvokeMethod)\(|"
                              r"\[IO\.File\]::(Write|Append|Delete|Move|Copy)", re.IGNORECASE)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def parser():
    tree_sitter = pytest.importorskip("tree_sitter", reason="tree-sitter is not installed (requirements-dev.txt)")
    grammar = pytest.importorskip("tree_sitter_powershell", reason="tree-sitter-powershell is not installed")
    return tree_sitter.Parser(tree_sitter.Language(grammar.language()))


def nodes(node, kind):
    if node.type == kind:
        yield node
    for child in node.children:
        yield from nodes(child, kind)


def problems(tree):
    found = []

    def walk(node):
        if node.type == "ERROR" or node.is_missing:
            found.append("line %d: %r" % (node.start_point[0] + 1, node.text[:60].decode("utf-8", "replace")))
        for child in node.children:
            walk(child)
    walk(tree.root_node)
    return found


@pytest.mark.parametrize("path", [MODULE_UTIL, MODULE, SCRIPT], ids=os.path.basename)
def test_powershell_parses_without_syntax_errors(parser, path):
    tree = parser.parse(read(path).encode("utf-8"))
    assert not problems(tree), "%s: %s" % (path, problems(tree))


def test_syntax_check_catches_a_broken_file(parser):
    broken = read(MODULE_UTIL).replace("function Get-ClockSection {", "function Get-ClockSection ", 1)
    assert problems(parser.parse(broken.encode("utf-8")))


@pytest.mark.parametrize("path", READ_ONLY_FILES, ids=os.path.basename)
def test_collector_calls_only_read_only_commands(parser, path):
    tree = parser.parse(read(path).encode("utf-8"))
    commands = {n.text.decode() for n in nodes(tree.root_node, "command_name")}
    assert commands, "the parser found no commands: the check would be empty"
    assert commands <= READ_ONLY_COMMANDS, "not known to be read-only: %s" % sorted(commands - READ_ONLY_COMMANDS)
    assert not MUTATING_METHODS.search(read(path)), MUTATING_METHODS.search(read(path)).group(0)
    assert not re.search(r"-Method\s+(?!Get\b)", read(path), re.IGNORECASE), "web requests must be GET"


def test_module_declares_check_mode_and_never_reports_a_change():
    text = read(MODULE)
    assert "#AnsibleRequires -CSharpUtil Ansible.Basic" in text
    assert re.search(r"supports_check_mode\s*=\s*\$true", text)
    assert re.search(r"\$module\.Result\.changed\s*=\s*\$false", text)
    assert not re.search(r"changed\s*=\s*\$true", text)


# Ansible's own dependency finder, run with Ansible's collection loader over .collections (as ansible-playbook
# loads the collection), in a separate process so this test session keeps its plain imports.
FIND_DEPENDENCIES = """
import json, sys
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
from ansible.executor.powershell.module_manifest import PSModuleDepFinder
_AnsibleCollectionFinder(paths=[sys.argv[1]])._install()
with open(sys.argv[2], "rb") as handle:
    found = PSModuleDepFinder().scan_module(handle.read(), fqn="ansible_collections.webcert.fleet.plugins.modules.x",
                                           powershell=True)
print(json.dumps(sorted(found)))
"""


def test_ansible_resolves_the_module_util_in_the_collection():
    """The module names its module_util by the collection's name, so Ansible finds it in the installed collection
    (the legacy Ansible.ModuleUtils.* names resolve only from a module_utils path, which a collection has not)."""
    found = subprocess.run([sys.executable, "-c", FIND_DEPENDENCIES, os.path.join(REPO, ".collections"), MODULE],
                           capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stderr
    assert "ansible_collections.webcert.fleet.plugins.module_utils.WebcertEvidence.psm1" in json.loads(found.stdout)


def plan_sections():
    """PlanSections of the module_util: plan key -> evidence section."""
    block = re.search(r"\$script:PlanSections = \[ordered\]@\{(.*?)\n\}", read(MODULE_UTIL), re.DOTALL).group(1)
    return dict(re.findall(r"^\s*(\w+)\s*=\s*'(\w+)'", block, re.MULTILINE))


def every_plan():
    catalogue = load_catalogue()
    return [collection_plan(catalogue.for_profile(p, "workstation")) for p in catalogue.profiles]


def test_every_workstation_check_type_is_used_by_the_catalogue():
    # So that the plans below exercise the `needs` of every workstation type.
    schema_types = set(re.findall(r'"const": "(\w+)"', read(os.path.join(REPO, "schemas", "checks-workstation.schema.json"))))
    used = {c["check"]["type"] for c in load_catalogue().controls if c["scope"] == "workstation"}
    assert schema_types <= set(all_check_types())
    assert schema_types == used


def test_powershell_reads_every_plan_key_python_can_produce():
    sections = plan_sections()
    produced = {key for plan in every_plan() for key in plan}
    assert produced and produced <= set(sections), "collector ignores %s" % sorted(produced - set(sections))
    switch = read(MODULE_UTIL)
    for key in sections:
        assert re.search(r"'%s' \{ \$value = " % key, switch), "no branch for plan key %s" % key


# Where in the evidence schema each function's [ordered]@{...} objects belong (paths of property names, with
# "items" / "additionalProperties" for array items and map values). A nested literal's place is its parent's
# place plus its key. Plain @{...} tables are internal (lookups, views) and not checked.
OBJECT_PLACES = {
    "Get-WebcertEvidence": [()],
    "Get-OsSection": [("os",)],
    "ConvertTo-RegistryEntry": [("registry", "additionalProperties", "values", "additionalProperties")],
    "Get-RegistrySection": [("registry", "additionalProperties")],
    "Get-ServiceSection": [("services", "additionalProperties")],
    "Get-ProductSection": [("products", "items")],
    "Get-CertificateSection": [("certificates", "additionalProperties", "items")],
    "Get-OptionalFeatureSection": [("optional_features", "additionalProperties")],
    "Read-SiteList": [("site_lists", "additionalProperties")],
    "Get-SiteListSection": [("site_lists", "additionalProperties")],
    "Get-CardReaderSection": [("card_readers", "items"), ("card_readers", "items", "driver")],
    "Test-Endpoint": [("network", "endpoints", "items")],
    "Get-NetworkSection": [("network",)],
    "Get-ClockSection": [("clock",)],
    "Get-UserCertificateSection": [("user_certificates",), ("user_certificates", "certificates", "items")],
}


def schema_node(schema, place):
    node = schema
    for step in place:
        node = node[step] if step in ("items", "additionalProperties") else node["properties"][step]
    return node


def ordered_literals(node, function=None):
    """(function, hash_literal_expression, parent literal, key in parent) for every [ordered]@{...}."""
    if node.type == "function_statement":
        function = next((c.text.decode() for c in node.children if c.type == "function_name"), None)
    if node.type == "cast_expression" and node.children[0].text.decode().lower() == "[ordered]":
        literal = next(nodes(node.children[1], "hash_literal_expression"), None)
        if literal is not None:
            yield function, literal
    for child in node.children:
        yield from ordered_literals(child, function)


def hash_entries(literal):
    body = next((c for c in literal.children if c.type == "hash_literal_body"), None)
    return [e for e in (body.children if body else []) if e.type == "hash_entry"]


def misplaced_fields(parser, text):
    """Keys of the collector's evidence objects that the schema does not have at that place."""
    schema = load_schema("evidence.schema.json")
    tree = parser.parse(text.encode("utf-8"))
    places, problems_found = {}, []
    literals = list(ordered_literals(tree.root_node))
    for function, literal in literals:
        keys = [e.children[0].text.decode().strip() for e in hash_entries(literal)]
        if function is None:
            continue  # $script:PlanSections, the plan key table (test_powershell_reads_every_plan_key_...)
        if literal.id in places:
            candidates = [places[literal.id]]
        elif function in OBJECT_PLACES:
            candidates = OBJECT_PLACES[function]
        else:
            problems_found.append("%s: an evidence object in a function with no place in OBJECT_PLACES" % function)
            continue
        fits = [place for place in candidates if set(keys) <= set(schema_node(schema, place).get("properties", {}))]
        if not fits:
            problems_found.append("%s: %s not all under %s" % (function, keys, " or ".join("/".join(p) or "(top)" for p in candidates)))
            continue
        for entry in hash_entries(literal):
            for child in nodes(entry, "hash_literal_expression"):
                places.setdefault(child.id, fits[0] + (entry.children[0].text.decode().strip(),))
    for name in re.findall(r"\$evidence\['(\w+)'\]", text):
        if name not in schema["properties"]:
            problems_found.append("$evidence['%s'] is not a top-level property" % name)
    return literals, problems_found


def test_collector_sections_and_fields_exist_in_the_evidence_schema(parser):
    properties = set(load_schema("evidence.schema.json")["properties"])
    assert set(plan_sections().values()) <= properties
    literals, found = misplaced_fields(parser, read(MODULE_UTIL))
    assert len(literals) > 15 and not found, found


def test_a_field_at_the_wrong_place_is_caught(parser):
    text = read(MODULE_UTIL)
    moved = text.replace("        caption         = $caption\n", "        caption         = $caption\n        utc_now = 1\n", 1)
    nested = text.replace("mode = $Mode;", "mode = $Mode; ubr = 1;", 1)
    assert moved != text and nested != text
    assert any("utc_now" in p for p in misplaced_fields(parser, moved)[1])
    assert any("ubr" in p for p in misplaced_fields(parser, nested)[1])


def test_default_plan_file_is_current():
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader("collection_plan", os.path.join(REPO, "scripts", "collection-plan"))
    spec = importlib.util.spec_from_loader("collection_plan", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    with open(DEFAULT_PLAN, encoding="utf-8") as handle:
        assert json.load(handle) == json.loads(json.dumps(module.build_plan())), \
            "regenerate: scripts/collection-plan --output scripts/webcert-collection-plan.json"


def test_standalone_script_uses_the_same_collection_code():
    text = read(SCRIPT)
    assert "WebcertEvidence.psm1" in text
    assert "-Mode standalone" in text and "Get-WebcertEvidence" in text
    assert "webcert-collection-plan.json" in text


def function_body(name):
    """The text of one function of the module_util (up to the next top-level function)."""
    text = read(MODULE_UTIL)
    start = text.index("function %s {" % name)
    end = text.find("\nfunction ", start + 1)
    return text[start:end if end > 0 else len(text)]


def test_collector_records_the_product_patterns_it_searched():
    body = function_body("Get-WebcertEvidence")
    assert re.search(r"\$evidence\['product_patterns'\]\s*=\s*@\(\$items", body)
    assert "product_patterns" in load_schema("evidence.schema.json")["properties"]


def test_products_are_read_from_both_registry_views_explicitly():
    # A 32-bit powershell.exe sees HKLM:\SOFTWARE redirected to WOW6432Node: only OpenBaseKey with an explicit
    # view reads the 64-bit uninstall entries there.
    body = function_body("Get-ProductSection")
    assert re.search(r"\[Microsoft\.Win32\.RegistryKey\]::OpenBaseKey\(", body)
    assert "View = 'Registry64'" in body and "View = 'Registry32'" in body
    assert not re.search(r"(Test-Path|Get-ChildItem)\s+-LiteralPath\s+\$root\.Path", body), "provider paths are redirected"


def test_user_context_parameter_can_hold_null():
    # [string]$x = $null is '' in PowerShell: collector.user_context would be "" instead of null.
    params = re.search(r"param\((.*?)\n    \)", function_body("Get-WebcertEvidence"), re.DOTALL).group(1)
    declaration = re.search(r"^\s*(\[[^\n]*\]\s*)?\$UserContext\b", params, re.MULTILINE).group(0)
    assert "[string]" not in declaration.lower(), declaration
    assert re.search(r"\$UserContext = \$null\b", function_body("Get-WebcertEvidence"))


def test_tls_protocols_are_explicit_with_a_tls12_fallback():
    text = read(MODULE_UTIL)
    assert "SslProtocols]::None" not in text, "SslProtocols None depends on .NET version and AppContext switches"
    assert re.search(r"\$script:TlsProtocols = \[Security\.Authentication\.SslProtocols\]::Tls12\n", text)
    assert re.search(r"\$script:TlsFallbackProtocols = \[Security\.Authentication\.SslProtocols\]::Tls12", text)
    endpoint = function_body("Test-Endpoint")
    assert "-Protocols $script:TlsProtocols" in endpoint and "-Protocols $script:TlsFallbackProtocols" in endpoint
    assert "Test-TlsNotSupported" in endpoint
    fallback = function_body("Test-TlsNotSupported")
    assert "[ArgumentException]" in fallback and "[NotSupportedException]" in fallback and "InnerException" in fallback


# A conversion of a number, or of a name list, that carries TLS 1.3 (12288 = 0x3000).
TLS13_BY_NUMBER = re.compile(r"\[(?:Security\.Authentication\.SslProtocols|Net\.SecurityProtocolType)\]\s*\(?[^\n;]*\b(?:12288|0x3000)\b")
TLS13_GUARD = re.compile(r"if \(\[(Security\.Authentication\.SslProtocols|Net\.SecurityProtocolType)\]\.GetMember\('Tls13'\)\.Count -gt 0\) "
                         r"\{\n([^}]*)\}")


@pytest.mark.parametrize("path", [MODULE_UTIL, MODULE, SCRIPT], ids=os.path.basename)
def test_tls13_is_used_only_where_dotnet_defines_it(path):
    """Before .NET Framework 4.8 the enums have no Tls13 and PowerShell 5.1 refuses to convert 12288, so a module
    that converts it at load does not import at all; every use of Tls13 must sit behind GetMember('Tls13')."""
    text = read(path)
    assert not TLS13_BY_NUMBER.search(text), TLS13_BY_NUMBER.search(text).group(0)
    guarded = "".join(block for _enum, block in TLS13_GUARD.findall(text))
    for line in text.splitlines():
        if "Tls13" in line and "GetMember('Tls13')" not in line and not line.lstrip().startswith("#"):
            assert line.strip() in guarded, "Tls13 outside a GetMember('Tls13') guard: %s" % line.strip()
    for enum, block in TLS13_GUARD.findall(text):
        assert "[%s]" % enum in block, "the guard asks one enum and converts another: %s" % block


def test_the_site_list_fetch_sets_tls_credentials_and_proxy():
    body = function_body("Read-SiteList")
    assert "[Net.ServicePointManager]::SecurityProtocol = $script:WebProtocols" in body
    assert "[Net.ServicePointManager]::SecurityProtocol = $savedProtocols" in body.split("finally", 1)[1]
    assert "UseDefaultCredentials = $true" in body and "ProxyUseDefaultCredentials = $true" in body
    assert "GetSystemWebProxy()" in body


def test_clock_is_read_first_and_records_when():
    assert list(plan_sections())[0] == "clock", "the clock must be read before the slow sections"
    body = function_body("Get-ClockSection")
    assert re.search(r"read_after_ms\s*=\s*\[int\]\$SinceStart\.ElapsedMilliseconds", body)
    evidence = function_body("Get-WebcertEvidence")
    assert evidence.index("$sinceStart = [Diagnostics.Stopwatch]::StartNew()") < evidence.index("foreach ($key in")


def test_user_context_run_writes_its_own_file():
    text = read(SCRIPT)
    # One file per user (SID): under the drop folder's ACL a user may replace only a file they own.
    assert re.search(r"if \(\$userContext\) \{\s+\$fileName = '\{0\}\.user\.\{1\}\.json' -f \$env:COMPUTERNAME, "
                     r"\[Security\.Principal\.WindowsIdentity\]::GetCurrent\(\)\.User\.Value\s+\}", text)
    assert "$fileName = '{0}.json' -f $env:COMPUTERNAME" in text
    # The name is chosen after the user context is known, and only when -OutFile is not given.
    assert text.index("$userContext = Get-WebcertUserContext") < text.index("$fileName = ")


def test_collector_records_the_dns_host_name():
    assert re.search(r"dns_host_name\s*=\s*Get-DnsHostName", function_body("Get-WebcertEvidence"))
    assert "GetIPGlobalProperties()" in function_body("Get-DnsHostName")
