// Each kind's JSON Schema as JSON text, written by the build from the kinds' tables (cargo xtask
// schemas, which also ships them as schemas/<kind>.json): the module carries no schema writer.
// scripts/assemble.mjs fills in the line below before it bundles these files.
const SCHEMAS = {}; /* @schemas */

export { SCHEMAS };
