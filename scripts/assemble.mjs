// Assembles the npm package in STAGE from the build's outputs in WORK (cargo xtask build-wasm,
// payload-types, senders, schemas) and pkg-template/: the entries, receiver.cjs and store.cjs,
// samples, the previewer, the inline files and the Node files, each checked; then a smoke test
// of every entry Node can load. scripts/build.sh runs it; `sizes` writes docs/size.md's table
// of the built pkg/'s files.
//
//   node scripts/assemble.mjs package WORK STAGE
//   node scripts/assemble.mjs sizes
//
// pkg/api.js (pkg-template/api/ bundled by esbuild), receiver.js and store.js are plain ES modules
// whose only export is one `export { a, b };` statement at the end and which import nothing;
// anything else fails the build rather than producing a wrong file.
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const templates = path.join(ROOT, "pkg-template");
const fail = (msg) => {
  console.error(`build: ${msg}`);
  process.exit(1);
};

/** Replaces the one line of FILE that holds `marker` with `line`. */
function fillLine(file, marker, line, out = file) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const at = lines.findIndex((l) => l.includes(marker));
  if (at < 0 || lines.findIndex((l, i) => i > at && l.includes(marker)) >= 0) fail(`${file}: needs one ${marker} line`);
  lines[at] = line;
  fs.writeFileSync(out, lines.join("\n"));
}

/**
 * Each glue gets `renew()`: a fresh instance of the module it loaded, which createApi runs on
 * after a trap, or to give back the memory of a large call (pkg-template/api/index.js). wasm-bindgen's
 * initSync does nothing once an instance exists, so renew forgets the old one first.
 */
function addRenew(web, noModules) {
  const RENEW = "function renew() {\n  wasm = undefined;\n  return initSync({ module: wasmModule });\n}\n";
  const patch = (file, find, replacement) => {
    const text = fs.readFileSync(file, "utf8");
    for (const needed of ["let wasmModule, wasmInstance, wasm;", find]) {
      if (text.split(needed).length !== 2) {
        fail(`${file} is not the glue this build expects: no single \`${needed}\``);
      }
    }
    fs.writeFileSync(file, text.replace(find, RENEW + replacement));
  };
  patch(web, "export { initSync, __wbg_init as default };", "export { initSync, renew, __wbg_init as default };");
  patch(noModules, "return Object.assign(__wbg_init, { initSync }, exports);", "return Object.assign(__wbg_init, { initSync, renew }, exports);");
}

/** The files copied as they are, and those filled in from the core's tables. */
function copyAndFill(work, stage) {
  fs.copyFileSync(path.join(work, "web/leadhook_bg.wasm"), path.join(stage, "leadhook_bg.wasm"));
  fs.copyFileSync(path.join(work, "web/leadhook.js"), path.join(stage, "leadhook.js"));
  for (const f of ["store.js", "node-http.mjs", "cli.mjs", "browser-require.cjs", "handler.d.ts", "node-http.d.ts", "LICENSE", "package.json"]) {
    fs.copyFileSync(path.join(templates, f), path.join(stage, f));
  }
  // The README's links to the checkout's docs/ and ARCHITECTURE.md, which the package does not
  // carry, point into the repository instead, so that they work where the package is installed.
  const { repository } = JSON.parse(fs.readFileSync(path.join(templates, "package.json"), "utf8"));
  const browse = repository.url.replace(/^git\+/, "").replace(/\.git$/, "") + "/blob/main/";
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").replace(/\]\((?![a-z]+:|#)([^)]+)\)/g, (_, target) => `](${browse}${target})`);
  fs.writeFileSync(path.join(stage, "README.md"), readme);
  fs.chmodSync(path.join(stage, "cli.mjs"), 0o755);
  // The payload types, Kind and IssueCode come from the core (xtask/src/typescript.rs).
  const types = fs.readFileSync(path.join(work, "payload-types.d.ts"), "utf8").trimEnd();
  const dts = fs.readFileSync(path.join(templates, "index.d.ts"), "utf8");
  if (dts.split("/* @payload-types */").length !== 2) fail("index.d.ts: needs one /* @payload-types */ line");
  fs.writeFileSync(path.join(stage, "index.d.ts"), dts.replace("/* @payload-types */", types));
  fs.copyFileSync(path.join(stage, "index.d.ts"), path.join(stage, "index.d.cts"));
  // Each kind's JSON Schema (cargo xtask schemas): schemas/<kind>.json, and the API's table, in
  // api.js as bundled from pkg-template/api/.
  fs.cpSync(path.join(work, "schemas"), path.join(stage, "schemas"), { recursive: true });
  const schemas = Object.fromEntries(fs.readdirSync(path.join(stage, "schemas")).sort().map((f) => [
    f.replace(/\.json$/, ""),
    JSON.stringify(JSON.parse(fs.readFileSync(path.join(stage, "schemas", f), "utf8"))),
  ]));
  const fromCore = (file) => fs.readFileSync(path.join(work, file), "utf8").trim();
  bundleApi(work, stage, {
    "/* @schemas */": `const SCHEMAS = ${JSON.stringify(schemas)};`,
    "/* @defaults */": `const DEFAULTS = ${fromCore("defaults.json")};`,
    "/* @kinds */": `const KINDS = Object.freeze(${fromCore("kinds.json")});`,
  });
  // Each sender's manners (crates/leadhook/src/kinds/sender.rs, cargo xtask senders), into receiver.js.
  const senders = fs.readFileSync(path.join(work, "senders.js"), "utf8").trimEnd();
  fillLine(path.join(templates, "receiver.js"), "/* @senders */", `const SENDERS = ${senders};`, path.join(stage, "receiver.js"));
  // The Worker that `leadhook init worker` writes out: worker/ as the tests run it.
  fs.mkdirSync(path.join(stage, "worker/src"), { recursive: true });
  for (const f of ["src/index.mjs", "wrangler.toml", ".dev.vars.example", "README.md"]) {
    fs.copyFileSync(path.join(ROOT, "worker", f), path.join(stage, "worker", f));
  }
  fs.mkdirSync(path.join(stage, "dist"), { recursive: true });
}

