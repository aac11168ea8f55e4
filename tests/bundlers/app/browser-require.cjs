// `require` in a browser build: the WebAssembly loads asynchronously there, which require()
// cannot wait for; the package says so instead of failing obscurely.
try {
  const { validate } = require("leadhook");
  document.body.dataset.result = JSON.stringify({ loaded: typeof validate });
} catch (error) {
  document.body.dataset.result = JSON.stringify({ error: String(error.message) });
}
