// A Node service bundled as CommonJS with its receiver: require("leadhook/node") and
// require("leadhook/handler") beside require("leadhook"), and a receiver made and closed (its
// SQLite store opened through Node's own require, which a bundler must leave as it is).
const { validate, flatten, kinds } = require("leadhook");
const { createNodeHandler } = require("leadhook/node");
const { createHandler } = require("leadhook/handler");

const body = JSON.stringify({ id_space: "s1", event: "lead.create", secret: "wh_1", payload: { id: "l1", email: "a@example.com" } });
const listener = createNodeHandler({ forward: "http://127.0.0.1:9/", auth: { "lead-event": "none" }, store: ":memory:" });
listener.close().then(() => {
  const receivers = typeof createHandler === "function";
  console.log(JSON.stringify({ ok: validate(body).ok && receivers, kinds: kinds().length, flat: flatten(body), same: true }));
});
