#!/usr/bin/env bash
# Gate quality on this machine (issue 10): records R real runs of the suite (release build),
# then examples/gate_eval.rs blesses every K-run subset (K = 5 by default) as a baseline,
# gates every other run against it (A/A) and injects ×1.10 into one benchmark at a time.
# Run it on a quiet machine (load average < 0.5, nothing else running); the load average
# before each run is printed.
#
# usage: scripts/gate-eval.sh [R] [extra perfgate run flags, e.g. --quick]
#   K=N           runs per baseline (default 5)
#   OUT=DIR       where the runs go (default target/gate-eval); existing runs are reused
#   THRESHOLDS=F  thresholds file to evaluate (default thresholds.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-12}
shift || true
out=${OUT:-target/gate-eval}
mkdir -p "$out"
# The runs use the release binary. The example is built in the dev profile: dependencies
# are optimised there too (Cargo.toml), and a release build of an example would recompile
# every dependency with the dev-dependencies' features.
cargo build --release --quiet --bin perfgate
cargo build --quiet --example gate_eval
for i in $(seq 1 "$runs"); do
  if [[ ! -f "$out/run-$i.json" ]]; then
    echo "run $i of $runs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    ./target/release/perfgate run --no-compare --out "$out/run-$i.json" "$@" >/dev/null
  fi
done
./target/debug/examples/gate_eval "$out" "${THRESHOLDS:-thresholds.toml}" "${K:-5}"
