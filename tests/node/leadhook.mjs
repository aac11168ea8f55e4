// The built package, loaded as a user loads it: `leadhook` resolved through pkg/package.json's
// "exports". tests/node/node_modules/leadhook is a link to pkg/, made here when missing.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");
export const pkgDir = path.join(root, "pkg");

if (!fs.existsSync(path.join(pkgDir, "package.json"))) {
  throw new Error("pkg/ is not built: run `bash scripts/build.sh` first");
}

const link = path.join(here, "node_modules", "leadhook");
function linked() {
  try {
    return fs.realpathSync(link) === fs.realpathSync(pkgDir);
  } catch {
    return false;
  }
}
if (!linked()) {
  fs.mkdirSync(path.dirname(link), { recursive: true });
  try {
    fs.rmSync(link, { force: true, recursive: false });
  } catch {}
  try {
    fs.symlinkSync(pkgDir, link, "junction");
  } catch (e) {
    // Test files run in parallel processes: another one may have made it first.
    if (e.code !== "EEXIST" || !linked()) throw e;
  }
}

/** The package's module namespace through `import` (the "node" + "import" conditions). */
export const namespace = await import("leadhook");
/** Its named exports: the API, without the `default` export (which is the same API, whole). */
export const esm = Object.fromEntries(Object.entries(namespace).filter(([k]) => k !== "default"));
/** The package through `require` (the "node" + "require" conditions). */
export const require = createRequire(import.meta.url);
export const cjsModule = require("leadhook");
export const cjs = Object.fromEntries(Object.entries(cjsModule).filter(([k]) => k !== "default"));
/** Where `import` and `require` resolve `leadhook` to. */
export const resolved = {
  import: fileURLToPath(import.meta.resolve("leadhook")),
  require: require.resolve("leadhook"),
};
export const testsDir = here;
