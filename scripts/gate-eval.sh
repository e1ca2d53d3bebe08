#!/usr/bin/env bash
# Gate quality on this machine (issue 4, "Gate quality"): records R real runs of the suite
# (release build), then examples/gate_eval.rs blesses a baseline from the first 3 and
# measures A/A false alarms and injected ×1.10 / ×1.05 / ×0.90 changes on the later runs.
#
# usage: scripts/gate-eval.sh [R] [extra perfgate run flags, e.g. --quick]
#   OUT=DIR       where the runs go (default target/gate-eval); existing runs are reused
#   THRESHOLDS=F  thresholds file to evaluate (default thresholds.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-12}
shift || true
out=${OUT:-target/gate-eval}
mkdir -p "$out"
cargo build --release --quiet --bin perfgate --example gate_eval
for i in $(seq 1 "$runs"); do
  if [[ ! -f "$out/run-$i.json" ]]; then
    echo "run $i of $runs" >&2
    ./target/release/perfgate run --no-compare --out "$out/run-$i.json" "$@" >/dev/null
  fi
done
./target/release/examples/gate_eval "$out" "${THRESHOLDS:-thresholds.toml}"
