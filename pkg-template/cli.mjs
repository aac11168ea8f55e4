#!/usr/bin/env node
// leadhook's command line: npx leadhook <command> [FILE|-] [--kind K] [--strict] [--url U]
// [--content-type T] [--json]. Exit codes: 0 a valid payload (or a command done), 1 an invalid
// one (the report on standard error, or as JSON on standard output with --json), 2 a usage
// error (one line, and a pointer to --help).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
// Node runs the command itself: the entry that reads leadhook_bg.wasm (see package.json).
import * as leadhook from "./dist/leadhook.node.mjs";
import { createRequire } from "node:module";
import { samples } from "./samples.mjs";
import { SCHEMA, STATES, sqlStore, sqliteDatabase } from "./store.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const COMMANDS = ["detect", "validate", "flatten", "rows", "csv", "upgrade", "key", "sample", "preview", "deliveries", "replay", "drift", "init"];
const USAGE = `usage: leadhook <command> [FILE|-] [options]

commands:
  detect     the payload's kind
  validate   every issue; exit 1 when there is an error
  flatten    the flat record, as JSON
  rows       the rows, as JSON
  csv        the rows as CSV
  upgrade    a Leadsie v1 payload in the v2 shape
  key        the event's idempotency key (eventKey)
  sample KIND [EVENT|NAME]   a realistic body of that kind (and event, or the sample of that name)
  preview [--port N]    the previewer page on 127.0.0.1
  deliveries [--store FILE] [--state S] [--limit N]   the receiver's events, newest first
                        (states: ${STATES.join(", ")})
  replay KEY… | --dead [--store FILE]   forward those events again (a running receiver picks
                        them up within a second; a stopped one when it starts)
  drift [--store FILE] [FILE…]   what live deliveries show that the tables do not document:
                        from the receiver's store, or from payload files read strictly
  init worker [DIR]     a Cloudflare Worker receiver (Queues, D1) on this leadhook version

options:
  --kind K            read the payload as K (${leadhook.kinds().join(", ")})
  --strict            unknown values and wrong types in optional fields are errors
  --url U             the request URL (LeadSquared's eventType is read from it)
  --content-type T    the request's Content-Type
  --header "N: V"     a request header (for key), repeatable
  --json              reports as JSON on standard output (deliveries: the events as JSON)
  --store FILE        the receiver's store (default leadhook.db)
  --max-bytes N       refuse bodies over N bytes (default 5 MiB)
  --version           the version
  --help              this text
Options take their value after a space or an = (--kind=leadsquared).
FILE defaults to standard input (-). validate and detect take several FILEs: one line each,
exit 1 when any is invalid.
Exit codes: 0 valid (or done), 1 invalid, 2 a usage error.`;

/** What follows a usage error's one line: where the rest is. */
const HINT = "usage: leadhook <command> [FILE|-] [options]; run `leadhook --help` for the list";

class Usage extends Error {}

function parseArgs(argv) {
  const args = { positional: [], opts: {}, headers: {}, json: false, port: 0, store: "leadhook.db", state: null, limit: 50, dead: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    // `--opt=value` as well as `--opt value`.
    const eq = argv[i].startsWith("--") ? argv[i].indexOf("=") : -1;
    const a = eq > 0 ? argv[i].slice(0, eq) : argv[i];
    const value = () => {
      const v = eq > 0 ? argv[i].slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Usage(`${a} needs a value`);
      return v;
    };
    const number = (max = Number.MAX_SAFE_INTEGER) => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Usage(`${a} needs a whole number, got ${JSON.stringify(v)}`);
      if (Number(v) > max) throw new Usage(`${a} is at most ${max}, got ${v}`);
      return Number(v);
    };
    if (a === "--kind") args.opts.kind = value();
    else if (a === "--strict") args.opts.strict = true;
    else if (a === "--url") args.opts.url = value();
    else if (a === "--content-type") args.opts.contentType = value();
    else if (a === "--json") args.json = true;
    else if (a === "--port") args.port = number(65535);
    else if (a === "--max-bytes") args.opts.maxBytes = number();
    else if (a === "--store") args.store = value();
    else if (a === "--state") args.state = value();
    else if (a === "--limit") args.limit = number();
    else if (a === "--dead") args.dead = true;
    else if (a === "--header") {
      const h = value();
      const at = h.indexOf(":");
      if (at < 1) throw new Usage(`--header wants "Name: value", got ${JSON.stringify(h)}`);
      args.headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
    } else if (a === "-h" || a === "--help") args.help = true;
    else if (a === "--version") args.version = true;
    else if (a.startsWith("--") || (a.startsWith("-") && a !== "-")) throw new Usage(`unknown option ${a}`);
    else args.positional.push(a);
  }
  if (args.opts.kind !== undefined && !leadhook.kinds().includes(args.opts.kind)) {
    throw new Usage(`--kind must be one of ${leadhook.kinds().join(", ")}`);
  }
  return args;
}

