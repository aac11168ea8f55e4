// Attack benchmark: how the package holds up against hostile bodies that stay under the default
// 5 MiB `maxBytes`. For each attack body (built here, deterministically, from the test fixtures)
// and each function it targets, it measures on a fresh instance of the module:
//   - the wall time of the one call,
//   - the WebAssembly memory size after it (the module's memory, read from the instance: the
//     package does not export it, so `WebAssembly.Instance` is wrapped before the package loads
//     and every instance's `exports.memory` is recorded; the last one recorded is read, so a
//     version that replaces its instance after a trap is still measured right),
//   - the output size (JSON.stringify(result).length), or the error code when it threw (or, for
//     codeStep, the code of the error record it returned),
//   - the process RSS after the call,
//   - whether the instance then still answers `validate("{}")` as a fresh instance does (a trap
//     can leave the module unusable),
// and, for scale, the time of `validate` and of `JSON.parse` on every body.
//
// Each (attack, function) runs in a child process of its own (`--one ATTACK --step STEP`) with a
// hard timeout, so an attack that runs for minutes or grows the memory to 4 GiB cannot hang the
// run; a timed-out step shows as ">60 s". The whole run also has a budget (`--budget`, seconds):
// a step that would start past it is not run. No dependencies beyond Node's built-ins.
//
//   node bench/attacks.mjs [--pkg DIR] [--timeout S] [--budget S] [--only NAME[,NAME]]
//
// --pkg: the built package (default: this repository's pkg/, from `bash scripts/build.sh`); the
// children load DIR/dist/leadhook.inline.mjs. --timeout: per step, default 60 s. --budget:
// default 840 s. --only: attack names (see ATTACKS), comma-separated.
//
// The attacks:
//   deep-keys            a lead event (tests/fixtures/lead-event/vendor-sample.json) whose payload
//                        also holds a 60-level nested object; every key is 1,000 bytes, and the
//                        deepest 38 levels also hold a leaf (~99 KB) -> flatten, codeStep
//   bulk-distinct-keys   a LeadSquared bulk array of copies of tests/fixtures/leadsquared/
//                        lead-create.json, each with one more distinct key mx_Custom_k{i}
//                        (~126 KB) -> rows, toCsv, codeStep {lineItems: true}
//   csv-one-key          [{"k0":1},{"k1":1},…] (~47 KB) -> toCsv
//   trap-long-key        a lead event whose payload holds one 200,000-byte key over an object of
//                        10,000 members (~299 KB) -> flatten, then the next call
//   trap-bulk            a LeadSquared bulk of 12,000 records {"ProspectID":"1","mx_k{i}":1}
//                        (~386 KB) -> rows, then the next call
//   memory-kept          a LeadSquared bulk of lead-create records (~3.4 MB) -> rows, then the
//                        memory after 20 further small validate calls
//   validate-worst       a Leadsie v2 body (tests/fixtures/leadsie-v2/vendor-sample.json) with as
//                        many empty assets {} as fit in 4.8 MB, against the same body with its
//                        valid asset repeated to the same size -> validate; time per MB and ratio
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = path.join(root, "tests", "fixtures");

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const args = { pkg: path.join(root, "pkg"), timeout: 60, budget: 840, only: null, one: null, step: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--pkg") args.pkg = path.resolve(value());
    else if (a === "--timeout") args.timeout = Number(value());
    else if (a === "--budget") args.budget = Number(value());
    else if (a === "--only") args.only = value().split(",").map((s) => s.trim()).filter(Boolean);
    else if (a === "--one") args.one = value();
    else if (a === "--step") args.step = value();
    else usage(`unknown argument ${a}`);
  }
  if (!(args.timeout > 0) || !(args.budget > 0)) usage("--timeout and --budget take a positive number of seconds");
  return args;
}

