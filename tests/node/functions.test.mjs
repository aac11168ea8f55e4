// The functions beyond detect/validate/parse, through the built package: flatten, rows, toCsv,
// upgrade, verifySecret, verifyHeader, parseEventType, codeStep, schema (JSON Schema cross-checks
// are in schema.test.mjs).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import querystring from "node:querystring";
import { esm, cjs, root } from "./leadhook.mjs";
import { thrown } from "./thrown.mjs";

const {
  validate, parse, flatten, rows, toCsv, upgrade, verifySecret, verifyHeader, parseEventType, codeStep, schema,
  LeadhookError,
} = esm;

const fixture = (p) => fs.readFileSync(path.join(root, "tests", "fixtures", p));
const expected = (p) => JSON.parse(fixture(p.replace(/\.[a-z]+$/, ".expect.json")).toString("utf8"));
const V1 = fixture("leadsie-v1/example.json");
const V2 = fixture("leadsie-v2/vendor-sample.json");
const LSQ_BULK = fixture("leadsquared/activities-bulk.json");
const LSQ_FORM = fixture("leadsquared/form-encoded-content-type.txt").toString("utf8");
const LEAD_EVENT = fixture("lead-event/vendor-sample.json");
const SECRET = "wh_a46f35f22d9723a";
const LEAD_EVENT_DATA = JSON.parse(LEAD_EVENT.toString("utf8"));
const FORM = "application/x-www-form-urlencoded; charset=UTF-8";
const LSQ_URL = "https://hooks.example.com/lsq?entityType=webhook&entityId=5f0c2e1a&eventType=Lead_Post_Create";


const isScalar = (v) => v === null || ["string", "number", "boolean"].includes(typeof v);
function assertFlat(record) {
  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  for (const [k, v] of Object.entries(record)) assert.ok(isScalar(v), `${k}: ${JSON.stringify(v)}`);
}

/** Inputs that are not payloads at all, and JavaScript values that cannot be serialised. */
function hostile() {
  const cyclic = { payload: {} };
  cyclic.payload.self = cyclic;
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  return {
    undefined: undefined,
    null: null,
    number: 42,
    bigint: 10n,
    symbol: Symbol("x"),
    function: () => ({}),
    "a BigInt payload": { payload: 1n },
    "a BigInt inside": { payload: { id: 1n } },
    "a cycle": cyclic,
    "a revoked proxy": revoked.proxy,
    "a throwing getter": { get payload() { throw new Error("boom"); } },
    "a throwing toJSON": { toJSON() { throw new Error("nope"); } },
    "a Map": new Map([["payload", "{}"]]),
    "an empty string": "",
    "broken JSON": "{",
  };
}

