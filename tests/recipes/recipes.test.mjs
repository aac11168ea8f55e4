// The code-step recipes of docs/code-steps.md (examples/recipes/), each run as its platform runs a step: the
// code is the body of an (async) function with the platform's names in scope and no require,
// module or import (Zapier, Make, n8n with the inline file pasted above the recipe), or an ES
// module importing the package (Pipedream). Each gets a valid body, a LeadSquared form post with
// its eventType in the URL or query, and an invalid body, which must stop the run.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { linkPackage, root } from "../workerd/cases.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const recipe = (f) => fs.readFileSync(path.join(root, "examples/recipes", f), "utf8");
const inline = fs.readFileSync(path.join(root, "pkg/dist/leadhook.inline.cjs"), "utf8");
const fixture = (f) => fs.readFileSync(path.join(root, "tests/fixtures", f), "utf8");
const AsyncFunction = (async () => {}).constructor;

const leadsie = fixture("leadsie-v2/vendor-sample.json");
const form = "ProspectID=a311900c&FirstName=Sachin&EmailAddress=s%40example.com";
const invalid = JSON.stringify({ apiVersion: 2, requestUrl: "https://a.example/", connectionAssets: [{ type: "Facebook Page" }] });
const EVENT = "https://hooks.example/catch/1/?entityType=webhook&eventType=Lead_Post_Create";

/** A pasted step: inline file, then the recipe, as the body of an async function of `names`. */
function pasted(file, names) {
  const body = `${inline}\n;${recipe(file)}`;
  return (...args) => new AsyncFunction("require", "module", "exports", ...names, body)(undefined, undefined, undefined, ...args);
}

describe("Zapier: Code by Zapier after Catch Raw Hook (inputData holds strings)", () => {
  const run = pasted("zapier.js", ["inputData"]);
  test("a Leadsie v2 body gives its flat record", async () => {
    const out = await run({ payload: leadsie, url: "https://hooks.example/catch/1/" });
    assert.equal(out.facebook_page_name, "Test Success Page");
  });
  test("a LeadSquared form post gets eventType from the hook's URL", async () => {
    const out = await run({ payload: form, url: EVENT, content_type: "application/x-www-form-urlencoded" });
    assert.equal(out.EmailAddress, "s@example.com");
    assert.equal(out.eventType, "Lead_Post_Create");
  });
  test("an invalid body stops the Zap with the first error", async () => {
    await assert.rejects(run({ payload: invalid }), /leadhook: field\.missing at \/status/);
  });
});

describe("Make: a JavaScript module after Custom webhook (its inputs as `input`)", () => {
  const run = pasted("make.js", ["input"]);
  test("a Leadsie v2 body gives its flat record", async () => {
    assert.equal((await run({ payload: JSON.parse(leadsie) })).requestName, "a7b91c51d853b609335044ed");
  });
  test("a LeadSquared form post gets eventType from the url input", async () => {
    const out = await run({ payload: form, url: "?eventType=Lead_Post_Create" });
    assert.equal(out.EmailAddress, "s@example.com");
    assert.equal(out.eventType, "Lead_Post_Create");
  });
  test("an invalid body stops the scenario", async () => {
    await assert.rejects(run({ payload: invalid }), /field\.missing/);
  });
});

describe("n8n: a Code node after a Webhook node (items of { json: { headers, params, query, body } })", () => {
  const run = pasted("n8n.js", ["$input"]);
  const item = (body, query = {}, type = "application/json") => ({
    json: { headers: { host: "n8n.example", "content-type": type }, params: {}, query, body, webhookUrl: "https://n8n.example/webhook/x", executionMode: "production" },
  });
  const input = (items) => ({ all: () => items, first: () => items[0] });
  test("every item becomes its flat record; LeadSquared's eventType comes from the query", async () => {
    const lsq = { ProspectID: "a311900c", FirstName: "Sachin", EmailAddress: "s@example.com" };
    const out = await run(input([item(JSON.parse(leadsie)), item(lsq, { eventType: "Lead_Post_Create" })]));
    assert.equal(out.length, 2);
    assert.equal(out[0].json.facebook_page_name, "Test Success Page");
    assert.equal(out[1].json.eventType, "Lead_Post_Create");
  });
  test("an invalid item stops the execution", async () => {
    await assert.rejects(run(input([item(JSON.parse(invalid))])), /field\.missing/);
  });
});

describe("Pipedream: a Node.js code step after an HTTP trigger (steps.trigger.event)", async () => {
  // The step as Pipedream loads it: an ES module that imports the package, with defineComponent
  // in scope, run with { steps, $ }; $.flow.exit ends the workflow.
  linkPackage(here);
  const file = path.join(here, "pipedream-step.mjs");
  fs.writeFileSync(file, `const defineComponent = (c) => c;\n${recipe("pipedream.mjs")}`);
  const { default: component } = await import(file);
  fs.rmSync(file);
  const run = async (event) => {
    const exits = [];
    const $ = { flow: { exit: (reason) => exits.push(reason) } };
    const out = await component.run({ steps: { trigger: { event } }, $ });
    return { out, exits };
  };
  const event = (body, query = {}) => ({ method: "POST", path: "/", query, client_ip: "127.0.0.1", url: "https://x.m.pipedream.net/", headers: { "content-type": "application/json" }, body });
  test("a Leadsie v2 body gives its flat record", async () => {
    const { out, exits } = await run(event(JSON.parse(leadsie)));
    assert.deepEqual(exits, []);
    assert.equal(out.facebook_page_name, "Test Success Page");
  });
  test("an invalid body ends the workflow", async () => {
    const { exits } = await run(event(JSON.parse(invalid)));
    assert.equal(exits.length, 1);
    assert.match(exits[0], /field\.missing/);
  });
});

test("the inline files' header and the previewer hold each recipe as it is here", async () => {
  const header = inline.slice(0, inline.indexOf("\nvar leadhook"));
  const { recipes } = await import(path.join(root, "pkg/preview/recipes.js"));
  assert.deepEqual(recipes.map((r) => r.platform), ["Zapier", "Make", "n8n", "Pipedream"]);
  for (const f of fs.readdirSync(path.join(root, "examples/recipes"))) {
    const code = recipe(f);
    assert.ok(recipes.some((r) => r.code === code), `preview/recipes.js holds examples/recipes/${f}`);
    if (f.endsWith(".mjs")) continue; // Pipedream imports the package: nothing is pasted
    const asComment = code.trimEnd().split("\n").map((l) => `//     ${l}`.trimEnd()).join("\n");
    assert.ok(header.includes(asComment), `the inline header holds examples/recipes/${f}`);
  }
});

test("docs/code-steps.md shows each recipe as it is here", () => {
  const page = fs.readFileSync(path.join(root, "docs/code-steps.md"), "utf8");
  for (const f of fs.readdirSync(path.join(root, "examples/recipes"))) {
    assert.ok(page.includes("```js\n" + recipe(f) + "```"), `docs/code-steps.md does not show examples/recipes/${f} as it is`);
  }
});
