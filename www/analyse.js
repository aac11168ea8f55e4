// Everything the previewer shows for one body, computed in one place: in worker.js, off the main
// thread, so that the page only draws what comes back. `api` is the package.
import { locate } from "./locate.js";

/** Rows shown in the rows table; the CSV download has them all. */
export const ROWS_SHOWN = 200;
/** The most of the original and the upgraded payload shown side by side. */
export const COMPARE_SHOWN = 64 * 1024;

export function analyse(api, { body, opts, headers, secret }) {
  const report = api.validate(body, opts);
  const out = {
    report, notes: notes(api, report, body), bytes: null, drift: [], flat: null, rows: null, rowCount: 0,
    original: null, upgraded: null, upgradedKind: null, eventKey: null, signature: null,
  };
  // Over the size limit: the page offers to raise it, to a limit it can only learn by counting.
  // (A Blob holds a string as UTF-8, a lone surrogate as U+FFFD, as the package copies it.)
  if (report.errors.some((issue) => issue.code === "input.too_large")) out.bytes = new Blob([body]).size;
  // What the delivery shows that the tables do not document, as the receiver counts it: read
  // strictly, names and kinds of values only (a record of a batch counts once, as `*`).
  if (report.kind) out.drift = api.drift([api.validate(body, { ...opts, kind: report.kind, strict: true })])[report.kind].fields;
  if (!report.ok) return out;
  out.flat = api.flatten(body, opts);
  const rows = api.rows(body, opts);
  out.rowCount = rows.length;
  out.rows = rows.slice(0, ROWS_SHOWN);
  out.eventKey = api.eventKey(body, { ...opts, headers });
  // A payload of an older format (Leadsie v1, a legacy lead event) in its current one: what
  // `upgrade` makes of it, when that is another kind (a current payload comes back as it is).
  try {
    const upgraded = api.upgrade(body, opts);
    const text = JSON.stringify(upgraded, null, 2);
    const kind = api.detect(text);
    if (kind !== report.kind) Object.assign(out, { original: shown(masked(body)), upgraded: shown(text), upgradedKind: kind });
  } catch {
    // A kind without an upgrade (LeadSquared).
  }
  if (report.kind === "lead-event.v2" && secret) {
    const now = Math.floor(Date.now() / 1000);
    const timestamp = Number(Object.entries(headers).find(([k]) => k.toLowerCase() === "x-webhook-timestamp")?.[1]);
    const valid = api.verifySignature(body, headers, secret);
    // A captured delivery is older than the tolerance: say whether it was signed by this secret.
    const signedThen = !valid && Number.isFinite(timestamp) && api.verifySignature(body, headers, secret, { now: timestamp });
    out.signature = { valid, signedThen, ageSeconds: Number.isFinite(timestamp) ? now - timestamp : null };
  }
  return out;
}

export function csv(api, { body, opts }) {
  return api.toCsv(body, opts);
}

/** A long text as a view shows it: its start, and how much was left out. */
const shown = (text) => (text.length <= COMPARE_SHOWN ? { text, left: 0 } : { text: text.slice(0, text.lastIndexOf("\n", COMPARE_SHOWN) + 1 || COMPARE_SHOWN), left: text.length });

// ---------------------------------------------------------------------------------------------
// Each issue's spot in the body, and for a value outside a vocabulary the known values near it.

/** The value of a secret, as a view shows it. */
const SECRET = /("secret"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;
const masked = (text) => text.replace(SECRET, (_, a, value, b) => `${a}${"•".repeat(Math.min(12, value.length || 1))}${b}`);
const maskForm = (text) => text.replace(/(^|&)(secret=)([^&]*)/g, (_, a, b) => `${a}${b}••••`);

/** For each issue of the report, errors then warnings: `{ span, spot, suggest, known }`. */
function notes(api, report, body) {
  const head = body.trimStart();
  const form = !head.startsWith("{") && !head.startsWith("[");
  const mask = form ? maskForm : masked;
  const schema = report.kind ? api.schema(report.kind) : null;
  return [...report.errors, ...report.warnings].map((issue) => {
    const note = { span: null, spot: null, suggest: [], known: [] };
    const span = issue.code === "report.truncated" || issue.code === "input.too_large" ? null : locate(body, issue, { form });
    if (span) {
      const from = Math.max(0, body.lastIndexOf("\n", span.start - 1) + 1);
      const lineEnd = body.indexOf("\n", span.end);
      const to = Math.min(lineEnd === -1 ? body.length : lineEnd, span.end + 120);
      note.span = span;
      note.spot = [
        mask(body.slice(Math.max(from, span.start - 120), span.start)).trimStart(),
        mask(body.slice(span.start, Math.min(span.end, span.start + 200))),
        mask(body.slice(span.end, to)),
      ];
    }
    // The value is the message's leading JSON string ("\"Conected\" is not a documented …").
    const quoted = issue.code === "field.enum" && schema ? /^"(?:[^"\\]|\\.)*"/.exec(issue.message) : null;
    if (quoted) {
      note.known = vocabulary(schema, issue.path.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~")));
      try {
        note.suggest = nearest(JSON.parse(quoted[0]), note.known);
      } catch {
        // a value cut short in the message
      }
    }
    return note;
  });
}

/** The strings a JSON Schema documents for the value at `tokens` (its `enum`s and `examples`). */
export function vocabulary(schema, tokens) {
  // Every branch a value may be read by (anyOf, allOf, if/then…), followed down the path.
  const branches = (list) => {
    const out = [];
    const add = (s) => {
      if (!s || typeof s !== "object" || out.includes(s)) return;
      out.push(s);
      for (const key of ["anyOf", "oneOf", "allOf"]) for (const sub of s[key] ?? []) add(sub);
      add(s.then);
      add(s.else);
    };
    list.forEach(add);
    return out;
  };
  let here = [schema];
  for (const token of tokens) {
    const next = [];
    for (const s of branches(here)) {
      if (s.properties && Object.hasOwn(s.properties, token)) next.push(s.properties[token]);
      for (const [pattern, sub] of Object.entries(s.patternProperties ?? {})) if (new RegExp(pattern, "u").test(token)) next.push(sub);
      if (s.items && /^\d+$/.test(token)) next.push(s.items);
    }
    here = next;
  }
  const values = new Set();
  for (const s of branches(here)) for (const v of [...(s.enum ?? []), ...(s.examples ?? [])]) if (typeof v === "string") values.add(v);
  return [...values];
}

/** The known values `value` is most likely a slip for: the closest by edit distance, or those
 * that start with it or hold all its words; none when nothing is close. At most three. */
export function nearest(value, known) {
  const low = value.toLowerCase();
  const candidates = known.filter((k) => k !== value);
  const scored = candidates.map((k) => [k, distance(low, k.toLowerCase())]);
  const best = Math.min(...scored.map(([, d]) => d));
  if (best <= Math.max(1, Math.floor(low.length / 5))) {
    const closest = scored.filter(([, d]) => d === best).map(([k]) => k);
    if (closest.length <= 3) return closest;
  }
  const words = low.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (low.length < 3 || words.length === 0) return [];
  const holding = candidates.filter((k) => {
    const kl = k.toLowerCase();
    const theirs = new Set(kl.split(/[^\p{L}\p{N}]+/u));
    return kl.startsWith(low) || words.every((w) => theirs.has(w));
  });
  return holding.length <= 3 ? holding : [];
}

/** Optimal string alignment distance: insertions, deletions, substitutions, swaps. */
function distance(a, b) {
  if (a.length > 200 || b.length > 200) return Infinity;
  let prev2 = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}
