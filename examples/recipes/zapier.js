// Code by Zapier (Run JavaScript), after "Catch Raw Hook". Input Data: `payload` = the hook's
// Raw Body, `url` = its full URL (for LeadSquared's eventType). Paste dist/leadhook.inline.cjs
// above these lines.
const out = leadhook.codeStep(inputData);
if (out.error) throw new Error(out.error); // the run stops here, marked as errored
return out;
