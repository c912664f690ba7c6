(function () {
  // report.html's browser part: filters and sort kept in the address, rows built lazily 100 at a time,
  // a subject's findings built only when opened. Texts go in with textContent only.
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var S = data.statuses, PAGE = 100, shown = 0, matches = [];
  var IMPACTS = ["low", "medium", "high", "critical"];
  var el = function (id) { return document.getElementById(id); };
  var f = {clinic: el("f-clinic"), kind: el("f-kind"), status: el("f-status"), control: el("f-control"), text: el("f-text")};
  var sort = {key: "worst", descending: true};
  function str(i) { return i < 0 ? "" : data.strings[i]; }
  function node(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }
  function cell(tag, label, text, cls) {
    var n = node(tag, text, cls);
    if (label) { n.setAttribute("data-label", label); }
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
  // Counts and sort keys per subject once, so filtering and sorting 5,000 hosts are loops over small arrays.
  var FAILED = S.indexOf("failed"), ERROR = S.indexOf("error"), NOT_REVIEWED = S.indexOf("not_reviewed");
  var counts = [], warnings = [], blocking = [];
  data.subjects.forEach(function (s, i) {
    var c = S.map(function () { return 0; }), w = 0, b = 0;
    s[9].forEach(function (r) {
      c[r[1]] += 1;
      if (r[8] >= 0) { w += 1; }
      if (r[1] === FAILED && IMPACTS.indexOf(data.controls[r[0]][2]) >= 2) { b += 1; }
    });
    counts[i] = c; warnings[i] = w; blocking[i] = b;
  });
  function kindLabel(kind) { return (data.kinds[kind] || kind).split(" (")[0]; }
  // Worst first: failures that block (impact high or critical), then all failures, errors, not reviewed, warnings.
  function worst(i) {
    return [blocking[i], counts[i][FAILED], counts[i][ERROR], counts[i][NOT_REVIEWED], warnings[i]];
  }
  function sortValue(i) {
    var s = data.subjects[i], k = sort.key;
    if (k === "subject") { return s[2].toLowerCase() + " " + s[1].toLowerCase(); }
    if (k === "kind") { return kindLabel(s[0]); }
    if (k === "clinic") { return s[3].toLowerCase(); }
    if (k === "unit") { return s[4]; }
    if (k === "warnings") { return warnings[i]; }
    return counts[i][S.indexOf(k)];
  }
  function compare(a, b) {
    var order = sort.descending ? -1 : 1, x = sortValue(a), y = sortValue(b);
    if (x < y) { return -order; }
    if (x > y) { return order; }
    return a - b;
  }
  function compareWorst(a, b) {
    var x = worst(a), y = worst(b), order = sort.descending ? 1 : -1;
    for (var j = 0; j < x.length; j += 1) {
      if (x[j] !== y[j]) { return (y[j] - x[j]) * order; }
    }
    return a - b;
  }
  function readHash() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") < 0) { return false; }  // a plain anchor such as #fix-first
    var params = new URLSearchParams(hash);
    Object.keys(f).forEach(function (k) { f[k].value = params.get(k) || ""; });
    // sort=clinic is A to Z, sort=-failed biggest first; no sort is worst first.
    var key = params.get("sort") || "-worst";
    sort = {key: key.replace(/^-/, ""), descending: key.charAt(0) === "-"};
    return true;
  }
  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(f).forEach(function (k) { if (f[k].value) { params.set(k, f[k].value); } });
    if (sort.key !== "worst" || !sort.descending) { params.set("sort", (sort.descending ? "-" : "") + sort.key); }
    var text = params.toString();
    if (text || location.hash.indexOf("=") >= 0) { history.replaceState(null, "", "#" + text); }
  }
  function resultMatches(r, status, control) {
    if (control !== "" && data.controls[r[0]][0] !== control) { return false; }
    if (status === "") { return true; }
    if (status === "problem") { return S[r[1]] !== "passed" && S[r[1]] !== "not_applicable"; }
    if (status === "warning") { return r[8] >= 0; }
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
    matches.sort(sort.key === "worst" ? compareWorst : compare);
    document.querySelectorAll("button.sort").forEach(function (b) {
      var active = b.getAttribute("data-sort") === sort.key;
      b.parentNode.setAttribute("aria-sort", active ? (sort.descending ? "descending" : "ascending") : "none");
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
      (shown < matches.length ? " (showing " + shown + ")" : "") +
      (sort.key === "worst" ? ", worst first" : "");
    el("match-count").setAttribute("data-matches", String(matches.length));
    el("more").hidden = shown >= matches.length;
  }
  function disclosure(sentence, raw, cls) {
    var box = node("div", null, cls);
    box.appendChild(node("div", sentence));
    var details = node("details"), summary = node("summary", "Technical detail");
    details.appendChild(summary);
    details.appendChild(node("div", raw, "raw"));
    box.appendChild(details);
    return box;
  }
  function row(i) {
    var s = data.subjects[i], tr = node("tr"), button = node("button", "+", "toggle");
    tr.setAttribute("data-subject", s[1]);
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", "Show findings of " + s[2]);
    button.addEventListener("click", function () { toggle(tr, i, button); });
    var first = cell("td", null, null, "toggle-cell"); first.appendChild(button); tr.appendChild(first);
    var name = cell("td", "Subject", null, "wrap subject");
    name.appendChild(node("strong", s[2]));
    if (s[2] !== s[1]) { name.appendChild(node("div", s[1], "muted id")); }
    if (s[5] === "error") { name.appendChild(disclosure(s[10], s[6], "s-failed subject-error")); }
    tr.appendChild(name);
    tr.appendChild(cell("td", "Kind", kindLabel(s[0]), "wrap"));
    tr.appendChild(cell("td", "Clinic", s[3], "wrap"));
    tr.appendChild(cell("td", "Care unit", s[4], "wrap"));
    counts[i].forEach(function (n, j) {
      tr.appendChild(cell("td", data.statusLabels[j], String(n), "num s-" + S[j] + (n ? "" : " zero")));
    });
    tr.appendChild(cell("td", "Warnings", String(warnings[i]), "num s-warning" + (warnings[i] ? "" : " zero")));
    return tr;
  }
  var ORDER = ["failed", "error", "not_reviewed", "waived", "not_applicable", "passed"];
  function toggle(tr, i, button) {
    var next = tr.nextSibling;
    if (next && next.className === "detail") {
      next.parentNode.removeChild(next); button.textContent = "+"; button.setAttribute("aria-expanded", "false"); return;
    }
    button.textContent = "−";
    button.setAttribute("aria-expanded", "true");
    var s = data.subjects[i], detail = node("tr", null, "detail"), box = node("td");
    box.colSpan = 6 + S.length;
    var info = "Evidence: " + (s[7] || "none") + (s[8] ? " · collected " + s[8] : "");
    box.appendChild(node("p", info, "muted"));
    var table = node("table", null, "findings"), head = node("tr"), body = node("tbody"), thead = node("thead");
    ["Status", "Control", "Impact", "Expected", "Actual", "Message", "Remediation"].forEach(function (h) {
      head.appendChild(node("th", h));
    });
    thead.appendChild(head);
    table.appendChild(thead);
    s[9].slice().sort(function (a, b) {
      var d = ORDER.indexOf(S[a[1]]) - ORDER.indexOf(S[b[1]]);
      return d || (b[8] >= 0) - (a[8] >= 0);
    }).forEach(function (r) {
      var c = data.controls[r[0]], line = node("tr", null, r[8] >= 0 ? "has-warning" : null);
      var status = cell("td", "Status");
      status.appendChild(node("span", data.statusLabels[r[1]] + (S[r[1]] === "waived" ? " (" + S[r[7]] + ")" : ""),
                                 "badge b-" + S[r[1]]));
      if (r[8] >= 0) { status.appendChild(node("span", "Warning", "badge b-warning")); }
      if (r[2]) {
        var w = data.waivers[r[2] - 1];
        status.appendChild(node("div", (w[4] ? "Expired waiver " : "Waiver ") + (w[2] || "") + " until " + w[3] +
          " (" + w[1] + "): " + w[0], "muted waiver-note"));
      }
      line.appendChild(status);
      var control = cell("td", "Control", c[0], "wrap"); control.appendChild(node("div", c[1] + " [" + c[3] + "]", "muted"));
      line.appendChild(control);
      line.appendChild(cell("td", "Impact", c[2]));
      line.appendChild(cell("td", "Expected", str(r[3]), "wrap"));
      line.appendChild(cell("td", "Actual", str(r[4]), "wrap"));
      var message = cell("td", "Message", null, "wrap");
      if (r[8] >= 0) { message.appendChild(node("div", str(r[8]), "warning-text")); }
      if (r[9] >= 0) { message.appendChild(disclosure(str(r[9]), str(r[5]), "s-failed")); }
      else if (S[r[7]] === "error" && s[5] === "error") { message.appendChild(node("div", s[10], "s-failed")); }
      else { message.appendChild(node("div", str(r[5]))); }
      if (r[6] >= 0) { message.appendChild(node("div", "Evidence: " + str(r[6]), "muted")); }
      line.appendChild(message);
      line.appendChild(cell("td", "Remediation", S[r[1]] === "passed" && r[8] < 0 || S[r[1]] === "not_applicable" ? "" : c[4], "wrap"));
      body.appendChild(line);
    });
    table.appendChild(body);
    box.appendChild(table);
    detail.appendChild(box);
    tr.parentNode.insertBefore(detail, tr.nextSibling);
  }
  document.querySelectorAll("button.sort").forEach(function (b) {
    b.addEventListener("click", function () {
      var key = b.getAttribute("data-sort");
      // Numbers sort biggest first, texts A to Z; a second click turns the order round.
      var descending = key === sort.key ? !sort.descending : S.indexOf(key) >= 0 || key === "warnings";
      sort = {key: key, descending: descending};
      filter();
    });
  });
  Object.keys(f).forEach(function (k) { f[k].addEventListener(k === "text" ? "input" : "change", filter); });
  el("more").addEventListener("click", more);
  window.addEventListener("hashchange", function () {
    if (readHash()) { filter(); el("subjects").scrollIntoView(); }
  });
  readHash();
  filter();
}());
