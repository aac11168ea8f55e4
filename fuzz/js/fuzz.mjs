// fuzz/js/fuzz.mjs: a fuzz harness for the built leadhook package (plain ESM, Node 20 built-ins only).
//
//   node fuzz/js/fuzz.mjs [--runs N=3000] [--seconds S=60] [--seed N=20240601] [--pkg FILE] [--iter I]
//
// Each iteration takes a fixture of tests/fixtures/** (with the "opts" of its .expect.json),
// mutates it (bytes flipped, cut, runs duplicated, special tokens inserted: __proto__, deep [[[[,
// long strings, lone surrogates, U+FEFF, 1e400, -0, …), gives it as a string, a Uint8Array, an
// ArrayBuffer or a JSON.parse'd value, and calls every export with plain and hostile options
// (throwing or changing getters, Proxies, toJSON, null prototypes, inherited keys, numbers,
// NaN/-Infinity limits, unknown names). It checks:
//   - detect, validate, verifySecret, verifyHeader, verifySignature, eventKey, codeStep never throw;
//     parse, flatten, rows, toCsv, upgrade throw only LeadhookError; parseEventType only TypeError for
//     a non-string; schema only TypeError for a non-kind; kinds never;
//   - no WebAssembly trap: an error mentioning "unreachable"/RuntimeError, an "internal.trap" issue,
//     or an instance replaced while its memory was small (a trap that detect/eventKey/verify* swallow);
//   - validate gives a well-formed Report (ok === !errors.length; issues {path "" or "/…", code, message});
//   - no prototype pollution, and flatten/rows/parse outputs are plain (own data "__proto__" keys);
//   - events refused exactly when flatten is, and one event's record, rows and key are flatten's,
//     rows' and eventKey's;
//   - agreement with JSON.parse (documented differences excepted: duplicate keys, "\ud800" escapes,
//     maxDepth, a leading BOM, form bodies);
//   - every 100 iterations, validate("{}") still answers kind.unknown.
// Every iteration draws from its own generator (seed, iteration): `--seed S --iter I` replays one.
// Prints `fuzz: N runs in S s, C calls, T traps, F failures`, the first 20 failures, then
// `N passed, F failed`; exits 1 on any failure or trap.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const RUNS = Number(arg("runs", 3000));
const SECONDS = Number(arg("seconds", 60));
const SEED = Number(arg("seed", 20240601)) >>> 0;
const ONLY = arg("iter", undefined);
const PKG = path.resolve(arg("pkg", path.join(root, "pkg/dist/leadhook.node.mjs")));
const replay = (iter) => `node fuzz/js/fuzz.mjs --seed ${SEED} --iter ${iter}${args.includes("--pkg") ? ` --pkg ${arg("pkg")}` : ""}`;

// Every instance the package makes is noted: an instance replaced while the old one's memory is
// small (the package gives memory back only past 8 MiB) was replaced after a trap.
const RealInstance = WebAssembly.Instance;
let lastInstance = null;
let silentTraps = 0;
WebAssembly.Instance = class extends RealInstance {
  constructor(module, imports) {
    super(module, imports);
    const mem = lastInstance && lastInstance.exports.memory;
    if (mem && mem.buffer.byteLength <= 8 * 1024 * 1024) silentTraps++;
    lastInstance = this;
  }
};
const lh = await import(pathToFileURL(PKG).href);
const { LeadhookError } = lh;

// ---- fixtures, loaded as tests/node/fixtures.mjs does: a body beside NAME.expect.json ----
const fixtures = [];
(function collect(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collect(p);
    else if (!e.name.endsWith(".expect.json")) {
      const expect = path.join(dir, `${e.name.replace(/\.[^.]*$/, "")}.expect.json`);
      let opts;
      try { opts = JSON.parse(fs.readFileSync(expect, "utf8")).opts; } catch { opts = undefined; }
      fixtures.push({ name: path.relative(root, p), bytes: new Uint8Array(fs.readFileSync(p)), opts });
    }
  }
})(path.join(root, "tests/fixtures"));

// ---- randomness: mulberry32, one stream per (seed, iteration) ----
function rng(seed, iter) {
  let a = (seed ^ Math.imul(iter + 1, 0x9e3779b9)) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)], chance: (p) => next() < p };
}

