// What every runtime test asks of the package for one body: the same calls, so that answers from
// Node, workerd, Chromium and the inline file can be compared as JSON. Runtime-neutral (no Node
// APIs): imported by the test Worker (worker.mjs), by the browser page, and by the Node tests.

/**
 * Runs `fn`; its value, or what it threw: a LeadhookError's class's name (which no minifier of
 * any build may have changed), what `String(error)` opens with, and its report; or any other
 * error's name.
 */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    if (error && error.name === "LeadhookError") {
      return { threw: error.constructor.name, opens: String(error).split(":")[0], report: error.report };
    }
    return { threw: (error && error.name) || typeof error, message: String((error && error.message) || error) };
  }
}

/**
 * The package's answers for one body. `api` is the package (its module namespace or object),
 * `input` the body as given (bytes or a string), `opts` the options. Functions the package does
 * not have are left out, so that this works while the API grows.
 */
export function answer(api, input, opts) {
  const has = (name) => typeof api[name] === "function";
  const out = {
    // The API's names; a module namespace's `default` is the same API, whole.
    exports: Object.keys(api).filter((k) => k !== "default").sort(),
    detect: outcome(() => api.detect(input, opts)),
    validate: outcome(() => api.validate(input, opts)),
    parse: outcome(() => api.parse(input, opts)),
  };
  if (has("flatten")) out.flatten = outcome(() => api.flatten(input, opts));
  if (has("rows")) out.rows = outcome(() => api.rows(input, opts));
  if (has("toCsv")) out.toCsv = outcome(() => api.toCsv(input, opts));
  if (has("upgrade")) out.upgrade = outcome(() => api.upgrade(input, opts));
  if (has("codeStep")) {
    const text = typeof input === "string" ? input : new TextDecoder().decode(input);
    out.codeStep = outcome(() => api.codeStep({ payload: text }, opts));
  }
  if (has("parseEventType") && opts && typeof opts.url === "string") {
    out.parseEventType = outcome(() => api.parseEventType(opts.url));
  }
  // Every value is plain JSON data; a round trip makes the comparison exact across runtimes.
  return JSON.parse(JSON.stringify(out));
}
