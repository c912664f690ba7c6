"""report.html in a real headless Chromium (Debian package): screenshot not blank, key figures in the
rendered DOM after the script ran, filters from the URL fragment, and no request leaving the file."""

import html.parser
import struct
import zlib

from chromium_tools import chromium, write_page
from report_samples import sample_report, workstation

# Counts resource loads the page made; appended to a copy of the page only (CSP allows inline scripts).
PROBE = ("<script>window.addEventListener('load', function () { document.body.setAttribute('data-resources', "
         "String(performance.getEntriesByType('resource').length)); });</script>")


def dump_dom(tmp_path, path, fragment=""):
    return chromium(tmp_path, "file://%s%s" % (path, fragment), "--dump-dom").stdout


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA PNG, decoded with zlib alone."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows


def test_screenshot_is_not_blank(tmp_path):
    page = write_page(tmp_path, sample_report())
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "file://%s" % page, "--screenshot=%s" % shot, "--window-size=1200,900")
    width, height, rows = png_pixels(shot)
    assert (width, height) == (1200, 900)
    pixels = [p for row in rows for p in row]
    background = max(set(pixels[:2000]), key=pixels[:2000].count)
    assert len(set(pixels)) > 50, "a rendered report has text, chart and colours"
    assert sum(1 for p in pixels if p != background) / len(pixels) > 0.05
    # The chart's green (passed) and red (failed) bars are on the first screen.
    assert any(p == (0x2e, 0x7d, 0x32) for p in pixels) and any(p == (0xc6, 0x28, 0x28) for p in pixels)


class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.subjects, self.ids, self.texts, self._id = [], {}, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-subject" in attrs:
            self.subjects.append(attrs["data-subject"])
        if "id" in attrs:
            self.ids[attrs["id"]] = attrs
        self._id = attrs.get("id")

    def handle_data(self, data):
        if self._id and data.strip():
            self.texts.setdefault(self._id, data.strip())


def parse(dom):
    parser = Rows()
    parser.feed(dom)
    return parser


def test_key_figures_and_rows_in_the_rendered_dom(tmp_path):
    report = sample_report()
    dom = parse(dump_dom(tmp_path, write_page(tmp_path, report)))
    assert dom.texts["fig-subjects"] == "7" and dom.texts["fig-failed"] == "5" and dom.texts["fig-waived"] == "1"
    assert dom.texts["run-id"] == report["run"]["id"]
    # Built by the script from the JSON block, worst first: one open failure of high or critical impact each
    # (mo-ws01 has a second failure, vce-ws02 a result not reviewed), then the host in error, the subject
    # with a warning, then the rest.
    assert sorted(dom.subjects) == sorted(s["id"] for s in report["subjects"])
    assert dom.subjects[:4] == ["mo-ws01", "vce-ws02", "SE5591234561-1002", "SE5591234561-2001"]
    assert dom.subjects[4:] == ["vce-ws04", "vce-ws01", "vce-ws03"]
    assert dom.texts["match-count"] == "7 of 7 subjects match, worst first"


def test_filters_from_the_url_fragment(tmp_path):
    page = write_page(tmp_path, sample_report())
    dom = parse(dump_dom(tmp_path, page, "#status=failed&clinic=Mottagning%20%C3%96st&sort=subject"))
    # By name: the person Anna Andersson, the host mo-ws01, the care unit Mottagning Öst.
    assert dom.subjects == ["SE5591234561-2001", "mo-ws01", "SE5591234561-1002"]
    dom = parse(dump_dom(tmp_path, page, "#kind=workstation&control=WS-NETID-VERSION&status=failed"))
    assert dom.subjects == ["vce-ws02"]


def test_five_thousand_hosts_render_lazily(tmp_path):
    controls = ["WS-OS-SUPPORTED", "WS-NETID-VERSION", "WS-EDGE-SITELIST", "WS-JS-ENABLED"]
    many = [workstation("pc%05d" % n, "Clinic %02d" % (n % 40), "SE55912345610-%04d" % (n % 40),
                        {c: ("failed" if (n + i) % 17 == 0 else "passed") for i, c in enumerate(controls)})
            for n in range(5000)]
    page = write_page(tmp_path, sample_report(subject_list=many, waivers=[]), "big.html")
    dom = parse(dump_dom(tmp_path, page))
    assert len(dom.subjects) == 100 and dom.texts["match-count"] == "5000 of 5000 subjects match (showing 100), worst first"
    filtered = parse(dump_dom(tmp_path, page, "#text=pc0421&sort=subject"))
    assert filtered.subjects == ["pc04210", "pc04211", "pc04212", "pc04213", "pc04214", "pc04215", "pc04216",
                                 "pc04217", "pc04218", "pc04219"]


def test_no_request_leaves_the_file(tmp_path):
    page = write_page(tmp_path, sample_report(), extra=PROBE)
    assert 'data-resources="0"' in dump_dom(tmp_path, page)
    # The probe does see an attempt: the same page with one external image counts it (blocked or not).
    control = tmp_path / "control.html"
    control.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", '<img src="http://webcert-report.invalid/x.png" alt=""></body>'), encoding="utf-8")
    assert 'data-resources="1"' in dump_dom(tmp_path, control)
