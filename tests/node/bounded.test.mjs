// No input makes a call slow, huge or fatal (contract revision 3): outputs refused past
// maxOutputBytes before they are built, a trap that never outlives its call, memory given back,
// options read once. Through the built package, as users call it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { esm, root } from "./leadhook.mjs";

const { validate, detect, flatten, rows, toCsv, codeStep, eventKey, verifySecret, LeadhookError } = esm;

const LEAD = (inner) =>
  `{"id_space":"eb8edc65","event":"lead.update","secret":"wh_x","payload":{"id":"e106db1f","custom_fields":${inner}}}`;

/** 60 levels of 1,000-byte keys over 4,000 leaves: once 74 s, 1.46 GB and 240 MB of output. */
function nestedLongKeys(levels = 60, keyLength = 1000, members = 4000) {
  let inner = "";
  for (let level = 0; level < levels; level++) inner += `{"${level % 10}${"k".repeat(keyLength - 1)}":`;
  inner += "{" + Array.from({ length: members }, (_, i) => `"m${i}":1`).join(",") + "}";
  return LEAD(inner + "}".repeat(levels));
}

/** A LeadSquared bulk body whose every record has a key of its own. */
const distinctColumns = (n) =>
  "[" + Array.from({ length: n }, (_, i) => `{"ProspectID":"p${i}","mx_Own_${i}":1}`).join(",") + "]";

const code = (fn) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof LeadhookError, String(error));
    return error.report.errors[0].code;
  }
  return "no error";
};

test("nested long keys are refused with output.too_large by flatten, rows, toCsv and codeStep", () => {
  const body = nestedLongKeys();
  assert.equal(validate(body).ok, true);
  for (const fn of [flatten, rows, toCsv]) assert.equal(code(() => fn(body)), "output.too_large", fn.name);
  const step = codeStep(body);
  assert.equal(step.errors[0].code, "output.too_large");
  assert.match(step.errors[0].message, /nested key repeats its long ancestors' keys.*maxOutputBytes/);
  // Asked for by name, a larger budget lets the same shape through.
  const small = nestedLongKeys(3, 50, 20);
  assert.equal(code(() => flatten(small, { maxOutputBytes: 10 })), "output.too_large");
  assert.equal(Object.keys(flatten(small, { maxOutputBytes: Infinity })).length > 20, true);
});

test("rows of many distinct columns are refused before they are aligned", () => {
  for (const n of [4000, 12000]) {
    const body = distinctColumns(n);
    let error;
    try {
      rows(body);
    } catch (e) {
      error = e;
    }
    assert.equal(error.report.errors[0].code, "output.too_large");
    assert.match(error.message, /every row gets every column of every other row/);
    assert.equal(code(() => toCsv(body)), "output.too_large");
    assert.equal(codeStep(body, { lineItems: true }).errors[0].code, "output.too_large");
  }
  assert.equal(rows(distinctColumns(20)).length, 20);
});

test("a trap never outlives its call: the instance is replaced and every contract holds", () => {
  // Past the module's 1 GiB of memory: its allocator fails and the module traps.
  const huge = new Uint8Array(1100 * 1024 * 1024);
  const unlimited = { maxBytes: Infinity };
  const report = validate(huge, unlimited);
  assert.equal(report.ok, false);
  assert.equal(report.errors[0].code, "internal.trap");
  assert.match(report.errors[0].message, /during validate/);
  // The next calls run on a fresh instance.
  assert.deepEqual(validate("{}").errors[0].code, "kind.unknown");
  assert.equal(detect('{"connectionAssets":[],"apiVersion":2}'), "leadsie.v2");
  assert.equal(detect(huge, unlimited), null);
  assert.equal(codeStep(huge, unlimited).errors[0].code, "internal.trap");
  assert.equal(eventKey(huge, unlimited), null);
  assert.equal(verifySecret(huge, "x", unlimited), false);
  assert.equal(code(() => flatten(huge, unlimited)), "internal.trap");
  assert.equal(flatten(LEAD('{"a":{"b":1}}')).payload__custom_fields__a__b, 1);
  assert.equal(rows(distinctColumns(3)).length, 3);
});

test("a call that grew the memory past 32 MB gives it back once it returns", () => {
  // In a process of its own, with every instance of the module counted.
  const script = `
    const instances = [];
    const Instance = WebAssembly.Instance;
    WebAssembly.Instance = function (module, imports) { const i = new Instance(module, imports); instances.push(i); return i; };
    WebAssembly.Instance.prototype = Instance.prototype;
    const lh = await import(${JSON.stringify(root + "/pkg/dist/leadhook.inline.mjs")});
    const memory = () => instances.at(-1).exports.memory.buffer.byteLength;
    const record = (i) => '{"ProspectActivityId":"a' + i + '","RelatedProspectId":"p' + i + '","ActivityEvent":22,"CreatedOn":"2024-05-02 09:20:00","Data":{"mx_Custom_1":"Answered ' + i + '","Status":"Active"}}';
    // 34 MB: the body alone is past 32 MB, however little the rows take beside it.
    const bulk = "[" + Array.from({ length: 200000 }, (_, i) => record(i)).join(",") + "]";
    const before = memory();
    const n = lh.rows(bulk, { maxBytes: Infinity }).length;
    console.log(JSON.stringify({ n, bulk: bulk.length, before, after: memory(), instances: instances.length, ok: lh.validate(record(1)).ok }));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const r = JSON.parse(run.stdout);
  assert.equal(r.n, 200000);
  assert.equal(r.instances, 2, `the instance was replaced once: ${JSON.stringify(r)}`);
  assert.ok(r.after < 4 * 1024 * 1024, `memory after: ${JSON.stringify(r)}`);
  assert.equal(r.ok, true);
});

test("options are read once per call: a getter cannot change a later call", () => {
  let reads = 0;
  const flaky = {
    get strict() {
      reads++;
      return reads % 2 === 1;
    },
  };
  const body = '{"connectionAssets":[],"apiVersion":2,"status":"SUCCESS","requestUrl":"https://a.example/","requestName":"n","extra":1}';
  validate(body, flaky);
  assert.equal(reads, 1);
  // The memo of the options now holds what the call read, so a plain { strict: true } is strict.
  const strict = validate(body, { strict: true });
  assert.ok(strict.warnings.some((w) => w.code === "field.unknown"), JSON.stringify(strict));
  let kindReads = 0;
  const kind = { get kind() { return kindReads++ === 0 ? "leadsquared" : "lead-event"; } };
  validate("{}", kind);
  assert.equal(validate("{}", { kind: "lead-event" }).kind, "lead-event");
});

test("maxBytes refuses a multi-byte string without encoding past the limit", () => {
  const text = "é".repeat(3 * 1024 * 1024); // 6 MiB of UTF-8 in 3 M units
  const r = validate(text);
  assert.equal(r.errors[0].code, "input.too_large");
  assert.match(r.errors[0].message, /6291456 bytes/);
});

test("verifySecret compares text: two different lone surrogates are not equal", () => {
  const body = (secret) => `{"id_space":"a","event":"lead.update","secret":${JSON.stringify(secret)},"payload":{"id":"x"}}`;
  assert.equal(verifySecret(body("s3cret"), "s3cret"), true);
  assert.equal(verifySecret(body("\uFFFD"), "\uD800"), false);
  assert.equal(verifySecret("{\"id_space\":\"a\",\"event\":\"lead.update\",\"secret\":\"\uD800\",\"payload\":{}}", "\uDC00"), false);
});
