// Node.js, `require`: the CommonJS glue (wasm-bindgen's nodejs target) instantiates the
// WebAssembly module synchronously from the file beside this one; the API is built on it by
// api.cjs, which scripts/build.sh derives from api.js.
"use strict";

const raw = require("./leadhook.cjs");
const { createApi } = require("./api.cjs");

const api = createApi(raw);

exports.LeadhookError = api.LeadhookError;
exports.detect = api.detect;
exports.validate = api.validate;
exports.parse = api.parse;
exports.flatten = api.flatten;
exports.rows = api.rows;
exports.toCsv = api.toCsv;
exports.upgrade = api.upgrade;
exports.verifySecret = api.verifySecret;
exports.verifyHeader = api.verifyHeader;
exports.parseEventType = api.parseEventType;
exports.codeStep = api.codeStep;
exports.schema = api.schema;
