// LeadSquared's `eventType` codes (`SalesActivity_Post_Create`) and the webhook URL's query:
// `parseEventType`. Plain string work that needs nothing of the core's validator, so it runs
// here rather than across the module's boundary (and the module is 1.9 KB smaller without it).
// A URL's query is read as the core reads it for flatten's `entityType`, `entityId` and
// `eventType` (crates/leadhook/src/engine/form.rs, `query_param`: after the first `?`, or a
// bare query, up to `#`; the first pair of the name, decoded as URLSearchParams decodes);
// tests/node/event-type.test.mjs holds parseEventType and flatten to the same answers.

/** Entities whose names hold an underscore, so that the split does not cut them. */
const MULTI_WORD_ENTITIES = ["Landing_Page"];

/** A LeadSquared event code or webhook URL, split. */
export function splitEventType(eventTypeOrUrl) {
  const s = eventTypeOrUrl.trim();
  const isUrl = s.includes("?") || s.includes("eventType=") || s.includes("://");
  let entityType = null;
  let entityId = null;
  let eventType = s;
  if (isUrl) {
    const query = queryOf(s);
    entityType = query?.get("entityType") ?? null;
    entityId = query?.get("entityId") ?? null;
    eventType = query?.get("eventType") ?? "";
  }
  return { entityType, entityId, eventType, ...split(eventType) };
}

/** The query of a URL, or a bare query string; `undefined` for a URL without one. */
function queryOf(url) {
  const mark = url.indexOf("?");
  let query;
  if (mark >= 0) query = url.slice(mark + 1);
  else if (url.includes("=") && !url.includes("://")) query = url;
  else return undefined;
  const hash = query.indexOf("#");
  // A leading "&" keeps URLSearchParams from dropping a "?" that starts the query itself.
  return new URLSearchParams("&" + (hash >= 0 ? query.slice(0, hash) : query));
}

/**
 * `Lead_Post_Stage_Change` → `Lead`, POST, `Stage_Change`; `Lead_Owner_Change` → `Lead`, null,
 * `Owner_Change`; `Landing_Page_submission` → `Landing_Page`, null, `submission`.
 */
function split(code) {
  const parts = code.split("_");
  const at = parts.findIndex((p) => /^(?:post|get)$/i.test(p));
  if (at > 0) {
    return {
      entity: parts.slice(0, at).join("_"),
      method: /^post$/i.test(parts[at]) ? "POST" : "GET",
      action: parts.slice(at + 1).join("_"),
    };
  }
  for (const entity of MULTI_WORD_ENTITIES) {
    if (code.startsWith(entity + "_")) return { entity, method: null, action: code.slice(entity.length + 1) };
  }
  const underscore = code.indexOf("_");
  if (underscore < 0) return { entity: code, method: null, action: "" };
  return { entity: code.slice(0, underscore), method: null, action: code.slice(underscore + 1) };
}
