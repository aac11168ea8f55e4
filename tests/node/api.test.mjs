// The JavaScript API of the built package (pkg/): inputs, reports, LeadhookError, `require`,
// limits, safety.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { esm, cjs, resolved, root, pkgDir, testsDir, namespace, cjsModule } from "./leadhook.mjs";
import { thrown } from "./thrown.mjs";
import { cases } from "./fixtures.mjs";

const { detect, validate, parse, flatten, rows, toCsv, upgrade, codeStep, events, LeadhookError } = esm;

const fixture = (p) => fs.readFileSync(path.join(root, "tests", "fixtures", p));
const LEAD_EVENT = fixture("lead-event/vendor-sample.json");
const LSQ_BULK = fixture("leadsquared/activities-bulk.json");
const LEAD_EVENT_TEXT = LEAD_EVENT.toString("utf8");
const LEAD_EVENT_DATA = JSON.parse(LEAD_EVENT_TEXT);

// The issue codes and kinds as the package declares them: IssueCode in index.d.ts (written by the
// build from the core's list), and kinds().
const CODES = new Set([...fs.readFileSync(path.join(root, "pkg/index.d.ts"), "utf8").match(/export type IssueCode =([^;]*);/)[1].matchAll(/"([a-z_.]+)"/g)].map((m) => m[1]));
const KINDS = new Set(esm.kinds());
assert.ok(CODES.has("field.missing") && CODES.has("internal.trap") && KINDS.has("lead-event.v2"));

/** A well-formed Report, whatever its verdict. */
function assertReport(r, label = "") {
  assert.deepEqual(Object.keys(r), ["ok", "kind", "errors", "warnings"], label);
  assert.equal(typeof r.ok, "boolean", label);
  assert.ok(r.kind === null || KINDS.has(r.kind), `${label}: kind ${r.kind}`);
  assert.equal(r.ok, r.errors.length === 0, label);
  for (const issue of [...r.errors, ...r.warnings]) {
    assert.deepEqual(Object.keys(issue).sort(), ["code", "message", "path"], label);
    assert.ok(CODES.has(issue.code), `${label}: code ${issue.code}`);
    assert.equal(typeof issue.path, "string", label);
    assert.ok(issue.path === "" || issue.path.startsWith("/"), `${label}: path ${issue.path}`);
    assert.equal(typeof issue.message, "string", label);
  }
}

const codes = (r) => r.errors.map((e) => e.code);


describe("the package", () => {
  test("`leadhook` resolves through the exports map to the node entries", () => {
    // Node itself applies "node-addons": the entries that read leadhook_bg.wasm beside them.
    assert.equal(resolved.import, path.join(pkgDir, "dist/leadhook.node.mjs"));
    assert.equal(resolved.require, path.join(pkgDir, "dist/leadhook.node.cjs"));
  });

  // Without "node-addons" (as bundlers resolve, and Node with --no-addons), every Node entry is
  // the inline files' and none reads a file; with it, every one is on dist/leadhook.node.*.
  test("without the node-addons condition, the entries are the inline ones, and work", () => {
    const program = `
      import { createRequire } from "node:module";
      import { validate } from "leadhook";
      import { createHandler } from "leadhook/handler";
      const require = createRequire(import.meta.url);
      const { flatten } = require("leadhook");
      console.log(JSON.stringify({
        resolved: ["leadhook", "leadhook/handler", "leadhook/node"].map((s) => import.meta.resolve(s)),
        required: [require.resolve("leadhook"), require.resolve("leadhook/handler")],
        ok: validate("{").errors[0].code, handler: typeof createHandler, flatten: typeof flatten,
      }));
    `;
    const run = (flags) => {
      const out = spawnSync(process.execPath, [...flags, "--input-type=module", "-e", program], { cwd: testsDir, encoding: "utf8" });
      assert.equal(out.status, 0, out.stderr);
      return JSON.parse(out.stdout);
    };
    const file = (u) => fileURLToPath(u);
    const plain = run(["--no-addons"]);
    assert.deepEqual(plain.resolved.map(file), ["node.mjs", "handler.node.mjs", "node-http.mjs"].map((f) => path.join(pkgDir, f)));
    assert.deepEqual(plain.required, ["node.cjs", "handler.node.cjs"].map((f) => path.join(pkgDir, f)));
    const direct = run([]);
    assert.deepEqual(direct.resolved.map(file), ["dist/leadhook.node.mjs", "dist/handler.node.mjs", "dist/node-http.mjs"].map((f) => path.join(pkgDir, f)));
    assert.deepEqual(direct.required, ["dist/leadhook.node.cjs", "dist/handler.node.cjs"].map((f) => path.join(pkgDir, f)));
    for (const got of [plain, direct]) assert.deepEqual([got.ok, got.handler, got.flatten], ["json.syntax", "function", "function"]);
  });

  test("import and require export the same functions", () => {
    const functions = ["detect", "eventKey", "validate", "parse", "flatten", "kinds", "rows", "toCsv", "upgrade", "verifySecret", "verifySignature",
      "checkSignature", "verifyHeader", "drift", "parseEventType", "codeStep", "schema", "events"];
    const names = ["LeadhookError", ...functions].sort();
    const named = (m) => Object.keys(m).sort();
    assert.deepEqual(named(esm), names);
    assert.deepEqual(named(cjs), names);
    // The default export is the whole API: `import leadhook from "leadhook"`, as the paste recipe reads.
    for (const n of names) {
      assert.equal(namespace.default[n], esm[n], `default.${n}`);
      assert.equal(cjsModule.default[n], cjs[n], `require().default.${n}`);
    }
    for (const n of functions) {
      assert.equal(typeof esm[n], "function", n);
      assert.equal(typeof cjs[n], "function", n);
    }
  });

  test("require works from a plain CommonJS program", () => {
    const program = `
      const { detect, validate, parse, LeadhookError } = require("leadhook");
      const fs = require("fs");
      const body = fs.readFileSync(${JSON.stringify(path.join(root, "tests/fixtures/lead-event/vendor-sample.json"))});
      let threw = null;
      try { parse("{") } catch (e) { threw = [e instanceof LeadhookError, e.name, e.issues[0].code] }
      console.log(JSON.stringify({ kind: detect(body), report: validate(body), parsed: parse(body).kind, threw,
        resolved: require.resolve("leadhook") }));
    `;
    const out = spawnSync(process.execPath, ["-e", program], { cwd: testsDir, encoding: "utf8" });
    assert.equal(out.status, 0, out.stderr);
    const got = JSON.parse(out.stdout);
    assert.equal(got.kind, "lead-event");
    assert.deepEqual(got.report, { ok: true, kind: "lead-event", errors: [], warnings: [] });
    assert.equal(got.parsed, "lead-event");
    assert.deepEqual(got.threw, [true, "LeadhookError", "json.syntax"]);
    assert.equal(got.resolved, path.join(pkgDir, "dist/leadhook.node.cjs"));
  });

  test("npm packs exactly the package's files, version from Cargo.toml", () => {
    const out = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: pkgDir, encoding: "utf8" });
    assert.equal(out.status, 0, out.stderr);
    const [packed] = JSON.parse(out.stdout);
    assert.equal(packed.name, "leadhook");
    const cargo = fs.readFileSync(path.join(root, "crates/leadhook/Cargo.toml"), "utf8");
    assert.equal(packed.version, /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1]);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
    // Exactly the files package.json names (other runtimes' entries are added there), and at
    // least the Node package's own.
    const packedFiles = packed.files.map((f) => f.path).sort();
    assert.deepEqual(packedFiles, ["LICENSE", "README.md", "package.json", ...manifest.files].sort());
    for (const f of ["api.js", "index.d.cts", "index.d.ts", "leadhook.js",
      "leadhook_bg.wasm", "node.cjs", "node.mjs"]) {
      assert.ok(packedFiles.includes(f), f);
    }
    assert.equal(manifest.license, "MIT");
    assert.equal(manifest.sideEffects, false);
    const conditions = Object.keys(manifest.exports["."]);
    assert.equal(conditions[0], "types", "types comes first");
    assert.equal(conditions[conditions.length - 1], "default", "default comes last");
    assert.deepEqual(manifest.exports["."].node, {
      "node-addons": { import: "./dist/leadhook.node.mjs", require: "./dist/leadhook.node.cjs" },
      import: "./node.mjs",
      require: "./node.cjs",
    });
  });

  test("import works from a plain ES module program", () => {
    const program = `
      import { detect, validate } from "leadhook";
      console.log(JSON.stringify([detect("{}"), validate("[").errors[0].code]));
    `;
    const out = spawnSync(process.execPath, ["--input-type=module", "-e", program], { cwd: testsDir, encoding: "utf8" });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), [null, "json.syntax"]);
  });

  test("require and import give the same answers", () => {
    const inputs = [LEAD_EVENT, LSQ_BULK, "{", "", {}, [], 42, "\u00e9", new Uint8Array([0xff])];
    for (const input of inputs) {
      assert.deepEqual(cjs.validate(input), esm.validate(input));
      assert.equal(cjs.detect(input), esm.detect(input));
    }
  });
});

