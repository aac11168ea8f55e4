// The receiver's store: every event of every acknowledged delivery, its state, its tries and its
// last error, and the memory of which `eventKey`s were forwarded (for `dedupeSeconds`). One set of
// SQL statements, run on a Cloudflare D1 database (Workers) or an embedded SQLite file (Node:
// `node:sqlite`, else `better-sqlite3`); both are SQLite, so the statements are the same.
//
// The states of an event: `pending` (stored, not yet tried), `failed` (tried, to be tried again at
// `next_at`), `forwarded`, `dead` (every try failed; kept until replayed). A claim takes due events
// for one forwarder by moving their `next_at` past a lease: a forwarder that dies mid-forward
// leaves them due again once the lease runs out, so an acknowledged event is forwarded at least
// once, and twice only when a forwarder died between the sink's answer and the mark.
//
// Events travel into SQL as one JSON parameter read with `json_each` (D1 allows 100 bound
// parameters per statement, and a LeadSquared post can carry thousands of records), in chunks of
// at most CHUNK_BYTES.
//
// This file must stay a plain ES module with no imports and a single `export { … };` statement
// at the end: scripts/build.sh derives store.cjs from it.

const TABLE = "leadhook_events";
// What live deliveries showed that the tables do not document: field names and codes, counted.
const DRIFT = "leadhook_drift";

