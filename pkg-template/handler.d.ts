// Types of `leadhook/handler`: the webhook receiver.
import type { ActivityFields, FlatRecord, Kind } from "./index.js";

/** What a forward function gets beside the record. */
export interface ForwardMeta {
  kind: Kind;
  /** The event's idempotency key (also sent as `Idempotency-Key`). */
  eventKey: string;
  /** The event's place in its delivery (a LeadSquared array's record number). */
  index: number;
  /** Which try this is, from 1. */
  tries: number;
}

/** Where each event goes: a URL (POSTed as JSON), a URL with headers, or a function (throw to fail). */
export type Forward =
  | string
  | { url: string; headers?: Record<string, string> }
  | ((record: FlatRecord | FlatRecord[], meta: ForwardMeta) => Promise<void>);

/** A Cloudflare Queue binding, as far as the handler uses it. */
export interface QueueLike {
  send(message: unknown): Promise<unknown>;
}

/** A Cloudflare D1 database binding, as far as the handler uses it. */
export interface D1Like {
  prepare(sql: string): unknown;
  batch(statements: unknown[]): Promise<unknown[]>;
  exec(sql: string): Promise<unknown>;
}

/** One stored event, as the store lists it. */
export interface StoredEvent {
  eventKey: string;
  /** The id the receiver gave the delivery that stored it. */
  delivery: string;
  index: number;
  kind: Kind;
  state: "pending" | "failed" | "forwarded" | "dead";
  tries: number;
  lastError: string | null;
  /** How many more times it was delivered (and not forwarded again). */
  duplicates: number;
  receivedAt: string;
  doneAt: string | null;
  /** What is forwarded: the flat record (or rows), which never holds a secret. */
  record: FlatRecord | FlatRecord[];
}

/** The receiver's store: D1 in a Worker, an SQLite file in Node (see store.js for one of your own). */
export interface Store {
  list(options?: { state?: StoredEvent["state"] | "duplicate" | null; limit?: number }): Promise<StoredEvent[]>;
  /** Makes events due again (the given keys, or every dead letter); resolves with their keys. */
  replay(keys: string[] | "dead", now: number): Promise<string[]>;
  counts(): Promise<{ pending: number; failed: number; forwarded: number; dead: number }>;
  /** Per kind, each undocumented path and code live deliveries showed, counted, with when first and last seen. */
  drift(): Promise<Record<string, Array<{ path: string; code: string; count: number; firstSeen: string; lastSeen: string }>>>;
  add(delivery: string, events: Array<{ eventKey: string; kind: Kind; index: number; record: string }>, now: number, forgetBefore: number): Promise<Set<string>>;
  claim(options: { now: number; leaseUntil: number; limit: number; delivery?: string | null }): Promise<unknown[]>;
  close?(): void;
}

/** How `createHandler` receives, checks, stores and forwards deliveries. */
export interface HandlerOptions {
  forward: Forward;
  /** `"flatten"` (the default): one forward per event; `"rows"`: one per delivery, an array of its rows. */
  output?: "flatten" | "rows";
  /** Per kind; a kind without an entry is refused (401). Opting out is explicit: `"none"`. */
  auth: {
    leadsie?: { query: string; value: string } | { header: string; value: string } | "none";
    leadsquared?: { header: string; value: string } | { query: string; value: string } | "none";
    "lead-event"?: { secret: string } | "none";
    "lead-event.v2"?: { signingSecret: string } | "none";
  };
  /**
   * Where events are stored before they are acknowledged. Workers: a D1 binding, or its name in
   * `env`. Node: an SQLite file path (default `"leadhook.db"`), or `":memory:"` (lost with the
   * process). Or a `Store`.
   */
  store?: D1Like | string | Store;
  /** How long a forwarded eventKey is remembered, so that a redelivery is not forwarded again. Default 7 days. */
  dedupeSeconds?: number;
  /** A Queue binding, or the name of one in the Worker's `env`: its consumer forwards each stored delivery. */
  queue?: QueueLike | string;
  /** Larger bodies are refused with 413 before they are read whole. Default 5 MiB. */
  maxBytes?: number;
  /** Tries of a forward before the event is a dead letter. Default 10. */
  maxAttempts?: number;
  /** How long one forward may take. Default 10000. */
  timeoutMs?: number;
  /** The wait before the first retry; each next one doubles (at most 12 hours). Default 2. */
  retryDelaySeconds?: number;
  /** The dead-letter queue's name: a message there makes its delivery's unforwarded events dead letters. */
  deadLetterQueue?: string;
  /** Where a dead letter is also sent: a URL (POSTed `{kind, eventKey, error, tries, record}`) or a function. */
  deadLetter?: string | ((record: FlatRecord | FlatRecord[], meta: ForwardMeta & { error: string }) => Promise<void>);
  /** With it, `GET /_leadhook/deliveries` and `POST /_leadhook/replay` answer `Authorization: Bearer <adminToken>`. At least 16 characters. */
  adminToken?: string;
  /** Receives one object per delivery and per forward (never a secret or a body). Default: a JSON line on the console. */
  log?: (line: Record<string, unknown>) => void;
  /** What your LeadSquared account calls each activity event's `mx_Custom_N` fields, by `ActivityEvent`: the forwarded records use these names (`Options.activityFields`). */
  activityFields?: ActivityFields;
}

/** A Queues message batch, as far as the handler uses it. */
export interface MessageBatchLike {
  queue: string;
  messages: Array<{ id: string; body: unknown; attempts: number; ack(): void; retry(options?: { delaySeconds?: number }): void }>;
}

/** A fetch-style handler (a Worker's `fetch`, or `(request) => Response`) with its queue consumer, cron, store and shutdown. */
export interface Handler {
  (request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  /** The Queues consumer: `export default { fetch: handler.fetch, queue: handler.queue }`. */
  queue(batch: MessageBatchLike, env?: unknown, ctx?: unknown): Promise<void>;
  /** A Cron Trigger: forwards what is due (retries, and events whose queue message was lost). */
  scheduled(event?: unknown, env?: unknown, ctx?: unknown): Promise<void>;
  /** Forwards everything due now (Node does this on its own, every second); resolves with the counts. */
  drain(env?: unknown): Promise<{ forwarded: number; failed: number }>;
  /** The store, for listing and replaying. */
  store(env?: unknown): Store;
  /** Stops forwarding, waits for a forward under way, closes the store. */
  close(): Promise<void>;
}

/** Throws a `TypeError` for an unknown option or a malformed one, or (Node) when no SQLite can be opened. */
export declare function createHandler(options: HandlerOptions): Handler;
export default createHandler;