describe("flatten", () => {
  test("Leadsie v1: the seed script's keys and values", () => {
    const flat = flatten(V1);
    assertFlat(flat);
    assert.deepEqual(Object.keys(flat).slice(0, 3), ["user_id", "requestUrl", "requestName"]);
    assert.equal(flat.user_id, "user123456");
    assert.equal(flat.ad_account_id, "act_1029384756");
    assert.equal(flat.ad_account_is_success, "True");
    assert.equal(flat.ad_account_message, "");
    assert.equal(flat.page_id, "110022003300, 110022003301");
    assert.equal(flat.page_name, "Acme Coffee, Acme Tea");
    assert.equal(flat.page_is_success, "True, False");
    assert.equal(flat.page_message, "(#200) Requires business_management permission");
    assert.equal(flat.instagram_account_name, "acme.coffee");
    assert.equal(flat.apiVersion, 1);
    assert.deepEqual(flat, expected("leadsie-v1/example.json").flatten);
  });

  test("Leadsie v2: v2 keys, and the v1 label's keys for a Facebook Page", () => {
    const flat = flatten(V2);
    assertFlat(flat);
    assert.equal(flat.apiVersion, 2);
    assert.equal(flat.facebook_page_id, "581293397");
    // A Zap built on v1 keys keeps working: `Page` was the v1 label of `Facebook Page`.
    for (const suffix of ["id", "name", "is_success", "message"]) {
      assert.ok(Object.hasOwn(flat, `page_${suffix}`), `page_${suffix}`);
      assert.equal(flat[`page_${suffix}`], flat[`facebook_page_${suffix}`], suffix);
    }
    assert.equal(flat.page_is_success, "True");
    assert.equal(flat.facebook_page_connection_status, "Connected");
    assert.equal(flat.facebook_page_access_level, "Manage");
    assert.match(flat.facebook_page_link_to_asset, /^https:\/\//);
  });

  test("LeadSquared bulk: the first record plus count", () => {
    const records = JSON.parse(LSQ_BULK.toString("utf8"));
    const flat = flatten(LSQ_BULK);
    assertFlat(flat);
    assert.equal(flat.count, records.length);
    assert.equal(flat.ProspectActivityId, records[0].ProspectActivityId);
    assert.equal(flat.Data__mx_Custom_1, records[0].Data.mx_Custom_1);
    assert.equal(flat.Current__FirstName, records[0].Current.FirstName);
    assert.equal(rows(LSQ_BULK).length, records.length);
  });

  test("LeadSquared form-encoded body with contentType and url", () => {
    const flat = flatten(LSQ_FORM, { contentType: FORM, url: LSQ_URL });
    assertFlat(flat);
    assert.equal(flat.ProspectID, "a311900c-0e56-4601-b580-f931645e7b32");
    assert.equal(flat.LastName, "O'Neil");
    assert.equal(flat.EmailAddress, "sachin.one@example.com");
    assert.equal(flat.Source, "Direct Traffic");
    assert.equal(flat.mx_Budget, "10,000");
    assert.equal(flat.Score, "0"); // form values are strings
    assert.deepEqual([flat.entityType, flat.entityId, flat.eventType], ["webhook", "5f0c2e1a", "Lead_Post_Create"]);
    // The same bytes, and the content type's charset parameter is not needed.
    assert.deepEqual(flatten(Buffer.from(LSQ_FORM), { contentType: "application/x-www-form-urlencoded", url: LSQ_URL }), flat);
  });

  test("LeadSquared Before/After: Zapier's parent__child names", () => {
    const flat = flatten({ Before: { ProspectID: "p", ProspectStage: "Initial" }, After: { ProspectID: "p", ProspectStage: "Prospect" } });
    assert.deepEqual(flat, { Before__ProspectID: "p", Before__ProspectStage: "Initial", After__ProspectID: "p", After__ProspectStage: "Prospect" });
  });

  test("a lead event: Zapier names, and never the secret", () => {
    const flat = flatten(LEAD_EVENT);
    assertFlat(flat);
    assert.equal(flat.event, "lead.create");
    assert.equal(flat.payload__first_name, "Jean");
    assert.equal(flat.payload__is_deleted, false);
    assert.ok(!Object.hasOwn(flat, "secret"));
    assert.ok(!JSON.stringify(flat).includes(SECRET));
  });

  test("an invalid payload throws LeadhookError with the report", () => {
    const e = thrown(() => flatten({ status: "SUCCESS", connectionAssets: [{}] }));
    assert.ok(e instanceof LeadhookError);
    assert.equal(e.report.kind, "leadsie.v1");
    assert.deepEqual(e.issues.map((i) => i.code), ["field.missing", "field.missing", "field.missing", "field.missing"]);
    assert.deepEqual(e.report, validate({ status: "SUCCESS", connectionAssets: [{}] }));
  });

  test("the same input handling as validate: input.type, too large, bad options", () => {
    for (const fn of [flatten, rows, toCsv, upgrade]) {
      assert.equal(thrown(() => fn(42)).issues[0].code, "input.type", fn.name);
      assert.equal(thrown(() => fn({ a: 1n })).issues[0].code, "input.type", fn.name);
      assert.equal(thrown(() => fn(V1, { maxBytes: 10 })).issues[0].code, "input.too_large", fn.name);
      assert.equal(thrown(() => fn("x".repeat(6 * 1024 * 1024))).issues[0].code, "input.too_large", fn.name);
      assert.equal(thrown(() => fn(V1, { strict: "yes" })).issues[0].code, "input.type", fn.name);
      assert.equal(thrown(() => fn("{")).issues[0].code, "json.syntax", fn.name);
    }
  });

  test("import and require give the same answers", () => {
    for (const input of [V1, V2, LSQ_BULK, LEAD_EVENT]) {
      assert.deepEqual(cjs.flatten(input), flatten(input));
      assert.deepEqual(cjs.rows(input), rows(input));
      assert.equal(cjs.toCsv(input), toCsv(input));
      assert.deepEqual(cjs.codeStep({ payload: input.toString("utf8") }), codeStep({ payload: input.toString("utf8") }));
    }
    assert.ok(thrown(() => cjs.upgrade(LSQ_BULK)) instanceof esm.LeadhookError);
    assert.deepEqual(cjs.upgrade(LEAD_EVENT), upgrade(LEAD_EVENT));
    assert.deepEqual(cjs.schema("leadsquared"), schema("leadsquared"));
    assert.deepEqual(cjs.parseEventType("Lead_Post_Create"), parseEventType("Lead_Post_Create"));
    assert.equal(cjs.verifySecret(LEAD_EVENT, SECRET), true);
    assert.equal(cjs.verifyHeader({ "x-token": "abc" }, "X-Token", "abc"), true);
  });
});

describe("rows", () => {
  test("Leadsie v1: one row per asset, request fields repeated, the same keys in the same order", () => {
    const list = rows(V1);
    assert.equal(list.length, 4);
    const keys = Object.keys(list[0]);
    for (const row of list) {
      assertFlat(row);
      assert.deepEqual(Object.keys(row), keys);
      assert.equal(row.user_id, "user123456");
      assert.equal(row.requestName, "Acme onboarding");
    }
    assert.deepEqual(list.map((r) => r.type), ["Ad Account", "Page", "Page", "Instagram Account"]);
    assert.deepEqual(list.map((r) => r.is_success), [true, true, false, true]);
  });

  test("LeadSquared records with different fields are aligned to one key order", () => {
    const list = rows([{ ProspectID: "a", mx_A: "1" }, { ProspectID: "b", mx_B: 2, Data: { x: true } }]);
    assert.equal(list.length, 2);
    assert.deepEqual(Object.keys(list[0]), Object.keys(list[1]));
    for (const k of ["ProspectID", "mx_A", "mx_B", "Data__x"]) assert.ok(Object.keys(list[0]).includes(k), k);
    assert.equal(list[0].mx_B, null);
    assert.equal(list[1].mx_A, null);
    assert.equal(list[1].mx_B, 2);
  });

  test("a lead event: one row without the secret", () => {
    const list = rows(LEAD_EVENT);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0], flatten(LEAD_EVENT));
    assert.ok(!JSON.stringify(list).includes(SECRET));
  });

  test("a Leadsie payload without assets gives one row", () => {
    const list = rows({ status: "FAILED", connectionAssets: [] });
    assert.equal(list.length, 1);
    assert.equal(list[0].status, "FAILED");
    assert.equal(list[0].type, null);
  });
});