// ---- mutation ----
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { ignoreBOM: true });
const TOKENS = [
  '{"__proto__":{"polluted":1}}', '"__proto__":{"polluted":1},', '"constructor":{"prototype":{"polluted":1}},',
  '"constructor"', '"prototype"', '"__proto__"', "1e400", "-0", "-0.0e-0", "-1e-400", "123456789012345678901234567890",
  '"\\ud800"', '"\\udc00x"', '"\\u0000"', "\uFEFF", "null", "true", '"secret":"s3cret",', '"a":1,"a":2,', "a=b&c=d",
  "%ZZ", "=", "&", "'", "\\", '"', "]", "}", ",", ":", "\u2028", "\uD800", "\uDFFF", "\uD83D\uDE00",
  '"eventType":"Lead_Post_Create",', '"connectionAssets":[],', '"apiVersion":2,', '"=cmd|x"',
];
const deep = (r) => { const n = r.pick([10, 63, 64, 65, 200, 511, 513, 3000]); const o = r.chance(0.5) ? "[" : '{"a":'; return r.chance(0.5) ? o.repeat(n) : o.repeat(n) + "1" + (o === "[" ? "]" : "}").repeat(n); };
const long = (r) => `"${r.pick(["x", "é", "\uD800", "\\u00e9", "=", "𝄞"]).repeat(r.pick([201, 1000, 65537, 200000]))}"`;

function mutateText(text, r, ops) {
  const at = () => {
    // Prefer a structural position, where a token keeps the JSON readable.
    const structural = [];
    for (let i = 0; i < text.length && structural.length < 64; i += 1 + r.int(8)) if ("{[,:".includes(text[i])) structural.push(i + 1);
    return structural.length && r.chance(0.7) ? r.pick(structural) : r.int(text.length + 1);
  };
  const n = 1 + r.int(3);
  for (let k = 0; k < n; k++) {
    const op = r.int(6);
    const i = at();
    if (op <= 2) { const t = r.pick(TOKENS); ops.push(`insert ${JSON.stringify(t)}@${i}`); text = text.slice(0, i) + t + text.slice(i); }
    else if (op === 3) { const t = deep(r); ops.push(`deep ${t.length}@${i}`); text = text.slice(0, i) + t + text.slice(i); }
    else if (op === 4) { const t = long(r); ops.push(`long ${t.length}@${i}`); text = text.slice(0, i) + t + text.slice(i); }
    else { ops.push("bom"); text = "\uFEFF" + text; }
  }
  return text;
}

// Structure-level: a key or value of a random object or array of the parsed body replaced.
function mutateTree(text, r, ops) {
  let v;
  try { v = JSON.parse(text); } catch { return text; }
  const nodes = [];
  (function walk(x) { if (x !== null && typeof x === "object" && nodes.length < 500) { nodes.push(x); for (const k of Object.keys(x)) walk(x[k]); } })(v);
  const n = 1 + r.int(3);
  for (let k = 0; k < n && nodes.length; k++) {
    const node = r.pick(nodes);
    const keys = Object.keys(node);
    const key = Array.isArray(node) ? r.int(node.length + 1) : r.pick([...keys, ...keys, "__proto__", "constructor", "prototype", "secret", "", "a/b~c"]);
    const value = r.pick([() => ({ polluted: 1 }), () => { let x = 1; for (let i = r.pick([63, 64, 65, 600]); i--; ) x = i % 2 ? [x] : { a: x }; return x; }, () => JSON.parse(long(r)), () => "\uD800",
      () => "\uFEFF=1", () => -0, () => 1e308, () => null, () => [], () => ({}), () => true, () => "=HYPERLINK(1)", () => node[r.pick(keys)], () => structuredClone(node)])();
    ops.push(`tree ${JSON.stringify(String(key))}`);
    Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true }); // "__proto__" stays an own key
  }
  let out = JSON.stringify(v) ?? text;
  if (r.chance(0.3)) { const num = r.pick(["1e400", "-0", "-0.0", "1E-400", "12345678901234567890123"]); ops.push(`number ${num}`); out = out.replace(/(:|\[|,)-?\d+(\.\d+)?([eE][-+]?\d+)?(?=[,\]}])/, `$1${num}`); }
  return out;
}

