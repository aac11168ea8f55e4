// Event keys hashed by Node's node:crypto, as events() and eventKey() hash them where it is at
// hand, against the module's own SHA-256: both in a Node with no node:crypto to find, on every
// fixture (LeadSquared arrays of many events included); and a payload's one event keyed as
// eventKey() keys the payload. A key that moved would let a receiver's store deliver an event twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { esm, root } from "./leadhook.mjs";
import { cases } from "./fixtures.mjs";

const { events, eventKey, validate } = esm;

const valid = cases().filter((c) => validate(c.body, c.expect.opts).ok);

test("this Node hashes event keys with node:crypto (else the tests below compare the module with itself)", () => {
  const crypto = process.getBuiltinModule?.("node:crypto");
  assert.equal(typeof crypto?.hash, "function");
  const c = valid.find((v) => v.name.startsWith(`leadsquared${path.sep}activities-bulk.`));
  // The first call that hashes finds node:crypto and checks it once, on the empty input.
  eventKey(c.body, c.expect.opts);
  const hash = crypto.hash;
  let calls = 0;
  crypto.hash = (...args) => (calls++, hash(...args));
  try {
    const each = events(c.body, c.expect.opts);
    eventKey(c.body, c.expect.opts);
    assert.equal(calls, each.length + 1, "one hash per event, and eventKey's");
  } finally {
    crypto.hash = hash;
  }
});

test("a payload's one event has the key eventKey() gives it", () => {
  let hashed = 0;
  for (const c of valid) {
    const opts = c.expect.opts;
    const each = events(c.body, opts);
    if (each.length !== 1 || each[0].kind === "leadsquared") continue;
    assert.equal(each[0].eventKey, eventKey(c.body, opts), c.name);
    if (/^[0-9a-f]{64}$/.test(each[0].eventKey)) hashed++;
  }
  assert.ok(hashed > 20, `${hashed} hashed keys compared`);
});

test("events() and eventKey() give the same keys where the module hashes them", () => {
  const script = `
    process.getBuiltinModule = undefined;
    const { events, eventKey } = await import(${JSON.stringify(new URL("../../pkg/dist/leadhook.inline.mjs", import.meta.url).href)});
    const { cases } = await import(${JSON.stringify(new URL("./fixtures.mjs", import.meta.url).href)});
    const keys = {};
    for (const c of cases()) {
      try { keys[c.name] = [eventKey(c.body, c.expect.opts), ...events(c.body, c.expect.opts).map((e) => e.eventKey)]; } catch {}
    }
    process.stdout.write(JSON.stringify(keys));`;
  const theirs = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, maxBuffer: 1 << 26 }));
  let compared = 0;
  for (const c of valid) {
    const ours = [eventKey(c.body, c.expect.opts), ...events(c.body, c.expect.opts).map((e) => e.eventKey)];
    assert.deepEqual(ours, theirs[c.name], c.name);
    compared++;
  }
  assert.equal(compared, valid.length);
});

test("node:crypto is loaded by the first call that hashes, not by the import", () => {
  // Loading it takes 1.6 ms of a fresh process's start-up, which a process that never hashes
  // should not pay (docs/speed.md).
  const body = JSON.stringify({ id_space: "a", event: "lead.create", secret: "s", payload: {} });
  const script = `
    const loaded = () => process.moduleLoadList.filter((m) => /crypto/.test(m)).length;
    const { validate, flatten, events } = await import(${JSON.stringify(new URL("../../pkg/dist/leadhook.node.mjs", import.meta.url).href)});
    validate(${JSON.stringify(body)});
    flatten(${JSON.stringify(body)});
    const before = loaded();
    events(${JSON.stringify(body)});
    process.stdout.write(JSON.stringify([before, loaded()]));`;
  const [before, after] = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root }));
  assert.equal(before, 0, "node:crypto loaded by the import, validate or flatten");
  assert.ok(after > 0, "events did not load node:crypto (is process.moduleLoadList still there?)");
});
