// The bodies the runtime tests send (Node only): every case in tests/fixtures/, as raw bytes, with
// the options its NAME.expect.json gives. The same corpus tests/fixtures.rs and
// tests/node/fixtures.test.mjs check against the expected reports; the runtime tests check that
// every runtime answers exactly as Node does for it.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const fixturesDir = path.join(root, "tests", "fixtures");
export const pkgDir = path.join(root, "pkg");

if (!fs.existsSync(path.join(pkgDir, "package.json"))) {
  throw new Error("pkg/ is not built: run `bash scripts/build.sh` first");
}

/** [{ name: "kind/case", bytes: Uint8Array, opts, expect }] in a stable order. */
export function cases() {
  const out = [];
  for (const dir of fs.readdirSync(fixturesDir).sort()) {
    const full = path.join(fixturesDir, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    const files = fs.readdirSync(full).sort();
    for (const f of files.filter((f) => f.endsWith(".expect.json"))) {
      const stem = f.slice(0, -".expect.json".length);
      const bodies = files.filter((b) => b !== f && b.startsWith(stem + ".") && !b.endsWith(".expect.json"));
      if (bodies.length !== 1) throw new Error(`${dir}/${f}: expected one body file, found ${bodies.join(", ") || "none"}`);
      const expect = JSON.parse(fs.readFileSync(path.join(full, f), "utf8"));
      const bytes = new Uint8Array(fs.readFileSync(path.join(full, bodies[0])));
      out.push({ name: `${dir}/${stem}`, bytes, opts: expect.opts ?? {}, expect });
    }
  }
  if (out.length < 100) throw new Error(`only ${out.length} fixture cases in ${fixturesDir}`);
  return out;
}

/** The case called `name` ("leadsquared/form-encoded-content-type"). */
export function fixture(name) {
  const found = cases().find((c) => c.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

/**
 * Makes `leadhook` resolvable from `dir` as a user's project resolves it: `dir`/node_modules/leadhook
 * links to pkg/ (ignored by git). Safe when test files run in parallel.
 */
export function linkPackage(dir) {
  const link = path.join(dir, "node_modules", "leadhook");
  const linked = () => {
    try {
      return fs.realpathSync(link) === fs.realpathSync(pkgDir);
    } catch {
      return false;
    }
  };
  if (linked()) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true });
  try {
    fs.symlinkSync(pkgDir, link, "junction");
  } catch (e) {
    if (e.code !== "EEXIST" || !linked()) throw e;
  }
}

/** The conditions wrangler resolves packages with for a Worker. */
const WORKER_CONDITIONS = ["workerd", "worker", "browser", "import", "default"];

/** Resolves `exports[subpath]` of a package.json with `conditions`, as Node and bundlers do. */
export function resolveExports(pkg, subpath, conditions) {
  const pick = (target) => {
    if (typeof target === "string") return target;
    if (target === null || typeof target !== "object") return null;
    for (const [key, value] of Object.entries(target)) {
      if (conditions.includes(key)) {
        const got = pick(value);
        if (got !== null) return got;
      }
    }
    return null;
  };
  return pick(pkg.exports[subpath]);
}

const TYPES = { ".mjs": "ESModule", ".js": "ESModule", ".cjs": "CommonJS", ".wasm": "CompiledWasm" };
const STATIC_IMPORTS = /(?:^|[;\s])(?:import|export)\s*(?:[\w*${}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/gm;

/**
 * The Worker's modules: the test Worker, and the package as it sits in a project's node_modules,
 * reached from the entry its exports map gives for workerd; `leadhook` itself is a module that
 * re-exports that entry, which is what a bundler's resolution amounts to.
 */
export function workerModules(dir, worker, { inline = false, from = pkgDir, modulesRoot = root } = {}) {
  const pkgDir = from;
  const root = modulesRoot;
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const entry = resolveExports(pkg, ".", WORKER_CONDITIONS);
  assert.equal(entry, "./workerd.mjs", "the workerd condition resolves to the Workers entry");
  const modules = [];
  const seen = new Set();
  const add = (dir, file, name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const type = TYPES[path.extname(file)];
    assert.ok(type, `no module type for ${file}`);
    const contents = fs.readFileSync(path.join(dir, file));
    modules.push({ type, path: path.join(root, name), contents: type === "CompiledWasm" ? new Uint8Array(contents) : contents.toString("utf8") });
    if (type === "ESModule") {
      for (const [, spec] of contents.toString("utf8").matchAll(STATIC_IMPORTS)) {
        const target = path.posix.join(path.posix.dirname(file), spec);
        add(dir, target, path.posix.join(path.posix.dirname(name), spec));
      }
    }
  };
  add(dir, worker, worker);
  modules.push({ type: "ESModule", path: path.join(root, "leadhook"), contents: `export * from "./node_modules/leadhook/${entry.slice(2)}";\n` });
  add(pkgDir, entry.slice(2), `node_modules/leadhook/${entry.slice(2)}`);
  // leadhook/handler, resolved the same way.
  const handler = resolveExports(pkg, "./handler", WORKER_CONDITIONS).slice(2);
  const target = `../node_modules/leadhook/${handler}`;
  modules.push({ type: "ESModule", path: path.join(root, "leadhook/handler"), contents: `export * from "${target}";\nexport { default } from "${target}";\n` });
  add(pkgDir, handler, `node_modules/leadhook/${handler}`);
  // The inline file, which the test Worker only tries to import on /inline (see worker.mjs).
  if (inline) add(pkgDir, "dist/leadhook.inline.mjs", "node_modules/leadhook/dist/leadhook.inline.mjs");
  return modules;
}

