// Type-checked by types.test.mjs: the package's types as a CommonJS user sees them.
import leadhook = require("leadhook");

const kind: leadhook.Kind | null = leadhook.detect(new Uint8Array(0));
const report: leadhook.Report = leadhook.validate({ a: 1 }, { strict: true });
const parsed: leadhook.Parsed = leadhook.parse("{}");
let error: leadhook.LeadhookError | undefined;
try {
  leadhook.parse("{");
} catch (e) {
  if (e instanceof leadhook.LeadhookError) error = e;
}
// @ts-expect-error maxBytes is a number
leadhook.validate("{}", { maxBytes: "5MB" });

export = { kind, report, parsed, error };
