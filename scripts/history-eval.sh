#!/usr/bin/env bash
# Change-point evaluation (issue 27): robust (default) vs otava on series resampled from
# this machine's real run-to-run noise. Steps of +3/+5/+10% at a random commit: share found
# within 5 commits; false change points per 1,000 points of unchanged series.
#
# usage: scripts/history-eval.sh DIR [TRIALS] [LEN] [SEED]
#   DIR: ≥ 15 results files of unchanged code, e.g. made in a quiet window with
#        for i in $(seq 1 20); do target/release/perfgate run --no-compare --out DIR/run-$i.json; done
#   (scripts/history-eval.sh --make-runs DIR [N] does exactly that first, N default 20)
#   scripts/history-eval.sh --synthetic   uses the field notes' noise instead of DIR.
# Builds into $CARGO_TARGET_DIR (default /work/target-rel).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-rel}"
cargo build --release --quiet --bin perfgate --example history_eval
bin="$CARGO_TARGET_DIR/release/perfgate"
if [ "${1:-}" = "--make-runs" ]; then
  dir="${2:?usage: --make-runs DIR [N]}"
  n="${3:-20}"
  mkdir -p "$dir"
  for i in $(seq 1 "$n"); do
    echo "run $i/$n (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    "$bin" run --no-compare --out "$dir/run-$i.json" >/dev/null
  done
  shift 3 || shift $#
  set -- "$dir" "$@"
fi
"$CARGO_TARGET_DIR/release/examples/history_eval" "$@"