function usage(message) {
  console.error(`attacks: ${message}\nusage: node bench/attacks.mjs [--pkg DIR] [--timeout S] [--budget S] [--only NAME[,NAME]]`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The bodies (compact JSON text, deterministic)

const fixture = (rel) => JSON.parse(fs.readFileSync(path.join(FIXTURES, rel), "utf8"));
const pad = (prefix, n, fill = "x") => prefix + fill.repeat(n - prefix.length);

// A JSON array of `items(i)` texts, as many as `until(bytes, count)` allows.
function arrayOf(item, until) {
  const parts = [];
  let bytes = 2;
  for (let i = 0; until(bytes, i); i++) {
    const text = item(i);
    parts.push(text);
    bytes += text.length + (i > 0 ? 1 : 0);
  }
  return `[${parts.join(",")}]`;
}

const BODIES = {
  // 60 nested levels under payload.deep, every key 1,000 bytes; the deepest 38 levels also hold
  // a leaf, so that flatten's keys (each repeating its ancestors' keys) add up to ~1.6 MB.
  deepKeys() {
    const LEVELS = 60, KEY = 1000, LEAVES = 38;
    let node = {};
    for (let d = LEVELS; d >= 1; d--) {
      if (d > LEVELS - LEAVES) node[pad(`leaf${d}_`, KEY)] = d;
      if (d > 1) node = { [pad(`level${d - 1}_`, KEY)]: node };
    }
    const body = fixture("lead-event/vendor-sample.json");
    body.payload[pad("level0_", KEY)] = node;
    return JSON.stringify(body);
  },
  bulkDistinctKeys() {
    const record = JSON.stringify(fixture("leadsquared/lead-create.json"));
    const item = (i) => `${record.slice(0, -1)},"mx_Custom_k${i}":1}`;
    return arrayOf(item, (bytes) => bytes < 126_000);
  },
  csvOneKey() {
    return arrayOf((i) => `{"k${i}":1}`, (bytes) => bytes < 47_000);
  },
  trapLongKey() {
    const members = {};
    for (let i = 0; i < 10_000; i++) members[`m${i}`] = 1;
    const body = fixture("lead-event/vendor-sample.json");
    body.payload[pad("", 200_000, "a")] = members;
    return JSON.stringify(body);
  },
  trapBulk() {
    return arrayOf((i) => `{"ProspectID":"1","mx_k${i}":1}`, (_, i) => i < 12_000);
  },
  memoryKept() {
    const record = fixture("leadsquared/lead-create.json");
    const item = (i) => JSON.stringify({ ...record, ProspectAutoId: String(3142 + i) });
    return arrayOf(item, (bytes) => bytes < 3_400_000);
  },
  // As many empty assets as fit in 4.8 MB (4,800,000 bytes, under the 5 MiB default).
  leadsieEmptyAssets() {
    const body = fixture("leadsie-v2/vendor-sample.json");
    body.connectionAssets = [];
    const base = JSON.stringify(body).length;
    const n = Math.floor((4_800_000 - base + 1) / 3);
    body.connectionAssets = new Array(n).fill(0).map(() => ({}));
    return JSON.stringify(body);
  },
  // The same size, with the fixture's valid asset repeated.
  leadsieValidAssets() {
    const body = fixture("leadsie-v2/vendor-sample.json");
    const asset = body.connectionAssets[0];
    body.connectionAssets = [];
    const base = JSON.stringify(body).length;
    const each = JSON.stringify(asset).length + 1;
    const n = Math.floor((4_800_000 - base + 1) / each);
    body.connectionAssets = new Array(n).fill(asset);
    return JSON.stringify(body);
  },
};

// The attacks: each names its body and the steps to run on it (one child process each).
// `scale` steps time JSON.parse and validate on the body; the others call one function.
const ATTACKS = [
  { name: "deep-keys", title: "deep keys", body: "deepKeys", steps: ["scale", "flatten", "codeStep"] },
  { name: "bulk-distinct-keys", title: "bulk distinct keys", body: "bulkDistinctKeys", steps: ["scale", "rows", "toCsv", "codeStep+lineItems"] },
  { name: "csv-one-key", title: "csv one-key objects", body: "csvOneKey", steps: ["scale", "toCsv"] },
  { name: "trap-long-key", title: "trap: long key", body: "trapLongKey", steps: ["scale", "flatten"] },
  { name: "trap-bulk", title: "trap: bulk", body: "trapBulk", steps: ["scale", "rows"] },
  { name: "memory-kept", title: "memory kept", body: "memoryKept", steps: ["scale", "rows+20validate"] },
  { name: "validate-worst", title: "validate worst case", body: "leadsieEmptyAssets", steps: ["scale"] },
  { name: "validate-valid", title: "validate: valid Leadsie v2 of the same size", body: "leadsieValidAssets", steps: ["scale"] },
];

// ---------------------------------------------------------------------------------------------
// The child: one step on a fresh instance; each result is written as one JSON line at once, so
// that what was measured before a timeout still reaches the parent.

function emit(obj) {
  fs.writeSync(1, JSON.stringify(obj) + "\n");
}

const instances = [];
function recordInstances() {
  const W = WebAssembly;
  const record = (instance) => {
    if (instance && instance.exports && instance.exports.memory instanceof W.Memory) instances.push(instance);
    return instance;
  };
  W.Instance = new Proxy(W.Instance, {
    construct(target, args, newTarget) {
      return record(Reflect.construct(target, args, newTarget));
    },
  });
  const instantiate = W.instantiate;
  W.instantiate = async function (...args) {
    const result = await instantiate.apply(this, args);
    record(result instanceof W.Instance ? result : result.instance);
    return result;
  };
}
const wasmBytes = () => (instances.length === 0 ? null : instances[instances.length - 1].exports.memory.buffer.byteLength);

// What a result is: its size, or the code of the error it carries.
function describeResult(result) {
  if (result && typeof result === "object" && !Array.isArray(result) && typeof result.error === "string" && Array.isArray(result.errors)) {
    // codeStep's error record
    return { kind: "error", code: result.errors[0]?.code ?? "?", message: result.errors[0]?.message ?? result.error, bytes: safeLength(result) };
  }
  if (result && typeof result === "object" && result.ok === false && Array.isArray(result.errors)) {
    // a failed report (validate)
    return { kind: "report", code: result.errors[0]?.code ?? "?", count: result.errors.length, bytes: safeLength(result) };
  }
  return { kind: "value", bytes: safeLength(result), count: Array.isArray(result) ? result.length : undefined };
}
function safeLength(value) {
  try {
    return JSON.stringify(value).length;
  } catch (error) {
    return `unserialisable (${error.message})`;
  }
}
function describeError(error) {
  if (error && error.name === "LeadhookError" && error.report) {
    const first = error.report.errors?.[0];
    return { kind: "threw", code: first?.code ?? "?", message: first?.message ?? String(error.message) };
  }
  return { kind: "threw", code: `${error?.constructor?.name ?? "Error"}`, message: String(error?.message ?? error).slice(0, 200) };
}

const rss = () => process.memoryUsage().rss;

async function child(args) {
  const attack = ATTACKS.find((a) => a.name === args.one);
  if (!attack) usage(`no attack ${args.one}`);
  const body = BODIES[attack.body]();
  recordInstances();
  const entry = path.join(args.pkg, "dist", "leadhook.inline.mjs");
  // A reference instance first: what a fresh module answers to validate("{}").
  const reference = await import(pathToFileURL(entry).href + "?reference");
  const expected = JSON.stringify(reference.validate("{}"));
  // The instance under attack: loaded last, so that the last memory recorded is its own.
  const api = await import(pathToFileURL(entry).href);
  emit({ type: "start", bytes: Buffer.byteLength(body), sha: crypto.createHash("sha256").update(body).digest("hex").slice(0, 12), rssBefore: rss(), wasmBefore: wasmBytes() });

  const timed = (fn) => {
    const t0 = performance.now();
    try {
      const value = fn();
      return { ms: performance.now() - t0, value };
    } catch (error) {
      return { ms: performance.now() - t0, error };
    }
  };

  if (args.step === "scale") {
    const p = timed(() => JSON.parse(body));
    emit({ type: "parse", ms: p.ms, ok: !p.error });
    const v = timed(() => api.validate(body));
    emit({ type: "call", fn: "validate", ms: v.ms, wasm: wasmBytes(), rss: rss(), out: v.error ? describeError(v.error) : describeValidate(v.value) });
  } else {
    const opts = args.step === "codeStep+lineItems" ? { lineItems: true } : undefined;
    const fn = args.step.replace(/\+.*/, "");
    const call = fn === "codeStep" ? () => api.codeStep({ payload: body }, opts) : () => api[fn](body, opts);
    const r = timed(call);
    const out = r.error ? describeError(r.error) : describeResult(r.value);
    r.value = undefined; // let the output go before the next call
    emit({ type: "call", fn: args.step, ms: r.ms, wasm: wasmBytes(), rss: rss(), instances: instances.length, out });
  }

  // The next call: does the instance still answer as a fresh one does?
  const n = timed(() => api.validate("{}"));
  const got = n.error ? null : JSON.stringify(n.value);
  emit({
    type: "next",
    ms: n.ms,
    ok: got === expected,
    got: n.error ? describeError(n.error) : got === expected ? undefined : got.slice(0, 200),
    wasm: wasmBytes(),
    instances: instances.length,
  });

  if (args.step === "rows+20validate") {
    const small = JSON.stringify(fixture("leadsquared/lead-create.json"));
    let ok = 0;
    for (let i = 0; i < 20; i++) {
      try {
        if (api.validate(small).ok === true) ok++;
      } catch {}
    }
    emit({ type: "after20", ok, wasm: wasmBytes(), rss: rss() });
  }
}

function describeValidate(report) {
  if (report && report.ok === true) return { kind: "valid", kindName: report.kind, warnings: report.warnings.length, bytes: safeLength(report) };
  return describeResult(report);
}

// ---------------------------------------------------------------------------------------------
// The parent: every step in its own child, then the tables.

const MiB = 1024 * 1024;
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const fmtBytes = (n) => (typeof n !== "number" ? String(n) : `${n.toLocaleString("en")} B`);
const fmtMem = (n) => (typeof n !== "number" ? "?" : `${(n / MiB).toFixed(1)} MiB`);
const cell = (s) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");

function fmtOut(out) {
  if (!out) return "?";
  if (out.kind === "threw") return `threw ${out.code}: ${out.message.slice(0, 90)}`;
  if (out.kind === "error") return `error record ${out.code}: ${out.message.slice(0, 90)} (${fmtBytes(out.bytes)})`;
  if (out.kind === "report") return `report ${out.code} (${out.count} errors, ${fmtBytes(out.bytes)})`;
  if (out.kind === "valid") return `ok ${out.kindName}, ${out.warnings} warnings (${fmtBytes(out.bytes)})`;
  return `${fmtBytes(out.bytes)}${out.count !== undefined ? ` (${out.count.toLocaleString("en")} records)` : ""}`;
}

function runStep(args, attack, step, timeoutS) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--one", attack.name, "--step", step, "--pkg", args.pkg], {
    timeout: timeoutS * 1000,
    killSignal: "SIGKILL",
    maxBuffer: 64 * MiB,
    encoding: "utf8",
  });
  const lines = (r.stdout || "").split("\n").filter(Boolean).map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      return { type: "noise", text: l };
    }
  });
  const by = (type) => lines.find((l) => l.type === type);
  const timedOut = r.error?.code === "ETIMEDOUT" || (r.signal === "SIGKILL" && performance.now() - started >= timeoutS * 1000 - 50);
  return {
    attack,
    step,
    timeoutS,
    timedOut,
    status: r.status,
    signal: r.signal,
    stderr: (r.stderr || "").trim().split("\n").slice(-3).join(" / "),
    wallS: (performance.now() - started) / 1000,
    start: by("start"),
    parse: by("parse"),
    call: by("call"),
    next: by("next"),
    after20: by("after20"),
  };
}

