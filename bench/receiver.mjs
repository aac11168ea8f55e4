// The receiver's throughput, side by side in one run: acknowledged deliveries per second and the
// p50/p99 time to acknowledge, at 50 in flight, for
//   - node, SQLite file   leadhook/node as shipped (WAL, each delivery's events written before the answer)
//   - node, :memory:      the same with SQLite in memory (what the file's writes cost)
//   - node, no store      a listener that authenticates, validates, splits, forwards each event and
//                         answers (the receiver without a queue before it had a store), and the same
//                         without the forwards (everything but the write and the forward)
//   - workerd, D1+Queues  worker/src/index.mjs in miniflare, with local D1 and Queues
// each receiver in a process of its own, the load from this one, the sink here too (all on
// 127.0.0.1). Then the store's size over 100,000 deliveries with a short dedupeSeconds (rows
// pruned as they pass it), and what a 4.8 MB body without credentials costs next to a plain one.
//
//   node bench/receiver.mjs [--pkg DIR] [--n N] [--growth M]
//
// Every loop is bounded in count.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const pkg = path.resolve(arg("pkg", path.join(root, "pkg")));
const N = Number(arg("n", 5000));
const GROWTH = Number(arg("growth", 100000));
const IN_FLIGHT = 50;
const SECRET = "sig_bench_1";

/** A signed lead-event.v2 delivery, distinct by `i`. */
function signed(i) {
  const body = JSON.stringify({ eventId: `evt_${i}`, timestamp: "2026-03-19T12:00:00.000Z", workspaceId: "ws_1", event: "record.created", data: { recordId: `rec_${i}`, objectType: "person", fields: { email: `p${i}@example.com` } } });
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = crypto.createHmac("sha256", SECRET).update(`${ts}.${body}`).digest("hex");
  return { body, headers: { "content-type": "application/json", "x-webhook-timestamp": ts, "x-webhook-signature": `sha256=${sig}` } };
}

/** A sink on 127.0.0.1 that counts what it is sent. */
async function startSink() {
  const sink = { count: 0 };
  sink.server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      sink.count++;
      res.end("ok");
    });
  });
  await new Promise((ok) => sink.server.listen(0, "127.0.0.1", ok));
  sink.url = `http://127.0.0.1:${sink.server.address().port}/catch`;
  return sink;
}

/** The receiver process of one variant; resolves with its base URL and a stop function. */
async function startNode(variant, forward) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-bench-"));
  const script = `
    import http from "node:http";
    const variant = ${JSON.stringify(variant)};
    const auth = { "lead-event.v2": { signingSecret: ${JSON.stringify(SECRET)} } };
    let listener;
    if (variant.startsWith("none")) {
      // Without a store: check, split, and answer; with "none, forward", forward each event
      // first (on a kept-alive socket), as the receiver without a queue did before it had a store.
      const api = await import(${JSON.stringify(pathToFileURL(path.join(pkg, "dist/leadhook.node.mjs")).href)});
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      const forwardOne = (record, key) => new Promise((ok, no) => {
        const body = JSON.stringify(record);
        const r = http.request(${JSON.stringify(forward)}, { method: "POST", agent, headers: { "content-type": "application/json", "idempotency-key": key, "content-length": Buffer.byteLength(body) } }, (res) => { res.resume(); res.on("end", ok); });
        r.on("error", no);
        r.end(body);
      });
      listener = (req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", async () => {
          const body = Buffer.concat(chunks);
          if (!api.verifySignature(body, req.headers, auth["lead-event.v2"].signingSecret)) return res.writeHead(401).end();
          const report = api.validate(body);
          if (!report.ok) return res.writeHead(422).end();
          const events = api.events(body, { headers: req.headers });
          if (variant === "none, forward") for (const e of events) await forwardOne(e.record, e.eventKey);
          res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, kind: report.kind, eventKeys: events.map((e) => e.eventKey) }));
        });
      };
    } else {
      const { createNodeHandler } = await import(${JSON.stringify(pathToFileURL(path.join(pkg, "dist/node-http.mjs")).href)});
      listener = createNodeHandler({ forward: variant === "file, no forward" ? async () => {} : ${JSON.stringify(forward)}, auth, store: variant.startsWith("file") ? ${JSON.stringify(path.join(dir, "store.db"))} : ":memory:", log: () => {} });
    }
    const server = http.createServer(listener);
    server.keepAliveTimeout = 60000;
    server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
  `;
  const file = path.join(dir, "receiver.mjs");
  fs.writeFileSync(file, script);
  const { startListening } = await import(pathToFileURL(path.join(root, "tests/receiver/sink.mjs")).href);
  const { child, base } = await startListening(file);
  return { base, stop: () => child.kill("SIGKILL") };
}

async function startWorkerd(forward) {
  const { Miniflare } = await import(pathToFileURL(path.join(root, "node_modules/miniflare/dist/src/index.js")).href);
  const { workerModules } = await import(pathToFileURL(path.join(root, "tests/workerd/cases.mjs")).href);
  const mf = new Miniflare({
    modules: workerModules(path.join(root, "worker/src"), "index.mjs", { from: pkg }),
    modulesRoot: root,
    compatibilityDate: "2025-09-01",
    host: "127.0.0.1",
    port: 0,
    bindings: { SIGNING_SECRET: SECRET, FORWARD_URL: forward, QUIET: "1", RETRY_DELAY_SECONDS: "1" },
    d1Databases: { LEADHOOK_DB: "leadhook" },
    queueProducers: { DELIVERIES: "leadhook-deliveries" },
    queueConsumers: { "leadhook-deliveries": { maxBatchSize: 10, maxBatchTimeout: 0.05, deadLetterQueue: "leadhook-dead" } },
  });
  const base = String(await mf.ready).replace(/\/$/, "");
  return { base, stop: () => mf.dispose() };
}

