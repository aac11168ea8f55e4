// The public API of leadhook, built on the raw WebAssembly exports. Every runtime entry
// (node.mjs, node.cjs; later the browser, workerd and inline entries) instantiates the module its
// own way and hands the raw functions to `createApi`; the logic lives here once.
//
// The raw functions (src/wasm.rs) take the body as bytes and the options as a JSON string ("" for
// the defaults) and return one JSON string:
//   detect(bytes, opts)   -> kind name | undefined
//   validate(bytes, opts) -> Report JSON
//   parse(bytes, opts)    -> {"ok":true,"kind","data","warnings"} or a failed Report JSON
//
// This file must stay a plain ES module with no imports, no `import.meta` and a single
// `export { … };` statement at the end: scripts/build.sh derives api.cjs from it by rewriting
// that one statement, and checks these rules.

const KINDS = ["leadsie.v1", "leadsie.v2", "leadsquared", "lead-event"];
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const BRAND = Symbol.for("leadhook.LeadhookError");
const encoder = new TextEncoder();
const objectToString = Object.prototype.toString;

/** The error `parse` (and the later throwing functions) throw for a payload that is not valid. */
class LeadhookError extends Error {
  constructor(report) {
    super(summarise(report));
    this.report = report;
    this.issues = report && Array.isArray(report.errors) ? report.errors : [];
  }

  // `import` and `require` load separate copies of the package; an error thrown by one copy is
  // still an `instanceof LeadhookError` of the other.
  static [Symbol.hasInstance](value) {
    if (this !== LeadhookError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value != null && typeof value === "object" && value[BRAND] === true;
  }
}
Object.defineProperty(LeadhookError.prototype, "name", {
  value: "LeadhookError",
  writable: true,
  configurable: true,
});
Object.defineProperty(LeadhookError.prototype, BRAND, { value: true });

function summarise(report) {
  const errors = report && Array.isArray(report.errors) ? report.errors : [];
  if (errors.length === 0) return "invalid payload";
  const what = report.kind ? `${report.kind} payload` : "payload";
  const shown = errors
    .slice(0, 3)
    .map((e) => `${e.code} at ${e.path === "" ? "(root)" : e.path}: ${e.message}`);
  const more = errors.length > 3 ? `; and ${errors.length - 3} more` : "";
  const count = errors.length === 1 ? "1 error" : `${errors.length} errors`;
  return `invalid ${what} (${count}): ${shown.join("; ")}${more}`;
}

/** The kind a report built here carries: `opts.kind` when it names a kind, as the core does. */
function optsKind(opts) {
  try {
    const kind = opts != null && typeof opts === "object" ? opts.kind : undefined;
    return KINDS.includes(kind) ? kind : null;
  } catch {
    return null;
  }
}

function failed(opts, code, message) {
  return { ok: false, kind: optsKind(opts), errors: [{ path: "", code, message }], warnings: [] };
}

/**
 * `opts` as the JSON string the core reads. `maxBytes`/`maxDepth` of `Infinity` mean "no limit"
 * (JSON has no Infinity: it becomes the largest number, which the core saturates); `-Infinity` and
 * `NaN` are passed as strings so that the core refuses them instead of JSON turning them into null.
 */
function optsJson(opts) {
  if (opts === undefined || opts === null) return "";
  const json = JSON.stringify(opts, function (key, value) {
    if (
      this === opts &&
      (key === "maxBytes" || key === "maxDepth") &&
      typeof value === "number" &&
      !Number.isFinite(value)
    ) {
      return value === Infinity ? Number.MAX_VALUE : String(value);
    }
    return value;
  });
  return json === undefined ? "null" : json;
}

/**
 * The byte limit the core will apply, mirrored so that a too-large input is not encoded or copied
 * into WebAssembly memory. Only an optimisation: the core confirms the refusal (see `call`).
 */
function byteLimit(opts) {
  const max = opts != null && typeof opts === "object" ? opts.maxBytes : undefined;
  if (max === undefined || max === null) return DEFAULT_MAX_BYTES;
  if (typeof max === "number" && max >= 0) return Math.floor(max);
  return Infinity; // not a valid limit: the core reports the option
}

const CHUNK = 65536;
let scratch = null;

/** The UTF-8 length of a string (lone surrogates count as U+FFFD), without encoding it whole. */
function utf8Length(text) {
  if (scratch === null) scratch = new Uint8Array(4 * CHUNK + 8);
  let n = 0;
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + CHUNK, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++; // keep a pair together
    n += encoder.encodeInto(text.slice(i, end), scratch).written;
    i = end;
  }
  return n;
}

