// The same handler under node:http (leadhook/node), without a queue: the sender's answer waits
// for the forward, and a forward that failed is a 502 so that a retrying sender sends it again.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startSink } from "./sink.mjs";
import { CREDENTIALS, KINDS, delivery, numbered } from "./deliveries.mjs";
import "../node/leadhook.mjs"; // links tests/node/node_modules/leadhook to pkg/
// The files `leadhook/node` and `leadhook/handler` resolve to when Node runs the package itself.
import { createNodeHandler } from "../node/node_modules/leadhook/dist/node-http.mjs";
import { createHandler } from "../node/node_modules/leadhook/dist/handler.node.mjs";

const auth = {
  leadsie: { query: "token", value: CREDENTIALS.LEADSIE_TOKEN },
  leadsquared: { header: "X-Webhook-Token", value: CREDENTIALS.LEADSQUARED_TOKEN },
  "lead-event": { secret: CREDENTIALS.LEAD_EVENT_SECRET },
  "lead-event.v2": { signingSecret: CREDENTIALS.SIGNING_SECRET },
};

describe("the receiver under node:http", () => {
  let sink, server, base;
  const lines = [];

  before(async () => {
    sink = await startSink();
    const listener = createNodeHandler({ forward: `${sink.url}/catch`, auth, maxAttempts: 3, retryDelaySeconds: 0, timeoutMs: 2000, log: (l) => lines.push(l) });
    server = http.createServer(listener);
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(async () => {
    await new Promise((ok) => server?.close(ok));
    await sink?.close();
  });

  const send = (d) => fetch(base + d.path, { method: "POST", body: d.body, headers: d.headers });

  test("every kind: right credentials forwarded before the answer, wrong ones refused", async () => {
    for (const kind of KINDS) {
      const before = sink.received.length;
      const wrong = await send(delivery(kind, { wrong: true }));
      assert.equal(wrong.status, kind === "leadsquared" ? 200 : 401, kind);
      assert.equal(sink.received.length, before, `${kind}: nothing forwarded for a refusal`);
      const right = await send(delivery(kind));
      assert.equal(right.status, 200, kind);
      assert.equal(sink.received.length, before + 1, `${kind}: forwarded before the answer`);
    }
    assert.equal((await fetch(`${base}/hook?eventType=Lead_Post_Create`, { method: "HEAD" })).status, 200);
  });

  test("a sink that fails twice: tried three times with one key, then the answer is 200", async () => {
    sink.failTimes.set("evt_7001", 2);
    const res = await send(numbered(7001));
    assert.equal(res.status, 200);
    assert.equal(sink.attempts.get("evt_7001"), 3);
    assert.equal(sink.keys().filter((k) => k === "evt_7001").length, 1);
  });

  test("a sink that is down: 502 (send it again); the sender's retry gets through once it is up", async () => {
    sink.down = true;
    const res = await send(numbered(7002));
    assert.equal(res.status, 502);
    assert.equal((await res.json()).eventKey, "evt_7002");
    sink.down = false;
    assert.equal((await send(numbered(7002))).status, 200);
    assert.deepEqual(sink.keys().filter((k) => k === "evt_7002"), ["evt_7002"]);
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

  test("a signed delivery replayed with new delivery ids keeps its key (the id header is not signed)", async () => {
    const d = numbered(7100);
    for (const id of ["dlv_a", "dlv_b", "dlv_c"]) {
      const res = await send({ ...d, headers: { ...d.headers, "x-webhook-delivery-id": id } });
      assert.equal(res.status, 200);
    }
    assert.deepEqual([...new Set(sink.keys().filter((k) => k.startsWith("evt_7100")))], ["evt_7100"]);
  });

  test("a refusal says why: auth.mismatch, auth.kind", async () => {
    const wrong = await send(delivery("lead-event.v2", { wrong: true }));
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).error, "auth.mismatch");
    assert.ok(lines.some((l) => l.event === "refused" && l.reason === "auth.mismatch"));
    const handle = createHandler({ forward: async () => {}, auth: { leadsie: "none" } });
    const d = delivery("lead-event.v2");
    const res = await handle(new Request(`http://h.example${d.path}`, { method: "POST", body: d.body, headers: d.headers }));
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error, "auth.kind");
  });

  test("no credential in a queued message: Leadsie's ?token= is taken off the URL", async () => {
    const sent = [];
    const handle = createHandler({ forward: async () => {}, auth, queue: { send: async (m) => sent.push(m) } });
    const d = delivery("leadsie.v2");
    assert.match(d.path, /token=/);
    const res = await handle(new Request(`http://h.example${d.path}`, { method: "POST", body: d.body, headers: d.headers }));
    assert.equal(res.status, 202);
    assert.equal(sent.length, 1);
    assert.ok(!JSON.stringify(sent).includes(CREDENTIALS.LEADSIE_TOKEN));
  });

  test("a forward that is not an absolute http(s) URL is refused at creation", () => {
    for (const forward of ["example.com/hook", "/hook", "ftp://example.com/", { url: "hooks.example/x" }]) {
      assert.throws(() => createHandler({ forward, auth: {} }), /absolute http\(s\) URL/, JSON.stringify(forward));
    }
    assert.doesNotThrow(() => createHandler({ forward: "http://127.0.0.1:9/hook", auth: {} }));
  });

  test("behind a body parser: the raw bytes it kept, else 400 body.parsed with the fix", async () => {
    const received = [];
    const listener = createNodeHandler({ forward: async (records) => received.push(records), auth: { "lead-event.v2": "none" } });
    const d = delivery("lead-event.v2");
    // What express.json() leaves: the stream read, req.body an object.
    const parsed = await new Promise((resolve) => {
      const s = http.createServer((req, res) => {
        let text = "";
        req.on("data", (c) => (text += c));
        req.on("end", () => {
          req.body = JSON.parse(text);
          if (req.url === "/kept") req.rawBody = Buffer.from(text);
          listener(req, res);
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
      assert.match(answer.error, /express\.json\(\{ verify/);
      const kept = await fetch(`${at}/kept`, { method: "POST", body: d.body, headers: d.headers });
      assert.equal(kept.status, 200);
      assert.equal(received.length, 1);
    } finally {
      await new Promise((ok) => parsed.close(ok));
    }
  });

  test("no secret in a log line or a forwarded record", () => {
    const text = JSON.stringify(lines) + JSON.stringify(sink.received);
    for (const secret of Object.values(CREDENTIALS)) assert.ok(!text.includes(secret), secret);
    assert.ok(lines.some((l) => l.event === "forwarded") && lines.some((l) => l.event === "refused"));
  });

  test("options are checked at creation", () => {
    assert.throws(() => createHandler({ forward: "https://x.example/", auth: {}, retries: 3 }), /unknown option `retries`/);
    assert.throws(() => createHandler({ auth: {} }), TypeError);
    assert.throws(() => createHandler({ forward: "https://x.example/", auth: { leadsie: { query: "t" } } }), TypeError);
    assert.throws(() => createHandler({ forward: "https://x.example/", auth: { hubspot: "none" } }), TypeError);
  });

  test("forward may be a function; output rows gives one record per asset", async () => {
    const got = [];
    const handle = createHandler({ forward: async (records, meta) => got.push({ records, meta }), output: "rows", auth: { leadsie: "none" } });
    const d = delivery("leadsie.v2");
    const res = await handle(new Request(`http://h.example${d.path}`, { method: "POST", body: d.body, headers: d.headers }));
    assert.equal(res.status, 200);
    assert.equal(got.length, 1);
    assert.ok(Array.isArray(got[0].records) && got[0].records.length >= 1);
    assert.equal(got[0].meta.kind, "leadsie.v2");
    assert.match(got[0].meta.eventKey, /^[0-9a-f]{64}$/);
    const noAuth = createHandler({ forward: async () => {}, auth: {} });
    assert.equal((await noAuth(new Request(`http://h.example${d.path}`, { method: "POST", body: d.body }))).status, 401);
  });
});
