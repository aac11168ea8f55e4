// The public API of leadhook, built on the raw WebAssembly exports. Every runtime entry (the
// browser and workerd entries, and the inline files, which the Node entries re-export)
// instantiates the module its own way and hands the raw functions, and the module's memory from
// the exports wasm-bindgen's init returns, to `createApi`; the logic lives here once.
//
// The body crosses once: `inputBuffer(n)` gives the address of room for n bytes in the module's
// memory, the body is written there (encodeInto for a string), and each raw function
// (crates/leadhook-wasm/src/lib.rs) takes its length `len` (plus FROM_STRING when encodeInto wrote it) and the options as a JSON string ("" for the defaults), or
// `undefined` for the same options as the last call's (see `withOpts`):
//   detect(len, opts)     -> kind name | undefined
//   validate(len, opts)   -> for a clean report (ok, no warnings) 1 + its kind's index in kinds();
//                            else 0, and takeOutput() -> the Report JSON
//   parse(len, opts)      -> {"ok":true,"kind","data","warnings"} or a failed Report JSON
//   flatten, rows (len, opts, shape) -> the address of the record or rows laid out in memory
//                            (src/records.rs; `shape`: the keys held, see `records`), or 0 and
//                            takeOutput() -> the failed Report JSON
//   toCsv, upgrade (len, opts) -> {"ok":true,"value":…} or a failed Report JSON
//   codeStep(len, opts)   -> the flat record or {"error","errors","available_keys"} JSON
//   verifySecret(len, expected, opts) -> boolean
//   secretsEqual(givenBytes, expectedBytes) -> boolean (constant time; false when expected is empty)
//   parseEventType(string) -> JSON
//   kinds()               -> JSON array of the kind names, in detection order
//   checkSignature(len, opts, secretsJson, scheme, nowSeconds, toleranceSeconds) -> 0 when it
//                            holds, else the reason code (src/signature.rs, `Failure::code`)
//   eventKey(len, opts)   -> string | undefined
//   events(len, opts, rows) -> {"ok":true,"value":[kind, key, record, key, record, …]} or a failed Report JSON
// Every result is read with JSON.parse, or made with data properties only, so keys such as
// "__proto__" stay plain data.
//
// scripts/assemble.mjs bundles this file (esbuild) into pkg/api.js, a plain ES module with no
// imports, no `import.meta` and a single `export { … };` statement at the end, whose code it puts,
// without that statement, into the inline files, and checks these rules.

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
// Each kind's JSON Schema as JSON text, written by the build from the kinds' tables (cargo xtask
// schemas, which also ships them as schemas/<kind>.json): the module carries no schema writer.
// scripts/assemble.mjs fills in the line below before it bundles this file.
const SCHEMAS = {}; /* @schemas */
const BRAND = Symbol.for("leadhook.LeadhookError");
const encoder = new TextEncoder();
const objectToString = Object.prototype.toString;

/** The error `parse`, `flatten`, `rows`, `toCsv` and `upgrade` throw for a payload that is not valid. */
class LeadhookError extends Error {
  constructor(report) {
    super(summarise(report));
    this.report = report;
    this.issues = report && Array.isArray(report.errors) ? report.errors : [];
  }

  // `import` and `require` load separate copies of the package; an error thrown by one copy is
  // still an `instanceof LeadhookError` of the other.
  static [Symbol.hasInstance](value) {
    return hasInstance(this, value);
  }
}
// Its own name, whatever a minifier calls the class (`LeadhookError.name`, and in a stack).
Object.defineProperty(LeadhookError, "name", { value: "LeadhookError" });
Object.defineProperty(LeadhookError.prototype, "name", {
  value: "LeadhookError",
  writable: true,
  configurable: true,
});
Object.defineProperty(LeadhookError.prototype, BRAND, { value: true });

/**
 * `instanceof LeadhookError`: any value branded by a copy of the package, and the usual check for a
 * subclass. Out of the class body, which must not name the class: bundled, such a class is given
 * a name of esbuild's making (scripts/assemble.mjs).
 */
function hasInstance(constructor, value) {
  if (constructor !== LeadhookError) return Function.prototype[Symbol.hasInstance].call(constructor, value);
  return value != null && typeof value === "object" && value[BRAND] === true;
}

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
function optsKind(opts, kinds) {
  try {
    const kind = opts != null && typeof opts === "object" ? opts.kind : undefined;
    return kinds.includes(kind) ? kind : null;
  } catch {
    return null;
  }
}

/** The options that are limits: `Infinity` means "no limit". */
const LIMITS = ["maxBytes", "maxDepth", "maxOutputBytes"];

/**
 * `opts` as the JSON string the core reads. A limit of `Infinity` means "no limit" (JSON has no
 * Infinity: it becomes the largest number, which the core saturates); `-Infinity` and `NaN` are
 * passed as strings so that the core refuses them instead of JSON turning them into null.
 */
