// Cloudflare Workers (workerd; wrangler, miniflare and other bundlers resolve the "workerd"
// condition). Workers refuse to compile WebAssembly from bytes at run time, so the module is
// imported as a precompiled WebAssembly.Module (wrangler's default rule for *.wasm: CompiledWasm)
// and instantiated synchronously, once, when the Worker loads.
import wasm from "./leadhook_bg.wasm";
import * as raw from "./leadhook.js";
import { createApi } from "./api.js";

const wasmExports = raw.initSync({ module: wasm });

const api = createApi(raw, wasmExports.memory, raw.renew);

// scripts/build.sh writes here every name createApi returns, so this entry exports what the
// others export without being edited when a function is added.
export const { /* @exports */ } = api;
