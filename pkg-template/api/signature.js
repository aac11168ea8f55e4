// Telling a genuine delivery: a lead event's shared secret (`verifySecret`), a header that holds
// one (`verifyHeader`), and a signed body (`checkSignature`, `verifySignature`); with the headers
// each signature scheme reads, and headers of every shape read as a plain object.
import { Trapped } from "./error.js";
import { isArrayBuffer, objectToString } from "./hints.js";

/** A lone surrogate (without lookbehind, which older engines cannot parse). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SIGNATURE_OPTIONS = ["scheme", "toleranceSeconds", "now"];
// The headers each signature scheme reads, in the order the core's reason codes index them
// (crates/leadhook/src/api/signature.rs, `Scheme::headers`; its tests/signature.rs checks that the two agree).
const SIGNATURE_HEADERS = {
  "lead-event.v2": ["x-webhook-signature", "x-webhook-timestamp"],
  standard: ["webhook-signature", "webhook-timestamp", "webhook-id"],
};

/**
 * The checks, on one instance of the module: `wasm` its raw functions, and the crossing of a body
 * into it (body.js: `call`, `put`, `withOpts`).
 */
function createSignatures(wasm, { call, put, withOpts }) {
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
    const names = Object.prototype.hasOwnProperty.call(SIGNATURE_HEADERS, scheme) ? SIGNATURE_HEADERS[scheme] : undefined;
    const now = o !== null && typeof o === "object" ? (o.now ?? Date.now() / 1000) : NaN;
    const tolerance = o !== null && typeof o === "object" ? (o.toleranceSeconds ?? 300) : NaN;
    let ageSeconds = null;
    const answer = (reason, message) => ({ ok: reason === null, reason, ageSeconds, message });
    try {
      const invalid = optionsProblem(o, names, tolerance, now);
      if (invalid !== null) return answer("options.invalid", invalid);
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

  return { verifySecret, verifyHeader, checkSignature, verifySignature };
}

/**
 * What is wrong with `checkSignature`'s options, or null. An unknown name is refused, as every
 * function's options are: a misspelt `toleranceSeconds` must not check with the default.
 */
function optionsProblem(o, names, tolerance, now) {
  const known = SIGNATURE_OPTIONS.map((k) => `\`${k}\``).join(", ");
  if (o === null || typeof o !== "object") return `the options must be an object: { ${SIGNATURE_OPTIONS.join(", ")} }`;
  const unknown = Object.keys(o).find((k) => !SIGNATURE_OPTIONS.includes(k));
  if (unknown !== undefined) return `unknown option \`${unknown.slice(0, 200)}\`; the options are ${known}`;
  if (names === undefined) return `option \`scheme\` must be ${Object.keys(SIGNATURE_HEADERS).map((k) => `"${k}"`).join(" or ")}, got ${String(JSON.stringify(o.scheme)).slice(0, 200)}`;
  if (!Number.isFinite(tolerance) || tolerance < 0) return "option `toleranceSeconds` must be a number of seconds, 0 or more";
  if (!Number.isFinite(now)) return "option `now` must be a number: the time in Unix seconds";
  // Year 5138 in seconds; Date.now()'s milliseconds since 1973.
  if (now > 1e11) return "option `now` is in Unix seconds, and this looks like milliseconds (Date.now()): divide it by 1000";
  return null;
}

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

export { createSignatures, plainHeaders };