describe("toCsv", () => {
  test("rows given as an array of flat objects", () => {
    assert.equal(toCsv([{ a: "x", b: 1, c: true, d: null }, { a: "y", b: 2.5, c: false, d: "" }]),
      "a,b,c,d\r\nx,1,true,\r\ny,2.5,false,\r\n");
    // What rows gives back works too, as an array or as its JSON text.
    const list = rows(V1);
    assert.equal(toCsv(list), toCsv(V1));
    assert.equal(toCsv(JSON.stringify(list)), toCsv(V1));
  });

  test("of a payload: its rows", () => {
    assert.equal(toCsv(V1), expected("leadsie-v1/example.json").csv);
    const csv = toCsv(LEAD_EVENT);
    assert.match(csv, /^id_space,event,payload__id,/);
    assert.ok(!csv.includes(SECRET));
  });

  test("spreadsheet formulas are neutralised, header cells included", () => {
    assert.equal(toCsv([{ a: "=1+1" }]), "a\r\n'=1+1\r\n");
    const csv = toCsv([{ "=key": "+1", b: "-2", c: "@SUM(A1)", d: "\tx", e: "ok", f: "a=b" }]);
    assert.equal(csv, "'=key,b,c,d,e,f\r\n'+1,'-2,'@SUM(A1),'\tx,ok,a=b\r\n");
    // A carriage return both starts a formula and needs quoting.
    assert.equal(toCsv([{ a: "\r=1" }]), "a\r\n\"'\r=1\"\r\n");
  });

  test("RFC 4180 quoting", () => {
    assert.equal(
      toCsv([{ a: 'say "hi"', b: "x,y", c: "line1\nline2", d: "plain" }]),
      'a,b,c,d\r\n"say ""hi""","x,y","line1\nline2",plain\r\n',
    );
    assert.equal(toCsv([{ a: "-1,2" }]), "a\r\n\"'-1,2\"\r\n");
  });

  test("an array with a nested value is not rows: it is read as a payload", () => {
    const e = thrown(() => toCsv([{ a: { b: 1 } }]));
    assert.ok(e instanceof LeadhookError);
    assert.equal(e.issues[0].code, "kind.unknown");
  });
});

describe("upgrade", () => {
  test("v1 becomes a v2 payload that validates as v2", () => {
    const up = upgrade(V1);
    const r = validate(up);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.kind, "leadsie.v2");
    assert.equal(up.apiVersion, 2);
    assert.deepEqual(up.connectionAssets.map((a) => a.type), ["Meta Ad Account", "Facebook Page", "Facebook Page", "Instagram Account"]);
    assert.deepEqual(up.connectionAssets.map((a) => a.connectionStatus), ["Connected", "Connected", "Not Connected", "Connected"]);
    assert.equal(up.connectionAssets[2].notes, "(#200) Requires business_management permission");
    assert.ok(!("isSuccess" in up.connectionAssets[0]));
    assert.deepEqual(up, expected("leadsie-v1/example.json").upgrade);
    // The same from a string and from a parsed object.
    assert.deepEqual(upgrade(V1.toString("utf8")), up);
    assert.deepEqual(upgrade(JSON.parse(V1.toString("utf8"))), up);
  });

  test("inviteSentTo becomes connectedAccount.name", () => {
    const up = upgrade({ status: "SUCCESS", connectionAssets: [{ type: "Pixel", name: "p", id: "1", isSuccess: false, inviteSentTo: "ops@example.com" }] });
    assert.deepEqual(up.connectionAssets[0], { type: "Meta Pixel", name: "p", id: "1", connectionStatus: "Not Connected", connectedAccount: { name: "ops@example.com" } });
  });

  test("v2 passes through unchanged", () => {
    assert.deepEqual(upgrade(V2), JSON.parse(V2.toString("utf8")));
  });

  test("accepts opts (an addition to the contract)", () => {
    assert.deepEqual(upgrade(V1, { kind: "leadsie.v1", maxBytes: V1.length }), upgrade(V1));
    assert.equal(thrown(() => upgrade(V1, { kind: "leadsie.v2" })).report.kind, "leadsie.v2");
  });

  test("a LeadSquared body throws LeadhookError (kind.unknown)", () => {
    const e = thrown(() => upgrade(LSQ_BULK));
    assert.ok(e instanceof LeadhookError);
    assert.equal(e.report.kind, "leadsquared");
    assert.deepEqual(e.issues.map((i) => i.code), ["kind.unknown"]);
  });

  test("a legacy lead event: the current format's event, valid, without the secret (rev 3)", () => {
    const up = upgrade(LEAD_EVENT);
    assert.deepEqual(Object.keys(up), ["eventId", "timestamp", "workspaceId", "event", "data", "upgradedFrom"]);
    assert.equal(up.event, "record.created");
    assert.deepEqual(up.upgradedFrom, { kind: "lead-event", event: "lead.create", mapped: true });
    assert.equal(up.data.objectType, "person");
    assert.ok(!JSON.stringify(up).includes(SECRET));
    assert.equal(validate(JSON.stringify(up), { kind: "lead-event.v2" }).ok, true);
    assert.equal(esm.detect(JSON.stringify(up)), "lead-event.v2");
    // A current event passes through.
    const current = { eventId: "e", timestamp: "2026-03-19T12:00:00.000Z", workspaceId: "w", event: "task.completed", data: {} };
    assert.deepEqual(upgrade(current), current);
  });
});

