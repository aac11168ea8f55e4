// Types of the npm package `leadhook`. scripts/build.sh copies this file to index.d.cts for
// `require`; keep it free of imports so that the one text serves both.

// ---------------------------------------------------------------------------------------------
// Kinds, issues, reports, options

// `IssueCode`, like `Kind`, is written from the core by the build (see "The kinds and their
// payloads" below).

/** One problem with a payload. */
export interface Issue {
  /** JSON Pointer (RFC 6901) to the value; `""` is the whole payload. */
  path: string;
  code: IssueCode;
  /** For humans; may change between versions. */
  message: string;
}

/** What `validate` returns. `ok` is `errors.length === 0`; checking it narrows `kind` (`if (report.ok) report.kind` is a `Kind`). */
export type Report = ValidReport | InvalidReport;

/** A report with no error: its kind is known. */
export interface ValidReport {
  ok: true;
  kind: Kind;
  errors: Issue[];
  warnings: Issue[];
}

/** A report with at least one error; `kind` is `null` when no kind was detected. */
export interface InvalidReport {
  ok: false;
  kind: Kind | null;
  errors: Issue[];
  warnings: Issue[];
}

/** The options every function that reads a payload takes (the contract's, with this package's additions). */
export interface Options {
  /** Skip detection and read the payload as this kind. */
  kind?: Kind | null;
  /** The request's Content-Type; form-encoded bodies are decoded. Sniffed when absent. */
  contentType?: string | null;
  /** The request URL; LeadSquared's `entityType`, `entityId` and `eventType` are read from it. */
  url?: string | null;
  /** Unknown enum values, and wrong types or formats in optional fields, become errors; undocumented fields `field.unknown` warnings. Default `false`. */
  strict?: boolean | null;
  /** Larger inputs are refused (`input.too_large`) before they are read. Default 5 MiB; `Infinity` for none. */
  maxBytes?: number | null;
  /** Deeper nesting is refused (`input.too_deep`). Default 64. */
  maxDepth?: number | null;
  /** At most this many errors, and this many warnings, are listed; a `report.truncated` entry counts the rest. Default 100. */
  maxIssues?: number | null;
  /** The most bytes an output of `flatten`, `rows`, `toCsv` or `codeStep` may hold (its JSON: keys, values and punctuation; aligned rows count every cell); past it `output.too_large`, before the output is built. Default 8 times the body plus 1 MiB; `Infinity` for none. */
  maxOutputBytes?: number | null;
  /** Field names, at any depth, whose values never reach an output (a top-level `secret` never does). */
  redact?: readonly string[] | null;
  /** `codeStep` only: add the payload's rows as Zapier `line_items`. */
  lineItems?: boolean | null;
  /** `eventKey`: the request's headers (a signed lead event's `X-Webhook-Delivery-Id`). */
  headers?: HeadersLike | null;
  /** What your LeadSquared account calls each activity event's `mx_Custom_N` fields, by `ActivityEvent`: `flatten`, `rows`, `events`, `toCsv` and `codeStep` name `Data__mx_Custom_2` `Data__StartTime` for `{ "22": { mx_Custom_2: "StartTime" } }`. Another event keeps the raw keys. */
  activityFields?: ActivityFields | null;
}

/** `{ [ActivityEvent]: { [rawKey]: name } }`, such as `{ "22": { mx_Custom_1: "CallStatus", mx_Custom_2: "StartTime" } }`. */
export type ActivityFields = { readonly [activityEvent: string]: { readonly [rawKey: string]: string } };

/** How `verifySignature` and `checkSignature` check a delivery. */
export interface SignatureOptions {
  /** `"lead-event.v2"` (the default): `X-Webhook-Signature: sha256=<hex>` over `"{X-Webhook-Timestamp}.{body}"`; `"standard"`: Standard Webhooks. */
  scheme?: "lead-event.v2" | "standard";
  /** How far the signed timestamp may be from `now`. Default 300. */
  toleranceSeconds?: number;
  /** The time now, in Unix seconds. Default: the clock's. */
  now?: number;
}

/** Options that name the kind: the result is typed for that kind. */
export type OptionsOf<K extends Kind> = Options & { kind: K };

/**
 * A plain object or array, as `JSON.parse`, `express.json()` or Zapier's `inputData` give. A
 * Promise, `Request`, `Response`, `Blob` or stream is not one (they are interfaces, so they do
 * not fit the index signature): await or read it first.
 */
export type JsonValueObject = { readonly [key: string]: unknown } | readonly unknown[];

