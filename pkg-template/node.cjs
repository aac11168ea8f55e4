// Node.js, `require`: the CommonJS glue (wasm-bindgen's nodejs target) instantiates the
// WebAssembly module synchronously from the file beside this one; the API is built on it by
// api.cjs, which scripts/build.sh derives from api.js.
"use strict";

const raw = require("./leadhook.cjs");
const { createApi } = require("./api.cjs");

const api = createApi(raw);

// scripts/build.sh writes here one `exports.name = api.name;` line per name createApi returns
// (plain assignments, so that Node can also name them when ES modules import this file).
/* @exports */
