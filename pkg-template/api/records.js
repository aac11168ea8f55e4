// Records read back from the module's memory: the flat records and rows that the raw `flatten`
// and `rows` lay out there (crates/leadhook/src/api/records.rs has the layout), made into objects.

/**
 * The records of one instance of the module: `wasm` its raw functions, `memory` its
 * `WebAssembly.Memory`. `flattenRaw` and `rowsRaw` are the raw `flatten` and `rows`, told the
 * shape held; `records(at)` reads what they laid out; `renew(memory)` is told of a fresh instance,
 * and forgets the keys and views of the old one.
 */
function createRecords(wasm, memory, heldAscii) {
  // The raw `flatten` and `rows`, told the shape held and whether the body is held as a string
  // of ASCII (`heldAscii`, of the body just put: body.js); made once, not per call.
  const flattenRaw = (len, json) => wasm.flatten(len, json, shape, heldAscii());
  const rowsRaw = (len, json) => wasm.rows(len, json, shape, heldAscii());
  const csvRaw = (len, json) => wasm.toCsv(len, json, shape, heldAscii());
  // The raw `events`, which lays out the events that have the first laid-out record's keys as
  // `rows` lays out rows.
  const eventsRaw = (rows, hashApart) => (len, json) => wasm.events(len, json, rows, hashApart, shape, heldAscii());

  // The records the module laid out at `at` (crates/leadhook/src/api/records.rs has the layout): the keys come only
  // when they are not those of `shape`, the ones last sent, and each record is a copy of a
  // template of them with its values set (quicker than building it key by key). A value is a
  // slice of the body (the string given, when it is ASCII) or of the copied values' text,
  // decoded once.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  // Node's Buffer decodes ASCII as Latin-1 in less than half TextDecoder's time (0.06 against
  // 0.15 µs for a small record's 0.6 KB); ASCII is the same text read either way.
  const latin1 = typeof Buffer === "function" && typeof Buffer.prototype.latin1Slice === "function";
  let shape = 0;
  let keys = [];
  let template = {};
  // A template is copied by one of several spreads, chosen by its keys' length: V8 keeps each
  // spread in the code quick for up to four shapes of object, and past that (a process that
  // flattens a few kinds) copies at half the speed (0.7 against 1.4 µs for 26 keys). Key by key
  // is no way round it: an object given more than about 28 keys so goes into dictionary mode.
  // Written out, not made in a loop: closures of one function literal share what V8 learns.
  const COPIES = [(t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t }), (t) => ({ ...t })];
  let copy = COPIES[0];
  // Where JavaScript may be compiled from text (Node: no Content-Security-Policy to refuse it and
  // report the refusal; Workers refuse it), each shape of keys gets a reader of its own: one object
  // literal with the keys written out, which V8 makes from a boilerplate at 5 times the speed of a
  // copied template filled key by key (25 keys: 0.32 against 1.65 µs; a small body's flatten and
  // rows 0.88-0.96 of the time, bench/compare.mjs). Keys that an object
  // literal reads otherwise (`__proto__`) keep the copied template.
  const compiles = latin1 && compilable();
  let compiled = null;
  // Readers by their keys' JSON text: a bulk body's rows come with their keys at every call, and
  // one process flattens a few kinds; a few dozen shapes are kept, then the list starts again.
  const readers = new Map();
  const readerOf = (keysText, keys) => {
    let found = readers.get(keysText);
    if (found === undefined) {
      if (readers.size >= 32) readers.clear();
      found = reader(keys);
      readers.set(keysText, found);
    }
    return found;
  };
  let words = new Uint32Array(0);
  let bytes = new Uint8Array(0);
  let buffer = null;
  // What `readHeader(at)` found of the records at `at`: where their values' words start, how many
  // there are, and the text the values are read from (set here, not returned: an object per call
  // would be made and dropped for every flatten).
  let values = 0;
  let count = 0;
  let text = "";
  let body = "";
  let source = words;
  // `given` is what the body was passed as (body.js: `call`): `{ text }` or `{ bytes }`.
  function readHeader(at, given) {
    // A view of a buffer the memory's growth detached has length 0.
    if (words.length === 0) {
      words = new Uint32Array(memory.buffer);
      bytes = new Uint8Array(memory.buffer);
      buffer = latin1 ? Buffer.from(memory.buffer) : null;
    }
    // The header's nine words: the text's address, the shape, the keys' bytes, the text's
    // bytes, the number of records, whether the values are ASCII, where the widths are and how
    // many words they take, whether a value is in the body (records.rs: TEXT_AT … HEADER).
    const i = at >>> 2;
    const textAt = words[i];
    const keysLength = words[i + 2];
    // The values' text from `textAt` to `end`, then the keys' JSON when they are sent.
    const end = textAt + words[i + 3] - keysLength;
    if (keysLength !== 0) {
      const keysText = decoder.decode(bytes.subarray(end, end + keysLength));
      keys = JSON.parse(keysText);
      template = Object.fromEntries(keys.map((k) => [k, null]));
      copy = COPIES[keysLength % COPIES.length];
      shape = words[i + 1];
      compiled = compiles && !keys.includes("__proto__") ? readerOf(keysText, keys) : null;
    }
    text = buffer !== null && words[i + 5] === 1 ? buffer.latin1Slice(textAt, end) : decoder.decode(bytes.subarray(textAt, end));
    // Values are in the body only when it was given as a string of ASCII.
    body = words[i + 8] === 0 ? "" : given.text;
    count = words[i + 4];
    values = i + 9;
    source = words;
    if (words[i + 7] !== 0) padRows(i + words[i + 6], words[i + 7]);
  }

  // Rows laid out before a column first came lack it (it comes last): the widths, `pairs` words
  // at `at`, say from which row the rows have how many columns, and each row is given `null`'s
  // words (2: type 2, length 0; and 0) for those it lacks, in a copy that `source` then is.
  function padRows(at, pairs) {
    const n = 2 * keys.length;
    const full = new Uint32Array(count * n);
    for (let j = 0; j < full.length; j += 2) full[j] = 2;
    let from = values;
    for (let q = 0; q < pairs; q += 2) {
      const width = 2 * words[at + q + 1];
      const until = q + 2 < pairs ? words[at + q + 2] : count;
      for (let r = words[at + q]; r < until; r++) {
        full.set(words.subarray(from, from + width), r * n);
        from += width;
      }
    }
    source = full;
    values = 0;
  }

  // The text of the value whose words are `w` and `start`: in the body from IN_BODY (2³¹) on.
  const slice = (w, start) => (start < IN_BODY ? text.slice(start, start + (w >>> 3)) : body.slice(start - IN_BODY, start - IN_BODY + (w >>> 3)));

  function records(at, given) {
    readHeader(at, given);
    let i = values;
    const n = keys.length;
    const out = new Array(count);
    if (compiled !== null) {
      compiled(source, i, text, body, out);
      return done(out);
    }
    for (let r = 0; r < count; r++) {
      const row = copy(template);
      for (let c = 0; c < n; c++, i += 2) {
        const w = source[i];
        const type = w & 7;
        // 0 a string, 1 a number's JSON text, 2 null (the template's), 3 false, 4 true.
        if (type === 0) row[keys[c]] = slice(w, source[i + 1]);
        else if (type === 1) row[keys[c]] = Number(slice(w, source[i + 1]));
        else if (type !== 2) row[keys[c]] = type === 4;
      }
      out[r] = row;
    }
    return done(out);
  }

  // What a reading returns, the body let go: a caller's body is not kept past its call.
  function done(out) {
    body = "";
    return out;
  }

  /**
   * The records at `at` as CSV (RFC 4180, as crates/leadhook/src/flat/csv.rs writes it): a
   * header row of the keys, then a line per record, each ending in CRLF; nothing for no
   * records. A number is written as the body has it (its text, not `Number`'s).
   */
  function csv(at, given) {
    readHeader(at, given);
    if (count === 0) return done("");
    let out = keys.map((k) => csvCell(k, false)).join(",") + "\r\n";
    let i = values;
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < keys.length; c++, i += 2) {
        const w = source[i];
        const type = w & 7;
        // 0 a string, 1 a number's JSON text, 2 null, 3 false, 4 true (as in `records`).
        const cell = type <= 1 ? slice(w, source[i + 1]) : type === 2 ? "" : type === 4 ? "true" : "false";
        out += (c === 0 ? "" : ",") + csvCell(cell, type === 1);
      }
      out += "\r\n";
    }
    return done(out);
  }

  /** A reader of records of these keys: `(words, i, text, body, out)` fills `out` as the loop in `records` does. */
  function reader(keys) {
    // 0 a string, 1 a number's JSON text, 2 null, 3 false, 4 true (as in `records`; `slice` written out).
    const slice = `((s = words[i - 1]) < ${IN_BODY} ? text.slice(s, s + (w >>> 3)) : body.slice(s -= ${IN_BODY}, s + (w >>> 3)))`;
    const value = `(w = words[i], i += 2, (t = w & 7) === 0 ? ${slice} : t === 1 ? Number(${slice}) : t === 2 ? null : t === 4)`;
    const literal = keys.map((k) => `${JSON.stringify(k)}: ${value}`).join(",\n");
    return new Function("words", "i", "text", "body", "out", `let w, t, s;\nfor (let r = 0; r < out.length; r++) out[r] = {\n${literal}\n};`);
  }

  function renew(fresh) {
    memory = fresh;
    shape = 0;
    keys = [];
    template = {};
    copy = COPIES[0];
    compiled = null;
    body = "";
    words = new Uint32Array(0);
    bytes = new Uint8Array(0);
    buffer = null;
  }

  return { flattenRaw, rowsRaw, csvRaw, eventsRaw, records, csv, renew };
}

