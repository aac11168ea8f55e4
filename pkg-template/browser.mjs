// Browsers, and bundlers and runtimes that resolve the "browser" or "default" condition: fetches
// and instantiates the WebAssembly module beside this file (streaming, when it is served as
// application/wasm) with wasm-bindgen's ES-module glue (web target), before the first import
// resolves: top-level await, so there is no init call for the user. Bundlers (Vite, webpack,
// esbuild) recognise `new URL("./leadhook_bg.wasm", import.meta.url)` and ship the file.
import init, * as raw from "./leadhook.js";
import { createApi } from "./api.js";

await init({ module_or_path: new URL("./leadhook_bg.wasm", import.meta.url) });

const api = createApi(raw);

// scripts/build.sh writes here every name createApi returns, so this entry exports what the
// others export without being edited when a function is added.
export const { /* @exports */ } = api;
