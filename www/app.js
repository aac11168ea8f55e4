// The previewer: everything is computed in this page's worker; nothing is sent anywhere.
import { analyse, csv as csvOf, COMPARE_SHOWN } from "./analyse.js";

const $ = (id) => document.getElementById(id);
const status = $("status");

/** The most of a body the textarea holds at once: editing a longer one there makes every
 * keystroke slow (the browser lays the whole text out again), so it shows a window of it. */
const WINDOW = 256 * 1024;
/** Typing pauses this long before the body is read again; a body past WINDOW waits longer. */
const DEBOUNCE_MS = 200;
const DEBOUNCE_LARGE_MS = 600;
/** On a phone the first issues come before the form; the rest behind a button. */
const ISSUES_FOLDED = 3;
const MiB = 1024 * 1024;

let api;
let samples = [];
let recipes = [];
try {
  api = await import("../pkg/browser.mjs");
  ({ samples } = await import("../pkg/samples.mjs"));
  ({ recipes } = await import("../pkg/preview/recipes.js"));
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
for (const { platform } of recipes) $("platform").append(new Option(platform, platform));
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

/** A size limit raised in this page (`maxBytes`), or null for the package's default. */
let maxBytes = null;

function options() {
  const opts = { strict: $("strict").checked };
  if ($("kind").value) opts.kind = $("kind").value;
  if ($("contentType").value) opts.contentType = $("contentType").value;
  if ($("url").value.trim()) opts.url = $("url").value.trim();
  if (maxBytes !== null) opts.maxBytes = maxBytes;
  return opts;
}

// ---------------------------------------------------------------------------------------------
// The body. The page keeps it whole here; the textarea holds all of it, or for a long body the
// window [shownFrom, shownFrom + its length) of it, and an edit there is spliced into the whole.

const area = $("body");
let body = "";
let shownFrom = 0;
let shownLength = 0;

const windowed = () => shownLength !== body.length;

/** Shows the window that starts at the line around `from` (all of a short body). */
function showWindow(from) {
  let start = 0;
  let end = body.length;
  if (body.length > WINDOW) {
    start = Math.max(0, Math.min(from, body.length - WINDOW));
    const lineStart = body.lastIndexOf("\n", start - 1) + 1;
    if (lineStart > start - WINDOW / 2) start = lineStart; // else a very long line: cut it
    end = body.indexOf("\n", start + WINDOW);
    if (end === -1 || end > start + WINDOW * 1.5) end = Math.min(body.length, start + WINDOW);
  }
  shownFrom = start;
  shownLength = end - start;
  area.value = start === 0 && end === body.length ? body : body.slice(start, end);
  area.scrollTop = 0;
  $("window-bar").hidden = !windowed();
  if (!windowed()) return;
  const [first, last, lines] = [lineOf(start), lineOf(end), lineOf(body.length)];
  const n = (x) => x.toLocaleString("en");
  // Long lines (a body on one line): where the window is, in characters.
  const where = last - first < 10 ? `characters ${n(start + 1)} to ${n(end)} of ${n(body.length)}` : `lines ${n(first)} to ${n(last)} of ${n(lines)}`;
  $("window-where").textContent = `A body of ${size(body.length)}: ${where} are shown here, so that typing stays quick.`;
  $("window-earlier").disabled = start === 0;
  $("window-later").disabled = end === body.length;
}

function lineOf(at) {
  let n = 1;
  for (let i = body.indexOf("\n"); i !== -1 && i < at; i = body.indexOf("\n", i + 1)) n++;
  return n;
}

const size = (n) => (n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`);

function setBody(text) {
  body = text;
  showWindow(0);
}

// An edit that replaces all the textarea holds (select all, then paste or delete) replaces the
// whole body, as it would without a window.
let replacesAll = false;
area.addEventListener("beforeinput", () => {
  replacesAll = windowed() && area.selectionStart === 0 && area.selectionEnd === area.value.length;
});
area.addEventListener("input", (event) => {
  // A script that sets the value (a test, an extension) means the whole body too.
  if (replacesAll || !windowed() || !(event instanceof InputEvent)) {
    body = area.value;
    shownFrom = 0;
    shownLength = body.length;
  } else {
    body = body.slice(0, shownFrom) + area.value + body.slice(shownFrom + shownLength);
    shownLength = area.value.length;
  }
  replacesAll = false;
  // A long body just pasted: from now on the textarea holds a window of it.
  if (shownLength > WINDOW * 1.5) showWindow(0);
  schedule(false);
});
$("window-earlier").addEventListener("click", () => showWindow(Math.max(0, shownFrom - WINDOW)));
$("window-later").addEventListener("click", () => showWindow(shownFrom + shownLength));

const input = () => ({ body, opts: options(), headers: headers(), secret: $("secret").value });

// ---------------------------------------------------------------------------------------------
// Analysis: in the worker, off the main thread. One job at a time; while one runs, only the
// latest body waits (an older one would be out of date by the time it was read).

let worker = null;
let workerReady = null;
let inPage = false;
let asked = 0;
const pending = new Map();

function startWorker() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  // The worker says when it can listen: a message sent before its module (and the package's
  // top-level await) has run would be lost.
  workerReady = new Promise((ready) => {
    worker.onmessage = ({ data: msg }) => {
      if (msg.ready) return ready(true);
      const done = pending.get(msg.id);
      if (!done) return;
      pending.delete(msg.id);
      if (msg.error) done.reject(new Error(msg.error));
      else done.resolve(msg.result);
    };
    // A browser that cannot start a module worker: the page reads bodies itself.
    worker.onerror = (event) => {
      event.preventDefault();
      inPage = true;
      ready(false);
    };
  });
}

async function run(job, data) {
  if (worker === null) startWorker();
  if (!(await workerReady) || inPage) return job === "csv" ? csvOf(api, data) : analyse(api, data);
  const id = ++asked;
  worker.postMessage({ id, job, input: data });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

let busy = false;
let waiting = false;
let timer = 0;
let edits = 0;

/** Reads the body again: now (a sample, a file, an option) or when typing pauses. */
function schedule(now = true) {
  edits++;
  clearTimeout(timer);
  if (now) render();
  else timer = setTimeout(render, body.length > WINDOW ? DEBOUNCE_LARGE_MS : DEBOUNCE_MS);
}

async function render() {
  if (busy) {
    waiting = true;
    return;
  }
  const data = input();
  if (data.body.trim() === "") {
    show(null, data);
    return;
  }
  busy = true;
  const mine = edits;
  if (data.body.length > WINDOW) setStatus("", `Reading ${size(data.body.length)}…`);
  const started = performance.now();
  let result;
  try {
    result = await run("analyse", data);
  } catch (error) {
    result = { error };
  } finally {
    busy = false;
  }
  if (waiting) {
    // A newer body came while this one was read.
    waiting = false;
    render();
    return;
  }
  // Edited since: the pause after the edit reads it again.
  if (mine !== edits) return;
  if (result.error) {
    // Not an answer about the body (every answer is a report): say so where the verdict goes.
    setStatus("bad", `The previewer failed on this body: ${result.error.message}`);
    return;
  }
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

/** A flat value as a cell shows it: null as an empty marker, not the word. */
function valueCell(td, value) {
  if (value === null || value === "") {
    const span = document.createElement("span");
    span.className = "empty";
    span.textContent = value === null ? "(none)" : "(empty)";
    td.append(span);
  } else td.textContent = String(value);
}

/** A JSON Pointer, breakable after its slashes rather than inside a name. */
function pointer(el, path) {
  for (const [i, part] of path.split("/").entries()) el.append(...(i ? ["/", document.createElement("wbr")] : []), part);
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

/** Selects `span` of the body in the textarea (moving its window there first). */
function selectSpot(span) {
  if (span.start < shownFrom || span.end > shownFrom + shownLength) showWindow(Math.max(0, span.start - WINDOW / 4));
  const start = span.start - shownFrom;
  area.focus();
  area.setSelectionRange(start, Math.min(span.end - shownFrom, shownLength));
  // Scroll the selection into view: place the caret's line near the top.
  const line = area.value.slice(0, start).split("\n").length - 1;
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/** Known values for a value outside a vocabulary: the likely one, or the list. */
function suggestion(note) {
  const p = document.createElement("p");
  p.className = "suggest";
  const codes = (values, last = ", ") => values.flatMap((v, i) => [i === 0 ? "" : i === values.length - 1 ? last : ", ", Object.assign(document.createElement("code"), { textContent: v })]);
  if (note.suggest.length) {
    p.append("Did you mean ", ...codes(note.suggest, " or "), "?");
    return p;
  }
  if (note.known.length === 0) return null;
  if (note.known.length <= 8) {
    p.append("Known values: ", ...codes(note.known), ".");
    return p;
  }
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = `The ${note.known.length} known values`;
  details.append(summary, ...codes(note.known));
  p.append(details);
  return p;
}

let issuesUnfolded = false;

function showIssues(report, notes) {
  const list = $("issues");
  list.replaceChildren();
  const issues = [...report.errors.map((issue) => ["error", issue]), ...report.warnings.map((issue) => ["warning", issue])];
  for (const [i, [level, issue]] of issues.entries()) {
    const note = notes[i];
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
    where.append(" at ");
    if (issue.path === "") where.append("the whole body");
    else pointer(where, issue.path);
    const what = document.createElement("span");
    what.className = "what";
    richText(what, issue.message);
    button.append(lvl, code, where, what);
    if (note.span) {
      const spot = document.createElement("span");
      spot.className = "spot";
      const [before, marked, after] = note.spot;
      spot.append(before, Object.assign(document.createElement("mark"), { textContent: marked }), after);
      button.append(spot);
      button.dataset.start = String(note.span.start);
      button.dataset.end = String(note.span.end);
      button.addEventListener("click", () => selectSpot(note.span));
    } else {
      button.disabled = issue.code === "report.truncated";
    }
    li.append(button);
    const hint = suggestion(note);
    if (hint) li.append(hint);
    list.append(li);
  }
  $("issues-box").hidden = issues.length === 0;
  // Folded on a phone (the stylesheet shows the first few); the button unfolds.
  list.classList.toggle("folded", !issuesUnfolded);
  $("more-issues").hidden = issuesUnfolded || issues.length <= ISSUES_FOLDED;
  $("more-issues").textContent = `Show all ${plural(issues.length, "issue")}`;
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
    const code = document.createElement("code");
    if (path) pointer(code, path);
    else code.textContent = "(root)";
    tr.insertCell().append(code);
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
    // On one line, like the cells below it (the <wbr>s of keyCell would break a header anyway).
    th.append(Object.assign(document.createElement("code"), { textContent: k }));
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

/** The code step to paste: the platform's recipe (examples/recipes/, as the docs and the inline
 * file's header give it), its call given the options that matter. */
function snippet(platform, opts) {
  const o = {};
  if (opts.kind) o.kind = opts.kind;
  if (opts.strict) o.strict = true;
  const { code } = recipes.find((r) => r.platform === platform) ?? recipes[0];
  if (Object.keys(o).length === 0) return code;
  return code.replace(/codeStep\(([^()]*)\)/, (_, arg) => `codeStep(${arg}, ${JSON.stringify(o)})`);
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

/** Over the size limit: how large the body is, and a button that raises the limit past it. */
function showTooLarge(bytes, report) {
  $("too-large-box").hidden = bytes === null;
  if (bytes === null) return;
  const raised = Math.ceil((bytes + 1) / MiB) * MiB;
  const issue = report.errors.find((i) => i.code === "input.too_large");
  $("too-large").replaceChildren();
  richText($("too-large"), `Too large to read: ${issue.message}. A receiver refuses it too, unless its \`maxBytes\` is raised.`);
  $("raise").textContent = `Raise the limit to ${raised / MiB} MiB in this page, and read it`;
  $("raise").dataset.to = String(raised);
}

