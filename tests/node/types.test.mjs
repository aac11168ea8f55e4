// The package's types (pkg/index.d.ts, index.d.cts, handler.d.ts, node-http.d.ts, samples.d.ts)
// resolve for `import` and `require` under each moduleResolution, type-check a user's code and
// narrow as the docs say (tests/node/types/), and tell the truth about what the runtime gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root, esm } from "./leadhook.mjs";

const namespaceSamples = await import("leadhook/samples");

// Each project is checked as a user of each moduleResolution would compile it: nodenext (Node's own
// rules, through the exports map), node10 (no exports map: "types" and "typesVersions") and bundler.
const modes = ["nodenext", "node10", "bundler"];
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

function check(project, mode) {
  const config = path.join(project, mode === "nodenext" ? "tsconfig.json" : `tsconfig.${mode}.json`);
  const out = spawnSync(process.execPath, [tsc, "-p", config, "--explainFiles"], { cwd: root, encoding: "utf8" });
  const errors = out.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
  assert.deepEqual(errors, [], out.stdout + out.stderr);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  return out.stdout;
}

for (const mode of modes) {
  test(`TypeScript (${mode} resolution) type-checks an ES module and a CommonJS user, and the narrowing the docs promise`, () => {
    const out = check("tests/node/types", mode);
    assert.match(out, /^pkg\/index\.d\.ts\n(  .*\n)*  Imported via "leadhook" from file 'tests\/node\/types\/import\.mts'/m);
    // `require` gets index.d.cts through the exports map; node10, which has no exports map, the "types" file.
    const required = mode === "node10" ? "index\\.d\\.ts" : "index\\.d\\.cts";
    assert.match(out, new RegExp(`^pkg\\/${required}\\n(  .*\\n)*  Imported via "leadhook" from file 'tests\\/node\\/types\\/require\\.cts'`, "m"));
    assert.match(out, /^pkg\/samples\.d\.ts\n(  .*\n)*  Imported via "leadhook\/samples" from file 'tests\/node\/types\/narrowing\.mts'/m);
  });

  test(`leadhook/handler and leadhook/node type-check as a receiver's code (${mode} resolution, with Node's and the DOM's types)`, () => {
    const out = check("tests/node/types/receiver", mode);
    assert.match(out, /^pkg\/handler\.d\.ts\n  Imported via "leadhook\/handler"/m);
    assert.match(out, /^pkg\/node-http\.d\.ts\n  Imported via "leadhook\/node"/m);
  });
}

test("every subpath with code has types, for the exports map and for node10's typesVersions", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "pkg", "package.json"), "utf8"));
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === "string") continue; // files as they are: schemas, the inline files, package.json
    assert.ok(target.types, `exports["${subpath}"] has no types`);
    if (subpath === ".") continue;
    // node10 reads "leadhook/x" as the file x.d.ts at the package's root, unless typesVersions maps it.
    const name = subpath.slice(2);
    const mapped = pkg.typesVersions?.["*"]?.[name];
    const file = mapped ? mapped[0] : `./${name}.d.ts`;
    assert.ok(fs.existsSync(path.join(root, "pkg", file)), `node10 finds no types for leadhook/${name} (${file})`);
    const types = typeof target.types === "string" ? target.types : target.types.import;
    assert.equal(path.normalize(file), path.normalize(types), `leadhook/${name}: node10 and the exports map give different types`);
  }
});

test("every exported type and function has a doc comment, one block each", () => {
  for (const file of ["index.d.ts", "handler.d.ts", "node-http.d.ts", "samples.d.ts"]) {
    const lines = fs.readFileSync(path.join(root, "pkg", file), "utf8").split("\n");
    lines.forEach((line, i) => {
      const declared = /^export (?:declare )?(?:interface|type|function|class|const) (\w+)/.exec(line);
      if (declared) assert.match(lines[i - 1] ?? "", /\*\/\s*$/, `${file}:${i + 1}: ${declared[1]} has no doc comment`);
      // Two blocks in a row: the first documents nothing (TypeScript shows the second only).
      if (/\*\/\s*$/.test(line)) assert.doesNotMatch(lines[i + 1] ?? "", /^\s*\/\*\*/, `${file}:${i + 2}: a second doc comment`);
    });
  }
});

test("leadhook/samples's types name every sample, and a valid sample's kind is a kind", async () => {
  const { samples } = await import("leadhook/samples");
  const dts = fs.readFileSync(path.join(root, "pkg", "samples.d.ts"), "utf8");
  const union = /export type SampleName =((?:\n  \| "[^"]+")+);/.exec(dts);
  assert.ok(union, "samples.d.ts has no SampleName union");
  assert.deepEqual(union[1].split("\n  | ").slice(1).map((n) => JSON.parse(n)), samples.map((s) => s.name));
  const kinds = esm.kinds();
  for (const s of samples) {
    if (s.valid) assert.ok(kinds.includes(s.kind), `${s.name} is valid with kind ${s.kind}`);
    assert.equal(esm.validate(s.body, { url: s.url, contentType: s.contentType }).ok, s.valid, s.name);
  }
});

test("the narrowing the types promise is what the runtime gives", () => {
  // validate: ok is errors.length === 0, and then the kind is never null (ValidReport).
  const { samples } = namespaceSamples;
  for (const s of samples) {
    for (const opts of [undefined, { strict: true }, ...esm.kinds().map((kind) => ({ kind }))]) {
      const r = esm.validate(s.body, { ...opts, url: s.url, contentType: s.contentType });
      assert.equal(r.ok, r.errors.length === 0, s.name);
      if (r.ok) assert.ok(esm.kinds().includes(r.kind), `${s.name}: ok without a kind`);
    }
  }
  // codeStep: a CodeStepError's error is never empty and starts with "leadhook: " (so `if (out.error)`
  // tells it apart); a LeadSquared array of several events gives an array, unless lineItems; a kind
  // other than LeadSquared gives one record.
  const bulk = samples.find((s) => s.name === "leadsquared/activities-bulk");
  for (const input of ["", "{", "[]", "{}", { payload: "{" }, { payload: { a: 1 } }, 1, null]) {
    const out = esm.codeStep(input);
    assert.match(out.error, /^leadhook: ./, JSON.stringify(input));
  }
  assert.ok(Array.isArray(esm.codeStep({ payload: bulk.body, url: bulk.url })), "a bulk body gives an array");
  const items = esm.codeStep({ payload: bulk.body, url: bulk.url }, { lineItems: true });
  assert.ok(!Array.isArray(items) && Array.isArray(items.line_items) && items.error === undefined);
  for (const s of samples.filter((s) => s.valid && s.kind !== "leadsquared")) {
    const out = esm.codeStep({ payload: s.body }, { kind: s.kind });
    assert.ok(!Array.isArray(out) && out.error === undefined, s.name);
  }
  // A lead event's payload and a lead-event.v2 body's data are what their event says.
  const legacy = samples.filter((s) => s.valid && s.kind === "lead-event").map((s) => esm.parse(s.body).data);
  assert.ok(legacy.some((e) => e.event === "lead.update" && typeof e.payload.email === "string"));
  const signed = samples.filter((s) => s.valid && s.kind === "lead-event.v2").map((s) => esm.parse(s.body).data);
  assert.ok(signed.some((e) => e.event === "note.created" && typeof e.data.contentPlain === "string"));
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
  const narrowing = fs.readFileSync(path.join(root, "tests/node/types/narrowing.mts"), "utf8");
  assert.ok((narrowing.match(/^\s*\/\/ @ts-expect-error/gm) ?? []).length >= 15, "too few @ts-expect-error lines in narrowing.mts");
});
