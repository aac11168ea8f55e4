// A Node service bundled as CommonJS with its receiver: require("leadhook/node") and
// require("leadhook/handler") beside require("leadhook").
const { validate, flatten, kinds } = require("leadhook");
const { createNodeHandler } = require("leadhook/node");
const { createHandler } = require("leadhook/handler");

const body = JSON.stringify({ id_space: "s1", event: "lead.create", secret: "wh_1", payload: { id: "l1", email: "a@example.com" } });
const receivers = typeof createNodeHandler === "function" && typeof createHandler === "function";
console.log(JSON.stringify({ ok: validate(body).ok && receivers, kinds: kinds().length, flat: flatten(body), same: true }));
