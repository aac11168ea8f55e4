// The package's types (pkg/index.d.ts, index.d.cts) resolve through the exports map for both
// `import` and `require`, and type-check a user's code: tests/node/types/.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root } from "./leadhook.mjs";

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
