// Node.js, `require`: the whole package in one file (dist/leadhook.inline.cjs, the WebAssembly
// module inlined as base64), so that a bundle made for Node carries the module inside it.
"use strict";

const api = require("./dist/leadhook.inline.cjs");

// scripts/build.sh writes here one `exports.name = api.name;` line per name createApi returns
// (plain assignments, so that Node can also name them when ES modules import this file).
/* @exports */
