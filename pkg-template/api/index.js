// The public API of leadhook, built on the raw WebAssembly exports. Every runtime entry (the
// browser and workerd entries, and the inline files, which the Node entries re-export)
// instantiates the module its own way and hands the raw functions, and the module's memory from
// the exports wasm-bindgen's init returns, to `createApi`; the logic lives here once.
//
// The body crosses once: `inputBuffer(n)` gives the address of room for n bytes in the module's
// memory, the body is written there (encodeInto for a string), and each raw function
// (crates/leadhook-wasm/src/lib.rs) takes its length `len` (plus FROM_STRING when encodeInto wrote it) and the options as a JSON string ("" for the defaults), or
// `undefined` for the same options as the last call's (body.js: `withOpts`):
//   detect(len, opts)     -> 1 + the kind's index in kinds(), or 0 for none
//   validate(len, opts)   -> for a clean report (ok, no warnings) 1 + its kind's index in kinds();
//                            else 0, and takeOutput() -> the Report JSON
//   parse(len, opts)      -> {"ok":true,"kind","data","warnings"} or a failed Report JSON
//   flatten, rows, toCsv (len, opts, shape) -> the address of the record or rows laid out in memory
//                            (crates/leadhook/src/api/records.rs; `shape`: the keys held, records.js), or 0 and
//                            takeOutput() -> the failed Report JSON
//   upgrade(len, opts)    -> {"ok":true,"value":…} or a failed Report JSON
//   codeStep(len, opts, keys) -> {"ok":true,"value":[body, url, contentType, lineItems, [keys…]]}:
//                            where a code step's payload is and how to read it (code-step.js), or
//                            a failed Report JSON
//   verifySecret(len, expected, opts) -> boolean
//   secretsEqual(givenBytes, expectedBytes) -> boolean (constant time; false when expected is empty)
//   checkSignature(len, opts, secretsJson, scheme, nowSeconds, toleranceSeconds) -> 0 when it
//                            holds, else the reason code (crates/leadhook/src/api/signature.rs, `Failure::code`)
//   eventKey(len, opts, hashApart) -> the key | undefined; with hashApart, "" for a key that is the
//                            SHA-256 of the line at keyTexts()
//   events(len, opts, rows, hashApart, shape, ascii) -> [key, record, key, record, …, address,
//                            kind] (bare, not in {"ok":true,"value":…}), where an event whose
//                            records have the first laid out's keys has, for its record, how many
//                            rows of those laid out at address (as by rows) are its own; or a
//                            failed Report JSON. With hashApart, a key to hash is 0 and its text
//                            the next line of the texts at keyTexts() -> address
// Every result is read with JSON.parse, or made with data properties only, so keys such as
// "__proto__" stay plain data.
//
// The files of pkg-template/api/, one concern each:
//   index.js      createApi: the instance's lifecycle (a trap, a large call) and the public functions
//   body.js       a body read and written into the module's memory, the options passed (`call`)
//   options.js    the options as the JSON text the core reads, and what JavaScript reads of them
//   records.js    the flat records and rows read back from the module's memory
//   code-step.js  codeStep's answer, for the payload the module finds in the step's inputData
//   signature.js  secrets, headers and signatures
//   hints.js      hints for bad inputs
//   reports.js    the code step's error object and its hints, and drift
//   error.js      LeadhookError and its summary; Trapped
//   from-core.js  what the build writes from the core: each kind's JSON Schema, the defaults
//   event-type.js parseEventType: a LeadSquared event code or webhook URL, split
// scripts/assemble.mjs bundles them (esbuild) into pkg/api.js, a plain ES module with no imports,
// no `import.meta` and a single `export { … };` statement at the end, whose code it puts, without
// that statement, into the inline files. So these files import only each other, and nothing else.
import { KINDS, SCHEMAS } from "./from-core.js";
import { LeadhookError, Trapped, trapReport } from "./error.js";
import { describe, withHint } from "./hints.js";
import { cannotRead, cannotReadOpts, createCrossing } from "./body.js";
import { createRecords } from "./records.js";
import { codeStepError, drift } from "./reports.js";
import { createCodeStep } from "./code-step.js";
import { createSignatures, plainHeaders } from "./signature.js";
import { splitEventType } from "./event-type.js";

