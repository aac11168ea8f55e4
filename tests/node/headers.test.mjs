// A detected kind confirmed, or not, by the request's headers (kind.unconfirmed), with the
// headers in every shape a runtime hands them over.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { esm, root } from "./leadhook.mjs";

const { validate } = esm;
const BODY = fs.readFileSync(path.join(root, "tests/fixtures/lead-event-v2/headers-confirm.json"), "utf8");
const codes = (report) => report.warnings.map((w) => w.code);

test("headers of every shape are read; another sender's is a warning, the vendor's none", () => {
  const other = { "User-Agent": "Acme-CRM-Hooks/2.1" };
  for (const headers of [other, new Headers(other), new Map(Object.entries(other))]) {
    const report = validate(BODY, { headers });
    assert.equal(report.ok, true);
    assert.equal(report.kind, "lead-event.v2");
    assert.deepEqual(codes(report), ["kind.unconfirmed"], String(headers));
    assert.match(report.warnings[0].message, /`User-Agent`/);
  }
  const vendor = new Headers({ "user-agent": "Breakcold-Webhooks/1.0", "x-webhook-event": "record.created" });
  assert.deepEqual(codes(validate(BODY, { headers: vendor })), []);
  assert.deepEqual(codes(validate(BODY, { headers: { "X-Webhook-Event": "note.created" } })), ["kind.unconfirmed"]);
});

test("a kind given, or no headers, is not second-guessed", () => {
  const headers = { "User-Agent": "Acme-CRM-Hooks/2.1" };
  assert.deepEqual(codes(validate(BODY, { headers, kind: "lead-event.v2" })), []);
  assert.deepEqual(codes(validate(BODY)), []);
});
