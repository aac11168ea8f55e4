#!/usr/bin/env bash
# Sets everything up, builds the npm package and runs every test: the Rust core natively, then
# the same fixtures and the API through the built package in Node.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

echo; echo "== cargo fmt --check, cargo clippy"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings

echo; echo "== cargo test"
cargo test

echo; echo "== node --test (the built package)"
node --test tests/node/