/** Why a file cannot be read, in words. */
const CANNOT = { ENOENT: "no such file", EISDIR: "it is a directory", EACCES: "permission denied" };

/** A FILE's bytes, or standard input's for none or `-`. */
async function readInput(file) {
  if (file === undefined || file === "-") {
    // Waiting for a terminal to type a body would look like a hang.
    if (process.stdin.isTTY) throw new Usage("no FILE given, and standard input is a terminal: give a FILE, or pipe a body in");
    // As a stream: a pipe a parent process has not written to yet may be non-blocking, and a
    // read of it at once (fs.readFileSync(0)) fails with EAGAIN.
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Usage(`cannot read ${file}: ${CANNOT[error.code] ?? error.code ?? error.message}`);
  }
}

/** A report for people: one line per issue. */
function human(report) {
  const lines = [];
  const what = report.kind ? `${report.kind} payload` : "payload of no known kind";
  lines.push(report.ok ? `valid ${what}` : `invalid ${what}: ${report.errors.length} error(s), ${report.warnings.length} warning(s)`);
  for (const [level, list] of [["error", report.errors], ["warning", report.warnings]]) {
    for (const i of list) lines.push(`  ${level} ${i.code} at ${i.path === "" ? "(whole body)" : i.path}: ${i.message}`);
  }
  return lines.join("\n") + "\n";
}