describe("inputs", () => {
  const want = validate(LEAD_EVENT);

  test("the sample is a valid lead event", () => {
    assert.deepEqual(want, { ok: true, kind: "lead-event", errors: [], warnings: [] });
  });

  const forms = {
    "Buffer": () => LEAD_EVENT,
    "Uint8Array": () => new Uint8Array(LEAD_EVENT),
    "string": () => LEAD_EVENT_TEXT,
    "ArrayBuffer": () => new Uint8Array(LEAD_EVENT).buffer,
    "SharedArrayBuffer": () => {
      const sab = new SharedArrayBuffer(LEAD_EVENT.length);
      new Uint8Array(sab).set(LEAD_EVENT);
      return sab;
    },
    "DataView": () => new DataView(new Uint8Array(LEAD_EVENT).buffer),
    "Int16Array (other view, its bytes)": () => {
      const bytes = new Uint8Array(LEAD_EVENT.length + (LEAD_EVENT.length % 2 ? 1 : 0)).fill(0x20);
      bytes.set(LEAD_EVENT);
      return new Int16Array(bytes.buffer);
    },
    "a view into the middle of a larger buffer": () => {
      const big = new Uint8Array(LEAD_EVENT.length + 20).fill(0x7b); // '{' around it
      big.set(LEAD_EVENT, 10);
      return big.subarray(10, 10 + LEAD_EVENT.length);
    },
    "a DataView into the middle of a larger buffer": () => {
      const big = new Uint8Array(LEAD_EVENT.length + 20).fill(0x5b);
      big.set(LEAD_EVENT, 7);
      return new DataView(big.buffer, 7, LEAD_EVENT.length);
    },
    "parsed object": () => LEAD_EVENT_DATA,
    "object with a null prototype": () => Object.assign(Object.create(null), LEAD_EVENT_DATA),
    "string with a byte-order mark": () => "\uFEFF" + LEAD_EVENT_TEXT,
    "bytes with a byte-order mark": () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), LEAD_EVENT]),
  };
  for (const [name, make] of Object.entries(forms)) {
    test(name, () => {
      const input = make();
      assert.deepEqual(validate(input), want);
      assert.equal(detect(input), "lead-event");
      const { kind, data, warnings } = parse(input);
      assert.equal(kind, "lead-event");
      assert.deepEqual(data, LEAD_EVENT_DATA);
      assert.deepEqual(warnings, []);
    });
  }

  test("a parsed array (LeadSquared bulk)", () => {
    const data = JSON.parse(LSQ_BULK.toString("utf8"));
    assert.deepEqual(validate(data), validate(LSQ_BULK));
    assert.equal(detect(data), "leadsquared");
    assert.deepEqual(parse(data).data, data);
  });

  test("one body after another, of every size and across memory growth, each read whole", () => {
    // The input buffer's view is kept from call to call: a shorter body must not read the
    // tail of a longer one, and a view of memory that has since grown must not be written.
    const records = JSON.parse(LSQ_BULK.toString("utf8"));
    const big = JSON.stringify(Array.from({ length: 6000 }, (_, i) => records[i % records.length]));
    const wide = structuredClone(LEAD_EVENT_DATA);
    wide.payload.notes = "é€😀".repeat(400);
    const same = (body, data) => () => assert.deepEqual(parse(body).data, data);
    const unknown = (body) => () => assert.deepEqual(codes(validate(body)), ["kind.unknown"]);
    const steps = [
      ["the lead event", same(LEAD_EVENT_TEXT, LEAD_EVENT_DATA)],
      ["a bulk body of several MB", () => assert.equal(rows(big).length, 6000)],
      // Right after the memory grew: the kept view is detached, and of length 0.
      ["no bytes", () => assert.deepEqual(codes(validate(new Uint8Array(0))), ["json.syntax"])],
      ["an empty body", () => assert.deepEqual(codes(validate("")), ["json.syntax"])],
      ["a short object", unknown('{"a":1}')],
      ["a string whose UTF-8 is longer than its length", same(JSON.stringify(wide), wide)],
      ["the lead event as bytes", same(LEAD_EVENT, LEAD_EVENT_DATA)],
      ["a shorter object", unknown("{}")],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [label, step] of steps) assert.doesNotThrow(step, label);
    }
  });

  test("the input is not changed", () => {
    const bytes = new Uint8Array(LEAD_EVENT);
    const copy = new Uint8Array(bytes);
    const data = structuredClone(LEAD_EVENT_DATA);
    parse(bytes);
    parse(data);
    assert.deepEqual(bytes, copy);
    assert.deepEqual(data, LEAD_EVENT_DATA);
  });

  test("an empty body, as a string and as bytes", () => {
    for (const input of ["", new Uint8Array(0), new ArrayBuffer(0)]) {
      const r = validate(input);
      assertReport(r);
      assert.equal(r.ok, false);
      assert.equal(detect(input), null);
    }
  });

  test("bytes that are not UTF-8 give input.encoding", () => {
    const r = validate(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    assert.deepEqual(codes(r), ["input.encoding"]);
  });

  test("a string with a lone surrogate is read as UTF-8 with U+FFFD", () => {
    const r = validate('{"a":"\ud800"}');
    assertReport(r);
    assert.notEqual(codes(r)[0], "input.encoding");
  });

  // A string's UTF-8 is not checked again in the core (encodeInto writes UTF-8); its bytes are.
  // Both must read the same, on the one-step and the two-step encoding (non-ASCII past 64 KB).
  test("a string reads as its UTF-8 bytes do", () => {
    const lead = JSON.parse(LEAD_EVENT_TEXT);
    const strings = [
      LEAD_EVENT_TEXT,
      "\uFEFF" + LEAD_EVENT_TEXT,
      JSON.stringify({ ...lead, payload: { ...lead.payload, first_name: "Zoë \ud800 \udc00 😀" } }),
      JSON.stringify({ ...lead, payload: { ...lead.payload, notes: "é€😀\ud83d".repeat(40000) } }),
      '{"a":"\ud800"}',
      "\uFEFF",
      "\u00e9",
    ];
    for (const s of strings) {
      const bytes = new TextEncoder().encode(s);
      assert.deepEqual(validate(s), validate(bytes));
      const flat = (x) => {
        try {
          return flatten(x);
        } catch (error) {
          return error.report;
        }
      };
      assert.deepEqual(flat(s), flat(bytes));
    }
  });

  class Thing {
    constructor() {
      this.event = "lead.create";
    }
  }
  const cyclic = {};
  cyclic.self = cyclic;
  const cyclicArray = [];
  cyclicArray.push(cyclicArray);
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const bad = {
    "a number": 42,
    "zero": 0,
    "NaN": NaN,
    "true": true,
    "false": false,
    "null": null,
    "undefined": undefined,
    "a function": () => ({}),
    "a symbol": Symbol("x"),
    "a bigint": 10n,
    "a Map": new Map([["event", "lead.create"]]),
    "a Set": new Set([1]),
    "a Date": new Date(0),
    "a RegExp": /x/,
    "a boxed string": new String("{}"),
    "a Promise": Promise.resolve({}),
    "a class instance": new Thing(),
    "a cyclic object": cyclic,
    "a cyclic array": cyclicArray,
    "an object holding a BigInt": { id: 1n },
    "an object whose toJSON throws": { toJSON() { throw new Error("nope"); } },
    "an object whose toJSON returns undefined": { toJSON() { return undefined; } },
    "an object with a throwing getter": { get event() { throw new Error("boom"); } },
    "a revoked proxy": revoked.proxy,
  };
  for (const [name, input] of Object.entries(bad)) {
    test(`input.type: ${name}`, () => {
      const r = validate(input);
      assertReport(r, name);
      assert.equal(r.ok, false);
      assert.equal(r.kind, null);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].code, "input.type");
      assert.equal(r.errors[0].path, "");
      assert.deepEqual(r.warnings, []);
      assert.equal(detect(input), null);
      const e = thrown(() => parse(input));
      assert.ok(e instanceof LeadhookError);
      assert.deepEqual(e.report, r);
      // A report built in JavaScript carries opts.kind, as the core's own do.
      assert.equal(validate(input, { kind: "lead-event" }).kind, "lead-event");
    });
  }

  test("a parsed object nested too deeply to serialise gives input.too_deep", () => {
    let deep = {};
    for (let i = 0; i < 200000; i++) deep = { a: deep };
    const r = validate(deep);
    assertReport(r);
    assert.deepEqual(codes(r), ["input.too_deep"]);
    assert.equal(detect(deep), null);
    assert.equal(thrown(() => parse(deep)).issues[0].code, "input.too_deep");
  });

  test("a parsed object deeper than maxDepth gives input.too_deep from the core", () => {
    let deep = { event: "x" };
    for (let i = 0; i < 100; i++) deep = { a: deep };
    assert.deepEqual(codes(validate(deep)), ["input.too_deep"]);
  });
});

