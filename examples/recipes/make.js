// Make, a JavaScript code module after "Custom webhook" (with "JSON pass-through" on): map the
// webhook's body to an input named `payload` and, for LeadSquared, an input named `url` to
// `?eventType=` followed by the webhook's eventType item (from its URL's query). Paste
// dist/leadhook.inline.cjs above these lines.
const out = leadhook.codeStep(input);
if (out.error) throw new Error(out.error); // the scenario run stops with this error
return out;
