// The signed-delivery Worker of docs/api.md (examples/signed-worker.mjs), run as it is in workerd with a
// local KV namespace, signed with node:crypto and forwarding to a sink on 127.0.0.1.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Miniflare } from "miniflare";
import { linkPackage, root, workerModules } from "./cases.mjs";

const examples = path.join(root, "examples");
const SECRET = "whsec_worker_test_41f0";

describe("the signed-delivery Worker of docs/api.md, in workerd", () => {
  let mf, base, sink;
  const received = [];
  let failNext = 0;

  before(async () => {
    sink = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({ key: req.headers["idempotency-key"], record: JSON.parse(body) });
        res.writeHead(200).end("stored");
      });
    });
    await new Promise((ok) => sink.listen(0, "127.0.0.1", ok));
    linkPackage(examples);
    mf = new Miniflare({
      modules: workerModules(examples, "signed-worker.mjs"),
      modulesRoot: root,
      compatibilityDate: "2025-09-01",
      host: "127.0.0.1",
      port: 0,
      kvNamespaces: ["SEEN"],
      bindings: { SIGNING_SECRET: SECRET, FORWARD_URL: `http://127.0.0.1:${sink.address().port}/catch` },
    });
    base = await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
    await new Promise((ok) => sink?.close(ok));
  });

  const body = fs.readFileSync(path.join(root, "tests/fixtures/lead-event-v2/vendor-record-created.json"), "utf8");
  // `signed` is what the signature covers; it is what is sent unless a test changes it on the way.
  const deliver = (text, { secret = SECRET, delivery = "dlv_1", ts = Math.floor(Date.now() / 1000), signed = text } = {}) =>
    fetch(`${base}hook`, {
      method: "POST",
      body: text,
      headers: {
        "content-type": "application/json",
        "x-webhook-timestamp": String(ts),
        "x-webhook-signature": `sha256=${crypto.createHmac("sha256", secret).update(`${ts}.${signed}`).digest("hex")}`,
        "x-webhook-delivery-id": delivery,
        "x-webhook-event": "record.created",
      },
    });

  test("a signed delivery is forwarded once, flat, with its key; a redelivery is acknowledged and dropped", async () => {
    const first = await deliver(body);
    assert.equal(first.status, 200, await first.text());
    assert.equal(received.length, 1);
    assert.equal(received[0].key, "evt_abc123"); // the signed eventId, not the delivery id header
    assert.equal(received[0].record.data__fields__email, "ada@example.com");
    const again = await deliver(body, { delivery: "dlv_forged" }); // a retry, or a replay with a new delivery id
    assert.equal(again.status, 200);
    assert.equal(await again.text(), "duplicate");
    assert.equal(received.length, 1);
  });

  test("another secret, an old timestamp, a body changed after signing: 401, nothing forwarded", async () => {
    const before = received.length;
    assert.equal((await deliver(body, { secret: "whsec_other", delivery: "dlv_2" })).status, 401);
    assert.equal((await deliver(body, { ts: Math.floor(Date.now() / 1000) - 3600, delivery: "dlv_3" })).status, 401);
    assert.equal((await deliver(body.replace("Ada", "Mallory"), { signed: body, delivery: "dlv_4" })).status, 401);
    assert.equal((await deliver("{}", { delivery: "dlv_6" })).status, 422); // signed, but no payload
    assert.equal(received.length, before);
  });

  test("docs/api.md shows this Worker as it is", () => {
    const page = fs.readFileSync(path.join(root, "docs/api.md"), "utf8");
    const file = fs.readFileSync(path.join(examples, "signed-worker.mjs"), "utf8");
    assert.ok(page.includes("```js\n" + file + "```"), "docs/api.md's Worker example differs from examples/signed-worker.mjs");
  });

  test("a failed forward is a 502, so the sender sends again; the retry gets through once", async () => {
    failNext = 1;
    const before = received.length;
    const fifth = body.replace("evt_abc123", "evt_5");
    assert.equal((await deliver(fifth, { delivery: "dlv_5" })).status, 502);
    assert.equal(received.length, before);
    assert.equal((await deliver(fifth, { delivery: "dlv_5" })).status, 200);
    assert.equal((await deliver(fifth, { delivery: "dlv_6" })).status, 200);
    assert.equal(received.filter((r) => r.key === "evt_5").length, 1);
  });
});
