// The previewer: everything is computed in this page (or its worker); nothing is sent anywhere.
import { analyse, csv as csvOf } from "./analyse.js";
import { locate } from "./locate.js";

const $ = (id) => document.getElementById(id);
const status = $("status");

/** Bodies larger than this are analysed in a Web Worker, so that typing stays responsive. */
const WORKER_FROM = 256 * 1024;
const DEBOUNCE_MS = 200;

let api;
let samples = [];
try {
  api = await import("../pkg/browser.mjs");
  ({ samples } = await import("../pkg/samples.mjs"));
} catch (error) {
  // Said where the result would be, in the live region.
  status.className = "status bad fatal";
  status.innerHTML =
    "<strong>leadhook could not load.</strong> The page needs the built package beside it: run " +
    "<code>bash scripts/build.sh</code>, then <code>node www/serve.mjs</code>, and open the address it prints. ";
  const detail = document.createElement("span");
  detail.className = "hint";
  detail.textContent = `(${(error && error.message) || error})`;
  status.append(detail);
  document.querySelector("main").inert = true;
  throw error;
}

// ---------------------------------------------------------------------------------------------
// Inputs

for (const kind of api.kinds()) $("kind").append(new Option(kind, kind));
// Samples grouped by kind, in the registry's order.
{
  const groups = new Map();
  for (const [i, s] of samples.entries()) {
    const kind = s.kind ?? "other";
    if (!groups.has(kind)) groups.set(kind, []);
    groups.get(kind).push(new Option(s.label, String(i)));
  }
  for (const [kind, options] of groups) {
    const group = document.createElement("optgroup");
    group.label = kind === "other" ? "Not a payload" : kind;
    group.append(...options);
    $("sample").append(group);
  }
}

