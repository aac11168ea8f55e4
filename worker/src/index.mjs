// A ready webhook receiver on Cloudflare Workers and Queues. Every delivery is checked (its
// kind's credentials, its payload) and enqueued before the sender gets its 2xx; the queue's
// consumer forwards the flat record to FORWARD_URL with the eventKey as Idempotency-Key, retries
// with backoff, and after the last try the message goes to the dead-letter queue, logged with
// its report (and POSTed to DEAD_LETTER_URL when set). Configured in wrangler.toml and by secrets.
import { createHandler } from "leadhook/handler";

/** The handler for this environment, built once (a Worker's env is known at the first request). */
let made;
function handlerFor(env) {
  if (made && made.env === env) return made.handler;
  const auth = {};
  if (env.LEADSIE_TOKEN) auth.leadsie = { query: env.LEADSIE_QUERY || "token", value: env.LEADSIE_TOKEN };
  if (env.LEADSQUARED_TOKEN) auth.leadsquared = { header: env.LEADSQUARED_HEADER || "X-Webhook-Token", value: env.LEADSQUARED_TOKEN };
  if (env.LEAD_EVENT_SECRET) auth["lead-event"] = { secret: env.LEAD_EVENT_SECRET };
  if (env.SIGNING_SECRET) auth["lead-event.v2"] = { signingSecret: env.SIGNING_SECRET };
  for (const kind of String(env.AUTH_NONE || "").split(",").map((k) => k.trim()).filter(Boolean)) auth[kind] = "none";
  const handler = createHandler({
    forward: env.FORWARD_URL,
    output: env.OUTPUT || "flatten",
    auth,
    queue: "DELIVERIES",
    deadLetterQueue: env.DEAD_LETTER_QUEUE || "leadhook-dead",
    ...(env.DEAD_LETTER_URL ? { deadLetter: env.DEAD_LETTER_URL } : {}),
    ...(env.RETRY_DELAY_SECONDS ? { retryDelaySeconds: Number(env.RETRY_DELAY_SECONDS) } : {}),
    ...(env.MAX_BYTES ? { maxBytes: Number(env.MAX_BYTES) } : {}),
    ...(env.QUIET ? { log: () => {} } : {}),
  });
  made = { env, handler };
  return handler;
}

export default {
  fetch: (request, env, ctx) => handlerFor(env)(request, env, ctx),
  queue: (batch, env, ctx) => handlerFor(env).queue(batch, env, ctx),
};
