// Parses PowerShell files with tree-sitter-powershell (its wasm grammar, through web-tree-sitter) and refuses
// what Windows PowerShell 5.1 - the PowerShell of every clinic PC and of WinRM - cannot run:
//   - any syntax error (an ERROR or MISSING node);
//   - PowerShell 7 constructs: `??`, `??=`, `?.`/`?[]`, the ternary `a ? b : c` (the grammar has none of
//     them, so they are syntax errors; the message names the construct), `&&`/`||` pipeline chains
//     (pipeline_chain_tail) and `ForEach-Object -Parallel`.
// Usage: node powershell-grammar.js FILE...   Prints one line per problem; exit 0 when there is none.
// Nothing here runs PowerShell.
"use strict";

// The grammar's lexer is one huge wasm function: V8's optimising tier spends seconds of CPU on it in the
// background (and the process waits for that) for no gain on a few files; the baseline compiler is enough.
require("v8").setFlagsFromString("--liftoff-only");
const fs = require("fs");
const path = require("path");
const { Parser, Language } = require("web-tree-sitter");

const GRAMMAR = path.join(__dirname, "node_modules", "tree-sitter-powershell", "tree-sitter-powershell.wasm");
// Inside an error region the construct is read from the source text; strings and comments are blanked first so
// a '?' in a message or a comment is never taken for an operator.
const PS7_TEXT = [
  [/\?\?=/, "'??=' (null-coalescing assignment, PowerShell 7)"],
  [/\?\?/, "'??' (null-coalescing operator, PowerShell 7)"],
  [/[}\w)\]]\?(\.|\[)/, "'?.' or '?[]' (null-conditional member access, PowerShell 7)"],
  [/\s\?\s[^:]*\s:\s/, "'a ? b : c' (ternary operator, PowerShell 7)"],
];
const FOREACH_NAMES = new Set(["foreach-object", "foreach", "%"]);

function blank(text) {
  // Comments and quoted strings become spaces, keeping every offset and line.
  return text.replace(/<#[\s\S]*?#>|#[^\n]*|'(?:[^']|'')*'|"(?:[^"`]|`[\s\S]|"")*"/g,
    (match) => match.replace(/[^\n]/g, " "));
}

function* walk(node) {
  yield node;
  for (const child of node.children) {
    yield* walk(child);
  }
}

function check(parser, file) {
  const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const tree = parser.parse(text);
  const plain = blank(text).split("\n");
  const problems = new Set();  // nested error nodes would repeat a line
  const say = (node, message) => problems.add(`${file}:${node.startPosition.row + 1}: ${message}`);
  for (const node of walk(tree.rootNode)) {
    if (node.type === "ERROR" || node.isMissing) {
      const lines = plain.slice(node.startPosition.row, node.endPosition.row + 1).join("\n");
      const construct = PS7_TEXT.find(([pattern]) => pattern.test(lines));
      say(node, construct ? `PowerShell 5.1 cannot parse ${construct[1]}`
        : `syntax error near ${JSON.stringify(node.text.slice(0, 60))}`);
    } else if (node.type === "pipeline_chain_tail") {
      say(node, `PowerShell 5.1 has no pipeline chain operator '${node.text}' (PowerShell 7)`);
    } else if (node.type === "command") {
      const name = node.childForFieldName("command_name");
      const elements = node.childForFieldName("command_elements");
      if (name && elements && FOREACH_NAMES.has(name.text.toLowerCase())) {
        // Any unambiguous abbreviation of -Parallel (-Pa, -Par, ...), as PowerShell binds parameters.
        const parallel = elements.children.find((c) => c.type === "command_parameter" && /^-pa/i.test(c.text));
        if (parallel) {
          say(parallel, "PowerShell 5.1 has no 'ForEach-Object -Parallel' (PowerShell 7)");
        }
      }
    }
  }
  tree.delete();
  return [...problems];
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node powershell-grammar.js FILE...");
    return 2;
  }
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(GRAMMAR));
  const problems = files.flatMap((file) => check(parser, file));
  problems.forEach((line) => console.log(line));
  console.log(`${files.length} file(s) parsed, ${problems.length} problem(s)`);
  return problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; },
  (error) => { console.error(error); process.exitCode = 2; });
