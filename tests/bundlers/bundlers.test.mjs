// Every mainstream bundler, as a user runs it on an app that imports leadhook (build.mjs): the
// Node bundles run under Node from a folder that holds nothing but the bundle (as a Lambda
// function's does), the browser bundles in Chromium from a server on 127.0.0.1. Prints each
// bundle's size.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { launch } from "../browser/chromium.mjs";
import { serve } from "../../www/serve.mjs";
import { buildAll, sizes } from "./build.mjs";
import { root } from "../workerd/cases.mjs";

const EXPECTED_FLAT = { id_space: "s1", event: "lead.create", payload__id: "l1", payload__email: "a@example.com" };

const bundles = await buildAll();

function check(name, got, expect) {
  if (expect.error) {
    assert.match(got.error ?? "", expect.error, `${name}: ${JSON.stringify(got)}`);
    return;
  }
  assert.equal(got.ok, true, `${name}: ${JSON.stringify(got)}`);
  assert.equal(got.kinds, expect.kinds);
  assert.deepEqual(got.flat, EXPECTED_FLAT, "the secret stays out, the payload is flattened");
  assert.equal(got.same, true, "the default export is the same API");
}

describe("bundles for Node, run with nothing beside them", () => {
  for (const b of bundles.filter((b) => b.runtime === "node")) {
    test(b.name, () => {
      const alone = fs.mkdtempSync(path.join(os.tmpdir(), `leadhook-${b.name}-`));
      const ext = b.name.endsWith("cjs") || b.name === "webpack-node" ? "cjs" : "mjs";
      const file = path.join(alone, `main.${ext}`);
      fs.copyFileSync(path.join(b.dir, "main.js"), file);
      try {
        let got;
        try {
          // better-sqlite3 (Node 20 has no node:sqlite) from the checkout's node_modules.
          const env = b.sqlite ? { ...process.env, NODE_PATH: path.join(root, "node_modules") } : process.env;
          got = JSON.parse(execFileSync(process.execPath, [file], { cwd: alone, env, encoding: "utf8", timeout: 30_000, stdio: "pipe" }));
        } catch (error) {
          if (!b.expect.error || typeof error.stderr !== "string") throw error;
          got = { error: error.stderr };
        }
        check(b.name, got, b.expect);
      } finally {
        fs.rmSync(alone, { recursive: true, force: true });
      }
    });
  }
});

describe("bundles for browsers, in Chromium", () => {
  let server, browser;
  before(async () => {
    server = await serve(path.dirname(bundles[0].dir));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const b of bundles.filter((b) => b.runtime === "browser")) {
    test(b.name, async () => {
      const page = await browser.context.newPage();
      const problems = [];
      page.on("pageerror", (e) => problems.push(e.message));
      try {
        const res = await page.goto(`${server.url}/${b.name}/index.html`);
        assert.equal(res.status(), 200);
        await page.waitForSelector("body[data-result]", { state: "attached", timeout: 15_000 });
        const got = JSON.parse(await page.evaluate(() => document.body.dataset.result));
        check(b.name, got, b.expect);
        if (!b.expect.error) assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  }
});

test("bundle sizes (bytes, and gzip -9)", () => {
  const rows = bundles.map((b) => {
    const files = sizes(b.dir);
    const raw = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    const gz = files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
    const what = files.map((f) => path.relative(b.dir, f)).join(", ");
    return `${b.name.padEnd(20)} ${String(raw).padStart(8)} ${String(gz).padStart(8)}  ${what}`;
  });
  console.log(["bundle                    bytes     gzip  files", ...rows].join("\n"));
  assert.equal(rows.length, bundles.length);
});
