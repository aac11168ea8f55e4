// The command line (pkg/cli.mjs, the package's `bin`), run as a user runs it: exit codes 0 for a
// valid payload, 1 for an invalid one (the report on standard error), 2 for a usage error.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { root, esm } from "../node/leadhook.mjs";

const cli = path.join(root, "pkg", "cli.mjs");
const fixture = (p) => path.join(root, "tests", "fixtures", p);
const run = (args, input) => spawnSync(process.execPath, [cli, ...args], { input, encoding: "utf8", cwd: root });

describe("leadhook (the command line)", () => {
  test("the package's bin is this file, executable, with a node shebang", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "pkg", "package.json"), "utf8"));
    assert.equal(pkg.bin.leadhook, "./cli.mjs");
    assert.match(fs.readFileSync(cli, "utf8"), /^#!\/usr\/bin\/env node\n/);
    assert.ok(fs.statSync(cli).mode & 0o111, "executable");
  });

  test("validate: 0 and a one-line verdict for a valid body; 1 and every issue for an invalid one", () => {
    const ok = run(["validate", fixture("leadsie-v2/vendor-sample.json")]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /^valid leadsie\.v2 payload\n$/);
    const bad = run(["validate", fixture("leadsie-v2/missing-required.json")]);
    assert.equal(bad.status, 1);
    const report = esm.validate(fs.readFileSync(fixture("leadsie-v2/missing-required.json")));
    assert.equal(bad.stderr.trim().split("\n").length, 1 + report.errors.length + report.warnings.length);
    assert.match(bad.stderr, /error field\.missing at \/status: required field `status` is missing/);
    assert.match(bad.stderr, /warning field\.missing at \/requestUrl: /);
    const json = run(["validate", "--json", fixture("leadsie-v2/missing-required.json")]);
    assert.deepEqual(JSON.parse(json.stderr), report);
  });

  test("standard input, --kind, --url, --content-type, --strict", () => {
    const body = fs.readFileSync(fixture("leadsquared/form-encoded-content-type.txt"), "utf8");
    const url = "https://h.example/?eventType=Lead_Post_Create";
    const flat = run(["flatten", "-", "--content-type", "application/x-www-form-urlencoded", "--url", url], body);
    assert.equal(flat.status, 0, flat.stderr);
    assert.deepEqual(JSON.parse(flat.stdout), esm.flatten(body, { contentType: "application/x-www-form-urlencoded", url }));
    const strict = run(["validate", "--strict", fixture("leadsie-v2/unknown-enums.json")]);
    assert.equal(strict.status, 1);
    assert.equal(run(["validate", fixture("leadsie-v2/unknown-enums.json")]).status, 0);
    assert.equal(run(["detect", "--kind", "leadsquared", fixture("leadsie-v2/vendor-sample.json")]).stdout.trim(), "leadsquared");
  });

  test("detect, flatten, rows, csv, upgrade, key print what the package gives", () => {
    const file = fixture("leadsie-v1/example.json");
    const body = fs.readFileSync(file);
    assert.equal(run(["detect", file]).stdout, "leadsie.v1\n");
    assert.deepEqual(JSON.parse(run(["flatten", file]).stdout), esm.flatten(body));
    assert.deepEqual(JSON.parse(run(["rows", file]).stdout), esm.rows(body));
    assert.equal(run(["csv", file]).stdout, esm.toCsv(body));
    assert.deepEqual(JSON.parse(run(["upgrade", file]).stdout), esm.upgrade(body));
    assert.equal(run(["key", file]).stdout, `${esm.eventKey(body)}\n`);
    const signed = fixture("lead-event-v2/vendor-record-created.json");
    // The signed eventId: the delivery id header is not covered by the signature (rev 3).
    assert.equal(run(["key", signed, "--header", "X-Webhook-Delivery-Id: dlv_9"]).stdout, "evt_abc123\n");
    const unknown = run(["detect", fixture("input/syntax-trailing-comma.txt")]);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stdout, "null\n");
    const cannot = run(["flatten", fixture("leadsie-v2/missing-required.json")]);
    assert.equal(cannot.status, 1);
    assert.equal(cannot.stdout, "");
    assert.match(cannot.stderr, /^invalid leadsie\.v2 payload/);
  });

  test("sample: a valid body of every kind, and of an event when a sample has it", () => {
    for (const kind of esm.kinds()) {
      const got = run(["sample", kind]);
      assert.equal(got.status, 0, `${kind}: ${got.stderr}`);
      const report = esm.validate(got.stdout);
      assert.equal(report.kind, kind);
      assert.equal(report.ok, true, kind);
    }
    for (const [kind, event] of [["lead-event.v2", "task.completed"], ["lead-event.v2", "file.deleted"], ["lead-event", "campaign.create"], ["lead-event", "lead.update"]]) {
      const got = run(["sample", kind, event]);
      assert.equal(got.status, 0, got.stderr);
      assert.equal(JSON.parse(got.stdout).event, event);
    }
    const none = run(["sample", "lead-event.v2", "relation.created"]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /events with one: record\.created/);
  });

  test("Unix habits: --version, --opt=value, several files, a bad number is a one-line usage error", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "pkg", "package.json"), "utf8"));
    assert.equal(run(["--version"]).stdout.trim(), pkg.version);
    const good = fixture("leadsie-v2/vendor-sample.json");
    const bad = fixture("leadsie-v2/missing-required.json");
    const eq = run(["validate", "--kind=leadsie.v2", "--max-bytes=100000", good]);
    assert.equal(eq.status, 0, eq.stderr);
    const several = run(["validate", good, bad]);
    assert.equal(several.status, 1);
    assert.deepEqual(several.stderr.trim().split("\n").map((l) => l.split(": ").slice(1).join(": ").split(" ")[0]), ["valid", "invalid"]);
    assert.equal(run(["validate", good, good]).status, 0);
    assert.equal(run(["validate", "--max-bytes", "10", good]).status, 1);
    const port = run(["preview", "--port", "abc"]);
    assert.equal(port.status, 2);
    assert.equal(port.stderr.trim().split("\n").length, 2, port.stderr);
    assert.match(port.stderr, /--port needs a whole number/);
  });

  test("usage errors exit 2 with the usage", () => {
    for (const args of [[], ["bogus"], ["validate", "--stric"], ["validate", "--kind", "hubspot"], ["validate", "/no/such/file"], ["flatten", "a", "b"], ["sample"]]) {
      const got = run(args, "");
      assert.equal(got.status, 2, args.join(" "));
      assert.match(got.stdout + got.stderr, /usage: leadhook <command>/, args.join(" "));
    }
    assert.equal(run(["--help"]).status, 0);
  });

  test("preview serves the previewer page, the package beside it, on 127.0.0.1", async () => {
    const child = spawn(process.execPath, [cli, "preview", "--port", "0"], { cwd: root });
    try {
      const line = await new Promise((resolve, reject) => {
        let text = "";
        child.stdout.on("data", (d) => {
          text += d;
          if (text.includes("\n")) resolve(text);
        });
        child.on("exit", (code) => reject(new Error(`preview exited ${code}`)));
        setTimeout(() => reject(new Error("preview printed nothing in 10 s")), 10000);
      });
      const url = /(http:\/\/127\.0\.0\.1:\d+\/preview\/)/.exec(line)?.[1];
      assert.ok(url, line);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /leadhook previewer/);
      for (const file of ["app.js", "../browser.mjs", "../samples.mjs", "../leadhook_bg.wasm"]) {
        assert.equal((await fetch(new URL(file, url))).status, 200, file);
      }
      const app = await (await fetch(new URL("app.js", url))).text();
      assert.ok(!app.includes("../pkg/"), "the packaged page imports the package beside it");
    } finally {
      child.kill();
    }
  });
});
