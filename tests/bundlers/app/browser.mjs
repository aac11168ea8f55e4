// A page's script: the result lands in the document for the test to read.
import { validate, flatten, kinds } from "leadhook";

const body = JSON.stringify({ id_space: "s1", event: "lead.create", secret: "wh_1", payload: { id: "l1", email: "a@example.com" } });
document.body.dataset.result = JSON.stringify({ ok: validate(body).ok, kinds: kinds().length, flat: flatten(body), same: true });
