// The People view's filters (report.html): clinic, verdict and text; rows are rendered by Python.
(function () {
  "use strict";
  var clinic = document.getElementById("p-clinic"), verdict = document.getElementById("p-verdict"),
    text = document.getElementById("p-text");
  if (!clinic) { return; }
  function apply() {
    var words = text.value.trim().toLowerCase();
    document.querySelectorAll("#people .people-clinic").forEach(function (block) {
      var shown = 0;
      block.querySelectorAll("tr.person-row").forEach(function (row) {
        var ok = (!clinic.value || row.getAttribute("data-clinic") === clinic.value) &&
          (!verdict.value || row.getAttribute("data-verdict") === verdict.value) &&
          (!words || row.getAttribute("data-text").indexOf(words) >= 0);
        row.hidden = !ok;
        shown += ok ? 1 : 0;
      });
      block.hidden = shown === 0;
    });
  }
  [clinic, verdict].forEach(function (s) { s.addEventListener("change", apply); });
  text.addEventListener("input", apply);
}());
