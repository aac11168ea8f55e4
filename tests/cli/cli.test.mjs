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
    assert.equal(json.status, 1);
    assert.deepEqual(JSON.parse(json.stdout), report);
    assert.equal(json.stderr, "");
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
    // LeadSquared's event is its URL's eventType; any sample is reached by its name too.
    const bulk = run(["sample", "leadsquared", "activities-bulk"]);
    assert.equal(bulk.status, 0, bulk.stderr);
    assert.ok(Array.isArray(JSON.parse(bulk.stdout)) && JSON.parse(bulk.stdout).length > 1);
    const stage = run(["sample", "leadsquared", "Lead_Post_Stage_Change"]);
    assert.equal(stage.status, 0, stage.stderr);
    const other = run(["sample", "leadsquared", "Lead_Post_Delete"]);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /events with one: Lead_Post_Stage_Change, LeadActivity_Post_Create, Lead_Post_Create; samples: lead-stage-change, activities-bulk, form-encoded-content-type/);
  });

  test("--json: the report as JSON on standard output, so that it pipes (validate, a failed flatten, detect)", () => {
    const bad = fixture("leadsie-v2/missing-required.json");
    const report = esm.validate(fs.readFileSync(bad));
    for (const command of ["validate", "flatten", "rows", "csv", "upgrade", "key"]) {
      const got = run([command, bad, "--json"]);
      assert.equal(got.status, 1, command);
      assert.deepEqual(JSON.parse(got.stdout), report, command);
      assert.equal(got.stderr, "", command);
    }
    const good = run(["validate", "--json", fixture("leadsie-v2/vendor-sample.json")]);
    assert.equal(good.status, 0);
    assert.equal(JSON.parse(good.stdout).ok, true);
    assert.deepEqual(JSON.parse(run(["detect", "--json", fixture("leadsie-v1/example.json")]).stdout), { kind: "leadsie.v1" });
  });

  test("--version and --help, before or after a command, on standard output with exit 0", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "pkg", "package.json"), "utf8"));
    for (const args of [["--version"], ["-v"], ["validate", "--version"]]) {
      const got = run(args);
      assert.deepEqual([got.status, got.stdout, got.stderr], [0, `${pkg.version}\n`, ""], args.join(" "));
    }
    for (const args of [["--help"], ["-h"], ["help"], ["validate", "--help"], ["csv", "-h"]]) {
      const got = run(args);
      assert.equal(got.status, 0, args.join(" "));
      assert.match(got.stdout, /^usage: leadhook <command> \[FILE\|-\] \[options\]\n\ncommands:\n/, args.join(" "));
      assert.equal(got.stderr, "", args.join(" "));
    }
  });

  test("--opt=value as well as --opt value", () => {
    const body = fs.readFileSync(fixture("leadsquared/form-encoded-content-type.txt"), "utf8");
    const url = "https://h.example/?eventType=Lead_Post_Create";
    const spaced = run(["flatten", "--content-type", "application/x-www-form-urlencoded", "--url", url, "--kind", "leadsquared"], body);
    const joined = run(["flatten", "--content-type=application/x-www-form-urlencoded", `--url=${url}`, "--kind=leadsquared"], body);
    assert.equal(joined.status, 0, joined.stderr);
    assert.equal(joined.stdout, spaced.stdout);
    // Only the first = splits: a value may hold one.
    assert.deepEqual(JSON.parse(joined.stdout), esm.flatten(body, { contentType: "application/x-www-form-urlencoded", url, kind: "leadsquared" }));
    const header = run(["key", fixture("lead-event-v2/vendor-record-created.json"), "--header=X-Webhook-Delivery-Id: a=b"]);
    assert.equal(header.status, 0, header.stderr);
  });

  test("--max-bytes N refuses a larger body (exit 1, input.too_large); a smaller one passes", () => {
    const good = fixture("leadsie-v2/vendor-sample.json");
    const size = fs.statSync(good).size;
    assert.equal(run(["validate", "--max-bytes", String(size), good]).status, 0);
    for (const args of [["--max-bytes", String(size - 1)], [`--max-bytes=${size - 1}`]]) {
      const got = run(["validate", ...args, good, "--json"]);
      assert.equal(got.status, 1, args.join(" "));
      assert.deepEqual(JSON.parse(got.stdout).errors.map((e) => e.code), ["input.too_large"]);
    }
    const flat = run(["flatten", "--max-bytes", "10", good]);
    assert.equal(flat.status, 1);
    assert.equal(flat.stdout, "");
    assert.match(flat.stderr, /input\.too_large .*over the limit of 10 bytes \(maxBytes\)/);
  });

  test("several files, and - for standard input: one line each, exit 1 when any is invalid", () => {
    const good = fixture("leadsie-v2/vendor-sample.json");
    const bad = fixture("leadsie-v2/missing-required.json");
    const several = run(["validate", good, "-", bad], fs.readFileSync(fixture("leadsie-v1/example.json")));
    assert.equal(several.status, 1);
    assert.equal(several.stdout, "");
    assert.deepEqual(several.stderr.trim().split("\n"), [
      `${good}: valid leadsie.v2 payload`,
      "-: valid leadsie.v1 payload",
      `${bad}: invalid leadsie.v2 payload: 5 error(s), 2 warning(s)`,
    ]);
    assert.equal(run(["validate", good, "-"], fs.readFileSync(good)).status, 0);
    const json = run(["validate", "--json", good, bad]);
    assert.equal(json.status, 1);
    assert.deepEqual(json.stdout.trim().split("\n").map((l) => JSON.parse(l)).map((r) => [r.file, r.ok]), [[good, true], [bad, false]]);
    const detect = run(["detect", good, "-"], "{}");
    assert.equal(detect.status, 1);
    assert.equal(detect.stdout, `${good}: leadsie.v2\n-: null\n`);
    // A file that cannot be read is said, the others are still read, and the exit is 2.
    const missing = run(["validate", good, "/no/such/file", bad]);
    assert.equal(missing.status, 2);
    assert.deepEqual(missing.stderr.trim().split("\n"), [
      `${good}: valid leadsie.v2 payload`,
      "leadhook: cannot read /no/such/file: no such file",
      `${bad}: invalid leadsie.v2 payload: 5 error(s), 2 warning(s)`,
    ]);
    assert.equal(run(["validate", "-", "-"], "{}").status, 2);
  });

  test("a bad value is a usage error: exit 2, its one line and a pointer to --help, no stack", () => {
    const good = fixture("leadsie-v2/vendor-sample.json");
    const cases = [
      [["preview", "--port", "abc"], /^leadhook: --port needs a whole number, got "abc"$/],
      [["preview", "--port=99999"], /^leadhook: --port is at most 65535, got 99999$/],
      [["validate", "--max-bytes", "xyz", good], /^leadhook: --max-bytes needs a whole number, got "xyz"$/],
      [["validate", "--max-bytes=-1", good], /^leadhook: --max-bytes needs a whole number, got "-1"$/],
      [["validate", good, "--max-bytes"], /^leadhook: --max-bytes needs a value$/],
      [["deliveries", "--limit", "0"], /^leadhook: --limit must be a positive number$/],
      [["validate", "--kind", "hubspot", good], /^leadhook: --kind must be one of leadsie\.v2, /],
      [["validate", "--stric", good], /^leadhook: unknown option --stric$/],
      [["validate", "-x", good], /^leadhook: unknown option -x$/],
      [["bogus"], /^leadhook: unknown command "bogus"$/],
      [["validate", "/no/such/file"], /^leadhook: cannot read \/no\/such\/file: no such file$/],
      [["validate", root], /: it is a directory$/],
      [["flatten", "a", "b"], /^leadhook: flatten takes one FILE, got 2/],
      [["sample"], /^leadhook: sample KIND \[EVENT\]: KIND is one of /],
    ];
    for (const [args, first] of cases) {
      const got = run(args, "");
      assert.equal(got.status, 2, args.join(" "));
      assert.equal(got.stdout, "", args.join(" "));
      const lines = got.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 2, `${args.join(" ")}: ${got.stderr}`);
      assert.match(lines[0], first, args.join(" "));
      assert.equal(lines[1], "usage: leadhook <command> [FILE|-] [options]; run `leadhook --help` for the list");
      assert.doesNotMatch(got.stderr, /^\s+at /m, "no stack trace");
    }
  });

  test("no command at all: the whole usage, on standard error, exit 2", () => {
    const got = run([]);
    assert.equal(got.status, 2);
    assert.equal(got.stdout, "");
    assert.equal(got.stderr, run(["--help"]).stdout);
  });

  test("no FILE and a terminal on standard input: a usage error, not a wait", (t) => {
    // util-linux's script gives the command a terminal; -e passes its exit code on.
    const probe = spawnSync("script", ["--version"], { encoding: "utf8" });
    if (probe.status !== 0) return t.skip("no script(1) to give the command a terminal");
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} validate`;
    const got = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
    assert.equal(got.status, 2, got.stdout + got.stderr);
    assert.match(got.stdout, /leadhook: no FILE given, and standard input is a terminal: give a FILE, or pipe a body in/);
  });

  test("standard input from a parent process that writes it later, in pieces, is read whole", async () => {
    const body = fs.readFileSync(fixture("leadsie-v2/vendor-sample.json"));
    const child = spawn(process.execPath, [cli, "validate", "--json"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    await new Promise((resolve) => child.once("spawn", resolve));
    // Written once the command is (most likely) reading a pipe that holds nothing yet, where
    // fs.readFileSync(0) fails with EAGAIN. A slower start only makes the test easier.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await new Promise((resolve) => child.stdin.write(body.subarray(0, 100), resolve));
    child.stdin.end(body.subarray(100));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), esm.validate(body));
  });

  test("a reader that stops early (| head) ends the command quietly", async () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ ProspectID: `p${i}`, FirstName: `Name ${i}`, EmailAddress: `a${i}@example.com` }));
    const child = spawn(process.execPath, [cli, "rows", "-"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => child.stdout.destroy());
    child.stdin.end(JSON.stringify(records));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(stderr, "");
    assert.equal(code, 0);
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
