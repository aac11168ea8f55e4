// What a function throws, for tests that look at the error; fails when it does not throw.
import assert from "node:assert/strict";

export function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected a throw");
}
