// The webhook receiver: `createHandler(options)` gives a fetch-style handler,
// `(request, env?, ctx?) => Promise<Response>`, with a `queue(batch, env, ctx)` method for a
// Cloudflare Queues consumer. It is built on the public API (an entry's exports), once per
// runtime entry (handler.*.mjs); the logic lives here.
//
// A delivery is refused before anything is forwarded: 413 when it is over maxBytes (read no
// further), 401 when its kind's credentials are wrong or its kind has no `auth` entry, 422 with
// the report when it is not a valid payload. LeadSquared is answered as it asks: HEAD and an empty
// POST (how it checks a new endpoint) get 200 Success, and a refusal is a 200 with
// {"Status": "Error", "StatusReason"} (a non-200 would count as a failed delivery, retried and
// then disabled, and a retry cannot help). A valid delivery is forwarded one event at a time
// (each record of a LeadSquared array is an event: its flat record as JSON, its own eventKey as
// Idempotency-Key), or as one array of rows with `output: "rows"`: with a queue, it is enqueued
// before the sender gets its 2xx and the consumer forwards it (the queue retries, then moves it to
// the dead-letter queue); without one, the sender's 2xx waits for the forward, and a forward that
// failed gets a 502, so that a sender that retries sends it again. Secrets never reach a log line
// or a forwarded record.
//
// This file must stay a plain ES module with no imports and a single `export { … };` statement
// at the end: scripts/build.sh derives receiver.cjs from it.

const HANDLER_OPTIONS = [
  "forward", "output", "auth", "queue", "maxBytes", "maxAttempts", "timeoutMs", "retryDelaySeconds",
  "deadLetterQueue", "deadLetter", "log",
];
const RECEIVER_MAX_BYTES = 5 * 1024 * 1024;
const MESSAGE_VERSION = 1;

/** The `auth` entry that covers a kind (both Leadsie versions share one). */
function authKey(kind) {
  return kind === "leadsie.v1" || kind === "leadsie.v2" ? "leadsie" : kind;
}

/** The `auth` entries: the kinds, with both Leadsie versions under one. */
const authKinds = (api) => [...new Set(api.kinds().map(authKey))];