/**
 * api.js: the files of pkg-template/api/ bundled into one by esbuild, what the core's build-time
 * tasks wrote filled in first (`lines`, each on its marked line of a copy of from-core.js in WORK). Not minified, but
 * without the files' comments (esbuild keeps none but a few in class bodies): each part opens with
 * its file's path, under a one-line header (pkg-template/api/index.js explains the raw exports). The
 * bundle stays what the rest of the build takes: a plain ES module that imports nothing and ends in
 * its one `export { a, b };` line (withoutExport checks it), which the inline files take the code of.
 * Every function keeps its name, for stack traces: a declaration esbuild had to rename (two files
 * declaring the same name, or a class that names itself in its body) fails the build.
 */
function bundleApi(work, stage, lines) {
  const sources = path.join(work, "pkg-template", "api");
  fs.rmSync(sources, { recursive: true, force: true });
  fs.cpSync(path.join(templates, "api"), sources, { recursive: true });
  for (const [mark, line] of Object.entries(lines)) fillLine(path.join(sources, "from-core.js"), mark, line);
  const { outputFiles, warnings } = require("esbuild").buildSync({
    absWorkingDir: work, // so that each file's opening comment is its path: `// pkg-template/api/body.js`
    entryPoints: ["pkg-template/api/index.js"],
    bundle: true,
    format: "esm",
    minify: false,
    write: false,
    logLevel: "silent",
    banner: { js: "// leadhook's public API on the raw WebAssembly exports: pkg-template/api/ (with its comments) bundled by scripts/assemble.mjs; do not edit." },
  });
  if (warnings.length > 0) fail(`esbuild, bundling pkg-template/api/: ${warnings.map((w) => w.text).join("; ")}`);
  let code = outputFiles[0].text;
  // esbuild writes the export statement over several lines: on one, as withoutExport reads it.
  const m = /\nexport \{([\w\s,]+)\};\n$/.exec(code);
  if (!m) fail("the bundled api.js does not end in an `export { … };` statement");
  code = `${code.slice(0, m.index)}\nexport { ${m[1].split(",").map((n) => n.trim()).filter(Boolean).join(", ")} };\n`;
  // The names of functions and classes, declared or bound (`const f = (…) =>`), in the bundle must
  // be those of the files (esbuild also renames variables that a nested scope shadows, which no
  // stack shows).
  const names = (text) => new Set([...text.matchAll(
    /\b(?:function|class)\s+(?!extends\b)([\w$]+)|\b(?:const|let|var)\s+([\w$]+)\s*=\s*(?=class\b|function\b|(?:\([^()]*\)|[\w$]+)\s*=>)/g,
  )].map((m) => m[1] ?? m[2]));
  const declared = names(fs.readdirSync(sources).map((f) => fs.readFileSync(path.join(sources, f), "utf8")).join("\n"));
  for (const name of names(code)) {
    if (!declared.has(name)) fail(`the bundled api.js names a function ${name}, a name esbuild made up: two files of pkg-template/api/ declare the same name, or a class names itself in its body`);
  }
  fs.writeFileSync(path.join(stage, "api.js"), code);
}

