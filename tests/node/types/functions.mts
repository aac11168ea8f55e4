// Type-checked by types.test.mjs (tsc --strict): every function of the package, its overloads
// and the payload types, as an ES module user writes them. Each @ts-expect-error line is a wrong
// use that must not compile.
import {
  detect, validate, parse, flatten, rows, toCsv, upgrade, verifySecret, verifyHeader,
  parseEventType, codeStep, schema, kinds, verifySignature, checkSignature, eventKey, events, drift, LeadhookError,
  type DeliveryEvent,
  type LeadEventV2, type LeadEventV2Record, type SignatureOptions, type SignatureCheck, type UpgradedLeadEvent,
  type Kind, type Report, type Issue, type IssueCode, type Options, type Input,
  type Parsed, type ParseResult, type Payload,
  type LeadsieV1Payload, type LeadsieV1Asset, type LeadsieV2Payload, type LeadsieV2Asset,
  type AssignedUser, type ConnectedAccount, type ConnectionStatus, type AssetAccessLevel,
  type LeadSquaredRecord, type LeadSquaredBody, type LeadSquaredLead,
  type LeadEvent, type LeadEventPayload, type LeadEventName,
  type FlatValue, type FlatRecord, type LeadsieFlatRecord, type LeadsieRow,
  type LeadSquaredFlatRecord, type LeadEventFlatRecord,
  type EventTypeInfo, type CodeStepError, type JsonSchema, type HeadersLike,
} from "leadhook";
import leadhook from "leadhook";

declare const body: Uint8Array;

// --- parse: typed by opts.kind -------------------------------------------------------------
const v2 = parse(body, { kind: "leadsie.v2" });
const v2kind: "leadsie.v2" = v2.kind;
const v2data: LeadsieV2Payload = v2.data;
const requestUrl: string | undefined = v2.data.requestUrl;
const asset: LeadsieV2Asset = v2.data.connectionAssets[0];
const status: ConnectionStatus = asset.connectionStatus;
const linkToAsset: string | null | undefined = asset.linkToAsset;
const users: AssignedUser[] | null | undefined = asset.assignedUsers;
const account: ConnectedAccount | null | undefined = asset.connectedAccount;
const level: AssetAccessLevel | null | undefined = asset.accessLevel;
const permissions: string | string[] | null | undefined = asset.platformPermissionsGranted;
// @ts-expect-error a v2 payload has no v1 asset fields typed as v1
const wrongAsset: LeadsieV1Asset = v2.data.connectionAssets[0];
// @ts-expect-error requestUrl is a string in v2, not a number
const wrongUrl: number = v2.data.requestUrl;

// Open vocabularies: the documented values, and any other string.
const knownStatus: ConnectionStatus = "Connected";
const newStatus: ConnectionStatus = "Pending review";
const newType: LeadsieV2Asset["type"] = "Threads Profile";
// @ts-expect-error still a string
const numberStatus: ConnectionStatus = 3;

const v1 = parse("{}", { kind: "leadsie.v1", strict: true });
const v1data: LeadsieV1Payload = v1.data;
const isSuccess: boolean = v1.data.connectionAssets[0].isSuccess;
const v1user: string | null | undefined = v1.data.user;

const lsq = parse("{}", { kind: "leadsquared", url: "https://x.example/?eventType=Lead_Post_Create" });
const lsqBody: LeadSquaredBody = lsq.data;
const records: LeadSquaredRecord[] = Array.isArray(lsq.data) ? lsq.data : [lsq.data];
const prospect: string | null | undefined = records[0].ProspectID;
const autoId: string | number | null | undefined = records[0].ProspectAutoId;
const city: string | number | boolean | null | undefined = records[0].mx_City;
const after: LeadSquaredLead | null | undefined = records[0].After;
const anything: unknown = records[0].SomethingUndocumented;
// @ts-expect-error custom mx_ fields are scalars
const customObject: object = records[0].mx_City;