function checkOptions(options, authNames) {
  const fail = (message) => {
    throw new TypeError(`createHandler: ${message}`);
  };
  if (options === null || typeof options !== "object") fail("expects an options object");
  for (const name of Object.keys(options)) {
    if (!HANDLER_OPTIONS.includes(name)) fail(`unknown option \`${name}\` (known: ${HANDLER_OPTIONS.join(", ")})`);
  }
  const { forward, output = "flatten", auth, maxBytes, maxAttempts, timeoutMs, retryDelaySeconds, log } = options;
  const forwardOk =
    typeof forward === "string" ||
    typeof forward === "function" ||
    (forward !== null && typeof forward === "object" && typeof forward.url === "string");
  if (!forwardOk) fail("`forward` must be a URL, { url, headers }, or a function");
  const target = typeof forward === "string" ? forward : typeof forward === "object" ? forward.url : null;
  if (target !== null && !/^https?:\/\/[^/?#\s]/i.test(target)) {
    fail(`\`forward\` must be an absolute http(s) URL, such as "https://${target.replace(/^\/+/, "")}"; got ${JSON.stringify(target)}`);
  }
  if (output !== "flatten" && output !== "rows") fail('`output` must be "flatten" or "rows"');
  if (auth === null || typeof auth !== "object") fail("`auth` must be an object with an entry per kind (\"none\" to opt out)");
  for (const [kind, entry] of Object.entries(auth)) {
    if (!authNames.includes(kind)) fail(`\`auth\` has no kind \`${kind}\` (kinds: ${authNames.join(", ")})`);
    if (entry === "none") continue;
    const ok = {
      leadsie: (e) => typeof e.value === "string" && e.value !== "" && (typeof e.query === "string" || typeof e.header === "string"),
      leadsquared: (e) => typeof e.header === "string" && typeof e.value === "string" && e.value !== "",
      "lead-event": (e) => typeof e.secret === "string" && e.secret !== "",
      "lead-event.v2": (e) => typeof e.signingSecret === "string" && e.signingSecret !== "",
    }[kind];
    if (entry === null || typeof entry !== "object" || !ok(entry)) fail(`\`auth["${kind}"]\` is not a valid credential (see the README)`);
  }
  const positive = (v, name) => {
    if (v !== undefined && !(typeof v === "number" && v >= 0 && !Number.isNaN(v))) fail(`\`${name}\` must be a non-negative number`);
  };
  positive(maxBytes, "maxBytes");
  positive(maxAttempts, "maxAttempts");
  positive(timeoutMs, "timeoutMs");
  positive(retryDelaySeconds, "retryDelaySeconds");
  if (log !== undefined && typeof log !== "function") fail("`log` must be a function");
}

/** The body of a request, read up to `max` bytes: the bytes, or `null` when there are more. */
async function readLimited(request, max) {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const decoder = new TextDecoder();

function createReceiver(api) {
  return function createHandler(options) {
    checkOptions(options, authKinds(api));
    const output = options.output ?? "flatten";
    const maxBytes = options.maxBytes ?? RECEIVER_MAX_BYTES;
    const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
    const timeoutMs = options.timeoutMs ?? 5000;
    // Waits between tries: retryDelaySeconds, then twice that, and so on (in the request without a
    // queue; with one, as the queue's retry delay).
    const retryDelaySeconds = options.retryDelaySeconds ?? 1;
    const log = options.log ?? ((line) => console.log(JSON.stringify(line)));

    const json = (status, value) =>
      new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

    /** A refusal, as the sender's manners want it. */
    const refuse = (leadsquared, status, reason, extra) =>
      leadsquared ? json(200, { Status: "Error", StatusReason: reason }) : json(status, { ok: false, error: reason, ...extra });

    const authorised = (kind, bytes, request, url) => {
      const entry = options.auth[authKey(kind)];
      if (entry === undefined) return false; // opting out is explicit: "none"
      if (entry === "none") return true;
      switch (authKey(kind)) {
        case "leadsie":
          if (typeof entry.query === "string") {
            const given = url.searchParams.get(entry.query);
            return given !== null && api.verifyHeader(new Map([[entry.query, given]]), entry.query, entry.value);
          }
          return api.verifyHeader(request.headers, entry.header, entry.value);
        case "leadsquared":
          return api.verifyHeader(request.headers, entry.header, entry.value);
        case "lead-event":
          return api.verifySecret(bytes, entry.secret);
        case "lead-event.v2":
          return api.verifySignature(bytes, request.headers, entry.signingSecret);
        default:
          return false;
      }
    };

    /**
     * What a valid body is forwarded as: one forward per event (`events()`: each record of a
     * LeadSquared array is one), each with its own key; with `output: "rows"`, one forward of
     * the delivery's rows. `[{ records, eventKey, index }]`.
     */
    const forwards = (body, opts, deliveryKey) =>
      output === "rows"
        ? [{ records: api.rows(body, opts), eventKey: deliveryKey, index: 0 }]
        : api.events(body, opts).map((e) => ({ records: e.record, eventKey: e.eventKey, index: e.index }));

    /** Forwards once: resolves on success, throws on failure (with `status` when there was one). */
    const forwardOnce = async (recs, meta) => {
      const { forward } = options;
      if (typeof forward === "function") return forward(recs, meta);
      const target = typeof forward === "string" ? { url: forward } : forward;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await fetch(target.url, {
          method: "POST",
          headers: {
            ...(target.headers ?? {}),
            "content-type": "application/json",
            "idempotency-key": meta.eventKey,
            "x-leadhook-kind": meta.kind,
          },
          body: JSON.stringify(recs),
          signal: controller.signal,
        });
        await res.arrayBuffer().catch(() => {});
        if (!res.ok) throw Object.assign(new Error(`forward answered ${res.status}`), { status: res.status });
      } finally {
        clearTimeout(timer);
      }
    };

    /** The request URL without the query parameter that holds a credential, when one does. */
    const withoutCredential = (url, kind) => {
      const entry = options.auth[authKey(kind)];
      if (entry === null || typeof entry !== "object" || typeof entry.query !== "string") return url.href;
      const clean = new URL(url.href);
      clean.searchParams.delete(entry.query);
      return clean.href;
    };

    const errorText = (e) => (e && e.status ? `status ${e.status}` : String((e && e.name) || "error"));

    async function handle(request, env, ctx) {
      const url = new URL(request.url);
      const leadsquaredUrl = url.searchParams.has("eventType");
      if (request.method === "HEAD") return new Response(null, { status: 200 });
      if (request.method !== "POST") return new Response("POST only", { status: 405, headers: { allow: "POST, HEAD" } });
      const declared = Number(request.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > maxBytes) {
        log({ event: "refused", status: 413 });
        return refuse(leadsquaredUrl, 413, `the body is over ${maxBytes} bytes`);
      }
      const bytes = await readLimited(request, maxBytes);
      if (bytes === null) {
        log({ event: "refused", status: 413 });
        return refuse(leadsquaredUrl, 413, `the body is over ${maxBytes} bytes`);
      }
      // A POST with an empty body is how LeadSquared checks a new endpoint (as HEAD is): it
      // carries no event, and the webhook activates only on a 200 Success.
      if (bytes.byteLength === 0) {
        log({ event: "verification", status: 200 });
        return json(200, { Status: "Success", StatusReason: "" });
      }
      const contentType = request.headers.get("content-type") ?? undefined;
      const opts = { url: request.url, contentType, maxBytes };
      // One read: the report carries the detected kind, which decides how to authenticate.
      const report = api.validate(bytes, opts);
      const { kind } = report;
      const leadsquared = leadsquaredUrl || kind === "leadsquared";
      if (kind === null) {
        log({ event: "refused", status: 422, reason: "kind.unknown" });
        return refuse(leadsquared, 422, "not a payload of a known kind", { report });
      }
      if (!authorised(kind, bytes, request, url)) {
        const reason = options.auth[authKey(kind)] === undefined ? "auth.kind" : "auth.mismatch";
        log({ event: "refused", status: 401, kind, reason });
        return refuse(leadsquared, 401, reason);
      }
      if (!report.ok) {
        log({ event: "refused", status: 422, kind, errors: report.errors.length });
        return refuse(leadsquared, 422, `invalid ${kind} payload: ${report.errors[0]?.code ?? ""} ${report.errors[0]?.path ?? ""}`.trim(), { report });
      }
      const eventKey = api.eventKey(bytes, { ...opts, headers: request.headers });
      const queue = typeof options.queue === "string" ? env?.[options.queue] : options.queue;
      const accepted = (status) =>
        leadsquared ? json(200, { Status: "Success", StatusReason: "" }) : json(status, { ok: true, kind, eventKey });
      if (queue) {
        // The raw body goes in the queue (the bytes were checked to be UTF-8); no header does,
        // and neither does a credential in the URL's query (Leadsie's ?token=).
        await queue.send({ v: MESSAGE_VERSION, kind, eventKey, body: decoder.decode(bytes), url: withoutCredential(url, kind), contentType });
        log({ event: "queued", kind, eventKey });
        return accepted(202);
      }
      for (const one of forwards(bytes, { ...opts, kind }, eventKey)) {
        for (let attempt = 1; ; attempt++) {
          try {
            await forwardOnce(one.records, { kind, eventKey: one.eventKey, index: one.index, report });
            log({ event: "forwarded", kind, eventKey: one.eventKey, attempt });
            break;
          } catch (e) {
            log({ event: "forward failed", kind, eventKey: one.eventKey, attempt, error: errorText(e) });
            if (attempt >= maxAttempts) {
              // A failure status, so that a sender that retries sends it again.
              return json(502, { ok: false, error: "the delivery could not be forwarded; send it again", eventKey: one.eventKey });
            }
            await sleep(retryDelaySeconds * 1000 * 2 ** (attempt - 1));
          }
        }
      }
      return accepted(200);
    }

    /** A Cloudflare Queues consumer: forwards each message, or retries it with backoff. */
    async function queue(batch, env, ctx) {
      const dead = options.deadLetterQueue !== undefined && batch.queue === options.deadLetterQueue;
      for (const message of batch.messages) {
        const m = message.body;
        if (!m || m.v !== MESSAGE_VERSION || typeof m.body !== "string") {
          log({ event: "dropped", reason: "not a leadhook message", id: message.id });
          message.ack();
          continue;
        }
        const opts = { kind: m.kind, url: m.url, contentType: m.contentType };
        if (dead) {
          // Every try failed: say so, with the report, and hand it to `deadLetter` if there is one.
          const report = api.validate(m.body, opts);
          log({ event: "dead letter", kind: m.kind, eventKey: m.eventKey, attempts: message.attempts, ok: report.ok, errors: report.errors });
          if (options.deadLetter) {
            try {
              const recs = report.ok ? forwards(m.body, opts, m.eventKey).map((f) => f.records) : null;
              if (typeof options.deadLetter === "function") await options.deadLetter(recs, { kind: m.kind, eventKey: m.eventKey, report });
              else
                await fetch(options.deadLetter, {
                  method: "POST",
                  headers: { "content-type": "application/json", "idempotency-key": m.eventKey },
                  body: JSON.stringify({ kind: m.kind, eventKey: m.eventKey, report, records: recs }),
                });
            } catch (e) {
              log({ event: "dead letter not delivered", eventKey: m.eventKey, error: errorText(e) });
            }
          }
          message.ack();
          continue;
        }
        let each;
        try {
          each = forwards(m.body, opts, m.eventKey);
        } catch {
          log({ event: "dropped", reason: "no longer valid", kind: m.kind, eventKey: m.eventKey });
          message.ack();
          continue;
        }
        try {
          const report = api.validate(m.body, opts);
          for (const one of each) {
            await forwardOnce(one.records, { kind: m.kind, eventKey: one.eventKey, index: one.index, report });
            log({ event: "forwarded", kind: m.kind, eventKey: one.eventKey, attempt: message.attempts });
          }
          message.ack();
        } catch (e) {
          const delaySeconds = Math.min(12 * 3600, Math.ceil(retryDelaySeconds * 2 ** (message.attempts - 1)));
          log({ event: "forward failed", kind: m.kind, eventKey: m.eventKey, attempt: message.attempts, error: errorText(e), retryIn: delaySeconds });
          message.retry({ delaySeconds });
        }
      }
    }

    handle.fetch = handle;
    handle.queue = queue;
    return handle;
  };
}

export { createReceiver };
