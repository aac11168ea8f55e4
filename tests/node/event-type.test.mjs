// parseEventType (pkg-template/api/event-type.js): LeadSquared's codes split, and a URL's query
// read exactly as the core reads it for flatten's entityType, entityId and eventType.
import { test } from "node:test";
import assert from "node:assert/strict";
import { esm } from "./leadhook.mjs";

const { parseEventType, flatten } = esm;

test("splits codes: a method word, a multi-word entity, a first underscore", () => {
  assert.deepEqual(parseEventType("SalesActivity_Post_Create"), {
    entityType: null, entityId: null, eventType: "SalesActivity_Post_Create",
    entity: "SalesActivity", method: "POST", action: "Create",
  });
  const split = (code) => {
    const { entity, method, action } = parseEventType(code);
    return [entity, method, action];
  };
  assert.deepEqual(split("Lead_Post_Stage_Change"), ["Lead", "POST", "Stage_Change"]);
  assert.deepEqual(split("Lead_Owner_Change"), ["Lead", null, "Owner_Change"]);
  assert.deepEqual(split("Landing_Page_submission"), ["Landing_Page", null, "submission"]);
  assert.deepEqual(split("OpportunityStage_Post_Update"), ["OpportunityStage", "POST", "Update"]);
  assert.deepEqual(split("Account_get_Details"), ["Account", "GET", "Details"]);
  assert.deepEqual(split("Post_Create"), ["Post", null, "Create"]);
  assert.deepEqual(split("Lead"), ["Lead", null, ""]);
  assert.deepEqual(split(""), ["", null, ""]);
  assert.deepEqual(split("  Task_Cancel \n"), ["Task", null, "Cancel"]);
});

test("reads a URL's query, or a bare query", () => {
  const e = parseEventType("https://api.example.com/leads/add?entityType=webhook&entityId=5f0c&eventType=Lead_Post_Create");
  assert.deepEqual(e, {
    entityType: "webhook", entityId: "5f0c", eventType: "Lead_Post_Create",
    entity: "Lead", method: "POST", action: "Create",
  });
  assert.equal(parseEventType("eventType=Task_Complete&entityId=9").entityId, "9");
  assert.deepEqual(parseEventType("https://x.example/hook"), {
    entityType: null, entityId: null, eventType: "", entity: "", method: null, action: "",
  });
});

// The URLs flatten reads entityType, entityId and eventType from, in the core.
const URLS = [
  "https://hooks.example.com/lsq?entityType=webhook&entityId=5f0c2e1a&eventType=Lead_Post_Stage_Change",
  "https://hooks.example.com/lsq?eventType=Lead_Post_Create#entityId=frag",
  "https://hooks.example.com/lsq?eventType=A&eventType=B&entityId=",
  "https://hooks.example.com/lsq?entityType=a+b%20c&entityId=%C3%A9%FF&eventType=%zz_Post_x",
  "https://hooks.example.com/lsq??eventType=Lead_Post_Update",
  "https://hooks.example.com/lsq?&&eventType&entityId=1=2",
  "https://hooks.example.com/lsq?entityType=x?y&eventType=Lead_Owner_Change",
  "eventType=Lead_Post_Create&entityType=bare",
  "https://hooks.example.com/lsq#?eventType=Lead_Post_Create",
];

test("a URL's fields are the ones flatten gives for the same URL", () => {
  const record = '{"ProspectID":"a311900c-0e56-4601-b580-f931645e7b32"}';
  for (const url of URLS) {
    const parsed = parseEventType(url);
    const flat = flatten(record, { kind: "leadsquared", url });
    for (const name of ["entityType", "entityId"]) assert.equal(parsed[name], flat[name], `${name} of ${url}`);
    assert.equal(parsed.eventType, flat.eventType ?? "", `eventType of ${url}`);
  }
});