/** The code-step recipes (examples/recipes/), in the order the docs give them. Pipedream's step
 * imports the package; the others have the inline file pasted above them. */
const recipes = [
  { platform: "Zapier", file: "zapier.js", pasted: true },
  { platform: "Make", file: "make.js", pasted: true },
  { platform: "n8n", file: "n8n.js", pasted: true },
  { platform: "Pipedream", file: "pipedream.mjs", pasted: false },
].map(({ platform, file, pasted }) => ({ platform, pasted, code: fs.readFileSync(path.join(ROOT, "examples/recipes", file), "utf8") }));

/** The version, from Cargo.toml. */
function version() {
  const meta = JSON.parse(execFileSync("cargo", ["metadata", "--no-deps", "--format-version", "1", "--offline"], { cwd: ROOT, encoding: "utf8" }));
  const p = meta.packages.find((p) => p.name === "leadhook");
  if (!p) fail("no package leadhook in cargo metadata");
  return p.version;
}

/** The entries, receiver.cjs and store.cjs, samples, the previewer, the inline and Node files, package.json. */
function entries(stage, version, noModulesGlue) {

  // The code of FILE.js (api.js, receiver.js) without its export statement, and the names that
  // statement exports: FILE.js must be a plain ES module that imports nothing and ends in its one
  // `export { a, b };`.
  const withoutExport = (file) => {
    const src = fs.readFileSync(path.join(stage, file), "utf8");
    const lines = src.split("\n");
    const exportLines = lines.map((l, i) => [l, i]).filter(([l]) => /^\s*export\b/.test(l));
    if (exportLines.length !== 1) fail(`${file} must have exactly one export statement, found ${exportLines.length}`);
    const [exportLine, at] = exportLines[0];
    const m = /^export \{([\w\s,]+)\};?\s*$/.exec(exportLine);
    if (!m) fail(`${file}: the export statement must be \`export { a, b };\`, got: ${exportLine}`);
    if (lines.slice(at + 1).some((l) => l.trim() !== "")) fail(`${file}: the export statement must be the last line`);
    const code = src.replace(/(^|\s)\/\/.*$/gm, "$1");
    if (/^\s*import\b|\bimport\s*\(|\bimport\.meta\b|\brequire\s*\(/m.test(code)) fail(`${file} must not import or require anything`);
    const names = m[1].split(",").map((s) => s.trim()).filter(Boolean);
    return { body: lines.slice(0, at).join("\n").replace(/\s+$/, ""), names };
  };
  // receiver.cjs and store.cjs (leadhook/handler for require) from receiver.js and store.js.
  for (const file of ["receiver", "store"]) {
    const { body, names } = withoutExport(`${file}.js`);
    const cjs =
      `// Generated by scripts/build.sh from ${file}.js; do not edit.\n"use strict";\n\n` +
      body + "\n\n" + names.map((n) => `exports.${n} = ${n};`).join("\n") + "\n";
    fs.writeFileSync(path.join(stage, `${file}.cjs`), cjs);
  }
  const { body } = withoutExport("api.js");

  // The no-modules glue, which the inline files are made of: a plain script that defines
  // `wasm_bindgen`.
  const glue = fs.readFileSync(noModulesGlue, "utf8");
  if (!/^let wasm_bindgen = \(function\(exports\) \{/.test(glue) || /\bimport\.meta\b|\brequire\s*\(|^\s*(import|export)\b/m.test(glue)) {
    fail("the no-modules glue is not the plain script this build expects (`let wasm_bindgen = (function(exports) {…`, no import/export/require)");
  }

  // The names every entry exports: what createApi returns, read from the API itself (built here as
  // the inline files build it: api.js's code on the no-modules glue), so that no entry lists them
  // by hand.
  const wasmBindgen = new Function(`${glue}\nreturn wasm_bindgen;`)();
  const { memory } = wasmBindgen.initSync({ module: fs.readFileSync(path.join(stage, "leadhook_bg.wasm")) });
  const api = new Function(`${body}\nreturn createApi;`)()(wasmBindgen, memory, wasmBindgen.renew);
  const apiNames = Object.keys(api);
  if (api.LeadhookError.name !== "LeadhookError") fail(`createApi's LeadhookError is named ${api.LeadhookError.name}`);
  for (const n of apiNames) {
    if (!/^[A-Za-z_$][\w$]*$/.test(n) || n === "default") fail(`createApi returns a key that cannot be an export name: "${n}"`);
  }
  // Each name on its own, and the whole API as the default export (`import leadhook from "leadhook"`).
  const exportsOf = (from) => `export const { ${apiNames.join(", ")} } = ${from};\nexport default ${from};`;

  // Replaces the one line of `text` that holds `marker` (its only occurrence) with `replacement`.
  const fill = (text, marker, replacement, file) => {
    const at = text.split(marker);
    if (at.length !== 2) fail(`${file}: expected ${marker} exactly once, found it ${at.length - 1} times`);
    const start = at[0].lastIndexOf("\n") + 1;
    const end = text.indexOf("\n", at[0].length);
    return text.slice(0, start) + replacement + text.slice(end === -1 ? text.length : end);
  };

  // The runtime entries: each template's `/* @exports */` line becomes every name createApi returns.
  for (const entry of ["browser.mjs", "workerd.mjs"]) {
    const text = fs.readFileSync(path.join(templates, entry), "utf8");
    fs.writeFileSync(path.join(stage, entry), fill(text, "/* @exports */", exportsOf("api"), entry));
  }
  {
    fs.copyFileSync(path.join(templates, "node.mjs"), path.join(stage, "node.mjs"));
    const text = fs.readFileSync(path.join(templates, "node.cjs"), "utf8");
    const lines = apiNames.map((n) => `exports.${n} = api.${n};`).join("\n") + "\nexports.default = api;";
    fs.writeFileSync(path.join(stage, "node.cjs"), fill(text, "/* @exports */", lines, "node.cjs"));
  }

  // leadhook/handler: one file per runtime, each on its own entry; and CommonJS for Node.
  {
    const template = fs.readFileSync(path.join(templates, "handler.mjs"), "utf8");
    // Node's own require, to open SQLite and node:http: webpack rewrites `require` and
    // `createRequire(import.meta.url)` into its own, which finds no module it did not bundle,
    // and names Node's own `__non_webpack_require__`.
    const nodeRequire = (otherwise) => `const load = typeof __non_webpack_require__ === "function" ? __non_webpack_require__ : ${otherwise};`;
    const NODE_PLATFORM = `import { createRequire } from "node:module"; ${nodeRequire("createRequire(import.meta.url)")}`;
    const handler = (entry, platform) =>
      fill(fill(template, "// @entry", `import * as api from "./${entry}";`, "handler.mjs"), "// @platform", platform, "handler.mjs");
    for (const [runtime, entry] of [["node", "node.mjs"], ["workerd", "workerd.mjs"], ["browser", "browser.mjs"]]) {
      fs.writeFileSync(path.join(stage, `handler.${runtime}.mjs`), handler(entry, runtime === "node" ? NODE_PLATFORM : "const load = null;"));
    }
    const cjs = (entry, dir) =>
      '// leadhook/handler for require(): createHandler on the Node entry.\n"use strict";\n\n' +
      `const api = require("${entry}");\nconst { createReceiver } = require("${dir}receiver.cjs");\nconst stores = require("${dir}store.cjs");\n\n` +
      `${nodeRequire("require")}\n` +
      "exports.createHandler = createReceiver(api, { stores, load });\nexports.default = exports.createHandler;\n";
    fs.writeFileSync(path.join(stage, "handler.node.cjs"), cjs("./node.cjs", "./"));
    // The same on dist/leadhook.node.* (see above), for Node running the package itself; and
    // leadhook/node on that handler (node-http.mjs imports ./handler.node.mjs, beside it in dist/).
    let mjs = handler("leadhook.node.mjs", NODE_PLATFORM);
    for (const file of ["receiver.js", "store.js"]) {
      if (mjs.split(`from "./${file}"`).length !== 2) fail(`handler.mjs: expected one import of ./${file}`);
      mjs = mjs.replace(`from "./${file}"`, `from "../${file}"`);
    }
    fs.writeFileSync(path.join(stage, "dist", "handler.node.mjs"), mjs);
    fs.writeFileSync(path.join(stage, "dist", "handler.node.cjs"), cjs("./leadhook.node.cjs", "../"));
    fs.copyFileSync(path.join(templates, "node-http.mjs"), path.join(stage, "dist", "node-http.mjs"));
    // leadhook/node for require() (a Node service bundled as CommonJS), on the handler's
    // CommonJS file beside it: the same source, converted.
    const source = fs.readFileSync(path.join(templates, "node-http.mjs"), "utf8");
    if (source.split('from "./handler.node.mjs"').length !== 2) fail("node-http.mjs: expected one import of ./handler.node.mjs");
    const { code } = require("esbuild").transformSync(source.replace('from "./handler.node.mjs"', 'from "./handler.node.cjs"'), { format: "cjs", target: "es2020" });
    const nodeHttpCjs = "// Generated by scripts/build.sh from pkg-template/node-http.mjs; do not edit.\n" + code;
    fs.writeFileSync(path.join(stage, "node-http.cjs"), nodeHttpCjs);
    fs.writeFileSync(path.join(stage, "dist", "node-http.cjs"), nodeHttpCjs);
    fs.copyFileSync(path.join(stage, "node-http.d.ts"), path.join(stage, "node-http.d.cts"));
  }

  // samples.mjs (leadhook/samples): realistic bodies of every kind, valid and broken, taken from the
  // fixtures that pkg-template/samples.json names (the tests' own bodies, so they cannot drift).
  // A signed one gets a demonstration secret and headers signed with it, as the sender would.
  {
  
    const list = JSON.parse(fs.readFileSync(path.join(templates, "samples.json"), "utf8"));
    const fixtures = path.join(templates, "..", "tests", "fixtures");
    const samples = list.map(({ fixture, label, url, contentType, sign }) => {
      const dir = path.join(fixtures, path.dirname(fixture));
      const file = fs.readdirSync(dir).find((f) => f.startsWith(path.basename(fixture) + ".") && !f.endsWith(".expect.json"));
      if (!file) fail(`samples.json: no fixture ${fixture}`);
      const body = fs.readFileSync(path.join(dir, file), "utf8");
      const expect = JSON.parse(fs.readFileSync(path.join(dir, path.basename(fixture) + ".expect.json"), "utf8"));
      const sample = { name: fixture, label, kind: expect.kind ?? null, valid: expect.ok === true, body };
      if (url) sample.url = url;
      if (contentType) sample.contentType = contentType;
      if (sign) {
        const secret = "whsec_preview_demo";
        const timestamp = "1773921600"; // the sample's own time: 2026-03-19T12:00:00Z
        const signature = crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
        sample.signingSecret = secret;
        sample.headers = { "X-Webhook-Signature": `sha256=${signature}`, "X-Webhook-Timestamp": timestamp, "X-Webhook-Delivery-Id": `dlv_${path.basename(fixture)}` };
      }
      return sample;
    });
    fs.writeFileSync(
      path.join(stage, "samples.mjs"),
      "// Generated by scripts/build.sh from pkg-template/samples.json and the test fixtures; do not edit.\n" +
        "/** Sample bodies of every kind, valid and broken: { name, label, kind, valid, body, url?, contentType?, headers?, signingSecret? }. */\n" +
        `export const samples = ${JSON.stringify(samples, null, 2)};\nexport default samples;\n`,
    );
    // The same for require(), which loads an ES module only from Node 20.19 on (engines says 20).
    fs.writeFileSync(
      path.join(stage, "samples.cjs"),
      "// Generated by scripts/build.sh from pkg-template/samples.json and the test fixtures; do not edit.\n" +
        `"use strict";\nconst samples = ${JSON.stringify(samples)};\nexports.samples = samples;\nexports.default = samples;\n`,
    );
    // samples.d.ts: the template, with the names of these samples.
    const dts = fs.readFileSync(path.join(templates, "samples.d.ts"), "utf8");
    if (dts.split(" /* @sample-names */").length !== 2) fail("samples.d.ts: needs one /* @sample-names */");
    const names = samples.map((s) => `\n  | ${JSON.stringify(s.name)}`).join("");
    fs.writeFileSync(path.join(stage, "samples.d.ts"), dts.replace(" /* @sample-names */", names));
  }

  // preview/: the previewer page (www/), which `leadhook preview` serves from the package; its
  // imports of ../pkg/X become ../X. And preview/serve.mjs, the same small static server. Its
  // code-step recipes, preview/recipes.js, are examples/recipes/ as they are (also in the inline
  // files' header): one text per platform, wherever a user meets it.
  {
    fs.mkdirSync(path.join(stage, "preview"), { recursive: true });
    fs.writeFileSync(
      path.join(stage, "preview", "recipes.js"),
      "// Generated by scripts/build.sh from examples/recipes/; do not edit.\n" +
        "/** The code-step recipe of each platform: { platform, pasted (the inline file goes above it), code }. */\n" +
        `export const recipes = ${JSON.stringify(recipes, null, 2)};\n`,
    );
    const www = path.join(templates, "..", "www");
    for (const file of fs.readdirSync(www)) {
      const text = fs.readFileSync(path.join(www, file), "utf8");
      const rewritten = text.replaceAll('"../pkg/', '"../');
      if (file.endsWith(".js") && /["']\.\.\/pkg\//.test(rewritten)) fail(`www/${file}: an import of ../pkg/ was left`);
      fs.writeFileSync(path.join(stage, "preview", file), rewritten);
    }
  }

  // dist/leadhook.inline.cjs and .mjs: one file, no imports, from the same api.js (the bundle). The
  // no-modules glue is a plain script that defines `wasm_bindgen`; api.js goes in as it is, minus its
  // export.
  const wasmBase64 = fs.readFileSync(path.join(stage, "leadhook_bg.wasm")).toString("base64");
  const indent = (text, by) => text.split("\n").map((l) => (l === "" ? l : by + l)).join("\n");
  let inline = fs.readFileSync(path.join(templates, "inline.js"), "utf8").replace("@version", version);
  const asComment = (code) => code.trimEnd().split("\n").map((l) => `//     ${l}`.trimEnd()).join("\n");
  inline = fill(inline, "/* @recipes */", recipes.filter((r) => r.pasted).map((r) => `//   ${r.platform}:\n${asComment(r.code)}`).join("\n"), "inline.js");
  inline = fill(inline, "/* @glue */", indent(glue.replace(/\s+$/, ""), "  "), "inline.js");
  inline = fill(inline, "/* @api */", indent(body, "    "), "inline.js");
  const withBytes = (source, before = "") => fill(inline, "/* @wasm */", `${before}  function wasmBytes() { return ${source}; }`, "inline.js");
  // The base64 is a variable of the file's outer function, which V8 compiles whole as it runs it:
  // inside wasmBytes, a function compiled only when called, its 290 KB were scanned twice, once
  // skimmed with the outer function and again when called (import and first call 0.8 ms later).
  const inlined = withBytes("fromBase64(wasmBase64)", `  var wasmBase64 = "${wasmBase64}";\n`);
  // Minified by esbuild, under the template's opening comment (what the file is, how to paste it):
  // Node imports and compiles the whole file before the first call, and the minified code starts
  // 1.2 ms sooner (40 fresh processes, both files in turn). The base64 stays as it is. Names and
  // syntax are minified, not the line breaks: an uncaught error prints the line it was thrown
  // from, which is then one short line rather than the whole file.
  const header = inline.slice(0, inline.indexOf("\nvar leadhook") + 1);
  if (!/^\/\/ leadhook /.test(header)) fail("inline.js must open with its comment, then `var leadhook`");
  const minified = (code, format, head = header) => {
    const { code: out } = require("esbuild").transformSync(code, { minifyIdentifiers: true, minifySyntax: true, format, target: "es2020" });
    // Pasted into a code step, the .cjs must still define `leadhook` in the step's scope.
    if (format === undefined && !/^var leadhook ?=/.test(out)) fail("the minified inline file lost its top-level `var leadhook`");
    return head + out;
  };
  const inlineCjs = minified(fill(inlined, "/* @tail */",
    'if (typeof module === "object" && module !== null && typeof module.exports === "object") module.exports = leadhook;',
    "inline.js"), undefined);
  const inlineMjs = minified(fill(inlined, "/* @tail */", exportsOf("leadhook"), "inline.js"), "esm");
  fs.writeFileSync(path.join(stage, "dist", "leadhook.inline.cjs"), inlineCjs);
  fs.writeFileSync(path.join(stage, "dist", "leadhook.inline.mjs"), inlineMjs);

  // dist/leadhook.node.mjs and .cjs: the same code with the module read from leadhook_bg.wasm, for
  // Node running the package itself (the "node-addons" condition, which bundlers do not apply; they
  // take node.mjs and node.cjs, the inline files). Not parsing and decoding 300 KB of base64 starts
  // it about 1.6 ms sooner (`import "leadhook"` and a first validate: 7.8-8.0 against 9.4-9.9 ms
  // with --no-addons, median of 11 fresh processes). Its handler and
  // node:http entries (dist/handler.node.*, dist/node-http.mjs) import it, so that a program that
  // imports several of the package's entries has one instance of the module.
  {
    const nodeHeader = (format) =>
      `// leadhook ${version}: the Node entry for ${format} when Node runs the package itself (the "node-addons"\n` +
      "// condition): the inline file's code with the WebAssembly module read from ../leadhook_bg.wasm.\n" +
      "// Generated by scripts/build.sh from pkg-template/inline.js; do not edit.\n";
    const esm = withBytes('readFileSync(new URL("../leadhook_bg.wasm", import.meta.url))');
    fs.writeFileSync(path.join(stage, "dist", "leadhook.node.mjs"), minified(
      'import { readFileSync } from "node:fs";\n' + fill(esm, "/* @tail */", exportsOf("leadhook"), "inline.js"), "esm", nodeHeader("import")));
    // As node.cjs does, one plain assignment per name, so that Node can also name them when ES
    // modules import this file.
    const cjs = withBytes('require("node:fs").readFileSync(require("node:path").join(__dirname, "..", "leadhook_bg.wasm"))');
    const names = apiNames.map((n) => `exports.${n} = leadhook.${n};`).join("\n") + "\nexports.default = leadhook;";
    fs.writeFileSync(path.join(stage, "dist", "leadhook.node.cjs"), minified(
      '"use strict";\n' + fill(cjs, "/* @tail */", names, "inline.js"), "cjs", nodeHeader("require")));
  }
  const inlineCode = inlineCjs.replace(/(^|\s)\/\/.*$/gm, "$1");
  if (/\bimport\.meta\b|\bimport\s*\(|\brequire\s*\(|^\s*(import|export)\b/m.test(inlineCode)) fail("dist/leadhook.inline.cjs imports or requires something");

  // The version comes from Cargo.toml.
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) fail(`bad version from Cargo.toml: "${version}"`);
  const pkgPath = path.join(stage, "package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8"));
  pkg.version = version;
  // The previewer's files, as the build copied them from www/, and the kinds' JSON Schemas.
  pkg.files.push(...fs.readdirSync(path.join(stage, "preview")).sort().map((f) => `preview/${f}`));
  pkg.files.push(...fs.readdirSync(path.join(stage, "schemas")).sort().map((f) => `schemas/${f}`));
  fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + "\n");

  // Everything the package names exists, and it ships nothing it does not name.
  const named = new Set(["package.json", "README.md", "LICENSE", ...pkg.files]);
  const walk = (v) => (typeof v === "string" ? [v] : Object.values(v).flatMap(walk));
  for (const target of [pkg.main, pkg.module, pkg.types, ...walk(pkg.exports), ...walk(pkg.typesVersions ?? {})].filter(Boolean)) {
    const rel = target.replace(/^\.\//, "");
    if (rel.includes("*")) {
      const [head, tail] = rel.split("*");
      if (![...named].some((f) => f.startsWith(head) && f.endsWith(tail))) fail(`package.json's ${target} matches no file that "files" lists`);
      continue;
    }
    if (!named.has(rel)) fail(`package.json points at ${target}, which "files" does not list`);
  }
  for (const f of named) if (!fs.existsSync(path.join(stage, f))) fail(`pkg/${f} is missing`);
  const shipped = (dir) => fs.readdirSync(path.join(stage, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? shipped(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const f of shipped("")) if (!named.has(f)) fail(`pkg/${f} is not in "files"`);

  // Every entry must export exactly what createApi returns (the smoke test below checks the ones
  // Node can load).
  fs.writeFileSync(path.join(stage, "..", "api-names"), apiNames.join(","));
}

/**
 * The entries that Node can load agree with createApi and with each other: node.mjs, node.cjs,
 * and both inline files (the .cjs run from its text with no require, module or import in scope,
 * as a code step runs it). browser.mjs and workerd.mjs are run by the tests in Chromium and
 * workerd; here they are only parsed.
 */
async function smokeTest(dir) {
  const want = fs.readFileSync(dir + "/../api-names", "utf8").split(",").sort().join(",");
  const inlineText = fs.readFileSync(dir + "/dist/leadhook.inline.cjs", "utf8");
  const entries = {
    "node.mjs": await import(pathToFileURL(dir).href + "/node.mjs"),
    "node.cjs": createRequire(dir + "/")("./node.cjs"),
    "dist/leadhook.node.mjs": await import(pathToFileURL(dir).href + "/dist/leadhook.node.mjs"),
    "dist/leadhook.node.cjs": createRequire(dir + "/")("./dist/leadhook.node.cjs"),
    "dist/leadhook.inline.mjs": await import(pathToFileURL(dir).href + "/dist/leadhook.inline.mjs"),
    "dist/leadhook.inline.cjs (pasted)": new Function("require", "module", "exports", inlineText + "\n;return leadhook;")(),
  };
  for (const [name, api] of Object.entries(entries)) {
    const names = Object.keys(api).filter((k) => k !== "default").sort().join(",");
    if (names !== want) throw new Error(`${name} exports ${names}, but createApi returns ${want}`);
    // Every entry but the pasted file (where `leadhook` is the API itself) has it as its default too.
    if (!name.includes("pasted") && Object.keys(api.default ?? {}).sort().join(",") !== want) {
      throw new Error(`the default export of ${name} is not the whole API`);
    }
    const r = api.validate("{");
    if (r.ok !== false || r.errors[0].code !== "json.syntax") throw new Error(`${name}: unexpected report ` + JSON.stringify(r));
    // LeadhookError keeps its name in every file, minified or not.
    const thrown = (() => { try { api.parse("{"); } catch (e) { return e; } })();
    if (!(thrown instanceof api.LeadhookError) || thrown.name !== "LeadhookError" || api.LeadhookError.name !== "LeadhookError") {
      throw new Error(`${name}: parse("{") did not throw a LeadhookError named so`);
    }
  }
  console.log("exports:", want);
  for (const f of ["browser.mjs", "workerd.mjs", "dist/leadhook.inline.mjs", "dist/handler.node.mjs", "dist/node-http.mjs"]) {
    execFileSync(process.execPath, ["--check", path.join(dir, f)]);
  }
}

/** docs/size.md's table of the package's files (between its markers), from the built pkg/ and `npm pack --dry-run`. */
function sizes() {
  process.chdir(ROOT);
  const [p] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: "pkg", encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const tarball = `npm tarball: ${p.size} bytes (${p.entryCount} files, ${p.unpackedSize} bytes unpacked)`;
  console.log(tarball);
  const n = (x) => x.toLocaleString("en");
  const gz = (f) => execFileSync("gzip", ["-9", "-c", "pkg/" + f]).length;
  const files = p.files.map((f) => f.path).sort();
  const preview = files.filter((f) => f.startsWith("preview/"));
  const rows = files.filter((f) => !f.startsWith("preview/")).map((f) => `| \`${f}\` | ${n(fs.statSync("pkg/" + f).size)} | ${n(gz(f))} |`);
  const sum = (list, size) => list.reduce((t, f) => t + size(f), 0);
  rows.push(`| \`preview/\` (the previewer page, ${preview.length} files) | ${n(sum(preview, (f) => fs.statSync("pkg/" + f).size))} | ${n(sum(preview, gz))} |`);
  const table = ["| file | bytes | gzip -9 |", "|---|---:|---:|", ...rows, "", `The npm tarball: ${n(p.size)} bytes, ${p.entryCount} files.`].join("\n");
  const start = "<!-- sizes:start -->", end = "<!-- sizes:end -->";
  const ledger = "docs/size.md";
  const text = fs.readFileSync(ledger, "utf8");
  const a = text.indexOf(start), b = text.indexOf(end);
  if (a < 0 || b < a) { console.error(`build: ${ledger} needs the ${start} and ${end} markers`); process.exit(1); }
  fs.writeFileSync(ledger, text.slice(0, a + start.length) + "\n" + table + "\n" + text.slice(b));
}

const [command, work, stage] = process.argv.slice(2);
if (command === "package") {
  addRenew(path.join(work, "web/leadhook.js"), path.join(work, "no-modules/leadhook.js"));
  copyAndFill(work, stage);
  entries(stage, version(), path.join(work, "no-modules/leadhook.js"));
  await smokeTest(stage);
} else if (command === "sizes") {
  sizes();
} else {
  fail("usage: node scripts/assemble.mjs package WORK STAGE | sizes");
}
