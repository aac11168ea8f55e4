// The webhook receiver: `createHandler(options)` gives a fetch-style handler,
// `(request, env?, ctx?) => Promise<Response>`, with a `queue(batch, env, ctx)` method for a
// Cloudflare Queues consumer. It is built on the public API (an entry's exports) and the store
// (store.js), once per runtime entry (handler.*.mjs); the logic lives here.
//
// The life of a delivery: received → authenticated (before anything costly: only the credential
// checks its kind allows, SENDERS below) → validated → split into its events (`events()`) → each
// event stored (D1, or an SQLite file in Node) → acknowledged → forwarded, one forward per event,
// with its eventKey as Idempotency-Key → marked forwarded. A key forwarded in the last
// `dedupeSeconds` is acknowledged and not forwarded again. Forwards run after the answer: in Node
// a loop in the process (which resumes from the file after a restart), in a Worker the Queue's
// consumer (the message carries the delivery's id, a claim check) or `ctx.waitUntil`; failed ones
// are retried with backoff, then kept as dead letters. Nothing is acknowledged that was not
// stored: a store that cannot write gets the sender a 503 (LeadSquared: Status Error).
//
// Each sender's manners (how it checks an endpoint, how it wants to be answered, where its
// credentials may be) are the table SENDERS, written by the build from the kinds' registry
// (crates/leadhook/src/kinds/sender.rs), not branches here. No credential, secret or body reaches a log line, an
// answer or the store (the store keeps flat records, which never carry a secret).
//
// This file must stay a plain ES module with no imports and a single `export { … };` statement
// at the end: scripts/build.sh derives receiver.cjs from it.

const SENDERS = null; /* @senders */

const HANDLER_OPTIONS = [
  "forward", "output", "auth", "store", "dedupeSeconds", "queue", "maxBytes", "maxAttempts", "timeoutMs",
  "retryDelaySeconds", "deadLetterQueue", "deadLetter", "adminToken", "log", "activityFields",
];
const RECEIVER_MAX_BYTES = 5 * 1024 * 1024;
const DEDUPE_SECONDS = 7 * 24 * 3600;
const MESSAGE_VERSION = 2;
// Forwarding: events claimed at a time, how often the Node loop looks for due retries, and how
// long a claim holds beyond the forward's own timeout.
const CLAIM = 50;
const POLL_MS = 1000;
const LEASE_MARGIN_MS = 5000;
// Deliveries forwarded at once; the events of one delivery go one after another, in order.
const PARALLEL = 8;
const GATHER_MS = 5;
const PRUNE_EVERY_MS = 60000;
const MAX_RETRY_DELAY_SECONDS = 12 * 3600;

// What each credential of an `auth` entry looks like, by where the sender puts it.
const CREDENTIAL_SHAPES = {
  query: (e) => typeof e.query === "string" && e.query !== "" && typeof e.value === "string" && e.value !== "",
  header: (e) => typeof e.header === "string" && e.header !== "" && typeof e.value === "string" && e.value !== "",
  secret: (e) => typeof e.secret === "string" && e.secret !== "",
  signingSecret: (e) => typeof e.signingSecret === "string" && e.signingSecret !== "",
};
const where = (entry) => Object.keys(CREDENTIAL_SHAPES).find((w) => CREDENTIAL_SHAPES[w](entry)) ?? null;

/** Each `auth` entry's name and the senders it covers: `{ leadsie: [sender…], … }`. */
function authEntries() {
  const out = {};
  for (const [kind, sender] of Object.entries(SENDERS)) (out[sender.auth] ??= []).push({ kind, ...sender });
  return out;
}

