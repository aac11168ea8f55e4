// A receiver process for the durability test and the throughput bench: leadhook/node with its
// SQLite store on 127.0.0.1. Prints `{"port": N}` once listening.
//   node tests/receiver/serve.mjs --pkg DIR --store FILE --forward URL
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { AUTH } from "./deliveries.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const pkg = path.resolve(arg("pkg", "pkg"));
const { createNodeHandler } = await import(pathToFileURL(path.join(pkg, "dist/node-http.mjs")).href);
const listener = createNodeHandler({
  forward: arg("forward"),
  store: arg("store"),
  auth: AUTH,
  retryDelaySeconds: 0.2,
  timeoutMs: 5000,
  log: () => {},
});
const server = http.createServer(listener);
server.keepAliveTimeout = 60000;
server.listen(Number(arg("port", "0")), "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
