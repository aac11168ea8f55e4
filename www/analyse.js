// Everything the previewer shows for one body, computed in one place: on the page for a small
// body, in worker.js (off the main thread) for a large one. `api` is the package.

/** Rows shown in the rows table; the CSV download has them all. */
export const ROWS_SHOWN = 200;

export function analyse(api, { body, opts, headers, secret }) {
  const report = api.validate(body, opts);
  const out = { report, drift: [], flat: null, rows: null, rowCount: 0, upgraded: null, upgradedKind: null, eventKey: null, signature: null };
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
    const kind = api.detect(JSON.stringify(upgraded));
    if (kind !== report.kind) Object.assign(out, { upgraded, upgradedKind: kind });
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
