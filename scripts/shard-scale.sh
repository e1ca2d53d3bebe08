#!/usr/bin/env bash
# Synthetic scale for sharded suites (issue 13): 2,000 benchmarks × 100 samples in 8 shard
# files → `perfgate merge` + `perfgate compare` (verdict JSON + Markdown) timed with
# /usr/bin/time -v: wall time, CPU time (user + sys) and peak RSS of each step, their sums,
# the size of the PR comment, and the load average at the time. On a busy machine the wall
# time means little; the CPU time is steadier (the comparison runs on all cores, so its CPU
# time can exceed its wall time).
#
# usage: scripts/shard-scale.sh [BENCHMARKS] [SAMPLES] [SHARDS]   (default 2000 100 8)
# Needs GNU time (apt-get install -y time). Builds perfgate and the example in release mode
# into $CARGO_TARGET_DIR (default /work/target-rel).
set -euo pipefail
cd "$(dirname "$0")/.."

benches="${1:-2000}"
samples="${2:-100}"
shards="${3:-8}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-rel}"
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }

cargo build --release --quiet --bin perfgate --example shard_scale
bin="$CARGO_TARGET_DIR/release/perfgate"
example="$CARGO_TARGET_DIR/release/examples/shard_scale"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

"$example" generate "$dir" "$benches" "$samples" "$shards"
shard_files=()
for i in $(seq 1 "$shards"); do shard_files+=("$dir/shard-$i.json"); done

# Runs "$@" under GNU time; prints "<label>: <seconds> s, <MB> MB" and appends to totals.
total_s=0
total_cpu=0
peak_kb=0
timed() {
  local label="$1"
  shift
  local code=0
  /usr/bin/time -v -o "$dir/time.txt" "$@" || code=$?
  local wall kb cpu
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.txt")"
  kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")"
  cpu="$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$dir/time.txt")"
  # m:ss.ss → seconds
  wall="$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')"
  printf >&2 '%-28s %6.2f s wall  %6.2f s CPU  %7.1f MB  (exit %s)\n' "$label" "$wall" "$cpu" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$code"
  total_cpu="$(awk -v a="$total_cpu" -v b="$cpu" 'BEGIN { print a + b }')"
  total_s="$(awk -v a="$total_s" -v b="$wall" 'BEGIN { print a + b }')"
  if (( kb > peak_kb )); then peak_kb="$kb"; fi
}

echo "load average before: $(uptime)"
timed "merge ($shards shards)" "$bin" merge "${shard_files[@]}" --out "$dir/merged.json"
# One process: the comparison (Holm over all benchmarks), the verdict JSON and the full
# Markdown (what the step summary carries). Exit 1 is expected: 1% are made 20% slower.
timed "compare + JSON + Markdown" "$bin" compare "$dir/baseline.json" "$dir/merged.json" \
  --format markdown --out "$dir/verdict.json" >"$dir/verdict.md"
timed "PR comment (capped)" "$example" comment-size "$dir/verdict.json" >"$dir/comment-size.txt"
echo "load average after:  $(uptime)"
echo "verdict: $(head -n 1 "$dir/verdict.md")"
echo "full Markdown: $(wc -c <"$dir/verdict.md") bytes; PR comment: $(cat "$dir/comment-size.txt") UTF-16 units (limit 65536)"
printf 'TOTAL: %.2f s wall (budget 5 s), %.2f s CPU (user + sys), peak RSS %.1f MB (budget 500 MB)\n' \
  "$total_s" "$total_cpu" "$(awk -v k="$peak_kb" 'BEGIN{print k/1024}')"
