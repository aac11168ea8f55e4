// A new kind is one folder and its line in the registry: this test adds a scratch kind to a copy
// of the checkout (crates/leadhook/src/kinds/scratch/ and two lines of kinds/mod.rs: its `mod`
// and its registry line), builds the package there as scripts/build.sh does, and finds the kind
// in validate, detect, flatten, rows, eventKey, schema, kinds(), the TypeScript types, the
// receiver's sender table and the previewer's list (in Chromium), with nothing else edited.
//
// The copy builds into this checkout's target/ (CARGO_TARGET_DIR) to reuse what is compiled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// What a contributor writes for a new kind: its folder.
const SCRATCH = `//! A scratch kind, added by tests/scratch-kind/ to show that a kind is its folder.

use crate::base::json::Value;
use crate::engine::rules::{doc, type_name, Field, ObjectSchema, Others, Type, Vocabulary};
use crate::flat::zapier;
use crate::kinds::facts::Facts;
use crate::kinds::identity::{field, Identity};
use crate::kinds::sender::{Answer, Credential, Sender};
use crate::kinds::{About, KindSpec, Upgrade};
use crate::{Kind, Options};

static EVENTS: Vocabulary = Vocabulary {
    name: type_name("ScratchEvent"),
    doc: doc("What happened to a scratch."),
    what: "scratch event",
    values: &["scratch.made", "scratch.gone"],
};

static BODY: ObjectSchema = ObjectSchema {
    name: type_name("ScratchBody"),
    doc: doc("A scratch event."),
    fields: &[&[
        Field::required("event", Type::Enum(&EVENTS)),
        Field::required("scratchId", Type::String),
        Field::optional("depth", Type::Number),
    ]],
    others: Others::Undocumented,
};

static ROOT: Type = Type::Object(&BODY);

/// Its event's name starts with \`scratch.\`.
fn detect(facts: &Facts, _url: Option<&str>) -> bool {
    facts.object && facts.event.as_deref().is_some_and(|e| e.starts_with("scratch."))
}

fn identity(body: &Value, _json: Option<&str>, _opts: &Options) -> Identity {
    Identity::Fields(vec![field(body.get("scratchId"))])
}

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::Scratch,
    name: "scratch",
    root: &ROOT,
    detect,
    identity,
    flatten: zapier::flatten_payload,
    rows: zapier::rows_payload,
    flat_cost: Some(zapier::cost_of_payload),
    request: None,
    upgrade: Upgrade::Current,
};

pub static ABOUT: About = About {
    title: "Scratch",
    description: "A scratch event, to show what adding a kind takes",
    type_name: "ScratchPayload",
    sender: &SENDER,
};

const SENDER: Sender = Sender {
    auth: "scratch",
    credentials: &[Credential::Header],
    probes: &[],
    answer: Answer::Status,
    tries: Some(2),
    disables_after: None,
    marks: &[],
};
`;

const VALID = JSON.stringify({ event: "scratch.made", scratchId: "s_1", depth: 3, extra: { a: [1, 2] } });
const INVALID = JSON.stringify({ event: "scratch.made", depth: "deep" });

/** Every file of the checkout that git knows or would add, copied to `to`. */
function copyCheckout(to) {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(root, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(to, f));
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(to, "node_modules"));
}

/** The files of `dir` (relative), with their text. */
function tree(dir, base = dir, out = new Map()) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tree(p, base, out);
    else out.set(path.relative(base, p), fs.readFileSync(p, "utf8"));
  }
  return out;
}

