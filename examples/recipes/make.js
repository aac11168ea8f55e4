// Make, a JavaScript code module after "Custom webhook" (with "JSON pass-through" on): map the
// webhook's body to an input named `payload`. Paste dist/leadhook.inline.cjs above these lines.
const out = leadhook.codeStep(input);
if (out.error) throw new Error(out.error); // the scenario run stops with this error
return out;
