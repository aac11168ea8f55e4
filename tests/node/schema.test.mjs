// schema(kind) against the validator: ajv (draft 2020-12) compiles each kind's schema, and on the
// fixtures whose verdict is about JSON types and required fields only, ajv and validate agree.
//
// The schema describes what validates with default options, and approximates leadhook's date and
// URL checks with patterns; so the cases compared are the fixtures that are valid or whose errors
// are only field.type / field.missing, whose body is JSON without repeated keys, and whose kind is
// known. Each valid fixture is then also mutated — every value in it replaced in turn by one of
// another JSON type, every member removed — and the verdicts compared again wherever validate's
// errors are only field.type / field.missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020.js";
import { esm } from "./leadhook.mjs";
import { cases, asString, hasDuplicateKeys, isForm } from "./fixtures.mjs";

const { validate, schema } = esm;
const KINDS = esm.kinds();
const TYPE_CODES = new Set(["field.type", "field.missing"]);

const warnings = [];
// Union types (`"type": ["number", "string"]`) are standard JSON Schema; ajv's strict mode only
// wants them allowed explicitly. Any other strict-mode warning fails the test.
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, logger: { log() {}, warn: (m) => warnings.push(String(m)), error: (m) => warnings.push(String(m)) } });
const validators = {};

test("ajv compiles the schema of each kind", () => {
  for (const kind of KINDS) {
    const s = schema(kind);
    assert.ok(ajv.validateSchema(s), `${kind}: ${ajv.errorsText(ajv.errors)}`);
    validators[kind] = ajv.compile(s);
  }
  assert.deepEqual(warnings, [], "ajv's strict-mode warnings");
});

/** The JSON body of a case, when it is JSON without repeated keys and not a form body. */
function jsonBody(c) {
  const text = asString(c.body);
  if (text === undefined || isForm(c.expect.opts)) return undefined;
  try {
    const value = JSON.parse(text.replace(/^\uFEFF/, ""));
    return hasDuplicateKeys(text) ? undefined : { value };
  } catch {
    return undefined;
  }
}

/** ajv's verdict and errors for `value` as `kind`. */
function ajvVerdict(kind, value) {
  const validateKind = validators[kind];
  const ok = validateKind(value);
  return { ok, errors: ok ? [] : validateKind.errors.map((e) => `${e.instancePath || "(root)"} ${e.message} (${e.schemaPath})`) };
}

// A wrong type in an optional field is only a warning by default (contract revision 2): the
// schema's verdict on types is leadhook's under `strict`, where it is an error.
const onlyTypeCodes = (report) => report.errors.every((e) => TYPE_CODES.has(e.code));

const all = cases();
const compared = [];
const disagreements = [];

test("ajv and validate agree on the fixtures (type and required-field verdicts)", (t) => {
  for (const c of all) {
    const kind = c.expect.kind;
    if (!KINDS.includes(kind)) continue;
    const expectedCodes = (c.expect.errors ?? []).map((e) => e.code);
    if (!expectedCodes.every((code) => TYPE_CODES.has(code))) continue;
    const body = jsonBody(c);
    if (body === undefined) continue;
    const report = validate(c.body, { ...c.expect.opts, strict: true });
    if (!onlyTypeCodes(report)) continue;
    compared.push(c.name);
    const got = ajvVerdict(kind, body.value);
    if (got.ok !== report.ok) {
      disagreements.push({ fixture: c.name, kind, validate: report.errors.map((e) => `${e.code} ${e.path}`), ajv: got.errors });
    }
  }
  const invalid = compared.filter((n) => !all.find((c) => c.name === n).expect.ok).length;
  t.diagnostic(`${compared.length} of ${all.length} fixtures compared: ${compared.length - invalid} valid, ${invalid} with field.type / field.missing errors`);
  assert.ok(compared.length >= 40, `only ${compared.length} fixtures compared`);
  assert.deepEqual(disagreements, []);
});

/** Every path to a value in `value`, with the value. */
function* paths(value, at = []) {
  yield [at, value];
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* paths(value[i], [...at, i]);
  else if (value !== null && typeof value === "object") for (const k of Object.keys(value)) yield* paths(value[k], [...at, k]);
}

const DELETE = Symbol("delete");

/** A copy of `value` with the value at `at` replaced (or, for DELETE, an object member removed). */
function replaced(value, at, replacement) {
  const copy = Array.isArray(value) ? [...value] : { ...value };
  if (at.length === 1 && replacement === DELETE) delete copy[at[0]];
  else if (at.length === 1) copy[at[0]] = replacement;
  else copy[at[0]] = replaced(value[at[0]], at.slice(1), replacement);
  return copy;
}

const REPLACEMENTS = [7, "x", true, null, {}, [], DELETE];

test("ajv and validate agree on every valid fixture with one value's type changed", (t) => {
  let mutants = 0;
  let invalid = 0;
  const found = new Map();
  for (const c of all) {
    const kind = c.expect.kind;
    if (!KINDS.includes(kind) || c.expect.ok !== true) continue;
    const body = jsonBody(c);
    if (body === undefined) continue;
    for (const [at, original] of paths(body.value)) {
      if (at.length === 0) continue;
      for (const replacement of REPLACEMENTS) {
        if (replacement === DELETE && typeof at[at.length - 1] === "number") continue; // objects' members only
        if (typeof replacement === typeof original && Array.isArray(replacement) === Array.isArray(original)) continue;
        const mutant = replaced(body.value, at, replacement);
        const report = validate(mutant, { kind, strict: true });
        if (!onlyTypeCodes(report)) continue;
        mutants++;
        if (!report.ok) invalid++;
        const got = ajvVerdict(kind, mutant);
        if (got.ok !== report.ok) {
          // One line per schema location, with its first example.
          const shown = replacement === DELETE ? "(deleted)" : JSON.stringify(replacement);
          const where = `${kind} /${at.map((p) => (typeof p === "number" ? "N" : p)).join("/")} = ${shown}`;
          if (!found.has(where)) {
            found.set(where, { fixture: c.name, path: `/${at.join("/")}`, value: shown, validate: report.errors.map((e) => `${e.code} ${e.path}`), ajv: got.errors });
          }
        }
      }
    }
  }
  t.diagnostic(`${mutants} mutants compared: ${mutants - invalid} valid, ${invalid} invalid`);
  assert.ok(mutants > 1000 && invalid > 500 && mutants - invalid > 500, `only ${mutants} mutants (${invalid} invalid)`);
  assert.deepEqual(Object.fromEntries(found), {});
});

test("the package ships each schema as schemas/<kind>.json, as schema(kind) returns it", async () => {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  for (const kind of KINDS) {
    assert.deepEqual(require(`leadhook/schemas/${kind}.json`), schema(kind), kind);
  }
  const a = schema("leadsie.v2");
  a.title = "changed";
  assert.notEqual(schema("leadsie.v2").title, "changed", "each call returns its own object");
});