describe("options", () => {
  test("undefined, null and {} are the defaults", () => {
    const want = validate(LEAD_EVENT);
    for (const opts of [undefined, null, {}, { kind: null, url: undefined }]) {
      assert.deepEqual(validate(LEAD_EVENT, opts), want);
    }
  });

  test("kind skips detection", () => {
    const r = validate("{}", { kind: "lead-event" });
    assert.equal(r.kind, "lead-event");
    assert.ok(codes(r).every((c) => c === "field.missing"));
  });

  test("bad options are reported, never thrown", () => {
    const cyclic = {};
    cyclic.self = cyclic;
    const cases = [
      [{ kind: "bogus" }, "kind.unknown"],
      [{ strict: "yes" }, "input.type"],
      [{ maxBytes: -1 }, "input.type"],
      [{ maxBytes: "big" }, "input.type"],
      [{ maxBytes: NaN }, "input.type"],
      [{ maxBytes: -Infinity }, "input.type"],
      [{ maxDepth: -1 }, "input.type"],
      ["strict", "input.type"],
      [42, "input.type"],
      [cyclic, "input.type"],
      [{ url: 10n }, "input.type"],
      [{ get kind() { throw new Error("boom"); } }, "input.type"],
    ];
    for (const [opts, code] of cases) {
      for (const input of [LEAD_EVENT, LEAD_EVENT_TEXT, LEAD_EVENT_DATA, 42]) {
        const label = typeof opts === "object" ? Object.keys(opts).join() : String(opts);
        const r = validate(input, opts);
        assertReport(r, label);
        assert.equal(r.ok, false);
        if (input !== 42) assert.deepEqual(codes(r), [code], label);
        assert.equal(detect(input, opts), null);
        assert.ok(thrown(() => parse(input, opts)) instanceof LeadhookError);
      }
    }
  });

  test("maxBytes: a body of exactly maxBytes is read, one byte more is refused", () => {
    const body = LEAD_EVENT_TEXT;
    const n = Buffer.byteLength(body);
    assert.equal(validate(body, { maxBytes: n }).ok, true);
    assert.equal(validate(LEAD_EVENT, { maxBytes: n }).ok, true);
    assert.deepEqual(codes(validate(body, { maxBytes: n - 1 })), ["input.too_large"]);
    assert.deepEqual(codes(validate(LEAD_EVENT, { maxBytes: n - 1 })), ["input.too_large"]);
    assert.deepEqual(codes(validate(LEAD_EVENT_DATA, { maxBytes: 10 })), ["input.too_large"]);
    assert.deepEqual(codes(validate("{}", { maxBytes: 0 })), ["input.too_large"]);
    assert.equal(validate("{}", { maxBytes: 2.9 }).errors[0].code, "kind.unknown");
  });

  test("maxBytes counts UTF-8 bytes, not string length", () => {
    const s = '"' + "\u00e9".repeat(10) + '"'; // 12 UTF-16 units, 22 bytes
    assert.deepEqual(codes(validate(s, { maxBytes: 12 })), ["input.too_large"]);
    assert.notDeepEqual(codes(validate(s, { maxBytes: 22 })), ["input.too_large"]);
  });

  test("maxBytes: Infinity is no limit", () => {
    const data = { ...LEAD_EVENT_DATA, padding: "x".repeat(6 * 1024 * 1024) };
    assert.deepEqual(codes(validate(data)), ["input.too_large"]);
    assert.deepEqual(validate(data, { maxBytes: Infinity }), { ok: true, kind: "lead-event", errors: [], warnings: [] });
  });
});