function mutateBytes(b, r, ops) {
  let bytes = Array.from(b);
  const n = r.int(4);
  for (let k = 0; k < n; k++) {
    const op = r.int(5);
    const i = r.int(bytes.length + 1);
    const len = 1 + r.int(Math.max(1, Math.min(64, bytes.length - i)));
    if (op === 0 && bytes.length) { ops.push(`flip@${i}`); bytes[Math.min(i, bytes.length - 1)] ^= 1 << r.int(8); }
    else if (op === 1) { ops.push(`cut ${len}@${i}`); bytes.splice(i, len); }
    else if (op === 2) { const run = bytes.slice(i, i + len); const times = 1 + r.int(r.chance(0.1) ? 5000 : 4); ops.push(`dup ${run.length}x${times}@${i}`); bytes.splice(i, 0, ...Array(times).fill(run).flat().slice(0, 100000)); }
    else if (op === 3) { ops.push(`truncate@${i}`); bytes = bytes.slice(0, i); }
    else { const v = r.pick([0x00, 0x80, 0xc0, 0xed, 0xef, 0xff, 0x22, 0x5c]); ops.push(`set ${v}@${i}`); bytes.splice(i, 0, v); }
  }
  return Uint8Array.from(bytes);
}

// ---- options: plain ones (the checks may read them again) and hostile ones ----
const KINDS = ["leadsie.v2", "leadsie.v1", "lead-event", "lead-event.v2", "leadsquared"];
const FORM = "application/x-www-form-urlencoded";
function plainOpts(r, fx) {
  return r.pick([
    () => undefined, () => ({}), () => fx.opts, () => ({ kind: r.pick(KINDS) }), () => ({ strict: true }),
    () => ({ maxOutputBytes: r.int(300) }), () => ({ maxIssues: r.int(6) }), () => ({ contentType: FORM }),
    () => ({ redact: r.pick([["email"], ["secret", "id", "ProspectID"], [], ["__proto__"]]) }), () => ({ lineItems: true }),
    () => ({ url: "https://h.example/l?eventType=Lead_Post_Create&entityType=webhook" }), () => ({ maxDepth: r.pick([1, 2, 64, 600]) }),
  ])();
}
function hostileOpts(r) {
  let n = 0;
  const h = [
    ["throwing getter", () => ({ get strict() { throw new Error("getter boom"); } })],
    ["flipping getter", () => ({ get kind() { return n++ % 2 ? "leadsie.v1" : "lead-event"; }, get maxBytes() { return n++ % 2 ? 1 : undefined; } })],
    ["Proxy", () => new Proxy({ kind: "leadsquared" }, { get: (t, k) => (k === "maxBytes" ? n++ % 2 ? 0 : undefined : Reflect.get(t, k)) })],
    ["Proxy throwing ownKeys", () => new Proxy({}, { ownKeys() { throw new Error("ownKeys boom"); } })],
    ["Proxy throwing getPrototypeOf", () => new Proxy({}, { getPrototypeOf() { throw new Error("proto boom"); } })],
    ["toJSON", () => ({ toJSON: () => ({ strict: true, kind: "leadsie.v2" }) })],
    ["toJSON undefined", () => ({ toJSON: () => undefined })],
    ["toJSON throws", () => ({ toJSON() { throw new Error("toJSON boom"); } })],
    ["null prototype", () => Object.assign(Object.create(null), { kind: "lead-event" })],
    ["inherited keys", () => Object.assign(Object.create({ maxDepth: 1, stric: true }), { strict: true })],
    ["own __proto__", () => JSON.parse('{"__proto__":{"strict":true},"kind":"leadsie.v1"}')],
    ["class instance", () => new (class { constructor() { this.kind = "leadsquared"; } })()],
    ["number", () => r.pick([5, 0, -1, NaN])], ["string", () => "strict"], ["boolean", () => true], ["array", () => [1, 2]],
    ["NaN limit", () => ({ maxBytes: NaN })], ["-Infinity limit", () => ({ maxDepth: -Infinity })],
    ["Infinity output", () => ({ maxOutputBytes: Infinity })], ["NaN issues", () => ({ maxIssues: NaN })],
    ["negative limit", () => ({ maxBytes: -1, maxOutputBytes: -5 })], ["huge depth", () => ({ maxDepth: 1e308 })],
    ["BigInt", () => ({ maxBytes: 10n })], ["symbol", () => ({ kind: Symbol("k") })], ["unknown names", () => ({ stric: true, foo: 1 })],
    ["bad types", () => ({ kind: 5, strict: "yes", redact: "secret", contentType: 7, url: {} })],
    ["headers", () => ({ headers: { "X-Webhook-Delivery-Id": "d1" } })],
  ];
  const [name, make] = r.pick(h);
  return { name, make };
}

