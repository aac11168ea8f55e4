#!/usr/bin/env bash
# Installs everything the build and the tests need, from registries only, and skips what is
# already there at the right version. Safe to run again.
#
#   rustup target wasm32-unknown-unknown, wasm-bindgen-cli (the version Cargo.toml pins), wasm-pack
#   npm ci: binaryen's wasm-opt, miniflare + workerd (the Workers test), playwright-core (drives
#           Chromium; downloads no browser), ajv, typescript
#   Debian's chromium (apt), for the browser test, when /usr/bin/chromium is missing
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

# The browser test drives Debian's Chromium (playwright-core downloads no browser). apt needs root.
step "chromium (Debian package, for the browser test)"
if [ -x /usr/bin/chromium ]; then
  echo "already installed: $(/usr/bin/chromium --version 2>/dev/null)"
else
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: /usr/bin/chromium is missing and there is no apt-get to install Debian's chromium; install it by hand" >&2
    exit 1
  fi
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
      echo "setup: installing chromium needs root (or sudo)" >&2
      exit 1
    fi
  fi
  started=$(date +%s)
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  echo "chromium installed in $(( $(date +%s) - started ))s: $(/usr/bin/chromium --version 2>/dev/null)"
fi
