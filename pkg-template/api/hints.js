// Hints for bad inputs: what a value is, in words (`describe`), what to do about a value that is
// not a body (`valueHint`), and a hint added to a report's first error for a body that is not what
// it seems (`withHint`).

const objectToString = Object.prototype.toString;

function isArrayBuffer(value) {
  const tag = objectToString.call(value);
  return tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]";
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

/**
 * Whether bytes are likely Node's shared pool of small Buffers: `buf.buffer` of a Buffer under
 * half of `Buffer.poolSize` (8 KiB) is the whole pool, which holds other Buffers' bytes too. The
 * pool is exactly `Buffer.poolSize` bytes and holds NUL bytes (the padding between Buffers, its
 * unused end), which no JSON or form body does.
 */
function wholePool(input) {
  if (typeof Buffer !== "function" || typeof Buffer.poolSize !== "number") return false;
  const buffer = isArrayBuffer(input) ? input : ArrayBuffer.isView(input) && input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input.buffer : null;
  return buffer !== null && buffer.byteLength === Buffer.poolSize && new Uint8Array(buffer).indexOf(0) !== -1;
}

/**
 * A plain object whose first key is JSON text: a form parser's reading of a JSON body sent as
 * application/x-www-form-urlencoded (`express.urlencoded()`, `qs`, `querystring`: the text up to
 * a `=` or `&` became a field's name).
 */
function formParsedJson(input) {
  if (input === null || typeof input !== "object" || Array.isArray(input) || ArrayBuffer.isView(input) || isArrayBuffer(input)) return false;
  for (const key in input) return /^\s*[{[]\s*["{}[\]]/.test(key);
  return false;
}

const FORM_PARSED =
  "a JSON body read by a form parser: its text is a field's name. It came as application/x-www-form-urlencoded, " +
  "as curl -d sends it: send it with Content-Type: application/json, or pass the raw body";

/** A hint for a body that is not what it seems; the report's first error says why. */
function textHint(input, report) {
  if (!report || !Array.isArray(report.errors) || report.errors.length === 0) return "";
  const first = report.errors[0];
  if (wholePool(input) && first.code !== "kind.unknown") {
    return `these ${Buffer.poolSize} bytes hold NUL bytes, as Node's shared pool of small Buffers does: buf.buffer of a small Buffer is that whole pool, not the Buffer's bytes; pass the Buffer itself`;
  }
  if (formParsedJson(input)) return FORM_PARSED;
  // Rows for toCsv hold flat values only: name the first cell that does not.
  if (Array.isArray(input) && first.code === "kind.unknown") {
    for (let r = 0; r < input.length && r < 1000; r++) {
      const row = input[r];
      if (row === null || typeof row !== "object" || Array.isArray(row)) break;
      const cell = Object.keys(row).find((k) => row[k] !== null && typeof row[k] === "object");
      if (cell !== undefined) {
        return `if these are rows for toCsv: row ${r} (from 0), column ${JSON.stringify(cell.slice(0, 200))} holds ${Array.isArray(row[cell]) ? "an array" : "an object"}, and a row's values are strings, numbers, booleans or null (flatten the records, or pass the payload itself)`;
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

/** The hint for a report of `input`, or "" (also for an input that cannot even be looked at, such as a revoked proxy). */
function hintFor(input, report) {
  try {
    return textHint(input, report);
  } catch {
    return "";
  }
}

/** The report with a hint added to its first error's message, where one helps. */
function withHint(input, report) {
  const hint = hintFor(input, report);
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

export { describe, hintFor, isArrayBuffer, objectToString, valueHint, withHint };
