// Records read back from the module's memory: the flat records and rows that the raw `flatten`
// and `rows` lay out there (crates/leadhook/src/api/records.rs has the layout), made into objects.

/**
 * The records of one instance of the module: `wasm` its raw functions, `memory` its
 * `WebAssembly.Memory`. `flattenRaw` and `rowsRaw` are the raw `flatten` and `rows`, told the
 * shape held; `records(at)` reads what they laid out; `renew(memory)` is told of a fresh instance,
 * and forgets the keys and views of the old one.
 */
function createRecords(wasm, memory) {
  // The raw `flatten` and `rows`, told the shape held; made once, not per call.
  const flattenRaw = (len, json) => wasm.flatten(len, json, shape);
  const rowsRaw = (len, json) => wasm.rows(len, json, shape);

  // The records the module laid out at `at` (crates/leadhook/src/api/records.rs has the layout): the keys come only
  // when they are not those of `shape`, the ones last sent, and each record is a copy of a
  // template of them with its values set (quicker than building it key by key). The values'
  // text is decoded once; each string value is a slice of it.
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
  function records(at) {
    // A view of a buffer the memory's growth detached has length 0.
    if (words.length === 0) {
      words = new Uint32Array(memory.buffer);
      bytes = new Uint8Array(memory.buffer);
      buffer = latin1 ? Buffer.from(memory.buffer) : null;
    }
    // The header's six words: the text's address, the shape, the keys' bytes, the text's
    // bytes, the number of records, whether the values are ASCII (records.rs: TEXT_AT … HEADER).
    let i = at >>> 2;
    const textAt = words[i];
    const keysLength = words[i + 2];
    const count = words[i + 4];
    if (keysLength !== 0) {
      const keysText = decoder.decode(bytes.subarray(textAt, textAt + keysLength));
      keys = JSON.parse(keysText);
      template = Object.fromEntries(keys.map((k) => [k, null]));
      copy = COPIES[keysLength % COPIES.length];
      shape = words[i + 1];
      compiled = compiles && !keys.includes("__proto__") ? readerOf(keysText, keys) : null;
    }
    const start = textAt + keysLength;
    const end = textAt + words[i + 3];
    const text = buffer !== null && words[i + 5] === 1 ? buffer.latin1Slice(start, end) : decoder.decode(bytes.subarray(start, end));
    const n = keys.length;
    const out = new Array(count);
    let pos = 0;
    i += 6;
    if (compiled !== null) {
      compiled(words, i, text, out);
      return out;
    }
    for (let r = 0; r < count; r++) {
      const row = copy(template);
      for (let c = 0; c < n; c++) {
        const w = words[i++];
        const type = w & 7;
        // 0 a string, 1 a number's JSON text, 2 null (the template's), 3 false, 4 true.
        if (type === 0) row[keys[c]] = text.slice(pos, (pos += w >>> 3));
        else if (type === 1) row[keys[c]] = Number(text.slice(pos, (pos += w >>> 3)));
        else if (type !== 2) row[keys[c]] = type === 4;
      }
      out[r] = row;
    }
    return out;
  }

  /** A reader of records of these keys: `(words, i, text, out)` fills `out` as the loop in `records` does. */
  function reader(keys) {
    // 0 a string, 1 a number's JSON text, 2 null, 3 false, 4 true (as in `records`).
    const value = "(w = words[i++], (t = w & 7) === 0 ? text.slice(p, (p += w >>> 3)) : t === 1 ? Number(text.slice(p, (p += w >>> 3))) : t === 2 ? null : t === 4)";
    const literal = keys.map((k) => `${JSON.stringify(k)}: ${value}`).join(",\n");
    return new Function("words", "i", "text", "out", `let p = 0, w, t;\nfor (let r = 0; r < out.length; r++) out[r] = {\n${literal}\n};`);
  }

  function renew(fresh) {
    memory = fresh;
    shape = 0;
    keys = [];
    template = {};
    copy = COPIES[0];
    compiled = null;
    words = new Uint32Array(0);
    bytes = new Uint8Array(0);
    buffer = null;
  }

  return { flattenRaw, rowsRaw, records, renew };
}

export { createRecords };

/** Whether this runtime compiles JavaScript from text (Workers and a strict Content-Security-Policy refuse). */
function compilable() {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
}