describe("verifySecret", () => {
  test("true for the event's secret, as bytes, string or object", () => {
    assert.equal(verifySecret(LEAD_EVENT, SECRET), true);
    assert.equal(verifySecret(LEAD_EVENT.toString("utf8"), SECRET), true);
    assert.equal(verifySecret(LEAD_EVENT_DATA, SECRET), true);
    assert.equal(verifySecret(new Uint8Array(LEAD_EVENT).buffer, SECRET), true);
  });

  test("false for another secret, whatever its length", () => {
    for (const other of ["wh_a46f35f22d9723b", "wh_a46f35f22d9723", "wh_a46f35f22d9723aa", "WH_A46F35F22D9723A", " wh_a46f35f22d9723a", "x"]) {
      assert.equal(verifySecret(LEAD_EVENT, other), false, other);
    }
  });

  test("false when the body has no secret, or a secret that is not a string", () => {
    const { secret, ...noSecret } = LEAD_EVENT_DATA;
    assert.equal(verifySecret(noSecret, SECRET), false);
    assert.equal(verifySecret({ ...LEAD_EVENT_DATA, secret: null }, "null"), false);
    assert.equal(verifySecret({ ...LEAD_EVENT_DATA, secret: 123456 }, "123456"), false);
    assert.equal(verifySecret({ ...LEAD_EVENT_DATA, payload: { secret: SECRET }, secret: undefined }, SECRET), false);
  });

  test("false for an empty or non-string expected value (an unset secret lets nothing through)", () => {
    assert.equal(verifySecret({ ...LEAD_EVENT_DATA, secret: "" }, ""), false);
    for (const expectedValue of [undefined, null, "", 123, true, {}, [SECRET], { toString: () => SECRET }, new String(SECRET)]) {
      assert.equal(verifySecret(LEAD_EVENT, expectedValue), false, String(expectedValue));
    }
  });

  test("false for an unreadable or too large body, never a throw", () => {
    for (const [name, input] of Object.entries(hostile())) assert.equal(verifySecret(input, SECRET), false, name);
    assert.equal(verifySecret(LEAD_EVENT, SECRET, { maxBytes: 10 }), false);
    assert.equal(verifySecret(LEAD_EVENT, SECRET, { strict: "yes" }), false);
    assert.equal(verifySecret(LEAD_EVENT, SECRET, { get kind() { throw new Error("boom"); } }), false);
    assert.equal(verifySecret(" ".repeat(6 * 1024 * 1024), SECRET), false);
  });
});

describe("verifyHeader", () => {
  test("a fetch Headers, any case", () => {
    const headers = new Headers({ "X-Token": "abc" });
    assert.equal(verifyHeader(headers, "x-token", "abc"), true);
    assert.equal(verifyHeader(headers, "X-TOKEN", "abc"), true);
    assert.equal(verifyHeader(headers, "x-token", "abd"), false);
    assert.equal(verifyHeader(headers, "x-token", "ab"), false);
    assert.equal(verifyHeader(headers, "x-other", "abc"), false);
    assert.equal(verifyHeader(headers, "not a header name", "abc"), false); // Headers.get throws: false
  });

  test("a Node headers object (lower-case keys), any case asked", () => {
    assert.equal(verifyHeader({ "x-token": "abc" }, "X-Token", "abc"), true);
    assert.equal(verifyHeader({ "x-token": "abc" }, "x-token", "abc"), true);
    assert.equal(verifyHeader({ "X-Token": "abc" }, "x-token", "abc"), true);
    assert.equal(verifyHeader({ "x-token": "abc" }, "x-token", "ABC"), false);
    assert.equal(verifyHeader(Object.assign(Object.create(null), { "x-token": "abc" }), "X-Token", "abc"), true);
  });

  test("an array value must hold exactly one string", () => {
    assert.equal(verifyHeader({ "x-token": ["abc"] }, "x-token", "abc"), true);
    assert.equal(verifyHeader({ "x-token": ["abc", "abc"] }, "x-token", "abc"), false);
    assert.equal(verifyHeader({ "x-token": [] }, "x-token", "abc"), false);
    assert.equal(verifyHeader({ "x-token": [123] }, "x-token", "123"), false);
  });

  test("a Map with a mixed-case key", () => {
    assert.equal(verifyHeader(new Map([["X-Token", "abc"]]), "x-token", "abc"), true);
    assert.equal(verifyHeader(new Map([["x-TOKEN", ["abc"]]]), "X-Token", "abc"), true);
    assert.equal(verifyHeader(new Map([["X-Token", "abc"]]), "x-token", "abd"), false);
    assert.equal(verifyHeader(new Map([[1, "abc"]]), "1", "abc"), false);
  });

  test("anything with a get method (an Express request)", () => {
    const req = { get: (name) => ({ "x-token": "abc" })[name.toLowerCase()] };
    assert.equal(verifyHeader(req, "X-Token", "abc"), true);
    assert.equal(verifyHeader({ get: () => { throw new Error("boom"); } }, "x-token", "abc"), false);
  });

  test("false on anything missing, ambiguous or not a string", () => {
    assert.equal(verifyHeader({}, "x-token", "abc"), false);
    assert.equal(verifyHeader({ "x-token": "abc" }, "x-other", "abc"), false);
    assert.equal(verifyHeader({ "X-Token": "abc", "x-token": "abc" }, "x-token", "abc"), false); // which one?
    assert.equal(verifyHeader({ "x-token": 123 }, "x-token", "123"), false);
    assert.equal(verifyHeader({ "x-token": null }, "x-token", "null"), false);
    assert.equal(verifyHeader({ "x-token": "" }, "x-token", ""), false);
    for (const expectedValue of [undefined, null, "", 123, ["abc"], { toString: () => "abc" }]) {
      assert.equal(verifyHeader({ "x-token": "abc" }, "x-token", expectedValue), false, String(expectedValue));
    }
    for (const name of [undefined, null, 1, {}, ["x-token"]]) {
      assert.equal(verifyHeader({ "x-token": "abc" }, name, "abc"), false, String(name));
    }
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const getter = { get "x-token"() { throw new Error("boom"); } };
    [undefined, null, "x-token: abc", 42, revoked.proxy, getter, [["x-token", "abc"]]].forEach((headers, i) => {
      assert.equal(verifyHeader(headers, "x-token", "abc"), false, `headers ${i}`);
    });
  });

  test("non-ASCII values are compared as UTF-8", () => {
    assert.equal(verifyHeader({ "x-token": "\u00e9t\u00e9" }, "x-token", "\u00e9t\u00e9"), true);
    assert.equal(verifyHeader({ "x-token": "\u00e9t\u00e9" }, "x-token", "ete"), false);
  });
});

