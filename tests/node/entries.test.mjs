// What a user's require() and README meet where the package is installed: every entry with a
// require condition loads as CommonJS in a Node without require(esm) (before 20.19, which
// engines allows), and the packaged README links nowhere the package does not reach.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { linkPackage, pkgDir } from "../workerd/cases.mjs";

test("require() of every CommonJS entry, with require(esm) turned off", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-require-"));
  linkPackage(dir);
  const code = `
    const { validate } = require("leadhook");
    const { samples } = require("leadhook/samples");
    const { createNodeHandler } = require("leadhook/node");
    const { createHandler } = require("leadhook/handler");
    const inline = require("leadhook/inline");
    const valid = samples.filter((s) => s.valid);
    console.log(JSON.stringify({ checked: valid.every((s) => validate(s.body, { url: s.url, contentType: s.contentType }).ok), samples: samples.length,
      functions: [createNodeHandler, createHandler, inline.validate].map((f) => typeof f) }));`;
  const flags = process.allowedNodeEnvironmentFlags.has("--no-experimental-require-module") ? ["--no-experimental-require-module"] : [];
  const got = JSON.parse(execFileSync(process.execPath, [...flags, "-e", code], { cwd: dir, encoding: "utf8" }));
  assert.equal(got.checked, true);
  assert.ok(got.samples > 10);
  assert.deepEqual(got.functions, ["function", "function", "function"]);
});

test("the packaged README's links are absolute or within the page", () => {
  const readme = fs.readFileSync(path.join(pkgDir, "README.md"), "utf8");
  const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]).filter((t) => !/^([a-z]+:|#)/.test(t));
  assert.deepEqual(relative, []);
  assert.match(readme, /\]\(https:\/\/github\.com\/leadhook\/leadhook\/blob\/main\/docs\/api\.md\)/);
});
