// n8n Code node ("Run Once for All Items"), after a Webhook node. Paste
// dist/leadhook.inline.cjs above these lines (or, self-hosted with
// NODE_FUNCTION_ALLOW_EXTERNAL=leadhook: const leadhook = require("leadhook");).
return $input.all().map((item) => {
  const out = leadhook.codeStep(item.json); // the item is { headers, params, query, body }
  if (out.error) throw new Error(out.error); // the execution stops with this error
  return { json: out };
});
