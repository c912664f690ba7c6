(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var S = data.statuses, PAGE = 100, shown = 0, matches = [];
  var el = function (id) { return document.getElementById(id); };
  var f = {clinic: el("f-clinic"), kind: el("f-kind"), status: el("f-status"), control: el("f-control"), text: el("f-text")};
  function str(i) { return i < 0 ? "" : data.strings[i]; }
  function node(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }
  function addOptions(select, values, labels) {
    values.forEach(function (v, i) { var o = node("option", labels ? labels[i] : v); o.value = v; select.appendChild(o); });
  }
  var clinics = {}, kinds = {};
  data.subjects.forEach(function (s) { clinics[s[3]] = 1; kinds[s[0]] = 1; });
  addOptions(f.clinic, Object.keys(clinics).sort());
  var kindList = Object.keys(kinds).sort();
  addOptions(f.kind, kindList, kindList.map(function (k) { return data.kinds[k] || k; }));
  addOptions(f.status, S, data.statusLabels);
  addOptions(f.control, data.controls.map(function (c) { return c[0]; }),
             data.controls.map(function (c) { return c[0] + " – " + c[1]; }));
  // Counts per subject once, so filtering 5,000 hosts is a loop over small arrays.
  var counts = data.subjects.map(function (s) {
    var c = S.map(function () { return 0; });
    s[9].forEach(function (r) { c[r[1]] += 1; });
    return c;
  });
  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    Object.keys(f).forEach(function (k) { if (params.has(k)) { f[k].value = params.get(k); } });
  }
  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(f).forEach(function (k) { if (f[k].value) { params.set(k, f[k].value); } });
    history.replaceState(null, "", "#" + params.toString());
  }
  function resultMatches(r, status, control) {
    if (control !== "" && data.controls[r[0]][0] !== control) { return false; }
    if (status === "") { return true; }
    if (status === "problem") { return S[r[1]] !== "passed" && S[r[1]] !== "not_applicable"; }
    return S[r[1]] === status;
  }
  function filter() {
    var clinic = f.clinic.value, kind = f.kind.value, status = f.status.value, control = f.control.value;
    var text = f.text.value.trim().toLowerCase();
    matches = [];
    data.subjects.forEach(function (s, i) {
      if (clinic && s[3] !== clinic) { return; }
      if (kind && s[0] !== kind) { return; }
      if (text && (s[1] + " " + s[2] + " " + s[4]).toLowerCase().indexOf(text) < 0) { return; }
      if ((status || control) && !s[9].some(function (r) { return resultMatches(r, status, control); })) { return; }
      matches.push(i);
    });
    el("subject-rows").textContent = "";
    shown = 0;
    more();
    writeHash();
  }
  function more() {
    var body = el("subject-rows"), end = Math.min(matches.length, shown + PAGE);
    for (var k = shown; k < end; k += 1) { body.appendChild(row(matches[k])); }
    shown = end;
    el("match-count").textContent = matches.length + " of " + data.subjects.length + " subjects match" +
      (shown < matches.length ? " (showing " + shown + ")" : "");
    el("match-count").setAttribute("data-matches", String(matches.length));
    el("more").hidden = shown >= matches.length;
  }
  function row(i) {
    var s = data.subjects[i], tr = node("tr"), button = node("button", "+", "toggle");
    tr.setAttribute("data-subject", s[1]);
    button.type = "button";
    button.setAttribute("aria-label", "Show findings of " + s[1]);
    button.addEventListener("click", function () { toggle(tr, i, button); });
    var first = node("td"); first.appendChild(button); tr.appendChild(first);
    var name = node("td", s[1]);
    if (s[5] === "error") { name.appendChild(node("div", s[6], "s-failed subject-error")); name.className = "wrap"; }
    tr.appendChild(name);
    tr.appendChild(node("td", (data.kinds[s[0]] || s[0]).split(" (")[0], "wrap"));
    tr.appendChild(node("td", s[3], "wrap"));
    tr.appendChild(node("td", s[4]));
    counts[i].forEach(function (n, j) { tr.appendChild(node("td", String(n), "num s-" + S[j] + (n ? "" : " zero"))); });
    return tr;
  }
  var ORDER = ["failed", "error", "not_reviewed", "waived", "not_applicable", "passed"];
  function toggle(tr, i, button) {
    var next = tr.nextSibling;
    if (next && next.className === "detail") { next.parentNode.removeChild(next); button.textContent = "+"; return; }
    button.textContent = "−";
    var s = data.subjects[i], detail = node("tr", null, "detail"), cell = node("td");
    cell.colSpan = 5 + S.length;
    var info = "Evidence: " + (s[7] || "none") + (s[8] ? " · collected " + s[8] : "");
    cell.appendChild(node("p", info, "muted"));
    var table = node("table"), head = node("tr");
    ["Status", "Control", "Impact", "Expected", "Actual", "Message", "Remediation"].forEach(function (h) {
      head.appendChild(node("th", h));
    });
    table.appendChild(head);
    s[9].slice().sort(function (a, b) { return ORDER.indexOf(S[a[1]]) - ORDER.indexOf(S[b[1]]); }).forEach(function (r) {
      var c = data.controls[r[0]], line = node("tr"), status = node("td");
      status.appendChild(node("span", data.statusLabels[r[1]] + (S[r[1]] === "waived" ? " (" + S[r[7]] + ")" : ""),
                                 "badge b-" + S[r[1]]));
      if (r[2]) {
        var w = data.waivers[r[2] - 1];
        status.appendChild(node("div", (w[4] ? "Expired waiver " : "Waiver ") + (w[2] || "") + " until " + w[3] +
          " (" + w[1] + "): " + w[0], "muted waiver-note"));
      }
      line.appendChild(status);
      var control = node("td", c[0], null); control.appendChild(node("div", c[1] + " [" + c[3] + "]", "muted"));
      line.appendChild(control);
      line.appendChild(node("td", c[2]));
      line.appendChild(node("td", str(r[3]), "wrap"));
      line.appendChild(node("td", str(r[4]), "wrap"));
      var message = node("td", str(r[5]), "wrap");
      if (r[6] >= 0) { message.appendChild(node("div", "Evidence: " + str(r[6]), "muted")); }
      line.appendChild(message);
      line.appendChild(node("td", S[r[1]] === "passed" || S[r[1]] === "not_applicable" ? "" : c[4], "wrap"));
      table.appendChild(line);
    });
    cell.appendChild(table);
    detail.appendChild(cell);
    tr.parentNode.insertBefore(detail, tr.nextSibling);
  }
  Object.keys(f).forEach(function (k) { f[k].addEventListener(k === "text" ? "input" : "change", filter); });
  el("more").addEventListener("click", more);
  window.addEventListener("hashchange", function () { readHash(); filter(); });
  readHash();
  filter();
}());
