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
const flat: leadhook.FlatRecord = leadhook.flatten("{}");
const v2: leadhook.LeadsieV2Payload = leadhook.parse("{}", { kind: "leadsie.v2" }).data;
const csv: string = leadhook.toCsv(leadhook.rows("{}"));
const upgraded: leadhook.LeadsieV2Payload = leadhook.upgrade("{}", { kind: "leadsie.v2" });
const checks: boolean[] = [leadhook.verifySecret("{}", "s"), leadhook.verifyHeader({ "x-token": "s" }, "X-Token", "s")];
const info: leadhook.EventTypeInfo = leadhook.parseEventType("Lead_Post_Create");
const step: leadhook.FlatRecord | leadhook.FlatRecord[] | leadhook.CodeStepError = leadhook.codeStep({ payload: "{}" });
const one: leadhook.LeadsieFlatRecord | leadhook.CodeStepError = leadhook.codeStep({ payload: "{}" }, { kind: "leadsie.v1" });
const schema: leadhook.JsonSchema = leadhook.schema("lead-event");
// @ts-expect-error maxBytes is a number
leadhook.validate("{}", { maxBytes: "5MB" });

export = { kind, report, parsed, error, flat, v2, csv, upgraded, checks, info, step, one, schema };
