#!/usr/bin/env bash
# Scale of the history (issue 27): a generated store of 10,000 commits × 200 benchmarks;
# times `perfgate history check` (goal ≤ 10 s, ≤ 500 MB) and `perfgate history add` of one
# more commit (goal ≤ 1 s) with GNU time: wall, CPU (user+sys) and peak RSS.
#
# usage: scripts/history-scale.sh [COMMITS] [BENCHMARKS]   (default 10000 200)
# Needs GNU time (apt-get install -y time). Builds into $CARGO_TARGET_DIR (default /work/target-rel).
set -euo pipefail
cd "$(dirname "$0")/.."
commits="${1:-10000}"
benches="${2:-200}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-rel}"
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
cargo build --release --quiet --bin perfgate --example history_scale
bin="$CARGO_TARGET_DIR/release/perfgate"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$CARGO_TARGET_DIR/release/examples/history_scale" "$dir" "$commits" "$benches"
echo "store: $(du -sh "$dir/store" | cut -f1), $(find "$dir/store" -name '*.json' | wc -l) files; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

timed() {
  local label="$1"
  shift
  local code=0
  /usr/bin/time -v -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || code=$?
  local wall cpu kb
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.txt")
  cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$dir/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$dir/time.txt")
  printf '%-34s exit %d, wall %6.2f s, cpu %6.2f s, peak RSS %5d MB\n' "$label" "$code" "$wall" "$cpu" "$((kb / 1024))"
}

for method in robust otava; do
  timed "history check --method $method" "$bin" history check --store "$dir/store" --method "$method" --format json
  echo "  $(grep -c '"commit"' "$dir/out.txt") change points reported"
done
timed "history add (one commit)" "$bin" history add --store "$dir/store" "$dir/next.json"
timed "history add (same commit again)" "$bin" history add --store "$dir/store" "$dir/next.json"
