// leadhook against what a user would otherwise write, side by side in one process:
//   Node:    JSON.parse alone, and JSON.parse + a validator + a hand flatten/rows, for each of ajv
//            (allErrors, ajv-formats), zod 4 (as Node runs it, with its JIT) and valibot
//   workerd: JSON.parse + zod (jitless) and JSON.parse + @cfworker/json-schema, each + the same
//            hand flatten/rows, in real workerd (miniflare)
// validate, flatten, rows and events, with string and with Uint8Array input, on every workload of
// workloads.mjs. Medians of alternating rounds, and each ratio the median of the rounds' ratios;
// no pass/fail thresholds (the machines are shared and noisy). Run after `bash scripts/build.sh`:
//
//   node bench/bench.mjs [--quick] [--write] [--node-only]
//
// --write puts the table into docs/speed.md; --quick runs fewer, shorter rounds.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import * as z from "zod";
import * as v from "valibot";
import { app } from "./start-up.mjs";
import { FIXTURES, contenders, measure, ratio, valibotCheck, workloads, zodCheck } from "./workloads.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const ROUNDS = quick ? 5 : 11;
const NODE_BATCH_MS = quick ? 4 : 10;
// workerd's clock ticks in whole milliseconds: its batches are longer.
const WORKERD_BATCH_MS = quick ? 10 : 30;
const pkgDir = process.env.LEADHOOK_PKG ?? path.join(root, "pkg");
const leadhook = await import(path.join(pkgDir, "node.mjs"));

const fixtures = Object.fromEntries(FIXTURES.map((f) => [f, fs.readFileSync(path.join(root, "tests/fixtures", f), "utf8")]));
const WORKLOADS = workloads(fixtures);
const INPUTS = ["string", "bytes"];
const OPS = ["validate", "flatten", "rows", "events"];
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const now = () => performance.now();

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));

/** results[workload][input][contender] = µs per call. */
const node = {};
// A round of everything first, unmeasured, so that no contender is timed while the JIT warms up.
for (const { kind, text } of Object.values(WORKLOADS)) {
  measure(nodeContenders(kind, text), { rounds: 1, batchMs: NODE_BATCH_MS, now });
}
/** Every Node contender of a workload: leadhook, JSON.parse, and each validator's pipeline, named "<validator> <call>". */
function nodeContenders(kind, body) {
  const schema = leadhook.schema(kind);
  const checks = { ajv: ajv.compile(schema), zod: zodCheck(z, schema), valibot: valibotCheck(v, schema) };
  const fns = {};
  for (const [validator, check] of Object.entries(checks)) {
    for (const [name, fn] of Object.entries(contenders({ leadhook, kind, input: body, check, decode: (b) => decoder.decode(b) }))) {
      if (name.startsWith("js ")) fns[name.replace(/^js /, `${validator} `)] = fn;
      else fns[name] ??= fn;
    }
  }
  return fns;
}
for (const [name, { kind, text }] of Object.entries(WORKLOADS)) {
  node[name] = {};
  for (const input of INPUTS) {
    const body = input === "string" ? text : encoder.encode(text);
    const fns = nodeContenders(kind, body);
    node[name][input] = measure(fns, { rounds: ROUNDS, batchMs: NODE_BATCH_MS, now });
    process.stderr.write(`node: ${name}, ${input}\n`);
  }
}

const workerd = args.has("--node-only") ? null : await inWorkerd();