// ---- checks ----
const failures = [];
let calls = 0, traps = 0;
const trapText = (s) => /unreachable|RuntimeError|internal\.trap/.test(String(s));
const protoKeys = Object.getOwnPropertyNames(Object.prototype).join();

function issueProblem(i) {
  if (i === null || typeof i !== "object") return "an issue that is not an object";
  if (typeof i.path !== "string" || !(i.path === "" || i.path.startsWith("/"))) return `bad path ${JSON.stringify(i.path)}`;
  if (typeof i.code !== "string" || typeof i.message !== "string") return "issue code/message not strings";
  return null;
}
function reportProblem(rep) {
  if (rep === null || typeof rep !== "object") return "not an object";
  const keys = Object.keys(rep).sort().join();
  if (keys !== "errors,kind,ok,warnings") return `keys ${keys}`;
  if (!Array.isArray(rep.errors) || !Array.isArray(rep.warnings)) return "errors/warnings not arrays";
  if (rep.ok !== (rep.errors.length === 0)) return `ok ${rep.ok} with ${rep.errors.length} errors`;
  if (rep.kind !== null && !KINDS.includes(rep.kind)) return `kind ${JSON.stringify(rep.kind)}`;
  for (const i of [...rep.errors, ...rep.warnings]) { const p = issueProblem(i); if (p) return p; }
  return null;
}
const hasTrapIssue = (rep) => !!rep && typeof rep === "object" && [...(rep.errors || []), ...(rep.warnings || [])].some((i) => i && i.code === "internal.trap");

// Objects of an output: plain prototypes only; a "__proto__" key an own data property.
function plainProblem(v, seen = { n: 0 }) {
  if (v === null || typeof v !== "object" || ++seen.n > 20000) return null;
  const proto = Object.getPrototypeOf(v);
  if (proto !== (Array.isArray(v) ? Array.prototype : Object.prototype)) return "an output object has a foreign prototype";
  if (Object.prototype.hasOwnProperty.call(v, "__proto__") && !("value" in Object.getOwnPropertyDescriptor(v, "__proto__"))) return "__proto__ is not a data property";
  for (const k of Object.keys(v)) { const p = plainProblem(v[k], seen); if (p) return p; }
  return null;
}
function recordProblem(rec) {
  const p = plainProblem(rec);
  if (p) return p;
  for (const [k, v] of Object.entries(rec)) if (v !== null && typeof v === "object") return `record value ${k} is an object`;
  return null;
}

