// The errors: `LeadhookError`, which the API throws for a payload that is not valid, with its
// one-line summary of the report; and `Trapped`, the end of a call whose module trapped, with the
// report it is given as.

const BRAND = Symbol.for("leadhook.LeadhookError");

/** The error `parse`, `flatten`, `rows`, `toCsv` and `upgrade` throw for a payload that is not valid. */
class LeadhookError extends Error {
  constructor(report) {
    super(summarise(report));
    this.issues = report && Array.isArray(report.errors) ? report.errors : [];
    // Not enumerable: Node prints an uncaught error's own enumerable members, and the report's
    // errors are its `issues` already.
    Object.defineProperty(this, "report", { value: report, writable: true, configurable: true });
  }

  // `import` and `require` load separate copies of the package; an error thrown by one copy is
  // still an `instanceof LeadhookError` of the other.
  static [Symbol.hasInstance](value) {
    return hasInstance(this, value);
  }
}
// Its own name, whatever a minifier calls the class (`LeadhookError.name`, and in a stack).
Object.defineProperty(LeadhookError, "name", { value: "LeadhookError" });
Object.defineProperty(LeadhookError.prototype, "name", {
  value: "LeadhookError",
  writable: true,
  configurable: true,
});
Object.defineProperty(LeadhookError.prototype, BRAND, { value: true });

/**
 * `instanceof LeadhookError`: any value branded by a copy of the package, and the usual check for a
 * subclass. Out of the class body, which must not name the class: bundled, such a class is given
 * a name of esbuild's making (scripts/assemble.mjs).
 */
function hasInstance(constructor, value) {
  if (constructor !== LeadhookError) return Function.prototype[Symbol.hasInstance].call(constructor, value);
  return value != null && typeof value === "object" && value[BRAND] === true;
}

function summarise(report) {
  const errors = report && Array.isArray(report.errors) ? report.errors : [];
  if (errors.length === 0) return "invalid payload";
  const what = report.kind ? `${report.kind} payload` : "payload";
  const shown = errors
    .slice(0, 3)
    .map((e) => `${e.code} at ${e.path === "" ? "(root)" : e.path}: ${e.message}`);
  const more = errors.length > 3 ? `; and ${errors.length - 3} more` : "";
  const count = errors.length === 1 ? "1 error" : `${errors.length} errors`;
  return `invalid ${what} (${count}): ${shown.join("; ")}${more}`;
}

/** The end of a call whose module trapped; the instance was replaced. */
class Trapped extends Error {
  constructor(cause) {
    super(String((cause && cause.message) || cause));
    this.cause = cause;
  }
}

/** The report of a call whose module trapped (`internal.trap`). */
function trapReport(name, trapped) {
  return {
    ok: false,
    kind: null,
    errors: [{
      path: "",
      code: "internal.trap",
      message: `the WebAssembly module failed during ${name} (${trapped.message}); it was replaced, and the next call runs on a fresh one`,
    }],
    warnings: [],
  };
}

export { LeadhookError, Trapped, trapReport };
