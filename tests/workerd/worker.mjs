// The test Worker: imports the package as a Worker project does (`leadhook`, which the test
// resolves through pkg/package.json's "workerd" condition), reads each POSTed body as bytes and
// answers with what the package makes of it (answer.mjs), as JSON.
//
// The options: `contentType` is the request's Content-Type, `url` the request URL (so LeadSquared's
// query parameters are read from it); any others come as JSON in the `x-leadhook-opts` header.
import { validate } from "leadhook";
import * as leadhook from "leadhook";
import { answer } from "./answer.mjs";

let firstCall = null;

export default {
  async fetch(request) {
    // The package's inline file is not for Workers: it compiles WebAssembly from bytes, which
    // Workers refuse. The test checks that they do (and so that the Workers entry is needed).
    if (new URL(request.url).pathname === "/inline") {
      try {
        const inline = await import("./node_modules/leadhook/dist/leadhook.inline.mjs");
        return Response.json({ loaded: true, ok: inline.validate("{}").ok });
      } catch (error) {
        return Response.json({ loaded: false, error: `${error.name}: ${error.message}` });
      }
    }
    if (request.method !== "POST") return new Response("POST a body\n", { status: 405 });
    const bytes = await request.arrayBuffer();
    const opts = JSON.parse(decodeURIComponent(request.headers.get("x-leadhook-opts") ?? "%7B%7D"));
    if (!("url" in opts)) opts.url = request.url;
    const contentType = request.headers.get("content-type");
    if (!("contentType" in opts) && contentType !== null) opts.contentType = contentType;

    // The first validate in this isolate, timed by the Worker itself. workerd, like production
    // Workers, advances its clocks only on I/O, so a synchronous call may measure as 0 ms.
    let first = null;
    if (firstCall === null) {
      const started = performance.now();
      const report = validate(bytes, opts);
      firstCall = { ms: performance.now() - started, ok: report.ok };
      first = firstCall;
    }
    return Response.json({ url: request.url, opts, first, answer: answer(leadhook, bytes, opts) });
  },
};
