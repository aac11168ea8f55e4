// What a Lambda handler or a Node service bundles: import, and call on a body.
import { validate, flatten, kinds } from "leadhook";
import leadhook from "leadhook";

const body = JSON.stringify({ id_space: "s1", event: "lead.create", secret: "wh_1", payload: { id: "l1", email: "a@example.com" } });
console.log(JSON.stringify({ ok: validate(body).ok, kinds: kinds().length, flat: flatten(body), same: leadhook.validate === validate }));
