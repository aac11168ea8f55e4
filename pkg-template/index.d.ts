// Types of the npm package `leadhook`. scripts/build.sh copies this file to index.d.cts for
// `require`; keep it free of imports so that the one text serves both.

/** The payload kinds. */
export type Kind = "leadsie.v1" | "leadsie.v2" | "leadsquared" | "lead-event";

/** What is wrong. Codes never change meaning; messages may change. */
export type IssueCode =
  | "input.type"
  | "input.encoding"
  | "input.too_large"
  | "input.too_deep"
  | "json.syntax"
  | "json.duplicate_key"
  | "kind.unknown"
  | "field.missing"
  | "field.type"
  | "field.format"
  | "field.enum"
  | "field.unknown"
  | "field.deprecated";

/** One problem with a payload. */
export interface Issue {
  /** JSON Pointer (RFC 6901) to the value; `""` is the whole payload. */
  path: string;
  code: IssueCode;
  /** For humans; may change between versions. */
  message: string;
}

/** What `validate` returns. `ok` is `errors.length === 0`. */
export interface Report {
  ok: boolean;
  kind: Kind | null;
  errors: Issue[];
  warnings: Issue[];
}

/** A payload that validated. Unknown fields are kept. */
export interface Parsed<T = any> {
  kind: Kind;
  data: T;
  warnings: Issue[];
}

export interface Options {
  /** Skip detection and read the payload as this kind. */
  kind?: Kind | null;
  /** The request's Content-Type; form-encoded bodies are decoded. Sniffed when absent. */
  contentType?: string | null;
  /** The request URL; LeadSquared's `entityType`, `entityId` and `eventType` are read from it. */
  url?: string | null;
  /** Unknown enum values become errors, undocumented fields `field.unknown` warnings. Default `false`. */
  strict?: boolean | null;
  /** Larger inputs are refused (`input.too_large`) before they are read. Default 5 MiB; `Infinity` for none. */
  maxBytes?: number | null;
  /** Deeper nesting is refused (`input.too_deep`). Default 64. */
  maxDepth?: number | null;
}

/**
 * A payload: the raw body as a string or UTF-8 bytes (`Uint8Array`, Node `Buffer`, `ArrayBuffer`
 * or any other `ArrayBufferView`), or an already-parsed plain object or array.
 */
export type Input = string | Uint8Array | ArrayBuffer | ArrayBufferView | object;

/** Thrown by `parse` when the payload is not valid. */
export declare class LeadhookError extends Error {
  constructor(report: Report);
  name: "LeadhookError";
  /** The failed report. */
  readonly report: Report;
  /** `report.errors`. */
  readonly issues: Issue[];
}

/** The payload's kind, or `null` when it is unreadable or of no known kind. Never throws. */
export declare function detect(input: Input, opts?: Options): Kind | null;

/** Every issue with the payload, in document order. Never throws. */
export declare function validate(input: Input, opts?: Options): Report;

/** The payload as data. Throws `LeadhookError` when it is not valid. */
export declare function parse<T = any>(input: Input, opts?: Options): Parsed<T>;
