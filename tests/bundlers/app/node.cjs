// The same, as CommonJS (serverless-esbuild and CDK's NodejsFunction default to it).
const { validate, flatten, kinds } = require("leadhook");

const body = JSON.stringify({ id_space: "s1", event: "lead.create", secret: "wh_1", payload: { id: "l1", email: "a@example.com" } });
console.log(JSON.stringify({ ok: validate(body).ok, kinds: kinds().length, flat: flatten(body), same: true }));