describe("too large", () => {
  const MB60 = 60 * 1024 * 1024;

  test("a 60 MB string is refused with input.too_large", () => {
    const big = '{"event":"' + "x".repeat(MB60) + '"}';
    const r = validate(big);
    assertReport(r);
    assert.deepEqual(codes(r), ["input.too_large"]);
    assert.match(r.errors[0].message, new RegExp(`the body is ${big.length} bytes`));
    const wide = "\u00e9".repeat(3 * 1024 * 1024); // 3 Mi characters, 6 MiB
    assert.match(validate(wide).errors[0].message, new RegExp(`the body is ${6 * 1024 * 1024} bytes`));
    const wider = "\u00e9".repeat(6 * 1024 * 1024); // longer than maxBytes: refused before encoding
    assert.match(validate(wider).errors[0].message, new RegExp(`the body is ${12 * 1024 * 1024} bytes`));
    assert.equal(detect(big), null);
    assert.equal(thrown(() => parse(big)).issues[0].code, "input.too_large");
    assert.equal(validate(big, { kind: "leadsquared" }).kind, "leadsquared");
    // The options are still checked first, as the core does.
    assert.deepEqual(codes(validate(big, { strict: 1 })), ["input.type"]);
  });

  test("60 MB of bytes are refused with input.too_large, with their exact size", () => {
    const big = Buffer.alloc(MB60, 0x20);
    const r = validate(big);
    assert.deepEqual(codes(r), ["input.too_large"]);
    assert.match(r.errors[0].message, new RegExp(`the body is ${MB60} bytes`));
    assert.equal(detect(big), null);
    assert.deepEqual(codes(validate(new DataView(big.buffer, big.byteOffset, big.length))), ["input.too_large"]);
  });

  test("a too-large input with a bad option reports the option", () => {
    const big = "x".repeat(6 * 1024 * 1024);
    assert.deepEqual(codes(validate(big, { kind: "bogus" })), ["kind.unknown"]);
  });
});

