// Every code block of the docs (README.md and docs/*.md), as printed. The line before each block
// says what it is:
//   <!-- run -->        run here: JavaScript as an ES module, shell with bash, each in a folder
//                       holding leadhook (node_modules/leadhook, and its `leadhook` command) and
//                       a valid body.json, as a user's project would; it must exit 0
//   <!-- test: NAME --> run by a test of its own (NAME is the snippet it reads)
//   <!-- output of: COMMAND --> what COMMAND prints there (run as a block marked run is), as it is
//   <!-- fragment -->   a part of a program (names it does not define), or a transcript
// A block that is a file of examples/ as it is needs no line: tests/recipes/ and
// tests/workerd/signed.test.mjs run those.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { linkPackage, pkgDir, root } from "../workerd/cases.mjs";

/** The snippets other tests read by name, and the test that runs each. */
const TESTED_ELSEWHERE = { worker: "tests/receiver/docs.test.mjs", node: "tests/receiver/docs.test.mjs", express: "tests/receiver/docs.test.mjs" };

const pages = ["README.md", ...fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
const examples = (function walk(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name !== "node_modules")
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.m?js$/.test(e.name) ? [fs.readFileSync(path.join(dir, e.name), "utf8")] : []));
})(path.join(root, "examples"));

/** Each fenced block of a page: its language, code, line and the marker on the line before. */
function blocks(page) {
  const lines = fs.readFileSync(path.join(root, page), "utf8").split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    assert.ok(end > i, `${page}:${i + 1}: a block that does not end`);
    const marker = /^<!-- (run|fragment|test: [\w-]+|output of: .+) -->$/.exec(lines[i - 1] ?? "")?.[1] ?? null;
    found.push({ page, line: i + 1, lang: open[1], code: lines.slice(i + 1, end).join("\n") + "\n", marker });
    i = end;
  }
  return found;
}
const all = pages.flatMap(blocks);

/** A folder as a user's project: leadhook installed, its command on PATH, a body.json. */
function project() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-docs-"));
  linkPackage(dir);
  fs.mkdirSync(path.join(dir, "node_modules/.bin"));
  fs.symlinkSync(path.join(pkgDir, "cli.mjs"), path.join(dir, "node_modules/.bin/leadhook"));
  fs.copyFileSync(path.join(root, "tests/fixtures/leadsie-v2/vendor-sample.json"), path.join(dir, "body.json"));
  return dir;
}

test("every block says what it is, or is a file of examples/", () => {
  const unmarked = all.filter((b) => b.marker === null && !examples.some((e) => e === b.code));
  assert.deepEqual(unmarked.map((b) => `${b.page}:${b.line}`), [], "blocks with no <!-- run -->, <!-- test: NAME -->, <!-- output of: COMMAND --> or <!-- fragment --> line");
  for (const b of all.filter((b) => b.marker?.startsWith("test: "))) {
    const name = b.marker.slice("test: ".length);
    assert.ok(TESTED_ELSEWHERE[name], `${b.page}:${b.line}: no test runs the snippet ${name}`);
    assert.ok(fs.readFileSync(path.join(root, TESTED_ELSEWHERE[name]), "utf8").includes(`"${name}"`), `${TESTED_ELSEWHERE[name]} runs ${name}`);
  }
  const run = all.filter((b) => b.marker === "run");
  assert.ok(run.every((b) => ["js", "sh"].includes(b.lang)), "a block to run is js or sh");
  const count = (p) => all.filter((b) => p(b.marker ?? "")).length;
  const fragments = count((m) => m === "fragment");
  console.log(`${all.length} blocks: ${run.length} run here, ${count((m) => m.startsWith("output of: "))} compared with their command's output, ${all.length - run.length - fragments - count((m) => m.startsWith("output of: "))} run by other tests, ${fragments} fragments`);
});

describe("the blocks marked run, as printed, and those marked output of, as their command prints them", () => {
  const dir = project();
  const env = { ...process.env, PATH: `${path.join(dir, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`, npm_config_offline: "true" };
  const runs = (lang, code, name) => {
    const file = path.join(dir, `${name}.${lang === "js" ? "mjs" : "sh"}`);
    fs.writeFileSync(file, code);
    return spawnSync(lang === "js" ? process.execPath : "bash", lang === "js" ? [file] : ["-eo", "pipefail", file], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
  };
  for (const b of all.filter((b) => b.marker === "run")) {
    test(`${b.page}:${b.line} (${b.lang})`, () => {
      const out = runs(b.lang, b.code, `block-${b.line}`);
      assert.equal(out.status, 0, `${b.page}:${b.line} exited ${out.status}:\n${out.stdout}\n${out.stderr}`);
    });
  }
  for (const b of all.filter((b) => b.marker?.startsWith("output of: "))) {
    const command = b.marker.slice("output of: ".length);
    test(`${b.page}:${b.line}: ${command}`, () => {
      const out = runs("sh", `${command}\n`, `output-${b.line}`);
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.stdout, b.code, `${b.page}:${b.line} is not what ${command} prints`);
    });
  }
});
