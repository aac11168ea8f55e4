// toCsv's cells, as JavaScript writes them from the rows the module lays out: the cases of
// crates/leadhook/src/flat/csv.rs's own tests, so that both writers neutralise and quote alike
// (the fixtures' golden CSVs hold both to the same output).
import test from "node:test";
import assert from "node:assert/strict";
import { toCsv } from "../../pkg/node.mjs";

const one = (value, opts) => toCsv([{ c: value }], opts).split("\r\n")[1];

test("a formula gets a leading quote, behind whitespace, controls, invisible marks and fullwidth signs", () => {
  const formulas = [" =1+1", "\u00a0+cmd", "\u200b@SUM", "\ufeff-x", "|calc", "＝1", "＋1", "－1", "＠x", "\u0000=cmd()", "\u0001+1", "\u001b-1", "\u007f@SUM(A1)", "\u0085=1", "\u0000\u0000 \u0001|calc", "\u200e=1", "\u202e+1", "\u2060@x", "=SUM(A1)", "\t1"];
  for (const cell of formulas) assert.equal(one(cell), `'${cell}`, JSON.stringify(cell));
  for (const cell of ["a=1", "1-2", "", "  ", "x|y", "\u0000a", "\u0001", "\u007f1=1"]) assert.equal(one(cell), cell, JSON.stringify(cell));
  // A line break before the sign: neutralised, and quoted.
  assert.equal(toCsv([{ c: "\n=1" }]), "c\r\n\"'\n=1\"\r\n");
  // Linear: a long run of controls before the sign is one pass.
  assert.equal(one("\u0001".repeat(1 << 20) + "=1", { maxBytes: Infinity })[0], "'");
});

test("a number is never a formula, its text as sent; quotes, commas and nulls as RFC 4180 has them", () => {
  assert.equal(toCsv('[{"n":-1,"s":"-1","f":1.50,"e":1e3}]'), "n,s,f,e\r\n-1,'-1,1.50,1e3\r\n");
  assert.equal(
    toCsv([{ a: "x,y", b: "=SUM(A1)", c: null }, { a: 'say "hi"', b: "-1,2", c: true }]),
    'a,b,c\r\n"x,y",\'=SUM(A1),\r\n"say ""hi""","\'-1,2",true\r\n',
  );
  assert.equal(toCsv([]), "");
  // Keys are cells too.
  assert.equal(toCsv([{ "=k": 1, "a,b": false }]), "'=k,\"a,b\"\r\n1,false\r\n");
});
