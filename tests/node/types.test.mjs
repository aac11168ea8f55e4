// The package's types (pkg/index.d.ts, index.d.cts) resolve through the exports map for both
// `import` and `require`, and type-check a user's code: tests/node/types/.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root, esm } from "./leadhook.mjs";

test("TypeScript (node16 resolution) type-checks an ES module and a CommonJS user", () => {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const out = spawnSync(process.execPath, [tsc, "-p", "tests/node/types", "--explainFiles"], {
    cwd: root,
    encoding: "utf8",
  });
  const errors = out.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
  assert.deepEqual(errors, [], out.stdout + out.stderr);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  // `import` gets index.d.ts, `require` gets index.d.cts, both from pkg/ through the exports map.
  assert.match(out.stdout, /^pkg\/index\.d\.ts\n  Imported via "leadhook" from file 'tests\/node\/types\/import\.mts'/m);
  assert.match(out.stdout, /^pkg\/index\.d\.cts\n  Imported via "leadhook" from file 'tests\/node\/types\/require\.cts'/m);
});

test("leadhook/handler and leadhook/node type-check as a receiver's code (with Node's and the DOM's types)", () => {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const out = spawnSync(process.execPath, [tsc, "-p", "tests/node/types/receiver", "--explainFiles"], { cwd: root, encoding: "utf8" });
  const errors = out.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
  assert.deepEqual(errors, [], out.stdout + out.stderr);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /^pkg\/handler\.d\.ts\n  Imported via "leadhook\/handler"/m);
  assert.match(out.stdout, /^pkg\/node-http\.d\.ts\n  Imported via "leadhook\/node"/m);
});

test("the typed usage file uses every export, and its wrong uses are marked", () => {
  const text = fs.readFileSync(path.join(root, "tests/node/types/functions.mts"), "utf8");
  const imports = /import \{([^}]*)\} from "leadhook"/.exec(text)[1];
  const names = Object.keys(esm);
  for (const name of names) {
    assert.match(imports, new RegExp(`\\b${name}\\b`), `functions.mts does not import ${name}`);
    assert.match(text.slice(text.indexOf('from "leadhook"')), new RegExp(`\\b${name}\\(|instanceof ${name}\\b`), `functions.mts does not use ${name}`);
  }
  // The index.d.ts declares each runtime export.
  const dts = fs.readFileSync(path.join(root, "pkg", "index.d.ts"), "utf8");
  assert.match(dts, /^export default leadhook;$/m);
  for (const name of names) {
    assert.match(dts, new RegExp(`export declare (function|class) ${name}\\b`), `index.d.ts does not declare ${name}`);
  }
  assert.equal(fs.readFileSync(path.join(root, "pkg", "index.d.cts"), "utf8"), dts, "index.d.cts is a copy of index.d.ts");
  assert.ok((text.match(/^\s*\/\/ @ts-expect-error/gm) ?? []).length >= 20, "too few @ts-expect-error lines");
});
