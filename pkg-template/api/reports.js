// What JavaScript alone makes of reports: the code step's error object (`codeStepError`) and its
// hints (`withStepHint`), and what live deliveries show that the tables do not (`drift`).
import { hintFor } from "./hints.js";

/**
 * The code step's error object for a report: its first error in one line, and how many more;
 * `keys`, the payload's top-level keys, offered, and for a payload of no known kind the first
 * ten named in `error`.
 */
function codeStepError(report, keys = []) {
  const errors = report && Array.isArray(report.errors) ? report.errors : [];
  const first = errors[0];
  let error = "leadhook: the payload is not valid";
  if (first) {
    const at = first.path === "" ? "" : ` at ${first.path}`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    error = `leadhook: ${first.code}${at}: ${first.message}${more}`;
    if (first.code === "kind.unknown" && keys.length > 0) {
      error += `; its keys: ${[...keys.slice(0, 10), ...(keys.length > 10 ? ["…"] : [])].join(", ")}`;
    }
  }
  return { error, errors, available_keys: keys };
}

/**
 * The payload a code step's `inputData` holds, where the module looks for it
 * (crates/leadhook/src/api/code_step.rs, `plan`): a wrapper's `payload`, a request's `body` (an
 * object with `body` and `headers` or `query`), or `inputData` itself.
 */
function stepPayload(inputData) {
  if (inputData === null || typeof inputData !== "object" || Array.isArray(inputData) || ArrayBuffer.isView(inputData)) return inputData;
  if (Object.prototype.hasOwnProperty.call(inputData, "payload")) return inputData.payload;
  const request = ["headers", "query"].some((k) => inputData[k] !== null && typeof inputData[k] === "object");
  return request && Object.prototype.hasOwnProperty.call(inputData, "body") ? inputData.body : inputData;
}

/** What a payload of no known kind and no keys is, in words: `"no keys"`, `"an array of 3"`. */
function whatItGot(payload) {
  let value = payload;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return "";
    }
  }
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : `an array of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "object") return ArrayBuffer.isView(value) || Object.prototype.toString.call(value) !== "[object Object]" ? "" : "no keys";
  return `a ${typeof value}`;
}

/**
 * A code step's answer, with what `validate` would add for its payload: the hint (hints.js) for
 * a payload that is not what it seems (the text "[object Object]", JSON encoded twice, a JSON
 * body read as a form, Node's Buffer pool), in the first error's message and in `error`; and for a
 * payload of no known kind whose keys the core did not list, what it got instead.
 */
function withStepHint(inputData, step) {
  if (step === null || typeof step !== "object" || Array.isArray(step) || !Array.isArray(step.errors) || step.errors.length === 0) return step;
  let payload;
  try {
    payload = stepPayload(inputData);
  } catch {
    return step; // inputData that cannot be looked at again (a getter that throws) gets no hint
  }
  const hint = hintFor(payload, step);
  if (hint) {
    step.errors[0].message += ` (${hint})`;
    // No keys to offer: a hinted payload has none of its own (a form parser's key is the body).
    return codeStepError(step);
  }
  if (step.errors[0].code === "kind.unknown" && step.available_keys.length === 0) {
    const got = whatItGot(payload);
    if (got) step.error += `; it got ${got}`;
  }
  return step;
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

export { codeStepError, drift, withStepHint };
