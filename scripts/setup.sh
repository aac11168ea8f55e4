#!/usr/bin/env bash
# Installs everything the build and the tests need, from registries only, and skips what is
# already there at the right version. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# The wasm-bindgen CLI must match the crate exactly; Cargo.toml pins the crate with `=`.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { *version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml | head -n1)
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  echo "setup: could not read the pinned wasm-bindgen version from Cargo.toml" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }

step "rust target wasm32-unknown-unknown"
rustup target add wasm32-unknown-unknown

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
else
  echo "already installed"
fi

step "wasm-pack"
if ! command -v wasm-pack >/dev/null 2>&1; then
  cargo install wasm-pack
else
  echo "already installed: $(wasm-pack --version)"
fi

step "npm packages (binaryen's wasm-opt, test tools)"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
