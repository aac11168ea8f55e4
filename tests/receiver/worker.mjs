// The deployable Worker (worker/src/index.mjs) in miniflare, with the bindings worker/wrangler.toml
// declares: Queues (producer, consumer, dead-letter queue) and D1.
import path from "node:path";
import { Miniflare } from "miniflare";
import { root, workerModules } from "../workerd/cases.mjs";
import { CREDENTIALS } from "./deliveries.mjs";

// The default body limit of these tests (see worker.test.mjs).
const MAX = 64 * 1024;
export const ADMIN_TOKEN = "admin-token-for-the-test-0123";

/** The Worker in miniflare, as wrangler.toml declares it; D1 on disk in `persist` when given. */
export function startWorker(sink, { maxBytes = MAX, persist, maxAttempts = "4", retryDelaySeconds = "0", maxRetries = 10 } = {}) {
  const mf = new Miniflare({
    modules: workerModules(path.join(root, "worker/src"), "index.mjs"),
    modulesRoot: root,
    compatibilityDate: "2025-09-01",
    host: "127.0.0.1",
    port: 0,
    bindings: {
      ...CREDENTIALS, ADMIN_TOKEN, FORWARD_URL: `${sink.url}/catch`, DEAD_LETTER_URL: `${sink.url}/dead`,
      RETRY_DELAY_SECONDS: retryDelaySeconds, MAX_ATTEMPTS: maxAttempts, QUIET: "1", MAX_BYTES: String(maxBytes),
    },
    d1Databases: { LEADHOOK_DB: "leadhook" },
    ...(persist ? { d1Persist: persist } : {}),
    queueProducers: { DELIVERIES: "leadhook-deliveries" },
    queueConsumers: {
      "leadhook-deliveries": { maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries, deadLetterQueue: "leadhook-dead", retryDelay: 0 },
      "leadhook-dead": { maxBatchSize: 10, maxBatchTimeout: 0.05 },
    },
  });
  return mf;
}