function checkOptions(options, entries, api) {
  const fail = (message) => {
    throw new TypeError(`createHandler: ${message}`);
  };
  if (options === null || typeof options !== "object") fail("expects an options object");
  for (const name of Object.keys(options)) {
    if (!HANDLER_OPTIONS.includes(name)) fail(`unknown option \`${name}\` (known: ${HANDLER_OPTIONS.join(", ")})`);
  }
  const { forward, output = "flatten", auth, maxBytes, maxAttempts, timeoutMs, retryDelaySeconds, dedupeSeconds, log, adminToken } = options;
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
  const names = Object.keys(entries);
  if (auth === null || typeof auth !== "object") fail("`auth` must be an object with an entry per kind (\"none\" to opt out)");
  for (const [name, entry] of Object.entries(auth)) {
    if (!names.includes(name)) fail(`\`auth\` has no kind \`${name}\` (kinds: ${names.join(", ")})`);
    if (entry === "none") continue;
    const allowed = entries[name][0].credentials;
    const at = entry !== null && typeof entry === "object" ? where(entry) : null;
    if (at === null || !allowed.includes(at)) {
      const shapes = { query: "{ query, value }", header: "{ header, value }", secret: "{ secret }", signingSecret: "{ signingSecret }" };
      fail(`\`auth["${name}"]\` must be ${allowed.map((w) => shapes[w]).join(" or ")}, or "none"`);
    }
  }
  const positive = (v, name) => {
    if (v !== undefined && !(typeof v === "number" && v >= 0 && !Number.isNaN(v))) fail(`\`${name}\` must be a non-negative number`);
  };
  positive(maxBytes, "maxBytes");
  positive(maxAttempts, "maxAttempts");
  positive(timeoutMs, "timeoutMs");
  positive(retryDelaySeconds, "retryDelaySeconds");
  positive(dedupeSeconds, "dedupeSeconds");
  if (log !== undefined && typeof log !== "function") fail("`log` must be a function");
  if (options.activityFields !== undefined) {
    // The core reads the option, so it says what is wrong with it.
    const bad = api.validate("{}", { activityFields: options.activityFields }).errors.find((e) => e.code === "input.type");
    if (bad) fail(bad.message.replace("option `activityFields`", "`activityFields`"));
  }
  if (adminToken !== undefined && (typeof adminToken !== "string" || adminToken.length < 16)) fail("`adminToken` must be a string of at least 16 characters");
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

// An answer before it is a Response: leadhook/node writes it to the Node response as it is.
const JSON_TYPE = { "content-type": "application/json" };
const json = (status, value) => ({ status, headers: JSON_TYPE, body: JSON.stringify(value) });
const toResponse = (reply) => new Response(reply.body, { status: reply.status, headers: reply.headers });
const SECRET_MEMBER = /"secret"\s*:/;
const decoder = new TextDecoder();

/** Why a forward failed, in words a log can keep (never a URL, which may hold a token). */
function whyFailed(e) {
  if (e && typeof e.status === "number") return `status ${e.status}`;
  if (e && e.name === "AbortError") return "timeout";
  const cause = e && e.cause;
  const code = (cause && cause.code) || (e && e.code);
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "DNS lookup failed";
  if (code) return String(code);
  return String((e && e.message) || (e && e.name) || "error").slice(0, 200);
}

/** POSTs `body` with fetch; resolves with the status, rejects on a network error or the timeout. */
async function fetchPost(url, headers, body, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, { method: "POST", headers, body, signal: controller.signal });
    await res.arrayBuffer().catch(() => {});
    return res.status;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * In Node, the same with node:http and node:https on kept-alive sockets: a forward costs the
 * process about a third of what fetch does, and forwards share the process with the answers.
 */
function nodePost(load) {
  const modules = { "http:": load("node:http"), "https:": load("node:https") };
  const agents = {};
  return (url, headers, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const http = modules[target.protocol];
      const agent = (agents[target.protocol] ??= new http.Agent({ keepAlive: true, maxSockets: 16 }));
      const req = http.request(target, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) }, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { name: "AbortError" })));
      req.on("error", reject);
      req.end(body);
    });
}

/**
 * `createHandler` on an API (an entry's exports) and a platform: `{ stores, load }`, where
 * `stores` is store.js and `load` (Node only) the `require` that opens SQLite.
 */
