// dist/leadhook.inline.cjs and .mjs, the self-contained files: run from their text the way a code
// step runs pasted code (a function body with no require, module or import), in a bare V8 context,
// through require and import, and checked to answer every fixture exactly as the package does.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { esm } from "../node/leadhook.mjs";
import { cases, fixture, linkPackage, pkgDir } from "../workerd/cases.mjs";
import { answer } from "../workerd/answer.mjs";

const CJS = path.join(pkgDir, "dist", "leadhook.inline.cjs");
const MJS = path.join(pkgDir, "dist", "leadhook.inline.mjs");
const text = fs.readFileSync(CJS, "utf8");
const AsyncFunction = (async () => {}).constructor;
const names = Object.keys(esm).sort();
const all = cases();

/** The file pasted into a function body, as Zapier and Make run a code step; nothing in scope. */
function pasted() {
  assert.equal(typeof require, "undefined", "this test must run without a require in scope");
  return new Function("require", "module", "exports", text + "\n;return leadhook;")(undefined, undefined, undefined);
}

test("the inline files import and require nothing", () => {
  for (const file of [CJS, MJS]) {
    const code = fs.readFileSync(file, "utf8").replace(/(^|\s)\/\/.*$/gm, "$1");
    assert.doesNotMatch(code, /\brequire\s*\(|\bimport\s*\(|\bimport\.meta\b|^\s*import\b/m, file);
  }
  assert.doesNotMatch(text.replace(/(^|\s)\/\/.*$/gm, "$1"), /^\s*export\b/m, "the .cjs has no export statement");
});

test("pasted into a function body, it defines `leadhook` with the package's exports", () => {
  const started = performance.now();
  const leadhook = pasted();
  const loaded = performance.now();
  const report = leadhook.validate(fixture("leadsie-v1/example").bytes);
  const first = performance.now();
  console.log(`inline .cjs from text: evaluated (base64 decode + compile + instantiate) in ${(loaded - started).toFixed(1)} ms, first validate ${(first - loaded).toFixed(1)} ms`);
  assert.deepEqual(Object.keys(leadhook).sort(), names);
  assert.equal(report.ok, true);
  assert.equal(report.kind, "leadsie.v1");
});

test("validate and codeStep from the pasted file agree with the package on every fixture", () => {
  const leadhook = pasted();
  for (const c of all) {
    assert.deepEqual(answer(leadhook, c.bytes, c.opts), answer(esm, c.bytes, c.opts), c.name);
    // and the report is the one the fixture expects
    const r = leadhook.validate(c.bytes, c.opts);
    assert.equal(r.ok, c.expect.ok, c.name);
    assert.deepEqual(r.errors.map((e) => [e.code, e.path]), c.expect.errors.map((e) => [e.code, e.path]), c.name);
  }
});

test("as a code step: paste, then `return leadhook.codeStep(inputData)`", async () => {
  const step = new AsyncFunction("inputData", text + "\nreturn leadhook.codeStep(inputData);");
  for (const name of ["leadsie-v1/example", "leadsie-v2/vendor-sample", "leadsquared/lead-stage-change", "lead-event/vendor-sample", "leadsie-v2/missing-required"]) {
    const payload = new TextDecoder().decode(fixture(name).bytes);
    const got = await step({ payload });
    assert.deepEqual(got, esm.codeStep({ payload }), name);
    if (fixture(name).expect.ok) assert.deepEqual(got, esm.flatten(payload), `${name}: codeStep gives flatten`);
    else assert.equal(typeof got.error, "string", `${name}: a bad payload gives { error, … }`);
  }
});

test("in a bare V8 context with only TextEncoder and TextDecoder (no require, process, Buffer, atob)", () => {
  const context = vm.createContext({ TextEncoder, TextDecoder });
  const leadhook = vm.runInContext(text + "\n;leadhook;", context, { filename: "leadhook.inline.cjs" });
  assert.equal(vm.runInContext("typeof require + typeof process + typeof Buffer + typeof atob + typeof module", context), "undefinedundefinedundefinedundefinedundefined");
  assert.deepEqual(Object.keys(leadhook).sort(), names);
  for (const c of all) {
    // Values made in the other realm: compare their JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(leadhook.validate(c.bytes, c.opts))), esm.validate(c.bytes, c.opts), c.name);
  }
});

test("require() of the .cjs and import of the .mjs, and `leadhook/inline` through the exports map", async () => {
  linkPackage(path.dirname(fileURLToPath(import.meta.url)));
  const req = createRequire(import.meta.url);
  assert.equal(req.resolve("leadhook/inline"), CJS);
  assert.equal(fileURLToPath(import.meta.resolve("leadhook/inline")), MJS);
  const apis = [
    ["require(.cjs)", req(CJS)],
    ["import(.mjs)", await import(pathToFileURL(MJS).href)],
    ['require("leadhook/inline")', req("leadhook/inline")],
    ['import("leadhook/inline")', await import("leadhook/inline")],
  ];
  const c = fixture("leadsquared/form-encoded-content-type");
  for (const [label, api] of apis) {
    assert.deepEqual(Object.keys(api).filter((k) => k !== "default").sort(), names, label);
    assert.deepEqual(answer(api, c.bytes, c.opts), answer(esm, c.bytes, c.opts), label);
  }
});

test("an uncaught LeadhookError prints a short line and its class's name, from every Node file", async () => {
  const { spawnSync } = await import("node:child_process");
  for (const file of [CJS, path.join(pkgDir, "dist", "leadhook.node.cjs")]) {
    const run = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(file)}).flatten("{")`], { encoding: "utf8" });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /LeadhookError: invalid payload \(1 error\): json\.syntax/);
    assert.ok(run.stderr.length < 4000, `${path.basename(file)}: ${run.stderr.length} characters on standard error`);
    assert.ok(run.stderr.split("\n").every((line) => line.length < 400), "no line of minified code");
  }
  assert.equal(pasted().LeadhookError.name, "LeadhookError");
});
