// The package in a real browser: Debian's Chromium, driven by playwright-core, loads the previewer
// (www/, which imports pkg/browser.mjs) from a local server on 127.0.0.1. The test types bodies
// into the previewer and picks every bundled sample, and checks what it shows against the Node
// package (issues, flat fields, rows, the CSV download, the event key), that an issue selects its
// spot, the layout at 375 px, labels and focus order, a 2 MB body and a module that cannot load
// (previewer.test.mjs has the phone layout, large bodies and typing in them in detail);
// it saves a screenshot of each state under target/previewer/. It also imports the browser entry
// and the inline files in the page and checks that they answer every fixture as Node does.
//
// Chromium must be installed (scripts/setup.sh installs it): without it this test fails, it does
// not skip.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch } from "./chromium.mjs";
import { esm } from "../node/leadhook.mjs";
import { cases, fixture, root } from "../workerd/cases.mjs";
import { answer } from "../workerd/answer.mjs";
import { serve } from "../../www/serve.mjs";


const text = (name) => new TextDecoder().decode(fixture(name).bytes);

describe("browser (Chromium)", () => {
  let server;
  let browser;
  let context;
  let page;
  const problems = [];

  before(async () => {
    server = await serve(root);
    const started = performance.now();
    browser = await launch({ viewport: { width: 1280, height: 900 } });
    context = browser.context;
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
    await page.waitForSelector("body[data-ready=true]");
    await page.evaluate(() => import("/pkg/browser.mjs"));
    // The page's kind choices come from the registry, every kind once.
    const choices = await page.$$eval("#kind option", (os) => os.map((o) => o.value));
    const registry = await page.evaluate(async () => (await import("/pkg/browser.mjs")).kinds());
    assert.deepEqual(choices, ["", ...registry]);
    assert.equal(registry.length, 5);
    console.log(`previewer and package loaded in ${(performance.now() - loadStarted).toFixed(0)} ms`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** What the previewer shows now. */
  const shown = () =>
    page.evaluate(() => ({
      status: document.querySelector("#status").textContent,
      statusClass: document.querySelector("#status").className,
      issues: [...document.querySelectorAll("#issues .issue")].map((b) => [
        b.classList.contains("error") ? "error" : "warning",
        b.querySelector("code").textContent,
        b.querySelector(".where").textContent.replace(/^ at /, ""),
      ]),
      fields: document.querySelector("#fields-box").hidden ? [] : [...document.querySelectorAll("#fields tbody tr")].map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]),
      rowsTitle: document.querySelector("#rows-box").hidden ? null : document.querySelector("#rows-title").textContent,
      eventKey: document.querySelector("#key-box").hidden ? null : document.querySelector("#event-key").textContent,
      drift: document.querySelector("#drift-box").hidden ? [] : [...document.querySelectorAll("#drift tbody tr")].map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]),
      upgraded: document.querySelector("#upgrade-box").hidden
        ? null
        : [document.querySelector("#upgrade-from").textContent, document.querySelector("#upgrade-to").textContent, JSON.parse(document.querySelector("#upgraded").textContent)],
      signature: document.querySelector("#signature-box").hidden ? null : document.querySelector("#signature").textContent,
      snippet: document.querySelector("#code-box").hidden ? null : document.querySelector("#snippet").textContent,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    }));

  const renders = () => page.evaluate(() => Number(document.body.dataset.renders ?? 0));

  /** Waits until the previewer has shown a result after render number `previous`. */
  async function settle(previous) {
    await page.waitForFunction((p) => Number(document.body.dataset.renders ?? 0) > p, previous, { timeout: 10000 });
  }

  /** Types `body` (and options) into the previewer; resolves to what it shows. */
  async function preview(body, { strict = false, url = "", contentType = "" } = {}) {
    if ((await page.isChecked("#strict")) !== strict) await page.click("#strict");
    await page.fill("#url", url);
    await page.selectOption("#contentType", contentType);
    await page.fill("#body", "");
    const before = await renders();
    await page.fill("#body", body);
    await settle(before);
    return shown();
  }

  const issueRows = (report) => [
    ...report.errors.map((i) => ["error", i.code, i.path === "" ? "the whole body" : i.path]),
    ...report.warnings.map((i) => ["warning", i.code, i.path === "" ? "the whole body" : i.path]),
  ];
  const cellText = (v) => (v === null ? "(none)" : v === "" ? "(empty)" : String(v));
  const OUT = path.join(root, "target", "previewer");

  test("the package's files are served with the right MIME types, and nothing failed", () => {
    const type = (suffix) => server.served.find(([url]) => url.endsWith(suffix))?.[2];
    assert.equal(type("/pkg/leadhook_bg.wasm"), "application/wasm");
    assert.match(type("/pkg/browser.mjs"), /^text\/javascript/);
    assert.match(type("/pkg/leadhook.js"), /^text\/javascript/);
    assert.deepEqual(problems, []);
  });

  test("the code step of each platform is its recipe, as examples/recipes/ has it; options that matter join its call", async () => {
    const recipe = (f) => fs.readFileSync(path.join(root, "examples/recipes", f), "utf8");
    const files = { Zapier: "zapier.js", Make: "make.js", n8n: "n8n.js", Pipedream: "pipedream.mjs" };
    await preview(text("leadsie-v2/vendor-sample"));
    assert.deepEqual(await page.$$eval("#platform option", (os) => os.map((o) => o.value)), Object.keys(files));
    for (const [platform, file] of Object.entries(files)) {
      await page.selectOption("#platform", platform);
      assert.equal(await page.textContent("#snippet"), recipe(file), platform);
    }
    await preview(text("leadsie-v2/vendor-sample"), { strict: true });
    await page.selectOption("#platform", "n8n");
    assert.match(await page.textContent("#snippet"), /leadhook\.codeStep\(item\.json, \{"strict":true\}\)/);
    await page.selectOption("#platform", "Zapier");
    await preview(text("leadsie-v2/vendor-sample"));
  });

  test("every bundled sample: the kind, the issues, a flat value, the rows, the CSV download, as Node gives them", async () => {
    fs.mkdirSync(OUT, { recursive: true });
    const { samples } = await import(path.join(root, "pkg", "samples.mjs"));
    assert.ok(samples.length >= 12);
    const kinds = new Set();
    const upgradedKinds = new Set();
    let drifted = 0;
    for (const [i, sample] of samples.entries()) {
      const before = await renders();
      await page.selectOption("#sample", String(i));
      await settle(before);
      const got = await shown();
      const opts = { ...(sample.url ? { url: sample.url } : {}), ...(sample.contentType ? { contentType: sample.contentType } : {}) };
      const report = esm.validate(sample.body, opts);
      if (report.kind) kinds.add(report.kind);
      assert.deepEqual(got.issues, issueRows(report), sample.name);
      const drift = report.kind ? esm.drift([esm.validate(sample.body, { ...opts, kind: report.kind, strict: true })])[report.kind].fields : [];
      assert.deepEqual(got.drift, drift.map(({ path, what }) => [path || "(root)", what]), `${sample.name}: drift`);
      if (drift.length > 0) drifted++;
      if (report.ok) {
        assert.match(got.status, new RegExp(`^Valid .*\\(${report.kind.replace(".", "\\.")}\\)`), sample.name);
        const flat = Object.entries(esm.flatten(sample.body, opts));
        assert.deepEqual(got.fields.map(([k, v]) => [k, v]), flat.map(([k, v]) => [k, cellText(v)]), sample.name);
        assert.equal(got.eventKey, esm.eventKey(sample.body, { ...opts, headers: sample.headers ?? {} }), sample.name);
        assert.match(got.rowsTitle, new RegExp(String(esm.rows(sample.body, opts).length)), sample.name);
        assert.ok(got.snippet.includes("leadhook.codeStep("), sample.name);
        // A payload of an older format beside its upgrade, with the two kinds' names.
        let upgraded = null;
        try {
          const value = esm.upgrade(sample.body, opts);
          const to = esm.detect(JSON.stringify(value));
          if (to !== report.kind) upgraded = [`${esm.schema(report.kind).title}, as sent`, esm.schema(to).title, value];
        } catch {
          // a kind without an upgrade
        }
        assert.deepEqual(got.upgraded, upgraded, sample.name);
        if (upgraded) upgradedKinds.add(report.kind);
        const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
        const file = await download.path();
        assert.equal(fs.readFileSync(file, "utf8"), esm.toCsv(sample.body, opts), `${sample.name}: CSV`);
      } else {
        assert.match(got.status, report.kind ? /^Invalid / : /^Not a payload leadhook knows/, sample.name);
        assert.deepEqual(got.fields, [], sample.name);
      }
      if (sample.signingSecret) assert.match(got.signature, /^Signed with this secret, but \d+ days ago/, sample.name);
      assert.ok(!JSON.stringify(got).includes("wh_a46f35f22d9723a"), `${sample.name}: a secret is shown`);
      await page.screenshot({ path: path.join(OUT, `sample-${String(i).padStart(2, "0")}-${sample.name.replace("/", "-")}.png`), fullPage: true });
    }
    assert.deepEqual([...kinds].sort(), [...esm.kinds()].sort(), "a sample of every kind");
    // Leadsie v1 and the legacy lead event: both older formats shown beside their upgrade.
    assert.equal(upgradedKinds.size, 2, [...upgradedKinds].join(", "));
    assert.ok(drifted > 0, "a sample with drift");
    console.log(`previewer: ${samples.length} samples shown as Node reads them; screenshots in ${OUT}`);
  });

  test("choosing an issue selects its spot in the body, with the mouse or the keyboard", async () => {
    const body = text("leadsie-v1/wrong-types");
    await preview(body);
    const report = esm.validate(body);
    const first = [...report.errors, ...report.warnings][0]; // the list shows errors first
    await page.click("#issues .issue >> nth=0");
    const selected = await page.evaluate(() => {
      const a = document.querySelector("#body");
      return { text: a.value.slice(a.selectionStart, a.selectionEnd), focused: document.activeElement === a };
    });
    assert.ok(selected.focused);
    const expected = JSON.stringify(first.path.split("/").slice(1).reduce((v, k) => v[k], JSON.parse(body)));
    assert.equal(selected.text, expected, `${first.code} at ${first.path}`);
    // The keyboard: focus the second issue and press Enter.
    await page.focus("#issues .issue >> nth=1");
    await page.keyboard.press("Enter");
    const second = await page.evaluate(() => {
      const a = document.querySelector("#body");
      return a.value.slice(a.selectionStart, a.selectionEnd);
    });
    assert.ok(second.length > 0);
    await page.screenshot({ path: path.join(OUT, "issue-selected.png") });
  });

  test("a strict run and a form body with its URL", async () => {
    const strict = await preview(text("leadsie-v2/unknown-enums"), { strict: true });
    assert.deepEqual(strict.issues, issueRows(esm.validate(text("leadsie-v2/unknown-enums"), { strict: true })));
    assert.match(strict.status, /^Invalid /);
    const url = "https://h.example/lsq?eventType=Lead_Post_Create";
    const form = await preview(text("leadsquared/form-encoded-content-type"), { url, contentType: "application/x-www-form-urlencoded" });
    assert.match(form.status, /^Valid LeadSquared payload/);
    assert.ok(form.fields.some(([k, v]) => k === "eventType" && v === "Lead_Post_Create"));
  });

  test("at 375 px: no sideways scroll, and the result is above the fold", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      for (const name of ["leadsie-v2/vendor-sample", "leadsie-v2/many-issues-in-order", "leadsquared/activities-bulk"]) {
        const got = await preview(text(name));
        assert.ok(got.overflow <= 0, `${name}: the page is ${got.overflow}px wider than the screen`);
        const box = await page.locator("#status").boundingBox();
        assert.ok(box && box.y + box.height <= 740, `${name}: the result is below the fold`);
        await page.screenshot({ path: path.join(OUT, `375-${name.replace("/", "-")}.png`) });
      }
      // Scrolled down, the status stays in view.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const box = await page.locator("#status").boundingBox();
      assert.ok(box && box.y >= -1 && box.y < 80, "the status stays at the top when scrolled");
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test("labels, a live region, and keyboard focus in order", async () => {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea")].filter((el) => !el.labels?.length).map((el) => el.id),
    );
    assert.deepEqual(unlabelled, []);
    assert.equal(await page.getAttribute("#status", "role"), "status");
    assert.equal(await page.getAttribute("#status", "aria-live"), "polite");
    await page.focus("#sample");
    const order = [];
    for (let n = 0; n < 4; n++) {
      await page.keyboard.press("Tab");
      order.push(await page.evaluate(() => document.activeElement.id));
    }
    assert.deepEqual(order, ["body", "file", "url", "contentType"]);
  });

  test("a 2 MB body: answered off the main thread, the textarea holding a window of it", async () => {
    const record = JSON.parse(text("leadsquared/activities-bulk"))[0];
    const records = [];
    let size = 2;
    for (let i = 0; size < 2 * 1024 * 1024; i++) {
      const r = { ...record, ProspectActivityId: `act-${i}` };
      records.push(r);
      size += JSON.stringify(r).length + 1;
    }
    const big = JSON.stringify(records);
    await preview("");
    const started = performance.now();
    await page.evaluate((b) => {
      const area = document.querySelector("#body");
      area.value = b;
      area.dispatchEvent(new Event("input"));
    }, big);
    await page.waitForFunction(() => /^Valid LeadSquared/.test(document.querySelector("#status").textContent), null, { timeout: 20000 });
    const pasteToResult = performance.now() - started;
    const got = await shown();
    assert.match(got.rowsTitle, new RegExp(`the first 200 of ${records.length}`));
    // The textarea holds a window of it (typing in all of it would be slow); previewer.test.mjs types in one.
    const held = await page.evaluate(() => document.querySelector("#body").value.length);
    assert.ok(held < big.length / 2, `the textarea holds ${held} of ${big.length} characters`);
    console.log(`previewer: a ${(big.length / 1048576).toFixed(2)} MB body (${records.length} records): paste to result ${pasteToResult.toFixed(0)} ms`);
    await page.screenshot({ path: path.join(OUT, "large-body.png") });
  });

  test("a page whose module cannot load says so, and how to fix it", async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-www-"));
    fs.cpSync(path.join(root, "www"), path.join(bare, "www"), { recursive: true });
    const lonely = await serve(bare);
    try {
      const p2 = await context.newPage();
      await p2.goto(`${lonely.url}/www/`);
      await p2.waitForSelector(".fatal", { timeout: 10000 });
      assert.match(await p2.textContent(".fatal"), /leadhook could not load\..*bash scripts\/build\.sh/s);
      await p2.screenshot({ path: path.join(OUT, "module-missing.png") });
      await p2.close();
    } finally {
      await lonely.close();
      fs.rmSync(bare, { recursive: true, force: true });
    }
    // The failed loads were that page's, on purpose.
    for (let i = problems.length - 1; i >= 0; i--) if (problems[i].includes(lonely.url.replace("http://", ""))) problems.splice(i, 1);
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
