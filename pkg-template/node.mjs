// Node.js, `import`: the whole package in one file (dist/leadhook.inline.mjs, the WebAssembly
// module inlined as base64 and instantiated synchronously), so that a bundle made for Node
// (esbuild --platform=node, webpack's node target, Rollup) carries the module inside it and
// needs no file beside it at run time.
export * from "./dist/leadhook.inline.mjs";
export { default } from "./dist/leadhook.inline.mjs";