describe("parseEventType", () => {
  test("an event code, as API.md shows it", () => {
    const got = parseEventType("SalesActivity_Post_Create");
    const want = { entityType: null, entityId: null, eventType: "SalesActivity_Post_Create", entity: "SalesActivity", method: "POST", action: "Create" };
    assert.deepEqual(got, want);
    assert.deepEqual(Object.keys(got), Object.keys(want));
  });

  test("a webhook URL: entityType and entityId from the query", () => {
    assert.deepEqual(parseEventType(LSQ_URL), {
      entityType: "webhook", entityId: "5f0c2e1a", eventType: "Lead_Post_Create", entity: "Lead", method: "POST", action: "Create",
    });
  });

  test("codes without a method, and multi-word actions", () => {
    assert.deepEqual(parseEventType("Lead_Owner_Change"), {
      entityType: null, entityId: null, eventType: "Lead_Owner_Change", entity: "Lead", method: null, action: "Owner_Change",
    });
    const stage = parseEventType("Lead_Post_Stage_Change");
    assert.deepEqual([stage.entity, stage.method, stage.action], ["Lead", "POST", "Stage_Change"]);
    const landing = parseEventType("Landing_Page_submission");
    assert.deepEqual([landing.entity, landing.method, landing.action], ["Landing_Page", null, "submission"]);
  });

  test("a non-string throws a TypeError", () => {
    for (const bad of [undefined, null, 42, {}, ["Lead_Post_Create"], new URL(LSQ_URL)]) {
      const e = thrown(() => parseEventType(bad));
      assert.ok(e instanceof TypeError, String(e));
      assert.ok(!(e instanceof LeadhookError));
    }
  });
});

