// `npx leadhook init worker DIR` from the packed package: the folder it writes, with leadhook
// installed from the tarball as npm would (a package without dependencies: its files under
// node_modules/leadhook), run in workerd (miniflare) with the bindings its own wrangler.toml
// declares and the secrets of its .dev.vars.example; its migration applied to D1; one event of
// each kind delivered to a sink on 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Miniflare } from "miniflare";
import { root, workerModules } from "../workerd/cases.mjs";
import { startSink, until } from "./sink.mjs";
import { delivery, KINDS } from "./deliveries.mjs";

/** The `[vars]`, `[[d1_databases]]` and queue settings of a wrangler.toml, read as wrangler would for these simple lines. */
function readWranglerToml(text) {
  const vars = {};
  const d1 = [];
  const producers = {};
  const consumers = [];
  let section = null;
  let current = null;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[\[?([\w.]+)\]\]?$/.exec(line);
    if (header) {
      section = header[1];
      current = {};
      if (section === "d1_databases") d1.push(current);
      if (section === "queues.consumers") consumers.push(current);
      if (section === "queues.producers") current = producers[Object.keys(producers).length] = {};
      continue;
    }
    const kv = /^(\w+)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const value = JSON.parse(kv[2].replace(/^\[(.*)\]$/, "[$1]"));
    if (section === "vars") vars[kv[1]] = value;
    else if (current) current[kv[1]] = value;
  }
  return { vars, d1, producers: Object.values(producers), consumers };
}

test("init worker: the scaffold installs from the tarball and delivers one event of each kind", { timeout: 180000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-scaffold-"));
  const pack = JSON.parse(execFileSync("npm", ["pack", path.join(root, "pkg"), "--json", "--pack-destination", tmp], { encoding: "utf8" }));
  const tarball = path.join(tmp, pack[0].filename);
  const dir = path.join(tmp, "my-receiver");
  const printed = execFileSync(process.execPath, [path.join(root, "pkg/cli.mjs"), "init", "worker", dir], { encoding: "utf8" });
  console.log(`$ npx leadhook init worker my-receiver\n${printed.replaceAll(tmp + "/", "")}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  assert.equal(manifest.dependencies.leadhook, `^${pack[0].version}`, "depends on the installed version, not a checkout");
  for (const f of ["src/index.mjs", "wrangler.toml", ".dev.vars.example", "README.md", "migrations/0001_leadhook.sql", ".gitignore"]) {
    assert.ok(fs.existsSync(path.join(dir, f)), f);
  }
  assert.equal(
    fs.readFileSync(path.join(dir, "migrations/0001_leadhook.sql"), "utf8"),
    fs.readFileSync(path.join(root, "worker/migrations/0001_leadhook.sql"), "utf8"),
    "worker/migrations/ is the migration init writes (store.js's SCHEMA)",
  );
  assert.throws(() => execFileSync(process.execPath, [path.join(root, "pkg/cli.mjs"), "init", "worker", dir], { stdio: "pipe" }), /not empty/);

  // npm install of a package without dependencies: the tarball's files in node_modules/leadhook.
  const installed = path.join(dir, "node_modules", "leadhook");
  fs.mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);

  const toml = readWranglerToml(fs.readFileSync(path.join(dir, "wrangler.toml"), "utf8"));
  const secrets = Object.fromEntries(
    fs.readFileSync(path.join(dir, ".dev.vars.example"), "utf8").split("\n").filter((l) => /^\w+=/.test(l)).map((l) => l.split("=")),
  );
  const sink = await startSink();
  const mf = new Miniflare({
    modules: workerModules(path.join(dir, "src"), "index.mjs", { from: installed, modulesRoot: dir }),
    modulesRoot: dir,
    compatibilityDate: "2025-09-01",
    host: "127.0.0.1",
    port: 0,
    bindings: { ...toml.vars, ...secrets, FORWARD_URL: `${sink.url}/catch`, QUIET: "1" },
    d1Databases: Object.fromEntries(toml.d1.map((d) => [d.binding, d.database_id])),
    queueProducers: Object.fromEntries(toml.producers.map((p) => [p.binding, p.queue])),
    queueConsumers: Object.fromEntries(toml.consumers.map((c) => [c.queue, { maxBatchSize: c.max_batch_size, maxBatchTimeout: 0.05, maxRetries: c.max_retries ?? 3, ...(c.dead_letter_queue ? { deadLetterQueue: c.dead_letter_queue } : {}) }])),
  });
  try {
    const base = new URL(await mf.ready);
    // `wrangler d1 migrations apply leadhook --local`: the migration's statements, run on D1.
    const db = await mf.getD1Database(toml.d1[0].binding);
    const sql = fs.readFileSync(path.join(dir, "migrations/0001_leadhook.sql"), "utf8").replace(/^--.*$/gm, "");
    for (const statement of sql.split(";").map((s) => s.trim()).filter(Boolean)) await db.prepare(statement).run();
    // The example's secrets, in place of the test's own.
    const credentials = (d) => {
      const text = JSON.stringify(d)
        .replaceAll("ls-token-7c1", secrets.LEADSIE_TOKEN)
        .replaceAll("lsq-token-9d2", secrets.LEADSQUARED_TOKEN);
      return JSON.parse(text);
    };
    for (const kind of KINDS) {
      let d = credentials(delivery(kind));
      if (kind === "lead-event") d = { ...d, body: d.body.replace("wh_a46f35f22d9723a", secrets.LEAD_EVENT_SECRET) };
      if (kind === "lead-event.v2") d = delivery(kind, { id: "scaffold", secret: secrets.SIGNING_SECRET });
      const res = await fetch(new URL(d.path, base), { method: "POST", body: d.body, headers: d.headers });
      assert.ok(res.status === 202 || (res.status === 200 && (await res.clone().json()).Status === "Success"), `${kind}: ${res.status} ${await res.text()}`);
    }
    assert.ok(await until(() => new Set(sink.received.map((r) => r.kind)).size === 5, 20000), `delivered: ${sink.received.map((r) => r.kind)}`);
    console.log(`delivered to the sink: ${sink.received.map((r) => r.kind).join(", ")}`);
  } finally {
    await mf.dispose();
    await sink.close();
  }
});