const ev = parse("{}", { kind: "lead-event" });
const evData: LeadEvent = ev.data;
const eventName: LeadEventName = ev.data.event;
const secret: string = ev.data.secret;
const created: LeadEvent<"lead.create"> = { id_space: "s", event: "lead.create", secret: "x", payload: { first_name: "Jean" } };
const firstName: string | null | undefined = created.payload.first_name;
const leadPayload: LeadEventPayload = created.payload;
// @ts-expect-error a lead's first_name is a string
const badLead: LeadEvent<"lead.create"> = { id_space: "s", event: "lead.create", secret: "x", payload: { first_name: 1 } };
const tagDeleted: LeadEvent<"tag.delete"> = { id_space: "s", event: "tag.delete", secret: "x", payload: { first_name: 1 } };

// General overload: a union discriminated by kind.
const any = parse(body);
const anyResult: ParseResult = any;
if (any.kind === "leadsie.v2") {
  const narrowed: LeadsieV2Payload = any.data;
} else if (any.kind === "lead-event") {
  const narrowed: LeadEvent = any.data;
} else if (any.kind === "leadsquared") {
  const narrowed: LeadSquaredBody = any.data;
} else if (any.kind === "lead-event.v2") {
  const narrowed: LeadEventV2 = any.data;
  if (narrowed.event === "record.created") {
    // The event narrows what `data` holds.
    const typed: LeadEventV2<"record.created"> = narrowed;
    const record: LeadEventV2Record = narrowed.data;
    const email: unknown = narrowed.data.fields?.email;
  }
} else {
  const narrowed: LeadsieV1Payload = any.data;
  const k: "leadsie.v1" = any.kind;
}
// @ts-expect-error without narrowing, data is not known to be v2
const notNarrowed: LeadsieV2Payload = any.data;
const parsedGeneral: Parsed = parse(body, {});
const parsedV2: Parsed<"leadsie.v2"> = parse(body, { kind: "leadsie.v2" });
const payloadMap: Payload["leadsquared"] = lsq.data;
declare const someKind: Kind;
const byVariable = parse(body, { kind: someKind });
const byVariableKind: Kind = byVariable.kind;
// @ts-expect-error not a kind
parse(body, { kind: "leadsie.v3" });
// @ts-expect-error the kind option narrows the result: this is not a lead event
const wrongKind: Parsed<"lead-event"> = parse(body, { kind: "leadsie.v2" });

// --- flatten, rows, toCsv, upgrade ---------------------------------------------------------
const flat: FlatRecord = flatten(body);
const value: FlatValue = flat.anything;
const leadsieFlat: LeadsieFlatRecord = flatten(body, { kind: "leadsie.v1" });
const userId: string | null = leadsieFlat.user_id;
const apiVersion: number = leadsieFlat.apiVersion;
const pageIds: FlatValue = leadsieFlat.page_id;
const lsqFlat: LeadSquaredFlatRecord = flatten(body, { kind: "leadsquared" });
const count: number | undefined = lsqFlat.count;
const eventFlat: LeadEventFlatRecord = flatten(body, { kind: "lead-event" });
const idSpace: string = eventFlat.id_space;
// @ts-expect-error a lead event's flat record never holds the secret
const leaked: string = eventFlat.secret;
// @ts-expect-error flat values are scalars
const nested: object = flat.anything;

const allRows: FlatRecord[] = rows(body);
const leadsieRows: LeadsieRow[] = rows(body, { kind: "leadsie.v2" });
const rowSuccess: boolean | null = leadsieRows[0].is_success;
const rowType: string | null = leadsieRows[0].type;
const eventRows: LeadEventFlatRecord[] = rows(body, { kind: "lead-event" });
// @ts-expect-error rows is an array
const oneRow: FlatRecord = rows(body);

const csv1: string = toCsv(body);
const csv2: string = toCsv(allRows);
const csv3: string = toCsv([{ a: "=1+1", b: 2, c: true, d: null }]);
const csv4: string = toCsv(leadsieRows, { maxBytes: 1024 });
// @ts-expect-error toCsv returns a string
const csvRows: FlatRecord[] = toCsv(body);

