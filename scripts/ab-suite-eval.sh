#!/usr/bin/env bash
# Evaluates `perfgate ab --suite` (issue 14) with real commands in a throw-away git repo:
#   - A/A: the same commit on both sides, N runs: how many runs flag anything;
#   - a head whose python-loop command does ~10% more real work, M runs: how many catch it
#     as a regression, and how many flag another command. The head loops 2,330,000 times
#     instead of 2,000,000: `python3 -S` start-up takes ~70 ms here and the 2,000,000-loop
#     command ~190 ms (hyperfine), so 330,000 more iterations (~19 ms) make the whole
#     command ~10% slower. (10% more iterations made it only ~4.4% slower: start-up does
#     not grow with the loop.) The paired change each run measured is in its verdict.
# The suite has three CPU-bound commands of 20-200 ms: `xz -9` of a seeded text file, a
# Python loop, and `sort` of a seeded file.
#
# usage: scripts/ab-suite-eval.sh [N] [M] [extra perfgate ab flags...]   (defaults 20 and 10)
#   PERFGATE=path/to/perfgate to use a prebuilt binary (default: release build).
#   SEED0=K seeds run i with K+i (default 0), to continue a series in another call.
# Busy machine: run `stress-ng --cpu 2` alongside. KEEP=1 keeps the verdicts and A/B results.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
M=${2:-10}
shift $(( $# < 2 ? $# : 2 ))
if [[ -z "${PERFGATE:-}" ]]; then
  cargo build --release --locked --quiet
  PERFGATE="$(pwd)/${CARGO_TARGET_DIR:-target}/release/perfgate"
fi
work=$(mktemp -d)
if [[ -n "${KEEP:-}" ]]; then
  echo "keeping verdicts and A/B results in $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
repo="$work/repo"
mkdir -p "$repo"

python3 scripts/seeded-inputs.py "$repo"

# suite LOOP: the suite file with a Python loop of LOOP iterations.
suite() {
  cat > "$repo/perfgate.toml" <<TOML
[[bench]]
name = "cmd/xz-9"
command = ["xz", "-9", "-c", "-k", "data.txt"]
warmup_runs = 1

[[bench]]
name = "cmd/python-loop"
command = ["python3", "-S", "-c", "sum(i * i for i in range($1))"]
warmup_runs = 1

[[bench]]
name = "cmd/sort"
command = ["sort", "-o", "/dev/null", "lines.txt"]
env = { LC_ALL = "C" }
warmup_runs = 1
TOML
}

git -C "$repo" init -q -b main
suite 2000000
git -C "$repo" add -A
git -C "$repo" -c user.name=eval -c user.email=eval@localhost commit -q -m base
base=$(git -C "$repo" rev-parse HEAD)
suite 2330000
git -C "$repo" -c user.name=eval -c user.email=eval@localhost commit -q -am "~10% slower python-loop"
slower=$(git -C "$repo" rev-parse HEAD)

# evaluate CASE HEAD RUNS: runs `perfgate ab --suite` in a checkout of HEAD against $base.
evaluate() {
  local case=$1 head=$2 runs=$3 flagged=0 loop=0 other=0
  shift 3
  [[ "$runs" -gt 0 ]] || return 0
  git -C "$repo" checkout -q "$head"
  local start
  start=$(date +%s.%N)
  for i in $(seq 1 "$runs"); do
    local out="$work/verdict-$case-$i.json"
    (cd "$repo" && "$PERFGATE" ab --suite perfgate.toml --base "$base" --seed "$((i + ${SEED0:-0}))" \
      --format json --out "$out" --results-out "$work/ab-$case-$i.json" "$@" >/dev/null 2>"$work/stderr-$case-$i.txt") || true
    if [[ ! -s "$out" ]]; then
      echo "$case run $i: no verdict; stderr:" >&2
      tail -5 "$work/stderr-$case-$i.txt" >&2
      exit 2
    fi
    read -r any l o < <(python3 - "$out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
flag = {b["name"]: b["status"] for b in v["benchmarks"] if b["status"] in ("regression", "improvement")}
loop = flag.get("cmd/python-loop") == "regression"
print(int(bool(flag)), int(loop), int(bool(set(flag) - {"cmd/python-loop"})))
PY
)
    flagged=$((flagged + any)) loop=$((loop + l)) other=$((other + o))
  done
  local end
  end=$(date +%s.%N)
  printf '%-8s runs %3d  flagged-anything %3d  python-loop-regression %3d  other-flagged %3d  mean wall %.1f s  (load %s)\n' \
    "$case" "$runs" "$flagged" "$loop" "$other" "$(echo "($end - $start) / $runs" | bc -l)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  # How much one round's observation scatters: per command, the median over the runs of the
  # robust spread (IQR / 1.349) of its per-round log-ratios. Smaller means tighter intervals.
  python3 - "$work" "$case" "$runs" <<'PY'
import json, statistics, sys
work, case, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
spread = {}
for i in range(1, runs + 1):
    for b in json.load(open(f"{work}/ab-{case}-{i}.json"))["benchmarks"]:
        r = sorted(x["log_ratio"] for x in b["rounds"])
        if len(r) >= 4:
            q = statistics.quantiles(r, n=4, method="inclusive")
            spread.setdefault(b["name"], []).append((q[2] - q[0]) / 1.349)
print("         round spread (IQR/1.349 of log-ratios, median of runs): " + ", ".join(
    f"{n} {100 * statistics.median(s):.1f}%" for n, s in spread.items()))
PY
}

evaluate a-a "$base" "$N" "$@"
evaluate plus10 "$slower" "$M" "$@"