function showLimit() {
  $("limit-box").hidden = maxBytes === null;
  $("limit").textContent = maxBytes === null ? "" : `Size limit (maxBytes): ${maxBytes / MiB} MiB, raised in this page.`;
}

let renders = 0;

function show(result, data) {
  // Counted, for tests and tools that wait for a result.
  document.body.dataset.renders = String(++renders);
  const boxes = ["issues-box", "too-large-box", "drift-box", "fields-box", "rows-box", "upgrade-box", "code-box", "key-box", "signature-box"];
  $("empty-box").hidden = result !== null;
  $("jump").replaceChildren();
  if (result === null) {
    for (const id of boxes) $(id).hidden = true;
    setStatus("", "Waiting for a body: paste one, drop a file, or pick a sample.");
    return;
  }
  const { report } = result;
  const kind = report.kind ? KIND_NAMES[report.kind] ?? report.kind : null;
  const warnings = report.warnings.length ? ` · ${plural(report.warnings.length, "warning")}` : "";
  if (result.bytes !== null) setStatus("bad", `Too large: ${size(result.bytes)} is over the size limit`);
  else if (report.ok) setStatus(report.warnings.length ? "warn" : "ok", `Valid ${kind} payload (${report.kind})${warnings}`);
  else if (kind) setStatus("bad", `Invalid ${kind} payload (${report.kind}): ${plural(report.errors.length, "error")}${warnings}`);
  else setStatus("bad", `Not a payload leadhook knows: ${plural(report.errors.length, "error")}${warnings}`);
  showTooLarge(result.bytes, report);
  showIssues(report, result.notes);
  // Said once, in the box above.
  if (result.bytes !== null && report.errors.length === 1 && report.warnings.length === 0) $("issues-box").hidden = true;
  showDrift(result.drift);
  $("fields-box").hidden = !report.ok;
  $("code-box").hidden = !report.ok;
  $("key-box").hidden = result.eventKey === null;
  $("upgrade-box").hidden = result.upgraded === null;
  $("rows-box").hidden = !report.ok;
  if (!report.ok) {
    showSignature(null);
    showJump();
    return;
  }
  showFields(result.flat);
  showRows(result.rows, result.rowCount);
  $("csv-note").textContent = result.rowCount > 1 ? `(${plural(result.rowCount, "row")})` : "";
  $("event-key").textContent = result.eventKey ?? "";
  if (result.upgraded) {
    $("upgrade-from").textContent = `${KIND_NAMES[report.kind]}, as sent`;
    $("upgrade-to").textContent = $("upgrade-to-name").textContent = KIND_NAMES[result.upgradedKind];
    $("original").textContent = result.original.text;
    $("upgraded").textContent = result.upgraded.text;
    const cut = [result.original, result.upgraded].filter((t) => t.left > 0);
    $("compare-note").hidden = cut.length === 0;
    $("compare-note").replaceChildren();
    if (cut.length) richText($("compare-note"), `The first ${size(COMPARE_SHOWN)} of each are shown; \`leadhook upgrade\` gives all of it.`);
  }
  $("snippet").textContent = snippet($("platform").value, data.opts);
  showSignature(result.signature);
  showJump();
}