const out = (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n");

async function main(argv) {
  const [command, ...rest] = argv;
  // No command at all is a usage error: the whole usage, on standard error.
  if (command === undefined) throw new Usage("");
  if (command === "help" || command === "-h" || command === "--help") return help();
  if (command === "--version" || command === "-v" || command === "version") return version();
  if (!COMMANDS.includes(command)) throw new Usage(`unknown command ${JSON.stringify(command)}`);
  const args = parseArgs(rest);
  // `leadhook validate --help` is asked, not mistaken.
  if (args.help) return help();
  if (args.version) return version();
  if (command === "sample") return sample(args);
  if (command === "preview") return preview(args);
  if (command === "deliveries") return deliveries(args);
  if (command === "replay") return replay(args);
  if (command === "drift") return drift(args);
  if (command === "init") return init(args);
  if (args.positional.filter((f) => f === "-").length > 1) throw new Usage("standard input (-) can be read only once");
  if (args.positional.length > 1 && (command === "validate" || command === "detect")) return each(command, args);
  if (args.positional.length > 1) throw new Usage(`${command} takes one FILE, got ${args.positional.length} (validate and detect take several)`);
  const input = await readInput(args.positional[0]);
  const report = leadhook.validate(input, args.opts);
  const failed = () => {
    tell(report, args);
    return 1;
  };
  switch (command) {
    case "detect": {
      const kind = leadhook.detect(input, args.opts);
      out(args.json ? JSON.stringify({ kind }) : String(kind));
      return report.kind === null ? 1 : 0;
    }
    case "validate":
      tell(report, args);
      return report.ok ? 0 : 1;
    case "key": {
      if (!report.ok) return failed();
      out(leadhook.eventKey(input, { ...args.opts, headers: args.headers }));
      return 0;
    }
    default: {
      if (!report.ok) return failed();
      const run = { flatten: leadhook.flatten, rows: leadhook.rows, csv: leadhook.toCsv, upgrade: leadhook.upgrade }[command];
      let result;
      try {
        result = run(input, args.opts);
      } catch (error) {
        if (error instanceof leadhook.LeadhookError) {
          tell(error.report, args);
          return 1;
        }
        throw error;
      }
      process.stdout.write(command === "csv" ? result : JSON.stringify(result, null, 2) + "\n");
      return 0;
    }
  }
}

/** A report: for people on standard error, or as JSON on standard output with `--json`. */
function tell(report, args) {
  if (args.json) out(JSON.stringify(report));
  else process.stderr.write(human(report));
}

function help() {
  out(USAGE);
  return 0;
}

function version() {
  out(JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8")).version);
  return 0;
}

/**
 * `validate` or `detect` of several files: one line each (with `--json`, one JSON object each,
 * on standard output); exit 1 when any is invalid, 2 when any cannot be read (the others are
 * still read).
 */
async function each(command, args) {
  let code = 0;
  for (const file of args.positional) {
    let input;
    try {
      input = await readInput(file);
    } catch (error) {
      if (!(error instanceof Usage)) throw error;
      process.stderr.write(`leadhook: ${error.message}\n`);
      code = 2;
      continue;
    }
    const report = leadhook.validate(input, args.opts);
    if (code === 0 && (command === "detect" ? report.kind === null : !report.ok)) code = 1;
    if (command === "detect") out(args.json ? JSON.stringify({ file, kind: report.kind }) : `${file}: ${report.kind}`);
    else if (args.json) out(JSON.stringify({ file, ...report }));
    else process.stderr.write(`${file}: ${human(report).split("\n")[0]}\n`);
  }
  return code;
}

/** `sample KIND [EVENT|NAME]`: the first valid sample of the kind (and event, or of that name). */
function sample(args) {
  const [kind, event] = args.positional;
  if (!leadhook.kinds().includes(kind)) throw new Usage(`sample KIND [EVENT]: KIND is one of ${leadhook.kinds().join(", ")}`);
  const ofKind = samples.filter((s) => s.kind === kind && s.valid);
  // A lead event names its event in the body; a LeadSquared one in its URL's eventType.
  const eventOf = (s) => {
    if (s.url) return leadhook.parseEventType(s.url).eventType || undefined;
    try {
      return JSON.parse(s.body).event;
    } catch {
      return undefined;
    }
  };
  const nameOf = (s) => s.name.slice(s.name.indexOf("/") + 1);
  const found = event === undefined ? ofKind[0] : ofKind.find((s) => eventOf(s) === event || nameOf(s) === event);
  if (!found) {
    const events = [...new Set(ofKind.map(eventOf).filter(Boolean))];
    const choices = [events.length ? `events with one: ${events.join(", ")}` : "", `samples: ${ofKind.map(nameOf).join(", ")}`].filter(Boolean);
    throw new Usage(`no ${kind} sample${event ? ` of ${event}` : ""}; ${choices.join("; ")}`);
  }
  out(found.body);
  return 0;
}

/** The receiver's store file, which must exist (a new empty one would only mislead). */
function openStore(args) {
  if (!fs.existsSync(args.store)) throw new Usage(`no store at ${args.store} (give the receiver's with --store FILE)`);
  return sqlStore(sqliteDatabase(args.store, createRequire(import.meta.url)), { name: args.store });
}

/** `deliveries`: the store's events, newest first, as a table or JSON. */
async function deliveries(args) {
  if (args.state !== null && !STATES.includes(args.state)) throw new Usage(`--state must be one of ${STATES.join(", ")}`);
  if (!(args.limit >= 1)) throw new Usage("--limit must be a positive number");
  const store = openStore(args);
  try {
    const events = await store.list({ state: args.state, limit: Math.floor(args.limit) });
    if (args.json) {
      out(JSON.stringify({ counts: await store.counts(), events }, null, 2));
      return 0;
    }
    const counts = await store.counts();
    out(Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", "));
    for (const e of events) {
      const dup = e.duplicates > 0 ? ` (delivered ${e.duplicates + 1} times)` : "";
      const why = e.lastError ? `  last error: ${e.lastError}` : "";
      out(`${e.receivedAt}  ${e.state.padEnd(9)} ${e.kind.padEnd(13)} ${e.eventKey}  tries ${e.tries}${dup}${why}`);
    }
    return 0;
  } finally {
    store.close();
  }
}

/** `replay KEY… | --dead`: makes those events due again. */
async function replay(args) {
  if (args.dead === (args.positional.length > 0)) throw new Usage("replay takes event keys, or --dead (every dead letter)");
  const store = openStore(args);
  try {
    const replayed = await store.replay(args.dead ? "dead" : args.positional, Date.now());
    const missing = args.dead ? [] : args.positional.filter((k) => !replayed.includes(k));
    out(`${replayed.length} event(s) to be forwarded again${replayed.length ? ": " + replayed.join(", ") : ""}`);
    if (missing.length) process.stderr.write(`leadhook: not in the store: ${missing.join(", ")}\n`);
    return missing.length ? 1 : 0;
  } finally {
    store.close();
  }
}

/** `drift`: per kind, the undocumented paths and codes seen, with counts; never a value. */
async function drift(args) {
  let byKind;
  if (args.positional.length > 0) {
    const reports = [];
    for (const file of args.positional) reports.push(leadhook.validate(await readInput(file), { ...args.opts, strict: true }));
    byKind = Object.fromEntries(Object.entries(leadhook.drift(reports)).map(([kind, d]) => [kind, d.fields]));
  } else {
    const store = openStore(args);
    try {
      byKind = await store.drift();
    } finally {
      store.close();
    }
  }
  if (args.json) {
    out(JSON.stringify(byKind, null, 2));
    return 0;
  }
  const kinds = Object.keys(byKind);
  if (kinds.length === 0) out("no drift: every delivery matched the documented format");
  for (const kind of kinds) {
    out(kind);
    for (const f of byKind[kind]) {
      const when = f.firstSeen ? `  first ${f.firstSeen}, last ${f.lastSeen}` : "";
      out(`  ${String(f.count).padStart(6)}  ${f.code.padEnd(16)} ${f.path || "(whole body)"}${when}`);
    }
  }
  return 0;
}

/** `init worker [DIR]`: the Worker receiver (pkg/worker/), on this version of leadhook. */
function init(args) {
  const [what, dir = "leadhook-worker"] = args.positional;
  if (what !== "worker" || args.positional.length > 2) throw new Usage("init worker [DIR]");
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Usage(`${dir} exists and is not empty`);
  const { version } = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"));
  const template = path.join(here, "worker");
  const files = {
    "package.json": JSON.stringify({
      name: path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, "-") || "leadhook-worker",
      private: true,
      type: "module",
      scripts: { dev: "wrangler dev", deploy: "wrangler deploy", migrate: "wrangler d1 migrations apply leadhook --local" },
      dependencies: { leadhook: `^${version}` },
      devDependencies: { wrangler: "^4" },
    }, null, 2) + "\n",
    "migrations/0001_leadhook.sql": `-- The receiver's store (leadhook's store.js, SCHEMA): \`wrangler d1 migrations apply leadhook\`.\n${SCHEMA}`,
    ".gitignore": "node_modules/\n.wrangler/\n.dev.vars\n",
  };
  for (const f of ["src/index.mjs", "wrangler.toml", ".dev.vars.example", "README.md"]) files[f] = fs.readFileSync(path.join(template, f), "utf8");
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  out(`a leadhook ${version} Worker in ${dir}/:\n${Object.keys(files).sort().map((f) => `  ${f}`).join("\n")}\nnext: cd ${dir} && npm install && cp .dev.vars.example .dev.vars && npm run migrate && npx wrangler dev`);
  return 0;
}

/** `preview`: serves the package's previewer page on 127.0.0.1 until interrupted. */
async function preview(args) {
  const { serve } = await import("./preview/serve.mjs");
  try {
    const { url } = await serve(here, args.port);
    out(`leadhook previewer: ${url}/preview/  (Ctrl-C to stop)`);
  } catch (error) {
    if (error.code !== "EADDRINUSE") throw error;
    throw new Usage(`port ${args.port} is in use; give another with --port (0 for any free port)`);
  }
  return null; // keeps running
}

// A reader that stops early (`leadhook csv big.json | head`) is no error.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

try {
  const code = await main(process.argv.slice(2));
  if (code !== null) process.exitCode = code;
} catch (error) {
  if (!(error instanceof Usage)) throw error;
  // The whole usage with no command at all; after a mistake, the mistake and where the rest is.
  process.stderr.write(error.message ? `leadhook: ${error.message}\n${HINT}\n` : `${USAGE}\n`);
  process.exitCode = 2;
}
