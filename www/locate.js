// Where in the pasted text an issue is: the span of the value a JSON Pointer names (or, for a
// field that is missing, of the object it is missing from), or a `line L column C` position.
// A tolerant reader of its own: it only has to find spans in text the core has already read.

/** `{ start, end }` in `text` for an issue, or `null`. */
export function locate(text, issue, { form = false } = {}) {
  const at = /line (\d+) column (\d+)/.exec(issue.message);
  if (issue.path === "" && at) return lineColumn(text, Number(at[1]), Number(at[2]));
  if (issue.path === "") return null;
  const tokens = issue.path.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (form) return formPair(text, tokens[0]);
  const missing = issue.code === "field.missing";
  const target = missing ? tokens.slice(0, -1) : tokens;
  try {
    const span = find(text, target);
    // A missing field is marked at the opening of the object it is missing from.
    return span && missing ? { start: span.start, end: span.start + 1 } : span;
  } catch {
    return null;
  }
}

function lineColumn(text, line, column) {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", start);
    if (next === -1) return null;
    start = next + 1;
  }
  const pos = Math.min(text.length, start + column - 1);
  return { start: pos, end: Math.min(text.length, pos + 1) };
}

function formPair(text, name) {
  let found = null;
  let offset = 0;
  for (const pair of text.split("&")) {
    const [k] = pair.split("=");
    if (decodeURIComponent(k.replace(/\+/g, " ")) === name) found = { start: offset, end: offset + pair.length };
    offset += pair.length + 1;
  }
  return found;
}

/** The span of the value at `tokens`; where a key repeats, its last member (as issues name it). */
function find(text, tokens) {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const skip = () => {
    ws();
    const c = text[i];
    if (c === '"') return string();
    if (c === "{" || c === "[") {
      let depth = 0;
      while (i < text.length) {
        const ch = text[i];
        if (ch === '"') {
          string();
          continue;
        }
        if (ch === "{" || ch === "[") depth++;
        if (ch === "}" || ch === "]") depth--;
        i++;
        if (depth === 0) return;
      }
      return;
    }
    while (i < text.length && !",}] \t\n\r".includes(text[i])) i++;
  };
  // Reads the value at `i` (consuming all of it, so the caller's place stays right) and returns
  // the span at `tokens[depth..]` inside it, or null.
  const valueAt = (depth) => {
    ws();
    const start = i;
    if (depth === tokens.length) {
      skip();
      return { start, end: i };
    }
    const token = tokens[depth];
    let hit = null;
    if (text[i] === "{") {
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') break;
        const key = string();
        ws();
        i++; // the colon
        if (key === token) hit = valueAt(depth + 1) ?? hit; // a repeated key: its last member
        else skip();
        ws();
        if (text[i] !== ",") break;
        i++;
      }
      if (text[i] === "}") i++;
      return hit;
    }
    if (text[i] === "[") {
      i++;
      const want = Number(token);
      for (let n = 0; ; n++) {
        ws();
        if (text[i] === "]") break;
        if (n === want) hit = valueAt(depth + 1);
        else skip();
        ws();
        if (text[i] !== ",") break;
        i++;
      }
      if (text[i] === "]") i++;
      return hit;
    }
    skip();
    return null;
  };
  return valueAt(0);
}