/** The same contenders in workerd: the Worker bundled by esbuild, run by miniflare. */
async function inWorkerd() {
  const { Miniflare } = await import("miniflare");
  const esbuild = await import("esbuild");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-bench-"));
  await esbuild.build({
    entryPoints: [path.join(root, "bench/worker.mjs")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    alias: { leadhook: path.join(pkgDir, "workerd.mjs") },
    external: ["*.wasm"],
    outfile: path.join(out, "worker.mjs"),
    logLevel: "error",
  });
  fs.copyFileSync(path.join(pkgDir, "leadhook_bg.wasm"), path.join(out, "leadhook_bg.wasm"));
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: path.join(out, "worker.mjs") },
      { type: "CompiledWasm", path: path.join(out, "leadhook_bg.wasm") },
    ],
    modulesRoot: out,
    compatibilityDate: "2025-09-01",
  });
  try {
    const results = {};
    for (const name of Object.keys(WORKLOADS)) {
      results[name] = {};
      for (const input of INPUTS) {
        const res = await mf.dispatchFetch("http://bench/", {
          method: "POST",
          body: JSON.stringify({ fixtures, workload: name, input, rounds: ROUNDS, batchMs: WORKERD_BATCH_MS }),
        });
        if (!res.ok) throw new Error(`workerd: ${name}, ${input}: ${res.status} ${await res.text()}`);
        results[name][input] = await res.json();
        process.stderr.write(`workerd: ${name}, ${input}\n`);
      }
    }
    return results;
  } finally {
    await mf.dispose();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const us = (t) => (t >= 100 ? t.toFixed(0) : t >= 10 ? t.toFixed(1) : t.toFixed(2));
const x = (m, a, b) => `${ratio(m, a, b).toFixed(2)}x`;
const pipeline = { validate: "validate", flatten: "flatten", rows: "rows", events: "events" };

const lines = [
  `| workload | call | input | Node µs | ÷ JSON.parse | ÷ ajv | ÷ zod | ÷ valibot |${workerd ? " workerd µs | ÷ zod | ÷ cfworker |" : ""}`,
  `|---|---|---|---:|---:|---:|---:|---:|${workerd ? "---:|---:|---:|" : ""}`,
];
for (const [name, { text }] of Object.entries(WORKLOADS)) {
  const size = text.length >= 1e6 ? `${(text.length / 1e6).toFixed(1)} MB` : `${(text.length / 1e3).toFixed(1)} KB`;
  for (const op of OPS) {
    for (const input of INPUTS) {
      const n = node[name][input];
      const mine = `leadhook ${op}`;
      let line = `| ${name} (${size}) | ${op} | ${input} | ${us(n.median[mine])} | ${x(n, mine, "JSON.parse")} |`;
      for (const validator of ["ajv", "zod", "valibot"]) line += ` ${x(n, mine, `${validator} ${pipeline[op]}`)} |`;
      if (workerd) {
        const w = workerd[name][input];
        line += ` ${us(w.median[mine])} | ${x(w, mine, `zod ${op}`)} | ${x(w, mine, `cfworker ${op}`)} |`;
      }
      lines.push(line);
    }
  }
}

// Memory and start-up, each in a fresh process: the module's memory only grows, so its size
// after a call is the peak of that call.
const probe = (code, cwd) => JSON.parse(execFileSync(process.execPath, ["--input-type=module"], { input: code, encoding: "utf8", cwd }));
const freshApi = `
  import fs from "node:fs";
  import * as raw from ${JSON.stringify(path.join(pkgDir, "leadhook.js"))};
  import { createApi } from ${JSON.stringify(path.join(pkgDir, "api.js"))};
  const wasmExports = raw.initSync({ module: fs.readFileSync(${JSON.stringify(path.join(pkgDir, "leadhook_bg.wasm"))}) });
  const api = createApi(raw, wasmExports.memory);
  const memory = () => wasmExports.memory.buffer.byteLength;`;
const bulk = WORKLOADS["LeadSquared bulk, 4,000 activities"].text;
const peak = probe(`${freshApi}
  const text = ${JSON.stringify(bulk)};
  const before = memory();
  const out = {};
  for (const op of ["validate", "flatten", "rows"]) { api[op](text); out[op] = memory() - before; }
  console.log(JSON.stringify({ before, ...out }));`);
const small = WORKLOADS["Leadsie v2, 1 asset"].text;
const steady = probe(`${freshApi}
  const text = ${JSON.stringify(small)};
  const round = () => { api.validate(text); api.flatten(text); api.rows(text); };
  // The same mix first: its first round takes what it needs (the allocator's lists keep a few
  // blocks of each size a call makes); what is measured is whether the calls after it grow it.
  for (let i = 0; i < 1000; i++) round();
  const before = memory();
  for (let i = 0; i < 100000; i++) round();
  console.log(JSON.stringify({ before, after: memory() }));`);
const starter = app(pkgDir);
const starts = [];
for (let i = 0; i < 11; i++) starts.push(starter.time(small));
starter.remove();
starts.sort((a, b) => a - b);
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
const wasmPath = path.join(pkgDir, "leadhook_bg.wasm");
const wasmBytes = fs.readFileSync(wasmPath);
// gzip -9, as scripts/build.sh measures it.
const gzipped = execFileSync("gzip", ["-9", "-c", wasmPath]).length;
const extra = [
  "",
  `- \`.wasm\`: ${wasmBytes.length.toLocaleString("en")} bytes, ${gzipped.toLocaleString("en")} gzipped (gzip -9).`,
  `- Node: \`import "leadhook"\` and the first \`validate\` take ${starts[5].toFixed(1)} ms (median of 11 fresh processes, after the module loader's own start on a built-in and on a file).`,
  `- WebAssembly memory on the ${mb(bulk.length)} bulk body, above the ${mb(peak.before)} it starts with: validate ${mb(peak.validate)}, then flatten ${mb(peak.flatten)}, then rows ${mb(peak.rows)} (${(peak.rows / bulk.length).toFixed(2)}x the body).`,
  `- 100,000 rounds of validate, flatten and rows on the 1-asset body, after 1,000 of them: memory ${mb(steady.before)} before, ${mb(steady.after)} after.`,
].join("\n");
const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
const workerdVersion = JSON.parse(fs.readFileSync(path.join(root, "node_modules/workerd/package.json"), "utf8")).version;
const env = `Node ${process.version}${workerd ? `, workerd ${workerdVersion}` : ""}, ${cpu}, ${os.cpus().length} cores; times are medians of ${ROUNDS} alternating rounds, ratios the medians of the rounds' ratios`;
const table = `${env}.\n\n${lines.join("\n")}\n${extra}\n`;
process.stdout.write(`\n${table}`);

if (args.has("--write")) {
  const page = path.join(root, "docs/speed.md");
  const text = fs.readFileSync(page, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const [before, rest] = text.split(start);
  if (rest === undefined || !rest.includes(end)) throw new Error(`docs/speed.md needs ${start} … ${end}`);
  fs.writeFileSync(page, `${before}${start}\n${table}${end}${rest.slice(rest.indexOf(end) + end.length)}`);
  process.stderr.write("docs/speed.md: speed table written\n");
}
