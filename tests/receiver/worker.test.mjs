// The deployable Worker (worker/src/index.mjs) as it is, in Cloudflare's workerd (miniflare) with
// its local Queues: the producer, the consumer with retries and the dead-letter queue, as
// worker/wrangler.toml declares them. A sink on 127.0.0.1 stands in for the catch hook. All
// traffic stays on loopback; every loop is bounded in count and time.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Miniflare } from "miniflare";
import { root, workerModules } from "../workerd/cases.mjs";
import { postRaw, startSink, until } from "./sink.mjs";
import { CREDENTIALS, KINDS, delivery, numbered } from "./deliveries.mjs";

// Small enough that an oversized body fits the loopback socket buffer: it is written whole before
// the early 413 closes the connection, and the client reads the answer rather than a reset.
const MAX = 64 * 1024;

describe("the receiver Worker, in workerd with Queues", () => {
  let mf, base, sink;

  before(async () => {
    sink = await startSink();
    mf = new Miniflare({
      modules: workerModules(path.join(root, "worker/src"), "index.mjs"),
      modulesRoot: root,
      compatibilityDate: "2025-09-01",
      host: "127.0.0.1",
      port: 0,
      bindings: { ...CREDENTIALS, FORWARD_URL: `${sink.url}/catch`, DEAD_LETTER_URL: `${sink.url}/dead`, RETRY_DELAY_SECONDS: "0", QUIET: "1", MAX_BYTES: String(MAX) },
      queueProducers: { DELIVERIES: "leadhook-deliveries" },
      queueConsumers: {
        "leadhook-deliveries": { maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries: 3, deadLetterQueue: "leadhook-dead", retryDelay: 0 },
        "leadhook-dead": { maxBatchSize: 10, maxBatchTimeout: 0.05 },
      },
    });
    base = new URL(await mf.ready);
  });

  after(async () => {
    await mf?.dispose();
    await sink?.close();
  });

  const send = (d) => fetch(new URL(d.path, base), { method: "POST", body: d.body, headers: d.headers });

  test("every kind: right credentials are queued and forwarded, wrong ones refused and never forwarded", async () => {
    for (const kind of KINDS) {
      const before = sink.received.length;
      const wrong = await send(delivery(kind, { wrong: true }));
      if (kind === "leadsquared") {
        assert.equal(wrong.status, 200, kind); // LeadSquared disables endpoints that answer non-200
        assert.deepEqual(await wrong.json(), { Status: "Error", StatusReason: "auth.mismatch" });
      } else {
        assert.equal(wrong.status, 401, kind);
      }
      const right = await send(delivery(kind));
      const answer = await right.json();
      if (kind === "leadsquared") {
        assert.equal(right.status, 200);
        assert.deepEqual(answer, { Status: "Success", StatusReason: "" });
      } else {
        assert.equal(right.status, 202, `${kind}: ${JSON.stringify(answer)}`);
        assert.equal(answer.kind, kind);
      }
      assert.ok(await until(() => sink.received.length === before + 1, 10000), `${kind}: forwarded once`);
      const got = sink.received.at(-1);
      assert.equal(got.kind, kind);
      assert.match(got.key, /^(evt_1|[0-9a-f]{64})$/);
      assert.equal(typeof got.body, "object");
      assert.ok(!JSON.stringify(got.body).includes(CREDENTIALS.LEAD_EVENT_SECRET), `${kind}: no secret forwarded`);
    }
  });

  test("LeadSquared manners: HEAD is 200; an invalid or oversized body is a 200 with Status Error", async () => {
    assert.equal((await fetch(new URL("/hook?eventType=Lead_Post_Create", base), { method: "HEAD" })).status, 200);
    // A repeated key is an error (an optional field of the wrong type would only be a warning).
    const d = delivery("leadsquared", { body: '{"ProspectID": "a", "ProspectID": "b"}' });
    const bad = await send(d);
    assert.equal(bad.status, 200);
    const answer = await bad.json();
    assert.equal(answer.Status, "Error");
    assert.match(answer.StatusReason, /^invalid leadsquared payload/);
    const ls = delivery("leadsquared");
    const big = await postRaw(new URL(ls.path, base), ls.headers, "x".repeat(MAX + 1));
    assert.equal(big.status, 200);
    assert.equal(JSON.parse(big.text).Status, "Error");
  });

  test("other kinds: 413 for an oversized body, 422 with the report for an invalid one; nothing forwarded", async () => {
    const before = sink.received.length;
    const d = delivery("leadsie.v2");
    const big = await postRaw(new URL(d.path, base), d.headers, "{" + " ".repeat(MAX) + "}");
    assert.equal(big.status, 413);
    const invalid = await send(delivery("leadsie.v2", { body: '{"apiVersion":2,"status":"SUCCESS","connectionAssets":[{}]}' }));
    assert.equal(invalid.status, 422);
    const { report } = await invalid.json();
    assert.equal(report.kind, "leadsie.v2");
    assert.ok(report.errors.some((e) => e.code === "field.missing" && e.path === "/requestUrl"));
    const unknown = await send({ path: "/hook", body: '{"hello":"world"}', headers: {} });
    assert.equal(unknown.status, 422);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sink.received.length, before);
  });

  test("a sink that fails twice: the record arrives, with the same Idempotency-Key each try", async () => {
    const d = numbered(9001);
    sink.failTimes.set("evt_9001", 2);
    assert.equal((await send(d)).status, 202);
    assert.ok(await until(() => sink.keys().includes("evt_9001"), 15000), "delivered after two failures");
    assert.equal(sink.attempts.get("evt_9001"), 3);
    assert.equal(sink.keys().filter((k) => k === "evt_9001").length, 1);
  });

  test("a sink that is down: the message ends in the dead-letter queue, with its report", async () => {
    sink.down = true;
    try {
      assert.equal((await send(numbered(9002))).status, 202);
      assert.ok(await until(() => sink.keys("/dead").includes("evt_9002"), 20000), "dead-lettered");
      const dead = sink.received.find((r) => r.path === "/dead" && r.key === "evt_9002");
      assert.equal(dead.body.kind, "lead-event.v2");
      assert.equal(dead.body.report.ok, true);
      assert.equal(dead.body.records[0].eventId, "evt_9002");
      assert.equal(sink.attempts.get("evt_9002"), 4); // the first try and maxRetries (3) more
      assert.ok(!sink.keys().includes("evt_9002"));
    } finally {
      sink.down = false;
    }
  });

  test("load: 1,000 deliveries, 50 in flight; every acknowledged one is delivered", async () => {
    const N = 1000;
    const inFlight = 50;
    const latencies = [];
    const acked = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const t = performance.now();
        const res = await send(numbered(10000 + i));
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status === 202) acked.push(`evt_${10000 + i}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const ackSeconds = (performance.now() - started) / 1000;
    const deliveredAll = await until(() => acked.every((k) => sink.attempts.has(k)) && sink.keys().filter((k) => k.startsWith("evt_1")).length >= acked.length, 60000);
    const deliveredSeconds = (performance.now() - started) / 1000;
    const delivered = new Set(sink.keys());
    const missing = acked.filter((k) => !delivered.has(k));
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    console.log(
      `load: ${acked.length}/${N} acknowledged in ${ackSeconds.toFixed(2)} s (${(N / ackSeconds).toFixed(0)} deliveries/s), ` +
        `ack latency p50 ${pct(50)} ms, p99 ${pct(99)} ms; all delivered after ${deliveredSeconds.toFixed(2)} s; missing ${missing.length}`,
    );
    assert.equal(acked.length, N);
    assert.ok(deliveredAll, `${missing.length} acknowledged deliveries never reached the sink`);
    assert.deepEqual(missing, []);
  });
});
