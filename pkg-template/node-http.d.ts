// Types of `leadhook/node`: the webhook receiver for node:http and Express.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HandlerOptions, Handler } from "./handler.js";

export type { HandlerOptions, Handler };
/** The fetch-style handler, as `leadhook/handler` gives it. */
export declare function createHandler(options: HandlerOptions): Handler;
/** A `(req, res)` listener, with the handler's `drain`, `store` and `close`. */
export interface NodeListener extends Pick<Handler, "drain" | "store" | "close"> {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The fetch-style handler underneath. */
  handler: Handler;
}
/** A `(req, res)` listener for `http.createServer` or Express (`app.post("/hook", listener)`). */
export declare function createNodeHandler(options: HandlerOptions): NodeListener;
export default createNodeHandler;
