// verifySignature, eventKey and the verification fixes of contract revision 2, through the built
// package. Every signature here is computed with node:crypto, never with the code under test.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { esm, cjs, root } from "./leadhook.mjs";

const { verifySignature, eventKey, verifyHeader, verifySecret } = esm;
const fixture = (p) => fs.readFileSync(path.join(root, "tests/fixtures", p), "utf8");
const hmac = (key, text) => crypto.createHmac("sha256", key).update(text);

describe("verifySignature, lead-event.v2 (X-Webhook-Signature: sha256=<hex>)", () => {
  const body = fixture("lead-event-v2/vendor-record-created.json");
  const secret = "whsec_test_3f9a2c";
  const ts = 1_773_921_600;
  const sign = (s = secret, t = ts, b = body) => `sha256=${hmac(s, `${t}.${b}`).digest("hex")}`;
  const headers = (over = {}) => ({ "X-Webhook-Signature": sign(), "X-Webhook-Timestamp": String(ts), ...over });
  const at = { now: ts };

  test("a right signature verifies, from a string, bytes, an ArrayBuffer, and every kind of headers", () => {
    const bytes = new TextEncoder().encode(body);
    assert.equal(verifySignature(body, headers(), secret, at), true);
    assert.equal(verifySignature(bytes, headers(), secret, at), true);
    assert.equal(verifySignature(bytes.buffer, headers(), secret, at), true);
    assert.equal(verifySignature(Buffer.from(body), headers(), secret, at), true);
    assert.equal(verifySignature(body, new Headers(headers()), secret, at), true);
    assert.equal(verifySignature(body, new Map(Object.entries(headers())), secret, at), true);
    const node = { "x-webhook-signature": [sign()], "x-webhook-timestamp": String(ts) };
    assert.equal(verifySignature(body, node, secret, at), true);
    assert.equal(verifySignature(body, headers({ "X-Webhook-Signature": sign().toUpperCase().replace("SHA256=", "sha256=") }), secret, at), true);
    assert.equal(cjs.verifySignature(body, headers(), secret, at), true);
  });

  test("a wrong secret, a changed byte, or an edited timestamp fail", () => {
    assert.equal(verifySignature(body, headers(), "whsec_test_3f9a2d", at), false);
    const changed = body.replace("Ada", "Adb");
    assert.notEqual(changed, body);
    assert.equal(verifySignature(changed, headers(), secret, at), false);
    assert.equal(verifySignature(body, headers({ "X-Webhook-Timestamp": String(ts + 1) }), secret, { now: ts }), false);
  });

  test("the timestamp must be within the tolerance of now", () => {
    assert.equal(verifySignature(body, headers(), secret, { now: ts + 300 }), true);
    assert.equal(verifySignature(body, headers(), secret, { now: ts - 300 }), true);
    assert.equal(verifySignature(body, headers(), secret, { now: ts + 301 }), false);
    assert.equal(verifySignature(body, headers(), secret, { now: ts + 3600, toleranceSeconds: 3600 }), true);
    assert.equal(verifySignature(body, headers(), secret, { now: ts + 1, toleranceSeconds: 0 }), false);
    // The clock's own time by default: a signature made now verifies, one from 2026-03 does not.
    const now = Math.floor(Date.now() / 1000);
    const fresh = { "X-Webhook-Signature": sign(secret, now), "X-Webhook-Timestamp": String(now) };
    assert.equal(verifySignature(body, fresh, secret), true);
    assert.equal(verifySignature(body, headers(), secret), false);
  });

  test("a missing or malformed piece is false, never a throw", () => {
    const hex = sign().slice(7);
    for (const bad of [
      {}, { "X-Webhook-Signature": sign() }, { "X-Webhook-Timestamp": String(ts) },
      headers({ "X-Webhook-Signature": hex }), headers({ "X-Webhook-Signature": `sha1=${hex}` }),
      headers({ "X-Webhook-Signature": `sha256=${hex.slice(1)}` }), headers({ "X-Webhook-Signature": `sha256=${hex}00` }),
      headers({ "X-Webhook-Signature": `sha256=${"z".repeat(64)}` }), headers({ "X-Webhook-Timestamp": "17739216OO" }),
      headers({ "X-Webhook-Timestamp": "-1" }), headers({ "X-Webhook-Timestamp": "" }),
      // the same header under two spellings is ambiguous
      { ...headers(), "x-webhook-signature": sign() },
    ]) {
      assert.equal(verifySignature(body, bad, secret, at), false, JSON.stringify(bad));
    }
    for (const [b, h, s, o] of [
      [JSON.parse(body), headers(), secret, at], // a parsed object: a signature is over bytes
      [body, headers(), "", at], [body, headers(), [], at], [body, headers(), [secret, 7], at],
      [body, null, secret, at], [body, "headers", secret, at], [undefined, headers(), secret, at],
      [body, headers(), secret, { scheme: "hmac" }], [body, headers(), secret, { now: NaN }],
      [body, headers(), secret, { toleranceSeconds: -1, now: ts }], [body, headers(), secret, { tolerance: 5, now: ts }],
      [body, headers(), secret, "opts"],
    ]) {
      assert.equal(verifySignature(b, h, s, o), false);
    }
  });

  test("rotated secrets: any of several may have signed", () => {
    const rotated = headers({ "X-Webhook-Signature": sign("whsec_new") });
    assert.equal(verifySignature(body, rotated, ["whsec_old", "whsec_new"], at), true);
    assert.equal(verifySignature(body, rotated, ["whsec_old"], at), false);
  });
});

