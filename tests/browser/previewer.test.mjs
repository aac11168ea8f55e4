// The previewer as a person meets it, on a wide screen (1280 px) and on a phone (375 x 667): the
// empty page, a valid body, an invalid one, values outside a vocabulary, a body over the size
// limit and the button that raises it, the rows table, drift and an upgrade, and typing in a
// multi-megabyte body. It asserts the layout facts (on a phone the verdict and the first issues
// come before the form, within the first screen; the rows table's header is one line high; no
// sideways scroll) and that bodies are read in the worker, and writes a screenshot of each state
// to /tmp/previewer-STATE-WIDTH.png (look at them).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch } from "./chromium.mjs";
import { fixture, root } from "../workerd/cases.mjs";
import { serve } from "../../www/serve.mjs";

const text = (name) => new TextDecoder().decode(fixture(name).bytes);
const MiB = 1024 * 1024;
const SIZES = { 1280: { width: 1280, height: 800 }, 375: { width: 375, height: 667 } };

/** A LeadSquared batch of about `bytes` characters, pretty-printed as a person would paste it. */
function batch(bytes) {
  const record = JSON.parse(text("leadsquared/activities-bulk"))[0];
  const records = [];
  for (let i = 0, size = 2; size < bytes; i++) {
    const r = { ...record, ProspectActivityId: `act-${i}` };
    records.push(r);
    size += JSON.stringify(r, null, 2).length + 4;
  }
  return JSON.stringify(records, null, 2);
}

