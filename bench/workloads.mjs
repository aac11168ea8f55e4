// What the bench measures, shared by its Node run (bench.mjs) and its workerd run (worker.mjs):
// the bodies, what a user would write instead of leadhook, and the timing loop. Imports nothing
// runtime-specific: the fixture texts come in as arguments.

/**
 * The workloads: name → { kind, text }. `fixtures` maps a fixture path under tests/fixtures to its
 * text. The 60-asset and 4,000-activity bodies are the vendor samples repeated with variations.
 */
export function workloads(fixtures) {
  const v2 = JSON.parse(fixtures["leadsie-v2/vendor-sample.json"]);
  const types = ["Facebook Page", "Meta Ad Account", "Instagram Account", "Meta Pixel", "Google Ads Account", "Google Analytics Account"];
  const asset = v2.connectionAssets[0];
  const many = {
    ...v2,
    connectionAssets: Array.from({ length: 60 }, (_, i) => ({
      ...asset,
      id: String(581293397 + i),
      name: `${asset.name} ${i}`,
      type: types[i % types.length],
      connectionStatus: i % 7 === 3 ? "Failed" : "Connected",
      connectedAccount: { id: String(581293397 + i), name: `${asset.name} ${i}` },
    })),
  };
  const activities = JSON.parse(fixtures["leadsquared/activities-bulk.json"]);
  const bulk = Array.from({ length: 4000 }, (_, i) => {
    const a = activities[i % activities.length];
    return { ...a, ProspectActivityId: `${a.ProspectActivityId.slice(0, 24)}${String(i).padStart(12, "0")}`, CreatedOn: `2024-05-02 09:${String(i % 60).padStart(2, "0")}:00` };
  });
  return {
    "Leadsie v2, 1 asset": { kind: "leadsie.v2", text: fixtures["leadsie-v2/vendor-sample.json"] },
    "Leadsie v2, 60 assets": { kind: "leadsie.v2", text: JSON.stringify(many) },
    "lead event": { kind: "lead-event", text: fixtures["lead-event/vendor-sample.json"] },
    "lead-event.v2": { kind: "lead-event.v2", text: fixtures["lead-event-v2/vendor-record-created.json"] },
    "LeadSquared bulk, 4,000 activities": { kind: "leadsquared", text: JSON.stringify(bulk) },
  };
}

/** The fixtures `workloads` reads. */
export const FIXTURES = [
  "leadsie-v2/vendor-sample.json",
  "lead-event/vendor-sample.json",
  "lead-event-v2/vendor-record-created.json",
  "leadsquared/activities-bulk.json",
];

// What a user writes by hand: the vendor snippet's keys for Leadsie v2, and a nested-object
// flatten with `__` for the others.

const snake = (s) => s.toLowerCase().replaceAll(" ", "_");
const yes = (b) => (b === true ? "True" : b === false ? "False" : "");

function leadsieAssetRecord(a) {
  return {
    type: a.type,
    id: a.id,
    name: a.name,
    is_success: a.connectionStatus === "Connected",
    connection_status: a.connectionStatus,
    time: a.time ?? null,
    status_last_checked_at: a.statusLastCheckedAt ?? null,
    was_initial_grant_successful: a.wasInitialGrantSuccessful ?? null,
    link_to_asset: a.linkToAsset ?? null,
    access_level: a.accessLevel ?? null,
    connected_account_id: a.connectedAccount?.id ?? null,
    connected_account_name: a.connectedAccount?.name ?? null,
    assigned_users: (a.assignedUsers ?? []).map((u) => u.name).join(", "),
  };
}

function leadsieTop(p) {
  return {
    user_id: p.user ?? "",
    requestUrl: p.requestUrl,
    requestName: p.requestName,
    status: p.status,
    accessLevel: p.accessLevel,
    clientName: p.clientName ?? null,
    clientSummaryUrl: p.clientSummaryUrl ?? null,
    apiVersion: p.apiVersion,
  };
}

function leadsieFlatten(p) {
  const out = leadsieTop(p);
  const join = (key, value) => {
    out[key] = out[key] === undefined ? String(value) : `${out[key]}, ${value}`;
  };
  for (const a of p.connectionAssets) {
    const r = leadsieAssetRecord(a);
    const prefix = snake(a.type);
    for (const [k, v] of Object.entries(r)) {
      if (k !== "type") join(`${prefix}_${k}`, typeof v === "boolean" ? yes(v) : (v ?? ""));
    }
  }
  return out;
}

function leadsieRows(p) {
  const top = leadsieTop(p);
  return p.connectionAssets.map((a) => ({ ...top, ...leadsieAssetRecord(a) }));
}