/** The schema; `IF NOT EXISTS` throughout, so opening a store creates it or finds it. */
const SCHEMA = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  event_key TEXT PRIMARY KEY,
  delivery TEXT NOT NULL,
  idx INTEGER NOT NULL,
  kind TEXT NOT NULL,
  record TEXT NOT NULL,
  state TEXT NOT NULL,
  tries INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  duplicates INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  done_at INTEGER
);
CREATE INDEX IF NOT EXISTS ${TABLE}_due ON ${TABLE} (state, next_at);
CREATE INDEX IF NOT EXISTS ${TABLE}_delivery ON ${TABLE} (delivery);
CREATE TABLE IF NOT EXISTS ${DRIFT} (
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  code TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (kind, path, code)
);
`;

const CHUNK_BYTES = 512 * 1024;
const STATES = ["pending", "failed", "forwarded", "dead", "duplicate"];
const REVIVABLE = "(state = 'dead' OR (state = 'forwarded' AND done_at < ?4))";
const KEYS_OF = (param) => `SELECT json_extract(value, '$.k') FROM json_each(${param})`;

const SQL = {
  // One statement per chunk: a new key is stored; a key already there is a duplicate, unless it
  // died or was forwarded before the dedupe window (`?4`), when the redelivery makes it new. In
  // an upsert's SET, every column reads the row as it was.
  add: `INSERT INTO ${TABLE} (event_key, delivery, idx, kind, record, state, received_at, next_at)
    SELECT json_extract(value, '$.k'), ?1, json_extract(value, '$.i'), json_extract(value, '$.c'),
      json_extract(value, '$.r'), 'pending', ?2, ?2 FROM json_each(?3) WHERE true
    ON CONFLICT (event_key) DO UPDATE SET
      duplicates = duplicates + (CASE WHEN ${REVIVABLE} THEN 0 ELSE 1 END),
      delivery = CASE WHEN ${REVIVABLE} THEN excluded.delivery ELSE delivery END,
      record = CASE WHEN ${REVIVABLE} THEN excluded.record ELSE record END,
      tries = CASE WHEN ${REVIVABLE} THEN 0 ELSE tries END,
      last_error = CASE WHEN ${REVIVABLE} THEN NULL ELSE last_error END,
      received_at = CASE WHEN ${REVIVABLE} THEN excluded.received_at ELSE received_at END,
      next_at = CASE WHEN ${REVIVABLE} THEN excluded.next_at ELSE next_at END,
      done_at = CASE WHEN ${REVIVABLE} THEN NULL ELSE done_at END,
      state = CASE WHEN ${REVIVABLE} THEN 'pending' ELSE state END`,
  stored: `SELECT event_key, delivery FROM ${TABLE} WHERE delivery IN (SELECT value FROM json_each(?1))`,
  claim: `UPDATE ${TABLE} SET next_at = ?1, tries = tries + 1
    WHERE event_key IN (SELECT event_key FROM ${TABLE}
      WHERE state IN ('pending', 'failed') AND next_at <= ?2 AND (?4 IS NULL OR delivery = ?4)
      ORDER BY received_at, idx LIMIT ?3)
    RETURNING event_key, delivery, idx, kind, record, tries, received_at`,
  forwarded: `UPDATE ${TABLE} SET state = 'forwarded', done_at = ?2, last_error = NULL WHERE event_key IN (${KEYS_OF("?1")})`,
  failed: `UPDATE ${TABLE} SET state = CASE WHEN tries >= ?4 THEN 'dead' ELSE 'failed' END,
    last_error = ?2, next_at = ?3, done_at = CASE WHEN tries >= ?4 THEN ?3 END
    WHERE event_key = ?1 RETURNING state`,
  dead: `UPDATE ${TABLE} SET state = 'dead', last_error = ?3, done_at = ?2
    WHERE delivery = ?1 AND state IN ('pending', 'failed') RETURNING event_key, kind, record, tries`,
  list: `SELECT event_key, delivery, idx, kind, state, tries, last_error, duplicates, received_at, done_at, record
    FROM ${TABLE} WHERE (?1 IS NULL OR state = ?1 OR (?1 = 'duplicate' AND duplicates > 0))
    ORDER BY received_at DESC, idx LIMIT ?2`,
  replayKeys: `UPDATE ${TABLE} SET state = 'pending', tries = 0, last_error = NULL, next_at = ?1, done_at = NULL
    WHERE event_key IN (${KEYS_OF("?2")}) RETURNING event_key`,
  replayDead: `UPDATE ${TABLE} SET state = 'pending', tries = 0, last_error = NULL, next_at = ?1, done_at = NULL
    WHERE state = 'dead' RETURNING event_key`,
  open: `SELECT COUNT(*) AS n, MIN(next_at) AS next_at FROM ${TABLE} WHERE delivery = ?1 AND state IN ('pending', 'failed')`,
  prune: `DELETE FROM ${TABLE} WHERE state = 'forwarded' AND done_at < ?1`,
  counts: `SELECT state, COUNT(*) AS n FROM ${TABLE} GROUP BY state`,
  noteDrift: `INSERT INTO ${DRIFT} (kind, path, code, count, first_seen, last_seen)
    SELECT json_extract(value, '$.kind'), json_extract(value, '$.path'), json_extract(value, '$.code'), 1, ?1, ?1
    FROM json_each(?2) WHERE true
    ON CONFLICT (kind, path, code) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen`,
  drift: `SELECT kind, path, code, count, first_seen, last_seen FROM ${DRIFT} ORDER BY kind, count DESC, path`,
};

/**
 * `sql` with its numbered parameters (`?1`, written for the reader) as plain `?`s, and the order in
 * which they take `params`: better-sqlite3 reads `?1` as a named parameter, and every driver
 * takes plain `?`s in order.
 */
const plain = new Map();
function positional(sql, params) {
  let got = plain.get(sql);
  if (got === undefined) {
    const order = [];
    const text = sql.replace(/\?(\d+)/g, (_, n) => {
      order.push(Number(n) - 1);
      return "?";
    });
    got = { text, order };
    plain.set(sql, got);
  }
  return [got.text, got.order.map((i) => params[i])];
}

/** `items` in JSON arrays of at most CHUNK_BYTES each (one item over it is a chunk alone). */
function chunks(items) {
  const out = [];
  let current = [];
  let size = 2;
  for (const item of items) {
    const text = JSON.stringify(item);
    if (current.length > 0 && size + text.length + 1 > CHUNK_BYTES) {
      out.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(text);
    size += text.length + 1;
  }
  if (current.length > 0) out.push(`[${current.join(",")}]`);
  return out;
}

/**
 * The store on a database `db`: `{ run(sql, params) -> rows, batch([[sql, params]…]) -> [rows…] }`
 * where a batch is one transaction (see `d1Database` and `sqliteDatabase`). Every method is async.
 */
function sqlStore(db, { name }) {
  const rows = (r) => r ?? [];
  let waiting = null;
  // The next turn of the event loop, after the I/O that is ready now (in Node, setImmediate).
  const later = typeof setImmediate === "function" ? setImmediate : (f) => setTimeout(f, 0);
  async function commit() {
    const group = waiting;
    waiting = null;
    const statements = [];
    for (const { delivery, events, now, forgetBefore, drift } of group) {
      const parts = chunks(events.map((e) => ({ k: e.eventKey, i: e.index, c: e.kind, r: e.record })));
      for (const part of parts) statements.push([SQL.add, [delivery, now, part, forgetBefore]]);
      if (drift.length > 0) statements.push([SQL.noteDrift, [now, JSON.stringify(drift)]]);
    }
    statements.push([SQL.stored, [JSON.stringify(group.map((g) => g.delivery))]]);
    try {
      const results = await db.batch(statements);
      const stored = new Map(group.map((g) => [g.delivery, new Set()]));
      for (const r of rows(results.at(-1))) stored.get(r.delivery)?.add(r.event_key);
      for (const g of group) g.resolve(stored.get(g.delivery));
    } catch (e) {
      for (const g of group) g.reject(e);
    }
  }
  let marks = null;
  async function mark() {
    const group = marks;
    marks = null;
    const keys = group.map((m) => ({ k: m.eventKey }));
    const now = Math.max(...group.map((m) => m.now));
    try {
      await db.batch(chunks(keys).map((part) => [SQL.forwarded, [part, now]]));
      for (const m of group) m.resolve();
    } catch (e) {
      for (const m of group) m.reject(e);
    }
  }
  return {
    name,
    /**
     * Stores the events of one delivery: `events` is `[{ eventKey, kind, index, record }]`
     * (`record` as JSON text). Resolves with the keys that were stored; the others were
     * duplicates (already stored, or forwarded after `forgetBefore`). The deliveries that arrive
     * while one is being written are written together, in one transaction (a group commit:
     * one write to the log for many answers); each is answered only once its transaction is.
     * `drift` (`[{ kind, path, code }]`) is what the delivery showed that the tables do not
     * document, counted in the same transaction.
     */
    add(delivery, events, now, forgetBefore, drift = []) {
      return new Promise((resolve, reject) => {
        if (waiting === null) {
          waiting = [];
          later(commit);
        }
        waiting.push({ delivery, events, now, forgetBefore, drift, resolve, reject });
      });
    },
    /** Takes up to `limit` due events (of one delivery, when given) until `leaseUntil`. */
    async claim({ now, leaseUntil, limit, delivery = null }) {
      const got = rows(await db.run(SQL.claim, [leaseUntil, now, limit, delivery]));
      return got.sort((a, b) => a.received_at - b.received_at || a.idx - b.idx);
    },
    /**
     * Marks an event forwarded. The marks asked for in one turn of the event loop are written
     * together, so that each is written as soon as its forward is answered (a process killed in
     * between forwards it again) without a transaction each.
     */
    forwarded(eventKey, now) {
      return new Promise((resolve, reject) => {
        if (marks === null) {
          marks = [];
          later(mark);
        }
        marks.push({ eventKey, now, resolve, reject });
      });
    },
    /** A try failed: due again at `nextAt`, or dead once `tries` reached `maxTries`. Returns the state. */
    async failed(eventKey, error, nextAt, maxTries) {
      const [row] = rows(await db.run(SQL.failed, [eventKey, String(error), nextAt, maxTries]));
      return row ? row.state : null;
    },
    /** Every event of a delivery that is not forwarded yet becomes a dead letter; returns them. */
    async dead(delivery, now, error) {
      return rows(await db.run(SQL.dead, [delivery, now, String(error)]));
    },
    /** The newest events first, of one state when given (`duplicate`: those redelivered). */
    async list({ state = null, limit = 100 } = {}) {
      if (state !== null && !STATES.includes(state)) throw new TypeError(`no state "${state}" (states: ${STATES.join(", ")})`);
      return rows(await db.run(SQL.list, [state, limit])).map((r) => ({
        eventKey: r.event_key,
        delivery: r.delivery,
        index: r.idx,
        kind: r.kind,
        state: r.state,
        tries: r.tries,
        lastError: r.last_error,
        duplicates: r.duplicates,
        receivedAt: new Date(r.received_at).toISOString(),
        doneAt: r.done_at == null ? null : new Date(r.done_at).toISOString(),
        record: JSON.parse(r.record),
      }));
    },
    /** Makes events due again, whatever their state: the given keys, or every dead letter. Returns their keys. */
    async replay(keys, now) {
      const got = keys === "dead"
        ? rows(await db.run(SQL.replayDead, [now]))
        : (await db.batch(chunks(keys.map((k) => ({ k }))).map((part) => [SQL.replayKeys, [now, part]]))).flatMap(rows);
      return got.map((r) => r.event_key);
    },
    /** How many events of a delivery are still to be forwarded, and when the next is due. */
    async open(delivery) {
      const [row] = rows(await db.run(SQL.open, [delivery]));
      return { count: row ? row.n : 0, nextAt: row ? row.next_at : null };
    },
    /** Forgets the events forwarded before `before` (their keys are no longer deduplicated). */
    async prune(before) {
      await db.run(SQL.prune, [before]);
    },
    /** Per kind, each undocumented path and code seen, with its count and when first and last seen. */
    async drift() {
      const out = {};
      for (const r of rows(await db.run(SQL.drift, []))) {
        (out[r.kind] ??= []).push({ path: r.path, code: r.code, count: r.count, firstSeen: new Date(r.first_seen).toISOString(), lastSeen: new Date(r.last_seen).toISOString() });
      }
      return out;
    },
    /** `{ pending, failed, forwarded, dead }`: how many events are in each state. */
    async counts() {
      const out = { pending: 0, failed: 0, forwarded: 0, dead: 0 };
      for (const r of rows(await db.run(SQL.counts, []))) out[r.state] = r.n;
      return out;
    },
    close: () => db.close(),
  };
}

/** Whether `value` looks like a Cloudflare D1 database binding. */
const isD1 = (value) =>
  value !== null && typeof value === "object" && typeof value.prepare === "function" && typeof value.batch === "function" && typeof value.exec === "function";

/** A D1 binding as a store database: `batch` is D1's own (one transaction). */
function d1Database(d1) {
  let ready = null;
  // The schema, once per isolate (D1's exec takes one statement per line).
  const schema = () => (ready ??= d1.exec(SCHEMA.replace(/\n\s*/g, " ").replace(/; /g, ";\n")).catch((e) => {
    ready = null;
    throw e;
  }));
  const statement = (sql, params) => {
    const [text, values] = positional(sql, params);
    return d1.prepare(text).bind(...values);
  };
  return {
    async run(sql, params) {
      await schema();
      return (await statement(sql, params).all()).results;
    },
    async batch(list) {
      await schema();
      return (await d1.batch(list.map(([sql, params]) => statement(sql, params)))).map((r) => r.results);
    },
    close() {},
  };
}

/**
 * An SQLite file (or ":memory:") as a store database, opened with `node:sqlite` where the running
 * Node has it, else `better-sqlite3`; `load` is the caller's `require`. Written ahead (WAL,
 * `synchronous = NORMAL`): a committed event survives the process being killed at any moment.
 */
function sqliteDatabase(file, load) {
  let db = null;
  let driver = null;
  try {
    const { DatabaseSync } = load("node:sqlite");
    db = new DatabaseSync(file);
    driver = "node:sqlite";
  } catch {
    // Not in this Node (before 22.5): the optional peer dependency.
  }
  if (db === null) {
    let Database;
    try {
      Database = load("better-sqlite3");
    } catch {
      throw new TypeError(
        "createHandler: the store needs SQLite, which this Node does not have built in (node:sqlite comes with Node 22.5): " +
          "npm install better-sqlite3@12 (or pass `store` a Store of your own)",
      );
    }
    db = new Database(file);
    driver = "better-sqlite3";
  }
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
  db.exec(SCHEMA);
  // Each statement prepared once, with whether it returns rows (read with all(); any other is run()).
  const prepared = new Map();
  const statement = (sql) => {
    let s = prepared.get(sql);
    if (s === undefined) {
      s = { run: db.prepare(sql), rows: /^\s*SELECT|\bRETURNING\b/.test(sql) };
      prepared.set(sql, s);
    }
    return s;
  };
  const exec = (sql, params) => {
    const [text, values] = positional(sql, params);
    const s = statement(text);
    return s.rows ? s.run.all(...values) : (s.run.run(...values), []);
  };
  return {
    driver,
    async run(sql, params) {
      return exec(sql, params);
    },
    async batch(list) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const out = list.map(([sql, params]) => exec(sql, params));
        db.exec("COMMIT");
        return out;
      } catch (e) {
        try {
          db.exec("ROLLBACK");
        } catch {
          // The transaction is already over.
        }
        throw e;
      }
    },
    close() {
      db.close();
    },
  };
}

export { SCHEMA, STATES, sqlStore, isD1, d1Database, sqliteDatabase };
