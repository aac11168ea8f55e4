// Bundles the small apps of app/ with every mainstream bundler, as a user would, with the
// configuration each needs and nothing more, into target/bundles/NAME/. Each bundle is
// { name, runtime: "node" | "browser", main, dir, expect }. The one line a bundler needs beyond its
// defaults is commented where it is; docs/runtimes.md says the same.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { linkPackage, root } from "../workerd/cases.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(root, "target", "bundles");
const app = (f) => path.join(here, "app", f);
const wasm = path.join(root, "pkg", "leadhook_bg.wasm");

/** The one documented line for bundlers that do not ship `new URL(…, import.meta.url)` files. */
const copyWasm = (dir) => fs.copyFileSync(wasm, path.join(dir, "leadhook_bg.wasm"));

async function esbuild(name, entry, options) {
  const { build } = await import("esbuild");
  const dir = path.join(out, name);
  await build({ entryPoints: [entry], bundle: true, outfile: path.join(dir, "main.js"), logLevel: "error", ...options });
  return dir;
}

/** Rollup with @rollup/plugin-node-resolve; `conditions` undefined is the plugin's defaults. */
async function rollup(name, entry, conditions) {
  const { rollup: bundle } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const dir = path.join(out, name);
  const b = await bundle({ input: entry, plugins: [nodeResolve(conditions && { exportConditions: conditions, browser: conditions.includes("browser") })], logLevel: "silent" });
  await b.write({ file: path.join(dir, "main.js"), format: "es" });
  await b.close();
  return dir;
}

async function webpack(name, entry, target) {
  const { default: run } = await import("webpack");
  const dir = path.join(out, name);
  const stats = await new Promise((ok, fail) =>
    run({ mode: "production", target, entry, output: { path: dir, filename: "main.js", clean: true }, devtool: false }, (e, s) => (e ? fail(e) : ok(s))),
  );
  if (stats.hasErrors()) throw new Error(`webpack ${name}: ${stats.toString("errors-only")}`);
  return dir;
}

async function vite(name) {
  const { build } = await import("vite");
  const dir = path.join(out, name);
  // base "./": the tests serve each bundle from a folder of its own, not from the site root.
  // app/index.html is the page, app/browser.mjs its script.
  await build({ root: path.join(here, "app"), base: "./", logLevel: "error", build: { outDir: dir, emptyOutDir: true } });
  return dir;
}

const page = (dir, main = "main.js") => {
  fs.writeFileSync(path.join(dir, "index.html"), fs.readFileSync(app("index.html"), "utf8").replace("./browser.mjs", `./${main}`));
  return dir;
};

/** Builds every bundle; returns what the tests run. */
export async function buildAll() {
  linkPackage(here);
  fs.rmSync(out, { recursive: true, force: true });
  const node = { ok: true, kinds: 5 };
  const bundles = [
    { name: "esbuild-node-esm", runtime: "node", dir: await esbuild("esbuild-node-esm", app("node.mjs"), { platform: "node", format: "esm" }), expect: node },
    { name: "esbuild-node-cjs", runtime: "node", dir: await esbuild("esbuild-node-cjs", app("node.cjs"), { platform: "node", format: "cjs" }), expect: node },
    {
      name: "esbuild-browser",
      runtime: "browser",
      // esbuild keeps `new URL("./leadhook_bg.wasm", import.meta.url)` but does not ship the file:
      // copy it beside the bundle.
      dir: page(await esbuild("esbuild-browser", app("browser.mjs"), { platform: "browser", format: "esm" })),
      expect: node,
      copyWasm: true,
    },
    // Rollup resolves the "browser"/"default" entry unless told that the bundle is for Node.
    { name: "rollup-node", runtime: "node", dir: await rollup("rollup-node", app("node.mjs"), ["node"]), expect: node },
    {
      name: "rollup-node-unconfigured",
      runtime: "node",
      dir: await rollup("rollup-node-unconfigured", app("node.mjs"), undefined),
      expect: { error: /browser build, running in Node.*exportConditions: \["node"\]/ },
    },
    // Rollup, like esbuild, leaves the .wasm to be copied beside the bundle.
    { name: "rollup-browser", runtime: "browser", dir: page(await rollup("rollup-browser", app("browser.mjs"), ["browser", "import", "default"])), expect: node, copyWasm: true },
    { name: "webpack-node", runtime: "node", dir: await webpack("webpack-node", app("node.cjs"), "node"), expect: node },
    // The receiver's entries through require (a "require" condition each), for Node.
    // Their SQLite store comes from beside the bundle, as a deployed service's node_modules holds it.
    { name: "esbuild-node-receiver-cjs", runtime: "node", dir: await esbuild("esbuild-node-receiver-cjs", app("node-receiver.cjs"), { platform: "node", format: "cjs" }), expect: node, sqlite: true },
    { name: "webpack-node-receiver-cjs", runtime: "node", dir: await webpack("webpack-node-receiver-cjs", app("node-receiver.cjs"), "node"), expect: node, sqlite: true },
    { name: "webpack-web", runtime: "browser", dir: page(await webpack("webpack-web", app("browser.mjs"), "web")), expect: node },
    {
      name: "webpack-web-require",
      runtime: "browser",
      dir: page(await webpack("webpack-web-require", app("browser-require.cjs"), "web")),
      expect: { error: /cannot work in a browser build.*import \{ validate \} from "leadhook"/ },
    },
    { name: "vite", runtime: "browser", dir: await vite("vite"), expect: node, html: true },
  ];
  for (const b of bundles) if (b.copyWasm) copyWasm(b.dir);
  return bundles;
}

/** Bytes of every file of a bundle's folder (but its page), raw and gzip -9. */
export function sizes(dir) {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (!e.name.endsWith(".html")) files.push(f);
    }
  };
  walk(dir);
  return files;
}