/**
 * What a function that reads a payload takes: the raw body as a string or UTF-8 bytes (`Uint8Array`,
 * Node `Buffer`, `ArrayBuffer` or any other `ArrayBufferView`), or an already-parsed plain object or array.
 */
export type Input = string | Uint8Array | ArrayBuffer | ArrayBufferView | JsonValueObject;

/** Thrown by `parse`, `flatten`, `rows`, `toCsv` and `upgrade` when the payload is not valid. */
export declare class LeadhookError extends Error {
  constructor(report: Report);
  name: "LeadhookError";
  /** The failed report. */
  readonly report: Report;
  /** `report.errors`. */
  readonly issues: Issue[];
}

// ---------------------------------------------------------------------------------------------
// The kinds and their payloads (FORMATS.md), written by scripts/build.sh from the tables the
// validator applies (xtask/src/typescript.rs), with `Kind` and `IssueCode`.

/* @payload-types */

/** A payload that validated: its kind, its data (unknown fields kept) and its warnings. */
export interface Parsed<K extends Kind = Kind> {
  kind: K;
  data: Payload[K];
  warnings: Issue[];
}

/** What `parse` returns: a union discriminated by `kind` (narrow with `if (r.kind === "leadsie.v2")`). */
export type ParseResult<K extends Kind = Kind> = { [P in K]: Parsed<P> }[K];

// ---------------------------------------------------------------------------------------------
// Flat output

/** A flat value: never an object or an array. */
export type FlatValue = string | number | boolean | null;

/** One flat record of scalars. */
export type FlatRecord = Record<string, FlatValue>;

/** `flatten` of a Leadsie payload: the seed code step's keys (`{prefix}_id`, …, joined `"a, b"`), then more. */
export interface LeadsieFlatRecord {
  /** The payload's `user` (`""` when absent). */
  user_id: string | null;
  requestUrl: string | null;
  requestName: string | null;
  status: string;
  accessLevel: string | null;
  clientName: string | null;
  clientSummaryUrl: string | null;
  /** `1` for v1, which has no such field. */
  apiVersion: number;
  /** `{prefix}_id`, `{prefix}_name`, `{prefix}_is_success` (`"True"`/`"False"`), `{prefix}_message`, … */
  [key: string]: FlatValue;
}

/** A row of `rows` of a Leadsie payload: the request's fields, then one asset's. */
export interface LeadsieRow extends LeadsieFlatRecord {
  /** `null` in the one row of a payload without assets. */
  type: string | null;
  id: string | null;
  name: string | null;
  is_success: boolean | null;
  /** v1 `message`, v2 `notes`. */
  message: string | null;
}

/** `flatten` of a LeadSquared body (Zapier naming: `parent__child`, `list[]field`). */
export interface LeadSquaredFlatRecord {
  /** The number of records of a bulk (array) body, whose first record is flattened. */
  count?: number;
  /** From `opts.url`, when given. */
  entityType?: string | null;
  entityId?: string | null;
  eventType?: string | null;
  [key: string]: FlatValue | undefined;
}

/** `flatten` of a lead event (Zapier naming: `payload__first_name`, …). Never holds the `secret`. */
export interface LeadEventFlatRecord {
  id_space: string;
  event: string;
  secret?: never;
  [key: string]: FlatValue | undefined;
}

/** A signed lead event, flattened: the envelope, then `data__<field>` in Zapier's naming. */
export interface LeadEventV2FlatRecord {
  eventId: string;
  timestamp: string;
  workspaceId: string;
  event: string;
  [key: string]: FlatValue | undefined;
}

/** `flatten` output of each kind. */
export interface FlatOf {
  "leadsie.v1": LeadsieFlatRecord;
  "leadsie.v2": LeadsieFlatRecord;
  leadsquared: LeadSquaredFlatRecord;
  "lead-event": LeadEventFlatRecord;
  "lead-event.v2": LeadEventV2FlatRecord;
}

/** A row of `rows` of each kind. */
export interface RowOf {
  "leadsie.v1": LeadsieRow;
  "leadsie.v2": LeadsieRow;
  leadsquared: LeadSquaredFlatRecord;
  "lead-event": LeadEventFlatRecord;
  "lead-event.v2": LeadEventV2FlatRecord;
}

/** The flat record of a kind: its own type above, or for a kind without one, a `FlatRecord`. */
export type FlatFor<K extends Kind> = K extends keyof FlatOf ? FlatOf[K] : FlatRecord;
/** A row of `rows` of a kind: its own type above, or for a kind without one, a `FlatRecord`. */
export type RowFor<K extends Kind> = K extends keyof RowOf ? RowOf[K] : FlatRecord;

