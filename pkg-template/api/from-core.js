// What the build writes here from the core, so that JavaScript keeps no copy of it:
// - SCHEMAS: each kind's JSON Schema as JSON text, from the kinds' tables (cargo xtask schemas,
//   which also ships them as schemas/<kind>.json): the module carries no schema writer;
// - DEFAULTS: the options' defaults (cargo xtask defaults: `Options::default()`);
// - KINDS: the kinds' names in detection order, their places in the core's registry, with which
//   the module's `validate` answers (cargo xtask kinds).
// scripts/assemble.mjs fills in the lines below before it bundles these files.
const SCHEMAS = {}; /* @schemas */
const DEFAULTS = {}; /* @defaults */
const KINDS = []; /* @kinds */

export { SCHEMAS, DEFAULTS, KINDS };
