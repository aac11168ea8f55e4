// The deployable Worker (worker/src/index.mjs) as it is, in Cloudflare's workerd (miniflare) with
// its local Queues (the producer, the consumer, the dead-letter queue) and D1, as
// worker/wrangler.toml declares them. A sink on 127.0.0.1 stands in for the catch hook. All
// traffic stays on loopback; every loop is bounded in count and time.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { postRaw, startSink, until } from "./sink.mjs";
import { ADMIN_TOKEN, startWorker } from "./worker.mjs";
import { CREDENTIALS, KINDS, delivery, numbered } from "./deliveries.mjs";

// Small enough that an oversized body fits the loopback socket buffer: it is written whole before
// the early 413 closes the connection, and the client reads the answer rather than a reset.
const MAX = 64 * 1024;

describe("the receiver Worker, in workerd with Queues and D1", () => {
  let mf, base, sink;

  before(async () => {
    sink = await startSink();
    mf = startWorker(sink);
    base = new URL(await mf.ready);
  });

  after(async () => {
    await mf?.dispose();
    await sink?.close();
  });

  const send = (d) => fetch(new URL(d.path, base), { method: "POST", body: d.body, headers: d.headers });
  const atSink = (key) => sink.keys().filter((k) => k === key).length;

  test("every kind: right credentials stored and forwarded once, wrong ones refused and never forwarded", async () => {
    for (const kind of KINDS) {
      const before = sink.received.length;
      const wrong = await send(delivery(kind, { wrong: true }));
      if (kind === "leadsquared") {
        assert.equal(wrong.status, 200, kind); // LeadSquared disables endpoints that answer non-200
        assert.deepEqual(await wrong.json(), { Status: "Error", StatusReason: "auth.mismatch" });
      } else {
        assert.equal(wrong.status, 401, kind);
        assert.match((await wrong.json()).reason, /^(auth\.mismatch|signature\.mismatch)$/);
      }
      const right = await send(delivery(kind));
      const answer = await right.json();
      if (kind === "leadsquared") {
        assert.deepEqual([right.status, answer], [200, { Status: "Success", StatusReason: "" }]);
      } else {
        assert.equal(right.status, 202, `${kind}: ${JSON.stringify(answer)}`);
        assert.equal(answer.kind, kind);
      }
      assert.ok(await until(() => sink.received.length === before + 1, 10000), `${kind}: forwarded once`);
      const got = sink.received.at(-1);
      assert.equal(got.kind, kind);
      assert.equal(typeof got.body, "object");
      assert.ok(!JSON.stringify(got.body).includes(CREDENTIALS.LEAD_EVENT_SECRET), `${kind}: no secret forwarded`);
    }
  });

  test("LeadSquared manners: HEAD and an empty POST are 200 Success; an invalid or oversized body is a 200 with Status Error", async () => {
    assert.equal((await fetch(new URL("/hook?eventType=Lead_Post_Create", base), { method: "HEAD" })).status, 200);
    const empty = await fetch(new URL("/hook", base), { method: "POST", body: "" });
    assert.deepEqual([empty.status, await empty.json()], [200, { Status: "Success", StatusReason: "" }]);
    // A repeated key is an error (an optional field of the wrong type would only be a warning).
    const bad = await send(delivery("leadsquared", { body: '{"ProspectID": "a", "ProspectID": "b"}' }));
    assert.deepEqual([bad.status, await bad.json()], [200, { Status: "Error", StatusReason: "body.invalid" }]);
    const ls = delivery("leadsquared");
    const big = await postRaw(new URL(ls.path, base), ls.headers, "x".repeat(MAX + 1));
    assert.deepEqual([big.status, JSON.parse(big.text)], [200, { Status: "Error", StatusReason: "body.too_large" }]);
  });

  test("other kinds: 413 for an oversized body, 422 with the report for an invalid one; nothing forwarded", async () => {
    const before = sink.received.length;
    const d = delivery("leadsie.v2");
    const big = await postRaw(new URL(d.path, base), d.headers, "{" + " ".repeat(MAX) + "}");
    assert.equal(big.status, 413);
    const invalid = await send(delivery("leadsie.v2", { body: '{"apiVersion":2,"status":"SUCCESS","connectionAssets":[{}]}' }));
    assert.equal(invalid.status, 422);
    const { reason, report } = await invalid.json();
    assert.equal(reason, "body.invalid");
    assert.equal(report.kind, "leadsie.v2");
    assert.ok(report.errors.some((e) => e.code === "field.missing"));
    const unknown = await send({ path: "/hook", body: '{"hello":"world"}', headers: {} });
    assert.equal(unknown.status, 401, "no credential: refused before the body is read as a payload");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sink.received.length, before);
  });

  test("the same delivery sent 3 times, and with forged delivery ids: forwarded once", async () => {
    const d = numbered(9100);
    for (const id of ["dlv_1", "dlv_1", "dlv_2", "dlv_3"]) {
      const res = await send({ ...d, headers: { ...d.headers, "x-webhook-delivery-id": id } });
      assert.equal(res.status, 202);
    }
    assert.ok(await until(() => atSink("evt_9100") === 1, 10000));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(atSink("evt_9100"), 1);
  });

  test("a sink that fails twice: the record arrives, with the same Idempotency-Key each try", async () => {
    sink.failTimes.set("evt_9001", 2);
    assert.equal((await send(numbered(9001))).status, 202);
    assert.ok(await until(() => atSink("evt_9001") === 1, 15000), "delivered after two failures");
    assert.equal(sink.attempts.get("evt_9001"), 3);
  });

  test("a sink that is down: a dead letter after the last try, listed, and replayed on demand", async () => {
    sink.down = true;
    try {
      assert.equal((await send(numbered(9002))).status, 202);
      assert.ok(await until(() => sink.keys("/dead").includes("evt_9002"), 20000), "dead-lettered");
      const dead = sink.received.find((r) => r.path === "/dead" && r.key === "evt_9002");
      assert.deepEqual([dead.body.kind, dead.body.record.eventId, dead.body.error], ["lead-event.v2", "evt_9002", "status 503"]);
      assert.equal(sink.attempts.get("evt_9002"), 4); // MAX_ATTEMPTS
    } finally {
      sink.down = false;
    }
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    assert.equal((await fetch(new URL("/_leadhook/deliveries", base))).status, 401, "the admin paths need the token");
    const listed = await (await fetch(new URL("/_leadhook/deliveries?state=dead", base), { headers: admin })).json();
    assert.ok(listed.events.some((e) => e.eventKey === "evt_9002" && e.lastError === "status 503"));
    const replay = await fetch(new URL("/_leadhook/replay", base), { method: "POST", headers: admin, body: JSON.stringify({ keys: ["evt_9002"] }) });
    assert.deepEqual((await replay.json()).replayed, ["evt_9002"]);
    assert.ok(await until(() => atSink("evt_9002") === 1, 10000), "replayed");
  });

  test("a LeadSquared bulk of 4 MB: accepted, and every record delivered", { timeout: 120000 }, async () => {
    const big = startWorker(sink, { maxBytes: 5 * 1024 * 1024 });
    const at = new URL(await big.ready);
    try {
      const record = (i) => ({ ProspectID: `lead-${i}`, FirstName: "Ada", LastName: "Lovelace", EmailAddress: `ada${i}@example.com`, mx_Notes: "n".repeat(300) });
      const list = [];
      for (let i = 0, size = 0; size < 4 * 1024 * 1024; i++) {
        list.push(record(i));
        size += JSON.stringify(record(i)).length + 1;
      }
      const body = JSON.stringify(list);
      const ls = delivery("leadsquared");
      const res = await fetch(new URL(ls.path, at), { method: "POST", body, headers: ls.headers });
      assert.deepEqual([res.status, await res.json()], [200, { Status: "Success", StatusReason: "" }]);
      const want = new Set(list.map((r) => r.ProspectID));
      const got = () => new Set(sink.received.filter((r) => r.body && want.has(r.body.ProspectID)).map((r) => r.body.ProspectID));
      assert.ok(await until(() => got().size === want.size, 90000), `delivered ${got().size} of ${want.size}`);
      console.log(`bulk: ${(body.length / 1048576).toFixed(2)} MB, ${want.size} records, all delivered`);
    } finally {
      await big.dispose();
    }
  });
});
