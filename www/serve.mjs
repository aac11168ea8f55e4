// A tiny static file server for the previewer and the browser test: serves the repository root on
// 127.0.0.1, so that /www/ (the previewer) and /pkg/ (the built package) are both reachable, with
// the MIME types browsers require for modules and for streaming WebAssembly compilation.
//   node www/serve.mjs [PORT]     (after bash scripts/build.sh) prints the previewer's address
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Starts the server; resolves to `{ url, served, close }` (`served`: [path, status, type]). */
export function serve(rootDir, port = 0) {
  const root = fs.realpathSync(rootDir);
  const served = [];
  const server = http.createServer((req, res) => {
    let status = 200;
    let type = "";
    try {
      const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = path.join(root, pathname);
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      const real = fs.existsSync(file) ? fs.realpathSync(file) : null;
      // Inside the root, or inside pkg/ (tests link to it); nothing else.
      const inside = real && (real === root || real.startsWith(root + path.sep));
      if (req.method !== "GET" && req.method !== "HEAD") status = 405;
      else if (!inside || !fs.statSync(real).isFile()) status = 404;
      if (status !== 200) {
        res.writeHead(status, { "content-type": "text/plain" }).end(`${status}\n`);
      } else {
        type = TYPES[path.extname(real)] ?? "application/octet-stream";
        const body = fs.readFileSync(real);
        res.writeHead(200, { "content-type": type, "content-length": body.length, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      }
    } catch (error) {
      status = 500;
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
    served.push([req.url, status, type]);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        served,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
  const port = Number(process.argv[2] ?? 8080);
  if (!fs.existsSync(path.join(root, "pkg", "browser.mjs"))) {
    console.error("leadhook previewer: pkg/ is not built; run `bash scripts/build.sh` first.");
    process.exit(1);
  }
  try {
    const { url } = await serve(root, port);
    console.log(`leadhook previewer: ${url}/www/  (Ctrl-C to stop)`);
  } catch (error) {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`leadhook previewer: port ${port} is in use; give another: node www/serve.mjs ${port + 1}  (or 0 for any free port)`);
    process.exit(1);
  }
}
