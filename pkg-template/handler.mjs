// `leadhook/handler`: createHandler on this runtime's entry (scripts/build.sh writes one file per
// runtime from this template, each importing its own entry on the `@entry` line, and filling the
// `@platform` line: in Node, the `require` that opens the SQLite store).
import * as api from "./node.mjs"; // @entry
import { createReceiver } from "./receiver.js";
import * as stores from "./store.js";
const load = null; // @platform

/** A fetch-style webhook handler, `(request, env?, ctx?) => Promise<Response>`, with `.queue` for a Queues consumer. */
export const createHandler = createReceiver(api, { stores, load });
export default createHandler;
