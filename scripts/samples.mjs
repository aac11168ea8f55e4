// The main job on the bundled samples: every body in tests/fixtures/ through the built package,
// with the options its case names (content type, URL, …); prints each report, and with
// `--flatten` the flat record of each valid one.
//   node scripts/samples.mjs [--flatten] [FILTER]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { validate, flatten } from "../pkg/node.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = path.join(root, "tests/fixtures");
const args = process.argv.slice(2);
const showFlat = args.includes("--flatten");
const filter = args.find((a) => !a.startsWith("--")) ?? "";

const counts = { ok: 0, invalid: 0 };
for (const dir of fs.readdirSync(fixtures).sort()) {
  const files = fs.readdirSync(path.join(fixtures, dir)).sort();
  for (const file of files.filter((f) => !f.endsWith(".expect.json"))) {
    const name = `${dir}/${file}`;
    if (!name.includes(filter)) continue;
    const stem = file.slice(0, file.indexOf("."));
    const expectPath = path.join(fixtures, dir, `${stem}.expect.json`);
    const opts = fs.existsSync(expectPath) ? JSON.parse(fs.readFileSync(expectPath, "utf8")).opts : undefined;
    const body = fs.readFileSync(path.join(fixtures, dir, file));
    const report = validate(body, opts);
    counts[report.ok ? "ok" : "invalid"]++;
    const verdict = report.ok ? "valid" : `${report.errors.length} error(s)`;
    const warned = report.warnings.length ? `, ${report.warnings.length} warning(s)` : "";
    console.log(`${name}  ${report.kind ?? "unknown kind"}  ${verdict}${warned}`);
    for (const [level, list] of [["error", report.errors], ["warning", report.warnings]]) {
      for (const i of list) console.log(`  ${level.padEnd(7)} ${i.code.padEnd(18)} ${(i.path || '""').padEnd(36)} ${i.message}`);
    }
    if (showFlat && report.ok) {
      for (const [k, v] of Object.entries(flatten(body, opts))) console.log(`  ${k} = ${JSON.stringify(v)}`);
    }
  }
}
console.log(`\n${counts.ok + counts.invalid} samples: ${counts.ok} valid, ${counts.invalid} invalid`);