/**
 * A flat record as `codeStep` gives it: `flatten`'s (`R`, by `opts.kind`), with the payload's `rows`
 * as `line_items` when `lineItems` (or `inputData.line_items`) asks for them. Its `error` is always
 * undefined, so `if (out.error)` tells it from a `CodeStepError`. (`"error" in out` cannot narrow
 * here: TypeScript keeps a type with a string index signature, as every flat record has, on both
 * sides of an `in` check.)
 */
export type CodeStepRecord<R extends object = FlatRecord> = R & { error?: undefined; line_items?: FlatRecord[] };

/**
 * `codeStep`'s answer for a delivery of several events (a LeadSquared array of several records,
 * without `lineItems`): one record per event, which Zapier runs the next steps for one by one.
 */
export type CodeStepRecords = CodeStepRecord[] & { error?: undefined };

/** What `codeStep` returns for a payload it cannot flatten, as Leadsie's own code step does. */
export interface CodeStepError {
  /** A one-line summary: `leadhook: ` and the first error, and how many more. Never empty. */
  error: `leadhook: ${string}`;
  errors: Issue[];
  /** The payload's top-level keys, when it was an object. */
  available_keys: string[];
}

/**
 * `codeStep`'s answer: a record, the records of a delivery of several events, or a `CodeStepError`.
 * `if (out.error)` (or `out.error !== undefined`) narrows it; then `Array.isArray(out)` tells the
 * records from the record. Naming a kind other than `leadsquared`, or asking for `lineItems`, rules
 * the array out (only a LeadSquared array carries several events, and line items keep them in one).
 */
export type CodeStepResult<R extends object = FlatRecord> = CodeStepRecord<R> | CodeStepRecords | CodeStepError;

/** `parseEventType`'s answer. */
export interface EventTypeInfo {
  /** From a URL's query: `webhook`, `rule` or `automation`. */
  entityType: string | null;
  /** From a URL's query: the webhook's or rule's id. */
  entityId: string | null;
  /** The code, e.g. `SalesActivity_Post_Create`; `""` for a URL without one. */
  eventType: string;
  /** `SalesActivity` */
  entity: string;
  method: "GET" | "POST" | null;
  /** `Create`, `Stage_Change`, … */
  action: string;
}

/** A JSON Schema (draft 2020-12) document. */
export interface JsonSchema {
  $schema: "https://json-schema.org/draft/2020-12/schema";
  title: string;
  [key: string]: unknown;
}

/**
 * Request headers as `verifyHeader` reads them: a fetch `Headers` (or anything with a `get`
 * method, such as an Express request), a `Map`, or a Node headers object.
 */
export type HeadersLike =
  | { get(name: string): string | string[] | null | undefined }
  | ReadonlyMap<string, string | readonly string[] | null | undefined>
  | { readonly [name: string]: string | readonly string[] | null | undefined };

// ---------------------------------------------------------------------------------------------
// Functions

/** The payload's kind, or `null` when it is unreadable or of no known kind. Never throws. */
export declare function detect(input: Input, opts?: Options): Kind | null;

/** Every issue with the payload, in document order. Never throws. */
export declare function validate(input: Input, opts?: Options): Report;

/** The payload as data, typed for `opts.kind`. Throws `LeadhookError` when it is not valid. */
export declare function parse<K extends Kind>(input: Input, opts: OptionsOf<K>): ParseResult<K>;
/** The payload as data: narrow the result on `kind`. Throws `LeadhookError` when it is not valid. */
export declare function parse(input: Input, opts?: Options): ParseResult;

/** The payload as one flat record of scalars, typed for `opts.kind`. Throws `LeadhookError` when it is not valid. */
export declare function flatten<K extends Kind>(input: Input, opts: OptionsOf<K>): FlatFor<K>;
/** The payload as one flat record of scalars. Throws `LeadhookError` when it is not valid. */
export declare function flatten(input: Input, opts?: Options): FlatRecord;

/** One flat record per Leadsie asset or LeadSquared record (one for a lead event), typed for `opts.kind`. Throws `LeadhookError` when it is not valid. */
export declare function rows<K extends Kind>(input: Input, opts: OptionsOf<K>): RowFor<K>[];
/** One flat record per Leadsie asset or LeadSquared record (one for a lead event); every row has the same keys in the same order. Throws `LeadhookError` when it is not valid. */
export declare function rows(input: Input, opts?: Options): FlatRecord[];