describe("LeadhookError", () => {
  test("shape", () => {
    const e = thrown(() => parse({}, { kind: "lead-event" }));
    assert.ok(e instanceof Error);
    assert.ok(e instanceof LeadhookError);
    assert.equal(e.name, "LeadhookError");
    assert.equal(Object.prototype.toString.call(e), "[object Error]");
    assert.deepEqual(e.report, validate({}, { kind: "lead-event" }));
    assert.equal(e.issues, e.report.errors);
    assert.equal(e.report.ok, false);
    assert.ok(e.issues.length >= 2);
    assert.ok(e.message.includes(`${e.issues[0].code} at ${e.issues[0].path}`), e.message);
    assert.ok(e.message.includes(`${e.issues[1].code} at ${e.issues[1].path}`), e.message);
    assert.match(String(e), /^LeadhookError: /);
    assert.equal(typeof e.stack, "string");
  });

  test("a root-level error names the root", () => {
    const e = thrown(() => parse("{"));
    assert.equal(e.issues[0].code, "json.syntax");
    assert.match(e.message, /json\.syntax at \(root\)/);
  });

  test("instanceof works across the import and require copies", () => {
    const fromCjs = thrown(() => cjs.parse("{"));
    const fromEsm = thrown(() => esm.parse("{"));
    assert.ok(fromCjs instanceof esm.LeadhookError);
    assert.ok(fromEsm instanceof cjs.LeadhookError);
    assert.ok(!(new Error("x") instanceof LeadhookError));
    assert.ok(!({} instanceof LeadhookError));
    assert.ok(!(null instanceof LeadhookError));
  });

  test("can be constructed and subclassed", () => {
    const report = validate("{");
    const e = new LeadhookError(report);
    assert.equal(e.report, report);
    assert.equal(e.issues, report.errors);
    class Mine extends LeadhookError {}
    const m = new Mine(report);
    assert.ok(m instanceof Mine && m instanceof LeadhookError);
    assert.ok(!(e instanceof Mine));
  });

  test("validate and detect never throw where parse does", () => {
    assert.doesNotThrow(() => validate("{"));
    assert.equal(detect("{"), null);
  });

  // Every file that throws it: the Node entries (import and require, with and without the
  // node-addons condition), the inline files, and api.js on wasm-bindgen's web glue, which is what
  // browser.mjs and workerd.mjs run (tests/workerd/answer.mjs checks it in workerd and Chromium).
  const FILES = ["node.mjs", "node.cjs", "dist/leadhook.node.mjs", "dist/leadhook.node.cjs", "dist/leadhook.inline.mjs", "dist/leadhook.inline.cjs"];

  test("its class is named LeadhookError in every build: constructor.name, name, String(error)", async () => {
    const { createApi } = await import(path.join(pkgDir, "api.js"));
    const glue = await import(path.join(pkgDir, "leadhook.js"));
    const web = createApi(glue, glue.initSync({ module: fs.readFileSync(path.join(pkgDir, "leadhook_bg.wasm")) }).memory, glue.renew);
    const apis = [["api.js (browser.mjs, workerd.mjs)", web], ["leadhook (import)", esm], ["leadhook (require)", cjs]];
    for (const file of FILES) apis.push([file, file.endsWith(".cjs") ? createRequire(import.meta.url)(path.join(pkgDir, file)) : await import(path.join(pkgDir, file))]);
    for (const [label, api] of apis) {
      const e = thrown(() => api.parse("{"));
      assert.equal(e.constructor, api.LeadhookError, label);
      assert.deepEqual([e.constructor.name, e.name, api.LeadhookError.name], ["LeadhookError", "LeadhookError", "LeadhookError"], label);
      assert.match(String(e), /^LeadhookError: invalid payload \(1 error\): json\.syntax at \(root\): /, label);
    }
  });

  test("uncaught, Node prints its message under the one short line that threw it, from every file", () => {
    for (const file of FILES) {
      const args = file.endsWith(".cjs")
        ? ["-e", `require(${JSON.stringify(path.join(pkgDir, file))}).parse("{")`]
        : ["--input-type=module", "-e", `import { parse } from ${JSON.stringify(pathToFileURL(path.join(pkgDir, file)).href)}; parse("{")`];
      const out = spawnSync(process.execPath, args, { encoding: "utf8" });
      assert.equal(out.status, 1, file);
      // Node's own report: the file and line, the source line, a caret, then the error.
      const lines = out.stderr.split("\n");
      const at = lines.findIndex((l) => l.startsWith("LeadhookError: "));
      assert.ok(at > 0, `${file}: ${out.stderr.slice(0, 500)}`);
      assert.match(lines[at], /^LeadhookError: invalid payload \(1 error\): json\.syntax at \(root\): unexpected end of input/, file);
      assert.match(lines[0], /\/pkg\/(dist\/)?[\w.]+\.[cm]?js:\d+$/, file);
      assert.ok(lines.slice(0, at).every((l) => l.length <= 120), `${file}: the source line is ${Math.max(...lines.slice(0, at).map((l) => l.length))} characters`);
      assert.ok(out.stderr.length < 4000, `${file}: ${out.stderr.length} characters on standard error`);
    }
  });
});

