// `require("leadhook")` in a browser build (webpack's web target resolves the "browser" and
// "require" conditions): it cannot work, so it says what does.
"use strict";

throw new Error(
  'leadhook: require("leadhook") cannot work in a browser build: there the WebAssembly module loads ' +
    'asynchronously, and require() cannot wait for it. Use import { validate } from "leadhook" (the ' +
    'bundler waits for it) or await import("leadhook"). Tests under jsdom: add "node" to the export ' +
    "conditions (Jest: testEnvironmentOptions.customExportConditions).",
);
