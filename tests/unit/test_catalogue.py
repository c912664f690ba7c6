"""The catalogue loader: the real catalogue loads; bad catalogue files are named in the error."""

import os
import shutil
import textwrap

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue.load import DEFAULT_CATALOGUE_DIR, load_catalogue, resolve_settings
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import CatalogueError, SettingsError

GOOD_CONTROL = textwrap.dedent("""\
    controls:
      - id: TEST-REG-ONE
        title: A registry value
        requirements: [REQ-WS-2]
        source: a test
        scope: workstation
        profiles: [inera-classic]
        impact: high
        check:
          type: registry_value
          path: HKLM:\\SOFTWARE\\Test
          name: Value
          expect: {equals: {setting: webcert_host}}
        enforceable: true
        remediation: Set it.
    """)


@pytest.fixture
def catalogue_dir(tmp_path):
    """A copy of the real catalogue's profiles, settings and requirements, without its controls."""
    directory = tmp_path / "controls"
    directory.mkdir()
    for name in ("profiles.yml", "settings.yml", "requirements.yml"):
        shutil.copy(os.path.join(DEFAULT_CATALOGUE_DIR, name), directory / name)
    return directory


def test_real_catalogue_loads_with_unique_ids_and_both_profiles():
    catalogue = load_catalogue()
    ids = [control["id"] for control in catalogue.controls]
    assert len(ids) == len(set(ids)) > 0
    assert catalogue.default_profile == "inera-classic"
    assert {"inera-classic", "inera-2024"} <= set(catalogue.profiles)
    for profile in ("inera-classic", "inera-2024"):
        assert catalogue.for_profile(profile, "workstation"), profile


def test_every_real_control_cites_known_requirements_and_has_remediation():
    catalogue = load_catalogue()
    for control in catalogue.controls:
        assert control["requirements"], control["id"]
        assert all(req in catalogue.requirements for req in control["requirements"]), control["id"]
        assert control["remediation"].strip(), control["id"]


def test_settings_are_resolved_and_overridable(catalogue_dir):
    (catalogue_dir / "test.yml").write_text(GOOD_CONTROL)
    catalogue = load_catalogue(str(catalogue_dir))
    [control] = catalogue.for_profile("inera-classic", "workstation")
    assert control["check"]["expect"] == {"equals": "webcert.intygstjanster.se"}
    [control] = catalogue.for_profile("inera-classic", "workstation", {"webcert_host": "webcert.test.invalid"})
    assert control["check"]["expect"] == {"equals": "webcert.test.invalid"}
    # The catalogue itself keeps the reference: resolving returns a copy.
    assert catalogue.by_id["TEST-REG-ONE"]["check"]["expect"] == {"equals": {"setting": "webcert_host"}}


def test_unknown_setting_override_is_named():
    with pytest.raises(SettingsError, match="unknown setting 'no_such_setting'"):
        load_catalogue().effective_settings({"no_such_setting": 1})


def test_unknown_profile_is_named():
    with pytest.raises(CatalogueError, match="unknown profile 'inera-1999'"):
        load_catalogue().for_profile("inera-1999")


@pytest.mark.parametrize("old, new, expected", [
    ("impact: high", "impact: huge", r"test\.yml: control TEST-REG-ONE: field 'impact': 'huge' is not one of"),
    ("    title: A registry value\n", "", r"control TEST-REG-ONE: field '\(the control itself\)': 'title' is a required"),
    ("    source: a test\n", "", r"control TEST-REG-ONE: field '\(the control itself\)': 'source' is a required"),
    ("path: HKLM:\\SOFTWARE\\Test", "path: SOFTWARE\\Test", r"control TEST-REG-ONE: field 'check\.path'"),
    ("expect: {equals: {setting: webcert_host}}", "expect: {equals: 1, in: [1]}",
     r"control TEST-REG-ONE: field 'check\.expect'"),
    ("requirements: [REQ-WS-2]", "requirements: [REQ-WS-99]", r"field 'requirements': unknown requirement 'REQ-WS-99'"),
    ("profiles: [inera-classic]", "profiles: [inera-1999]", r"field 'profiles': unknown profile 'inera-1999'"),
    ("{setting: webcert_host}", "{setting: no_such_setting}", r"unknown setting 'no_such_setting'"),
    ("type: registry_value", "type: crystal_ball", r"control TEST-REG-ONE: field 'check\.type': unknown check type 'crystal_ball'"),
    ("id: TEST-REG-ONE", "id: lower-case", r"control lower-case: field 'id'"),
])
def test_bad_control_names_file_control_and_field(catalogue_dir, old, new, expected):
    assert old in GOOD_CONTROL
    (catalogue_dir / "test.yml").write_text(GOOD_CONTROL.replace(old, new))
    with pytest.raises(CatalogueError, match=expected):
        load_catalogue(str(catalogue_dir))


