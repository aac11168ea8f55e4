#!/usr/bin/env bash
# Installs everything the build and the tests need, from registries only, and skips what is
# already there at the right version. Safe to run again.
#
#   rustup target wasm32-unknown-unknown (wasm-bindgen itself is a library of xtask/, built by cargo)
#   npm ci: binaryen's wasm-opt, miniflare + workerd (the Workers test), playwright-core (drives
#           Chromium; downloads no browser), ajv, typescript
#   Debian's chromium (apt), for the browser test, when /usr/bin/chromium is missing
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "rust target wasm32-unknown-unknown"
rustup target add wasm32-unknown-unknown

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
