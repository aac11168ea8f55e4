// Type-checked by types.test.mjs: leadhook/handler and leadhook/node as a user writes them.
import { createHandler, type HandlerOptions, type Handler } from "leadhook/handler";
import { createNodeHandler } from "leadhook/node";
import http from "node:http";
import { samples, type Sample } from "leadhook/samples";

const first: Sample = samples[0];
const sampleKind: string | null = first.kind;
// @ts-expect-error a sample's body is text
const sampleBody: object = first.body;

const options: HandlerOptions = {
  forward: { url: "https://hooks.example/catch", headers: { "x-team": "growth" } },
  output: "rows",
  auth: {
    leadsie: { query: "token", value: "t" },
    leadsquared: { header: "X-Webhook-Token", value: "t" },
    "lead-event": { secret: "wh_x" },
    "lead-event.v2": "none",
  },
  queue: "DELIVERIES",
  maxBytes: 1 << 20,
  retryDelaySeconds: 30,
  deadLetterQueue: "leadhook-dead",
  store: "LEADHOOK_DB",
  dedupeSeconds: 86400,
  adminToken: "a-long-admin-token-0123",
};
const handler: Handler = createHandler(options);
const worker = { fetch: handler.fetch, queue: handler.queue };
const viaFunction = createHandler({ forward: async (records, meta) => void [records, meta.eventKey], auth: { leadsie: "none" } });
const listener = createNodeHandler({ ...options, store: "leadhook.db" });
http.createServer(listener);
const dead = await listener.store().list({ state: "dead" });
const keys: string[] = dead.map((e) => e.eventKey);
await listener.close();

// @ts-expect-error an auth entry needs its credential
createHandler({ forward: "https://x.example", auth: { leadsquared: { header: "X-Token" } } });
// @ts-expect-error output is "flatten" or "rows"
createHandler({ forward: "https://x.example", auth: {}, output: "csv" });
// @ts-expect-error forward is required
createHandler({ auth: {} });