// ---- one iteration ----
function iteration(iter) {
  const r = rng(SEED, iter);
  const fx = r.pick(fixtures);
  const ops = [];
  let bytes = r.chance(0.3) ? mutateBytes(fx.bytes, r, ops) : fx.bytes;
  let text = dec.decode(bytes);
  if (r.chance(0.5)) text = mutateTree(text, r, ops);
  if (r.chance(0.3)) text = mutateText(text, r, ops);
  if (ops.length) bytes = enc.encode(text);
  let body, form;
  const f = r.int(10);
  if (f < 4) { body = text; form = "string"; }
  else if (f < 7) { body = bytes; form = "Uint8Array"; }
  else if (f < 8) { body = bytes.slice().buffer; form = "ArrayBuffer"; }
  else { try { body = JSON.parse(text); form = "parsed"; } catch { body = text; form = "string"; } }
  const plain = r.chance(0.65);
  const h = plain ? null : hostileOpts(r);
  const optsName = plain ? "plain" : h.name;
  const makeOpts = plain ? (() => { const o = plainOpts(r, fx); return () => o; })() : h.make;
  const repro = `${replay(iter)}  # ${fx.name}, ${form}, [${ops.join("; ")}], opts ${optsName}${plain ? " " + String(JSON.stringify(makeOpts())) : ""}`;
  const fails = [];
  const fail = (fn, what) => fails.push({ iter, fn, what: String(what).slice(0, 300), repro });

  // Runs `thunk` (one call); `allowed(e)` says whether a throw is documented. Returns the result, or undefined.
  function run(name, allowed, thunk) {
    calls++;
    try {
      return thunk();
    } catch (e) {
      // A LeadhookError's message may quote the body: its codes say whether it is a trap.
      if (e instanceof WebAssembly.RuntimeError || (!(e instanceof LeadhookError) && (trapText(e && e.message) || trapText(e && e.code))) || hasTrapIssue(e && e.report)) {
        traps++; fail(name, `trap: ${e && e.message}`);
      } else if (!allowed(e)) fail(name, `threw ${e && e.name}: ${e && e.message}`);
      else if (e instanceof LeadhookError) { const p = reportProblem(e.report); if (p) fail(name, `LeadhookError report: ${p}`); }
      return undefined;
    }
  }
  const never = () => false;
  const lhError = (e) => e instanceof LeadhookError && e.name === "LeadhookError";
  const opts = makeOpts;

  run("detect", never, () => { const k = lh.detect(body, opts()); if (k !== null && !KINDS.includes(k)) fail("detect", `kind ${k}`); });
  const report = run("validate", never, () => lh.validate(body, opts()));
  if (report !== undefined) {
    const p = reportProblem(report);
    if (p) fail("validate", `malformed report: ${p}`);
    if (hasTrapIssue(report)) { traps++; fail("validate", "internal.trap"); }
    if (plain && !p) agreeWith(body, report, makeOpts(), fail);
    const mi = plain && makeOpts() ? makeOpts().maxIssues : undefined;
    if (!p && typeof mi === "number" && (report.errors.length > mi + 1 || report.warnings.length > mi + 1)) fail("validate", `more than maxIssues ${mi} (+1) issues`);
  }
  // parse's data is what JSON.parse makes of the text (a plain-options JSON body).
  const o0 = plain ? makeOpts() : undefined;
  const jsonText = !plain || (o0 && String(o0.contentType).includes("form")) ? undefined : textOf(body);
  run("parse", lhError, () => {
    const x = lh.parse(body, opts());
    const p = plainProblem(x);
    if (p) return fail("parse", p);
    let want;
    try { want = jsonText === undefined ? undefined : JSON.stringify(JSON.parse(jsonText)); } catch { want = undefined; }
    if (want !== undefined && JSON.stringify(x.data) !== want) fail("parse", `data differs from JSON.parse: ${JSON.stringify(x.data).slice(0, 100)} vs ${want.slice(0, 100)}`);
  });
  const flat = run("flatten", lhError, () => { const rec = lh.flatten(body, opts()); const p = recordProblem(rec); if (p) fail("flatten", p); return rec; });
  const key = run("eventKey", never, () => lh.eventKey(body, opts()));
  const rows = run("rows", lhError, () => { const rs = lh.rows(body, opts()); for (const x of rs) { const p = recordProblem(x); if (p) { fail("rows", p); break; } } return rs; });
  // events: refused exactly when flatten is (plain options); a delivery of one event (not a
  // LeadSquared array, whose flat record counts its records) gives flatten's record, rows' rows
  // and eventKey's key, key order included, whether the module laid the record out or wrote it.
  run("events", lhError, () => {
    const o = opts();
    const each = lh.events(body, o);
    for (const e of each) { const p = recordProblem(e.record); if (p) return fail("events", p); }
    if (!plain) return;
    if (flat === undefined) return fail("events", "gave events where flatten threw");
    if (each.length !== 1 || (each[0].kind === "leadsquared" && "count" in flat)) return;
    if (JSON.stringify(each[0].record) !== JSON.stringify(flat)) fail("events", `record differs from flatten: ${JSON.stringify(each[0].record).slice(0, 120)}`);
    if (each[0].eventKey !== key) fail("events", `key ${each[0].eventKey} is not eventKey's ${key}`);
    const own = lh.events(body, { ...o, output: "rows" });
    if (rows !== undefined && JSON.stringify(own[0].record) !== JSON.stringify(rows)) fail("events", `rows differ from rows: ${JSON.stringify(own[0].record).slice(0, 120)}`);
  });
  run("toCsv", lhError, () => { const c = lh.toCsv(r.chance(0.3) && rows ? rows : body, opts()); if (typeof c !== "string") fail("toCsv", `gave ${typeof c}`); });
  run("upgrade", lhError, () => lh.upgrade(body, opts()));
  run("verifySecret", never, () => { const v = lh.verifySecret(body, r.pick(["s3cret", "", "\uD800", 5, "x".repeat(300)]), opts()); if (typeof v !== "boolean") fail("verifySecret", `gave ${v}`); });
  const headers = r.pick([
    () => ({ "X-Token": typeof body === "string" ? body.slice(0, 40) : "t" }), () => new Map([["x-token", "t"], ["X-TOKEN", "t"]]),
    () => new Headers({ "x-token": "t" }), () => ({ "x-token": ["t", "u"] }), () => ({ get "x-token"() { throw new Error("header boom"); } }),
    () => new Proxy({}, { ownKeys() { throw new Error("ownKeys boom"); } }), () => null, () => "x-token: t", () => JSON.parse('{"__proto__":"t"}'),
    () => ({ "webhook-id": "m", "webhook-timestamp": "1700000000", "webhook-signature": "v1,AAAA", "X-Webhook-Signature": "sha256=00", "X-Webhook-Timestamp": "1700000000" }),
  ])();
  run("verifyHeader", never, () => { const v = lh.verifyHeader(headers, r.pick(["x-token", "X-Token", "__proto__", "\u212Aey", 5]), r.pick(["t", "", "\uD800"])); if (typeof v !== "boolean") fail("verifyHeader", `gave ${v}`); });
  run("verifySignature", never, () => {
    const so = r.pick([undefined, {}, { scheme: "standard", now: 1700000000 }, { toleranceSeconds: NaN }, { now: -Infinity }, { scheme: 5 }, { stric: 1 }, plain ? undefined : opts()]);
    const v = lh.verifySignature(body, headers, r.pick(["s", ["a", "b"], [], "whsec_AAAA", ["", "x"], 7]), so);
    if (typeof v !== "boolean") fail("verifySignature", `gave ${v}`);
  });
  run("eventKey", never, () => { const k = lh.eventKey(body, r.chance(0.2) ? { headers } : opts()); if (k !== null && typeof k !== "string") fail("eventKey", `gave ${k}`); });
  run("codeStep", never, () => {
    const input = r.chance(0.5) ? body : { payload: body, url: r.pick([undefined, "https://x/?eventType=Lead_Post_Create", 5]), contentType: r.pick([undefined, FORM]), line_items: r.pick([undefined, "true"]) };
    const out = lh.codeStep(input, opts());
    if (out === null || typeof out !== "object") return fail("codeStep", `gave ${out}`);
    if (!Array.isArray(out) && typeof out.error === "string") {
      if (hasTrapIssue(out)) { traps++; fail("codeStep", "internal.trap"); }
      for (const i of out.errors || []) { const p = issueProblem(i); if (p) return fail("codeStep", p); }
    } else { const p = plainProblem(out); if (p) fail("codeStep", p); }
  });
  const pet = r.chance(0.7) ? (typeof body === "string" ? body.slice(r.int(20), 20 + r.int(60)) : r.pick(["Lead_Post_Create", "https://x/?eventType=A_Get_B&entityId=1", "", "_", "\uD800"])) : r.pick([body, 5, null, undefined, {}]);
  run("parseEventType", (e) => typeof pet !== "string" && e instanceof TypeError, () => lh.parseEventType(pet));
  const sk = r.pick([...KINDS, "leadsie", "__proto__", "", 5, null, { toString: () => "leadsie.v2" }]);
  run("schema", (e) => !KINDS.includes(sk) && e instanceof TypeError, () => { const s = lh.schema(sk); if (s === null || typeof s !== "object") fail("schema", `gave ${s}`); });
  run("kinds", never, () => { const k = lh.kinds(); if (k.join() !== KINDS.join()) fail("kinds", `gave ${k}`); });

  // The same call again, after all the others, gives the same answer (no state leaks between calls).
  if (plain) {
    const same = (name, a, b) => { if (JSON.stringify(a) !== JSON.stringify(b)) fail(name, `a second call differs: ${String(JSON.stringify(b)).slice(0, 120)} vs first ${String(JSON.stringify(a)).slice(0, 120)}`); };
    if (report !== undefined) same("validate", report, run("validate", never, () => lh.validate(body, opts())));
    if (flat !== undefined) same("flatten", flat, run("flatten", lhError, () => lh.flatten(body, opts())));
    if (key !== undefined) same("eventKey", key, run("eventKey", never, () => lh.eventKey(body, opts())));
  }
  if (({}).polluted !== undefined || Object.getOwnPropertyNames(Object.prototype).join() !== protoKeys) {
    fail("(after)", "Object.prototype was polluted");
    delete Object.prototype.polluted;
  }
  return fails;
}

