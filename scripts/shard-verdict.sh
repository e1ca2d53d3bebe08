#!/usr/bin/env bash
# Issue 13, "the merged verdict of 3 shards run on this machine equals `compare` on one file
# holding the same results": runs `perfgate run --shard I/N` for I = 1..N on this machine,
# merges the shards, builds one whole-run file from the same shard files independently
# (python: the shards' benchmarks in suite order, no shard field), gates both against the
# same baseline and checks that the verdict JSON is byte-identical apart from the candidate
# file name. Also checks that the shards' union is the selected suite, without overlap.
#
# usage: scripts/shard-verdict.sh [N] [BASELINE] [-- extra `perfgate run` flags]
#   e.g. scripts/shard-verdict.sh 3                        (the full built-in suite)
#        scripts/shard-verdict.sh 3 linux-x86_64-2cpu-amd-epyc-f25m1 -- --quick --filter '^(gelu/1000|matmul/64|softmax/2048)$'
# BASELINE: a name under baselines/ or a path (default: this machine's committed baseline,
# linux-x86_64-2cpu-amd-epyc-f25m1); it also sets the expected cost of each benchmark for the split.
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-3}"
baseline="${2:-linux-x86_64-2cpu-amd-epyc-f25m1}"
shift $(( $# < 2 ? $# : 2 ))
[ "${1:-}" = "--" ] && shift
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-rel}"
cargo build --release --quiet --bin perfgate
bin="$CARGO_TARGET_DIR/release/perfgate"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
base_args=(--baseline "$baseline")

echo "load average before: $(uptime)"
for i in $(seq 1 "$count"); do
  "$bin" run --no-compare "${base_args[@]}" --shard "$i/$count" --out "$dir/shard-$i.json" "$@" >/dev/null
done
"$bin" merge "$dir"/shard-*.json --out "$dir/merged.json"
python3 - "$dir" "$count" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
shards = [json.load(open(f"{d}/shard-{i}.json")) for i in range(1, n + 1)]
names = [b["name"] for s in shards for b in s["benchmarks"]]
assert len(names) == len(set(names)), "a benchmark in two shards"
merged = json.load(open(f"{d}/merged.json"))
order = [b["name"] for b in merged["benchmarks"]]
assert sorted(order) == sorted(names), "the merged file is not the union of the shards"
by_name = {b["name"]: b for s in shards for b in s["benchmarks"]}
whole = dict(shards[0])
whole.pop("shard", None)
# Suite order: the order `perfgate run` measures in, which `merge` restores.
whole["benchmarks"] = [by_name[x] for x in order]
json.dump(whole, open(f"{d}/whole.json", "w"), indent=2)
print(f"{n} shards: {', '.join(str(len(s['benchmarks'])) for s in shards)} benchmarks; union {len(names)}, no overlap")
PY
code_m=0; code_w=0
"$bin" compare "$baseline" "$dir/merged.json" --format json --out "$dir/v-merged.json" >/dev/null 2>&1 || code_m=$?
"$bin" compare "$baseline" "$dir/whole.json" --format json --out "$dir/v-whole.json" >/dev/null 2>&1 || code_w=$?
sed "s|$dir/merged.json|CANDIDATE|g" "$dir/v-merged.json" >"$dir/a.json"
sed "s|$dir/whole.json|CANDIDATE|g" "$dir/v-whole.json" >"$dir/b.json"
echo "load average after:  $(uptime)"
echo "exit codes: merged $code_m, whole $code_w"
if cmp -s "$dir/a.json" "$dir/b.json"; then
  echo "IDENTICAL: verdict JSON of the merged shards = verdict JSON of the whole file ($(wc -c <"$dir/a.json") bytes)"
else
  diff "$dir/a.json" "$dir/b.json" | head -20
  echo "DIFFERENT verdicts" >&2
  exit 1
fi
