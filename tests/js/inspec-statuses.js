// Reads InSpec exec JSON files the way Heimdall does (MITRE's inspecjs) and prints, per file and
// control, the status and waived flag Heimdall shows: one JSON line per control.
// A file inspecjs cannot read makes this exit non-zero with the file named.
"use strict";
const fs = require("fs");
const { convertFileContextual } = require("inspecjs");

let broken = 0;
for (const path of process.argv.slice(2)) {
  let evaluation;
  try {
    evaluation = convertFileContextual(fs.readFileSync(path, "utf8"));
  } catch (error) {
    console.error(path + ": " + error.message);
    broken += 1;
    continue;
  }
  for (const profile of evaluation.contains) {
    for (const control of profile.contains) {
      console.log(JSON.stringify({ file: path, profile: profile.data.name, control: control.data.id,
                                   status: control.hdf.status, waived: control.hdf.waived,
                                   severity: control.hdf.severity }));
    }
  }
}
process.exit(broken ? 1 : 0);