describe("codeStep", () => {
  const flatV1 = flatten(V1);

  test("{ payload: '<json string>' }, Zapier's inputData", () => {
    assert.deepEqual(codeStep({ payload: V1.toString("utf8") }), flatV1);
    const step = codeStep({ payload: LEAD_EVENT.toString("utf8") });
    assert.deepEqual(step, flatten(LEAD_EVENT));
    assert.ok(!JSON.stringify(step).includes(SECRET));
  });

  test("{ payload: object }", () => {
    assert.deepEqual(codeStep({ payload: JSON.parse(V1.toString("utf8")) }), flatV1);
    assert.deepEqual(codeStep({ payload: LEAD_EVENT_DATA }), flatten(LEAD_EVENT));
  });

  test("the raw payload itself", () => {
    assert.deepEqual(codeStep(V1), flatV1);
    assert.deepEqual(codeStep(V1.toString("utf8")), flatV1);
    assert.deepEqual(codeStep(JSON.parse(V1.toString("utf8"))), flatV1);
    assert.deepEqual(codeStep(V2), flatten(V2));
    // A delivery of several events: one record per event (rev 3), each its event's own record.
    assert.deepEqual(codeStep(LSQ_BULK), esm.events(LSQ_BULK).map((e) => e.record));
    assert.equal(codeStep(LSQ_BULK, { lineItems: true }).count, flatten(LSQ_BULK).count);
  });

  test("a broken JSON string gives { error, errors, available_keys }", () => {
    const step = codeStep({ payload: '{"status": "SUCCESS",' });
    assert.deepEqual(Object.keys(step), ["error", "errors", "available_keys"]);
    assert.equal(typeof step.error, "string");
    assert.match(step.error, /^leadhook: json\.syntax/);
    assert.deepEqual(step.errors.map((i) => i.code), ["json.syntax"]);
    assert.deepEqual(step.available_keys, []);
  });

  test("a payload missing a required field: available_keys lists its top-level keys", () => {
    const { secret, ...noSecret } = LEAD_EVENT_DATA;
    for (const inputData of [{ payload: JSON.stringify(noSecret) }, { payload: noSecret }]) {
      const step = codeStep(inputData);
      assert.deepEqual(Object.keys(step), ["error", "errors", "available_keys"]);
      assert.deepEqual(step.errors.map((i) => [i.code, i.path]), [["field.missing", "/secret"]]);
      assert.deepEqual(step.available_keys, ["id_space", "event", "payload"]);
      assert.match(step.error, /field\.missing at \/secret/);
    }
    const v2 = JSON.parse(V2.toString("utf8"));
    delete v2.status;
    const step = codeStep({ payload: JSON.stringify(v2) });
    assert.deepEqual(step.errors.map((i) => [i.code, i.path]), [["field.missing", "/status"]]);
    assert.deepEqual(step.available_keys, Object.keys(v2));
  });

  test("a wrong secret type names no value", () => {
    const step = codeStep({ payload: { ...LEAD_EVENT_DATA, secret: 987654321 } });
    assert.deepEqual(step.errors.map((i) => [i.code, i.path]), [["field.type", "/secret"]]);
    assert.ok(!JSON.stringify(step).includes("987654321"));
  });

  // Where the payload is and with what options is the module's (crates/leadhook/tests/code_step.rs);
  // these are the answers the package makes of it.
  test("a wrapper's url and content type, and an option that wins over them", () => {
    const body = fixture("leadsquared/lead-stage-change.json").toString("utf8");
    const url = "https://h.example/?entityType=webhook&entityId=5f0c2e1a&eventType=Lead_Post_Stage_Change";
    const step = codeStep({ payload: body, url });
    assert.equal(step.eventType, "Lead_Post_Stage_Change");
    assert.equal(step.entityId, "5f0c2e1a");
    assert.deepEqual(step, flatten(body, { url }));
    const won = codeStep({ payload: body, url: "https://h.example/?eventType=X_Post_Y" }, { url: "https://h.example/?eventType=Lead_Post_Update" });
    assert.equal(won.eventType, "Lead_Post_Update");
    for (const name of ["contentType", "content_type"]) {
      assert.equal(codeStep({ payload: LSQ_FORM, [name]: "application/x-www-form-urlencoded" }).FirstName, "Sachin", name);
    }
  });

  test("line items are the rows, added last, from the wrapper or the option", () => {
    const body = V1.toString("utf8");
    const step = codeStep({ payload: body, line_items: "true" });
    assert.deepEqual(step.line_items, rows(body));
    assert.equal(Object.keys(step).at(-1), "line_items");
    assert.equal(step.page_id, "110022003300, 110022003301");
    assert.deepEqual(codeStep({ payload: body }, { lineItems: true }), step);
    assert.equal(codeStep({ payload: body }).line_items, undefined);
  });

  test("a raw payload keeps its own url field", () => {
    const step = codeStep('{"ProspectID":"a","url":"https://h.example/?eventType=Lead_Post_Create"}');
    assert.equal(step.url, "https://h.example/?eventType=Lead_Post_Create");
    assert.equal(step.eventType, undefined);
  });

  test("a webhook request, as n8n's item and Pipedream's event hand it over", () => {
    const body = JSON.parse(fixture("leadsquared/lead-stage-change.json").toString("utf8"));
    const headers = { host: "h.example", "Content-Type": "application/json" };
    const item = { headers, params: {}, query: { entityType: "webhook", eventType: "Lead_Post_Stage_Change" }, body, webhookUrl: "https://n8n.example/webhook/x" };
    assert.deepEqual(codeStep(item), flatten(body, { url: "https://h.example/?entityType=webhook&eventType=Lead_Post_Stage_Change" }));
    const v2 = JSON.parse(V2.toString("utf8"));
    assert.deepEqual(codeStep({ method: "POST", path: "/", headers, query: {}, body: v2 }), codeStep(v2));
    // A form body left as text: its content-type header says how to read it.
    const form = "ProspectID=a311900c&FirstName=Sachin&EmailAddress=s%40example.com";
    const step = codeStep({ headers: { "content-type": "application/x-www-form-urlencoded" }, query: { eventType: "Lead_Post_Create" }, body: form });
    assert.equal(step.EmailAddress, "s@example.com");
    assert.equal(step.eventType, "Lead_Post_Create");
    // An invalid body is named as the payload, with its keys.
    const bad = codeStep({ headers, query: {}, body: { requestUrl: "https://a.b/", apiVersion: 2, connectionAssets: [{}] } });
    assert.match(bad.error, /^leadhook: field\.missing/);
    assert.deepEqual(bad.available_keys, ["requestUrl", "apiVersion", "connectionAssets"]);
  });

  test("a lead event wrapped for a step whose kind is leadsquared: the wrapper is not the payload, the secret shows nowhere", () => {
    const step = codeStep({ payload: LEAD_EVENT_DATA }, { kind: "leadsquared" });
    assert.equal(step.error, undefined, JSON.stringify(step).slice(0, 300));
    assert.ok("ProspectID" in step || "id_space" in step);
    assert.ok(!JSON.stringify(step).includes(SECRET));
  });

  test("never throws", () => {
    for (const [name, input] of Object.entries(hostile())) {
      const step = codeStep(input);
      assert.deepEqual(Object.keys(step), ["error", "errors", "available_keys"], name);
      assert.match(step.error, /^leadhook: /, name);
      assert.ok(step.errors.length >= 1, name);
      assert.ok(Array.isArray(step.available_keys), name);
    }
    assert.equal(codeStep(undefined).errors[0].code, "input.type");
    assert.equal(codeStep({ payload: 1n }).errors[0].code, "input.type");
    // Bad options, and a throwing options object, are error objects too.
    assert.equal(codeStep({ payload: "{}" }, { strict: "yes" }).errors[0].code, "input.type");
    assert.equal(codeStep({ payload: "{}" }, { get kind() { throw new Error("boom"); } }).errors[0].code, "input.type");
    assert.equal(codeStep("x".repeat(6 * 1024 * 1024)).errors[0].code, "input.too_large");
  });
});