function createReceiver(api, platform) {
  const { stores, load } = platform;
  const entries = authEntries();

  return function createHandler(options) {
    checkOptions(options, entries, api);
    const output = options.output ?? "flatten";
    const maxBytes = options.maxBytes ?? RECEIVER_MAX_BYTES;
    const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 10));
    const timeoutMs = options.timeoutMs ?? 10000;
    const retryDelaySeconds = options.retryDelaySeconds ?? 2;
    const dedupeMs = (options.dedupeSeconds ?? DEDUPE_SECONDS) * 1000;
    const log = options.log ?? ((line) => console.log(JSON.stringify(line)));
    const auth = options.auth;

    // The store: opened now where it can be (Node: a file, or a D1 binding given as itself), else
    // at the first request from the Worker's env (a binding's name).
    let store = null;
    const named = options.store ?? (load ? "leadhook.db" : undefined);
    const isStore = (s) => s !== null && typeof s === "object" && typeof s.add === "function" && typeof s.claim === "function";
    const open = (spec, env) => {
      if (isStore(spec)) return spec;
      if (stores.isD1(spec)) return stores.sqlStore(stores.d1Database(spec), { name: "D1" });
      if (typeof spec === "string" && env && stores.isD1(env[spec])) return stores.sqlStore(stores.d1Database(env[spec]), { name: spec });
      if (typeof spec === "string" && load) return stores.sqlStore(stores.sqliteDatabase(spec, load), { name: spec });
      return null;
    };
    if (named === undefined) {
      throw new TypeError("createHandler: `store` is needed here: a D1 binding or its name in the Worker's env (in Node, a file path; the default is leadhook.db)");
    }
    if (typeof named !== "string" && !isStore(named) && !stores.isD1(named)) {
      throw new TypeError("createHandler: `store` must be a D1 binding, its name in env, a file path, or a Store");
    }
    if (typeof named !== "string" || load) store = open(named);
    const storeFor = (env) => {
      if (store === null) store = open(named, env);
      if (store === null) throw new Error(`no D1 binding named "${named}" in env`);
      return store;
    };

    const senderOf = (kind) => SENDERS[kind];
    // The senders configured here, and what marks their requests before the body is read.
    const configured = Object.keys(auth).flatMap((name) => entries[name]);
    const probeAnswer = (probe) => configured.find((s) => s.probes.includes(probe));
    const marked = (sender, request, url) => {
      if (sender.marks.some((m) => url.searchParams.has(m))) return true;
      const entry = auth[sender.auth];
      if (entry === null || typeof entry !== "object") return false;
      return (typeof entry.header === "string" && request.headers.has(entry.header)) || (typeof entry.query === "string" && url.searchParams.has(entry.query));
    };
    /** How this request's sender reads answers, before its kind is known: `envelope` or `status`. */
    const styleOf = (request, url, kind) => {
      if (kind) return senderOf(kind).answer;
      return configured.some((s) => s.answer === "envelope" && marked(s, request, url)) ? "envelope" : "status";
    };
    const answer = (style, status, body) =>
      style === "envelope" ? json(200, { Status: status < 300 ? "Success" : "Error", StatusReason: status < 300 ? "" : body.reason }) : json(status, body);
    /** A refusal, logged with its reason; a report goes in the answer, and only its error count in the log. */
    const refuse = (style, status, reason, message, { report, ...extra } = {}) => {
      log({ event: "refused", status: style === "envelope" ? 200 : status, reason, ...extra, ...(report ? { errors: report.errors.length } : {}) });
      return answer(style, status, { ok: false, reason, message, ...(report ? { report } : {}) });
    };

    /**
     * Which `auth` entries this request's credentials satisfy, checked before anything costly:
     * a query parameter or a header (constant time), a signature (one HMAC over the body), or
     * a lead event's in-body `secret` (one read of the body, no validation). When none does,
     * `reason` says why: the most telling failure (a wrong credential, a signature's reason)
     * over `auth.missing`.
     */
    // The entries with a credential, the cheap checks first: known at creation, not per request.
    const CHECK_ORDER = ["query", "header", "signingSecret", "secret"];
    const checks = Object.entries(auth)
      .filter(([, e]) => e !== "none")
      .map(([name, entry]) => ({ name, entry, at: where(entry) }))
      .sort((a, b) => CHECK_ORDER.indexOf(a.at) - CHECK_ORDER.indexOf(b.at));
    const authenticate = (bytes, request, url) => {
      const passed = new Set();
      let reason = null;
      let message = "no credential for any kind this receiver accepts";
      const consider = (r, m) => {
        if (reason === null || reason === "auth.missing") [reason, message] = [r, m];
      };
      for (const { name, entry, at } of checks) {
        // The body's secret is looked for only when no other credential came with the request.
        if (at === "secret" && (passed.size > 0 || (reason !== null && reason !== "auth.missing"))) continue;
        if (at === "query" || at === "header") {
          const given = at === "query" ? url.searchParams.get(entry.query) : request.headers.get(entry.header);
          if (given === null) consider("auth.missing", message);
          else if (api.verifyHeader(new Map([["v", given]]), "v", entry.value)) passed.add(name);
          else consider("auth.mismatch", `the ${at === "query" ? `?${entry.query}=` : entry.header} credential is wrong`);
        } else if (at === "signingSecret") {
          const check = api.checkSignature(bytes, request.headers, entry.signingSecret);
          if (check.ok) passed.add(name);
          else if (check.reason === "header.missing") consider("auth.missing", message);
          else consider(check.reason.startsWith("signature.") ? check.reason : `signature.${check.reason}`, check.message);
        } else if (at === "secret") {
          if (api.verifySecret(bytes, entry.secret)) passed.add(name);
          else if (SECRET_MEMBER.test(decoder.decode(bytes.subarray(0, 64 * 1024)))) consider("auth.mismatch", "the body's secret is wrong");
          else consider("auth.missing", message);
        }
      }
      return { passed, reason: reason ?? "auth.missing", message };
    };

    /** What a valid body is forwarded as: its events, or one array of its rows with `output: "rows"`. */
    const eventsOf = (bytes, opts, kind) =>
      output === "rows"
        ? [{ kind, eventKey: api.eventKey(bytes, opts), index: 0, record: api.rows(bytes, opts) }]
        : api.events(bytes, opts);

    const post = load ? nodePost(load) : fetchPost;
    /** Forwards once: resolves on success, throws on failure (with `status` when there was one). */
    const forwardOnce = async (record, meta) => {
      const { forward } = options;
      if (typeof forward === "function") return forward(record, meta);
      const target = typeof forward === "string" ? { url: forward } : forward;
      const headers = {
        ...(target.headers ?? {}),
        "content-type": "application/json",
        "idempotency-key": meta.eventKey,
        "x-leadhook-kind": meta.kind,
      };
      const status = await post(target.url, headers, JSON.stringify(record), timeoutMs);
      if (status < 200 || status > 299) throw Object.assign(new Error(`forward answered ${status}`), { status });
    };

    const sendDeadLetter = async (record, meta) => {
      if (!options.deadLetter) return;
      try {
        if (typeof options.deadLetter === "function") await options.deadLetter(record, meta);
        else
          await fetch(options.deadLetter, {
            method: "POST",
            headers: { "content-type": "application/json", "idempotency-key": meta.eventKey },
            body: JSON.stringify({ kind: meta.kind, eventKey: meta.eventKey, error: meta.error, tries: meta.tries, record }),
          });
      } catch (e) {
        log({ event: "dead letter not delivered", eventKey: meta.eventKey, error: whyFailed(e) });
      }
    };

    /** The wait before try `tries + 1`: retryDelaySeconds, then twice that, and so on. */
    const backoffMs = (tries) => Math.min(MAX_RETRY_DELAY_SECONDS, retryDelaySeconds * 2 ** Math.max(0, tries - 1)) * 1000;

    /**
     * Forwards one claimed event and marks what became of it: forwarded (written with the other
     * marks of the same turn), due again later, or a dead letter. `true` when it got through.
     */
    async function forwardRow(s, row) {
      const meta = { kind: row.kind, eventKey: row.event_key, index: row.idx, tries: row.tries };
      const record = JSON.parse(row.record);
      try {
        await forwardOnce(record, meta);
      } catch (e) {
        const error = whyFailed(e);
        const state = await s.failed(row.event_key, error, Date.now() + backoffMs(row.tries), maxAttempts);
        if (state === "dead") {
          log({ event: "dead letter", kind: row.kind, eventKey: row.event_key, tries: row.tries, error });
          await sendDeadLetter(record, { ...meta, error });
        } else {
          log({ event: "forward failed", kind: row.kind, eventKey: row.event_key, tries: row.tries, error, retryIn: backoffMs(row.tries) / 1000 });
        }
        return false;
      }
      await s.forwarded(row.event_key, Date.now());
      log({ event: "forwarded", kind: row.kind, eventKey: row.event_key, tries: row.tries });
      return true;
    }

    let prunedAt = 0;
    /**
     * Forwards the due events (of one delivery, when given), in order, until none is due or
     * `rounds` claims were made. Returns how many were forwarded and how many failed.
     */
    async function drain(s, { delivery = null, rounds = 20 } = {}) {
      let forwarded = 0;
      let failed = 0;
      for (let round = 0; round < rounds; round++) {
        const now = Date.now();
        const leaseUntil = now + timeoutMs + LEASE_MARGIN_MS;
        const due = await s.claim({ now, leaseUntil, limit: CLAIM, delivery });
        const byDelivery = new Map();
        for (const row of due) (byDelivery.get(row.delivery) ?? byDelivery.set(row.delivery, []).get(row.delivery)).push(row);
        const groups = [...byDelivery.values()];
        const next = async () => {
          for (let group; (group = groups.shift()); ) {
            for (const row of group) {
              // Past its claim, an event may be another forwarder's: it is left for the next claim.
              if (Date.now() + timeoutMs > leaseUntil) return;
              if (await forwardRow(s, row)) forwarded++;
              else failed++;
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(PARALLEL, groups.length) }, next));
        if (due.length < CLAIM) break;
      }
      if (Date.now() - prunedAt > Math.min(PRUNE_EVERY_MS, dedupeMs)) {
        prunedAt = Date.now();
        await s.prune(prunedAt - dedupeMs);
      }
      return { forwarded, failed };
    }

    // In Node, a loop in this process forwards what is due: woken after each stored delivery,
    // and every POLL_MS for retries and for what an earlier process left in the file.
    let running = null;
    let again = false;
    let closed = false;
    const wake = () => {
      if (closed || store === null) return running;
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          // A moment for the deliveries arriving now to be stored: one claim takes them together.
          await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
          try {
            await drain(store);
          } catch (e) {
            log({ event: "store failed", error: whyFailed(e) });
          }
        } while (again && !closed);
      })().finally(() => {
        running = null;
      });
      return running;
    };
    let timer = null;
    if (load && options.queue === undefined) {
      timer = setInterval(wake, POLL_MS);
      if (typeof timer.unref === "function") timer.unref();
      queueMicrotask(wake);
    }

    /** The admin paths: the store's listing and replays, with `Authorization: Bearer <adminToken>`. */
    async function admin(request, url, env, ctx, read) {
      if (!api.verifyHeader(request.headers, "authorization", `Bearer ${options.adminToken}`)) {
        return json(401, { ok: false, reason: "auth.mismatch", message: "the admin paths need Authorization: Bearer <adminToken>" });
      }
      const s = storeFor(env);
      if (url.pathname === "/_leadhook/deliveries" && request.method === "GET") {
        const state = url.searchParams.get("state");
        const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get("limit") ?? 100) || 100));
        try {
          return json(200, { ok: true, counts: await s.counts(), events: await s.list({ state, limit }) });
        } catch (e) {
          return json(400, { ok: false, reason: "state", message: String(e.message) });
        }
      }
      if (url.pathname === "/_leadhook/drift" && request.method === "GET") {
        return json(200, { ok: true, drift: await s.drift() });
      }
      if (url.pathname === "/_leadhook/replay" && request.method === "POST") {
        let asked;
        try {
          asked = JSON.parse(decoder.decode((await read()) ?? new Uint8Array()));
        } catch {
          asked = null;
        }
        const keys = asked && asked.dead === true ? "dead" : asked && Array.isArray(asked.keys) && asked.keys.every((k) => typeof k === "string") ? asked.keys : null;
        if (keys === null) return json(400, { ok: false, reason: "body.invalid", message: 'send {"keys": [eventKey, …]} or {"dead": true}' });
        const replayed = await s.replay(keys, Date.now());
        log({ event: "replayed", eventKeys: replayed });
        kick(env, ctx, null);
        return json(200, { ok: true, replayed });
      }
      return json(404, { ok: false, reason: "path", message: "GET /_leadhook/deliveries, GET /_leadhook/drift, POST /_leadhook/replay" });
    }

    const queueOf = (env) => (typeof options.queue === "string" ? env?.[options.queue] : options.queue);
    /** Starts forwarding a stored delivery: a Queue message, `ctx.waitUntil`, or the Node loop. */
    function kick(env, ctx, delivery) {
      const queue = queueOf(env);
      if (queue && delivery !== null) {
        return queue.send({ v: MESSAGE_VERSION, delivery }).catch((e) => {
          // Stored all the same: the consumer's sweep finds it.
          log({ event: "queue failed", delivery, error: whyFailed(e) });
        });
      }
      if (load && !queue) return void wake();
      const work = drain(storeFor(env), { delivery }).catch((e) => log({ event: "store failed", error: whyFailed(e) }));
      if (ctx && typeof ctx.waitUntil === "function") ctx.waitUntil(work);
      return work;
    }

    /**
     * A request's answer; `read()` gives its body up to maxBytes (`null` past it). The fetch
     * handler reads the request's stream; leadhook/node reads the Node request itself.
     */
    async function respond(request, env, ctx, read) {
      const url = new URL(request.url);
      if (options.adminToken !== undefined && url.pathname.startsWith("/_leadhook/")) return admin(request, url, env, ctx, read);
      if (request.method === "HEAD") {
        const sender = probeAnswer("HEAD");
        if (sender) return answer(sender.answer, 200, { ok: true });
        return { status: 405, headers: { allow: "POST" }, body: null };
      }
      const style = styleOf(request, url, null);
      if (request.method !== "POST") return refuse(style, 405, "method", "POST only");
      const tooLarge = () => refuse(style, 413, "body.too_large", `the body is over ${maxBytes} bytes`);
      const declared = Number(request.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
      const bytes = await read();
      if (bytes === null) return tooLarge();
      if (bytes.byteLength === 0) {
        // How a sender checks a new endpoint (LeadSquared): it carries no event.
        const sender = probeAnswer("empty POST");
        if (sender) {
          log({ event: "verification", status: 200 });
          return answer(sender.answer, 200, { ok: true });
        }
        return refuse(style, 400, "body.invalid", "the body is empty");
      }
      const credentials = authenticate(bytes, request, url);
      const anyNone = Object.values(auth).includes("none");
      if (credentials.passed.size === 0 && !anyNone) return refuse(style, 401, credentials.reason, credentials.message);

      const contentType = request.headers.get("content-type") ?? undefined;
      const opts = { url: request.url, contentType, maxBytes };
      const report = api.validate(bytes, opts);
      const { kind } = report;
      if (kind === null) return refuse(style, 422, "body.invalid", "not a payload of a known kind", { report });
      const { auth: name } = senderOf(kind);
      const kindStyle = styleOf(request, url, kind);
      if (auth[name] === undefined) return refuse(kindStyle, 401, "auth.kind", `this receiver accepts no ${kind} deliveries (no auth entry "${name}")`, { kind });
      if (auth[name] !== "none" && !credentials.passed.has(name)) return refuse(kindStyle, 401, credentials.reason, credentials.message, { kind });
      if (!report.ok) {
        const first = report.errors[0];
        return refuse(kindStyle, 422, "body.invalid", `invalid ${kind} payload: ${first?.code ?? ""} at "${first?.path ?? ""}"`, { kind, report });
      }
      const events = eventsOf(bytes, { ...opts, kind, headers: request.headers, activityFields: options.activityFields }, kind);
      // What this delivery shows that the tables do not document (read strictly, which also
      // names undocumented fields): field names and codes, counted in the store.
      const seen = api.drift([api.validate(bytes, { ...opts, kind, strict: true })])[kind];
      const drift = seen ? seen.fields.map(({ path, code }) => ({ kind, path, code })) : [];
      const delivery = crypto.randomUUID();
      const now = Date.now();
      let stored;
      try {
        const s = storeFor(env);
        stored = await s.add(delivery, events.map((e) => ({ ...e, record: JSON.stringify(e.record) })), now, now - dedupeMs, drift);
      } catch (e) {
        return refuse(kindStyle, 503, "store.unavailable", "the delivery could not be stored; send it again", { kind, error: whyFailed(e) });
      }
      const eventKeys = events.map((e) => e.eventKey);
      const duplicates = eventKeys.filter((k) => !stored.has(k));
      // A valid delivery of no events (an empty LeadSquared array) is said as such, not as a duplicate.
      log({ event: stored.size > 0 ? "stored" : eventKeys.length === 0 ? "empty" : "duplicate", kind, delivery, eventKeys, duplicates, senderId: request.headers.get("x-webhook-delivery-id") ?? undefined });
      if (stored.size > 0) await kick(env, ctx, delivery);
      return answer(kindStyle, 202, { ok: true, kind, eventKeys, duplicates: duplicates.length });
    }

    /**
     * The Queues consumer: each message names a stored delivery, whose due events are forwarded
     * (a retry of the message when some must wait); a message in the dead-letter queue makes its
     * delivery's unforwarded events dead letters. Then a sweep forwards what else is due (events
     * whose message was lost with a restart of the runtime).
     */
    async function queue(batch, env) {
      const s = storeFor(env);
      const dead = options.deadLetterQueue !== undefined && batch.queue === options.deadLetterQueue;
      for (const message of batch.messages) {
        const m = message.body;
        if (!m || m.v !== MESSAGE_VERSION || typeof m.delivery !== "string") {
          log({ event: "dropped", reason: "not a leadhook message", id: message.id });
          message.ack();
          continue;
        }
        try {
          if (dead) {
            for (const row of await s.dead(m.delivery, Date.now(), "the queue gave up")) {
              log({ event: "dead letter", kind: row.kind, eventKey: row.event_key, tries: row.tries });
              await sendDeadLetter(JSON.parse(row.record), { kind: row.kind, eventKey: row.event_key, tries: row.tries, error: "the queue gave up" });
            }
            message.ack();
            continue;
          }
          await drain(s, { delivery: m.delivery });
          const open = await s.open(m.delivery);
          if (open.count === 0) message.ack();
          else message.retry({ delaySeconds: Math.max(0, Math.ceil((open.nextAt - Date.now()) / 1000)) });
        } catch (e) {
          log({ event: "store failed", delivery: m.delivery, error: whyFailed(e) });
          message.retry({ delaySeconds: Math.ceil(backoffMs(message.attempts) / 1000) });
        }
      }
      if (!dead) await drain(s, { rounds: 2 }).catch((e) => log({ event: "store failed", error: whyFailed(e) }));
    }

    /** A Cron Trigger: forwards what is due (retries, and events a lost message left behind). */
    async function scheduled(event, env) {
      await drain(storeFor(env)).catch((e) => log({ event: "store failed", error: whyFailed(e) }));
    }

    const handle = async (request, env, ctx) => toResponse(await respond(request, env, ctx, () => readLimited(request, maxBytes)));
    /**
     * For leadhook/node: the answer, `{ status, headers, body }`, to a request (`method`, `url`,
     * `headers` with `get` and `has`) whose body `read()` gives (`null` when over maxBytes).
     */
    handle.respond = (request, read) => respond(request, undefined, undefined, read);
    handle.maxBytes = maxBytes;
    handle.fetch = handle;
    handle.queue = queue;
    handle.scheduled = scheduled;
    /** Forwards everything due now (the Node loop does this on its own); resolves when done. */
    handle.drain = async (env) => {
      await running;
      return drain(storeFor(env), { rounds: 1000 });
    };
    /** The store, for listing and replaying (`list`, `replay`, `counts`). */
    handle.store = (env) => storeFor(env);
    /** Stops the Node loop, waits for a forward under way, and closes the store. */
    handle.close = async () => {
      closed = true;
      if (timer) clearInterval(timer);
      await running;
      if (store && typeof store.close === "function") store.close();
    };
    return handle;
  };
}

export { createReceiver };
