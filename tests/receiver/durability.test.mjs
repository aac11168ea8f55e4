// Durability in Node: 1,000 signed deliveries, 50 in flight, to a receiver process that is killed
// with SIGKILL three times at random moments and started again on its store file. Every delivery
// the receiver acknowledged must reach the sink; the duplicates the kills caused (a kill between
// the sink's answer and the mark) are counted and printed. Everything on 127.0.0.1; every loop
// bounded in count and time.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startListening, startSink, until } from "./sink.mjs";
import { numbered } from "./deliveries.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..", "..");
const DELIVERIES = 1000;
const IN_FLIGHT = 50;
const KILLS = 3;

/** Starts the receiver process; resolves with it and its base URL. */
const startReceiver = (store, forward) =>
  startListening(path.join(here, "serve.mjs"), ["--pkg", path.join(root, "pkg"), "--store", store, "--forward", forward]);

test("every acknowledged event reaches the sink across three SIGKILLs", { timeout: 240000 }, async () => {
  const sink = await startSink();
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-durability-")), "store.db");
  let receiver = await startReceiver(store, `${sink.url}/catch`);
  // Kills after these many acknowledgements, at random.
  const killAt = Array.from({ length: KILLS }, () => 100 + Math.floor(Math.random() * (DELIVERIES - 200))).sort((a, b) => a - b);
  const acked = new Set();
  const perKill = [];
  const todo = Array.from({ length: DELIVERIES }, (_, i) => i);
  let sent = 0;
  let refusedByKill = 0;
  let restarting = null;
  const deadline = Date.now() + 180000;

  const kill = async () => {
    const before = { acked: acked.size, atSink: new Set(sink.keys()).size };
    receiver.child.kill("SIGKILL");
    await new Promise((ok) => receiver.child.once("exit", ok));
    receiver = await startReceiver(store, `${sink.url}/catch`);
    perKill.push(before);
  };

  const worker = async () => {
    while (todo.length > 0 && Date.now() < deadline && sent < DELIVERIES * 5) {
      if (restarting) await restarting;
      const i = todo.shift();
      const d = numbered(100000 + i);
      sent++;
      try {
        const res = await fetch(receiver.base + d.path, { method: "POST", body: d.body, headers: d.headers });
        await res.arrayBuffer();
        if (res.status === 202) acked.add(`evt_${100000 + i}`);
        else todo.push(i);
      } catch {
        // The process was killed under this request: the sender retries it.
        refusedByKill++;
        todo.push(i);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (killAt.length > 0 && acked.size >= killAt[0] && !restarting) {
        killAt.shift();
        restarting = kill().finally(() => (restarting = null));
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  if (restarting) await restarting;

  const delivered = () => {
    const at = new Set(sink.keys());
    return [...acked].every((k) => at.has(k));
  };
  const all = await until(delivered, 60000);
  const counts = new Map();
  for (const k of sink.keys()) counts.set(k, (counts.get(k) ?? 0) + 1);
  const duplicates = [...counts.values()].reduce((t, n) => t + n - 1, 0);
  const missing = [...acked].filter((k) => !counts.has(k));
  console.log(
    JSON.stringify({
      deliveries: DELIVERIES, inFlight: IN_FLIGHT, requests: sent, cutByKill: refusedByKill, acknowledged: acked.size,
      delivered: [...acked].filter((k) => counts.has(k)).length, duplicates, missing: missing.length,
      kills: perKill.map((k, n) => ({ kill: n + 1, ackedBefore: k.acked, atSinkBefore: k.atSink })),
    }),
  );
  receiver.child.kill("SIGKILL");
  await sink.close();
  assert.equal(perKill.length, KILLS, "killed three times");
  assert.equal(acked.size, DELIVERIES, "every delivery acknowledged in the end (the sender retried the cut ones)");
  assert.ok(all, `every acknowledged event at the sink; missing ${missing.length}: ${missing.slice(0, 5).join(", ")}`);
});