describe("verifySignature, Standard Webhooks", () => {
  const key = crypto.randomBytes(24);
  const secret = `whsec_${key.toString("base64")}`;
  const id = "msg_2Kq9XfRz";
  const ts = 1_700_000_000;
  const body = '{"type":"contact.created","data":{"id":42}}';
  const sign = (k = key, b = body, i = id, t = ts) => `v1,${hmac(k, `${i}.${t}.${b}`).digest("base64")}`;
  const headers = (over = {}) => ({ "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sign(), ...over });
  const opts = { scheme: "standard", now: ts };

  test("the specification's published test vector", () => {
    const vector = {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    const vsecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const vbody = '{"test": 2432232314}';
    // node:crypto agrees with the published value, so the vector is the one we think it is.
    const expected = hmac(Buffer.from(vsecret.slice(6), "base64"), `msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.${vbody}`).digest("base64");
    assert.equal(`v1,${expected}`, vector["webhook-signature"]);
    assert.equal(verifySignature(vbody, vector, vsecret, { scheme: "standard", now: 1614265330 }), true);
    assert.equal(verifySignature(vbody + " ", vector, vsecret, { scheme: "standard", now: 1614265330 }), false);
  });

  test("right, wrong secret, a changed byte, out of tolerance", () => {
    assert.equal(verifySignature(body, headers(), secret, opts), true);
    assert.equal(verifySignature(body, new Headers(headers()), secret, opts), true);
    assert.equal(verifySignature(body, headers(), `whsec_${crypto.randomBytes(24).toString("base64")}`, opts), false);
    assert.equal(verifySignature(body.replace("42", "43"), headers(), secret, opts), false);
    assert.equal(verifySignature(body, headers(), secret, { ...opts, now: ts + 301 }), false);
    assert.equal(verifySignature(body, headers({ "webhook-id": "msg_other" }), secret, opts), false);
  });

  test("several v1 entries: any may match; other versions are not v1", () => {
    const other = sign(crypto.randomBytes(24));
    assert.equal(verifySignature(body, headers({ "webhook-signature": `${other} ${sign()}` }), secret, opts), true);
    assert.equal(verifySignature(body, headers({ "webhook-signature": `${sign()} ${other}` }), secret, opts), true);
    assert.equal(verifySignature(body, headers({ "webhook-signature": other }), secret, opts), false);
    assert.equal(verifySignature(body, headers({ "webhook-signature": sign().replace("v1,", "v2,") }), secret, opts), false);
    assert.equal(verifySignature(body, headers({ "webhook-signature": sign().replace("v1,", "v1a,") }), secret, opts), false);
  });

  test("rotated secrets, on both sides", () => {
    const oldKey = crypto.randomBytes(24);
    const oldSecret = `whsec_${oldKey.toString("base64")}`;
    // The sender signs with both while it rotates; a receiver holding either verifies.
    const both = headers({ "webhook-signature": `${sign(oldKey)} ${sign()}` });
    assert.equal(verifySignature(body, both, oldSecret, opts), true);
    assert.equal(verifySignature(body, both, secret, opts), true);
    // The receiver holds both while it rotates; a sender using either verifies.
    assert.equal(verifySignature(body, headers({ "webhook-signature": sign(oldKey) }), [secret, oldSecret], opts), true);
  });

  test("missing or malformed pieces", () => {
    for (const bad of [
      { "webhook-timestamp": String(ts), "webhook-signature": sign() },
      { "webhook-id": id, "webhook-signature": sign() },
      { "webhook-id": id, "webhook-timestamp": String(ts) },
      headers({ "webhook-signature": "v1,not base64!" }), headers({ "webhook-signature": "" }),
      headers({ "webhook-timestamp": "1.7e9" }), headers({ "webhook-id": "" }),
    ]) {
      assert.equal(verifySignature(body, bad, secret, opts), false, JSON.stringify(bad));
    }
    assert.equal(verifySignature(body, headers(), "whsec_***", opts), false);
  });
});

describe("eventKey", () => {
  const keyOf = (body, opts) => eventKey(body, opts);
  const sha = /^[0-9a-f]{64}$/;

  test("lead-event.v2: the signed eventId, never the delivery id header (rev 3)", () => {
    const body = fixture("lead-event-v2/vendor-record-created.json");
    assert.equal(keyOf(body), "evt_abc123");
    // The header is outside the signature: a replay with a forged delivery id keeps the key.
    assert.equal(keyOf(body, { headers: { "X-Webhook-Delivery-Id": "dlv_77" } }), "evt_abc123");
    assert.equal(keyOf(body, { headers: new Headers({ "x-webhook-delivery-id": "dlv_77" }) }), "evt_abc123");
    const other = JSON.stringify({ ...JSON.parse(body), eventId: "evt_def456" });
    assert.equal(keyOf(other), "evt_def456");
  });

  test("headers may come as an Express request (get, and .headers), as for verifyHeader", () => {
    const body = fixture("lead-event-v2/vendor-record-created.json");
    const req = { method: "POST", headers: { "x-webhook-delivery-id": "dlv_7" }, get(n) { return this.headers[n.toLowerCase()]; } };
    assert.equal(verifyHeader(req, "X-Webhook-Delivery-Id", "dlv_7"), true);
    assert.equal(keyOf(body, { headers: req }), "evt_abc123");
    const ts = 1_773_921_600;
    req.headers["x-webhook-timestamp"] = String(ts);
    req.headers["x-webhook-signature"] = `sha256=${hmac("whsec_req", `${ts}.${body}`).digest("hex")}`;
    assert.equal(verifySignature(body, req, "whsec_req", { now: ts }), true);
    assert.equal(verifySignature(body, req, "whsec_other", { now: ts }), false);
  });

  test("every kind: the same for a redelivery (whitespace, key order, headers aside), another for another event", () => {
    const cases = [
      ["leadsie-v1/example.json", (b) => { b.connectionAssets[0].isSuccess = !b.connectionAssets[0].isSuccess; }],
      ["leadsie-v2/vendor-sample.json", (b) => { b.connectionAssets[0].connectionStatus = "Not Connected"; }],
      ["lead-event/vendor-sample.json", (b) => { b.payload.updated_at = "2026-01-01T00:00:00.000Z"; }],
      ["leadsquared/lead-stage-change.json", (b) => { b.After.ModifiedOn = "2026-01-01 00:00:00"; }],
      ["leadsquared/activities-bulk.json", (b) => { b.reverse(); }],
    ];
    for (const [name, change] of cases) {
      const text = fixture(name);
      const key = keyOf(text);
      assert.match(key ?? "", sha, name);
      const value = JSON.parse(text);
      // A redelivery: the same event, written another way.
      assert.equal(keyOf(JSON.stringify(value)), key, `${name}: re-serialised`);
      assert.equal(keyOf(value), key, `${name}: as an object`);
      assert.equal(keyOf(text, { headers: { "X-Request-Id": "r2" } }), key, `${name}: other headers`);
      change(value);
      assert.notEqual(keyOf(value), key, `${name}: another event`);
    }
  });

  test("LeadSquared: the eventType, from the URL or the body, tells events apart", () => {
    const text = fixture("leadsquared/lead-stage-change.json");
    const a = keyOf(text, { url: "https://h.example/?eventType=Lead_Post_Stage_Change" });
    const b = keyOf(text, { url: "https://h.example/?eventType=Lead_Post_Update" });
    assert.notEqual(a, b);
    // In the body (Zapier merges the URL's query into it), it is part of the record's content.
    const inBody = (eventType) => JSON.stringify({ ...JSON.parse(text), eventType });
    assert.notEqual(keyOf(inBody("Lead_Post_Stage_Change")), keyOf(inBody("Lead_Post_Update")));
    assert.equal(keyOf(inBody("Lead_Post_Stage_Change")), keyOf(inBody("Lead_Post_Stage_Change")));
  });

  test("null for what is not a valid payload, never a throw", () => {
    for (const bad of ["{", "{}", "[]", "", 7, null, undefined, fixture("leadsie-v2/missing-required.json")]) {
      assert.equal(keyOf(bad), null, String(bad).slice(0, 30));
    }
    assert.equal(keyOf("{}", { headers: "x" }), null);
    assert.equal(keyOf(fixture("lead-event/vendor-sample.json"), { stric: true }), null);
  });
});

describe("the verification fixes of revision 2", () => {
  test("verifySecret refuses a body whose secret appears twice", () => {
    const body = fixture("lead-event/vendor-sample.json");
    const secret = JSON.parse(body).secret;
    assert.equal(verifySecret(body, secret), true);
    const twice = body.replace(`"secret": "${secret}"`, `"secret": "${secret}", "secret": "${secret}"`);
    assert.notEqual(twice, body);
    assert.equal(verifySecret(twice, secret), false);
  });

  test("verifyHeader: names in ASCII case only, values exactly", () => {
    assert.equal(verifyHeader({ "X-Token": "abc" }, "x-token", "abc"), true);
    assert.equal(verifyHeader({ "X-TOKEN": "abc" }, "x-token", "abc"), true);
    // The Kelvin sign lower-cases to `k` in Unicode, not in ASCII.
    assert.equal(verifyHeader({ "X-\u212Aey": "abc" }, "x-key", "abc"), false);
    assert.equal(verifyHeader(new Map([["X-\u212Aey", "abc"]]), "x-key", "abc"), false);
    // Two lone surrogates are different values, though both encode to U+FFFD in UTF-8.
    assert.equal(verifyHeader({ "X-Token": "\ud800" }, "X-Token", "\udc00"), false);
    assert.equal(verifyHeader({ "X-Token": "\ud800" }, "X-Token", "\ud800"), true);
    assert.equal(verifyHeader({ "X-Token": "abc " }, "X-Token", "abc"), false);
  });
});

describe("checkSignature (rev 3): why a signature holds or not", () => {
  const { checkSignature } = esm;
  const body = fixture("lead-event-v2/vendor-record-created.json");
  const secret = "sig_test_3f9a2c";
  const ts = 1_773_921_600;
  const sign = (s = secret, t = ts, b = body) => `sha256=${hmac(s, `${t}.${b}`).digest("hex")}`;
  const headers = (over = {}) => ({ "X-Webhook-Signature": sign(), "X-Webhook-Timestamp": String(ts), ...over });
  const reason = (...args) => checkSignature(...args).reason;

  test("each failure has its reason, and verifySignature is its ok", () => {
    const cases = [
      [[body, headers(), secret, { now: ts }], null],
      [[body, headers(), "sig_other", { now: ts }], "signature.mismatch"],
      [[body.replace("Ada", "Adb"), headers(), secret, { now: ts }], "signature.mismatch"],
      [[body, headers(), "whsec_other", { now: ts }], "secret.format"],
      [[body, headers(), secret, { now: ts + 301 }], "timestamp.stale"],
      [[body, headers(), secret, { now: ts - 301 }], "timestamp.future"],
      [[body, { "X-Webhook-Timestamp": String(ts) }, secret, { now: ts }], "header.missing"],
      [[body, headers({ "X-Webhook-Signature": "sha1=00" }), secret, { now: ts }], "header.malformed"],
      [[body, headers({ "X-Webhook-Timestamp": "soon" }), secret, { now: ts }], "header.malformed"],
      [[JSON.parse(body), headers(), secret, { now: ts }], "body.parsed"],
      [[body, headers(), "", { now: ts }], "secret.format"],
      [[body, headers(), secret, { scheme: "hmac" }], "options.invalid"],
    ];
    for (const [args, want] of cases) {
      const got = checkSignature(...args);
      assert.equal(got.reason, want, JSON.stringify(args.slice(1)));
      assert.equal(got.ok, want === null);
      assert.equal(verifySignature(...args), want === null);
      assert.ok(!String(got.message).includes(secret), "no message prints the secret");
    }
    assert.equal(checkSignature(body, headers(), secret, { now: ts + 3600 }).ageSeconds, 3600);
    assert.match(checkSignature(body, { "X-Webhook-Timestamp": String(ts) }, secret, { now: ts }).message, /x-webhook-signature/);
    assert.equal(cjs.checkSignature(body, headers(), secret, { now: ts }).ok, true);
  });

  test("Standard Webhooks: the missing header is named, and a secret that is not base64 is secret.format", () => {
    const key = Buffer.from("0123456789abcdef");
    const whsec = `whsec_${key.toString("base64")}`;
    const signed = (id) => ({
      "webhook-id": id,
      "webhook-timestamp": String(ts),
      "webhook-signature": `v1,${crypto.createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`,
    });
    const opts = { scheme: "standard", now: ts };
    assert.equal(reason(body, signed("msg_1"), whsec, opts), null);
    const { "webhook-id": _, ...noId } = signed("msg_1");
    const missing = checkSignature(body, noId, whsec, opts);
    assert.deepEqual([missing.reason, /webhook-id/.test(missing.message)], ["header.missing", true]);
    assert.equal(reason(body, signed("msg_1"), "whsec_***", opts), "secret.format");
  });

  test("an unknown option is refused, as every function's are (false; the reason names it), never checked with the default", () => {
    // Signed 400 s ago: only a tolerance of more than 300 s lets it through.
    const late = { now: ts + 400 };
    assert.equal(verifySignature(body, headers(), secret, { ...late, toleranceSeconds: 600 }), true);
    const cases = [
      [{ ...late, tolerance: 600 }, "unknown option `tolerance`; the options are `scheme`, `toleranceSeconds`, `now`"],
      [{ ...late, toleranceSeconds: 600, headers: headers() }, "unknown option `headers`; the options are `scheme`, `toleranceSeconds`, `now`"],
      [{ scheme: "hmac" }, 'option `scheme` must be "lead-event.v2" or "standard", got "hmac"'],
      [{ scheme: "toString" }, 'option `scheme` must be "lead-event.v2" or "standard", got "toString"'],
      [{ toleranceSeconds: -1 }, "option `toleranceSeconds` must be a number of seconds, 0 or more"],
      [{ now: "soon" }, "option `now` must be a number: the time in Unix seconds"],
      [{ now: ts * 1000 }, "option `now` is in Unix seconds, and this looks like milliseconds (Date.now()): divide it by 1000"],
      ["lead-event.v2", "the options must be an object: { scheme, toleranceSeconds, now }"],
    ];
    for (const [opts, message] of cases) {
      assert.deepEqual(checkSignature(body, headers(), secret, opts), { ok: false, reason: "options.invalid", ageSeconds: null, message }, JSON.stringify(opts));
      assert.equal(verifySignature(body, headers(), secret, opts), false, JSON.stringify(opts));
      assert.equal(cjs.verifySignature(body, headers(), secret, opts), false, JSON.stringify(opts));
    }
    // As the payload functions refuse theirs: validate reports it, detect and eventKey give null.
    assert.match(esm.validate(body, { stric: true }).errors[0].message, /^unknown option `stric`; did you mean `strict`\?$/);
    assert.equal(esm.detect(body, { stric: true }), null);
  });
});
