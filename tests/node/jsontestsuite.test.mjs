// leadhook against JSON.parse on JSONTestSuite (../shared/jsontestsuite): a body that JSON.parse
// rejects must not validate, and where both read a body they must agree on what it means. Each
// file is placed as a lead event's payload value, so that any JSON value can be carried through
// `parse` and compared with what JSON.parse makes of the file.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { root, esm } from "./leadhook.mjs";

const { parse, validate } = esm;
// The deepest file nests 500 arrays; the wrapper adds two levels; 512 is leadhook's ceiling.
const opts = { maxDepth: 512 };
const suite = path.join(root, "..", "shared", "jsontestsuite");
const present = fs.existsSync(suite);

/** The file's bytes as the `v` of a lead event's payload. */
function wrap(bytes) {
  const head = Buffer.from('{"id_space":"s","event":"list.create","secret":"x","payload":{"v":');
  return Buffer.concat([head, bytes, Buffer.from("}}")]);
}

function jsonParse(bytes) {
  // What a server does: decode as UTF-8 (invalid bytes become U+FFFD), then JSON.parse.
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

/** Files leadhook refuses although JSON.parse reads them, and why (docs/contract.md, "Reading bodies"). */
const REFUSED_ON_PURPOSE = [
  [/surrogate|U\+1D11E|UTF8_surrogate/i, "an unpaired surrogate escape, which no UTF-8 reader can represent"],
  [/utf-?8|latin|overlong|continuation|not_in_unicode|truncated|invalid_codepoint|UTF-16|utf16/i, "bytes that are not UTF-8"],
  [/duplicated_key|object_same_key|object_key_nfc_nfd|object_key_nfd_nfc/, "a repeated key (json.duplicate_key)"],
  [/BOM/, "a byte-order mark"],
];

function refusedOnPurpose(name) {
  return REFUSED_ON_PURPOSE.find(([pattern]) => pattern.test(name))?.[1];
}

const skip = present ? false : "../shared/jsontestsuite is not beside this checkout";

for (const folder of ["test_parsing", "test_transform"]) {
  test(`JSONTestSuite ${folder}: leadhook and JSON.parse agree`, { skip }, () => {
    const counts = { agree: 0, refusedOnPurpose: 0 };
    const disagreements = [];
    for (const name of fs.readdirSync(path.join(suite, folder)).sort()) {
      const bytes = fs.readFileSync(path.join(suite, folder, name));
      const expected = jsonParse(bytes);
      const wrapped = wrap(bytes);
      const report = validate(wrapped, opts);
      if (!expected.ok) {
        // JSON.parse rejects it: leadhook must not accept it.
        if (report.ok) disagreements.push(`${name}: JSON.parse rejects it, leadhook validates it`);
        else counts.agree++;
        continue;
      }
      if (!report.ok) {
        if (refusedOnPurpose(name)) counts.refusedOnPurpose++;
        else disagreements.push(`${name}: JSON.parse reads it, leadhook says ${report.errors[0].code}`);
        continue;
      }
      const got = parse(wrapped, opts).data.payload.v;
      // Object.is tells -0 from 0; deepStrictEqual uses it for primitives.
      try {
        assert.deepStrictEqual(got, expected.value);
        counts.agree++;
      } catch {
        disagreements.push(`${name}: leadhook reads ${JSON.stringify(got)}, JSON.parse ${JSON.stringify(expected.value)}`);
      }
    }
    assert.deepEqual(disagreements, []);
    console.log(`${folder}: ${counts.agree} agree with JSON.parse, ${counts.refusedOnPurpose} refused on purpose`);
  });
}
