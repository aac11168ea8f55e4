// Node.js, `import`: instantiates the WebAssembly module synchronously from the file beside this
// one, with wasm-bindgen's ES-module glue (web target), and builds the API on it (api.js).
import { readFileSync } from "node:fs";
import * as raw from "./leadhook.js";
import { createApi } from "./api.js";

raw.initSync({ module: readFileSync(new URL("./leadhook_bg.wasm", import.meta.url)) });

const api = createApi(raw);

export { LeadhookError } from "./api.js";
export const detect = api.detect;
export const validate = api.validate;
export const parse = api.parse;
export const flatten = api.flatten;
export const rows = api.rows;
export const toCsv = api.toCsv;
export const upgrade = api.upgrade;
export const verifySecret = api.verifySecret;
export const verifyHeader = api.verifyHeader;
export const parseEventType = api.parseEventType;
export const codeStep = api.codeStep;
export const schema = api.schema;
