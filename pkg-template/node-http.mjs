// `leadhook/node`: the webhook handler for node:http and Express, as `(req, res) => void`.
import { createHandler } from "./handler.node.mjs";

/**
 * A `(req, res)` listener around createHandler(options). The body is streamed to the handler, so
 * an oversized one is refused without being read whole; a body an Express parser already read
 * (`express.raw()`: a Buffer) is used as it is. The listener has the handler's `close`, `drain`
 * and `store`.
 */
export function createNodeHandler(options) {
  const handle = createHandler(options);
  return Object.assign(listener, { close: handle.close, drain: handle.drain, store: handle.store, handler: handle });
  async function listener(req, res) {
    try {
      const host = req.headers.host ?? "localhost";
      const url = new URL(req.originalUrl ?? req.url ?? "/", `http://${host}`);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      // A body parser in front (express.json()) has read the stream and left an object, whose
      // bytes a signature or a secret cannot be checked on: the raw bytes where the app kept
      // them (express.json({ verify }) setting req.rawBody), else a clear refusal.
      const raw = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.isBuffer(req.body) ? req.body : null;
      if (hasBody && raw === null && req.body !== undefined && req.readableEnded !== false) {
        const message =
          "leadhook/node: a body parser has already read this request (express.json()?); mount " +
          "createNodeHandler before it, use express.raw({ type: \"*/*\" }) on its route, or keep the " +
          "raw bytes with express.json({ verify: (req, res, buf) => { req.rawBody = buf; } })";
        console.error(JSON.stringify({ event: "refused", status: 400, reason: "body.parsed" }));
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, reason: "body.parsed", message }));
        return;
      }
      // The request as the handler reads it, and its body read here up to the handler's
      // maxBytes: no web Request, stream or Response in between.
      const request = { method: req.method, url: url.href, headers: nodeHeaders(req.headers) };
      const read = () => (!hasBody ? new Uint8Array(0) : raw !== null ? (raw.byteLength > handle.maxBytes ? null : raw) : readBody(req, handle.maxBytes));
      const reply = await handle.respond(request, read);
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? undefined);
    } catch (error) {
      console.error(JSON.stringify({ event: "failed", error: String((error && error.message) || error) }));
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, reason: "internal", message: "the receiver failed" }));
    }
  }
}

/** A Node request's headers as the handler reads them: `get`, `has` and `forEach`, names in lower case. */
function nodeHeaders(raw) {
  const one = (v) => (Array.isArray(v) ? v.join(", ") : v);
  const own = (name) => {
    const key = String(name).toLowerCase();
    return Object.prototype.hasOwnProperty.call(raw, key) ? one(raw[key]) : undefined;
  };
  return {
    get: (name) => own(name) ?? null,
    has: (name) => own(name) !== undefined,
    forEach(fn) {
      for (const key of Object.keys(raw)) fn(one(raw[key]), key);
    },
  };
}

/** The body of a Node request up to `max` bytes, or `null` (the rest left unread) past it. */
function readBody(req, max) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > max) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(size > max ? null : Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

export { createHandler };
export default createNodeHandler;
