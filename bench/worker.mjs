// The bench's workerd half: the Worker bench.mjs bundles and runs in real workerd. Each request
// names one workload and input; the answer is the median µs per call of every contender.
import * as leadhook from "leadhook";
import * as z from "zod";
import { Validator } from "@cfworker/json-schema";
import { contenders, measure, workloads, zodCheck } from "./workloads.mjs";

// Workers refuse code generation from strings; zod finds that out by itself, this says it plainly.
z.config({ jitless: true });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export default {
  async fetch(request) {
    const { fixtures, workload, input, rounds, batchMs } = await request.json();
    const { kind, text } = workloads(fixtures)[workload];
    const body = input === "string" ? text : encoder.encode(text);
    const zod = zodCheck(z, leadhook.schema(kind));
    const cfworker = new Validator(leadhook.schema(kind), "2020-12", false);
    const base = { leadhook, kind, input: body, decode: (b) => decoder.decode(b) };
    const withZod = contenders({ ...base, check: zod });
    const withCfworker = contenders({ ...base, check: (p) => cfworker.validate(p).valid });
    const fns = {};
    for (const [name, fn] of Object.entries(withZod)) fns[name.replace(/^js /, "zod ")] = fn;
    for (const [name, fn] of Object.entries(withCfworker)) if (name.startsWith("js ")) fns[name.replace(/^js /, "cfworker ")] = fn;
    return Response.json(measure(fns, { rounds, batchMs, now: () => performance.now() }));
  },
};
