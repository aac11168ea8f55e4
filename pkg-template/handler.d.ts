// Types of `leadhook/handler`: the webhook receiver.
import type { FlatRecord, Kind, Report } from "./index.js";

/** What a forward function gets beside the records. */
export interface ForwardMeta {
  kind: Kind;
  /** The delivery's idempotency key (also sent as `Idempotency-Key`). */
  eventKey: string;
  report: Report;
}

/** Where valid deliveries go: a URL (POSTed as JSON), a URL with headers, or a function (throw to fail). */
export type Forward =
  | string
  | { url: string; headers?: Record<string, string> }
  | ((records: FlatRecord | FlatRecord[], meta: ForwardMeta) => Promise<void>);

/** A Cloudflare Queue binding, as far as the handler uses it. */
export interface QueueLike {
  send(message: unknown): Promise<unknown>;
}

export interface HandlerOptions {
  forward: Forward;
  /** `"flatten"` (the default): one record per delivery; `"rows"`: an array, one per asset or record. */
  output?: "flatten" | "rows";
  /** Per kind; a kind without an entry is refused (401). Opting out is explicit: `"none"`. */
  auth: {
    leadsie?: { query: string; value: string } | { header: string; value: string } | "none";
    leadsquared?: { header: string; value: string } | "none";
    "lead-event"?: { secret: string } | "none";
    "lead-event.v2"?: { signingSecret: string } | "none";
  };
  /** A Queue binding, or the name of one in the Worker's `env`: delivery through the queue. */
  queue?: QueueLike | string;
  /** Larger bodies are refused with 413 before they are read whole. Default 5 MiB. */
  maxBytes?: number;
  /** Tries of a forward without a queue. Default 3. */
  maxAttempts?: number;
  /** How long one forward may take. Default 5000. */
  timeoutMs?: number;
  /** The wait before the first retry; each next one doubles. Default 1. */
  retryDelaySeconds?: number;
  /** The dead-letter queue's name: its batches are logged (and sent to `deadLetter`), not forwarded. */
  deadLetterQueue?: string;
  /** Where a dead letter is also sent: a URL (POSTed `{kind, eventKey, report, records}`) or a function. */
  deadLetter?: string | ((records: FlatRecord | FlatRecord[] | null, meta: ForwardMeta) => Promise<void>);
  /** Receives one object per event (never a secret or a body). Default: a JSON line on the console. */
  log?: (line: Record<string, unknown>) => void;
}

/** A Queues message batch, as far as the handler uses it. */
export interface MessageBatchLike {
  queue: string;
  messages: Array<{ id: string; body: unknown; attempts: number; ack(): void; retry(options?: { delaySeconds?: number }): void }>;
}

export interface Handler {
  (request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  /** The Queues consumer: `export default { fetch: handler.fetch, queue: handler.queue }`. */
  queue(batch: MessageBatchLike, env?: unknown, ctx?: unknown): Promise<void>;
}

/** Throws a `TypeError` for an unknown option or a malformed one. */
export declare function createHandler(options: HandlerOptions): Handler;
export default createHandler;
