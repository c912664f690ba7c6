"""The region register (plugins/plugin_utils/rollout/register.py): valid files in every accepted form, and every
malformed case named in its error with file, line and column."""

import datetime

import pytest

from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.maintenance_window import WindowError, parse_window, window_open
from ansible_collections.webcert.fleet.plugins.plugin_utils.rollout.register import RegisterError, group_name, load_register
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SWEDEN

HEADER = "Clinic;Care unit HSA-id;Hosts;Connection;Maintenance window;Wave\n"
GOOD = HEADER + ("Vårdcentralen Exempel;SE5591234561-1001;vce-ws[01:03];psrp;Mon-Fri 18:00-06:00;1\n"
                 "Mottagning Öst;SE5591234561-1002;MO-WS01 mo-ws02;winrm;;2\n"
                 "Mottagning Öst;SE5591234561-1002;mo-ws03;ssh;;2\n")


def write(tmp_path, text, name="register.csv", bom=False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_spreadsheet_export_loads_with_or_without_bom_and_either_delimiter(tmp_path, bom, delimiter):
    text = GOOD if delimiter == ";" else GOOD.replace(";", ",").replace("Mon-Fri 18:00-06:00", '"Mon-Fri 18:00-06:00"')
    register = load_register(write(tmp_path, text, bom=bom))
    clinics = register["clinics"]
    assert sorted(clinics) == ["clinic_mottagning_ost", "clinic_vardcentralen_exempel"]
    vce = clinics["clinic_vardcentralen_exempel"]
    assert vce["clinic"] == "Vårdcentralen Exempel" and vce["care_unit_hsa_id"] == "SE5591234561-1001"
    assert vce["hosts"] == ["vce-ws01", "vce-ws02", "vce-ws03"] and vce["maintenance_window"] == "Mon-Fri 18:00-06:00"
    ost = clinics["clinic_mottagning_ost"]
    assert ost["hosts"] == ["mo-ws01", "mo-ws02", "mo-ws03"] and ost["wave"] == 2 and ost["maintenance_window"] is None
    assert ost["connection"] == {"mo-ws01": "winrm", "mo-ws02": "winrm", "mo-ws03": "ssh"}
    assert register["hosts"]["mo-ws03"] == "clinic_mottagning_ost"


def test_yaml_register_with_host_lists(tmp_path):
    path = write(tmp_path, "clinics:\n"
                           "  - clinic: Vårdcentralen Exempel\n    care_unit_hsa_id: SE5591234561-1001\n"
                           "    hosts: [vce-ws01, vce-ws02]\n    connection: psrp\n    wave: 3\n", name="register.yml")
    clinic = load_register(path)["clinics"]["clinic_vardcentralen_exempel"]
    assert clinic["hosts"] == ["vce-ws01", "vce-ws02"] and clinic["wave"] == 3


def test_group_names_follow_the_hand_written_example():
    assert group_name("clinic_", "Vårdcentralen Exempel") == "clinic_vardcentralen_exempel"
    assert group_name("clinic_", "Mottagning Öst") == "clinic_mottagning_ost"
    assert group_name("care_unit_", "SE5591234561-1001") == "care_unit_se5591234561_1001"


BAD_CSV = [
    ("bad HSA-id", HEADER + "Klinik;SE123;ws1;psrp;;1\n", "line 2, column 'care_unit_hsa_id': HSA-id 'SE123' does not match"),
    ("duplicate host", HEADER + "Klinik;SE5591234561-1001;ws1 ws2 WS1;psrp;;1\n",
     "line 2, column 'hosts': host ws1 is listed twice (also on line 2)"),
    ("host in two clinics", HEADER + "Klinik A;SE5591234561-1001;ws1;psrp;;1\nKlinik B;SE5591234561-1002;ws2\tws1;psrp;;1\n",
     "line 3, column 'hosts': host ws1 is in two clinics: 'Klinik B' and 'Klinik A' (line 2)"),
    ("unknown column", "clinic;care_unit_hsa_id;hosts;connection;owner\nKlinik;SE5591234561-1001;ws1;psrp;Anna\n",
     "line 1, column 5 ('owner'): unknown column"),
    ("empty clinic", HEADER + "Klinik;SE5591234561-1001;ws1;psrp;;1\n ;SE5591234561-1002;ws2;psrp;;1\n",
     "line 3, column 'clinic': is empty"),
    ("missing column", "clinic;hosts;connection\nKlinik;ws1;psrp\n", "line 1: column 'care_unit_hsa_id' is missing"),
    ("unknown connection", HEADER + "Klinik;SE5591234561-1001;ws1;telnet;;1\n",
     "line 2, column 'connection': 'telnet' is not one of psrp, winrm, ssh"),
    ("bad window", HEADER + "Klinik;SE5591234561-1001;ws1;psrp;evenings;1\n",
     "line 2, column 'maintenance_window': 'evenings' is not a window"),
    ("bad wave", HEADER + "Klinik;SE5591234561-1001;ws1;psrp;;first\n", "line 2, column 'wave': 'first' is not a wave number"),
    ("bad host name", HEADER + "Klinik;SE5591234561-1001;ws_1;psrp;;1\n", "line 2, column 'hosts': 'ws_1' is not a host name"),
    ("rows of a clinic disagree", HEADER + "Klinik;SE5591234561-1001;ws1;psrp;;1\nKlinik;SE5591234561-1002;ws2;psrp;;1\n",
     "line 3, column 'care_unit_hsa_id': 'SE5591234561-1002', but line 2 gives clinic 'Klinik' 'SE5591234561-1001'"),
    ("too many cells", HEADER + "Klinik;SE5591234561-1001;ws1;psrp;;1;extra\n", "line 2: 7 cells but the header has 6"),
]


@pytest.mark.parametrize("case,text,message", BAD_CSV, ids=[case[0] for case in BAD_CSV])
def test_every_malformed_row_is_named_with_file_line_and_column(tmp_path, case, text, message):
    path = write(tmp_path, text)
    with pytest.raises(RegisterError) as error:
        load_register(path)
    assert path in str(error.value) and message in str(error.value), str(error.value)


def test_every_problem_is_listed_at_once(tmp_path):
    path = write(tmp_path, HEADER + "Klinik;SE123;ws1;psrp;;1\n;SE5591234561-1002;ws2;psrp;;1\nKlinik C;SE5591234561-1003;ws3;telnet;;1\n")
    with pytest.raises(RegisterError) as error:
        load_register(path)
    text = str(error.value)
    assert "3 problem(s); nothing was loaded" in text
    assert "line 2, column 'care_unit_hsa_id'" in text and "line 3, column 'clinic'" in text
    assert "line 4, column 'connection'" in text


def test_malformed_yaml_names_line_and_key(tmp_path):
    path = write(tmp_path, "clinics:\n  - clinic: Klinik\n    care_unit_hsa_id: SE5591234561-1001\n    hosts: [ws1]\n"
                           "    connection: psrp\n  - clinic: ''\n    care_unit_hsa_id: SE5591234561-1002\n"
                           "    hosts: [ws2]\n    connection: psrp\n    colour: blue\n", name="register.yaml")
    with pytest.raises(RegisterError) as error:
        load_register(path)
    assert "line 10, column 'colour': unknown column" in str(error.value)
    path = write(tmp_path, "clinics:\n  - clinic: ''\n    care_unit_hsa_id: SE5591234561-1002\n    hosts: [ws2]\n"
                           "    connection: psrp\n", name="register2.yaml")
    with pytest.raises(RegisterError) as error:
        load_register(path)
    assert "line 2, column 'clinic': is empty" in str(error.value)


@pytest.mark.parametrize("text", ["", "\n", "\ufeff"])
def test_an_empty_register_is_named(tmp_path, text):
    with pytest.raises(RegisterError, match="line 1: the register is empty"):
        load_register(write(tmp_path, text))


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(HEADER.encode() + "Vårdcentral;SE5591234561-1001;ws1;psrp;;1\n".encode("cp1252"))
    with pytest.raises(RegisterError, match="not UTF-8"):
        load_register(str(path))


def at(text):
    """A moment in Swedish local time: 'Mon 18:30' on a known week (2026-11-23 is a Monday)."""
    day, clock = text.split()
    date = datetime.date(2026, 11, 23) + datetime.timedelta(days=("Mon Tue Wed Thu Fri Sat Sun".split().index(day)))
    hour, minute = map(int, clock.split(":"))
    return datetime.datetime(date.year, date.month, date.day, hour, minute, tzinfo=SWEDEN)


@pytest.mark.parametrize("window,moment,expected", [
    ("Mon-Fri 18:00-06:00", "Mon 18:30", True),
    ("Mon-Fri 18:00-06:00", "Tue 05:59", True),   # Monday's window runs past midnight
    ("Mon-Fri 18:00-06:00", "Tue 06:00", False),
    ("Mon-Fri 18:00-06:00", "Sat 05:00", True),   # Friday's window
    ("Mon-Fri 18:00-06:00", "Mon 05:00", False),  # Sunday has no window
    ("Sat,Sun 00:00-24:00", "Sun 23:59", True),
    ("Mon-Fri 18:00-06:00 | Sat 08:00-12:00", "Sat 09:00", True),
    ("daily 22:00-23:00", "Wed 21:59", False),
    ("Fri-Mon 20:00-22:00", "Sun 21:00", True),   # a day range across the weekend
])
def test_maintenance_windows_in_swedish_time(window, moment, expected):
    assert window_open(window, at(moment)) is expected


def test_no_window_means_always_open_and_bad_windows_are_named():
    assert window_open(None) is True
    for text, message in (("Mon-Fri 25:00-06:00", "not a time of day"), ("Funday 10:00-11:00", "days are Mon..Sun"),
                          ("Mon 10:00-10:00", "same time")):
        with pytest.raises(WindowError, match=message):
            parse_window(text)


# --- registers as spreadsheets really export them (issue 19) -----------------------------------------

def test_empty_header_cells_after_the_last_column_are_ignored(tmp_path):
    text = GOOD.replace("Wave\n", "Wave;;\n").replace(";1\n", ";1;;\n")
    register = load_register(write(tmp_path, text))
    assert sorted(register["clinics"]) == ["clinic_mottagning_ost", "clinic_vardcentralen_exempel"]


def test_a_value_under_an_empty_header_cell_is_named(tmp_path):
    text = GOOD.replace("Wave\n", "Wave;;\n").replace("mo-ws03;ssh;;2\n", "mo-ws03;ssh;;2;;forgotten\n")
    with pytest.raises(RegisterError, match=r"line 4, column 8: a value under an empty header cell"):
        load_register(write(tmp_path, text))


SWEDISH_HEADER = "Mottagning;Vårdenhetens HSA-id;Datorer;Anslutning;Servicefönster;Våg\n"
SWEDISH_COLUMNS = {"clinic": "Mottagning", "care_unit_hsa_id": "Vårdenhetens HSA-id", "hosts": "Datorer",
                   "connection": "Anslutning", "maintenance_window": "Servicefönster", "wave": "Våg"}


def test_a_register_in_swedish_loads_through_the_columns_mapping(tmp_path):
    register = load_register(write(tmp_path, GOOD.replace(HEADER, SWEDISH_HEADER)), columns=SWEDISH_COLUMNS)
    vce = register["clinics"]["clinic_vardcentralen_exempel"]
    assert vce["care_unit_hsa_id"] == "SE5591234561-1001" and vce["hosts"] == ["vce-ws01", "vce-ws02", "vce-ws03"]
    assert register["clinics"]["clinic_mottagning_ost"]["wave"] == 2


def test_an_unmapped_required_column_is_named_with_the_header_tried(tmp_path):
    columns = dict(SWEDISH_COLUMNS, care_unit_hsa_id="Vårdenhet HSA")
    with pytest.raises(RegisterError, match=r"column 'care_unit_hsa_id' is missing \(option 'columns' maps it to "
                                            r"header 'Vårdenhet HSA', which the file does not have\)"):
        load_register(write(tmp_path, GOOD.replace(HEADER, SWEDISH_HEADER)), columns=columns)
    with pytest.raises(RegisterError, match=r"option 'columns': 'unit' is not one of our columns"):
        load_register(write(tmp_path, GOOD), columns={"unit": "Vårdenhet"})


def test_a_windows_1252_register_loads_with_the_encoding_option(tmp_path):
    text = GOOD.replace("Vårdcentralen Exempel", "Vårdcentralen Ängsö")
    path = tmp_path / "register.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(RegisterError, match=r"not UTF-8 \(save the spreadsheet as 'CSV UTF-8', or set the plugin's "
                                            r"option 'encoding'"):
        load_register(str(path))
    clinics = load_register(str(path), encoding="cp1252")["clinics"]
    assert clinics["clinic_vardcentralen_angso"]["clinic"] == "Vårdcentralen Ängsö"
    assert clinics["clinic_mottagning_ost"]["clinic"] == "Mottagning Öst"
    with pytest.raises(RegisterError, match=r"option 'encoding': 'latin-9000' is not a known encoding"):
        load_register(str(path), encoding="latin-9000")


@pytest.mark.parametrize("hosts, rule", [
    ("vce-workstation-01", r"'vce-workstation-01' is 18 characters, more than the 15 a Windows computer name \(NetBIOS"),
    ("ws1." + "a" * 64 + ".se", r"'ws1\.a+'\.\.\. has a part of 64 characters .*, more than the 63 a DNS label may have"),
    (".".join(["abcdefghij"] * 24), r"'abcdefghij\..*'\.\.\. is 263 characters, more than the 253 a DNS name may have"),
])
def test_host_names_longer_than_windows_allows_are_refused_naming_the_rule(tmp_path, hosts, rule):
    text = HEADER + "Vårdcentralen Exempel;SE5591234561-1001;%s;psrp;;1\n" % hosts
    with pytest.raises(RegisterError, match=r"line 2, column 'hosts': host name " + rule):
        load_register(write(tmp_path, text))
    longest = "Vårdcentralen Exempel;SE5591234561-1001;vce-ws01.region.se vce-ws123456789;psrp;;1\n"
    assert sorted(load_register(write(tmp_path, HEADER + longest))["hosts"]) == ["vce-ws01.region.se", "vce-ws123456789"]