describe("records", () => {
  // flatten and rows make their objects from values laid out in the module's memory; codeStep
  // reads the flat record as the core's JSON, and events each event's rows. The two must agree,
  // key order included: the events' rows aligned as rows aligns them (a column first seen in a
  // later row comes last, and the rows before it have it as null).
  const asJson = (input, opts) => {
    // With line items a batch is one record (else one per event), as flatten's.
    const { line_items: _, ...record } = codeStep(input, { ...opts, lineItems: true });
    const each = events(input, { ...opts, output: "rows" }).flatMap((e) => e.record);
    const keys = [...new Set(each.flatMap((row) => Object.keys(row)))];
    const rows = each.map((row) => Object.fromEntries(keys.map((k) => [k, Object.hasOwn(row, k) ? row[k] : null])));
    return { record, rows };
  };
  const agree = (input, opts, label) => {
    const { record, rows: expected } = asJson(input, opts);
    const flat = flatten(input, opts);
    assert.deepEqual(flat, record, label);
    assert.deepEqual(Object.keys(flat), Object.keys(record), `${label}: key order`);
    const got = rows(input, opts);
    assert.deepEqual(got, expected, `${label}: rows`);
    assert.deepEqual(codeStep(input, { ...opts, lineItems: true }).line_items, got, `${label}: codeStep's line items`);
    for (const [i, row] of got.entries()) assert.deepEqual(Object.keys(row), Object.keys(expected[i]), `${label}: row ${i} key order`);
  };

  test("hold what the core's JSON of them holds, for every valid fixture, in any order of shapes", () => {
    const valid = cases().filter((c) => validate(c.body, c.expect.opts).ok && c.expect.opts?.lineItems === undefined);
    assert.ok(valid.length > 50);
    // Each body after every other kind of body: the keys change, and change back.
    for (const c of valid) agree(c.body, c.expect.opts, c.name);
    for (const c of valid.reverse()) agree(c.body, c.expect.opts, `${c.name} (reversed)`);
  });

  test("hold awkward values exactly", () => {
    const awkward = {
      ProspectID: "\ufeffleads with a byte-order mark",
      "\ufeffKey": "x",
      mx_Emoji: "😀 é \u0000 \n \" \\ \u2028",
      mx_Astral: "𝒳",
      "mx_Ключ": "значение",
      mx_Zero: -0,
      mx_Big: 12345678901234567890,
      mx_Exp: 1.5e3,
      mx_Small: 1e-7,
      mx_Tenth: 0.1,
      mx_True: true,
      mx_False: false,
      mx_Null: null,
      mx_Empty: "",
      Data: { deeper: { deepest: "😀" } },
    };
    const text = JSON.stringify(awkward).replace('"mx_Exp":1500', '"mx_Exp":1.5E3').replace('"mx_Zero":0', '"mx_Zero":-0');
    for (const input of [text, Buffer.from(text), `[${text},${text}]`]) {
      agree(input, undefined, "awkward");
      const flat = flatten(input);
      assert.equal(flat.ProspectID, "\ufeffleads with a byte-order mark");
      assert.equal(flat["\ufeffKey"], "x");
      assert.ok(Object.is(flat.mx_Zero, -0));
      assert.equal(flat.mx_Exp, 1500);
      assert.equal(flat.mx_Big, 12345678901234567890);
      assert.equal(flat.Data__deeper__deepest, "😀");
    }
  });

  test("are read right after the module's memory grows", () => {
    const small = fixture("leadsie-v2/vendor-sample.json");
    const before = flatten(small);
    // A body big enough to grow the memory, then the small one again.
    const big = JSON.stringify(Array.from({ length: 20000 }, (_, i) => ({ ProspectID: `p${i}`, mx_Note: "x".repeat(200) })));
    assert.equal(rows(big).length, 20000);
    assert.deepEqual(flatten(small), before);
    assert.deepEqual(rows("[]", { kind: "leadsquared" }), []);
  });
});