export { createRecords };

// A cell a spreadsheet could run as a formula: it starts with `=`, `+`, `-`, `@`, tab or CR, or
// its first character past whitespace, control characters and invisible marks (NBSP, zero-width
// spaces and joiners, direction marks and embeddings, BOM) is one of `=+-@|` or a fullwidth
// `＝＋－＠` (crates/leadhook/src/flat/csv.rs: `is_formula`, whose whitespace is Unicode's
// White_Space and whose controls are Cc, as here).
const FORMULA = /^(?:[=+\-@\t\r]|[\p{White_Space}\p{Cc}\u00a0\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*[=+\-@|\uff1d\uff0b\uff0d\uff20])/u;
const QUOTED = /[,"\r\n]/;

/** One CSV cell: a formula gets a leading `'` (never a number); a cell holding a comma, quote or line break is quoted, its quotes doubled. */
function csvCell(cell, number) {
  // A cell that starts with a printable ASCII character other than a sign (most of them) needs
  // no look for blanks before one.
  const first = cell.charCodeAt(0);
  const plain = number || cell === "" || (first > 0x20 && first < 0x7f && first !== 0x3d && first !== 0x2b && first !== 0x2d && first !== 0x40 && first !== 0x7c);
  const formula = !plain && FORMULA.test(cell) ? "'" : "";
  return QUOTED.test(cell) ? `"${formula}${cell.replaceAll('"', '""')}"` : formula + cell;
}

// Added to where a value's text starts when it is in the body (records.rs: IN_BODY).
const IN_BODY = 2 ** 31;

/** Whether this runtime compiles JavaScript from text (Workers and a strict Content-Security-Policy refuse). */
function compilable() {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
}
