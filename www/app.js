// The previewer: validates and flattens what is pasted, entirely in the page.
import { validate, flatten, toCsv, kinds } from "../pkg/browser.mjs";

const $ = (id) => document.getElementById(id);
// The kind choices come from the core's registry.
for (const kind of kinds()) $("kind").append(new Option(kind, kind));
const SAMPLE = {
  user: "user123456",
  requestUrl: "https://app.leadsie.com/connect/acme/manage",
  requestName: "Acme onboarding",
  accessLevel: "admin",
  status: "PARTIAL_SUCCESS",
  connectionAssets: [
    { type: "Page", name: "Acme Coffee", id: "110022003300", isSuccess: true, time: "2024-03-01T10:00:01.000Z" },
    { type: "Page", name: "Acme Tea", id: "110022003301", isSuccess: false, message: "(#200) Requires business_management permission" },
  ],
};

function options() {
  const opts = { strict: $("strict").checked };
  if ($("kind").value) opts.kind = $("kind").value;
  if ($("url").value.trim()) opts.url = $("url").value.trim();
  return opts;
}

function cell(row, text, asCode) {
  const td = row.insertCell();
  if (asCode) {
    const code = document.createElement("code");
    code.textContent = text;
    td.append(code);
  } else {
    td.textContent = text;
  }
}

function render() {
  const body = $("body").value;
  const issues = $("issues").tBodies[0];
  const fields = $("fields").tBodies[0];
  issues.replaceChildren();
  fields.replaceChildren();
  $("csv").hidden = true;
  if (body.trim() === "") {
    $("status").textContent = "Waiting for a body…";
    $("status").className = "status";
    $("issues").hidden = $("fields").hidden = $("fields-title").hidden = true;
    return;
  }
  const opts = options();
  const report = validate(body, opts);
  const kind = report.kind ?? "unknown kind";
  $("status").textContent = report.ok
    ? `Valid ${kind} payload${report.warnings.length ? `, ${report.warnings.length} warning(s)` : ""}`
    : `${report.errors.length} error(s) in this ${kind} payload`;
  $("status").className = report.ok ? "status ok" : "status bad";
  for (const [level, list] of [["error", report.errors], ["warning", report.warnings]]) {
    for (const issue of list) {
      const row = issues.insertRow();
      row.className = level;
      cell(row, level);
      cell(row, issue.code, true);
      cell(row, issue.path === "" ? "(whole body)" : issue.path, true);
      cell(row, issue.message);
    }
  }
  $("issues").hidden = issues.rows.length === 0;
  if (report.ok) {
    const flat = flatten(body, opts);
    for (const [key, value] of Object.entries(flat)) {
      const row = fields.insertRow();
      cell(row, key, true);
      cell(row, value === null ? "null" : String(value));
    }
    $("csv").hidden = false;
  }
  $("fields").hidden = $("fields-title").hidden = !report.ok;
}

$("csv").addEventListener("click", () => {
  const csv = toCsv($("body").value, options());
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  link.download = "leadhook.csv";
  link.click();
  URL.revokeObjectURL(link.href);
});
$("sample").addEventListener("click", () => {
  $("body").value = JSON.stringify(SAMPLE, null, 2);
  render();
});
for (const id of ["body", "url", "kind", "strict"]) $(id).addEventListener("input", render);
render();
