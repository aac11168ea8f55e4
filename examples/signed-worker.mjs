// A Cloudflare Worker that receives the lead-event CRM's signed webhooks: the signature checked
// over the raw body, a redelivery dropped by its key, the flat record handed on with the key as
// its Idempotency-Key. Bindings: SIGNING_SECRET (a secret), SEEN (a KV namespace), FORWARD_URL.
import { verifySignature, eventKey, flatten } from "leadhook";

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("POST only", { status: 405 });
    const body = await request.arrayBuffer(); // the raw bytes: what was signed
    if (!verifySignature(body, request.headers, env.SIGNING_SECRET)) {
      return new Response("bad signature", { status: 401 });
    }
    const key = eventKey(body); // the signed eventId (the delivery id header is not signed)
    if (key === null) return new Response("not a valid payload", { status: 422 });
    if (await env.SEEN.get(key)) return new Response("duplicate", { status: 200 }); // acknowledged, not sent twice
    const sent = await fetch(env.FORWARD_URL, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(flatten(body)),
    });
    if (!sent.ok) return new Response("forward failed", { status: 502 }); // the sender tries again
    await env.SEEN.put(key, "1", { expirationTtl: 7 * 24 * 3600 });
    return new Response("ok");
  },
};