async function parent(args) {
  const inline = path.join(args.pkg, "dist", "leadhook.inline.mjs");
  if (!fs.existsSync(inline)) {
    console.error(`attacks: ${inline} not found; build the package first (bash scripts/build.sh) or pass --pkg DIR`);
    process.exit(1);
  }
  let version = "?";
  try {
    version = JSON.parse(fs.readFileSync(path.join(args.pkg, "package.json"), "utf8")).version;
  } catch {}
  const wasmFile = path.join(args.pkg, "leadhook_bg.wasm");
  const wasmSha = fs.existsSync(wasmFile) ? crypto.createHash("sha256").update(fs.readFileSync(wasmFile)).digest("hex").slice(0, 12) : "?";
  // validate-worst brings its comparison, validate-valid, with it.
  const only = args.only && (args.only.includes("validate-worst") ? [...args.only, "validate-valid"] : args.only);
  const unknown = only ? only.filter((n) => !ATTACKS.some((a) => a.name === n)) : [];
  if (unknown.length > 0) usage(`no attack ${unknown.join(", ")}; --only takes: ${ATTACKS.map((a) => a.name).join(", ")}`);
  const attacks = only ? ATTACKS.filter((a) => only.includes(a.name)) : ATTACKS;

  console.log(`# leadhook attacks`);
  console.log("");
  console.log(`pkg: ${args.pkg} (version ${version}, leadhook_bg.wasm sha256 ${wasmSha}…)`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}; per-step timeout ${args.timeout} s, budget ${args.budget} s; ${new Date().toISOString()}`);
  console.log("");

  const deadline = performance.now() + args.budget * 1000;
  const results = [];
  for (const attack of attacks) {
    for (const step of attack.steps) {
      const left = (deadline - performance.now()) / 1000;
      if (left < 5) {
        results.push({ attack, step, skipped: true });
        console.error(`  ${attack.name} ${step}: not run (budget spent)`);
        continue;
      }
      const timeoutS = Math.min(args.timeout, left);
      const r = runStep(args, attack, step, timeoutS);
      results.push(r);
      const t = r.timedOut ? `>${Math.round(timeoutS)} s` : r.call ? fmtMs(r.call.ms) : `exit ${r.status ?? r.signal}`;
      console.error(`  ${attack.name} ${step}: ${t} (child ${r.wallS.toFixed(1)} s)`);
    }
  }
  console.error("");

  const bodyOf = new Map();
  for (const r of results) if (r.start) bodyOf.set(r.attack.name, r.start);

  // Scale: the size of each body, and the time JSON.parse and validate take on it.
  console.log("## Bodies, for scale: JSON.parse and validate on each");
  console.log("");
  console.log("| attack | body | JSON.parse | validate | validate's answer | wasm memory | RSS |");
  console.log("|---|---:|---:|---:|---|---:|---:|");
  for (const r of results.filter((r) => r.step === "scale")) {
    const b = bodyOf.get(r.attack.name);
    if (r.skipped) {
      console.log(`| ${cell(r.attack.title)} | ${b ? fmtBytes(b.bytes) : "?"} | not run (budget) | | | | |`);
      continue;
    }
    const v = r.call;
    const time = v ? fmtMs(v.ms) : r.timedOut ? `>${Math.round(r.timeoutS)} s` : `died (${r.status ?? r.signal})`;
    console.log(
      `| ${cell(r.attack.title)} | ${b ? fmtBytes(b.bytes) : "?"} | ${r.parse ? fmtMs(r.parse.ms) : "?"} | ${time} | ${cell(v ? fmtOut(v.out) : r.stderr || "")} | ${v ? fmtMem(v.wasm) : "?"} | ${v ? fmtMem(v.rss) : "?"} |`,
    );
  }
  console.log("");

  // The attacks.
  console.log("## Attacks");
  console.log("");
  console.log("| attack | function | time | wasm memory | output | next call ok | RSS after |");
  console.log("|---|---|---:|---:|---|---|---:|");
  // validate-worst and validate-valid have validate itself as their attack.
  const attacked = (r) => r.step !== "scale" || r.attack.name === "validate-worst" || r.attack.name === "validate-valid";
  for (const r of results.filter(attacked)) {
    const fn = r.step === "scale" ? "validate" : r.step.replace("+lineItems", " {lineItems:true}").replace("+20validate", "");
    if (r.skipped) {
      console.log(`| ${cell(r.attack.title)} | ${fn} | not run (budget) | | | | |`);
      continue;
    }
    const c = r.call;
    let time, mem, out, next, rssCell;
    if (c) {
      time = fmtMs(c.ms);
      mem = fmtMem(c.wasm);
      out = fmtOut(c.out);
      rssCell = fmtMem(c.rss);
    } else if (r.timedOut) {
      time = `>${Math.round(r.timeoutS)} s`;
      mem = out = rssCell = "?";
      out = "(killed at the timeout)";
    } else {
      time = "?";
      mem = rssCell = "?";
      out = `child died (${r.status ?? r.signal})${r.stderr ? `: ${r.stderr.slice(0, 160)}` : ""}`;
    }
    if (r.next) {
      next = r.next.ok ? `yes (${fmtMs(r.next.ms)})` : `**no**: ${r.next.got && typeof r.next.got === "object" ? fmtOut(r.next.got) : r.next.got}`;
      if (r.next.instances > 2) next += `; ${r.next.instances - 2} new instance(s)`;
    } else {
      next = c ? (r.timedOut ? "(killed at the timeout)" : `child died (${r.status ?? r.signal})`) : "-";
    }
    console.log(`| ${cell(r.attack.title)} | ${fn} | ${time} | ${mem} | ${cell(out)} | ${cell(next)} | ${rssCell} |`);
    if (r.after20) {
      console.log(
        `| ${cell(r.attack.title)} | then 20 × validate (lead-create.json) | | ${fmtMem(r.after20.wasm)} | ${r.after20.ok}/20 valid | | ${fmtMem(r.after20.rss)} |`,
      );
    }
  }
  console.log("");

  // validate: the worst case against a valid body of the same size.
  const worst = results.find((r) => r.attack.name === "validate-worst" && r.step === "scale");
  const valid = results.find((r) => r.attack.name === "validate-valid" && r.step === "scale");
  if (worst && valid && !worst.skipped && !valid.skipped) {
    const per = (r) => (r.call && r.start ? r.call.ms / (r.start.bytes / 1e6) : null);
    const a = per(worst), b = per(valid);
    console.log("## validate: empty assets against valid assets, same size");
    console.log("");
    const line = (label, r, p) =>
      `${label}: ${r.start ? fmtBytes(r.start.bytes) : "?"}, ${r.call ? fmtMs(r.call.ms) : r.timedOut ? `>${Math.round(r.timeoutS)} s` : "?"}` +
      (p !== null ? `, ${fmtMs(p)} per MB` : "");
    console.log(`- ${line("empty assets {}", worst, a)}`);
    console.log(`- ${line("valid assets", valid, b)}`);
    console.log(`- ratio (per MB): ${a !== null && b !== null ? `${(a / b).toFixed(1)}×` : "?"}`);
    console.log("");
  }
}

const args = parseArgs(process.argv.slice(2));
if (args.one) await child(args);
else await parent(args);