const upgraded: LeadsieV2Payload = upgrade(body, { kind: "leadsie.v1" });
const upgradedWithOpts: LeadsieV2Payload = upgrade(v1data, { strict: true, kind: "leadsie.v1" });
const upgradedStatus: ConnectionStatus = upgraded.connectionAssets[0].connectionStatus;
// @ts-expect-error upgrade gives the v2 shape
const upgradedV1: LeadsieV1Payload = upgrade(body, { kind: "leadsie.v1" });
const upgradedEvent: UpgradedLeadEvent = upgrade(body, { kind: "lead-event" });
const upgradedName: string = upgradedEvent.event;
const either: LeadsieV2Payload | UpgradedLeadEvent = upgrade(body);
// @ts-expect-error without a kind, either shape may come back
const upgradedUnnarrowed: LeadsieV2Payload = upgrade(body);

// --- secrets and headers -------------------------------------------------------------------
declare const env: { SECRET?: string };
const s1: boolean = verifySecret(body, "wh_a46f35f22d9723a");
const s2: boolean = verifySecret(ev.data, env.SECRET);
const s3: boolean = verifySecret("{}", "x", { maxBytes: 1000 });
// @ts-expect-error the expected secret is a string
verifySecret(body, 12345);

declare const fetchHeaders: { get(name: string): string | null; has(name: string): boolean };
declare const nodeHeaders: { [name: string]: string | string[] | undefined };
declare const expressRequest: { get(name: "set-cookie"): string[] | undefined; get(name: string): string | undefined };
const h1: boolean = verifyHeader(fetchHeaders, "X-Token", "abc");
const h2: boolean = verifyHeader(nodeHeaders, "x-token", env.SECRET);
const h3: boolean = verifyHeader({ "x-token": "abc" }, "X-Token", "abc");
const h4: boolean = verifyHeader({ "x-token": ["abc"] }, "X-Token", "abc");
const h5: boolean = verifyHeader(new Map([["X-Token", "abc"]]), "x-token", "abc");
const h6: boolean = verifyHeader(expressRequest, "x-token", "abc");
const headersLike: HeadersLike = fetchHeaders;
// @ts-expect-error headers are not a string
verifyHeader("x-token: abc", "x-token", "abc");
// @ts-expect-error the header name is a string
verifyHeader(nodeHeaders, 1, "abc");
// @ts-expect-error header values are strings
verifyHeader({ "x-token": 123 }, "x-token", "123");

// --- event types, code steps, schemas ------------------------------------------------------
declare const urlObject: { href: string; toString(): string };
const info: EventTypeInfo = parseEventType("SalesActivity_Post_Create");
const method: "GET" | "POST" | null = info.method;
const entityType: string | null = parseEventType("https://x.example/?entityType=webhook&eventType=Lead_Post_Create").entityType;
// @ts-expect-error parseEventType takes a string (it throws a TypeError for anything else)
parseEventType(urlObject);
// @ts-expect-error method is GET, POST or null
const badMethod: "PUT" = info.method;

declare const inputData: { payload: string };
const step = codeStep(inputData);
const stepAny = codeStep(undefined, { kind: "lead-event" });
if ("available_keys" in step && Array.isArray(step.available_keys)) {
  const keys: unknown = step.available_keys;
}
const stepError: CodeStepError = { error: "leadhook: …", errors: [], available_keys: ["a"] };
const stepResult: FlatRecord | FlatRecord[] | CodeStepError = step;
// `out.error !== undefined` narrows, as `if (out.error)` does (narrowing.mts); a delivery of several events gives an array.
if (step.error !== undefined) {
  const messages: string[] = step.errors.map((e) => e.message);
  const first: string = step.error;
} else if (!Array.isArray(step)) {
  const value: FlatValue | undefined = step.user_id;
}
// @ts-expect-error codeStep may give a CodeStepError, not only a flat record
const stepFlat: FlatRecord = codeStep(inputData);

