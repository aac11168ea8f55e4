// The handler under node:http (leadhook/node) with its SQLite store: every event stored before
// the answer, forwarded once per eventKey by the loop in the process, retried, kept when it
// cannot be delivered. Sinks on 127.0.0.1; every wait bounded.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startSink, until } from "./sink.mjs";
import { AUTH, CREDENTIALS, KINDS, delivery, numbered } from "./deliveries.mjs";
import "../node/leadhook.mjs"; // links tests/node/node_modules/leadhook to pkg/
// The files `leadhook/node` and `leadhook/handler` resolve to when Node runs the package itself.
import { createNodeHandler } from "../node/node_modules/leadhook/dist/node-http.mjs";
import { createHandler } from "../node/node_modules/leadhook/dist/handler.node.mjs";
import * as leadhook from "../node/node_modules/leadhook/dist/leadhook.node.mjs";
import { createReceiver } from "../node/node_modules/leadhook/receiver.js";
import * as stores from "../node/node_modules/leadhook/store.js";
import { createRequire } from "node:module";

const auth = AUTH;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-receiver-"));
const storeFile = (name) => path.join(tmp, `${name}.db`);
const request = (d, base = "http://h.example") => new Request(`${base}${d.path}`, { method: "POST", body: d.body, headers: d.headers });

