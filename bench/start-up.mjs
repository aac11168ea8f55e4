// How long `import "leadhook"` and a first `validate` take in a fresh Node process, for the bench
// (bench.mjs) and for two builds side by side (compare.mjs --start-up).
//
// The module loader's own first start comes first, for a built-in and for a file (an empty
// module): an app's own main module is a file, so the loader has started on files before the app
// imports leadhook. What is timed is leadhook's part: `import "leadhook"` resolved through the
// package's exports from an app's node_modules (a link to the package), its module read and
// compiled. (Importing node:fs alone left the loader's first file, 2-4 ms, in the time.)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * An app beside the package at `pkgDir`: `time(body, entry)` in ms (`entry` what it imports,
 * "leadhook" unless told), `remove()` when done.
 */
export function app(pkgDir) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadhook-start-"));
  const empty = path.join(dir, "empty.mjs");
  fs.writeFileSync(empty, "export {};\n");
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(path.resolve(pkgDir), path.join(dir, "node_modules", "leadhook"), "junction");
  const time = (body, entry = "leadhook") =>
    Number(
      execFileSync(process.execPath, ["--input-type=module"], {
        cwd: dir,
        encoding: "utf8",
        input: `
          await import("node:fs");
          await import(${JSON.stringify(pathToFileURL(empty).href)});
          const t0 = performance.now();
          const { validate } = await import(${JSON.stringify(entry)});
          validate(${JSON.stringify(body)});
          console.log(performance.now() - t0);`,
      })
    );
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  return { time, remove };
}