describe("the previewer on a phone and with large bodies (Chromium)", () => {
  let server;
  let browser;
  let page;
  const problems = [];
  const samples = [];

  before(async () => {
    server = await serve(root);
    browser = await launch({ viewport: SIZES[1280] });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    samples.push(...(await import(path.join(root, "pkg", "samples.mjs"))).samples);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const renders = () => page.evaluate(() => Number(document.body.dataset.renders ?? 0));
  const settle = (previous) => page.waitForFunction((p) => Number(document.body.dataset.renders ?? 0) > p, previous, { timeout: 60000 });
  const status = () => page.textContent("#status");

  /** A fresh page at `width`, ready. */
  async function open(width) {
    await page.setViewportSize(SIZES[width]);
    await page.goto(`${server.url}/www/`);
    await page.waitForSelector("body[data-ready=true]");
  }

  async function pick(name) {
    const i = samples.findIndex((s) => s.name === name);
    assert.ok(i >= 0, name);
    const before = await renders();
    await page.selectOption("#sample", String(i));
    await settle(before);
  }

  /** Puts `body` in the textarea as a paste would (a whole new value), and waits for the result. */
  async function paste(body) {
    const before = await renders();
    await page.evaluate((b) => {
      const area = document.querySelector("#body");
      area.value = b;
      area.dispatchEvent(new Event("input"));
    }, body);
    await settle(before);
  }

  async function shot(state, width, scrollTo = null) {
    if (scrollTo) await page.locator(scrollTo).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/tmp/previewer-${state}-${width}.png` });
  }

  const box = async (selector) => {
    const b = await page.locator(selector).first().boundingBox();
    assert.ok(b, `${selector} is not shown`);
    return b;
  };
  const noSidewaysScroll = async (state) =>
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, `${state}: sideways scroll`);

  for (const width of [1280, 375]) {
    test(`${width} px: the empty page says what will appear`, async () => {
      await open(width);
      assert.match(await status(), /^Waiting for a body/);
      assert.equal(await page.isVisible("#empty-box"), true);
      const said = await page.textContent("#empty-box");
      for (const what of ["valid", "issue", "flat fields", "rows", "CSV", "event key", "code step"]) assert.ok(said.includes(what), `the empty state names ${what}`);
      // The form is still within the first screen.
      assert.ok((await box("#body")).y < SIZES[width].height, "the textarea is below the first screen");
      await noSidewaysScroll("empty");
      await shot("empty", width);
      await pick("leadsie-v2/vendor-sample");
      assert.equal(await page.isVisible("#empty-box"), false);
      assert.match(await status(), /^Valid Leadsie v2/);
      await noSidewaysScroll("valid");
      await shot("valid", width);
    });

    test(`${width} px: an invalid body's verdict and first issues come first, within the first screen`, async () => {
      await open(width);
      await pick("leadsie-v1/wrong-types");
      assert.match(await status(), /^Invalid Leadsie v1/);
      const verdict = await box("#status");
      const issue = await box("#issues .issue");
      const area = await box("#body");
      const screen = SIZES[width].height;
      assert.ok(verdict.y < screen && verdict.y < area.y, "the verdict comes before the textarea, on the first screen");
      assert.ok(issue.y + issue.height <= screen, "the first issue is on the first screen");
      if (width === 375) {
        assert.ok(issue.y < area.y, "the issues come before the textarea");
        // Three issues, then a button for the rest (7 in all).
        assert.equal(await page.locator("#issues > li:visible").count(), 3);
        assert.equal(await page.textContent("#more-issues"), "Show all 7 issues");
        await shot("invalid", width);
        await page.click("#more-issues");
        assert.equal(await page.locator("#issues > li:visible").count(), 7);
        assert.equal(await page.isVisible("#more-issues"), false);
      } else {
        assert.equal(await page.locator("#issues > li:visible").count(), 7);
        assert.equal(await page.isVisible("#more-issues"), false);
        await shot("invalid", width);
      }
      // An issue still selects its spot in the body.
      await page.click("#issues .issue >> nth=0");
      assert.equal(await page.evaluate(() => { const a = document.querySelector("#body"); return a.value.slice(a.selectionStart, a.selectionEnd); }), "false");
      await noSidewaysScroll("invalid");
    });

    test(`${width} px: a value outside a vocabulary gets the known value it was probably meant to be`, async () => {
      await open(width);
      await pick("leadsie-v2/unknown-enums");
      const hints = await page.$$eval("#issues > li", (lis) => lis.map((li) => [li.querySelector(".where").textContent, (li.querySelector(".suggest summary") ?? li.querySelector(".suggest"))?.textContent ?? null]));
      assert.deepEqual(hints[0], [" at /status", "Did you mean PARTIAL_SUCCESS?"]);
      assert.deepEqual(hints[2], [" at /connectionAssets/0/connectionStatus", "Known values: Connected, In progress, Unknown, Insufficient permissions, Not Connected."]);
      assert.deepEqual(hints[1], [" at /connectionAssets/0/type", "The 29 known values"]);
      await shot("enum", width);
      // A typo, typed: the closest known value.
      const body = text("leadsie-v2/vendor-sample").replace('"Connected"', '"Conected"');
      await paste(body);
      const typo = await page.$$eval("#issues > li", (lis) => lis.map((li) => li.querySelector(".suggest")?.textContent ?? null));
      assert.deepEqual(typo, ["Did you mean Connected?"]);
    });

    test(`${width} px: the rows table's header is one line high; drift and an upgrade`, async () => {
      await open(width);
      await pick("leadsquared/activities-bulk");
      const head = await page.evaluate(() => {
        const tr = document.querySelector("#rows thead tr");
        const th = getComputedStyle(tr.cells[0]);
        const chrome = parseFloat(th.paddingTop) + parseFloat(th.paddingBottom) + parseFloat(th.borderTopWidth) + parseFloat(th.borderBottomWidth);
        return { height: tr.getBoundingClientRect().height - chrome, line: parseFloat(th.lineHeight), lines: [...tr.cells].map((c) => c.querySelector("code").getClientRects().length) };
      });
      assert.ok(head.height <= 1.5 * head.line, `the header row is ${head.height}px high; a line is ${head.line}px`);
      assert.deepEqual([...new Set(head.lines)], [1], "a header cell broken over lines");
      await noSidewaysScroll("rows");
      await shot("rows", width, "#rows-box");
      await pick("leadsie-v1/wrong-types");
      assert.ok((await page.locator("#drift tbody tr").count()) > 0);
      await shot("drift", width, "#drift-box");
      await pick("leadsie-v1/example");
      assert.equal(await page.textContent("#upgrade-to"), "Leadsie v2");
      await noSidewaysScroll("upgrade");
      await shot("upgrade", width, "#upgrade-box");
    });
  }

  test("a body over maxBytes says it is too large, and the button raises the limit in the page", async () => {
    await open(1280);
    const big = batch(5.5 * MiB);
    await paste(big);
    assert.match(await status(), /^Too large: 5\.\d MiB is over the size limit/);
    assert.match(await page.textContent("#too-large"), /^Too large to read: the body is \d+ bytes, over the limit of 5242880 bytes \(maxBytes\)/);
    assert.equal(await page.textContent("#raise"), "Raise the limit to 6 MiB in this page, and read it");
    await shot("too-large", 1280);
    await page.setViewportSize(SIZES[375]);
    assert.ok((await box("#raise")).y + (await box("#raise")).height <= SIZES[375].height, "the raise button is on a phone's first screen");
    await noSidewaysScroll("too-large");
    await shot("too-large", 375);
    await page.setViewportSize(SIZES[1280]);
    let before = await renders();
    await page.click("#raise");
    await settle(before);
    assert.match(await status(), /^Valid LeadSquared payload/);
    assert.equal(await page.isVisible("#too-large-box"), false);
    assert.equal(await page.textContent("#limit"), "Size limit (maxBytes): 6 MiB, raised in this page.");
    assert.match(await page.textContent("#rows-title"), /^Rows \(the first 200 of \d+\)$/);
    await shot("raised", 1280);
    before = await renders();
    await page.click("#limit-reset");
    await settle(before);
    assert.match(await status(), /^Too large/);
    assert.equal(await page.isVisible("#limit-box"), false);
  });

  test("typing in a 3 MB body: the textarea holds a window of it, and the worker reads the whole", async () => {
    await open(1280);
    let worker;
    for (let tries = 0; tries < 100 && !worker; tries++) {
      worker = page.workers().find((w) => w.url().endsWith("/www/worker.js"));
      if (!worker) await page.waitForTimeout(100);
    }
    assert.ok(worker, "the page started its worker");
    const big = batch(3 * MiB);
    await paste(big);
    assert.match(await status(), /^Valid LeadSquared payload/);
    const shown = await page.evaluate(() => document.querySelector("#body").value.length);
    assert.ok(shown < big.length / 4, `the textarea holds ${shown} of ${big.length} characters`);
    assert.match(await page.textContent("#window-where"), /^A body of 3\.\d MiB: lines 1 to [\d,]+ of [\d,]+ are shown here/);
    const jobs = await worker.evaluate(() => self.jobs);
    // A keystroke at the start (after the "["): the whole body is read again, now broken.
    await page.focus("#body");
    await page.evaluate(() => document.querySelector("#body").setSelectionRange(1, 1));
    let before = await renders();
    await page.keyboard.type("x");
    await settle(before);
    assert.match(await status(), /^Not a payload leadhook knows: 1 error/);
    assert.ok((await worker.evaluate(() => self.jobs)) > jobs, "the worker read the edited body");
    await shot("typing", 1280);
    // Move the window away; choosing the issue brings its spot back, selected.
    await page.click("#window-later");
    assert.doesNotMatch(await page.textContent("#window-where"), /: lines 1 to /);
    await page.click("#issues .issue >> nth=0");
    assert.equal(await page.evaluate(() => { const a = document.querySelector("#body"); return a.value.slice(a.selectionStart, a.selectionEnd); }), "x");
    before = await renders();
    await page.keyboard.press("Backspace");
    await settle(before);
    assert.match(await status(), /^Valid LeadSquared payload/);
    // The edits went into the whole body: it is as pasted again (its CSV has every record).
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    const lines = fs.readFileSync(await download.path(), "utf8").trimEnd().split("\n").length;
    assert.equal(lines, JSON.parse(big).length + 1);
  });

  test("no page errors, console errors or warnings, or failed requests", () => {
    assert.deepEqual(problems, []);
  });
});
