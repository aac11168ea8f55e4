// Prints a transcript of the receiver Worker (worker/src/index.mjs, in workerd with its local
// Queues and D1) as each sender sees it: its verification requests, a delivery of each kind
// with right and wrong credentials, and a refusal of each reason; the answer to each, and what
// the sink got. `node tests/receiver/transcript.mjs` (after a build). Loopback only.
import crypto from "node:crypto";
import { startSink, until, postRaw } from "./sink.mjs";
import { CREDENTIALS, KINDS, delivery } from "./deliveries.mjs";
import { startWorker } from "./worker.mjs";

const sink = await startSink();
const mf = startWorker(sink, { maxBytes: 64 * 1024 });
const base = new URL(await mf.ready);
const short = (s, n = 110) => (s.length > n ? s.slice(0, n) + "…" : s);

async function show(label, { method = "POST", path = "/hook", body, headers = {} }, { forwarded = false } = {}) {
  const before = sink.received.length;
  const res = body !== undefined && body.length > 64 * 1024
    ? await postRaw(new URL(path, base), headers, body).then((r) => ({ status: r.status, text: async () => r.text }))
    : await fetch(new URL(path, base), { method, body, headers });
  const answer = await res.text();
  const shown = Object.entries(headers).map(([k, v]) => `${k}: ${short(v, 40)}`).join(", ");
  console.log(`# ${label}`);
  console.log(`> ${method} ${path}${body === undefined ? "" : `  (${body.length} bytes)`}${shown ? `  ${shown}` : ""}`);
  console.log(`< ${res.status} ${answer}`);
  if (forwarded) await until(() => sink.received.length > before, 10000);
  else await new Promise((r) => setTimeout(r, 150));
  const got = sink.received.slice(before);
  if (got.length === 0) console.log("  sink: nothing");
  for (const g of got) console.log(`  sink: Idempotency-Key ${g.key}, X-Leadhook-Kind ${g.kind}, ${short(JSON.stringify(g.body), 140)}`);
  console.log();
}

try {
  const lsq = delivery("leadsquared");
  await show("LeadSquared checks a new endpoint: HEAD", { method: "HEAD", path: lsq.path });
  await show("LeadSquared checks a new endpoint: an empty POST", { path: lsq.path, body: "" });
  for (const kind of KINDS) {
    await show(`${kind}, right credentials`, delivery(kind), { forwarded: true });
    await show(`${kind}, wrong credentials`, delivery(kind, { wrong: true }));
  }
  const v2 = delivery("lead-event.v2", { id: "transcript" });
  await show("lead-event.v2, a new event", v2, { forwarded: true });
  await show("lead-event.v2, the same delivery again (a retry): a duplicate, not forwarded", v2);
  await show("lead-event.v2, the same event with a forged delivery id", { ...v2, headers: { ...v2.headers, "x-webhook-delivery-id": "dlv_forged" } });
  await show("lead-event.v2, no signature headers", { ...v2, headers: { "content-type": "application/json" } });
  const old = String(Math.floor(Date.now() / 1000) - 3600);
  const staleSig = crypto.createHmac("sha256", CREDENTIALS.SIGNING_SECRET).update(`${old}.${v2.body}`).digest("hex");
  await show("lead-event.v2, signed an hour ago", { ...v2, headers: { ...v2.headers, "x-webhook-timestamp": old, "x-webhook-signature": `sha256=${staleSig}` } });
  await show("lead-event.v2, a malformed signature header", { ...v2, headers: { ...v2.headers, "x-webhook-signature": "md5=abc" } });
  await show("LeadSquared, a body that is not a payload", { ...lsq, body: '{"ProspectID": "a", "ProspectID": "b"}' });
  await show("LeadSquared, over maxBytes (64 KiB here)", { ...lsq, body: "x".repeat(65 * 1024) });
  await show("Leadsie, over maxBytes", { ...delivery("leadsie.v2"), body: "{" + " ".repeat(65 * 1024) + "}" });
  await show("Leadsie, not a payload of any kind", { ...delivery("leadsie.v2"), body: '{"hello": "world"}' });
  await show("a GET", { method: "GET", path: "/hook" });
} finally {
  await mf.dispose();
  await sink.close();
}
