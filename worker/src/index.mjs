// A ready webhook receiver on Cloudflare Workers, Queues and D1. Every delivery is checked (its
// kind's credentials first, then its payload), split into its events, and each event stored in
// D1 before the sender gets its answer; the queue carries the delivery's id to the consumer,
// which forwards each event to FORWARD_URL with its eventKey as Idempotency-Key, never one key
// twice, retries with backoff, and keeps what never got through as dead letters (listed and
// replayed at /_leadhook/deliveries and /_leadhook/replay with ADMIN_TOKEN). Configured in
// wrangler.toml and by secrets (.dev.vars locally).
import { createHandler } from "leadhook/handler";

/** The handler for this environment, built once (a Worker's env is known at the first request). */
let made;
function handlerFor(env) {
  if (made && made.env === env) return made.handler;
  const auth = {};
  if (env.LEADSIE_TOKEN) auth.leadsie = { query: env.LEADSIE_QUERY || "token", value: env.LEADSIE_TOKEN };
  if (env.LEADSQUARED_TOKEN) {
    auth.leadsquared = env.LEADSQUARED_QUERY
      ? { query: env.LEADSQUARED_QUERY, value: env.LEADSQUARED_TOKEN }
      : { header: env.LEADSQUARED_HEADER || "X-Webhook-Token", value: env.LEADSQUARED_TOKEN };
  }
  if (env.LEAD_EVENT_SECRET) auth["lead-event"] = { secret: env.LEAD_EVENT_SECRET };
  if (env.SIGNING_SECRET) auth["lead-event.v2"] = { signingSecret: env.SIGNING_SECRET };
  for (const kind of String(env.AUTH_NONE || "").split(",").map((k) => k.trim()).filter(Boolean)) auth[kind] = "none";
  const handler = createHandler({
    forward: env.FORWARD_URL,
    output: env.OUTPUT || "flatten",
    auth,
    store: "LEADHOOK_DB",
    queue: "DELIVERIES",
    deadLetterQueue: env.DEAD_LETTER_QUEUE || "leadhook-dead",
    ...(env.ADMIN_TOKEN ? { adminToken: env.ADMIN_TOKEN } : {}),
    ...(env.DEAD_LETTER_URL ? { deadLetter: env.DEAD_LETTER_URL } : {}),
    ...(env.RETRY_DELAY_SECONDS ? { retryDelaySeconds: Number(env.RETRY_DELAY_SECONDS) } : {}),
    ...(env.MAX_ATTEMPTS ? { maxAttempts: Number(env.MAX_ATTEMPTS) } : {}),
    ...(env.DEDUPE_SECONDS ? { dedupeSeconds: Number(env.DEDUPE_SECONDS) } : {}),
    ...(env.MAX_BYTES ? { maxBytes: Number(env.MAX_BYTES) } : {}),
    ...(env.QUIET ? { log: () => {} } : {}),
  });
  made = { env, handler };
  return handler;
}

export default {
  fetch: (request, env, ctx) => handlerFor(env)(request, env, ctx),
  queue: (batch, env, ctx) => handlerFor(env).queue(batch, env, ctx),
  scheduled: (event, env, ctx) => handlerFor(env).scheduled(event, env, ctx),
};
