// The receiver snippets of docs/receiving.md (each after a `<!-- test: NAME -->` line), run exactly as
// printed: the Worker in workerd with a Queue, D1 and its Cron Trigger; the node:http and
// Express ones as programs of their own, with leadhook (and express) in their node_modules.
// Each gets a LeadSquared delivery, which must reach a sink on 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { root, pkgDir, workerModules } from "../workerd/cases.mjs";
import { startSink, until } from "./sink.mjs";
import { CREDENTIALS, delivery } from "./deliveries.mjs";

/** docs/receiving.md's code block after `<!-- test: name -->`. */
function snippet(name) {
  const readme = fs.readFileSync(path.join(root, "docs/receiving.md"), "utf8");
  const m = new RegExp(`<!-- test: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(readme);
  assert.ok(m, `docs/receiving.md has a snippet marked ${name}`);
  return m[1] + "\n";
}

const sendTo = (base) => {
  const d = delivery("leadsquared");
  return fetch(new URL(d.path, base), { method: "POST", body: d.body, headers: d.headers });
};

test("docs/receiving.md's Worker, as printed, in workerd with Queues, D1 and its cron", async () => {
  const sink = await startSink();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-readme-worker-"));
  fs.writeFileSync(path.join(dir, "worker.mjs"), snippet("worker"));
  const mf = new Miniflare({
    modules: workerModules(dir, "worker.mjs", { modulesRoot: dir }),
    modulesRoot: dir,
    compatibilityDate: "2025-09-01",
    host: "127.0.0.1",
    port: 0,
    bindings: { ...CREDENTIALS, FORWARD_URL: `${sink.url}/catch` },
    d1Databases: { LEADHOOK_DB: "leadhook" },
    queueProducers: { DELIVERIES: "leadhook-deliveries" },
    queueConsumers: { "leadhook-deliveries": { maxBatchSize: 10, maxBatchTimeout: 0.05, deadLetterQueue: "leadhook-dead" } },
  });
  try {
    const base = new URL(await mf.ready);
    const res = await sendTo(base);
    assert.deepEqual(await res.json(), { Status: "Success", StatusReason: "" });
    assert.ok(await until(() => sink.received.length === 1, 10000), "forwarded");
    await (await mf.getWorker()).scheduled({ cron: "* * * * *" });
  } finally {
    await mf.dispose();
    await sink.close();
  }
});

for (const name of ["node", "express"]) {
  test(`docs/receiving.md's ${name} receiver, as printed, as a program of its own`, async () => {
    const sink = await startSink();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `leadhook-readme-${name}-`));
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(pkgDir, path.join(dir, "node_modules", "leadhook"), "junction");
    fs.symlinkSync(path.join(root, "node_modules", "express"), path.join(dir, "node_modules", "express"), "junction");
    fs.writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
    fs.writeFileSync(path.join(dir, "app.mjs"), snippet(name));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ["app.mjs"], {
      cwd: dir,
      env: { ...process.env, FORWARD_URL: `${sink.url}/catch`, LEADSQUARED_TOKEN: CREDENTIALS.LEADSQUARED_TOKEN, PORT: String(port) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      assert.ok(await until(async () => (await fetch(`${base}/hook`, { method: "POST", body: "" }).catch(() => null))?.status === 200, 10000), "listening");
      const res = await sendTo(base);
      assert.deepEqual(await res.json(), { Status: "Success", StatusReason: "" });
      assert.ok(await until(() => sink.received.length === 1, 10000), "forwarded");
      if (name === "node") assert.ok(fs.existsSync(path.join(dir, "leadhook.db")), "the store file");
    } finally {
      child.kill("SIGTERM");
      await new Promise((ok) => child.once("exit", ok));
      await sink.close();
    }
  });
}
