// The package in Cloudflare's workerd (the real runtime, run locally by miniflare): a test Worker
// that imports `leadhook` answers POSTed fixture bodies over HTTP on 127.0.0.1, and every answer
// must equal the Node package's for the same bytes and options. Also prints the time to the first
// validate result in workerd and in a fresh Node process (no assertions on time).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { esm } from "../node/leadhook.mjs";
import { cases, fixture, linkPackage, pkgDir, workerModules } from "./cases.mjs";
import { answer } from "./answer.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

/** The request for a case: bytes as the body, content type and URL query from its options. */
function request(base, c) {
  const { contentType, url, ...rest } = c.opts;
  const headers = {};
  const extra = { ...rest };
  if (typeof contentType === "string") headers["content-type"] = contentType;
  else if (contentType !== undefined) extra.contentType = contentType;
  let target = `${base}hook`;
  if (typeof url === "string") target += new URL(url).search;
  else if (url !== undefined) extra.url = url;
  if (Object.keys(extra).length) headers["x-leadhook-opts"] = encodeURIComponent(JSON.stringify(extra));
  return { target, init: { method: "POST", body: c.bytes, headers }, extra, contentType };
}

/** A fresh Node process that imports the package and validates one body; its own timings. */
function nodeFirstValidate(kind, body) {
  const script = {
    import: `const t0 = performance.now(); const { validate } = await import("leadhook"); const t1 = performance.now();
      const r = validate(process.argv[1]); const t2 = performance.now();
      console.log(JSON.stringify({ start: t0, load: t1 - t0, validate: t2 - t1, total: t2, ok: r.ok }));`,
    require: `const t0 = performance.now(); const { validate } = require("leadhook"); const t1 = performance.now();
      const r = validate(process.argv[1]); const t2 = performance.now();
      console.log(JSON.stringify({ start: t0, load: t1 - t0, validate: t2 - t1, total: t2, ok: r.ok }));`,
  }[kind];
  const args = kind === "import" ? ["--input-type=module", "-e", script, body] : ["-e", script, body];
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: here, encoding: "utf8" });
  const wall = performance.now() - started;
  assert.equal(run.status, 0, run.stderr);
  return { ...JSON.parse(run.stdout), wall };
}

describe("Cloudflare Workers (workerd via miniflare)", () => {
  let mf;
  let base;
  const timing = {};
  const body = fixture("leadsie-v2/vendor-sample");

  before(async () => {
    linkPackage(here);
    const workerd = createRequire(import.meta.url)("workerd").default;
    console.log(`workerd binary: ${workerd}`);
    const started = performance.now();
    mf = new Miniflare({
      modules: workerModules(here, "worker.mjs", { inline: true }),
      modulesRoot: root,
      compatibilityDate: "2025-09-01",
      host: "127.0.0.1",
      port: 0,
    });
    base = await mf.ready;
    timing.ready = performance.now() - started;
    const res = await fetch(`${base}hook`, { method: "POST", body: body.bytes });
    const json = await res.json();
    timing.firstAnswer = performance.now() - started;
    timing.worker = json.first;
    assert.equal(res.status, 200);
  });

  after(async () => {
    await mf?.dispose();
  });

  test("the Worker listens on loopback", () => {
    const url = new URL(base);
    assert.equal(url.hostname, "127.0.0.1");
    assert.ok(Number(url.port) > 0);
  });

  test("every fixture body answers exactly as in Node", async () => {
    const all = cases();
    for (const c of all) {
      const { target, init, extra, contentType } = request(base, c);
      const res = await fetch(target, init);
      assert.equal(res.status, 200, `${c.name}: ${res.status}`);
      const got = await res.json();
      // The Worker saw the request as sent: the same URL (with the case's query) and content type.
      assert.equal(got.url, target, c.name);
      const opts = { ...extra, url: target };
      if (typeof contentType === "string") opts.contentType = contentType;
      assert.deepEqual(got.opts, opts, c.name);
      assert.deepEqual(got.answer, answer(esm, c.bytes, opts), c.name);
      assert.equal(got.answer.validate.value.ok, c.expect.ok, `${c.name}: verdict`);
    }
    console.log(`workerd: ${all.length} fixture bodies answered as in Node`);
  });

  test("several kinds, valid and broken, and a form-encoded LeadSquared body with its URL query", async () => {
    const checks = {
      "leadsie-v1/example": [true, "leadsie.v1"],
      "leadsie-v2/vendor-sample": [true, "leadsie.v2"],
      "leadsie-v2/missing-required": [false, "leadsie.v2"],
      "lead-event/vendor-sample": [true, "lead-event"],
      "lead-event/lead-payload-wrong-types": [true, "lead-event"], // optional fields: warnings (rev 2)
      "lead-event/missing-secret": [false, "lead-event"],
      "leadsquared/lead-stage-change": [true, "leadsquared"],
      "leadsquared/form-encoded-content-type": [true, "leadsquared"],
      "input/syntax-trailing-comma": [false, null],
      "input/invalid-utf8": [false, null],
    };
    for (const [name, [ok, kind]] of Object.entries(checks)) {
      const c = fixture(name);
      const { target, init } = request(base, c);
      const got = await (await fetch(target, init)).json();
      assert.equal(got.answer.validate.value.ok, ok, name);
      assert.equal(got.answer.validate.value.kind, kind, name);
      if (name === "leadsquared/form-encoded-content-type") {
        assert.match(init.headers["content-type"], /^application\/x-www-form-urlencoded/);
        assert.match(got.url, /\?entityType=webhook&entityId=5f0c2e1a&eventType=Lead_Post_Create$/);
        assert.equal(got.answer.flatten.value.eventType, "Lead_Post_Create");
        assert.equal(got.answer.flatten.value.FirstName, "Sachin");
      }
    }
  });

  test("Workers refuse the inline file (WebAssembly compiled from bytes), hence the workerd entry", async () => {
    const got = await (await fetch(`${base}inline`)).json();
    assert.equal(got.loaded, false, JSON.stringify(got));
    assert.match(got.error, /WebAssembly|Wasm code generation disallowed/i);
    // …and the error says what to import instead.
    assert.match(got.error, /Import "leadhook" instead; its "workerd" entry/);
    console.log(`workerd on the inline file: ${got.error}`);
  });

  test("the Worker exports what Node exports", async () => {
    const got = await (await fetch(`${base}hook`, { method: "POST", body: "{}" })).json();
    assert.deepEqual(got.answer.exports, Object.keys(esm).sort());
  });

  test("time to the first validate result (printed, not asserted)", () => {
    const runs = { import: [], require: [] };
    for (let i = 0; i < 3; i++) for (const kind of ["import", "require"]) runs[kind].push(nodeFirstValidate(kind, new TextDecoder().decode(body.bytes)));
    const ms = (n) => `${n.toFixed(1)} ms`;
    console.log(`workerd: Miniflare start -> ready ${ms(timing.ready)}, -> first validate answer over HTTP ${ms(timing.firstAnswer)}; ` +
      `the Worker's own first validate call ${ms(timing.worker.ms)} (by its own clock, which workerd may hold still during synchronous code)`);
    for (const [kind, list] of Object.entries(runs)) {
      const best = list.reduce((a, b) => (a.total < b.total ? a : b));
      assert.equal(best.ok, true);
      console.log(`node ${kind} (best of ${list.length}): process start -> script ${ms(best.start)}, load leadhook ${ms(best.load)}, ` +
        `first validate ${ms(best.validate)}; process start -> first result ${ms(best.total)}; spawn -> exit ${ms(best.wall)}`);
    }
  });
});