describe("events", () => {
  test("options that cannot be read throw LeadhookError, as flatten's do", () => {
    for (const opts of [{ get output() { throw new Error("boom"); } }, new Proxy({}, { ownKeys() { throw new Error("boom"); } })]) {
      const e = thrown(() => esm.events(V2, opts));
      assert.ok(e instanceof LeadhookError, String(e));
      assert.equal(e.report.errors[0].code, "input.type");
      assert.match(e.message, /cannot be serialised as JSON: boom/);
    }
  });
});

describe("schema", () => {
  test("each kind: a draft 2020-12 schema object", () => {
    for (const kind of esm.kinds()) {
      const s = schema(kind);
      assert.equal(s.$schema, "https://json-schema.org/draft/2020-12/schema", kind);
      assert.equal(typeof s.title, "string");
      assert.notEqual(schema(kind), s, "a fresh object each time");
    }
    // apiVersion is documented but tolerated when absent (a warning), so not `required`; nor
    // are requestUrl and requestName (expected: a warning when missing, FORMATS rev 3 item 16).
    assert.deepEqual(schema("leadsie.v2").required, ["status", "connectionAssets"]);
  });

  test("an unknown kind throws a TypeError", () => {
    for (const bad of ["leadsie", "LEADSIE.V1", "", undefined, null, 1, {}]) {
      const e = thrown(() => schema(bad));
      assert.ok(e instanceof TypeError, String(bad));
    }
  });
});

describe("kinds", () => {
  test("the registry's list, in detection order, and docs/api.md says the same", () => {
    const list = esm.kinds();
    assert.deepEqual([...list].sort(), ["lead-event", "lead-event.v2", "leadsie.v1", "leadsie.v2", "leadsquared"]);
    assert.equal(esm.detect(JSON.stringify({ connectionAssets: [], status: "SUCCESS", apiVersion: 2 })), list[0]);
    list.push("x"); // a copy: the package's own list cannot be changed from outside
    assert.equal(esm.kinds().length, 5);
    const page = fs.readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
    assert.ok(page.includes(`[${esm.kinds().map((k) => `"${k}"`).join(", ")}]`), "docs/api.md lists kinds() as it is");
    for (const kind of esm.kinds()) assert.equal(typeof esm.schema(kind), "object");
  });
});

describe("drift (rev 3): what deliveries show that the tables do not document", () => {
  test("per kind, each path (indices as *) and code counted once per report; never a value", () => {
    const v2 = JSON.parse(V2.toString("utf8"));
    const odd = (i) => ({ ...v2, surprise: `value-${i}`, status: i === 0 ? "MAYBE" : v2.status, connectionAssets: v2.connectionAssets.map((a) => ({ ...a, newField: i })) });
    const reports = [0, 1, 2].map((i) => validate(JSON.stringify(odd(i)), { strict: true }));
    const got = esm.drift(reports);
    assert.deepEqual(Object.keys(got), ["leadsie.v2"]);
    assert.equal(got["leadsie.v2"].reports, 3);
    const byPath = Object.fromEntries(got["leadsie.v2"].fields.map((f) => [`${f.code} ${f.path}`, f.count]));
    assert.equal(byPath["field.unknown /surprise"], 3);
    assert.equal(byPath["field.unknown /connectionAssets/*/newField"], 3);
    assert.equal(byPath["field.enum /status"], 1);
    assert.ok(!JSON.stringify(got).includes("value-") && !JSON.stringify(got).includes("MAYBE"), "no value");
    assert.deepEqual(esm.drift([null, 1, "x", { kind: null }]), {});
  });
});