function optsJson(opts) {
  if (opts === undefined || opts === null) return "";
  // Without a replacer when no limit needs one: JSON.stringify is then twice as quick.
  if (typeof opts === "object" && LIMITS.every((name) => finiteOrNotNumber(opts[name]))) {
    const plain = JSON.stringify(opts);
    return plain === undefined ? "null" : plain;
  }
  const json = JSON.stringify(opts, function (key, value) {
    if (this === opts && LIMITS.includes(key) && typeof value === "number" && !Number.isFinite(value)) {
      return value === Infinity ? Number.MAX_VALUE : String(value);
    }
    return value;
  });
  return json === undefined ? "null" : json;
}

const finiteOrNotNumber = (value) => typeof value !== "number" || Number.isFinite(value);

/**
 * Options that are not a plain object, as a call reads them: `{ o, json }`, where `o` holds data
 * only for what JavaScript reads of them, and `json` is the text for the core. An object that is
 * not plain (a class instance, one with `toJSON`) is read once, as its JSON. (A plain object is
 * read once by `readPlain`.)
 */
function readOpts(opts) {
  if (opts === undefined || opts === null) return { o: {}, json: "" };
  if (typeof opts !== "object") return { o: {}, json: optsJson(opts) };
  const json = optsJson(opts);
  let o = {};
  try {
    const value = JSON.parse(json);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) o = value;
  } catch {
    o = {};
  }
  return { o, json };
}

/** Whether `opts` is a plain object whose JSON is that of its enumerable keys and values. */
function plainObject(opts) {
  if (opts === null || typeof opts !== "object" || opts.toJSON !== undefined) return false;
  const proto = Object.getPrototypeOf(opts);
  return proto === Object.prototype || proto === null;
}

/** `[key, value, …]` of a plain object whose values are all strings, finite numbers, booleans,
 * null or undefined (what its JSON text is a function of), else null. */