describe("safety", () => {
  test("keys such as __proto__ are plain data", () => {
    const text = JSON.stringify({
      ...LEAD_EVENT_DATA,
      payload: { ...LEAD_EVENT_DATA.payload },
    })
      .replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},')
      .replace('"payload":{', '"payload":{"__proto__":{"polluted":true},"nested":{"__proto__":{"polluted":true}},');
    for (const input of [text, Buffer.from(text), JSON.parse(text)]) {
      const { kind, data } = parse(input);
      assert.equal(kind, "lead-event");
      assert.equal(Object.getPrototypeOf(data), Object.prototype);
      assert.equal(Object.getPrototypeOf(data.payload), Object.prototype);
      assert.equal(Object.getPrototypeOf(data.payload.nested), Object.prototype);
      assert.ok(Object.hasOwn(data, "__proto__"));
      assert.deepEqual(Object.getOwnPropertyDescriptor(data, "__proto__").value, { polluted: true });
      assert.deepEqual(Object.getOwnPropertyDescriptor(data.payload, "__proto__").value, { polluted: true });
      assert.deepEqual(Object.getOwnPropertyDescriptor(data.payload.nested, "__proto__").value, { polluted: true });
      assert.deepEqual(data.constructor, { prototype: { polluted: true } });
      assert.equal(data.polluted, undefined);
      assert.equal(data.payload.polluted, undefined);
      assert.equal({}.polluted, undefined);
      assert.equal(Object.prototype.polluted, undefined);
      assert.ok(!("polluted" in Object.prototype));
      assertReport(validate(input));
    }
  });

  test("keys such as __proto__ are plain data in flatten, rows, codeStep and upgrade output", () => {
    const unpolluted = () => {
      assert.equal({}.polluted, undefined);
      assert.equal(Object.prototype.polluted, undefined);
      assert.ok(!("polluted" in Object.prototype));
      assert.ok(!Object.hasOwn(Object.prototype, "__proto__x"));
    };
    const ownAndPlain = (record, key, value, label) => {
      assert.equal(Object.getPrototypeOf(record), Object.prototype, `${label}: prototype`);
      assert.ok(Object.hasOwn(record, key), `${label}: own ${key}`);
      assert.deepEqual(Object.getOwnPropertyDescriptor(record, key).value, value, `${label}: ${key}`);
      assert.equal(record.polluted, undefined, label);
    };

    // A LeadSquared body: "__proto__" as a scalar field and as a nested object.
    const lsq = '{"ProspectID":"p1","__proto__":"x","constructor":{"prototype":{"polluted":true}},' +
      '"Data":{"__proto__":{"polluted":true}},"mx_City":"Pune"}';
    for (const [label, input, inputText] of [
      ["string", lsq, lsq],
      ["bytes", Buffer.from(lsq), lsq],
      ["parsed", JSON.parse(lsq), lsq],
      ["bulk", `[${lsq},${lsq}]`, `[${lsq},${lsq}]`],
    ]) {
      const flat = flatten(input);
      ownAndPlain(flat, "__proto__", "x", `lsq flatten ${label}`);
      ownAndPlain(flat, "constructor__prototype__polluted", true, `lsq flatten ${label}`);
      ownAndPlain(flat, "Data____proto____polluted", true, `lsq flatten ${label}`);
      for (const row of rows(input)) ownAndPlain(row, "__proto__", "x", `lsq rows ${label}`);
      // A bulk body gives one record per event.
      const each = (step) => (Array.isArray(step) ? step : [step]);
      for (const r of each(codeStep({ payload: inputText }))) ownAndPlain(r, "__proto__", "x", `lsq codeStep ${label}`);
      for (const r of each(codeStep({ payload: JSON.parse(inputText) }))) ownAndPlain(r, "__proto__", "x", `lsq codeStep object ${label}`);
      for (const e of events(input)) ownAndPlain(e.record, "__proto__", "x", `lsq events ${label}`);
      for (const r of each(codeStep(input))) ownAndPlain(r, "__proto__", "x", `lsq codeStep raw ${label}`);
      assert.match(toCsv(input), /^ProspectID,__proto__,constructor__prototype__polluted,Data____proto____polluted,mx_City/);
      unpolluted();
    }

    // A lead event whose payload carries the keys.
    const text = JSON.stringify({ ...LEAD_EVENT_DATA, payload: { ...LEAD_EVENT_DATA.payload } })
      .replace('"payload":{', '"payload":{"__proto__":{"polluted":true},"prototype":"y",');
    for (const input of [text, Buffer.from(text), JSON.parse(text)]) {
      const flat = flatten(input);
      ownAndPlain(flat, "payload____proto____polluted", true, "lead-event flatten");
      ownAndPlain(flat, "payload__prototype", "y", "lead-event flatten");
      ownAndPlain(rows(input)[0], "payload____proto____polluted", true, "lead-event rows");
      ownAndPlain(codeStep({ payload: text }), "payload____proto____polluted", true, "lead-event codeStep");
      ownAndPlain(codeStep({ payload: JSON.parse(text) }), "payload____proto____polluted", true, "lead-event codeStep object");
      unpolluted();
    }
    // A codeStep error lists "__proto__" as a key, as data.
    const step = codeStep({ payload: '{"__proto__":{"polluted":true},"id_space":"s","event":"lead.create","payload":{}}' });
    assert.deepEqual(step.available_keys, ["__proto__", "id_space", "event", "payload"]);
    assert.equal(Object.getPrototypeOf(step), Object.prototype);
    unpolluted();

    // upgrade keeps the keys of a Leadsie v1 body and its assets as own properties.
    const v1 = '{"__proto__":{"polluted":true},"status":"SUCCESS","connectionAssets":[' +
      '{"__proto__":{"polluted":true},"type":"Page","name":"n","id":"1","isSuccess":true}]}';
    for (const input of [v1, JSON.parse(v1)]) {
      const up = upgrade(input);
      ownAndPlain(up, "__proto__", { polluted: true }, "upgrade");
      ownAndPlain(up.connectionAssets[0], "__proto__", { polluted: true }, "upgrade asset");
      assert.equal(up.connectionAssets[0].type, "Facebook Page");
      ownAndPlain(flatten(input), "page_id", "1", "v1 flatten");
      unpolluted();
    }
  });

  test("no input traps the module or leaves it unusable", () => {
    // A small deterministic generator (mulberry32).
    let seed = 0x1eadb00c;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n) => Math.floor(rand() * n);
    const tokens = ['{', '}', '[', ']', ',', ':', '"', '\\', 'u', '"a"', '"__proto__"', '1', '-', '.', 'e', '1e999',
      'true', 'null', ' ', '\n', '\u00e9', '\ud83d\ude00', '=', '&', '%', '%ff', '+', '"event"', '"payload"', '"id_space"',
      '"ProspectID"', '"connectionAssets"', '"apiVersion"', '2', '\u0000', '\uFEFF'];

    const inputs = [
      "[".repeat(100000),
      "{".repeat(100000),
      '{"a":'.repeat(100000),
      "]".repeat(100000),
      "[".repeat(100000) + "]".repeat(100000),
      "1e999999",
      "-1e-999999",
      "9".repeat(100000),
      "[" + "1e400,".repeat(10000) + "0]",
      '{"event":' + "9".repeat(5000) + ', "payload": {}, "id_space": "x"}',
      '"' + "\\u0000".repeat(10000) + '"',
      '"\\ud800"',
      '{"a":"\\udc00\\ud800"}',
      "a=1&".repeat(10000),
      "%".repeat(1000),
      "ProspectID=%E0%80&x=%zz",
      new Uint8Array([0xc0, 0x80]),
      new Uint8Array([0xed, 0xa0, 0x80]),
      new Uint8Array([0xef, 0xbb]),
      new Uint8Array([0xf4, 0x90, 0x80, 0x80]),
    ];
    for (let i = 0; i < 300; i++) {
      const bytes = new Uint8Array(int(2000));
      for (let j = 0; j < bytes.length; j++) bytes[j] = int(256);
      inputs.push(bytes);
    }
    for (let i = 0; i < 300; i++) {
      let s = "";
      const n = int(200);
      for (let j = 0; j < n; j++) s += tokens[int(tokens.length)];
      inputs.push(s);
    }
    const optsList = [
      undefined,
      { strict: true },
      { maxDepth: 1e9 },
      { maxDepth: 0 },
      { maxBytes: 0 },
      { contentType: "application/x-www-form-urlencoded" },
      { url: "https://x.example/?eventType=Lead_Post_Create&entityId=%ff" },
      ...[...KINDS].map((kind) => ({ kind, strict: true })),
    ];

    const stillWorks = () => {
      assert.deepEqual(validate(LEAD_EVENT), { ok: true, kind: "lead-event", errors: [], warnings: [] });
      assert.deepEqual(parse(LEAD_EVENT_TEXT).data, LEAD_EVENT_DATA);
    };
    let n = 0;
    for (const input of inputs) {
      for (const opts of optsList) {
        const label = `input ${n} ${JSON.stringify(opts)}`;
        const r = validate(input, opts);
        assertReport(r, label);
        const kind = detect(input, opts);
        assert.ok(kind === null || KINDS.has(kind), label);
        try {
          const p = parse(input, opts);
          assert.ok(r.ok, `${label}: parse succeeded where validate failed`);
          assert.ok(KINDS.has(p.kind), label);
        } catch (e) {
          assert.ok(e instanceof LeadhookError, `${label}: ${e}`);
          assert.deepEqual(e.report, r, label);
        }
      }
      if (++n % 50 === 0) stillWorks();
    }
    stillWorks();
  });
});

