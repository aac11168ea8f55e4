// Node.js, `import`: instantiates the WebAssembly module synchronously from the file beside this
// one, with wasm-bindgen's ES-module glue (web target), and builds the API on it (api.js).
import { readFileSync } from "node:fs";
import * as raw from "./leadhook.js";
import { createApi } from "./api.js";

raw.initSync({ module: readFileSync(new URL("./leadhook_bg.wasm", import.meta.url)) });

const api = createApi(raw);

// scripts/build.sh writes here every name createApi returns, as for the other entries.
export const { /* @exports */ } = api;