function primitivePairs(opts) {
  if (!plainObject(opts)) return null;
  const pairs = [];
  for (const key in opts) {
    const value = opts[key];
    const type = typeof value;
    const primitive =
      value === null || type === "string" || type === "boolean" || type === "undefined" || (type === "number" && Number.isFinite(value));
    if (!primitive) return null;
    pairs.push(key, value);
  }
  return pairs;
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

/**
 * The UTF-8 length of a string (lone surrogates count as U+FFFD), without encoding it whole;
 * it stops counting once past `stopAfter`.
 */
function utf8Length(text, stopAfter = Infinity) {
  if (scratch === null) scratch = new Uint8Array(4 * CHUNK + 8);
  let n = 0;
  for (let i = 0; i < text.length && n <= stopAfter; ) {
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
function read(input, opts, failed) {
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
    const hint = valueHint(input);
    return { report: failed(opts, "input.type", `expected a string, bytes, an object or an array, got ${describe(input)}${hint ? `: ${hint}` : ""}`) };
  } catch (error) {
    return { report: failed(opts, "input.type", `the input cannot be read: ${(error && error.message) || error}`) };
  }
}

/** What to do about a value that is not a body, for the cases users meet. */
function valueHint(value) {
  try {
    if (value === undefined) {
      return "no body; with Express, put express.raw({ type: \"*/*\" }) (or express.json()) before the route";
    }
    if (value === null || typeof value !== "object") return "";
    const tag = objectToString.call(value).slice(8, -1);
    if (typeof value.then === "function") return "await it first (await request.arrayBuffer())";
    if (tag === "Request" || tag === "Response") return `pass await ${tag === "Request" ? "request" : "response"}.arrayBuffer() (or .text()), not the ${tag} itself`;
    if (tag === "Blob" || tag === "File") return "pass await blob.arrayBuffer()";
    if (typeof value.pipe === "function" && typeof value.on === "function") {
      return "it looks like a stream (an unread Node request?): read its bytes first, e.g. with express.raw({ type: \"*/*\" })";
    }
    if (typeof value.getReader === "function") return "pass await new Response(stream).arrayBuffer()";
  } catch {
    return "";
  }
  return "";
}

/** A hint for a body that is not what it seems; the report's first error says why. */
function textHint(input, report) {
  if (!report || !Array.isArray(report.errors) || report.errors.length === 0) return "";
  const first = report.errors[0];
  // A pooled Buffer's `.buffer` is Node's shared 8 KB pool, which holds other bytes too.
  if (isArrayBuffer(input) && typeof Buffer === "function" && input.byteLength === Buffer.poolSize && first.code !== "kind.unknown") {
    return `an ArrayBuffer of exactly Buffer.poolSize (${Buffer.poolSize}) bytes is most likely a small Buffer's .buffer, Node's shared pool, which holds other data too: pass the Buffer itself`;
  }
  // Rows for toCsv hold flat values only: name the first cell that does not.
  if (Array.isArray(input) && first.code === "kind.unknown") {
    for (let r = 0; r < input.length && r < 1000; r++) {
      const row = input[r];
      if (row === null || typeof row !== "object" || Array.isArray(row)) break;
      const cell = Object.keys(row).find((k) => row[k] !== null && typeof row[k] === "object");
      if (cell !== undefined) {
        return `if these are rows for toCsv: /${r}/${cell.replace(/~/g, "~0").replace(/\//g, "~1")} holds ${Array.isArray(row[cell]) ? "an array" : "an object"}, and a row's values are strings, numbers, booleans or null (flatten the records, or pass the payload itself)`;
      }
    }
  }
  if (typeof input !== "string") return "";
  if (/^\s*\[object Object\]\s*$/.test(input) && first.code === "json.syntax") {
    return 'the body is the text "[object Object]": an object was turned into a string; pass the object itself (or JSON.stringify it)';
  }
  if (first.code === "kind.unknown" && /^\s*"/.test(input)) {
    try {
      const inner = JSON.parse(input);
      if (typeof inner === "string" && /^\s*[{[]/.test(inner)) return "the body is a JSON string that holds JSON: it was encoded twice; JSON.parse it once first";
    } catch {
      return "";
    }
  }
  return "";
}

/** The report with a hint added to its first error's message, where one helps. */
function withHint(input, report) {
  let hint = "";
  try {
    hint = textHint(input, report);
  } catch {
    // An input that cannot even be looked at (a revoked proxy) gets no hint.
  }
  if (hint) report.errors[0].message += ` (${hint})`;
  return report;
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return typeof value;
  const tag = objectToString.call(value).slice(8, -1);
  return tag === "Object" ? "a class instance" : `a ${tag}`;
}

// The codes that say a delivery differs from the documented format, and what each means.
const DRIFT = {
  "field.unknown": "undocumented field",
  "field.enum": "value outside the documented vocabulary",
  "field.type": "type other than the documented one",
  "field.format": "format other than the documented one",
  "field.deprecated": "field the current version no longer documents",
};

/**
 * What live deliveries show that the tables do not, from their reports (best made with
 * `strict: true`, which also reports undocumented fields): per kind, each path (array indices
 * as `*`) and code with its count. Field names and codes only, never a value or a message
 * (which may quote one). Never throws; anything that is not a report is skipped.
 */
function drift(reports) {
  const out = {};
  for (const report of Array.isArray(reports) ? reports : [reports]) {
    if (report === null || typeof report !== "object" || typeof report.kind !== "string") continue;
    const kind = (out[report.kind] ??= { reports: 0, fields: [] });
    kind.reports++;
    const seen = new Set();
    for (const issue of [...(Array.isArray(report.errors) ? report.errors : []), ...(Array.isArray(report.warnings) ? report.warnings : [])]) {
      if (!issue || !Object.prototype.hasOwnProperty.call(DRIFT, issue.code) || typeof issue.path !== "string") continue;
      const path = issue.path.replace(/\/\d+(?=\/|$)/g, "/*");
      const id = `${issue.code} ${path}`;
      if (seen.has(id)) continue; // one count per report
      seen.add(id);
      const known = kind.fields.find((f) => f.code === issue.code && f.path === path);
      if (known) known.count++;
      else kind.fields.push({ path, code: issue.code, what: DRIFT[issue.code], count: 1 });
    }
    kind.fields.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
  }
  return out;
}

/**
 * Builds the public API on the raw wasm-bindgen exports (the list at the top of this file) and
 * the module's `WebAssembly.Memory` (`memory` of what wasm-bindgen's init returns).
 */
function createApi(raw, memory, renewModule) {
  // Every raw function, guarded: a trap (or a stack overflow) leaves the instance in a state no
  // later call can trust (Rust's cells borrowed, its allocator mid-way), so the instance is
  // dropped and the call ends with `Trapped`; the next call runs on a fresh instance.
  const wasm = {};
  for (const name of Object.keys(raw)) {
    if (typeof raw[name] === "function" && !NOT_EXPORTS.includes(name)) wasm[name] = guarded(raw[name]);
  }
  function guarded(fn) {
    return function (a, b, c, d, e, f) {
      try {
        return fn(a, b, c, d, e, f);
      } catch (error) {
        if (!(error instanceof WebAssembly.RuntimeError || error instanceof RangeError)) throw error;
        renew();
        throw new Trapped(error);
      }
    };
  }
  // A fresh instance of the module, and what this API kept of the old one forgotten: its memory
  // and views of it, the options it last read, the keys it last sent.
  function renew() {
    memory = renewModule().memory;
    view = null;
    lastOpts = "";
    shape = 0;
    keys = [];
    template = {};
    copy = COPIES[0];
    words = new Uint32Array(0);
    bytes = new Uint8Array(0);
    buffer = null;
  }
  // Each public function: the report of a trap given as the function's contract says, and the
  // instance replaced once a call has grown its memory past KEEP_MEMORY, so that one large body
  // does not hold its memory for the life of the process.
  function exported(name, fn, onTrap) {
    const wrapped = function (a, b, c, d) {
      let out;
      try {
        out = fn(a, b, c, d);
      } catch (error) {
        if (!(error instanceof Trapped)) throw error;
        out = onTrap(trapReport(name, error));
      }
      if (memory.buffer.byteLength > KEEP_MEMORY) renew();
      return out;
    };
    Object.defineProperty(wrapped, "name", { value: name });
    return wrapped;
  }
  // The kinds, from the core's registry: the one list.
  const KINDS = Object.freeze(JSON.parse(wasm.kinds()));

  // Writes a body into the module's input buffer: its length in bytes. The view is made after
  // `inputBuffer`, which may grow the memory (and so replace `memory.buffer`). The last view is
  // kept while it is big enough and the memory has not grown since (growing detaches the old
  // buffer, and a view of a detached buffer has length 0): the buffer only moves when
  // `inputBuffer` grows it, so a call into the module and a new view are spared.
  let view = null;
  function room(n) {
    if (view === null || view.length < n || view.length === 0) {
      const at = wasm.inputBuffer(n);
      view = new Uint8Array(memory.buffer, at, n);
    }
    return view;
  }
  // Added to the length of a body written from a string: encodeInto writes UTF-8 (a lone
  // surrogate as U+FFFD), which the core then need not check (crates/leadhook-wasm/src/lib.rs: FROM_STRING).
  const FROM_STRING = 2 ** 31;
  function put(body) {
    if (typeof body !== "string") {
      room(body.byteLength).set(body);
      return body.byteLength;
    }
    // Room for ASCII first (3 bytes a unit for a small string); more only when the text needs it.
    const n = body.length;
    const first = encoder.encodeInto(body, room(n <= 65536 ? 3 * n : n));
    if (first.read === n) return FROM_STRING + first.written;
    const rest = room(first.written + 3 * (n - first.read)).subarray(first.written);
    return FROM_STRING + first.written + encoder.encodeInto(body.slice(first.read), rest).written;
  }
  // The options JSON of the last call: the core keeps what it read of them, so the same text is
  // not passed again (`undefined` says "the same"). Noted only once the call returns, so that a
  // call that throws on the way never leaves the two disagreeing. (One createApi per instance of
  // the module, as every entry does.) The module starts with the default options, which is what
  // "" says: a first call with none does not pass them, nor has the core read them.
  let lastOpts = "";
  function withOpts(fn, len, json) {
    const same = json === lastOpts;
    lastOpts = undefined;
    const out = fn(len, same ? undefined : json);
    lastOpts = json;
    return out;
  }
  // The report of a raw `validate` answer.
  function validated(answer) {
    if (answer > 0) return { ok: true, kind: KINDS[answer - 1], errors: [], warnings: [] };
    return JSON.parse(wasm.takeOutput());
  }
  const failed = (opts, code, message) => ({
    ok: false,
    kind: optsKind(opts, KINDS),
    errors: [{ path: "", code, message }],
    warnings: [],
  });

  // JSON.stringify of the options is a large part of a small call. For a plain object of
  // primitives (the usual `{ kind }`), the last one's text is kept with what it held, and options
  // that hold the same again (the same object or another) get the text back without it.
  let memo = null; // { pairs: [key, value, …], json, o: the options read }
  // A plain object's options, each member read once: the memo's own copy when they hold what it
  // holds (no copy made: the usual `{ kind }` of every call), else a copy of them.
  function readPlain(opts) {
    const pairs = memo === null ? [] : memo.pairs;
    let i = 0;
    let copy = null;
    for (const key in opts) {
      const value = opts[key];
      if (copy === null) {
        if (i < pairs.length && pairs[i] === key && Object.is(pairs[i + 1], value)) {
          i += 2;
          continue;
        }
        copy = {};
        for (let j = 0; j < i; j += 2) copy[pairs[j]] = pairs[j + 1];
      }
      copy[key] = value;
    }
    if (copy === null && memo !== null && i === pairs.length) return memo;
    if (copy === null) {
      copy = {};
      for (let j = 0; j < i; j += 2) copy[pairs[j]] = pairs[j + 1];
    }
    return { o: copy, json: null };
  }

  // Runs one raw function on the input. Returns `{ report }` when the input was refused before the
  // core saw all of it, else `{ out }`, the raw result.
  function call(fn, input, opts) {
    let o = null;
    let json;
    try {
      // A getter of the options may throw, here as in JSON.stringify.
      ({ o, json } = plainObject(opts) ? readPlain(opts) : readOpts(opts));
      if (json === null) {
        json = optsJson(o);
        const pairs = primitivePairs(o);
        memo = pairs && { pairs, json, o };
      }
    } catch (error) {
      return { report: failed(o, "input.type", `option \`opts\` cannot be serialised as JSON: ${(error && error.message) || error}`) };
    }
    const got = read(input, o, failed);
    if (got.report) return got;
    const { limit } = got;
    // A string's UTF-8 length is between its length and three times it; only in between is it
    // counted, in chunks, so that an oversized string is never encoded or copied whole.
    let size = got.bytes ? got.bytes.byteLength : got.text.length;
    if (got.text !== undefined && size <= limit && size * 3 > limit) {
      const bytes = utf8Length(got.text, limit);
      if (bytes > limit) size = bytes;
    }
    if (size > limit) {
      // Over the limit (a string's UTF-8 length is at least its length): the core is told of
      // limit + 1 bytes, which it refuses by their length alone, so that a huge input is neither
      // encoded nor copied into memory. The core checks the options first; if it does anything
      // but refuse the body, it gets the whole input after all.
      room(limit + 1);
      const report = validated(withOpts(wasm.validate, limit + 1, json));
      if (report.errors.length === 1 && report.errors[0].code === "input.too_large") {
        const bytes = got.bytes ? size : utf8Length(got.text);
        report.errors[0].message = `the body is ${bytes} bytes, over the limit of ${limit} bytes (maxBytes)`;
        return { report };
      }
    }
    return { out: withOpts(fn, put(got.bytes || got.text), json) };
  }

  /** The kind of a payload, or `null` when it is unreadable or of no known kind. Never throws. */
  function detect(input, opts) {
    const r = call(wasm.detect, input, opts);
    return r.report ? null : (r.out ?? null);
  }

  /** Every issue with a payload. Never throws. */
  function validate(input, opts) {
    const r = call(wasm.validate, input, opts);
    if (r.report) return r.report;
    return r.out > 0 ? validated(r.out) : withHint(input, validated(r.out));
  }

  // Runs a raw function that answers `{"ok":true,…}` or a failed report: the parsed answer, or a
  // LeadhookError thrown.
  function succeed(fn, input, opts) {
    const r = call(fn, input, opts);
    const result = r.report || JSON.parse(r.out);
    if (result.ok !== true) throw new LeadhookError(withHint(input, result));
    return result;
  }

  /** The payload as data: `{ kind, data, warnings }`; throws `LeadhookError` when it is not valid. */
  function parse(input, opts) {
    const { kind, data, warnings } = succeed(wasm.parse, input, opts);
    return { kind, data, warnings };
  }

  /** The payload as one flat record of scalars; throws `LeadhookError` when it is not valid. */
  function flatten(input, opts) {
    return laidOut(flattenRaw, input, opts)[0];
  }

  /** One flat record per Leadsie asset or LeadSquared record (one for a lead event), same keys in the same order; throws `LeadhookError`. */
  function rows(input, opts) {
    return laidOut(rowsRaw, input, opts);
  }

  // The raw `flatten` and `rows`, told the shape held; made once, not per call.
  const flattenRaw = (len, json) => wasm.flatten(len, json, shape);
  const rowsRaw = (len, json) => wasm.rows(len, json, shape);

  // The records of a raw `flatten` or `rows`, or a LeadhookError thrown.
  function laidOut(fn, input, opts) {
    const r = call(fn, input, opts);
    const report = r.report || (r.out === 0 ? JSON.parse(wasm.takeOutput()) : null);
    if (report) throw new LeadhookError(withHint(input, report));
    return records(r.out);
  }

  // The records the module laid out at `at` (src/records.rs has the layout): the keys come only
  // when they are not those of `shape`, the ones last sent, and each record is a copy of a
  // template of them with its values set (quicker than building it key by key). The values'
  // text is decoded once; each string value is a slice of it.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  // Node's Buffer decodes ASCII as Latin-1 in less than half TextDecoder's time (0.06 against
  // 0.15 µs for a small record's 0.6 KB); ASCII is the same text read either way.
  const latin1 = typeof Buffer === "function" && typeof Buffer.prototype.latin1Slice === "function";
  let shape = 0;
  let keys = [];
  let template = {};
  // A template is copied by one of several spreads, chosen by its keys' length: V8 keeps each
  // spread in the code quick for up to four shapes of object, and past that (a process that
  // flattens a few kinds) copies at half the speed (0.7 against 1.4 µs for 26 keys). Key by key
  // is no way round it: an object given more than about 28 keys so goes into dictionary mode.
  // Written out, not made in a loop: closures of one function literal share what V8 learns.
  const COPIES = [(t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t })];
  let copy = COPIES[0];
  let words = new Uint32Array(0);
  let bytes = new Uint8Array(0);
  let buffer = null;
  function records(at) {
    // A view of a buffer the memory's growth detached has length 0.
    if (words.length === 0) {
      words = new Uint32Array(memory.buffer);
      bytes = new Uint8Array(memory.buffer);
      buffer = latin1 ? Buffer.from(memory.buffer) : null;
    }
    // The header's six words: the text's address, the shape, the keys' bytes, the text's
    // bytes, the number of records, whether the values are ASCII (records.rs: TEXT_AT … HEADER).
    let i = at >>> 2;
    const textAt = words[i];
    const keysLength = words[i + 2];
    const count = words[i + 4];
    if (keysLength !== 0) {
      keys = JSON.parse(decoder.decode(bytes.subarray(textAt, textAt + keysLength)));
      template = Object.fromEntries(keys.map((k) => [k, null]));
      copy = COPIES[keysLength % COPIES.length];
      shape = words[i + 1];
    }
    const start = textAt + keysLength;
    const end = textAt + words[i + 3];
    const text = buffer !== null && words[i + 5] === 1 ? buffer.latin1Slice(start, end) : decoder.decode(bytes.subarray(start, end));
    const n = keys.length;
    const out = new Array(count);
    let pos = 0;
    i += 6;
    for (let r = 0; r < count; r++) {
      const row = copy(template);
      for (let c = 0; c < n; c++) {
        const w = words[i++];
        const type = w & 7;
        // 0 a string, 1 a number's JSON text, 2 null (the template's), 3 false, 4 true.
        if (type === 0) row[keys[c]] = text.slice(pos, (pos += w >>> 3));
        else if (type === 1) row[keys[c]] = Number(text.slice(pos, (pos += w >>> 3)));
        else if (type !== 2) row[keys[c]] = type === 4;
      }
      out[r] = row;
    }
    return out;
  }

  /**
   * The delivery's events, in order: `[{ kind, eventKey, index, record }]`, one per record of a
   * LeadSquared array, else one; `record` is the event's flat record, or its rows with
   * `opts.output === "rows"`. Throws `LeadhookError`.
   */
  function events(input, opts) {
    let rows = false;
    let o = opts;
    if (opts !== null && typeof opts === "object" && !Array.isArray(opts)) {
      ({ output: rows, ...o } = opts);
      if (rows !== undefined && rows !== "flatten" && rows !== "rows") {
        throw new LeadhookError(failed(o, "input.type", 'option `output` must be "flatten" or "rows"'));
      }
      rows = rows === "rows";
    }
    const [kind, ...flat] = succeed((len, json) => wasm.events(len, json, rows), input, o).value;
    const out = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ kind, eventKey: flat[i], index: i / 2, record: flat[i + 1] });
    return out;
  }

  /** RFC 4180 CSV of a payload's rows, or of rows given as an array of flat objects; throws `LeadhookError`. */
  function toCsv(inputOrRows, opts) {
    return succeed(wasm.toCsv, inputOrRows, opts).value;
  }

  /** A Leadsie v1 payload in the v2 shape, a v2 payload as it is; throws `LeadhookError` for anything else. */
  function upgrade(input, opts) {
    return succeed(wasm.upgrade, input, opts).value;
  }

  /** Whether a lead event's `secret` equals `expected`, in constant time. Never throws. */
  function verifySecret(input, expected, opts) {
    try {
      // A secret is text: one with a lone surrogate matches nothing (handed to the core as UTF-8,
      // every lone surrogate would read as U+FFFD, and two different ones as equal).
      if (typeof expected !== "string" || expected === "" || LONE_SURROGATE.test(expected)) return false;
      const r = call((len, json) => wasm.verifySecret(len, expected, json), input, opts);
      return r.report ? false : r.out === true;
    } catch {
      return false;
    }
  }

  /** Whether the header `name` (ASCII case-insensitive) holds exactly `expected`, in constant time. Never throws. */
  function verifyHeader(headers, name, expected) {
    try {
      if (typeof name !== "string" || typeof expected !== "string" || expected === "") return false;
      const given = headerValue(headers, name);
      if (typeof given !== "string") return false;
      // As UTF-16 code units, so that a lone surrogate matches only itself.
      return wasm.secretsEqual(utf16(given), utf16(expected)) === true;
    } catch {
      return false;
    }
  }

  /**
   * Whether a delivery's raw body is signed by `secret` (or one of several) as `opts.scheme` says,
   * and if not, why: `{ ok, reason, ageSeconds, message }`. Never throws.
   */
  function checkSignature(rawBody, headers, secret, opts) {
    const o = opts ?? {};
    const scheme = o !== null && typeof o === "object" ? (o.scheme ?? "lead-event.v2") : undefined;
    const names = SIGNATURE_HEADERS[scheme];
    const now = o !== null && typeof o === "object" ? (o.now ?? Date.now() / 1000) : NaN;
    const tolerance = o !== null && typeof o === "object" ? (o.toleranceSeconds ?? 300) : NaN;
    let ageSeconds = null;
    const answer = (reason, message) => ({ ok: reason === null, reason, ageSeconds, message });
    try {
      if (typeof o !== "object" || Object.keys(o).some((k) => !SIGNATURE_OPTIONS.includes(k)) || names === undefined ||
          !Number.isFinite(tolerance) || tolerance < 0 || !Number.isFinite(now)) {
        return answer("options.invalid", `the options must be { scheme: "lead-event.v2" | "standard", toleranceSeconds, now }`);
      }
      let bytes;
      if (typeof rawBody === "string") bytes = rawBody;
      else if (ArrayBuffer.isView(rawBody)) bytes = new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
      else if (isArrayBuffer(rawBody)) bytes = new Uint8Array(rawBody);
      else return answer("body.parsed", "a signature covers the raw bytes as received: pass the body as a string or bytes, not a parsed object");
      const secrets = typeof secret === "string" ? [secret] : secret;
      if (!Array.isArray(secrets) || secrets.length === 0 || !secrets.every((s) => typeof s === "string" && s !== "")) {
        return answer("secret.format", "the secret must be a non-empty string, or an array of them");
      }
      const plain = plainHeaders(headers);
      if (plain === undefined) return answer("header.missing", "the headers must be a Headers, a Node headers object or a Map");
      const stamp = headerValue(plain, names[1]);
      if (typeof stamp === "string" && /^\s*\d{1,15}\s*$/.test(stamp)) ageSeconds = Math.floor(now) - Number(stamp);
      const json = JSON.stringify({ headers: plain });
      const check = (len, opts) => wasm.checkSignature(len, opts, JSON.stringify(secrets), scheme, Math.floor(now), Math.floor(tolerance));
      const code = withOpts(check, put(bytes), json);
      const header = names[code >>> 8] ?? "";
      switch (code & 0xff) {
        case 0: return answer(null, null);
        case 1: return answer("header.missing", `no ${header} header`);
        case 2: return answer("header.malformed", `the ${header} header is not of the ${scheme} form`);
        case 3: return answer("timestamp.stale", `signed ${ageSeconds} s ago, longer than the ${tolerance} s allowed: a late retry, a replay, or a clock that is off`);
        case 4: return answer("timestamp.future", `signed ${-ageSeconds} s ahead of now, more than the ${tolerance} s allowed: a clock that is off`);
        case 5: return answer("signature.mismatch", "the signature does not match: a body re-serialised on its way (a JSON parser in front?), or another endpoint's secret");
        case 6: return answer("secret.format", scheme === "standard"
          ? "a standard secret is base64, usually after whsec_"
          : "the signature does not match, and the secret looks like a Standard Webhooks one (whsec_): try { scheme: \"standard\" }");
        default: return answer("options.invalid", "the arguments cannot be read");
      }
    } catch (error) {
      if (error instanceof Trapped) throw error;
      return answer("options.invalid", "the arguments cannot be read");
    }
  }

  /** Whether a delivery's raw body is signed by `secret` (or one of several) as `opts.scheme` says. Never throws. */
  function verifySignature(rawBody, headers, secret, opts) {
    return checkSignature(rawBody, headers, secret, opts).ok;
  }

  /** A stable idempotency key of a payload (the same for a redelivery), or `null`. Never throws. */
  function eventKey(input, opts) {
    try {
      let o = opts;
      if (o != null && typeof o === "object" && o.headers !== undefined) {
        const plain = plainHeaders(o.headers);
        if (plain === undefined) return null;
        o = { ...o, headers: plain };
      }
      const r = call(wasm.eventKey, input, o);
      return r.report ? null : (r.out ?? null);
    } catch {
      return null;
    }
  }

  /** A LeadSquared event code or webhook URL, split. Throws a `TypeError` for a non-string. */
  function parseEventType(eventTypeOrUrl) {
    if (typeof eventTypeOrUrl !== "string") {
      throw new TypeError(`parseEventType expects a string (an event code or a URL), got ${describe(eventTypeOrUrl)}`);
    }
    return JSON.parse(wasm.parseEventType(eventTypeOrUrl));
  }

  /** For a Zapier / Make / n8n code step: the flat record, or `{ error, errors, available_keys }`. Never throws. */
  function codeStep(inputData, opts) {
    try {
      const r = call(wasm.codeStep, inputData, opts);
      return r.report ? codeStepError(r.report) : JSON.parse(r.out);
    } catch (error) {
      if (error instanceof Trapped) throw error;
      return codeStepError(failed(opts, "input.type", `the input cannot be read: ${(error && error.message) || error}`));
    }
  }

  /** Every kind, in detection order. */
  function kinds() {
    return [...KINDS];
  }

  /** The JSON Schema (draft 2020-12) of a kind. Throws a `TypeError` for anything else. */
  function schema(kind) {
    const json = typeof kind === "string" && Object.prototype.hasOwnProperty.call(SCHEMAS, kind) ? SCHEMAS[kind] : undefined;
    if (typeof json !== "string") {
      const what = typeof kind === "string" ? JSON.stringify(kind) : describe(kind);
      throw new TypeError(`schema expects one of ${KINDS.map((k) => `"${k}"`).join(", ")}, got ${what}`);
    }
    return JSON.parse(json);
  }


  // What each function that never throws answers for a trap; the others throw it.
  const never = (value) => () => value;
  const ON_TRAP = {
    detect: never(null),
    validate: (report) => report,
    verifySecret: never(false),
    verifyHeader: never(false),
    verifySignature: never(false),
    checkSignature: () => ({ ok: false, reason: "internal.trap", ageSeconds: null, message: "the WebAssembly module trapped; it was replaced" }),
    eventKey: never(null),
    codeStep: codeStepError,
  };
  const throwIt = (report) => {
    throw new LeadhookError(report);
  };
  const functions = {
    detect, validate, parse, flatten, rows, toCsv, upgrade, verifySecret, verifyHeader, parseEventType,
    codeStep, schema, kinds, verifySignature, checkSignature, eventKey, events, drift,
  };
  const api = { LeadhookError };
  for (const [name, fn] of Object.entries(functions)) api[name] = exported(name, fn, ON_TRAP[name] ?? throwIt);
  return api;
}

/** Names of a glue's that are not the module's functions. */
const NOT_EXPORTS = ["initSync", "renew", "default"];

/**
 * Past this size, the module's memory is given back once the call returns (a fresh instance).
 * Calls on bodies within the default maxBytes stay under it (a 5 MB LeadSquared bulk's rows take
 * about 18 MB), so that a receiver of large bulks does not grow the memory again on every call
 * (that cost bulk rows 20-30%, measured with bench/compare.mjs at 8 MiB); what only lifted
 * limits make grows past it, and is given back.
 */
const KEEP_MEMORY = 32 * 1024 * 1024;

/** The end of a call whose module trapped; the instance was replaced. */
class Trapped extends Error {
  constructor(cause) {
    super(String((cause && cause.message) || cause));
    this.cause = cause;
  }
}

/** The report of a call whose module trapped (`internal.trap`). */
function trapReport(name, trapped) {
  return {
    ok: false,
    kind: null,
    errors: [{
      path: "",
      code: "internal.trap",
      message: `the WebAssembly module failed during ${name} (${trapped.message}); it was replaced, and the next call runs on a fresh one`,
    }],
    warnings: [],
  };
}

/** A lone surrogate (without lookbehind, which older engines cannot parse). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SIGNATURE_OPTIONS = ["scheme", "toleranceSeconds", "now"];
// The headers each signature scheme reads, in the order the core's reason codes index them
// (src/signature.rs, `Scheme::headers`; tests/secrets.rs checks that the two agree).
const SIGNATURE_HEADERS = {
  "lead-event.v2": ["x-webhook-signature", "x-webhook-timestamp"],
  standard: ["webhook-signature", "webhook-timestamp", "webhook-id"],
};

/** ASCII lower case only: `"\u212A"` (the Kelvin sign) is not a `k`. */
function asciiLower(s) {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** A string's UTF-16 code units as bytes. */
function utf16(s) {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

/**
 * Headers as a plain object of strings: from a fetch `Headers` (anything with `forEach`), a
 * `Map`, a Node headers object (a value may be an array holding exactly one string), or a request
 * that has `get` and its headers in `.headers` (Express, node:http). `undefined` for anything else.
 */
function plainHeaders(headers) {
  if (headers === undefined || headers === null) return {};
  if (typeof headers !== "object") return undefined;
  // An Express request looks up headers with `get` but enumerates only its own properties.
  if (typeof headers.get === "function" && typeof headers.forEach !== "function" && headers.headers !== null && typeof headers.headers === "object") {
    return plainHeaders(headers.headers);
  }
  const out = Object.create(null); // a header named __proto__ stays a header
  const add = (k, v) => {
    const value = single(v);
    if (typeof k === "string" && value !== undefined) out[k] = value;
  };
  if (objectToString.call(headers) === "[object Map]") {
    for (const [k, v] of Map.prototype.entries.call(headers)) add(k, v);
  } else if (typeof headers.forEach === "function" && typeof headers.get === "function") {
    headers.forEach((v, k) => add(k, v));
  } else {
    for (const k of Object.keys(headers)) add(k, headers[k]);
  }
  return out;
}

/**
 * The one value of header `name` in a fetch `Headers` (or anything with `get`, such as an Express
 * request), a `Map` or a Node headers object; `undefined` when it is absent, repeated or not a
 * string. Names are compared case-insensitively; a key that matches twice (`X-Token` and
 * `x-token`) is ambiguous and gives `undefined`.
 */
function headerValue(headers, name) {
  if (headers === null || typeof headers !== "object") return undefined;
  const wanted = asciiLower(name);
  if (objectToString.call(headers) === "[object Map]") {
    let found;
    let matches = 0;
    for (const [key, v] of Map.prototype.entries.call(headers)) {
      if (typeof key === "string" && asciiLower(key) === wanted) {
        found = v;
        matches++;
      }
    }
    return matches === 1 ? single(found) : undefined;
  }
  if (typeof headers.get === "function") return single(headers.get(name));
  let found;
  let matches = 0;
  for (const key of Object.keys(headers)) {
    if (asciiLower(key) === wanted) {
      found = headers[key];
      matches++;
    }
  }
  return matches === 1 ? single(found) : undefined;
}

/** A header value: a string, or an array holding exactly one string (Node, a repeated header). */
function single(v) {
  if (Array.isArray(v)) return v.length === 1 && typeof v[0] === "string" ? v[0] : undefined;
  return typeof v === "string" ? v : undefined;
}

/** The code step's error object for a report, as the core builds it (without keys to offer). */
function codeStepError(report) {
  const errors = report && Array.isArray(report.errors) ? report.errors : [];
  const first = errors[0];
  let error = "leadhook: the payload is not valid";
  if (first) {
    const at = first.path === "" ? "" : ` at ${first.path}`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    error = `leadhook: ${first.code}${at}: ${first.message}${more}`;
  }
  return { error, errors, available_keys: [] };
}

export { createApi, LeadhookError };