/** RFC 4180 CSV of rows you already have (an array of flat objects). Throws `LeadhookError` when a value is not a scalar. */
export declare function toCsv(rows: readonly FlatRecord[], opts?: Options): string;
/** RFC 4180 CSV (header row, CRLF, formula cells prefixed with `'`) of the payload's `rows`. Throws `LeadhookError` when it is not valid. */
export declare function toCsv(input: Input, opts?: Options): string;

/** What an upgraded legacy lead event says of where it came from. */
export interface UpgradedFrom {
  kind: "lead-event";
  /** The legacy event's name. */
  event: string;
  /** Whether the event has a current counterpart (else it kept its name). */
  mapped: boolean;
}

/** A legacy lead event in the current format: a `lead-event.v2` event, with `upgradedFrom`. */
export type UpgradedLeadEvent = LeadEventV2 & { upgradedFrom?: UpgradedFrom };

/**
 * The current shape of a payload: a Leadsie v1 payload in the v2 shape (`apiVersion: 2`,
 * `connectionStatus`, `notes`, v2 type labels), a legacy lead event as a `lead-event.v2` event
 * (rev 3: its event's current name, a lead as a `person` record, `upgradedFrom`; no `secret`);
 * a current payload as it is. `opts` is an addition to the contract; its `kind` narrows the type.
 * Throws `LeadhookError` when the payload is not valid, or is LeadSquared's.
 */
export declare function upgrade(input: Input, opts: Options & { kind: "leadsie.v1" | "leadsie.v2" }): LeadsieV2Payload;
/** A lead event in the current (`lead-event.v2`) format, narrowed by its `event`. Throws `LeadhookError` when it is not valid. */
export declare function upgrade(input: Input, opts: Options & { kind: "lead-event" | "lead-event.v2" }): UpgradedLeadEvent;
/** The current shape of a payload of any kind but LeadSquared's. Throws `LeadhookError` when it is not valid, or is LeadSquared's. */
export declare function upgrade(input: Input, opts?: Options): LeadsieV2Payload | UpgradedLeadEvent;

/**
 * Whether a lead event's `secret` equals `expected`, compared in constant time. Never throws:
 * `false` when `expected` is not a non-empty string or the body is unreadable, too large or has
 * no `secret`. `opts` (e.g. `maxBytes`) is an addition to the contract.
 */
export declare function verifySecret(input: Input, expected: string | null | undefined, opts?: Options): boolean;

/**
 * Whether header `name` (any case) holds exactly `expected`, compared in constant time. Never
 * throws: `false` when the header is missing, repeated, not a string, or `expected` is not a
 * non-empty string.
 */
export declare function verifyHeader(headers: HeadersLike, name: string, expected: string | null | undefined): boolean;

/**
 * A LeadSquared event code (`SalesActivity_Post_Create`) split into entity, method and action;
 * given a webhook URL, also its `entityType` and `entityId`.
 * @throws {TypeError} when the argument is not a string.
 */
export declare function parseEventType(eventTypeOrUrl: string): EventTypeInfo;

/** `codeStep` with `lineItems`: one record, typed for `opts.kind`, with its rows as `line_items`, or a `CodeStepError`. Never throws. */
export declare function codeStep<K extends Kind>(inputData: unknown, opts: OptionsOf<K> & { lineItems: true }): CodeStepRecord<FlatFor<K>> & { line_items: RowFor<K>[] } | CodeStepError;
/** `codeStep` with `lineItems`: one record, with its rows as `line_items`, or a `CodeStepError`. Never throws. */
export declare function codeStep(inputData: unknown, opts: Options & { lineItems: true }): CodeStepRecord & { line_items: FlatRecord[] } | CodeStepError;
/** `codeStep` of a kind that carries one event per delivery: its flat record, typed for `opts.kind`, or a `CodeStepError`. Never throws. */
export declare function codeStep<K extends Exclude<Kind, "leadsquared">>(inputData: unknown, opts: OptionsOf<K>): CodeStepRecord<FlatFor<K>> | CodeStepError;
/**
 * For a Zapier / Make / n8n code step: takes `inputData` (the payload under `payload`, as a
 * string or an object, or the raw payload itself) and returns the `flatten` output (an array of
 * them for a delivery of several events), or a `CodeStepError` (`{ error, errors, available_keys }`).
 * Never throws.
 */
export declare function codeStep(inputData: unknown, opts?: Options): CodeStepResult;

/**
 * The JSON Schema (draft 2020-12) of a kind, generated from the validator's own field tables.
 * @throws {TypeError} when `kind` is not one of the four kinds.
 */
export declare function schema(kind: Kind): JsonSchema;