function flatObject(value, prefix = "", out = {}) {
  for (const k of Object.keys(value)) {
    if (prefix === "" && k === "secret") continue;
    const v = value[k];
    const key = prefix === "" ? k : `${prefix}__${k}`;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatObject(v, key, out);
    else out[key] = Array.isArray(v) ? JSON.stringify(v) : v;
  }
  return out;
}

/** Records flattened, then aligned to the union of their keys (first seen first), as rows are. */
function alignedRows(records) {
  const flat = records.map((r) => flatObject(r));
  const keys = [];
  const seen = new Set();
  for (const r of flat) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), keys.push(k));
  return flat.map((r) => {
    const row = {};
    for (const k of keys) row[k] = r[k] === undefined ? null : r[k];
    return row;
  });
}

/**
 * A delivery's events as a user would make them by hand: each record of an array (else the one
 * payload) with its flat record and, for a key, its JSON text (what identifies an event where no
 * id is documented is its whole content; a hash of it would cost more again).
 */
const eventsOf = (kind, flatten) => (p) => (Array.isArray(p) ? p : [p]).map((r, index) => ({ kind, eventKey: JSON.stringify(r), index, record: flatten(r) }));

/** kind → { flatten(parsed), rows(parsed), events(parsed) }: the hand-written JavaScript leadhook is measured against. */
export const BY_HAND = {
  "leadsie.v2": { flatten: leadsieFlatten, rows: leadsieRows, events: eventsOf("leadsie.v2", leadsieFlatten) },
  "lead-event": { flatten: (p) => flatObject(p), rows: (p) => [flatObject(p)], events: eventsOf("lead-event", (p) => flatObject(p)) },
  "lead-event.v2": { flatten: (p) => flatObject(p), rows: (p) => [flatObject(p)], events: eventsOf("lead-event.v2", (p) => flatObject(p)) },
  leadsquared: {
    flatten: (p) => (Array.isArray(p) ? { ...flatObject(p[0]), count: p.length } : flatObject(p)),
    rows: (p) => alignedRows(Array.isArray(p) ? p : [p]),
    events: eventsOf("leadsquared", (r) => flatObject(r)),
  },
};

/**
 * The contenders for one workload: name → function of no arguments. `check(parsed)` is a
 * validator's boolean check of a parsed body (ajv, zod, @cfworker/json-schema); `decode` turns
 * bytes into text for the JavaScript contenders given bytes.
 */
export function contenders({ leadhook, kind, input, check, decode }) {
  const text = typeof input === "string" ? () => input : () => decode(input);
  const hand = BY_HAND[kind];
  const valid = (p) => {
    if (!check(p)) throw new Error(`the validator rejects the ${kind} body`);
    return p;
  };
  return {
    "JSON.parse": () => JSON.parse(text()),
    "js validate": () => valid(JSON.parse(text())),
    "js flatten": () => hand.flatten(valid(JSON.parse(text()))),
    "js rows": () => hand.rows(valid(JSON.parse(text()))),
    "js events": () => hand.events(valid(JSON.parse(text()))),
    "leadhook validate": () => {
      if (!leadhook.validate(input, { kind }).ok) throw new Error(`leadhook rejects the ${kind} body`);
    },
    "leadhook flatten": () => leadhook.flatten(input, { kind }),
    "leadhook rows": () => leadhook.rows(input, { kind }),
    "leadhook events": () => leadhook.events(input, { kind }),
  };
}

/**
 * The time per call, in µs, of each contender: `rounds` rounds, each timing every contender in
 * turn (so that a slow moment of the machine falls on all of them; in reverse order every
 * other round), each for a batch of calls
 * sized to take about `batchMs`. `now()` is a clock in ms. `{ median, samples }`: each
 * contender's median, and its time in each round (for [`ratio`]).
 */
export function measure(fns, { rounds, batchMs, now }) {
  const names = Object.keys(fns);
  const batch = {};
  for (const name of names) {
    const fn = fns[name];
    for (let i = 0; i < 3; i++) fn(); // warm up
    let n = 1;
    for (;;) {
      const t0 = now();
      for (let i = 0; i < n; i++) fn();
      const dt = now() - t0;
      if (dt >= batchMs / 4 || n >= 1 << 20) {
        batch[name] = Math.max(1, Math.round((n * batchMs) / Math.max(dt, 0.001)));
        break;
      }
      n *= 4;
    }
  }
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    // In reverse order every other round: a build timed against itself in a fixed order read
    // 0.95-1.00 (the second one faster), which favoured whichever contender came later.
    for (const name of r % 2 === 0 ? names : names.slice().reverse()) {
      const fn = fns[name];
      const n = batch[name];
      const t0 = now();
      for (let i = 0; i < n; i++) fn();
      samples[name].push(((now() - t0) * 1000) / n);
    }
  }
  return { median: Object.fromEntries(names.map((n) => [n, middle(samples[n])])), samples };
}

