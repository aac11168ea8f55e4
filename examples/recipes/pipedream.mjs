// Pipedream, a Node.js code step after an HTTP trigger.
import { codeStep } from "leadhook";

export default defineComponent({
  async run({ steps, $ }) {
    const out = codeStep(steps.trigger.event); // { method, path, query, headers, body }
    if (out.error) return $.flow.exit(out.error); // ends the workflow here
    return out;
  },
});
