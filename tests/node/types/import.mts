// Type-checked by types.test.mjs: the package's types as an ES module user sees them.
import {
  detect, validate, parse, LeadhookError,
  type Kind, type Report, type Issue, type IssueCode, type Options, type Input, type Parsed,
} from "leadhook";

const kind: Kind | null = detect("{}");
const inputs: Input[] = ["{}", new Uint8Array(0), new ArrayBuffer(0), new DataView(new ArrayBuffer(0)), { a: 1 }, [1]];
const opts: Options = { kind: "leadsquared", contentType: "application/json", url: "https://x.example/", strict: true, maxBytes: Infinity, maxDepth: 10 };
const report: Report = validate(inputs[0], opts);
const ok: boolean = report.ok;
const code: IssueCode = report.errors[0].code;
const issue: Issue = report.warnings[0];
const k2: Kind | null = report.kind;

const parsed: Parsed = parse("{}");
const kind3: Kind = parsed.kind;
const typed = parse("{}", { kind: "lead-event" });
const event: string = typed.data.event;

try {
  parse("{");
} catch (e) {
  if (e instanceof LeadhookError) {
    const issues: Issue[] = e.issues;
    const r: Report = e.report;
    const name: "LeadhookError" = e.name;
    const message: string = e.message;
  }
}
const made: Error = new LeadhookError(report);

// @ts-expect-error not a kind
const badKind: Kind = "leadsie";
// @ts-expect-error not a code
const badCode: IssueCode = "field.bogus";
// @ts-expect-error the kind option must be a Kind
validate("{}", { kind: "nope" });
// @ts-expect-error strict is a boolean
validate("{}", { strict: "yes" });
// @ts-expect-error detect returns a Kind or null, not a string
const s: string = detect("{}");

export { kind, ok, code, issue, k2, kind3, event, made };
