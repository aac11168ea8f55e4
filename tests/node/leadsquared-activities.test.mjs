// LeadSquared activities made readable: Data.Note decoded and activityFields' names, in every
// flat output (flatten and rows are also pinned by the fixtures' golden records).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { esm, root } from "./leadhook.mjs";

const { flatten, rows, events, toCsv, codeStep } = esm;
const BODY = fs.readFileSync(path.join(root, "tests/fixtures/leadsquared/activities-rev3.json"), "utf8");
const activityFields = { 22: { mx_Custom_1: "CallStatus", mx_Custom_2: "StartTime" }, 203: { mx_Custom_2: "NextStep" } };

test("each output names each event's fields and decodes its note", () => {
  const [first, second] = rows(BODY, { activityFields });
  assert.equal(first.Data__CallStatus, "Answered");
  assert.equal(first.Data__StartTime, "2024-05-06 09:56:59");
  assert.equal(first.Data__mx_Custom_3, "252");
  assert.equal(second.Data__NextStep, "Send a proposal");
  assert.equal(second.Data__mx_Custom_1, "Interested", "a name given for another event only");
  assert.equal(flatten(BODY, { activityFields }).Data__CallStatus, "Answered");

  const each = events(BODY, { activityFields });
  assert.deepEqual(each.map((e) => e.record.Data__StartTime ?? e.record.Data__NextStep), ["2024-05-06 09:56:59", "Send a proposal"]);
  assert.equal(each[0].record["Data__Note__Outcome"], "Answered", "the last non-empty value of a repeated key");
  assert.equal(each[1].record["Data__Note__Agenda"], "Pricing");

  const header = toCsv(BODY, { activityFields }).split("\r\n")[0].split(",");
  assert.ok(header.includes("Data__StartTime") && header.includes("Data__NextStep") && !header.includes("Data__mx_Custom_2"));

  const step = codeStep({ payload: BODY }, { activityFields });
  assert.equal(step.error, undefined);
  // A delivery of several events: one record each, which Zapier runs the next steps for.
  assert.deepEqual([step[0].Data__StartTime, step[1].Data__NextStep], ["2024-05-06 09:56:59", "Send a proposal"]);
});

test("without activityFields, or for an unknown event, the raw keys stay", () => {
  assert.equal(rows(BODY)[0].Data__mx_Custom_2, "2024-05-06 09:56:59");
  assert.equal(rows(BODY, { activityFields: { 999: { mx_Custom_2: "Never" } } })[0].Data__mx_Custom_2, "2024-05-06 09:56:59");
});

test("a bad activityFields is refused as every bad option is", () => {
  assert.throws(() => flatten(BODY, { activityFields: { 22: ["StartTime"] } }), /option `activityFields` must be an object of objects of strings/);
  assert.match(codeStep({ payload: BODY }, { activityFields: "x" }).error, /activityFields/);
});

test("a note that is not Key{=}Value text stays as it is, with nothing added", () => {
  const one = JSON.stringify({ ProspectActivityId: "a", ActivityEvent: 22, Data: { Note: "Called, will call back {next}" } });
  const flat = flatten(one);
  assert.equal(flat.Data__Note, "Called, will call back {next}");
  assert.deepEqual(Object.keys(flat).filter((k) => k.startsWith("Data__Note__")), []);
});