/** Plain object: its prototype is null or is an `Object.prototype` (of any realm). */
function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function isArrayBuffer(value) {
  const tag = objectToString.call(value);
  return tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]";
}

function stringifyFailure(error) {
  const name = error && error.name;
  const message = String((error && error.message) || error);
  if ((name === "RangeError" || name === "InternalError") && /call stack|recursion/i.test(message)) {
    return ["input.too_deep", "the value nests too deeply to be serialised as JSON (maxDepth)"];
  }
  if (name === "RangeError" && /string length/i.test(message)) {
    return ["input.too_large", "the value is too large to be serialised as JSON (maxBytes)"];
  }
  return ["input.type", `the value cannot be serialised as JSON: ${message}`];
}

/**
 * Reads `input` into what the core takes. Returns `{ report }` for an input the core never sees,
 * or `{ text }` / `{ bytes }` with `limit`.
 */
function read(input, opts) {
  try {
    const limit = byteLimit(opts);
    if (typeof input === "string") return { text: input, limit };
    if (input !== null && typeof input === "object") {
      if (ArrayBuffer.isView(input)) {
        return { bytes: new Uint8Array(input.buffer, input.byteOffset, input.byteLength), limit };
      }
      if (isArrayBuffer(input)) return { bytes: new Uint8Array(input), limit };
      if (Array.isArray(input) || isPlainObject(input)) {
        let text;
        try {
          text = JSON.stringify(input);
        } catch (error) {
          const [code, message] = stringifyFailure(error);
          return { report: failed(opts, code, message) };
        }
        if (typeof text !== "string") {
          return { report: failed(opts, "input.type", "the value serialises to nothing (toJSON)") };
        }
        return { text, limit };
      }
    }
    return { report: failed(opts, "input.type", `expected a string, bytes, an object or an array, got ${describe(input)}`) };
  } catch (error) {
    return { report: failed(opts, "input.type", `the input cannot be read: ${(error && error.message) || error}`) };
  }
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return typeof value;
  const tag = objectToString.call(value).slice(8, -1);
  return tag === "Object" ? "a class instance" : `a ${tag}`;
}

/** Builds the public API on the raw wasm-bindgen exports `{ detect, validate, parse }`. */
function createApi(raw) {
  // Runs one raw function on the input. Returns `{ report }` when the input was refused before the
  // core saw all of it, else `{ out }`, the raw result.
  function call(fn, input, opts) {
    let json;
    try {
      json = optsJson(opts);
    } catch (error) {
      return { report: failed(opts, "input.type", `option \`opts\` cannot be serialised as JSON: ${(error && error.message) || error}`) };
    }
    const got = read(input, opts);
    if (got.report) return got;
    const { limit } = got;
    const size = got.bytes ? got.bytes.byteLength : got.text.length;
    if (size > limit) {
      // Over the limit (a string's UTF-8 length is at least its length): hand the core only the
      // first limit + 1 bytes, so that a huge input is neither encoded nor copied into memory.
      // The core checks the options, then refuses the body; if it does anything else, it gets the
      // whole input after all.
      const head = got.bytes
        ? got.bytes.subarray(0, limit + 1)
        : encoder.encode(got.text.slice(0, limit + 1));
      const report = JSON.parse(raw.validate(head, json));
      if (report.errors.length === 1 && report.errors[0].code === "input.too_large") {
        const bytes = got.bytes ? size : utf8Length(got.text);
        report.errors[0].message = `the body is ${bytes} bytes, over the limit of ${limit} bytes (maxBytes)`;
        return { report };
      }
    }
    const bytes = got.bytes || encoder.encode(got.text);
    return { out: fn(bytes, json) };
  }

  /** The kind of a payload, or `null` when it is unreadable or of no known kind. Never throws. */
  function detect(input, opts) {
    const r = call(raw.detect, input, opts);
    return r.report ? null : (r.out ?? null);
  }

  /** Every issue with a payload. Never throws. */
  function validate(input, opts) {
    const r = call(raw.validate, input, opts);
    return r.report || JSON.parse(r.out);
  }

  /** The payload as data: `{ kind, data, warnings }`; throws `LeadhookError` when it is not valid. */
  function parse(input, opts) {
    const r = call(raw.parse, input, opts);
    const result = r.report || JSON.parse(r.out);
    if (result.ok !== true) throw new LeadhookError(result);
    return { kind: result.kind, data: result.data, warnings: result.warnings };
  }

  return { LeadhookError, detect, validate, parse };
}

export { createApi, LeadhookError };
