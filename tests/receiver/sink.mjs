// A stand-in for a Zapier catch hook on 127.0.0.1: records what it is sent to /catch (and to
// /dead, for dead letters), and can be told to fail /catch: N times for a key, or always.
import { spawn } from "node:child_process";
import http from "node:http";

export async function startSink() {
  const sink = {
    received: [], // { path, key, kind, body }
    attempts: new Map(), // key -> tries seen at /catch
    failTimes: new Map(), // key -> how many more tries to fail
    down: false,
    url: "",
    server: null,
    keys(path = "/catch") {
      return this.received.filter((r) => r.path === path).map((r) => r.key);
    },
    close() {
      return new Promise((ok) => this.server.close(ok));
    },
  };
  sink.server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      const key = req.headers["idempotency-key"];
      if (req.url === "/catch") sink.attempts.set(key, (sink.attempts.get(key) ?? 0) + 1);
      const left = sink.failTimes.get(key) ?? 0;
      if (req.url === "/catch" && (sink.down || left > 0)) {
        if (left > 0) sink.failTimes.set(key, left - 1);
        res.writeHead(503).end("down");
        return;
      }
      sink.received.push({ path: req.url, key, kind: req.headers["x-leadhook-kind"], body: JSON.parse(text || "null") });
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"stored"}');
    });
  });
  await new Promise((ok) => sink.server.listen(0, "127.0.0.1", ok));
  sink.url = `http://127.0.0.1:${sink.server.address().port}`;
  return sink;
}

/** Waits until `done()` (which may be async) holds, checking every 20 ms, for at most `ms`. */
export async function until(done, ms = 15000) {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/**
 * POSTs `body` with node:http and returns `{ status, text }`. A server may answer (413) before it
 * has read the body and close the connection; the answer is what counts, not the write error.
 */
export function postRaw(url, headers, body) {
  return new Promise((resolve, reject) => {
    // A fresh connection: the server closes the one it answers early on.
    const req = http.request(url, { method: "POST", agent: false, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", (e) => setTimeout(() => reject(e), 500)); // a response may still be on its way
    req.end(body);
  });
}

/**
 * Runs a Node script that prints `{"port": N}` once it listens on 127.0.0.1; resolves with the
 * child process and its base URL (the durability test's receiver, the bench's).
 */
export async function startListening(script, args = []) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line).port);
    });
    child.on("exit", (code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}