describe("the receiver under node:http, with its SQLite store", () => {
  let sink, server, base, listener;
  const lines = [];

  before(async () => {
    sink = await startSink();
    listener = createNodeHandler({
      forward: `${sink.url}/catch`, auth, store: storeFile("main"), maxAttempts: 3, retryDelaySeconds: 0.05, timeoutMs: 2000, log: (l) => lines.push(l),
    });
    server = http.createServer(listener);
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(async () => {
    await new Promise((ok) => server?.close(ok));
    await listener?.close();
    await sink?.close();
  });

  const send = (d) => fetch(base + d.path, { method: "POST", body: d.body, headers: d.headers });
  const atSink = (key) => sink.keys().filter((k) => k === key).length;

  test("every kind: right credentials stored, answered, then forwarded; wrong ones refused and never forwarded", async () => {
    for (const kind of KINDS) {
      const before = sink.received.length;
      const wrong = await send(delivery(kind, { wrong: true }));
      assert.equal(wrong.status, kind === "leadsquared" ? 200 : 401, kind);
      const right = await send(delivery(kind));
      const answer = await right.json();
      if (kind === "leadsquared") assert.deepEqual([right.status, answer], [200, { Status: "Success", StatusReason: "" }]);
      else assert.deepEqual([right.status, answer.ok, answer.kind], [202, true, kind]);
      assert.ok(await until(() => sink.received.length === before + 1), `${kind}: forwarded once`);
      assert.equal(sink.received.at(-1).kind, kind);
    }
  });

  test("the same delivery sent 3 times: forwarded once, the others answered as duplicates", async () => {
    const d = numbered(7300);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await (await send(d)).json());
    assert.deepEqual(answers.map((a) => a.duplicates), [0, 1, 1]);
    assert.ok(await until(() => atSink("evt_7300") === 1));
    await listener.drain();
    assert.equal(atSink("evt_7300"), 1);
    assert.ok(lines.some((l) => l.event === "duplicate" && l.eventKeys.includes("evt_7300")));
  });

  test("an empty LeadSquared array: acknowledged as LeadSquared wants, logged as empty, nothing forwarded", async () => {
    const before = sink.received.length;
    const res = await send(delivery("leadsquared", { body: "[]" }));
    assert.deepEqual([res.status, await res.json()], [200, { Status: "Success", StatusReason: "" }]);
    assert.ok(lines.some((l) => l.event === "empty" && l.kind === "leadsquared" && l.eventKeys.length === 0));
    await listener.drain();
    assert.equal(sink.received.length, before);
  });

  test("a sink that fails twice: tried three times with one key, forwarded once", async () => {
    sink.failTimes.set("evt_7001", 2);
    assert.equal((await send(numbered(7001))).status, 202);
    assert.ok(await until(() => atSink("evt_7001") === 1));
    assert.equal(sink.attempts.get("evt_7001"), 3);
  });

  test("a sink that stays down: the event is a dead letter, listed, and a replay delivers it", async () => {
    sink.down = true;
    assert.equal((await send(numbered(7002))).status, 202);
    const store = listener.store();
    assert.ok(await until(async () => (await store.list({ state: "dead" })).some((e) => e.eventKey === "evt_7002")));
    const dead = (await store.list({ state: "dead" })).find((e) => e.eventKey === "evt_7002");
    assert.equal(dead.tries, 3);
    assert.equal(dead.lastError, "status 503");
    assert.ok(lines.some((l) => l.event === "dead letter" && l.eventKey === "evt_7002"));
    sink.down = false;
    assert.deepEqual(await store.replay(["evt_7002"], Date.now()), ["evt_7002"]);
    await listener.drain();
    assert.equal(atSink("evt_7002"), 1);
  });

  test("a LeadSquared array of 500 activities: 500 events at the sink, each with its own key", async () => {
    const activity = (i) => ({
      ProspectActivityId: `act-${i}`,
      RelatedProspectId: "p-1",
      ActivityEvent: 22,
      ActivityEventName: "Outbound Phone Call Activity",
      CreatedOn: "2024-05-02 09:20:00",
      Data: { mx_Custom_1: `Answered ${i}`, Status: "Active" },
    });
    const body = JSON.stringify(Array.from({ length: 500 }, (_, i) => activity(i)));
    const before = sink.received.length;
    const res = await fetch(`${base}/hook?eventType=Activity_Post_Create`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-webhook-token": CREDENTIALS.LEADSQUARED_TOKEN },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { Status: "Success", StatusReason: "" });
    assert.ok(await until(() => sink.received.length >= before + 500));
    const got = sink.received.slice(before);
    assert.equal(got.length, 500);
    assert.equal(new Set(got.map((r) => r.key)).size, 500);
    assert.deepEqual(got.map((r) => r.body.ProspectActivityId), Array.from({ length: 500 }, (_, i) => `act-${i}`));
  });

  test("LeadSquared checks a new endpoint with HEAD and an empty POST: both 200 Success", async () => {
    const before = sink.received.length;
    const head = await fetch(`${base}/hook`, { method: "HEAD" });
    assert.equal(head.status, 200);
    const empty = await fetch(`${base}/hook`, { method: "POST", body: "" });
    assert.equal(empty.status, 200);
    assert.deepEqual(await empty.json(), { Status: "Success", StatusReason: "" });
    assert.equal(sink.received.length, before, "nothing forwarded");
  });

  test("a signed delivery replayed with forged delivery ids is forwarded once (the id header is not signed)", async () => {
    const d = numbered(7100);
    for (const id of ["dlv_a", "dlv_b", "dlv_c", "dlv_d"]) {
      const res = await send({ ...d, headers: { ...d.headers, "x-webhook-delivery-id": id } });
      assert.equal(res.status, 202);
    }
    await listener.drain();
    assert.ok(await until(() => atSink("evt_7100") === 1));
    assert.deepEqual(sink.keys().filter((k) => k.startsWith("evt_7100")), ["evt_7100"]);
  });

  test("a refusal says why, in the answer and the log", async () => {
    const v2 = delivery("lead-event.v2", { wrong: true });
    const wrong = await send(v2);
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).reason, "signature.mismatch");
    const unsigned = await send({ ...v2, headers: { "content-type": "application/json" } });
    assert.equal((await unsigned.json()).reason, "auth.missing");
    const stale = delivery("lead-event.v2");
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const staleAnswer = await send({ ...stale, headers: { ...stale.headers, "x-webhook-timestamp": old } });
    assert.equal((await staleAnswer.json()).reason, "signature.timestamp.stale");
    const lsq = await send(delivery("leadsquared", { wrong: true }));
    assert.deepEqual(await lsq.json(), { Status: "Error", StatusReason: "auth.mismatch" });
    const get = await fetch(`${base}/hook`);
    assert.deepEqual([get.status, (await get.json()).reason], [405, "method"]);
    for (const reason of ["signature.mismatch", "auth.missing", "signature.timestamp.stale", "auth.mismatch", "method"]) {
      assert.ok(lines.some((l) => l.event === "refused" && l.reason === reason), reason);
    }
    const handle = createHandler({ forward: async () => {}, auth: { leadsie: "none" }, store: ":memory:" });
    const res = await handle(request(delivery("lead-event.v2")));
    assert.deepEqual([res.status, (await res.json()).reason], [401, "auth.kind"]);
    await handle.close();
  });

  test("no credential in the store, a queue message, a log line or a forward", async () => {
    const sent = [];
    const handle = createHandler({ forward: async () => {}, auth, store: storeFile("queued"), queue: { send: async (m) => sent.push(m) } });
    const d = delivery("leadsie.v2");
    assert.match(d.path, /token=/);
    const res = await handle(request(d));
    assert.equal(res.status, 202);
    assert.deepEqual(Object.keys(sent[0]).sort(), ["delivery", "v"]);
    await handle.close();
    const text = fs.readFileSync(storeFile("queued")).toString("latin1") + JSON.stringify(sent) + JSON.stringify(lines) + JSON.stringify(sink.received);
    for (const secret of Object.values(CREDENTIALS)) assert.ok(!text.includes(secret), secret);
  });

  test("a queue message delivered again (a consumer that died before its ack): each eventKey forwarded once", async () => {
    const sent = [];
    const got = [];
    let fail = true;
    const handle = createHandler({
      forward: async (record, meta) => {
        if (fail) {
          fail = false;
          throw new Error("the consumer dies mid-batch");
        }
        got.push(meta.eventKey);
      },
      auth, store: ":memory:", queue: { send: async (m) => sent.push(m) }, retryDelaySeconds: 0, log: () => {},
    });
    const body = JSON.stringify([1, 2, 3].map((i) => ({ ProspectActivityId: `q-${i}`, RelatedProspectId: "p", ActivityEvent: 22 })));
    const d = { ...delivery("leadsquared"), body };
    assert.equal((await handle(request(d))).status, 200);
    assert.equal(sent.length, 1);
    const message = (attempts) => {
      const m = { id: "m1", body: sent[0], attempts, acked: false, retried: false, ack() { m.acked = true; }, retry() { m.retried = true; } };
      return m;
    };
    const first = message(1);
    await handle.queue({ queue: "leadhook-deliveries", messages: [first] });
    // The same message again, and again after the consumer had forwarded and marked everything.
    for (let attempts = 2; attempts <= 3; attempts++) await handle.queue({ queue: "leadhook-deliveries", messages: [message(attempts)] });
    assert.deepEqual([...got].sort(), [...new Set(got)].sort(), "no key twice");
    assert.equal(got.length, 3);
    await handle.close();
  });

  test("credentials before work: a 4.8 MB hostile body without them is refused with no validation", async () => {
    const calls = [];
    const spied = Object.fromEntries(Object.entries(leadhook).map(([name, fn]) => [name, typeof fn === "function" ? (...a) => (calls.push(name), fn(...a)) : fn]));
    const handle = createReceiver(spied, { stores, load: createRequire(import.meta.url) })({ forward: async () => {}, auth, store: ":memory:", log: () => {} });
    // Deep nesting and a million short keys: what would cost the most to validate.
    const hostile = "[".repeat(2000) + "]".repeat(2000) + JSON.stringify(Object.fromEntries(Array.from({ length: 200000 }, (_, i) => [`k${i}`, i])));
    const body = `{"a":${JSON.stringify(hostile)}, "b": [${"{\"x\":1},".repeat(180000)}{}]}`;
    assert.ok(body.length > 4.5e6 && body.length < 5 * 1024 * 1024, String(body.length));
    for (const headers of [{}, { "x-webhook-token": "wrong" }, { "x-webhook-signature": "sha256=" + "0".repeat(64), "x-webhook-timestamp": String(Math.floor(Date.now() / 1000)) }]) {
      calls.length = 0;
      const res = await handle(new Request("http://h.example/hook", { method: "POST", body, headers }));
      const answer = await res.json();
      // LeadSquared's header marks a LeadSquared request: its refusal is a 200 with Status Error.
      assert.ok(res.status === 401 || answer.Status === "Error", JSON.stringify(answer));
      assert.deepEqual(calls.filter((c) => !["verifyHeader", "checkSignature", "verifySecret"].includes(c)), [], "nothing but the credential checks ran");
    }
    await handle.close();
  });

  test("drift: an undocumented field of a live delivery is counted in the store, by name only", async () => {
    const d = delivery("leadsie.v2");
    const body = JSON.stringify({ ...JSON.parse(d.body), requestColour: "teal-7731" });
    for (let i = 0; i < 2; i++) assert.equal((await send({ ...d, body: body.replace("}", `,"n":${i}}`) })).status, 202);
    const drift = await listener.store().drift();
    const field = drift["leadsie.v2"].find((f) => f.path === "/requestColour");
    assert.deepEqual([field.code, field.count], ["field.unknown", 2]);
    assert.ok(!JSON.stringify(drift).includes("teal-7731"));
  });

  test("a forward that is not an absolute http(s) URL is refused at creation", () => {
    for (const forward of ["example.com/hook", "/hook", "ftp://example.com/", { url: "hooks.example/x" }]) {
      assert.throws(() => createHandler({ forward, auth: {}, store: ":memory:" }), /absolute http\(s\) URL/, JSON.stringify(forward));
    }
  });

  test("a store that cannot be written: 503 (LeadSquared: Status Error), nothing acknowledged", async () => {
    const broken = { add: async () => { throw Object.assign(new Error("disk full"), { code: "SQLITE_FULL" }); }, claim: async () => [], prune: async () => {} };
    const got = [];
    const handle = createHandler({ forward: async () => {}, auth, store: broken, log: (l) => got.push(l) });
    const res = await handle(request(numbered(7400)));
    assert.deepEqual([res.status, (await res.json()).reason], [503, "store.unavailable"]);
    const lsq = await handle(request(delivery("leadsquared")));
    assert.deepEqual([lsq.status, await lsq.json()], [200, { Status: "Error", StatusReason: "store.unavailable" }]);
    assert.ok(got.some((l) => l.reason === "store.unavailable" && l.error === "SQLITE_FULL"));
    await handle.close();
  });

  test("a locked store file: 503, then stored once the lock is gone", async () => {
    const file = storeFile("locked");
    const handle = createHandler({ forward: async () => {}, auth, store: file, log: () => {} });
    const { default: Database } = await import("better-sqlite3");
    const other = new Database(file);
    other.pragma("busy_timeout = 0");
    other.exec("BEGIN EXCLUSIVE");
    // The handler waits for the lock up to its busy timeout (5 s), then refuses.
    const res = await handle(request(numbered(7401)));
    assert.equal(res.status, 503);
    other.exec("ROLLBACK");
    other.close();
    assert.equal((await handle(request(numbered(7401)))).status, 202);
    await handle.close();
  });

  test("options are checked at creation; a store is SQLite unless one is given", () => {
    const ok = { forward: "https://x.example/", store: ":memory:" };
    assert.throws(() => createHandler({ ...ok, auth: {}, retries: 3 }), /unknown option `retries`/);
    assert.throws(() => createHandler({ store: ":memory:", auth: {} }), TypeError);
    assert.throws(() => createHandler({ ...ok, auth: { leadsie: { query: "t" } } }), TypeError);
    assert.throws(() => createHandler({ ...ok, auth: { hubspot: "none" } }), TypeError);
    assert.throws(() => createHandler({ ...ok, auth: { "lead-event": { header: "x", value: "y" } } }), /must be \{ secret \}/);
    assert.throws(() => createHandler({ ...ok, auth: {}, store: 42 }), /store/);
    assert.doesNotThrow(() => createHandler({ ...ok, auth: { leadsquared: { query: "token", value: "t" } } }).close());
  });

  test("forward may be a function; output rows gives one forward of the delivery's rows", async () => {
    const got = [];
    const handle = createHandler({ forward: async (records, meta) => got.push({ records, meta }), output: "rows", auth: { leadsie: "none" }, store: ":memory:" });
    const res = await handle(request(delivery("leadsie.v2")));
    assert.equal(res.status, 202);
    await handle.drain();
    assert.equal(got.length, 1);
    assert.ok(Array.isArray(got[0].records) && got[0].records.length >= 1);
    assert.equal(got[0].meta.kind, "leadsie.v2");
    assert.match(got[0].meta.eventKey, /^leadsie\.v2:[0-9a-f]{64}$|^[0-9a-f]{64}$/);
    await handle.close();
  });

  test("activityFields: each forwarded activity has its event's names; a bad value is refused at creation", async () => {
    const ok = { forward: "https://x.example/", store: ":memory:", auth: { leadsquared: "none" } };
    assert.throws(() => createHandler({ ...ok, activityFields: { 22: "StartTime" } }), /`activityFields` must be an object of objects of strings/);
    const got = [];
    const activityFields = { 22: { mx_Custom_2: "StartTime" }, 203: { mx_Custom_2: "NextStep" } };
    const handle = createHandler({ ...ok, forward: async (record, meta) => got.push({ record, meta }), activityFields });
    const body = fs.readFileSync(new URL("../fixtures/leadsquared/activities-rev3.json", import.meta.url), "utf8");
    const res = await handle(request(delivery("leadsquared", { body })));
    assert.equal(res.status, 200);
    await handle.drain();
    assert.equal(got.length, 2);
    const byEvent = Object.fromEntries(got.map(({ record }) => [String(record.ActivityEvent), record]));
    assert.equal(byEvent["22"].Data__StartTime, "2024-05-06 09:56:59");
    assert.equal(byEvent["22"]["Data__Note__Call Type"], "Outbound");
    assert.equal(byEvent["203"].Data__NextStep, "Send a proposal");
    assert.equal(byEvent["203"].Data__mx_Custom_1, "Interested");
    assert.ok(!("Data__mx_Custom_2" in byEvent["22"]) && !("Data__mx_Custom_2" in byEvent["203"]));
    await handle.close();
  });

  test("behind a body parser: the raw bytes it kept, else 400 body.parsed with the fix", async () => {
    const received = [];
    const l = createNodeHandler({ forward: async (records) => received.push(records), auth: { "lead-event.v2": "none" }, store: ":memory:" });
    const d = delivery("lead-event.v2");
    // What express.json() leaves: the stream read, req.body an object.
    const parsed = await new Promise((resolve) => {
      const s = http.createServer((req, res) => {
        let text = "";
        req.on("data", (c) => (text += c));
        req.on("end", () => {
          req.body = JSON.parse(text);
          if (req.url === "/kept") req.rawBody = Buffer.from(text);
          l(req, res);
        });
      });
      s.listen(0, "127.0.0.1", () => resolve(s));
    });
    const at = `http://127.0.0.1:${parsed.address().port}`;
    try {
      const refused = await fetch(`${at}/hook`, { method: "POST", body: d.body, headers: d.headers });
      assert.equal(refused.status, 400);
      const answer = await refused.json();
      assert.equal(answer.reason, "body.parsed");
      assert.match(answer.message, /express\.json\(\{ verify/);
      const kept = await fetch(`${at}/kept`, { method: "POST", body: d.body, headers: d.headers });
      assert.equal(kept.status, 202);
      await l.drain();
      assert.equal(received.length, 1);
    } finally {
      await new Promise((ok) => parsed.close(ok));
      await l.close();
    }
  });
});