// Agreement with JSON.parse, for a body whose text is known (a string, or bytes that are UTF-8).
const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
// The text the core reads: a string as UTF-8 (a lone surrogate as U+FFFD), one leading BOM skipped (documented).
function textOf(body) {
  let text;
  if (typeof body === "string") text = body.toWellFormed();
  else if (body instanceof Uint8Array || body instanceof ArrayBuffer) { try { text = fatal.decode(body); } catch { return undefined; } }
  else return JSON.stringify(body);
  return text.replace(/^\uFEFF/, "");
}
function agreeWith(body, report, o, fail) {
  if (typeof body !== "string" && !(body instanceof Uint8Array || body instanceof ArrayBuffer)) return;
  const text = textOf(body);
  if (text === undefined) return;
  let parsed = true;
  try { JSON.parse(text); } catch { parsed = false; }
  const form = (o && typeof o.contentType === "string" && o.contentType.includes("form")) || (!/^[ \t\n\r]*[[{]/.test(text) && /^[^&]*=/.test(text)); // JSON whitespace: U+FEFF is not
  const codes = report.errors.map((i) => i.code);
  if (!parsed && report.ok && !form) fail("validate", `ok (${report.kind}) for text JSON.parse rejects`);
  if (parsed && codes.includes("json.syntax") && !/\\u[dD][89abAB][0-9a-fA-F]{2}|\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(text)) {
    fail("validate", `json.syntax for text JSON.parse accepts: ${report.errors.find((i) => i.code === "json.syntax").message}`);
  }
}

// ---- main loop ----
const started = Date.now();
let runs = 0, failedIters = 0;
const first = ONLY !== undefined ? Number(ONLY) : 0;
const last = ONLY !== undefined ? first + 1 : RUNS;
for (let iter = first; iter < last; iter++) {
  if ((Date.now() - started) / 1000 >= SECONDS) break;
  const trapsBefore = silentTraps;
  let fails;
  try { fails = iteration(iter); } catch (e) { fails = [{ iter, fn: "(harness)", what: `harness error: ${e && e.stack}`, repro: replay(iter) }]; }
  if (silentTraps > trapsBefore) { traps += silentTraps - trapsBefore; fails.push({ iter, fn: "(instance)", what: "the module was replaced with small memory: a trap", repro: replay(iter) }); }
  runs++;
  if ((iter + 1) % 100 === 0) {
    calls++;
    const h = lh.validate("{}");
    if (!h || h.ok !== false || !h.errors[0] || h.errors[0].code !== "kind.unknown") fails.push({ iter, fn: "validate", what: `health check: ${JSON.stringify(h)}`, repro: replay(iter) });
  }
  if (fails.length) { failedIters++; for (const x of fails) if (failures.length < 1000) failures.push(x); }
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`seed ${SEED}, package ${path.relative(process.cwd(), PKG)}`);
console.log(`fuzz: ${runs} runs in ${secs} s, ${calls} calls, ${traps} traps, ${failures.length} failures`);
for (const x of failures.slice(0, 20)) console.log(`  seed ${SEED} iter ${x.iter} ${x.fn}: ${x.what}\n    ${x.repro}`);
console.log(`${runs - failedIters} passed, ${failedIters} failed`);
process.exitCode = failures.length || traps ? 1 : 0;