/**
 * How `a` compares with `b` in a `measure`: the median of their ratios round by round. Both were
 * timed in each round, one after the other, so a round that the machine slowed counts as one
 * ratio, not as a slow time for one and a fast time for the other.
 */
export function ratio({ samples }, a, b) {
  return middle(samples[a].map((t, r) => t / samples[b][r]));
}

/** The median of `values`. */
export const middle = (values) => values.slice().sort((p, q) => p - q)[Math.floor(values.length / 2)];

// zod and valibot schemas from leadhook's JSON Schemas, so that each checks what ajv and leadhook
// check (and no schema is written twice). One converter over the keywords schema() uses (anything
// else throws), on the few primitives each library names in its own way.

/** A validator library's primitives, as the converter uses them. */
const ZOD = (z) => ({
  literal: (v) => z.literal(v),
  union: (list) => z.union(list),
  string: (pattern) => (pattern ? z.string().regex(pattern) : z.string()),
  number: () => z.number(),
  boolean: () => z.boolean(),
  null: () => z.null(),
  unknown: () => z.unknown(),
  array: (item) => z.array(item),
  object: (shape) => z.looseObject(shape),
  optional: (schema) => schema.optional(),
  refine: (schema, ok) => schema.superRefine((value, ctx) => (ok(value) ? undefined : ctx.addIssue({ code: "custom", message: "refined" }))),
  is: (schema, value) => schema.safeParse(value).success,
});
const VALIBOT = (v) => ({
  literal: (value) => v.literal(value),
  union: (list) => v.union(list),
  string: (pattern) => (pattern ? v.pipe(v.string(), v.regex(pattern)) : v.string()),
  number: () => v.number(),
  boolean: () => v.boolean(),
  null: () => v.null(),
  unknown: () => v.unknown(),
  array: (item) => v.array(item),
  object: (shape) => v.looseObject(shape),
  optional: (schema) => v.optional(schema),
  refine: (schema, ok) => v.pipe(schema, v.check(ok)),
  is: (schema, value) => v.is(schema, value),
});

/** A schema of `lib`'s primitives for a JSON Schema. */
function convert(lib, schema) {
  const known = new Set(["$schema", "title", "description", "deprecated", "examples", "type", "properties", "required", "patternProperties", "items", "enum", "const", "pattern", "anyOf", "allOf", "if", "then"]);
  const build = (s) => {
    for (const k of Object.keys(s)) if (!known.has(k)) throw new Error(`schema converter: keyword ${k}`);
    let out;
    if (s.const !== undefined) out = lib.literal(s.const);
    else if (s.enum) out = lib.union(s.enum.map((v) => lib.literal(v)));
    else if (s.anyOf) out = lib.union(s.anyOf.map(build));
    else if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      const one = types.map((t) => {
        if (t === "string") return lib.string(s.pattern && new RegExp(s.pattern, "u"));
        if (t === "number") return lib.number();
        if (t === "boolean") return lib.boolean();
        if (t === "null") return lib.null();
        if (t === "array") return lib.array(s.items ? build(s.items) : lib.unknown());
        if (t === "object") {
          const required = new Set(s.required ?? []);
          const shape = {};
          for (const [k, v] of Object.entries(s.properties ?? {})) shape[k] = required.has(k) ? build(v) : lib.optional(build(v));
          let o = lib.object(shape);
          for (const [pattern, v] of Object.entries(s.patternProperties ?? {})) {
            const re = new RegExp(pattern, "u");
            const inner = build(v);
            o = lib.refine(o, (value) => Object.keys(value).every((k) => !re.test(k) || lib.is(inner, value[k])));
          }
          return o;
        }
        throw new Error(`schema converter: type ${t}`);
      });
      out = one.length === 1 ? one[0] : lib.union(one);
    } else out = lib.unknown();
    for (const c of [...(s.allOf ?? []), ...(s.if ? [{ if: s.if, then: s.then }] : [])]) {
      if (!c.if) {
        const also = build(c);
        out = lib.refine(out, (value) => lib.is(also, value));
        continue;
      }
      const when = build(c.if);
      const then = c.then ? build(c.then) : lib.unknown();
      out = lib.refine(out, (value) => !lib.is(when, value) || lib.is(then, value));
    }
    return out;
  };
  return build(schema);
}

/** A check of a parsed body by zod (`z` its namespace) against a JSON Schema. */
export function zodCheck(z, schema) {
  const lib = ZOD(z);
  const compiled = convert(lib, schema);
  return (parsed) => lib.is(compiled, parsed);
}

/** A check of a parsed body by valibot (`v` its namespace) against a JSON Schema. */
export function valibotCheck(v, schema) {
  const lib = VALIBOT(v);
  const compiled = convert(lib, schema);
  return (parsed) => lib.is(compiled, parsed);
}
