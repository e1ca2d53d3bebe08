#!/usr/bin/env bash
# The long fuzz run of every loader (results, baselines, thresholds.toml, perfgate.toml and
# the four import formats): 1,000,000 mutated inputs per loader, one loader at a time, at
# the lowest priority. Exit 1 on any panic (the inputs are written to fuzz-panic-*.bin).
#
# usage: scripts/fuzz.sh [RUNS] [SEED]   (defaults 1000000 and 1)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-1000000}
SEED=${2:-1}
cargo build --locked --example fuzz_loaders --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/examples/fuzz_loaders"
for target in results baseline thresholds suite hyperfine google-benchmark pytest-benchmark \
  criterion-sample criterion-benchmark; do
  nice -n 19 "$bin" --runs "$RUNS" --seed "$SEED" --target "$target"
done
