#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the fixtures (bodies only) and runs one target for a time:
#   bash fuzz/seed.sh TARGET SECONDS        (needs a nightly toolchain and cargo-fuzz)
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target: reader, functions, secret or bounded}
seconds=${2:-60}
corpus="corpus/$target"
mkdir -p "$corpus"
find ../tests/fixtures -type f ! -name '*.expect.json' -exec cp {} "$corpus/" \;
cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=8192 -print_final_stats=1