/** Every kind, in detection order. */
export declare function kinds(): Kind[];

/**
 * Whether a delivery's raw body (as received: a string or bytes, never a parsed object) carries
 * a valid HMAC-SHA256 signature by `secret` (or one of several, while rotating), with a
 * timestamp within the tolerance. `false` for any missing or malformed piece. Never throws.
 */
export declare function verifySignature(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: HeadersLike,
  secret: string | readonly string[],
  opts?: SignatureOptions,
): boolean;

/** Why a signature holds or not: `checkSignature`'s answer. */
export interface SignatureCheck {
  ok: boolean;
  /**
   * `null` when it holds; else `"header.missing"`, `"header.malformed"` (the message names the
   * header), `"timestamp.stale"`, `"timestamp.future"`, `"signature.mismatch"`, `"body.parsed"`
   * (an object was given: signatures cover the raw bytes), `"secret.format"` (a secret of the
   * other scheme), `"options.invalid"`, or `"internal.trap"`.
   */
  reason:
    | null
    | "header.missing"
    | "header.malformed"
    | "timestamp.stale"
    | "timestamp.future"
    | "signature.mismatch"
    | "body.parsed"
    | "secret.format"
    | "options.invalid"
    | "internal.trap";
  /** How long ago the delivery was signed (negative: ahead of now), when its timestamp could be read. */
  ageSeconds: number | null;
  /** What is likely wrong, for people; never the secret or the expected signature. */
  message: string | null;
}

/**
 * `verifySignature`, saying why: `{ ok, reason, ageSeconds, message }`. Takes the same
 * arguments and the same time whatever the secret's bytes. Never throws.
 */
export declare function checkSignature(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: HeadersLike,
  secret: string | readonly string[],
  opts?: SignatureOptions,
): SignatureCheck;

/** A stable idempotency key: the same for a redelivery of an event, another for another event; `null` for a payload that is not valid. Never throws. */
export declare function eventKey(input: Input, opts?: Options): string | null;

/** One event of a delivery, as `events` gives it. */
export interface DeliveryEvent<R = FlatRecord | FlatRecord[]> {
  kind: Kind;
  /** The event's own idempotency key: what `eventKey` gives the event sent alone. */
  eventKey: string;
  /** Its place in the delivery. */
  index: number;
  /** Its flat record, or with `output: "rows"` its rows. */
  record: R;
}

/**
 * The events a delivery carries, in order: one per record of a LeadSquared array (each with the
 * key of its own record), one for any other payload. Throws `LeadhookError` when the body is
 * not a valid payload.
 */
export declare function events(input: Input, opts?: Options & { output?: "flatten" | null }): DeliveryEvent<FlatRecord>[];
/** The events a delivery carries, each with its `rows` as its record. Throws `LeadhookError` when the body is not a valid payload. */
export declare function events(input: Input, opts: Options & { output: "rows" }): DeliveryEvent<FlatRecord[]>[];

/** One undocumented path of a kind's deliveries, as `drift` counts it. */
export interface DriftField {
  /** A JSON Pointer with array indices as `*`. */
  path: string;
  code: "field.unknown" | "field.enum" | "field.type" | "field.format" | "field.deprecated";
  /** What the code means, for people. */
  what: string;
  /** In how many of the reports it was seen. */
  count: number;
}

/**
 * What live deliveries show that the tables do not document, from their reports (made with
 * `strict: true` to see undocumented fields too): per kind, how many reports and each path and
 * code with its count. Names and codes only, never a value. Never throws.
 */
export declare function drift(reports: Report | readonly Report[]): Record<string, { reports: number; fields: DriftField[] }>;

/** The whole API as one object: `import leadhook from "leadhook"` (or `require("leadhook").default`). */
declare const leadhook: {
  readonly detect: typeof detect;
  readonly validate: typeof validate;
  readonly parse: typeof parse;
  readonly flatten: typeof flatten;
  readonly rows: typeof rows;
  readonly toCsv: typeof toCsv;
  readonly upgrade: typeof upgrade;
  readonly verifySecret: typeof verifySecret;
  readonly verifyHeader: typeof verifyHeader;
  readonly parseEventType: typeof parseEventType;
  readonly codeStep: typeof codeStep;
  readonly schema: typeof schema;
  readonly kinds: typeof kinds;
  readonly verifySignature: typeof verifySignature;
  readonly checkSignature: typeof checkSignature;
  readonly eventKey: typeof eventKey;
  readonly events: typeof events;
  readonly drift: typeof drift;
  readonly LeadhookError: typeof LeadhookError;
};
export default leadhook;
