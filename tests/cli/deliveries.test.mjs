// `leadhook deliveries` and `leadhook replay` on a receiver's store file: what a user runs to see
// what became of each event and to send dead letters again.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root } from "../node/leadhook.mjs";
import { createHandler } from "../node/node_modules/leadhook/dist/handler.node.mjs";
import { numbered, CREDENTIALS } from "../receiver/deliveries.mjs";

const cli = path.join(root, "pkg", "cli.mjs");
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

test("deliveries lists the store's events by state; replay makes dead letters due again", async () => {
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-cli-")), "leadhook.db");
  let down = true;
  const forwarded = [];
  const handle = createHandler({
    forward: async (record, meta) => {
      if (down) throw Object.assign(new Error("down"), { status: 503 });
      forwarded.push(meta.eventKey);
    },
    auth: { "lead-event.v2": { signingSecret: CREDENTIALS.SIGNING_SECRET } },
    store, maxAttempts: 2, retryDelaySeconds: 0, log: () => {},
  });
  for (const i of [1, 2, 2]) {
    const d = numbered(i);
    await handle(new Request(`http://h.example${d.path}`, { method: "POST", body: d.body, headers: d.headers }));
  }
  await handle.drain();
  await handle.drain();

  const listed = run("deliveries", "--store", store);
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^pending 0, failed 0, forwarded 0, dead 2\n/);
  assert.match(listed.stdout, /dead\s+lead-event\.v2 evt_2 {2}tries 2 \(delivered 2 times\) {2}last error: status 503/);
  const json = JSON.parse(run("deliveries", "--store", store, "--state", "duplicate", "--json").stdout);
  assert.deepEqual(json.events.map((e) => e.eventKey), ["evt_2"]);
  assert.ok(!JSON.stringify(json).includes(CREDENTIALS.SIGNING_SECRET));

  const replayed = run("replay", "--dead", "--store", store);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.match(replayed.stdout, /^2 event\(s\) to be forwarded again/);
  down = false;
  await handle.drain();
  assert.deepEqual(forwarded.sort(), ["evt_1", "evt_2"]);
  const missing = run("replay", "evt_404", "--store", store);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /not in the store: evt_404/);
  const drift = run("drift", "--store", store);
  assert.equal(drift.status, 0, drift.stderr);
  assert.match(drift.stdout, /^no drift|lead-event\.v2/);
  const files = run("drift", "--json", path.join(root, "tests/fixtures/leadsie-v2/vendor-sample.json"), path.join(root, "tests/fixtures/leadsie-v2/every-optional-field.json"));
  assert.equal(files.status, 0, files.stderr);
  assert.equal(typeof JSON.parse(files.stdout), "object");
  assert.equal(run("deliveries", "--store", path.join(os.tmpdir(), "nowhere.db")).status, 2);
  assert.equal(run("deliveries", "--store", store, "--state", "lost").status, 2);
  assert.equal(run("replay", "--store", store).status, 2);
  await handle.close();
});
