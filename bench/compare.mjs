// Two builds of the package side by side in one process, on the bench's workloads: for each
// call and input, the median µs of each and their ratio (new ÷ old). What an optimisation is
// measured with:
//
//   node bench/compare.mjs OLD_PKG_DIR NEW_PKG_DIR [--quick] [--calls flatten,rows] [--rounds 31]
//   node bench/compare.mjs OLD_PKG_DIR NEW_PKG_DIR --start-up [--rounds 15] [--entry leadhook/inline]
//
// --calls times those calls alone (each round is then shorter, and more rounds fit); --rounds
// sets how many alternating rounds each ratio is the median of (11; 5 with --quick; 15 with
// --start-up).
// --start-up times instead `import "leadhook"` and a first `validate` in fresh processes, one
// of each build a round, in turn (the bench's measure of start-up, start-up.mjs); --entry
// imports another of the package's entries (`leadhook/inline`: the file a code step pastes).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { app } from "./start-up.mjs";
import { FIXTURES, measure, middle, ratio, workloads } from "./workloads.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const [oldDir, newDir] = args.filter((a, i) => !a.startsWith("--") && !["--calls", "--rounds", "--entry"].includes(args[i - 1]));
const ALL = ["validate", "flatten", "rows", "toCsv", "events", "eventKey"];
const OPS = option("--calls")?.split(",") ?? ALL;
const quick = args.includes("--quick");
const startUp = args.includes("--start-up");
const rounds = Number(option("--rounds") ?? (startUp ? 15 : quick ? 5 : 11));
if (!oldDir || !newDir || OPS.some((op) => !ALL.includes(op)) || !(rounds >= 1)) {
  console.error(`usage: node bench/compare.mjs OLD_PKG_DIR NEW_PKG_DIR [--quick] [--calls ${ALL.join(",")}] [--rounds N]\n       node bench/compare.mjs OLD_PKG_DIR NEW_PKG_DIR --start-up [--rounds N] [--entry SPECIFIER]`);
  process.exit(2);
}
const fixtures = Object.fromEntries(FIXTURES.map((f) => [f, fs.readFileSync(path.join(root, "tests/fixtures", f), "utf8")]));

if (startUp) {
  const body = workloads(fixtures)["Leadsie v2, 1 asset"].text;
  const entry = option("--entry") ?? "leadhook";
  const apps = [app(oldDir), app(newDir)];
  const times = [[], []];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) times[i].push(apps[i].time(body, entry));
    }
  } finally {
    for (const a of apps) a.remove();
  }
  const samples = { old: times[0], new: times[1] };
  const ms = (name) => `${middle(samples[name]).toFixed(1)} ms`;
  console.log(`import "${entry}" and a first validate, medians of ${times[0].length} fresh processes each: old ${ms("old")}, new ${ms("new")}, new ÷ old ${ratio({ samples }, "new", "old").toFixed(2)}x`);
  process.exit(0);
}

const older = await import(path.resolve(oldDir, "node.mjs"));
const newer = await import(path.resolve(newDir, "node.mjs"));
const encoder = new TextEncoder();

const contenders = (kind, body) => {
  const fns = {};
  for (const op of OPS) {
    fns[`old ${op}`] = () => older[op](body, { kind });
    fns[`new ${op}`] = () => newer[op](body, { kind });
  }
  return fns;
};
const now = () => performance.now();
// One unmeasured round of everything first, so that nothing is timed while the JIT warms up.
for (const { kind, text } of Object.values(workloads(fixtures))) measure(contenders(kind, text), { rounds: 1, batchMs: 4, now });

const lines = ["| workload | call | input | old µs | new µs | new ÷ old |", "|---|---|---|---:|---:|---:|"];
for (const [name, { kind, text }] of Object.entries(workloads(fixtures))) {
  for (const input of ["string", "bytes"]) {
    const body = input === "string" ? text : encoder.encode(text);
    const t = measure(contenders(kind, body), { rounds, batchMs: quick ? 4 : 10, now });
    for (const op of OPS) {
      const [a, b] = [t.median[`old ${op}`], t.median[`new ${op}`]];
      lines.push(`| ${name} | ${op} | ${input} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${ratio(t, `new ${op}`, `old ${op}`).toFixed(2)}x |`);
    }
  }
}
console.log(lines.join("\n"));
