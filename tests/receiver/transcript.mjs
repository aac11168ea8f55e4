// Prints a transcript of the receiver Worker (worker/src/index.mjs, in workerd with its local
// Queues) receiving each vendor's payload: the request, the answer, and what the sink got.
// `node tests/receiver/transcript.mjs` (after a build). Loopback only.
import path from "node:path";
import { Miniflare } from "miniflare";
import { root, workerModules } from "../workerd/cases.mjs";
import { startSink, until } from "./sink.mjs";
import { CREDENTIALS, KINDS, delivery } from "./deliveries.mjs";

const sink = await startSink();
const mf = new Miniflare({
  modules: workerModules(path.join(root, "worker/src"), "index.mjs"),
  modulesRoot: root,
  compatibilityDate: "2025-09-01",
  host: "127.0.0.1",
  port: 0,
  bindings: { ...CREDENTIALS, FORWARD_URL: `${sink.url}/catch`, RETRY_DELAY_SECONDS: "0", QUIET: "1" },
  queueProducers: { DELIVERIES: "leadhook-deliveries" },
  queueConsumers: { "leadhook-deliveries": { maxBatchTimeout: 0.05, maxRetries: 3, deadLetterQueue: "leadhook-dead" } },
});
const base = new URL(await mf.ready);
const short = (s, n = 110) => (s.length > n ? s.slice(0, n) + "…" : s);
try {
  for (const kind of KINDS) {
    for (const wrong of [false, true]) {
      const d = delivery(kind, { wrong });
      const before = sink.received.length;
      const res = await fetch(new URL(d.path, base), { method: "POST", body: d.body, headers: d.headers });
      const answer = await res.text();
      const shown = Object.entries(d.headers).map(([k, v]) => `${k}: ${short(v, 40)}`).join(", ");
      console.log(`> POST ${d.path}  (${kind}${wrong ? ", wrong credentials" : ""}; ${d.body.length} bytes; ${shown})`);
      console.log(`< ${res.status} ${answer}`);
      if (!wrong) await until(() => sink.received.length > before, 10000);
      else await new Promise((r) => setTimeout(r, 150));
      const got = sink.received.slice(before);
      if (got.length === 0) console.log("  sink: nothing");
      for (const g of got) console.log(`  sink: Idempotency-Key ${g.key}, X-Leadhook-Kind ${g.kind}, ${short(JSON.stringify(g.body), 160)}`);
      console.log();
    }
  }
} finally {
  await mf.dispose();
  await sink.close();
}