describe("input hints: what to do, for the mistakes users make", () => {
  test("values that are not a body: the code stays input.type, the message says what to pass", async () => {
    const { Readable } = await import("node:stream");
    const cases = [
      [undefined, /express\.raw/],
      [Promise.resolve("{}"), /await it first/],
      [new Request("http://h.example/", { method: "POST", body: "{}" }), /request\.arrayBuffer\(\)/],
      [new Response("{}"), /response\.arrayBuffer\(\)/],
      [new Blob(["{}"]), /blob\.arrayBuffer\(\)/],
      [Readable.from(["{}"]), /read its bytes first/],
      [new ReadableStream(), /new Response\(stream\)\.arrayBuffer\(\)/],
    ];
    for (const [value, hint] of cases) {
      const report = esm.validate(value);
      assert.equal(report.errors[0].code, "input.type");
      assert.match(report.errors[0].message, hint);
      assert.match(esm.codeStep(value).error, hint);
    }
  });

  test('a body of "[object Object]" or JSON encoded twice: the right code, and a hint', () => {
    const twice = JSON.stringify(JSON.stringify({ ProspectID: "x" }));
    const a = esm.validate("[object Object]");
    assert.equal(a.errors[0].code, "json.syntax");
    assert.match(a.errors[0].message, /an object was turned into a string/);
    const b = esm.validate(twice);
    assert.equal(b.errors[0].code, "kind.unknown");
    assert.match(b.errors[0].message, /encoded twice; JSON\.parse it once first/);
    assert.throws(() => esm.flatten(twice), (e) => /encoded twice/.test(e.issues[0].message));
    // A plain string body that is not JSON gets no such hint.
    assert.doesNotMatch(esm.validate('"hello"').errors[0].message, /encoded twice/);
  });
});

describe("options from call to call", () => {
  // The core keeps the last call's options and JavaScript passes none when they repeat: each
  // call must still be read with its own.
  const V2 = fixture("leadsie-v2/vendor-sample.json").toString("utf8");
  const UNKNOWN_TYPE = V2.replace('"Facebook Page"', '"Facebook Reel"');
  const sequence = [
    [UNKNOWN_TYPE, undefined],
    [UNKNOWN_TYPE, { strict: true }],
    [UNKNOWN_TYPE, { strict: true }],
    [UNKNOWN_TYPE, { kind: "leadsie.v1" }],
    [UNKNOWN_TYPE, { maxDepth: 0 }],
    [UNKNOWN_TYPE, { maxDepth: 0 }],
    [UNKNOWN_TYPE, { bogus: 1 }],
    [UNKNOWN_TYPE, { bogus: 1 }],
    [UNKNOWN_TYPE, {}],
    [V2, { kind: "leadsie.v2" }],
    [V2, { kind: "leadsie.v2" }],
    [LEAD_EVENT_TEXT, { kind: "leadsie.v2" }],
    [UNKNOWN_TYPE, undefined],
  ];
  const outcome = (fn) => {
    try {
      return { value: fn() };
    } catch (error) {
      return { report: error.report };
    }
  };
  test("each call is read with its own options, repeated or not", () => {
    // What each call gives alone: the first call of a fresh sequence, so nothing is repeated.
    const alone = sequence.map(([body, opts]) => {
      validate("{}", { maxIssues: 3 }); // other options in between
      return [validate(body, opts), outcome(() => flatten(body, opts))];
    });
    const together = sequence.map(([body, opts]) => [validate(body, opts), outcome(() => flatten(body, opts))]);
    assert.deepEqual(together, alone);
    assert.equal(alone[0][0].warnings.length, 1);
    assert.equal(alone[1][0].ok, false);
    assert.equal(alone[6][0].errors[0].code, "input.type");
    assert.equal(alone[7][0].errors[0].code, "input.type");
    assert.equal(alone[8][0].warnings.length, 1);
    assert.equal(alone[9][0].ok, true);
  });

  test("options held again by the same object or another are read as what they hold now", () => {
    // The text of the last plain options is kept with their values: a change, in place or in
    // a nested value, must still be seen.
    const want = (opts) => validate(UNKNOWN_TYPE, { ...opts });
    const opts = { strict: true };
    assert.deepEqual(validate(UNKNOWN_TYPE, opts), want({ strict: true }));
    opts.strict = false;
    assert.deepEqual(validate(UNKNOWN_TYPE, opts), want({ strict: false }));
    opts.kind = "leadsie.v1";
    assert.deepEqual(validate(UNKNOWN_TYPE, opts), want({ strict: false, kind: "leadsie.v1" }));
    delete opts.kind;
    assert.deepEqual(validate(UNKNOWN_TYPE, opts), want({ strict: false }));
    assert.deepEqual(validate(UNKNOWN_TYPE, { strict: false }), want({ strict: false }));
    // Nested values are read again each time.
    const redacting = { redact: ["name"] };
    const before = validate(UNKNOWN_TYPE, redacting);
    redacting.redact.push("type");
    assert.deepEqual(validate(UNKNOWN_TYPE, redacting), want({ redact: ["name", "type"] }));
    assert.notDeepEqual(validate(UNKNOWN_TYPE, redacting), before);
    // A toJSON the loop cannot see, and a getter that throws the second time.
    const hidden = { strict: true };
    Object.defineProperty(hidden, "toJSON", { value: () => ({ strict: false }) });
    validate(UNKNOWN_TYPE, { strict: true });
    assert.deepEqual(validate(UNKNOWN_TYPE, hidden), want({ strict: false }));
    // Each call reads each getter once (a snapshot): the second read is the second call's.
    let reads = 0;
    const flaky = { get strict() { reads += 1; if (reads > 1) throw new Error("boom"); return true; } };
    assert.equal(validate(UNKNOWN_TYPE, flaky).ok, false);
    assert.equal(reads, 1);
    assert.equal(validate(UNKNOWN_TYPE, flaky).errors[0].code, "input.type");
  });
});
