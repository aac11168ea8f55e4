// Deliveries of every kind, with right and wrong credentials, signed where the kind signs.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { root } from "../workerd/cases.mjs";
import { esm } from "../node/leadhook.mjs";

export const CREDENTIALS = {
  LEADSIE_TOKEN: "ls-token-7c1",
  LEADSQUARED_TOKEN: "lsq-token-9d2",
  LEAD_EVENT_SECRET: "wh_a46f35f22d9723a", // the vendor sample's
  SIGNING_SECRET: "sig_receiver_5e8",
};

/** The credentials of every kind, as a receiver under test is configured with them. */
export const AUTH = {
  leadsie: { query: "token", value: CREDENTIALS.LEADSIE_TOKEN },
  leadsquared: { header: "X-Webhook-Token", value: CREDENTIALS.LEADSQUARED_TOKEN },
  "lead-event": { secret: CREDENTIALS.LEAD_EVENT_SECRET },
  "lead-event.v2": { signingSecret: CREDENTIALS.SIGNING_SECRET },
};

const read = (p) => fs.readFileSync(path.join(root, "tests/fixtures", p), "utf8");

/** `{ name, kind, path, body, headers }` for a delivery; `wrong` spoils its credentials. */
export function delivery(kind, { wrong = false, id = "1", body, secret = CREDENTIALS.SIGNING_SECRET } = {}) {
  const bad = (s) => (wrong ? s + "x" : s);
  switch (kind) {
    case "leadsie.v2":
      return { kind, path: `/hook?token=${bad(CREDENTIALS.LEADSIE_TOKEN)}`, body: body ?? read("leadsie-v2/vendor-sample.json"), headers: { "content-type": "application/json" } };
    case "leadsie.v1":
      return { kind, path: `/hook?token=${bad(CREDENTIALS.LEADSIE_TOKEN)}`, body: body ?? read("leadsie-v1/example.json"), headers: { "content-type": "application/json" } };
    case "leadsquared":
      return {
        kind,
        path: "/hook?entityType=webhook&entityId=5f0c2e1a&eventType=Lead_Post_Stage_Change",
        body: body ?? read("leadsquared/lead-stage-change.json"),
        headers: { "content-type": "application/json", "x-webhook-token": bad(CREDENTIALS.LEADSQUARED_TOKEN) },
      };
    case "lead-event": {
      const text = body ?? read("lead-event/vendor-sample.json");
      return { kind, path: "/hook", body: wrong ? text.replace(CREDENTIALS.LEAD_EVENT_SECRET, "wh_wrong") : text, headers: { "content-type": "application/json" } };
    }
    case "lead-event.v2": {
      const text = body ?? read("lead-event-v2/vendor-record-created.json").replace("evt_abc123", `evt_${id}`);
      const ts = Math.floor(Date.now() / 1000);
      const sig = crypto.createHmac("sha256", bad(secret)).update(`${ts}.${text}`).digest("hex");
      return {
        kind,
        path: "/hook",
        body: text,
        headers: { "content-type": "application/json", "x-webhook-timestamp": String(ts), "x-webhook-signature": `sha256=${sig}`, "x-webhook-delivery-id": `dlv_${id}` },
      };
    }
    default:
      throw new Error(kind);
  }
}

/** Every kind the package knows: `delivery` throws for one it has no case for. */
export const KINDS = esm.kinds();

/** A lead-event.v2 delivery whose event differs by `i` (so its key does). */
export const numbered = (i) => delivery("lead-event.v2", { id: String(i) });
