#!/usr/bin/env bash
# Sets everything up, builds the npm package, and runs it on every bundled sample body.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh
echo
node scripts/samples.mjs --flatten "$@"