/** The headers textarea as an object (`Name: value` lines). */
function headers() {
  const out = {};
  for (const line of $("headers").value.split("\n")) {
    const at = line.indexOf(":");
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

function options() {
  const opts = { strict: $("strict").checked };
  if ($("kind").value) opts.kind = $("kind").value;
  if ($("contentType").value) opts.contentType = $("contentType").value;
  if ($("url").value.trim()) opts.url = $("url").value.trim();
  return opts;
}

const input = () => ({ body: $("body").value, opts: options(), headers: headers(), secret: $("secret").value });

// ---------------------------------------------------------------------------------------------
// Analysis: here for a small body, in the worker for a large one; the latest request wins.

let worker = null;
let workerReady = null;
let asked = 0;
const pending = new Map();

async function inWorker(job, data) {
  if (worker === null) {
    worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    // The worker says when it can listen: a message sent before its module (and the package's
    // top-level await) has run would be lost.
    workerReady = new Promise((ready) => {
      worker.onmessage = ({ data: msg }) => {
        if (msg.ready) return ready();
        const done = pending.get(msg.id);
        if (!done) return;
        pending.delete(msg.id);
        if (msg.error) done.reject(new Error(msg.error));
        else done.resolve(msg.result);
      };
    });
  }
  await workerReady;
  const id = ++asked;
  worker.postMessage({ id, job, input: data });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

const run = (job, data) =>
  data.body.length >= WORKER_FROM ? inWorker(job, data) : Promise.resolve(job === "csv" ? csvOf(api, data) : analyse(api, data));

let latest = 0;
let timer = 0;
function schedule(now = false) {
  clearTimeout(timer);
  if (now) render();
  else timer = setTimeout(render, DEBOUNCE_MS);
}

async function render() {
  const data = input();
  const mine = ++latest;
  if (data.body.trim() === "") {
    show(null, data);
    return;
  }
  if (data.body.length >= WORKER_FROM) setStatus("", `Reading ${(data.body.length / 1048576).toFixed(1)} MB…`);
  const started = performance.now();
  const result = await run("analyse", data);
  if (mine !== latest) return; // a newer body is on its way
  show(result, data);
  document.body.dataset.renderedMs = String(Math.round(performance.now() - started));
}

// ---------------------------------------------------------------------------------------------
// Views

function setStatus(cls, text) {
  status.className = `status ${cls}`.trim();
  status.textContent = text;
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
// Each kind's name for people is its JSON Schema's title (from the core's registry).
const KIND_NAMES = Object.fromEntries(api.kinds().map((kind) => [kind, api.schema(kind).title]));

/** A message's `code` spans as <code>, the rest as text. */
function richText(el, message) {
  for (const [i, part] of message.split("`").entries()) {
    if (i % 2) {
      const code = document.createElement("code");
      code.textContent = part;
      el.append(code);
    } else el.append(part);
  }
}

/** The value of a secret, as a view shows it. */
const SECRET = /("secret"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;
const masked = (text) => text.replace(SECRET, (_, a, value, b) => `${a}${"•".repeat(Math.min(12, value.length || 1))}${b}`);
const maskForm = (text) => text.replace(/(^|&)(secret=)([^&]*)/g, (_, a, b) => `${a}${b}••••`);

/** A flat value as a cell shows it: null as an empty marker, not the word. */
function valueCell(td, value) {
  if (value === null || value === "") {
    const span = document.createElement("span");
    span.className = "empty";
    span.textContent = value === null ? "(none)" : "(empty)";
    td.append(span);
  } else td.textContent = String(value);
}

/** A key, breakable after underscores rather than mid-word. */
function keyCell(td, key) {
  const code = document.createElement("code");
  for (const [i, part] of key.split("_").entries()) {
    if (i) code.append("_", document.createElement("wbr"));
    code.append(part);
  }
  td.append(code);
}

function copyButton(text) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "copy";
  b.textContent = "Copy";
  b.addEventListener("click", () => copy(text, b));
  return b;
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
    button.classList.add("copied");
    setTimeout(() => {
      button.textContent = "Copy";
      button.classList.remove("copied");
    }, 1200);
  } catch {
    button.textContent = "Copy failed";
  }
}

function selectSpot(span) {
  const area = $("body");
  area.focus();
  area.setSelectionRange(span.start, span.end);
  // Scroll the selection into view: place the caret's line near the top.
  const line = area.value.slice(0, span.start).split("\n").length - 1;
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function showIssues(report, data) {
  const list = $("issues");
  list.replaceChildren();
  const form = !data.body.trimStart().startsWith("{") && !data.body.trimStart().startsWith("[");
  for (const [level, issues] of [["error", report.errors], ["warning", report.warnings]]) {
    for (const issue of issues) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = `issue ${level}`;
      const lvl = document.createElement("span");
      lvl.className = "level";
      lvl.textContent = level;
      const code = document.createElement("code");
      code.textContent = issue.code;
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = ` at ${issue.path === "" ? "the whole body" : issue.path}`;
      const what = document.createElement("span");
      what.className = "what";
      richText(what, issue.message);
      button.append(lvl, code, where, what);
      const span = issue.code === "report.truncated" ? null : locate(data.body, issue, { form });
      if (span) {
        const spot = document.createElement("span");
        spot.className = "spot";
        const from = Math.max(0, data.body.lastIndexOf("\n", span.start - 1) + 1);
        const lineEnd = data.body.indexOf("\n", span.end);
        const to = Math.min(lineEnd === -1 ? data.body.length : lineEnd, span.end + 120);
        const mask = form ? maskForm : masked;
        const mark = document.createElement("mark");
        mark.textContent = mask(data.body.slice(span.start, Math.min(span.end, span.start + 200)));
        spot.append(mask(data.body.slice(Math.max(from, span.start - 120), span.start)).trimStart(), mark, mask(data.body.slice(span.end, to)));
        button.append(spot);
        button.dataset.start = String(span.start);
        button.dataset.end = String(span.end);
        button.addEventListener("click", () => selectSpot(span));
      } else {
        button.disabled = issue.code === "report.truncated";
      }
      li.append(button);
      list.append(li);
    }
  }
  $("issues-box").hidden = list.children.length === 0;
}

function showFields(flat) {
  const body = $("fields").tBodies[0];
  body.replaceChildren();
  for (const [key, value] of Object.entries(flat)) {
    const tr = body.insertRow();
    keyCell(tr.insertCell(), key);
    valueCell(tr.insertCell(), value);
    tr.insertCell().append(copyButton(value === null ? "" : String(value)));
  }
}

function showDrift(fields) {
  $("drift-box").hidden = fields.length === 0;
  const body = $("drift").tBodies[0];
  body.replaceChildren();
  for (const { path, what } of fields) {
    const tr = body.insertRow();
    tr.insertCell().append(Object.assign(document.createElement("code"), { textContent: path || "(root)" }));
    tr.insertCell().textContent = what;
  }
}

function showRows(rows, total) {
  const table = $("rows");
  const keys = rows.length ? Object.keys(rows[0]) : [];
  const head = document.createElement("tr");
  for (const k of keys) {
    const th = document.createElement("th");
    th.scope = "col";
    keyCell(th, k);
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const k of keys) valueCell(tr.insertCell(), row[k]);
  }
  $("rows-title").textContent = total > rows.length ? `Rows (the first ${rows.length} of ${total})` : `Rows (${plural(total, "record")})`;
  $("rows-box").hidden = total === 0;
}

/** The code step to paste, for the platform chosen, with the options that matter. */
function snippet(platform, opts) {
  const o = {};
  if (opts.kind) o.kind = opts.kind;
  if (opts.strict) o.strict = true;
  const extra = Object.keys(o).length ? `, ${JSON.stringify(o)}` : "";
  const paste = "// 1. Paste the whole of leadhook's dist/leadhook.inline.cjs above this line.";
  switch (platform) {
    case "Make":
      return `// Make: a "Code" module (JavaScript). Map the webhook's raw body to an input named payload.\n${paste}\n// 2. Then:\nreturn leadhook.codeStep({ payload: input.payload }${extra});`;
    case "n8n":
      return `// n8n: a Code node, "Run Once for Each Item", after a Webhook node.\n${paste}\n// 2. Then (the Webhook node puts the body under $json.body):\nreturn { json: leadhook.codeStep({ payload: $json.body }${extra}) };`;
    default:
      return `// Zapier: "Code by Zapier" → Run JavaScript. Input Data: payload = the raw body.\n${paste}\n// 2. Then:\nreturn leadhook.codeStep(inputData${extra});\n// The result is the flat record, or { error, errors, available_keys }: add a Filter step\n// "Only continue if error does not exist" to stop the Zap on an invalid payload.`;
  }
}

function showSignature(sig) {
  const box = $("signature-box");
  box.hidden = sig === null;
  if (sig === null) return;
  const p = $("signature");
  if (sig.valid) {
    p.className = "status ok";
    p.textContent = "Signed with this secret, and fresh: verifySignature says yes.";
  } else if (sig.signedThen) {
    p.className = "status warn";
    const age = Math.abs(sig.ageSeconds ?? 0);
    const when = age >= 172800 ? plural(Math.round(age / 86400), "day") : age >= 7200 ? plural(Math.round(age / 3600), "hour") : plural(Math.round(age / 60), "minute");
    p.textContent = `Signed with this secret, but ${when} ${sig.ageSeconds < 0 ? "from now" : "ago"}: outside the 5-minute tolerance, so a receiver refuses it as a possible replay.`;
  } else {
    p.className = "status bad";
    p.textContent = "Not signed with this secret (or the signature or timestamp header is missing or malformed).";
  }
}

let renders = 0;

function show(result, data) {
  // Counted, for tests and tools that wait for a result.
  document.body.dataset.renders = String(++renders);
  const boxes = ["issues-box", "drift-box", "fields-box", "rows-box", "upgrade-box", "code-box", "key-box", "signature-box"];
  if (result === null) {
    for (const id of boxes) $(id).hidden = true;
    setStatus("", "Waiting for a body: paste one, drop a file, or pick a sample.");
    return;
  }
  const { report } = result;
  const kind = report.kind ? KIND_NAMES[report.kind] ?? report.kind : null;
  const warnings = report.warnings.length ? ` · ${plural(report.warnings.length, "warning")}` : "";
  if (report.ok) setStatus(report.warnings.length ? "warn" : "ok", `Valid ${kind} payload (${report.kind})${warnings}`);
  else if (kind) setStatus("bad", `Invalid ${kind} payload (${report.kind}): ${plural(report.errors.length, "error")}${warnings}`);
  else setStatus("bad", `Not a payload leadhook knows: ${plural(report.errors.length, "error")}${warnings}`);
  showIssues(report, data);
  showDrift(result.drift);
  $("fields-box").hidden = !report.ok;
  $("code-box").hidden = !report.ok;
  $("key-box").hidden = result.eventKey === null;
  $("upgrade-box").hidden = result.upgraded === null;
  $("rows-box").hidden = !report.ok;
  if (!report.ok) {
    showSignature(null);
    return;
  }
  showFields(result.flat);
  showRows(result.rows, result.rowCount);
  $("csv-note").textContent = result.rowCount > 1 ? `(${plural(result.rowCount, "row")})` : "";
  $("event-key").textContent = result.eventKey ?? "";
  if (result.upgraded) {
    $("upgrade-from").textContent = `${KIND_NAMES[report.kind]}, as sent`;
    $("upgrade-to").textContent = $("upgrade-to-name").textContent = KIND_NAMES[result.upgradedKind];
    $("original").textContent = masked(data.body);
    $("upgraded").textContent = JSON.stringify(result.upgraded, null, 2);
  }
  $("snippet").textContent = snippet($("platform").value, data.opts);
  showSignature(result.signature);
}

// ---------------------------------------------------------------------------------------------
// Events

for (const id of ["body", "url", "headers", "secret"]) $(id).addEventListener("input", () => schedule());
for (const id of ["kind", "contentType", "strict"]) $(id).addEventListener("change", () => schedule(true));
$("platform").addEventListener("change", () => ($("snippet").textContent = snippet($("platform").value, options())));
for (const b of document.querySelectorAll("button.copy[data-copy]")) {
  b.addEventListener("click", () => copy($(b.dataset.copy).textContent, b));
}

$("sample").addEventListener("change", () => {
  const s = samples[Number($("sample").value)];
  if (!s) return;
  $("body").value = s.body;
  $("url").value = s.url ?? "";
  $("contentType").value = s.contentType ?? "";
  $("kind").value = "";
  $("headers").value = s.headers ? Object.entries(s.headers).map(([k, v]) => `${k}: ${v}`).join("\n") : "";
  $("secret").value = s.signingSecret ?? "";
  schedule(true);
});

async function openFile(file) {
  if (!file) return;
  $("body").value = await file.text();
  schedule(true);
}
$("file").addEventListener("change", () => openFile($("file").files[0]));
const area = $("body");
area.addEventListener("dragover", (e) => {
  e.preventDefault();
  area.classList.add("drop");
});
area.addEventListener("dragleave", () => area.classList.remove("drop"));
area.addEventListener("drop", (e) => {
  e.preventDefault();
  area.classList.remove("drop");
  openFile(e.dataTransfer.files[0]);
});

$("csv").addEventListener("click", async () => {
  const text = await run("csv", input());
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  link.download = "leadhook.csv";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
});

// Ready: the tests wait for this.
document.body.dataset.ready = "true";
schedule(true);
