"""report.html as people use it, in Debian's Chromium driven by playwright-core (tests/js/report-page.js):
what to fix first on the first screen (demo size and 5,000 PCs in 120 clinics), a 400 px phone without
sideways scroll and with findings that open, no column cut off at 1,400 px, sorting, links that filter,
and the printed document (Chromium's --print-to-pdf, pages checked with poppler's pdftoppm/pdftotext)."""

import json
import os
import shutil
import subprocess

import pytest

from chromium_tools import chromium, require_chromium, write_page
from format_tools import JS
from report_samples import sample_report, workstation


WS = ["WS-OS-SUPPORTED", "WS-NETID-VERSION", "WS-EDGE-SITELIST", "WS-JS-ENABLED"]


def browse(path, size, *steps):
    """The measurements of each "measure" step (see tests/js/report-page.js)."""
    if not shutil.which("node") or not os.path.isdir(os.path.join(JS, "node_modules", "playwright-core")):
        pytest.fail("Node.js and playwright-core are required: install nodejs and npm, then run `make js-deps`")
    require_chromium()
    result = subprocess.run(["node", os.path.join(JS, "report-page.js"), str(path), size, *steps],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout)
    assert out["errors"] == [], out["errors"]
    return out["steps"]


@pytest.fixture(scope="module")
def region_page(tmp_path_factory):
    """5,000 PCs in 120 clinics; clinic n has a failing share that grows with n % 7."""
    many = [workstation("pc%05d" % n, "Vårdcentral %03d" % (n % 120), "SE5591234561-%04d" % (n % 120),
                        {c: ("failed" if (n // 120 + i) % 11 < (n % 120) % 7 else "passed") for i, c in enumerate(WS)})
            for n in range(5000)]
    return write_page(tmp_path_factory.mktemp("region"), sample_report(subject_list=many, waivers=[]), "region.html")


@pytest.mark.parametrize("size", ["1280x800", "1400x900"])
def test_fix_first_is_on_the_first_screen(tmp_path, region_page, size):
    height = int(size.split("x")[1])
    for page in (write_page(tmp_path, sample_report()), region_page):
        measured, = browse(page, size, "measure")
        assert measured["firstFixRowBottom"] <= height, (page.name, measured["firstFixRowBottom"])


def test_region_scale_chart_is_kept_short_and_clinics_come_worst_first(region_page):
    measured, = browse(region_page, "1280x800", "measure")
    assert measured["chartClinics"] == 15 and not measured["chartRestVisible"]
    assert len(measured["clinics"]) == 120
    # Clinic n fails most where n % 7 is 6, and nothing where it is 0.
    assert int(measured["clinics"][0][-3:]) % 7 == 6 and int(measured["clinics"][-1][-3:]) % 7 == 0
    assert measured["matchCount"] == "5000 of 5000 subjects match (showing 100), worst first"
    assert measured["scrollWidth"] == 1280 and measured["cut"] == []


def test_a_phone_never_scrolls_sideways_and_the_findings_open(tmp_path, region_page):
    for page in (write_page(tmp_path, sample_report()), region_page):
        before, after = browse(page, "400x800", "measure", "open", "measure")
        for measured in (before, after):
            assert measured["scrollWidth"] == 400 and measured["wider"] == [], (page.name, measured["wider"])
        assert after["detailVisible"] and after["detailRows"] > 0
        assert "Remediation" in after["detailText"] and "Status" in after["detailText"]


def test_no_column_is_cut_off_on_a_wide_screen(tmp_path):
    page = write_page(tmp_path, sample_report())
    before, after = browse(page, "1400x900", "measure", "open", "measure")
    for measured in (before, after):
        assert measured["scrollWidth"] == 1400 and measured["cut"] == [] and measured["wider"] == []
    assert after["detailRows"] == 4


def test_the_subject_table_sorts_by_any_column(tmp_path):
    page = write_page(tmp_path, sample_report())
    by_clinic, by_failed, by_failed_up, by_name = browse(page, "1280x800", "sort:clinic", "measure", "sort:failed",
                                                         "measure", "sort:failed", "measure", "sort:subject", "measure")
    assert by_clinic["subjects"][:3] == ["mo-ws01", "SE5591234561-1002", "SE5591234561-2001"]  # Mottagning Öst
    assert by_clinic["hash"] == "#sort=clinic"
    assert by_failed["subjects"][0] == "mo-ws01" and by_failed["hash"] == "#sort=-failed"  # 2 failures
    assert by_failed_up["subjects"][-1] == "mo-ws01"
    assert by_name["subjects"][0] == "SE5591234561-2001"  # Anna Andersson


def test_fix_first_and_the_cards_link_to_filtered_lists(tmp_path):
    page = write_page(tmp_path, sample_report())
    control, warnings, errors = browse(page, "1280x800", "click:#fix-controls a.go", "measure",
                                       "click:a.card.s-warning", "measure", "click:#fix-errors a.go", "measure")
    assert control["hash"] == "#status=failed&control=WS-NETID-VERSION" and control["subjects"] == ["vce-ws02"]
    assert warnings["subjects"] == ["vce-ws01"]
    assert errors["subjects"] == ["vce-ws04"]
    assert "The PC could not be reached" in errors["firstRowText"] and "Technical detail" in errors["firstRowText"]


def test_a_person_is_shown_by_name_and_hsa_id(tmp_path):
    page = write_page(tmp_path, sample_report())
    measured, = browse(page, "1280x800", "hash:text=SE5591234561-2001", "measure")
    assert measured["subjects"] == ["SE5591234561-2001"]
    assert "Anna Andersson\nSE5591234561-2001" in measured["firstRowText"]


def pgm(path):
    """(width, height, bytes) of a binary greyscale PGM (what pdftoppm -gray writes)."""
    data = path.read_bytes()
    fields, position = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, separated by whitespace
        while data[position:position + 1].isspace():
            position += 1
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position + 1:position + 1 + width * height]


def test_printed_report_is_a_clean_document(tmp_path):
    for tool in ("pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            pytest.fail("%s is required for this test: install the Debian package 'poppler-utils'" % tool)
    page = write_page(tmp_path, sample_report())
    pdf = tmp_path / "report.pdf"
    result = chromium(tmp_path, "file://%s" % page, "--no-pdf-header-footer", "--print-to-pdf=%s" % pdf)
    assert pdf.exists(), result.stderr[-2000:]
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert 1 <= len(pages) <= 6, len(pages)
    for path in pages:
        width, height, pixels = pgm(path)
        assert abs(width / height - 210 / 297) < 0.01, "A4 portrait"
        dark = sum(1 for p in pixels if p < 128)
        assert dark > 200, "%s is blank" % path.name
        # Nothing runs into the right margin (12 mm of 210): content cut off at the edge would.
        margin = int(width * 8 / 210)
        assert all(pixels[y * width + x] > 200 for y in range(height) for x in range(width - margin, width)), path.name
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for wanted in ("Fleet summary", "Fix first", "Andersson", "SE5591234561-2001", "Compliance per clinic", "Care units",
                   "Waivers"):
        assert wanted in text, wanted
    for unwanted in ("Show more", "Search", "Show the 1 affected", "Enable JavaScript"):
        assert unwanted not in text, unwanted