const sch: JsonSchema = schema("leadsie.v2");
const draft: string = sch.$schema;
for (const k of ["leadsie.v1", "leadsie.v2", "leadsquared", "lead-event"] as const) schema(k);
for (const k of kinds()) schema(k);
const signed: boolean = verifySignature("{}", new Map([["webhook-id", "m"]]), "whsec_x", { scheme: "standard", toleranceSeconds: 60 });
const rotated: boolean = verifySignature(new Uint8Array(2), { "x-webhook-signature": "sha256=00" }, ["old", "new"]);
const sigOpts: SignatureOptions = { now: 1_700_000_000 };
const why: SignatureCheck = checkSignature("{}", {}, "s", sigOpts);
const drifted = drift([validate("{}", { strict: true })]);
const driftCount: number | undefined = drifted["leadsquared"]?.fields[0]?.count;
const reason: string | null = why.reason;
const age: number | null = why.ageSeconds;
// @ts-expect-error a reason is one of the named ones
const notAReason: SignatureCheck["reason"] = "bad";
// @ts-expect-error a signature is over the raw bytes, not a parsed object
verifySignature({ eventId: "x" }, {}, "s");
// @ts-expect-error no such scheme
verifySignature("{}", {}, "s", { scheme: "hmac" });
const key: string | null = eventKey("{}", { headers: { "X-Webhook-Delivery-Id": "d1" } });
const limited: Options = { maxIssues: 10, redact: ["email"], lineItems: true, maxOutputBytes: 1 << 20 };
const delivered: DeliveryEvent<FlatRecord>[] = events("[]");
const eventKeys: string[] = delivered.map((e) => e.eventKey);
const deliveredRows: FlatRecord[][] = events("[]", { output: "rows" }).map((e) => e.record);
// @ts-expect-error with output "rows" each record is an array of rows
const notOne: FlatRecord = events("[]", { output: "rows" })[0].record;
// @ts-expect-error no such output
events("[]", { output: "csv" });
// @ts-expect-error redact takes names, not one string
const badRedact: Options = { redact: "email" };
// @ts-expect-error not a kind (schema throws a TypeError for it)
schema("leadsie");

// --- the rest ------------------------------------------------------------------------------
const input: Input = v2data;
declare const request: { arrayBuffer(): Promise<ArrayBuffer>; readonly headers: unknown };
declare const pending: Promise<ArrayBuffer>;
declare const blobLike: { arrayBuffer(): Promise<ArrayBuffer>; readonly size: number; stream(): unknown };
interface StreamLike { pipe(to: unknown): unknown; on(event: string, fn: () => void): this }
declare const nodeStream: StreamLike;
// @ts-expect-error a forgotten await: a Promise is not a body
validate(pending);
// @ts-expect-error a Promise of the body is not the body: validate(await request.arrayBuffer())
validate(request.arrayBuffer());
// @ts-expect-error a stream must be read first
validate(nodeStream);
export async function awaited(): Promise<Report> { return validate(await pending); }
const report: Report = validate(v2data, { kind: "leadsie.v2" });
// `ok` narrows `kind`: a valid report always has one.
if (report.ok) {
  const known: Kind = report.kind;
}
// @ts-expect-error without the check, the kind may be null
const unknownKind: Kind = report.kind;
const code: IssueCode = report.errors[0].code;
const issue: Issue = report.warnings[0];
const detected: Kind | null = detect(body);
try {
  flatten(body);
} catch (e) {
  if (e instanceof LeadhookError) {
    const issues: Issue[] = e.issues;
  }
}
const opts: Options = { kind: null, strict: null };

export {
  v2kind, requestUrl, status, linkToAsset, users, account, level, permissions, wrongAsset, wrongUrl,
  knownStatus, newStatus, newType, numberStatus, isSuccess, v1user, prospect, autoId, city, after, anything,
  customObject, eventName, secret, firstName, leadPayload, badLead, tagDeleted, anyResult, notNarrowed,
  parsedGeneral, parsedV2, payloadMap, byVariableKind, wrongKind, value, userId, apiVersion, pageIds,
  count, idSpace, leaked, nested, rowSuccess, rowType, eventRows, oneRow, csv1, csv2, csv3, csv4, csvRows,
  upgradedWithOpts, upgradedStatus, upgradedV1, upgradedName, either, upgradedUnnarrowed, s1, s2, s3, h1, h2, h3, h4, h5, h6, headersLike, method,
  entityType, badMethod, stepAny, stepError, stepResult, stepFlat, draft, input, code, issue, detected, opts,
  evData, records, lsqBody,
};

// The default export is the whole API.
const viaDefault: Report = leadhook.validate("{}");
const defaultKinds: Kind[] = leadhook.kinds();
