// The memory of a receiver process over a run of large bodies: `leadhook/node` under node:http
// on 127.0.0.1, forwarding each delivery's rows to a function. Prints the process's RSS and the
// WebAssembly memory before the run, after N large LeadSquared bulk bodies (3.4 MB each), and
// after M small ones that follow, each after a garbage collection.
//
//   node --expose-gc bench/receiver-memory.mjs [--pkg DIR] [--large N] [--small M]
//
// --pkg: the built package (default: this repository's pkg/). Every loop is bounded in count.
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
const large = Number(arg("large", 30));
const small = Number(arg("small", 200));

// The module's latest instance, so that its memory can be read (the package does not export it),
// and how many there were; the older ones are not held, so that they can be collected.
let latest = null;
let made = 0;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  latest = new Instance(module, imports);
  made++;
  return latest;
};
WebAssembly.Instance.prototype = Instance.prototype;

const { createNodeHandler } = await import(pathToFileURL(path.join(pkg, "dist", "node-http.mjs")));
let forwarded = 0;
const listener = createNodeHandler({
  forward: async (records) => {
    forwarded += Array.isArray(records) ? records.length : 1;
  },
  output: "rows",
  auth: { leadsquared: "none" },
  store: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-memory-")), "store.db"),
  log: () => {},
});
const server = http.createServer(listener);
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();

const record = (i) =>
  `{"ProspectActivityId":"a${i}","RelatedProspectId":"p${i}","ActivityEvent":22,"ActivityEventName":"Call","CreatedOn":"2024-05-02 09:20:00","Data":{"mx_Custom_1":"Answered ${i}","Status":"Active"},"Current":{"ProspectID":"p${i}","FirstName":"Ada","mx_City":"Pune"}}`;
const bulk = (n, from = 0) => "[" + Array.from({ length: n }, (_, i) => record(from + i)).join(",") + "]";
const largeBody = bulk(15_000);
const smallBody = bulk(3);

async function post(body) {
  const response = await fetch(`http://127.0.0.1:${port}/hook?eventType=Activity_Post_Create`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`status ${response.status}`);
}

const MB = (n) => (n / 1024 / 1024).toFixed(1);
function sample(when) {
  globalThis.gc?.();
  const wasm = latest?.exports.memory.buffer.byteLength ?? 0;
  console.log(`${when.padEnd(44)} rss ${MB(process.memoryUsage().rss).padStart(7)} MB   wasm ${MB(wasm).padStart(6)} MB   instances ${made}`);
}

console.log(`package: ${pkg}; large body ${MB(largeBody.length)} MB`);
await post(smallBody);
sample("after one small delivery (baseline)");
for (let i = 0; i < large; i++) await post(largeBody);
sample(`after ${large} large deliveries`);
for (let i = 0; i < small; i++) await post(smallBody);
sample(`after ${small} small deliveries more`);
await listener.drain();
console.log(`forwarded ${forwarded} records`);
server.close();
await listener.close();
