#!/usr/bin/env bash
# Sets everything up, builds the npm package and runs every test: the Rust core natively, then
# the same fixtures and the API through the built package in Node, then the package in every
# runtime: the self-contained inline files run from text, Cloudflare's workerd (via miniflare),
# the webhook receiver (worker/ with local Queues, and under node:http) and Chromium (via
# playwright-core). Each step prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

# Runs a step and prints its duration (also when it fails).
timed() {
  local name=$1 started rc=0
  shift
  started=$(date +%s%N)
  "$@" || rc=$?
  printf '== %s: %s in %.1fs\n' "$name" "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED ($rc)")" \
    "$(( $(date +%s%N) - started ))e-9"
  return "$rc"
}

timed setup bash scripts/setup.sh
timed build bash scripts/build.sh

echo; echo "== cargo fmt --check, cargo clippy"
timed "cargo fmt" cargo fmt --check
timed "cargo clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
timed "cargo clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --package leadhook --package leadhook-wasm --quiet -- -D warnings

echo; echo "== cargo test"
timed "cargo test" cargo test --workspace

echo; echo "== node --test (the built package)"
timed "node" node --test tests/node/

echo; echo "== fuzz/js/fuzz.mjs (mutated fixtures through every export, hostile options: no trap, no throw where none may be; bounded in runs and time)"
timed "js fuzz" node fuzz/js/fuzz.mjs --runs 1500 --seconds 30

echo; echo "== node --test tests/cli/ (the command line: every command, exit codes, preview)"
timed "cli" node --test tests/cli/

echo; echo "== node --test tests/inline/ (dist/leadhook.inline.*: pasted as a code step, bare V8, require, import)"
timed "inline files" node --test tests/inline/

echo; echo "== node --test tests/workerd/ (Cloudflare workerd via miniflare, HTTP on 127.0.0.1)"
timed "workerd" node --test tests/workerd/

echo; echo "== node --test tests/receiver/ (the webhook receiver: worker/ in workerd with Queues, and under node:http; sinks on 127.0.0.1)"
timed "receiver" node --test tests/receiver/

echo; echo "== node --test tests/recipes/ (the code-step recipes of docs/code-steps.md, as Zapier, Make, n8n and Pipedream call them)"
timed "recipes" node --test tests/recipes/

echo; echo "== node --test tests/docs/ (every code block of README.md and docs/, as printed)"
timed "docs" node --test tests/docs/

echo; echo "== node --test tests/bundlers/ (esbuild, Rollup, webpack, Vite: Node bundles under Node, browser bundles in Chromium)"
timed "bundlers" node --test tests/bundlers/

echo; echo "== node --test tests/browser/ (Debian Chromium via playwright-core; screenshots /tmp/previewer-STATE-WIDTH.png)"
timed "browser" node --test tests/browser/

echo; echo "== node --test tests/scratch-kind/ (a kind added as one folder and one registry line, in a copy of the checkout: every output, the types, the receiver, the previewer)"
timed "scratch kind" node --test tests/scratch-kind/
