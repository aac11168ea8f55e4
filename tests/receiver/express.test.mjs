// leadhook/node in Express, as docs/receiving.md shows it: with nothing in front, behind
// express.json({ verify }) keeping the raw bytes, and behind express.json() alone (a clear
// 400 body.parsed with the fix, logged; never a silent 500). Servers on 127.0.0.1.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { delivery } from "./deliveries.mjs";
import "../node/leadhook.mjs"; // links tests/node/node_modules/leadhook to pkg/
import { createNodeHandler } from "../node/node_modules/leadhook/dist/node-http.mjs";

describe("leadhook/node in Express", () => {
  let server, base;
  const forwarded = [];
  const listeners = [];
  const listener = () => {
    const l = createNodeHandler({ forward: async (record, meta) => forwarded.push(meta.eventKey), auth: { "lead-event.v2": "none", leadsquared: "none" }, store: ":memory:", log: () => {} });
    listeners.push(l);
    return l;
  };

  before(async () => {
    const app = express();
    app.post("/plain", listener());
    app.post("/kept", express.json({ limit: "5mb", verify: (req, res, buf) => { req.rawBody = buf; } }), listener());
    app.post("/parsed", express.json(), listener());
    server = await new Promise((ok) => {
      const s = app.listen(0, "127.0.0.1", () => ok(s));
    });
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(async () => {
    await new Promise((ok) => server?.close(ok));
    for (const l of listeners) await l.close();
  });

  const post = (route, d) => fetch(`${base}${route}`, { method: "POST", body: d.body, headers: d.headers });

  test("nothing in front: stored and forwarded", async () => {
    const res = await post("/plain", delivery("lead-event.v2", { id: "x1" }));
    assert.equal(res.status, 202);
    await listeners[0].drain();
    assert.ok(forwarded.includes("evt_x1"));
  });

  test("express.json({ verify }) keeping req.rawBody: the raw bytes are used", async () => {
    const res = await post("/kept", delivery("lead-event.v2", { id: "x2" }));
    assert.equal(res.status, 202);
    await listeners[1].drain();
    assert.ok(forwarded.includes("evt_x2"));
  });

  test("express.json() alone: 400 body.parsed, with the fix in the message and on standard error", async () => {
    const errors = [];
    const write = process.stderr.write;
    process.stderr.write = (chunk, ...rest) => (errors.push(String(chunk)), write.call(process.stderr, chunk, ...rest));
    let res;
    try {
      res = await post("/parsed", delivery("lead-event.v2", { id: "x3" }));
    } finally {
      process.stderr.write = write;
    }
    assert.equal(res.status, 400);
    const answer = await res.json();
    assert.equal(answer.reason, "body.parsed");
    assert.match(answer.message, /express\.json\(\{ verify/);
    assert.ok(errors.some((e) => e.includes("body.parsed")), "logged");
    assert.ok(!forwarded.includes("evt_x3"));
  });

  test("a 1 MB LeadSquared post with nothing in front (Express's own limit does not apply)", async () => {
    const body = JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ ProspectID: `big-${i}`, mx_Notes: "n".repeat(300) })));
    const res = await post("/plain", { ...delivery("leadsquared"), body });
    assert.deepEqual([res.status, await res.json()], [200, { Status: "Success", StatusReason: "" }]);
  });
});
