// `leadhook/handler`: createHandler on this runtime's entry (scripts/build.sh writes one file per
// runtime from this template, each importing its own entry on the line below).
import * as api from "./node.mjs"; // @entry
import { createReceiver } from "./receiver.js";

/** A fetch-style webhook handler, `(request, env?, ctx?) => Promise<Response>`, with `.queue` for a Queues consumer. */
export const createHandler = createReceiver(api);
export default createHandler;
