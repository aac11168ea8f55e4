// `leadhook/node`: the webhook handler for node:http and Express, as `(req, res) => void`.
import { Readable } from "node:stream";
import { createHandler } from "./handler.node.mjs";

/**
 * A `(req, res)` listener around createHandler(options). The body is streamed to the handler, so
 * an oversized one is refused without being read whole; a body an Express parser already read
 * (`express.raw()`: a Buffer) is used as it is.
 */
export function createNodeHandler(options) {
  const handle = createHandler(options);
  return async function leadhookListener(req, res) {
    try {
      const host = req.headers.host ?? "localhost";
      const url = new URL(req.originalUrl ?? req.url ?? "/", `http://${host}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const body = !hasBody ? undefined : Buffer.isBuffer(req.body) ? req.body : Readable.toWeb(req);
      const request = new Request(url, { method: req.method, headers, body, duplex: "half" });
      const response = await handle(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "the receiver failed" }));
    }
  };
}

export { createHandler };
export default createNodeHandler;
