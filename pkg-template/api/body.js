// The crossing of a body into the module's memory. `read` takes what a caller passed as a body
// (a string, bytes, a plain object or an array) as text or bytes; `createCrossing` writes it once
// into the module's input buffer and passes the options' JSON only when the core does not hold it
// already; `call` does both for one raw function.
import { byteLimit, optsJson, optsKind, plainObject, primitivePairs, readOpts, readPlain } from "./options.js";
import { describe, isArrayBuffer, valueHint } from "./hints.js";

const encoder = new TextEncoder();

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

/**
 * What a report says of an input, or options, that could not be looked at (a getter that
 * throws, a revoked Proxy): worded here, for every function that reads them.
 */
const cannotRead = (error) => `the input cannot be read: ${(error && error.message) || error}`;
const cannotReadOpts = (error) => `option \`opts\` cannot be serialised as JSON: ${(error && error.message) || error}`;

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
    return { report: failed(opts, "input.type", cannotRead(error)) };
  }
}

/**
 * The crossing for one instance of the module: `wasm` its raw functions, `memory` its
 * `WebAssembly.Memory`, `KINDS` its kinds. `renew(memory)` is told of a fresh instance, and
 * forgets what the old one held: the view of its memory and the options it last read.
 */
function createCrossing(wasm, memory, KINDS) {
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
  // Whether the last body put is a string of ASCII: then its byte offsets are its indices, and
  // the records of `flatten` and `rows` may be slices of it (records.js).
  let ascii = false;
  function put(body) {
    ascii = false;
    if (typeof body !== "string") {
      room(body.byteLength).set(body);
      return body.byteLength;
    }
    // Room for ASCII first (3 bytes a unit for a small string); more only when the text needs it.
    const n = body.length;
    const first = encoder.encodeInto(body, room(n <= 65536 ? 3 * n : n));
    ascii = first.read === n && first.written === n;
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

  // The last plain options of primitives, with their text (options.js: `readPlain`).
  let memo = null;

  // Runs one raw function on the input. Returns `{ report }` when the input was refused before the
  // core saw all of it, else `{ out, given }`: the raw result, and the body as `read` gave it
  // (`{ text }` or `{ bytes }`), which the records of `flatten` and `rows` may be slices of.
  function call(fn, input, opts) {
    let o = null;
    let json;
    try {
      // A getter of the options may throw, here as in JSON.stringify.
      ({ o, json } = plainObject(opts) ? readPlain(opts, memo) : readOpts(opts));
      if (json === null) {
        json = optsJson(o);
        const pairs = primitivePairs(o);
        memo = pairs && { pairs, json, o };
      }
    } catch (error) {
      return { report: failed(o, "input.type", cannotReadOpts(error)) };
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
    return { out: withOpts(fn, put(got.bytes || got.text), json), given: got };
  }

  function renew(fresh) {
    memory = fresh;
    view = null;
    lastOpts = "";
  }

  return { call, put, withOpts, validated, failed, renew, heldAscii: () => ascii };
}

export { cannotRead, cannotReadOpts, createCrossing };
