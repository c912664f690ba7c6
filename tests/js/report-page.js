// Drives report.html in Debian's Chromium (playwright-core, no downloaded browser) and prints what a
// reader would see, as JSON: node report-page.js <page.html> <width>x<height> <step>...
// Steps: "measure" (layout figures), "open" (open the first subject's findings), "sort:<key>" (click
// that column's header), "click:<css selector>" (click the first match), "hash:<fragment>".
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

const ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"];

function measure() {
  const width = window.innerWidth;
  const wider = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1 && element.offsetParent !== null) {
      wider.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
                 (element.className && typeof element.className === "string" ? "." + element.className : ""));
    }
  }
  // A cell that ends beyond its table's container is cut off (hidden or scrolled away).
  const cut = [];
  for (const table of document.querySelectorAll("table")) {
    const container = table.parentElement.getBoundingClientRect();
    for (const cell of table.querySelectorAll("th, td")) {
      const box = cell.getBoundingClientRect();
      if (box.width && box.right > container.right + 1) { cut.push(cell.textContent.slice(0, 40)); }
    }
  }
  const top = (selector) => { const e = document.querySelector(selector); return e ? e.getBoundingClientRect().top : null; };
  const bottom = (selector) => { const e = document.querySelector(selector); return e ? e.getBoundingClientRect().bottom : null; };
  const visible = (selector) => { const e = document.querySelector(selector); return !!e && e.checkVisibility(); };
  return {
    width: width, height: window.innerHeight, scrollWidth: document.documentElement.scrollWidth,
    wider: wider.slice(0, 10), cut: cut.slice(0, 10),
    fixFirstTop: top("#fix-first"), firstFixRowBottom: bottom("#fix-controls tbody tr"),
    chartClinics: document.querySelectorAll("#chart text[text-anchor=end]").length,
    chartRestVisible: visible("#chart-rest"),
    clinics: Array.from(document.querySelectorAll("#clinics tr td:first-child")).map((td) => td.textContent),
    subjects: Array.from(document.querySelectorAll("#subject-rows tr[data-subject]")).map((tr) => tr.getAttribute("data-subject")),
    matchCount: (document.getElementById("match-count") || {}).textContent,
    matches: Number((document.getElementById("match-count") || {getAttribute: () => -1}).getAttribute("data-matches")),
    hash: location.hash,
    detailRows: document.querySelectorAll("tr.detail table.findings tbody tr").length,
    detailVisible: visible("tr.detail table.findings"),
    detailText: (document.querySelector("tr.detail") || {}).innerText || "",
    firstRowText: (document.querySelector("#subject-rows tr[data-subject]") || {}).innerText || "",
  };
}

(async () => {
  const [file, size, ...steps] = process.argv.slice(2);
  const [width, height] = size.split("x").map(Number);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto("file://" + path.resolve(file));
    const out = [];
    for (const step of steps) {
      if (step === "measure") {
        out.push(await page.evaluate(measure));
      } else if (step === "open") {
        await page.click("#subject-rows tr[data-subject] button.toggle");
      } else if (step.startsWith("sort:")) {
        await page.click("button.sort[data-sort='" + step.slice(5) + "']");
      } else if (step.startsWith("click:")) {
        await page.click(step.slice(6));
      } else if (step.startsWith("hash:")) {
        await page.evaluate((hash) => { location.hash = hash; }, step.slice(5));
      } else {
        throw new Error("unknown step " + step);
      }
      await page.waitForTimeout(50);
    }
    console.log(JSON.stringify({ steps: out, errors }));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error.stack || String(error)); process.exit(1); });