// The load: node:http with IN_FLIGHT kept-alive sockets (fetch costs the load generator more
// than the receiver it measures).
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
function post(base, d) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/hook`, { method: "POST", agent, headers: { ...d.headers, "content-length": Buffer.byteLength(d.body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(d.body);
  });
}

/** `count` deliveries at IN_FLIGHT at once: acknowledged per second, p50 and p99 in ms. */
async function load(base, count, from) {
  const latencies = [];
  let next = 0;
  let acked = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const d = signed(from + next++);
      const t = performance.now();
      const status = await post(base, d);
      latencies.push(performance.now() - t);
      if (status === 202) acked++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { acked, perSecond: acked / seconds, p50: pct(50), p99: pct(99) };
}

const sink = await startSink();
const rows = [];
let from = 1_000_000;
for (const [name, start, n] of [
  ["node, SQLite file", () => startNode("file", sink.url), N],
  ["node, :memory:", () => startNode("memory", sink.url), N],
  ["node, SQLite file, forward a no-op", () => startNode("file, no forward", sink.url), N],
  ["node, no store, forward before the answer", () => startNode("none, forward", sink.url), N],
  ["node, no store, no forward", () => startNode("none", sink.url), N],
  ["workerd, D1+Queues", () => startWorkerd(sink.url), Math.min(N, 2000)],
]) {
  const receiver = await start();
  await load(receiver.base, 200, (from += 10_000_000)); // warm-up
  const r = await load(receiver.base, n, (from += 10_000_000));
  rows.push(`| ${name} | ${r.acked} of ${n} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  await receiver.stop();
}
console.log(`\nacknowledged deliveries, ${IN_FLIGHT} in flight (lead-event.v2, signed; node ${process.version}, ${os.cpus().length} cores)\n`);
console.log("| receiver | acknowledged | per second | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|\n" + rows.join("\n"));

// The store's size over GROWTH deliveries, with dedupeSeconds 5: rows pass the window and are pruned.
{
  const { createHandler } = await import(pathToFileURL(path.join(pkg, "dist/handler.node.mjs")).href);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-growth-")), "store.db");
  const handle = createHandler({ forward: async () => {}, auth: { "lead-event.v2": { signingSecret: SECRET } }, store: file, dedupeSeconds: 5, log: () => {} });
  const size = () => ["", "-wal"].reduce((t, s) => t + (fs.existsSync(file + s) ? fs.statSync(file + s).size : 0), 0);
  const sizes = [];
  const started = performance.now();
  for (let i = 0; i < GROWTH; i++) {
    const d = signed(50_000_000 + i);
    await handle(new Request("http://h.example/hook", { method: "POST", body: d.body, headers: d.headers }));
    if ((i + 1) % (GROWTH / 10) === 0) {
      await handle.drain();
      sizes.push(`${(i + 1).toLocaleString("en")}: ${(size() / 1048576).toFixed(1)} MB (${(await handle.store().counts()).forwarded} rows)`);
    }
  }
  console.log(`\nstore size over ${GROWTH.toLocaleString("en")} deliveries, dedupeSeconds 5 (file + WAL; ${((performance.now() - started) / 1000).toFixed(0)} s in all):\n  ${sizes.join("\n  ")}`);
  await handle.close();
}

// A 4.8 MB body refused for its credentials: a hostile one (deep nesting, 200,000 keys) against a plain one.
{
  const { createHandler } = await import(pathToFileURL(path.join(pkg, "dist/handler.node.mjs")).href);
  const handle = createHandler({ forward: async () => {}, auth: { "lead-event.v2": { signingSecret: SECRET }, "lead-event": { secret: "wh_bench" } }, store: ":memory:", log: () => {} });
  const hostileInner = "[".repeat(2000) + "]".repeat(2000) + JSON.stringify(Object.fromEntries(Array.from({ length: 200000 }, (_, i) => [`k${i}`, i])));
  const hostile = `{"a":${JSON.stringify(hostileInner)}, "b": [${'{"x":1},'.repeat(180000)}{}]}`;
  const plain = JSON.stringify({ notes: "n".repeat(hostile.length - 20) });
  const time = async (body, headers = {}) => {
    const t = [];
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      await handle(new Request("http://h.example/hook", { method: "POST", body, headers }));
      t.push(performance.now() - s);
    }
    return t.sort((a, b) => a - b)[3];
  };
  const h = await time(hostile);
  const p = await time(plain);
  const withSig = await time(hostile, { "x-webhook-timestamp": String(Math.floor(Date.now() / 1000)), "x-webhook-signature": `sha256=${"0".repeat(64)}` });
  console.log(`\n${(hostile.length / 1e6).toFixed(1)} MB without credentials (median of 7): hostile ${h.toFixed(1)} ms, plain ${p.toFixed(1)} ms (${(h / p).toFixed(2)}x); hostile with a wrong signature ${withSig.toFixed(1)} ms`);
  await handle.close();
}
sink.server.close();