describe("hints that point at the fix", () => {
  test("rows for toCsv with a nested value name the cell: its row and column", () => {
    const e = thrown(() => toCsv([{ a: 1, b: "x" }, { a: 2, b: { c: 1 } }]));
    assert.ok(e instanceof LeadhookError);
    assert.match(e.message, /if these are rows for toCsv: row 1 \(from 0\), column "b" holds an object, and a row's values are strings, numbers, booleans or null/);
    assert.match(thrown(() => toCsv([{ "first name": ["A", "B"] }])).message, /row 0 \(from 0\), column "first name" holds an array/);
    // Flat rows are written; a payload with nested data is flattened, not refused.
    assert.equal(toCsv([{ a: 1, b: "x" }, { a: 2, b: null }]), "a,b\r\n1,x\r\n2,\r\n");
  });

  test("a pooled Buffer's .buffer (Node's whole 8 KiB pool) says to pass the Buffer, however it is wrapped", () => {
    const small = Buffer.from(V2.toString("utf8").slice(0, 200));
    assert.equal(small.buffer.byteLength, Buffer.poolSize, "Node pools small Buffers");
    for (const [label, input] of [["buf.buffer", small.buffer], ["new Uint8Array(buf.buffer)", new Uint8Array(small.buffer)], ["Buffer.from(buf.buffer)", Buffer.from(small.buffer)]]) {
      const report = validate(input);
      assert.equal(report.ok, false, label);
      assert.match(report.errors[0].message, /Node's shared pool of small Buffers does: buf\.buffer of a small Buffer is that whole pool, not the Buffer's bytes; pass the Buffer itself\)$/, label);
      assert.match(thrown(() => flatten(input)).message, /pass the Buffer itself/, label);
      assert.match(codeStep(input).error, /pass the Buffer itself/, label);
    }
    // The Buffer itself is read as it is.
    assert.equal(validate(Buffer.from(V2)).ok, true);
    // A body of exactly that size that is not the pool (no NUL byte, as no text body has) gets no such hint.
    const text = new TextEncoder().encode("{" + " ".repeat(Buffer.poolSize - 2) + "[");
    assert.equal(text.buffer.byteLength, Buffer.poolSize);
    assert.doesNotMatch(validate(text.buffer).errors[0].message, /pool/);
  });

  test("a JSON body read by a form parser (curl -d sends JSON as application/x-www-form-urlencoded) says so", () => {
    const body = JSON.stringify({ ...LEAD_EVENT_DATA });
    const FIX = /a JSON body read by a form parser: its text is a field's name\. It came as application\/x-www-form-urlencoded, as curl -d sends it: send it with Content-Type: application\/json, or pass the raw body\)$/;
    // What express.urlencoded() makes of it: { extended: false } is node:querystring; URLSearchParams reads it as browsers do.
    for (const [label, parsed] of [["querystring", { ...querystring.parse(body) }], ["URLSearchParams", Object.fromEntries(new URLSearchParams(body))]]) {
      assert.ok(Object.keys(parsed)[0].startsWith("{"), label);
      const report = validate(parsed);
      assert.deepEqual(report.errors.map((e) => e.code), ["kind.unknown"], label);
      assert.match(report.errors[0].message, FIX, label);
      assert.match(thrown(() => flatten(parsed)).message, FIX, label);
      const step = codeStep(parsed);
      assert.match(step.error, FIX, label);
      // The field's name is the body: it is not offered as a key (it holds the secret).
      assert.deepEqual(step.available_keys, [], label);
      assert.ok(!JSON.stringify(step).includes(SECRET), `${label}: the secret is not in the step's answer`);
    }
    // The raw body with that Content-Type is read as JSON, with a warning that says so.
    const raw = validate(body, { contentType: FORM });
    assert.equal(raw.ok, true);
    assert.deepEqual(raw.warnings.map((w) => [w.code, w.message]), [["input.content_type", "the body is JSON but its Content-Type is application/x-www-form-urlencoded (curl's -d sends that); read as JSON"]]);
    // A real form body is not mistaken for one.
    assert.doesNotMatch(validate({ "[tag]": "x" }).errors[0].message, /form parser/);
  });

  test("codeStep keeps validate's hints: \"[object Object]\", JSON encoded twice", () => {
    for (const inputData of ["[object Object]", { payload: "[object Object]" }]) {
      const step = codeStep(inputData);
      assert.equal(step.errors[0].code, "json.syntax");
      assert.match(step.errors[0].message, /the body is the text "\[object Object\]": an object was turned into a string/);
      assert.equal(step.error, `leadhook: json.syntax: ${step.errors[0].message}`);
    }
    const twice = JSON.stringify(JSON.stringify(LEAD_EVENT_DATA));
    for (const inputData of [twice, { payload: twice }, { body: twice, headers: { "content-type": "application/json" } }]) {
      const step = codeStep(inputData);
      assert.equal(step.errors[0].code, "kind.unknown");
      assert.match(step.error, /^leadhook: kind\.unknown: .*\(the body is a JSON string that holds JSON: it was encoded twice; JSON\.parse it once first\)$/);
      assert.equal(step.errors[0].message, validate(twice).errors[0].message);
    }
  });

  test("codeStep of a body of no known kind ends its error with the keys it got, or what it got instead", () => {
    const step = codeStep({ payload: JSON.stringify({ hello: 1, world: 2 }) });
    assert.match(step.error, /; its keys: hello, world$/);
    assert.deepEqual(step.available_keys, ["hello", "world"]);
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    assert.match(codeStep({ payload: many }).error, /its keys: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, …$/);
    for (const [inputData, got] of [[{}, "no keys"], [{ payload: "{}" }, "no keys"], ["{}", "no keys"], [{ payload: "[]" }, "an empty array"],
      [{ payload: '[{"a":1},{"a":2}]' }, "an array of 2"], [[{ a: 1 }], "an array of 1"], [{ payload: "42" }, "a number"], [{ payload: "null" }, "null"]]) {
      const answer = codeStep(inputData);
      assert.equal(answer.errors[0].code, "kind.unknown", JSON.stringify(inputData));
      assert.match(answer.error, new RegExp(`; it got ${got}$`), JSON.stringify(inputData));
    }
  });
});