/** Links to the details shown now, by their headings. */
function showJump() {
  const links = [];
  for (const box of document.querySelectorAll(".output > div[id]")) {
    if (box.hidden) continue;
    const a = document.createElement("a");
    a.href = `#${box.id}`;
    a.textContent = box.querySelector("h3").textContent.replace(/ \(.*\)$/, "");
    links.push(a);
  }
  $("jump").replaceChildren(...links);
}

// ---------------------------------------------------------------------------------------------
// Events

for (const id of ["url", "headers", "secret"]) $(id).addEventListener("input", () => schedule(false));
for (const id of ["kind", "contentType", "strict"]) $(id).addEventListener("change", () => schedule());
$("platform").addEventListener("change", () => ($("snippet").textContent = snippet($("platform").value, options())));
for (const b of document.querySelectorAll("button.copy[data-copy]")) {
  b.addEventListener("click", () => copy($(b.dataset.copy).textContent, b));
}
$("more-issues").addEventListener("click", () => {
  issuesUnfolded = true;
  $("issues").classList.remove("folded");
  $("more-issues").hidden = true;
});
$("raise").addEventListener("click", () => {
  maxBytes = Number($("raise").dataset.to);
  showLimit();
  schedule();
});
$("limit-reset").addEventListener("click", () => {
  maxBytes = null;
  showLimit();
  schedule();
});

$("sample").addEventListener("change", () => {
  const s = samples[Number($("sample").value)];
  if (!s) return;
  setBody(s.body);
  $("url").value = s.url ?? "";
  $("contentType").value = s.contentType ?? "";
  $("kind").value = "";
  $("headers").value = s.headers ? Object.entries(s.headers).map(([k, v]) => `${k}: ${v}`).join("\n") : "";
  $("secret").value = s.signingSecret ?? "";
  schedule();
});

async function openFile(file) {
  if (!file) return;
  setBody(await file.text());
  schedule();
}
$("file").addEventListener("change", () => openFile($("file").files[0]));
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

// Ready: the tests wait for this. The worker starts now, so that the first body is read at once.
startWorker();
document.body.dataset.ready = "true";
schedule();