def test_duplicate_control_id_names_both_files(catalogue_dir):
    (catalogue_dir / "a.yml").write_text(GOOD_CONTROL)
    (catalogue_dir / "b.yml").write_text(GOOD_CONTROL)
    with pytest.raises(CatalogueError, match=r"b\.yml: control TEST-REG-ONE: field 'id': duplicate, already defined in .*a\.yml"):
        load_catalogue(str(catalogue_dir))


def test_broken_yaml_is_named(catalogue_dir):
    (catalogue_dir / "broken.yml").write_text("controls:\n  - id: [unclosed\n")
    with pytest.raises(CatalogueError, match=r"broken\.yml: not valid YAML"):
        load_catalogue(str(catalogue_dir))


def test_two_default_profiles_are_rejected(catalogue_dir):
    text = (catalogue_dir / "profiles.yml").read_text().replace("default: false", "default: true")
    (catalogue_dir / "profiles.yml").write_text(text)
    with pytest.raises(CatalogueError, match="exactly one profile must have 'default: true'"):
        load_catalogue(str(catalogue_dir))


def test_resolve_settings_leaves_other_mappings_alone():
    value = {"a": {"setting": "x"}, "b": [{"setting": "x"}, {"setting": "x", "other": 1}]}
    assert resolve_settings(value, {"x": 5}) == {"a": 5, "b": [5, {"setting": "x", "other": 1}]}


@pytest.mark.parametrize("name, value, problem", [
    ("netid_name_pattern", "Net iD (", "is not a valid regular expression"),
    ("windows10_esu_end", "someday", "is not a date"),
    ("netid_minimum_version", "latest", "is not a version"),
    ("windows10_esu", "yes", "is not of type boolean"),
    ("clock_max_offset_seconds", True, "is not of type integer"),
])
def test_bad_setting_values_are_named(name, value, problem):
    with pytest.raises(SettingsError, match=r"webcert_settings: %s: .* %s" % (name, problem)):
        load_catalogue().effective_settings({name: value})


def test_a_yaml_date_setting_becomes_iso_text():
    import datetime
    settings = load_catalogue().effective_settings({"windows10_esu_end": datetime.date(2026, 12, 31)})
    assert settings["windows10_esu_end"] == "2026-12-31"


def test_bad_setting_default_names_file_and_setting(catalogue_dir):
    text = (catalogue_dir / "settings.yml").read_text().replace("default: \"^Net iD Enterprise\\\\b\"", "default: \"^Net iD (\"")
    assert "^Net iD (" in text
    (catalogue_dir / "settings.yml").write_text(text)
    with pytest.raises(CatalogueError, match=r"settings\.yml: setting netid_name_pattern: field 'default'"):
        load_catalogue(str(catalogue_dir))


def test_cached_catalogue_equals_a_validated_one_and_follows_file_changes(catalogue_dir, tmp_path, monkeypatch):
    from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load as module
    monkeypatch.setattr(module, "CACHE_DIR", str(tmp_path / "cache"))
    (catalogue_dir / "test.yml").write_text(GOOD_CONTROL)
    fresh = load_catalogue(str(catalogue_dir), cache=False)
    first = load_catalogue(str(catalogue_dir))
    assert len(list((tmp_path / "cache").glob("catalogue-*.json"))) == 1
    cached = load_catalogue(str(catalogue_dir))
    for attribute in ("controls", "profiles", "settings", "requirements"):
        assert getattr(cached, attribute) == getattr(fresh, attribute) == getattr(first, attribute)
    # An edit is seen at once, and an invalid edit is still rejected (never served from the cache).
    (catalogue_dir / "test.yml").write_text(GOOD_CONTROL.replace("title: A registry value", "title: Changed"))
    assert load_catalogue(str(catalogue_dir)).by_id["TEST-REG-ONE"]["title"] == "Changed"
    (catalogue_dir / "test.yml").write_text(GOOD_CONTROL.replace("impact: high", "impact: huge"))
    with pytest.raises(CatalogueError, match="'huge' is not one of"):
        load_catalogue(str(catalogue_dir))


def test_a_damaged_cache_file_is_ignored(catalogue_dir, tmp_path, monkeypatch):
    from ansible_collections.webcert.fleet.plugins.plugin_utils.catalogue import load as module
    monkeypatch.setattr(module, "CACHE_DIR", str(tmp_path / "cache"))
    (catalogue_dir / "test.yml").write_text(GOOD_CONTROL)
    load_catalogue(str(catalogue_dir))
    [cache_file] = (tmp_path / "cache").glob("catalogue-*.json")
    cache_file.write_text('{"controls": [')
    assert load_catalogue(str(catalogue_dir)).by_id["TEST-REG-ONE"]["title"] == "A registry value"
