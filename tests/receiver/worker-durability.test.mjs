// Durability in workerd: the Worker with D1 persisted to disk (miniflare's queues live in memory)
// takes deliveries while the sink is down; the runtime is disposed mid-load and started again
// on the same D1 files; once the sink is back, every acknowledged event is delivered (the Cron
// Trigger's sweep finds those whose queue message went with the old runtime). On 127.0.0.1;
// every loop bounded in count and time.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSink, until } from "./sink.mjs";
import { numbered } from "./deliveries.mjs";
import { startWorker } from "./worker.mjs";

const DELIVERIES = 300;
const IN_FLIGHT = 20;

test("every acknowledged event is delivered after the runtime restarts with the sink down", { timeout: 180000 }, async () => {
  const sink = await startSink();
  sink.down = true;
  const persist = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-d1-"));
  const options = { persist, maxAttempts: "1000", retryDelaySeconds: "1", maxRetries: 100 };
  let mf = startWorker(sink, options);
  let base = new URL(await mf.ready);
  const acked = new Set();
  const todo = Array.from({ length: DELIVERIES }, (_, i) => i);
  let restarting = null;
  let restarted = false;
  let cut = 0;
  let sent = 0;
  const deadline = Date.now() + 90000;
  const worker = async () => {
    while (todo.length > 0 && Date.now() < deadline && sent < DELIVERIES * 5) {
      if (restarting) await restarting;
      const i = todo.shift();
      const d = numbered(200000 + i);
      sent++;
      try {
        const res = await fetch(new URL(d.path, base), { method: "POST", body: d.body, headers: d.headers });
        await res.arrayBuffer();
        if (res.status === 202) acked.add(`evt_${200000 + i}`);
        else todo.push(i);
      } catch {
        cut++;
        todo.push(i);
      }
      if (!restarted && acked.size >= DELIVERIES / 2) {
        restarted = true;
        restarting = (async () => {
          await mf.dispose();
          mf = startWorker(sink, options);
          base = new URL(await mf.ready);
        })().finally(() => (restarting = null));
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  if (restarting) await restarting;
  const atSinkWhileDown = new Set(sink.keys()).size;
  sink.down = false;
  const scheduled = async () => (await mf.getWorker()).scheduled({ cron: "* * * * *" });
  const all = await until(async () => {
    const at = new Set(sink.keys());
    if ([...acked].every((k) => at.has(k))) return true;
    await scheduled();
    return false;
  }, 60000);
  const counts = new Map();
  for (const k of sink.keys()) counts.set(k, (counts.get(k) ?? 0) + 1);
  const missing = [...acked].filter((k) => !counts.has(k));
  const duplicates = [...counts.values()].reduce((t, n) => t + n - 1, 0);
  console.log(JSON.stringify({ deliveries: DELIVERIES, requests: sent, cutByRestart: cut, acknowledged: acked.size, atSinkWhileDown, delivered: acked.size - missing.length, duplicates, missing: missing.length }));
  await mf.dispose();
  await sink.close();
  assert.ok(restarted, "the runtime was restarted mid-load");
  assert.equal(acked.size, DELIVERIES);
  assert.ok(all, `missing ${missing.length}: ${missing.slice(0, 5).join(", ")}`);
});
