// Speed of leadhook against what a user would otherwise write, side by side in one run:
//   validate(bytes)  vs  JSON.parse(text) alone
//   flatten(bytes)   vs  JSON.parse + ajv (precompiled from schema()) + a hand-written flatten
// Run after `bash scripts/build.sh`: `node bench/bench.mjs`. Prints medians and ratios; there are
// no pass/fail thresholds here — the machines are shared and noisy.
import { readFileSync } from "node:fs";
import Ajv2020Module from "ajv/dist/2020.js";
// LEADHOOK_PKG=/path/to/pkg compares another build of the package.
const leadhook = await import(process.env.LEADHOOK_PKG ? `${process.env.LEADHOOK_PKG}/node.mjs` : "../pkg/node.mjs");

const ROUNDS = 15;
const encoder = new TextEncoder();

/** A Leadsie v2 body of about 4.5 KB: the vendor sample's asset, repeated with variations. */
function leadsieV2Body() {
  const sample = JSON.parse(readFileSync(new URL("../tests/fixtures/leadsie-v2/vendor-sample.json", import.meta.url), "utf8"));
  const types = ["Facebook Page", "Meta Ad Account", "Instagram Account", "Meta Pixel", "Google Ads Account"];
  const asset = sample.connectionAssets[0];
  sample.connectionAssets = Array.from({ length: 5 }, (_, i) => ({
    ...asset,
    id: String(581293397 + i),
    name: `${asset.name} ${i}`,
    type: types[i % types.length],
    notes: i % 2 ? "Granted via Business Manager, check the partner settings" : undefined,
  }));
  return JSON.stringify(sample, null, 2);
}

/** What a user writes by hand: the seed code step's keys, in JavaScript, for v2. */
function handFlatten(p) {
  const out = { user_id: p.user ?? "", requestUrl: p.requestUrl, requestName: p.requestName };
  const join = (key, value) => {
    out[key] = `${out[key] ?? ""}, ${value}`.replace(/^[, ]+|[, ]+$/g, "");
  };
  for (const a of p.connectionAssets) {
    const prefix = a.type.toLowerCase().replaceAll(" ", "_");
    join(`${prefix}_id`, a.id);
    join(`${prefix}_name`, a.name);
    join(`${prefix}_is_success`, a.connectionStatus === "Connected" ? "True" : "False");
    join(`${prefix}_message`, a.notes ?? "");
    join(`${prefix}_connection_status`, a.connectionStatus);
    join(`${prefix}_link_to_asset`, a.linkToAsset ?? "");
    join(`${prefix}_access_level`, a.accessLevel ?? "");
  }
  return out;
}

/** Median time per call in µs of `fn`, over ROUNDS rounds of `n` calls. */
function time(fn, n) {
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function compare(title, body, rows) {
  const n = Math.max(200, Math.round(2_000_000 / body.length));
  // Warm up every contender before measuring any.
  for (const [, fn] of rows) for (let i = 0; i < n; i++) fn();
  const results = rows.map(([name, fn]) => [name, time(fn, n)]);
  const base = results[0][1];
  console.log(`\n${title} (${body.length} bytes, ${n} calls x ${ROUNDS} rounds, median per call)`);
  for (const [name, us] of results) {
    console.log(`  ${name.padEnd(52)} ${us.toFixed(2).padStart(8)} µs   ${(us / base).toFixed(2)}x`);
  }
}

const text = leadsieV2Body();
const bytes = encoder.encode(text);
if (!leadhook.validate(bytes).ok) throw new Error("benchmark body does not validate");

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const ajvValidate = ajv.compile(leadhook.schema("leadsie.v2"));
if (!ajvValidate(JSON.parse(text))) throw new Error("ajv rejects the benchmark body");

let sink;
compare("validate: Leadsie v2", text, [
  ["JSON.parse(text)", () => (sink = JSON.parse(text))],
  ["leadhook.validate(bytes)", () => (sink = leadhook.validate(bytes))],
  ["leadhook.validate(text)", () => (sink = leadhook.validate(text))],
  ["JSON.parse + ajv (precompiled)", () => (sink = ajvValidate(JSON.parse(text)))],
]);

compare("flatten: Leadsie v2", text, [
  ["JSON.parse + ajv + hand flatten", () => {
    const p = JSON.parse(text);
    if (!ajvValidate(p)) throw new Error("invalid");
    sink = handFlatten(p);
  }],
  ["leadhook.flatten(bytes)", () => (sink = leadhook.flatten(bytes))],
  ["leadhook.flatten(text)", () => (sink = leadhook.flatten(text))],
]);

const lsq = readFileSync(new URL("../tests/fixtures/leadsquared/lead-stage-change.json", import.meta.url), "utf8");
const lsqBytes = encoder.encode(lsq);
const lsqValidate = ajv.compile(leadhook.schema("leadsquared"));
compare("validate: LeadSquared stage change", lsq, [
  ["JSON.parse(text)", () => (sink = JSON.parse(lsq))],
  ["leadhook.validate(bytes)", () => (sink = leadhook.validate(lsqBytes))],
  ["JSON.parse + ajv (precompiled)", () => (sink = lsqValidate(JSON.parse(lsq)))],
]);
void sink;
