// The package in a real browser: Debian's Chromium, driven by playwright-core, loads the previewer
// (www/, which imports pkg/browser.mjs) from a local server on 127.0.0.1. The test types bodies
// into the previewer and reads what it shows, imports the browser entry and the inline files in
// the page and checks that they answer every fixture exactly as the Node package does, and saves
// a screenshot of the previewer with a broken payload to /tmp/previewer.png.
//
// Chromium must be installed (scripts/setup.sh installs it): without it this test fails, it does
// not skip.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { esm } from "../node/leadhook.mjs";
import { cases, fixture, root } from "../workerd/cases.mjs";
import { answer } from "../workerd/answer.mjs";
import { serve } from "../../www/serve.mjs";

const CHROMIUM = process.env.LEADHOOK_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOT = "/tmp/previewer.png";
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const text = (name) => new TextDecoder().decode(fixture(name).bytes);

describe("browser (Chromium)", () => {
  let server;
  let context;
  let profile;
  let page;
  const problems = [];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium)`);
    server = await serve(root);
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-chromium-"));
    const started = performance.now();
    // launchPersistentContext: Chromium gets this fresh --user-data-dir.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    console.log(`chromium ${context.browser()?.version() ?? ""} launched in ${(performance.now() - started).toFixed(0)} ms`);
    const loadStarted = performance.now();
    const res = await page.goto(`${server.url}/www/`);
    assert.equal(res.status(), 200);
    // The previewer is ready when its module (and the package's top-level await) has run: its
    // sample button then fills the textarea and renders.
    await page.waitForFunction(() => document.querySelector("#status")?.textContent === "Waiting for a body…");
    await page.evaluate(() => import("/pkg/browser.mjs"));
    // The page's kind choices come from the registry, every kind once.
    const choices = await page.$$eval("#kind option", (os) => os.map((o) => o.value));
    const registry = await page.evaluate(async () => (await import("/pkg/browser.mjs")).kinds());
    assert.deepEqual(choices, ["", ...registry]);
    assert.equal(registry.length, 5);
    console.log(`previewer and package loaded in ${(performance.now() - loadStarted).toFixed(0)} ms`);
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  /** Types `body` into the previewer; resolves to what it shows. */
  async function preview(body, { strict = false } = {}) {
    if ((await page.isChecked("#strict")) !== strict) await page.click("#strict");
    await page.fill("#body", "");
    await page.fill("#body", body);
    return page.evaluate(() => {
      const rows = (id) => [...document.querySelectorAll(`#${id} tbody tr`)].map((tr) => [...tr.cells].map((td) => td.textContent));
      return {
        status: document.querySelector("#status").textContent,
        statusClass: document.querySelector("#status").className,
        issues: document.querySelector("#issues").hidden ? [] : rows("issues"),
        fields: document.querySelector("#fields").hidden ? [] : rows("fields"),
        csvButton: !document.querySelector("#csv").hidden,
      };
    });
  }

  const issueRows = (report) => [
    ...report.errors.map((i) => ["error", i.code, i.path === "" ? "(whole body)" : i.path, i.message]),
    ...report.warnings.map((i) => ["warning", i.code, i.path === "" ? "(whole body)" : i.path, i.message]),
  ];

  test("the package's files are served with the right MIME types, and nothing failed", () => {
    const type = (suffix) => server.served.find(([url]) => url.endsWith(suffix))?.[2];
    assert.equal(type("/pkg/leadhook_bg.wasm"), "application/wasm");
    assert.match(type("/pkg/browser.mjs"), /^text\/javascript/);
    assert.match(type("/pkg/leadhook.js"), /^text\/javascript/);
    assert.deepEqual(problems, []);
  });

  test("the previewer shows every issue of a broken payload, as Node reports them", async () => {
    const body = text("leadsie-v2/many-issues-in-order");
    const shown = await preview(body);
    const report = esm.validate(body);
    assert.equal(report.ok, false);
    assert.equal(shown.status, `${report.errors.length} error(s) in this ${report.kind} payload`);
    assert.equal(shown.statusClass, "status bad");
    assert.deepEqual(shown.issues, issueRows(report));
    assert.deepEqual(shown.fields, []);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`screenshot of the previewer with a broken payload: ${SCREENSHOT} (${shown.issues.length} issue rows)`);
  });

  test("the previewer shows a valid payload's flat fields, as Node flattens them", async () => {
    for (const name of ["leadsie-v1/example", "leadsquared/lead-stage-change", "lead-event/vendor-sample"]) {
      const body = text(name);
      const shown = await preview(body);
      const report = esm.validate(body);
      assert.equal(report.ok, true, name);
      assert.match(shown.status, new RegExp(`^Valid ${report.kind.replace(".", "\\.")} payload`), name);
      assert.deepEqual(shown.issues, issueRows(report), name);
      assert.deepEqual(shown.fields, Object.entries(esm.flatten(body)).map(([k, v]) => [k, v === null ? "null" : String(v)]), name);
      assert.ok(shown.csvButton, name);
    }
    const strict = await preview(text("leadsie-v2/unknown-enums"), { strict: true });
    assert.deepEqual(strict.issues, issueRows(esm.validate(text("leadsie-v2/unknown-enums"), { strict: true })));
    await page.click("#sample");
    assert.match(await page.textContent("#status"), /^Valid leadsie\.v1 payload/);
  });

  test("import('/pkg/browser.mjs') in the page answers every fixture exactly as Node", async () => {
    const all = cases();
    const sent = all.map((c) => ({ name: c.name, b64: Buffer.from(c.bytes).toString("base64"), opts: c.opts }));
    const got = await page.evaluate(async (list) => {
      const api = await import("/pkg/browser.mjs");
      const { answer } = await import("/tests/workerd/answer.mjs");
      const bytes = (b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const first = performance.now();
      const report = api.validate(bytes(list[0].b64), list[0].opts);
      return {
        firstValidateMs: performance.now() - first,
        firstOk: report.ok,
        answers: list.map((c) => answer(api, bytes(c.b64), c.opts)),
        // and the same bodies as strings, as the previewer passes them
        strings: list.map((c) => api.validate(new TextDecoder().decode(bytes(c.b64)), c.opts)),
      };
    }, sent);
    all.forEach((c, i) => {
      assert.deepEqual(got.answers[i], answer(esm, c.bytes, c.opts), c.name);
      assert.deepEqual(got.strings[i], esm.validate(new TextDecoder().decode(c.bytes), c.opts), `${c.name} (string)`);
    });
    console.log(`chromium: ${all.length} fixture bodies answered as in Node (a validate call in the page: ${got.firstValidateMs.toFixed(1)} ms)`);
  });

  test("the inline files work in the page too: the .mjs imported, the .cjs pasted as a function body", async () => {
    const c = fixture("leadsquared/form-encoded-content-type");
    const got = await page.evaluate(async ({ b64, opts }) => {
      const { answer } = await import("/tests/workerd/answer.mjs");
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const mjs = await import("/pkg/dist/leadhook.inline.mjs");
      const source = await (await fetch("/pkg/dist/leadhook.inline.cjs")).text();
      const cjs = new Function(source + "\n;return leadhook;")();
      return [answer(mjs, bytes, opts), answer(cjs, bytes, opts)];
    }, { b64: Buffer.from(c.bytes).toString("base64"), opts: c.opts });
    assert.deepEqual(got[0], answer(esm, c.bytes, c.opts), "inline .mjs");
    assert.deepEqual(got[1], answer(esm, c.bytes, c.opts), "inline .cjs");
  });

  test("no page errors, console errors or warnings, or failed requests", () => {
    assert.deepEqual(problems, []);
  });
});
