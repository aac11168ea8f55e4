// A call's options as the core reads them: the JSON text it is passed (`optsJson`), each option
// read once (`readPlain`, `readOpts`), and what JavaScript itself reads of them: the byte limit
// (`byteLimit`) and the kind a report made here carries (`optsKind`).

import { DEFAULTS } from "./from-core.js";

const DEFAULT_MAX_BYTES = DEFAULTS.maxBytes;

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

// JSON.stringify of the options is a large part of a small call. For a plain object of
// primitives (the usual `{ kind }`), the last one's text is kept with what it held, `memo`
// (`{ pairs: [key, value, …], json, o: the options read }`, or null), and options that hold the
// same again (the same object or another) get the text back without it.

/**
 * A plain object's options, each member read once: `memo` itself when they hold what it holds (no
 * copy made: the usual `{ kind }` of every call), else `{ o: a copy of them, json: null }`.
 */
function readPlain(opts, memo) {
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

/**
 * The byte limit the core will apply, mirrored so that a too-large input is not encoded or copied
 * into WebAssembly memory. Only an optimisation: the core confirms the refusal (body.js: `call`).
 */
function byteLimit(opts) {
  const max = opts != null && typeof opts === "object" ? opts.maxBytes : undefined;
  if (max === undefined || max === null) return DEFAULT_MAX_BYTES;
  if (typeof max === "number" && max >= 0) return Math.floor(max);
  return Infinity; // not a valid limit: the core reports the option
}

export { byteLimit, optsJson, optsKind, plainObject, primitivePairs, readOpts, readPlain };