/**
 * `opts` with its `headers` (a fetch `Headers`, a `Map`, a Node headers object) as the plain
 * object the core reads; `false` when the headers are of no shape leadhook reads.
 */
function withPlainHeaders(opts) {
  if (opts === null || typeof opts !== "object" || opts.headers === undefined) return opts;
  const plain = plainHeaders(opts.headers);
  return plain === undefined ? false : { ...opts, headers: plain };
}

/**
 * The hex SHA-256 of bytes, with Node's `node:crypto` (1.4 GB/s here, against the module's
 * 165 MB/s: WebAssembly has no SHA instructions), or `undefined` where there is none. Found at
 * run time, so that no entry imports `node:crypto` and a bundle for a browser or a Worker takes
 * this file as it is; there the module hashes. Found at the first call that hashes, not at
 * import: loading `node:crypto` takes 1.6 ms, most of what importing leadhook would otherwise
 * add to a process that never calls `events` or `eventKey`.
 */
let sha256 = null;
function nodeSha256() {
  if (sha256 !== null) return sha256;
  sha256 = undefined;
  try {
    const crypto = globalThis.process?.getBuiltinModule?.("node:crypto");
    if (typeof crypto?.hash !== "function") return undefined;
    const hash = (bytes) => crypto.hash("sha256", bytes, "hex");
    // A runtime that offers node:crypto only in part (a Worker's Node compatibility) is not trusted
    // with the keys unless it hashes as SHA-256 does.
    const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    if (hash(new Uint8Array(0)) === empty) sha256 = hash;
  } catch {
    // Hashed by the module.
  }
  return sha256;
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
    crossing.renew(memory);
    reader.renew(memory);
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
  // The body and its options into the module (body.js), and the records read back (records.js).
  const crossing = createCrossing(wasm, memory, KINDS);
  const { call, validated, failed } = crossing;
  const reader = createRecords(wasm, memory, crossing.heldAscii);
  const { flattenRaw, rowsRaw, csvRaw, eventsRaw, records, csv } = reader;

  /** The kind of a payload, or `null` when it is unreadable or of no known kind. Never throws. */
  function detect(input, opts) {
    const r = call(wasm.detect, input, opts);
    return r.report || r.out === 0 ? null : KINDS[r.out - 1];
  }

  /** Every issue with a payload. Never throws. */
  function validate(input, opts) {
    // The headers confirm a detected kind (kind.unconfirmed): read in any of their shapes.
    const o = withPlainHeaders(opts);
    const r = call(wasm.validate, input, o === false ? opts : o);
    if (r.report) return r.report;
    return r.out > 0 ? validated(r.out) : withHint(input, validated(r.out));
  }

  // Runs a raw function that answers `{"ok":true,…}` or a failed report: `{ value }`, the
  // parsed answer, or `{ report }`.
  function attempt(fn, input, opts) {
    const r = call(fn, input, opts);
    const result = r.report || JSON.parse(r.out);
    return result.ok === true ? { value: result } : { report: result };
  }

  // `attempt`'s answer, or a LeadhookError thrown with the input's hint.
  function thrownOr(input, r) {
    if (r.report) throw new LeadhookError(withHint(input, r.report));
    return r.value;
  }

  function succeed(fn, input, opts) {
    return thrownOr(input, attempt(fn, input, opts));
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

  // What `read` (records, or csv) makes of the records a raw `flatten`, `rows` or `toCsv` laid
  // out: `{ value }`, or `{ report }`.
  function attemptLaidOut(fn, input, opts, read = records) {
    const r = call(fn, input, opts);
    const report = r.report || (r.out === 0 ? JSON.parse(wasm.takeOutput()) : null);
    return report ? { report } : { value: read(r.out, r.given) };
  }

  function laidOut(fn, input, opts, read) {
    return thrownOr(input, attemptLaidOut(fn, input, opts, read));
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
      try {
        ({ output: rows, ...o } = opts);
      } catch (error) {
        // A getter of the options may throw, as in `call`, which says so the same way.
        throw new LeadhookError(failed(null, "input.type", cannotReadOpts(error)));
      }
      if (rows !== undefined && rows !== "flatten" && rows !== "rows") {
        throw new LeadhookError(failed(o, "input.type", 'option `output` must be "flatten" or "rows"'));
      }
      rows = rows === "rows";
    }
    return thrownOr(input, attemptEvents(input, o, rows));
  }

  // The events of `events`, or `{ report }`.
  function attemptEvents(input, opts, rows) {
    // [key, record, key, record, …, address, kind]: the module writes each event as it makes it;
    // an event whose records have the keys of the first laid out is laid out at address, and its
    // record is the number of its rows there, in order. Where Node's SHA-256 is at hand, a key
    // to hash is 0 in the answer and its text a line of keyTexts(), and is hashed here.
    const hashApart = nodeSha256() !== undefined;
    const r = call(eventsRaw(rows, hashApart), input, opts);
    // The events as an array, or a failed report (an object).
    const flat = r.report || JSON.parse(r.out);
    if (!Array.isArray(flat)) return { report: flat };
    const kind = flat.pop();
    const laid = records(flat.pop(), r.given);
    const hashed = hashApart ? keyLines() : undefined;
    const out = [];
    for (let i = 0, next = 0; i < flat.length; i += 2) {
      const eventKey = flat[i] === 0 ? hashed() : flat[i];
      let record = flat[i + 1];
      if (typeof record === "number") {
        const n = record;
        record = rows ? laid.slice(next, next + n) : laid[next];
        next += n;
      }
      out.push({ kind, eventKey, index: i / 2, record });
    }
    return { value: out };
  }

  // The keys the module left for Node's SHA-256: each call hashes the next line of keyTexts(),
  // where it lies in the module's memory.
  function keyLines() {
    const texts = new Uint8Array(memory.buffer, wasm.keyTexts());
    let at = 0;
    return () => {
      const end = texts.indexOf(10, at);
      const key = sha256(texts.subarray(at, end));
      at = end + 1;
      return key;
    };
  }

  /** RFC 4180 CSV of a payload's rows, or of rows given as an array of flat objects; throws `LeadhookError`. */
  function toCsv(inputOrRows, opts) {
    return laidOut(csvRaw, inputOrRows, opts, csv);
  }

  /** A Leadsie v1 payload in the v2 shape, a v2 payload as it is; throws `LeadhookError` for anything else. */
  function upgrade(input, opts) {
    return succeed(wasm.upgrade, input, opts).value;
  }

  // verifySecret, verifyHeader, checkSignature, verifySignature (signature.js).
  const { verifySecret, verifyHeader, checkSignature, verifySignature } = createSignatures(wasm, crossing);

  /** A stable idempotency key of a payload (the same for a redelivery), or `null`. Never throws. */
  function eventKey(input, opts) {
    try {
      const o = withPlainHeaders(opts);
      if (o === false) return null;
      const hashApart = nodeSha256() !== undefined;
      const r = call((len, json) => wasm.eventKey(len, json, hashApart), input, o);
      if (r.report || r.out === undefined) return null;
      return r.out === "" ? keyLines()() : r.out;
    } catch {
      return null;
    }
  }

  /** A LeadSquared event code or webhook URL, split. Throws a `TypeError` for a non-string. */
  function parseEventType(eventTypeOrUrl) {
    if (typeof eventTypeOrUrl !== "string") {
      throw new TypeError(`parseEventType expects a string (an event code or a URL), got ${describe(eventTypeOrUrl)}`);
    }
    return splitEventType(eventTypeOrUrl);
  }

  /** For a Zapier / Make / n8n code step: the flat record, or `{ error, errors, available_keys }`. Never throws. */
  const codeStep = createCodeStep({
    plan: (inputData, opts, keys) => attempt((len, json) => wasm.codeStep(len, json, keys), inputData, opts),
    flatten: (body, opts) => {
      const r = attemptLaidOut(flattenRaw, body, opts);
      return r.report ? r : { value: r.value[0] };
    },
    rows: (body, opts) => attemptLaidOut(rowsRaw, body, opts),
    events: (body, opts) => attemptEvents(body, opts, false),
    cannotRead: (opts, error) => failed(opts, "input.type", cannotRead(error)),
    Trapped,
  });

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

export { createApi, LeadhookError };
