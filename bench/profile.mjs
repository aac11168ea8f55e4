// Where the time of a small `flatten` goes, part by part, on each small workload: the body copied
// into the module's memory (encodeInto), the module's own work (the raw export, the body already
// there, the keys already held by JavaScript), the records laid out read back into an object (the
// rest of `flatten`), and two floors beside them: `JSON.parse` of the body, and making the same
// object in JavaScript from values already at hand. Medians of alternating rounds, as bench.mjs.
// Run after `bash scripts/build.sh`:
//
//   node bench/profile.mjs [--quick] [--functions [--call NAME] [--on WORKLOAD]]
//
// --quick runs fewer, shorter rounds: a check that it runs, whose times read high (1.5-2x the
// full run's on this machine, JSON.parse's too), not numbers to quote.
//
// With --functions, then the module's own part split by function: a build of the same module
// that keeps its functions' names (`cargo xtask build-wasm DIR --names`, the same code with a
// name section) is profiled by V8's sampling profiler on each small `flatten` (or the call
// NAME: `validate`, `rows`, `events`…; on the bench's workload WORKLOAD, such as "LeadSquared
// bulk, 4,000 activities", instead), and each function's share of the samples is listed (its
// own time, not its callees'; what V8 inlined counts as its caller's).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import inspector from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FIXTURES, measure, workloads } from "./workloads.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkgDir = process.env.LEADHOOK_PKG ?? path.join(root, "pkg");
const quick = process.argv.includes("--quick");
const functions = process.argv.includes("--functions");
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const call = option("--call") ?? "flatten";
const on = option("--on");
const leadhook = await import(path.join(pkgDir, "node.mjs"));
// A second instance of the module, called through its raw exports only (the public API keeps
// state of its own about the last call's options and keys, which raw calls would upset).
const raw = await import(path.join(pkgDir, "leadhook.js"));
const { memory } = raw.initSync({ module: fs.readFileSync(path.join(pkgDir, "leadhook_bg.wasm")) });

const fixtures = Object.fromEntries(FIXTURES.map((f) => [f, fs.readFileSync(path.join(root, "tests/fixtures", f), "utf8")]));
const SMALL = ["Leadsie v2, 1 asset", "lead event", "lead-event.v2"];
const FROM_STRING = 2 ** 31; // crates/leadhook-wasm/src/lib.rs: the body was written by encodeInto
const encoder = new TextEncoder();
const now = () => performance.now();
const us = (t) => t.toFixed(2);

// The parts of one workload's `flatten`, to time. The raw module is told the workload's options
// here, and later calls say "the same": so each workload is set up just before it is timed.
function parts(name) {
  const { kind, text } = workloads(fixtures)[name];
  const record = leadhook.flatten(text, { kind });
  const keys = Object.keys(record);
  const values = Object.values(record);
  const template = Object.fromEntries(keys.map((k) => [k, null]));

  const at = raw.inputBuffer(3 * text.length);
  const copyIn = () => encoder.encodeInto(text, new Uint8Array(memory.buffer, at, 3 * text.length)).written;
  const len = FROM_STRING + copyIn();
  // The first raw call passes the options and lays out the keys; later ones are told the shape
  // JavaScript holds (the header's second word). Each is told whether the body is a string of
  // ASCII, as the public API tells it (records.js).
  const ascii = /^[\x00-\x7f]*$/.test(text);
  const first = raw.flatten(len, JSON.stringify({ kind }), 0, ascii);
  const shape = new Uint32Array(memory.buffer)[(first >>> 2) + 1];

  const fns = {
    flatten: () => leadhook.flatten(text, { kind }),
    "copy in": copyIn,
    module: () => raw.flatten(len, undefined, shape, ascii),
    "JSON.parse": () => JSON.parse(text),
    "object from values": () => {
      const row = { ...template };
      for (let c = 0; c < keys.length; c++) row[keys[c]] = values[c];
      return row;
    },
  };
  return { text, keys, fns };
}

const lines = ["| workload | flatten | copy in | module | read back | JSON.parse | object from values |", "|---|---:|---:|---:|---:|---:|---:|"];
// One unmeasured round of everything first, as bench.mjs does: without it the first workload was
// timed while V8 still ran the module's first, unoptimised code (Leadsie's `flatten` read 23 µs
// here against 12 µs in the bench).
for (const name of SMALL) measure(parts(name).fns, { rounds: 1, batchMs: 4, now });
for (const name of SMALL) {
  const { text, keys, fns } = parts(name);
  const m = measure(fns, { rounds: quick ? 5 : 11, batchMs: quick ? 4 : 10, now });
  const t = m.median;
  const readBack = t.flatten - t["copy in"] - t.module;
  lines.push(`| ${name} (${(text.length / 1e3).toFixed(1)} KB, ${keys.length} keys) | ${us(t.flatten)} | ${us(t["copy in"])} | ${us(t.module)} | ${us(readBack)} | ${us(t["JSON.parse"])} | ${us(t["object from values"])} |`);
}
process.stdout.write(`µs per call; "read back" is flatten less the copy and the module's work: the options' check, the crossing and the object made from the laid-out records.\n\n${lines.join("\n")}\n`);

if (functions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-names-"));
  try {
    execFileSync("cargo", ["xtask", "build-wasm", dir, "--names"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    const named = await import(`${path.join(pkgDir, "leadhook.js")}?names`);
    const { createApi } = await import(path.join(pkgDir, "api.js"));
    const exports = named.initSync({ module: fs.readFileSync(path.join(dir, "web", "leadhook_bg.wasm")) });
    const api = createApi(named, exports.memory);
    const session = new inspector.Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 50 });
    const out = [];
    for (const name of on ? [on] : SMALL) {
      const { kind, text } = workloads(fixtures)[name];
      const once = () => api[call](text, { kind });
      // Each for a while, the first time unprofiled: the JIT's work is not what is asked.
      const during = (ms) => {
        for (const until = now() + ms; now() < until; ) for (let i = 0; i < 10; i++) once();
      };
      during(500);
      await session.post("Profiler.start");
      during(quick ? 500 : 2000);
      const { profile } = await session.post("Profiler.stop");
      out.push(`\n${name}: each function's share of a \`${call}\`'s samples (${profile.samples.length})\n`, ...shares(profile).slice(0, 16));
    }
    session.disconnect();
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Self samples by function, as "  12.3%  name" lines, largest first: the module's functions by
 * their Rust path (the hash left out), JavaScript's by name and file. */
function shares(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) {
    const { functionName, url } = nodes.get(id).callFrame;
    const where = url.startsWith("wasm://") ? "" : ` (${path.basename(url) || "V8"})`;
    const label = `${functionName.replace(/::h[0-9a-f]{16}$/, "") || "(anonymous)"}${where}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${((100 * n) / total).toFixed(1).padStart(6)}%  ${label}`);
}
