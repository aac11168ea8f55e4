// What JavaScript alone makes of reports: the code step's error object (`codeStepError`), and
// what live deliveries show that the tables do not (`drift`).

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

export { codeStepError, drift };
