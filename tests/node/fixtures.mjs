// The cases of tests/fixtures/, shared by the tests that run them: NAME.expect.json beside exactly
// one body file NAME.<ext>, and the other forms a body can be given in (a string, a parsed object).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { root } from "./leadhook.mjs";

export const fixturesDir = path.join(root, "tests", "fixtures");

function collect(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(p, out);
    else if (entry.name.endsWith(".expect.json")) out.push(p);
  }
  return out;
}

export function cases() {
  return collect(fixturesDir)
    .sort()
    .map((expectPath) => {
      const stem = path.basename(expectPath).slice(0, -".expect.json".length);
      const dir = path.dirname(expectPath);
      const bodies = fs
        .readdirSync(dir)
        .filter((n) => n.startsWith(`${stem}.`) && !n.endsWith(".expect.json"));
      const name = path.relative(fixturesDir, expectPath);
      assert.equal(bodies.length, 1, `${name}: expected exactly one body file beside it, found ${bodies.length}`);
      return {
        name,
        body: new Uint8Array(fs.readFileSync(path.join(dir, bodies[0]))),
        expect: JSON.parse(fs.readFileSync(expectPath, "utf8")),
      };
    });
}

/** The body as a string, when it is valid UTF-8 (a byte-order mark is kept, to give the same bytes back). */
export function asString(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether valid JSON text has an object with the same key twice (JSON.parse would keep one). */
export function hasDuplicateKeys(text) {
  const stack = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top instanceof Set) {
        const key = JSON.parse(text.slice(i, j + 1));
        if (top.has(key)) return true;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === "{") {
      stack.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      stack.push(null);
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return false;
}

/** Whether an object in the tree has an array-index key: engines list those first, so key order changes. */
export function hasIndexKeys(value) {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(hasIndexKeys);
  const keys = Object.keys(value);
  if (keys.length > 1 && keys.some((k) => /^(0|[1-9]\d*)$/.test(k))) return true;
  return keys.some((k) => hasIndexKeys(value[k]));
}

export const isForm = (opts) =>
  typeof opts?.contentType === "string" &&
  opts.contentType.split(";")[0].trim().toLowerCase() === "application/x-www-form-urlencoded";

/** The body as an already-parsed value, when that is the same document; else the reason it is not. */
export function asObject(text, opts) {
  if (text === undefined) return { skip: "not UTF-8" };
  if (isForm(opts)) return { skip: "a form body" };
  let value;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return { skip: "not JSON" };
  }
  if (value === null || typeof value !== "object") return { skip: "not an object or array" };
  if (hasDuplicateKeys(text)) return { skip: "duplicate keys" };
  if (hasIndexKeys(value)) return { skip: "array-index keys (reordered by JSON.parse)" };
  return { value };
}
