// Runs every case in tests/fixtures/ through the built package, as tests/fixtures.rs runs them
// through the Rust core: NAME.expect.json (opts, kind, ok, errors, warnings as [code, path] in
// order) beside exactly one body file NAME.<ext>. The body goes in as bytes, as a string (when it
// is UTF-8) and as a parsed object (when it is JSON that parses to the same document), and every
// form must give the same report.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { esm, root } from "./leadhook.mjs";

const { detect, validate, parse, LeadhookError } = esm;
const fixturesDir = path.join(root, "tests", "fixtures");

function collect(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(p, out);
    else if (entry.name.endsWith(".expect.json")) out.push(p);
  }
  return out;
}

function cases() {
  return collect(fixturesDir)
    .sort()
    .map((expectPath) => {
      const stem = path.basename(expectPath).slice(0, -".expect.json".length);
      const dir = path.dirname(expectPath);
      const bodies = fs
        .readdirSync(dir)
        .filter((n) => n.startsWith(`${stem}.`) && !n.endsWith(".expect.json"));
      const name = path.relative(fixturesDir, expectPath);
      assert.equal(bodies.length, 1, `${name}: expected exactly one body file beside it, found ${bodies.length}`);
      return {
        name,
        body: new Uint8Array(fs.readFileSync(path.join(dir, bodies[0]))),
        expect: JSON.parse(fs.readFileSync(expectPath, "utf8")),
      };
    });
}

const pairs = (list) => (list ?? []).map((i) => [i.code, i.path]);

/** The body as a string, when it is valid UTF-8 (a byte-order mark is kept, to give the same bytes back). */
function asString(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether valid JSON text has an object with the same key twice (JSON.parse would keep one). */
function hasDuplicateKeys(text) {
  const stack = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top instanceof Set) {
        const key = JSON.parse(text.slice(i, j + 1));
        if (top.has(key)) return true;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === "{") {
      stack.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      stack.push(null);
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return false;
}

/** Whether an object in the tree has an array-index key: engines list those first, so key order changes. */
function hasIndexKeys(value) {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(hasIndexKeys);
  const keys = Object.keys(value);
  if (keys.length > 1 && keys.some((k) => /^(0|[1-9]\d*)$/.test(k))) return true;
  return keys.some((k) => hasIndexKeys(value[k]));
}

const isForm = (opts) =>
  typeof opts?.contentType === "string" &&
  opts.contentType.split(";")[0].trim().toLowerCase() === "application/x-www-form-urlencoded";

/** The body as an already-parsed value, when that is the same document; else the reason it is not. */
function asObject(text, opts) {
  if (text === undefined) return { skip: "not UTF-8" };
  if (isForm(opts)) return { skip: "a form body" };
  let value;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { skip: "not JSON" };
  }
  if (value === null || typeof value !== "object") return { skip: "not an object or array" };
  if (hasDuplicateKeys(text)) return { skip: "duplicate keys" };
  if (hasIndexKeys(value)) return { skip: "array-index keys (reordered by JSON.parse)" };
  return { value };
}

/** parse's outcome: the result, or the LeadhookError's report. */
function parseOutcome(input, opts) {
  try {
    return { ok: true, result: parse(input, opts) };
  } catch (error) {
    assert.ok(error instanceof LeadhookError, `parse threw ${error}`);
    return { ok: false, report: error.report };
  }
}

const all = cases();

test("the fixtures are found", () => {
  assert.ok(all.length >= 6, `only ${all.length} fixtures found`);
});

const variants = { string: 0, object: 0, skipped: {} };

for (const c of all) {
  test(c.name, async (t) => {
    const opts = c.expect.opts ?? undefined;
    const report = validate(c.body, opts);
    const parsed = parseOutcome(c.body, opts);

    await t.test("the expected report", () => {
      // As tests/fixtures.rs compares it.
      assert.deepEqual(
        { kind: report.kind, ok: report.ok, errors: pairs(report.errors), warnings: pairs(report.warnings) },
        {
          kind: c.expect.kind ?? null,
          ok: c.expect.ok === true,
          errors: pairs(c.expect.errors),
          warnings: pairs(c.expect.warnings),
        },
      );
    });

    await t.test("detect and parse agree with validate", () => {
      assert.equal(report.ok, report.errors.length === 0, "ok is errors.length === 0");
      // detect agrees with validate's kind whenever the body could be read.
      const readable = !report.errors.some((e) => e.code.startsWith("input.") || e.code === "json.syntax");
      if (opts?.kind == null && readable) assert.equal(detect(c.body, opts), report.kind, "detect");
      // parse succeeds exactly when the report is ok.
      assert.equal(parsed.ok, report.ok, "parse succeeds exactly when ok");
      if (parsed.ok) {
        assert.deepEqual(Object.keys(parsed.result), ["kind", "data", "warnings"]);
        assert.equal(parsed.result.kind, report.kind);
        assert.deepEqual(parsed.result.warnings, report.warnings);
      } else {
        assert.deepEqual(parsed.report, report);
      }
    });

    // The same body as a string: the very same report.
    const text = asString(c.body);
    if (text !== undefined) {
      variants.string++;
      await t.test("as a string", () => {
        assert.deepEqual(validate(text, opts), report);
        assert.equal(detect(text, opts), detect(c.body, opts), "detect");
        assert.deepEqual(parseOutcome(text, opts), parsed, "parse");
      });
    }

    // The same document as a parsed value: the same kind, codes and paths, and the same data.
    const object = asObject(text, opts);
    if (object.value !== undefined) {
      variants.object++;
      await t.test("as a parsed object", () => {
        const got = validate(object.value, opts);
        assert.deepEqual(
          { kind: got.kind, ok: got.ok, errors: pairs(got.errors), warnings: pairs(got.warnings) },
          { kind: report.kind, ok: report.ok, errors: pairs(report.errors), warnings: pairs(report.warnings) },
        );
        assert.equal(detect(object.value, opts), detect(c.body, opts), "detect");
        const p = parseOutcome(object.value, opts);
        assert.equal(p.ok, parsed.ok, "parse");
        if (p.ok) assert.deepEqual(p.result.data, parsed.result.data, "parse data");
      });
    } else {
      variants.skipped[object.skip] = (variants.skipped[object.skip] ?? 0) + 1;
    }
  });
}

test("how many fixtures ran in each form", (t) => {
  t.diagnostic(`${all.length} fixtures: ${variants.string} also as a string, ${variants.object} also as a parsed object; ` +
    `not as an object: ${JSON.stringify(variants.skipped)}`);
  assert.ok(variants.object > 0);
});
