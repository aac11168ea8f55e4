// Browsers, and bundlers and runtimes that resolve the "browser" or "default" condition: fetches
// and instantiates the WebAssembly module beside this file (streaming, when it is served as
// application/wasm) with wasm-bindgen's ES-module glue (web target), before the first import
// resolves: top-level await, so there is no init call for the user. Vite and webpack recognise
// `new URL("./leadhook_bg.wasm", import.meta.url)` and ship the file; with esbuild and Rollup it
// is copied beside the bundle (docs/runtimes.md, "Bundlers").
import init, * as raw from "./leadhook.js";
import { createApi } from "./api.js";

const wasmUrl = new URL("./leadhook_bg.wasm", import.meta.url);
let wasmExports;
try {
  wasmExports = await init({ module_or_path: wasmUrl });
} catch (error) {
  // In Node this entry is the wrong one: a bundler resolved the "browser" condition for a Node
  // program, and no copied file makes fetch() read a file: URL. Say which option picks Node's.
  if (typeof process === "object" && process !== null && typeof process.versions?.node === "string") {
    throw new Error(
      "leadhook: this is its browser build, running in Node: the bundler resolved the \"browser\" condition. " +
        'Bundle for Node instead: Rollup\'s nodeResolve({ exportConditions: ["node"] }), esbuild\'s --platform=node, ' +
        'webpack\'s target: "node".',
    );
  }
  // A 404 reads as "expected magic word": say where the file was looked for, and the usual cause.
  throw new Error(
    `leadhook: could not load its WebAssembly module from ${wasmUrl} (${(error && error.message) || error}). ` +
      "Bundlers that do not ship files named by new URL(…, import.meta.url), such as esbuild and Rollup, " +
      "need node_modules/leadhook/leadhook_bg.wasm copied beside the bundle.",
  );
}

const api = createApi(raw, wasmExports.memory, raw.renew);

// scripts/build.sh writes here every name createApi returns, so this entry exports what the
// others export without being edited when a function is added.
export const { /* @exports */ } = api;