test("a scratch kind, added as one folder and its registry line, is in every output", { timeout: 900_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-scratch-"));
  try {
    copyCheckout(dir);
    const src = path.join(dir, "crates/leadhook/src");
    const before = tree(src);

    // The change a contributor makes: the folder, then its `mod` line and its registry line.
    fs.mkdirSync(path.join(src, "kinds/scratch"));
    fs.writeFileSync(path.join(src, "kinds/scratch/mod.rs"), SCRATCH);
    const registry = path.join(src, "kinds/mod.rs");
    const text = fs.readFileSync(registry, "utf8");
    const edited = text
      .replace(/^pub mod plan;$/m, "pub mod plan;\npub mod scratch;")
      .replace(/^(\s*)LeadSquared = leadsquared;$/m, "$1LeadSquared = leadsquared;\n$1Scratch = scratch;");
    fs.writeFileSync(registry, edited);
    const after = tree(src);
    const touched = [...after.keys()].filter((f) => before.get(f) !== after.get(f)).sort();
    assert.deepEqual(touched, ["kinds/mod.rs", "kinds/scratch/mod.rs"]);
    const added = edited.split("\n").length - text.split("\n").length;
    assert.equal(added, 2, "kinds/mod.rs: its mod line and its registry line");

    // The build, as scripts/build.sh runs it (the tools are set up already: this runs after it).
    const built = spawnSync("bash", ["scripts/build.sh"], {
      cwd: dir,
      encoding: "utf8",
      // The scratch kind is never shipped: its bytes may take the module past the budget.
      env: { ...process.env, CARGO_TARGET_DIR: path.join(root, "target"), LEADHOOK_WASM_BUDGET: String(92160 + 2048) },
    });
    assert.equal(built.status, 0, built.stderr.slice(-4000) + built.stdout.slice(-2000));

    const pkg = path.join(dir, "pkg");
    const lh = await import(pathToFileURL(path.join(pkg, "node.mjs")).href);
    // The registry's list, and every function.
    assert.equal(lh.kinds().at(-1), "scratch");
    assert.equal(lh.detect(VALID), "scratch");
    const report = lh.validate(VALID);
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.equal(report.kind, "scratch");
    const bad = lh.validate(INVALID);
    assert.deepEqual(bad.errors.map((e) => [e.code, e.path]), [["field.missing", "/scratchId"]]);
    // An optional field of the wrong type is a warning (an error under strict).
    assert.deepEqual(bad.warnings.map((e) => [e.code, e.path]), [["field.type", "/depth"]]);
    assert.deepEqual(lh.flatten(VALID), { event: "scratch.made", scratchId: "s_1", depth: 3, extra__a: "1,2" });
    assert.equal(lh.rows(VALID).length, 1);
    assert.equal(typeof lh.eventKey(VALID), "string");
    assert.equal(lh.eventKey(VALID), lh.eventKey(JSON.stringify({ event: "scratch.gone", scratchId: "s_1" })));
    const schema = lh.schema("scratch");
    assert.equal(schema.title, "Scratch");
    assert.deepEqual(schema.required, ["event", "scratchId"]);
    assert.ok(fs.existsSync(path.join(pkg, "schemas/scratch.json")));

    // The TypeScript types: the kind, its payload, its vocabulary.
    const types = fs.readFileSync(path.join(pkg, "index.d.ts"), "utf8");
    assert.match(types, /"scratch": ScratchPayload;/);
    fs.writeFileSync(
      path.join(dir, "check.mts"),
      [
        'import type { Kind, Payload } from "./pkg/index.js";',
        'const kind: Kind = "scratch";',
        'const body: Payload["scratch"] = { event: "scratch.made", scratchId: "s_1" };',
        "// @ts-expect-error: scratchId is required",
        'const wrong: Payload["scratch"] = { event: "scratch.made" };',
        "export { kind, body, wrong };",
      ].join("\n"),
    );
    const tsc = spawnSync(path.join(root, "node_modules/.bin/tsc"), ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "false", "check.mts"], { cwd: dir, encoding: "utf8" });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

    // The receiver's sender table.
    assert.match(fs.readFileSync(path.join(pkg, "receiver.js"), "utf8"), /"scratch": \{ auth: "scratch"/);

    // The previewer's list and verdict, in Chromium.
    const { launch } = await import("../browser/chromium.mjs");
    const { serve } = await import(pathToFileURL(path.join(dir, "www/serve.mjs")).href);
    const server = await serve(dir);
    const browser = await launch({ viewport: { width: 1280, height: 900 } });
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(`${server.url}/www/`);
      await page.waitForSelector("body[data-ready=true]");
      const choices = await page.$$eval("#kind option", (os) => os.map((o) => o.value));
      assert.equal(choices.at(-1), "scratch");
      const renders = await page.evaluate(() => Number(document.body.dataset.renders ?? 0));
      await page.fill("#body", VALID);
      await page.waitForFunction((p) => Number(document.body.dataset.renders ?? 0) > p, renders, { timeout: 10000 });
      assert.match(await page.textContent("#status"), /^Valid Scratch payload \(scratch\)/);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
