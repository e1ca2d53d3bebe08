#!/usr/bin/env bash
# The README main command against the committed baseline, N times in a row (issue 25's
# "done when"): exit codes, runs marked noisy, timing checks "unchanged" on unmarked runs,
# and what failed. Run it with nothing else of yours running.
#
# usage: scripts/committed-eval.sh DIR CASE N [busy]
#   PERFGATE=BIN  the perfgate to run (default target/release/perfgate; a patched build for
#                 a known slowdown, e.g. gelu doing 10% more work as scripts/baseline-eval.sh
#                 patches it). Runs happen in the repository: its baselines/ and
#                 thresholds.toml apply, as for `cargo run --release -- run`.
#   FLAGS="..."   extra flags of `perfgate run` (e.g. FLAGS="--processes 1").
#   busy          runs beside `stress-ng --cpu 2` (both cores loaded).
# Files: DIR/CASE-I.json (verdict), DIR/CASE-I.results.json (samples), DIR/CASE-I.code;
# prints one line per run and a summary (scripts/committed-eval.sh DIR CASE 0 summarizes
# existing files only).
set -euo pipefail
dir=${1:?usage: committed-eval.sh DIR CASE N [busy]}
case=${2:?CASE}
runs=${3:?N}
repo=$(git rev-parse --show-toplevel)
exe=${PERFGATE:-$repo/target/release/perfgate}
mkdir -p "$dir"
busy_pid=
if [ "${4:-}" = busy ]; then
    stress-ng --cpu 2 --quiet & busy_pid=$!
    trap 'kill $busy_pid 2>/dev/null || true' EXIT
fi
start=$(find "$dir" -name "$case-*.code" | wc -l)
for i in $(seq $((start + 1)) $((start + runs))); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    code=0
    (cd "$repo" && "$exe" run --format json --verdict-out "$dir/$case-$i.json" \
        --out "$dir/$case-$i.results.json" ${FLAGS:-} >/dev/null 2>"$dir/$case-$i.stderr") || code=$?
    echo "$code" > "$dir/$case-$i.code"
    echo "$case $i $(date -u +%T) load-before $load exit $code"
done
[ -n "$busy_pid" ] && kill "$busy_pid" 2>/dev/null && wait "$busy_pid" 2>/dev/null || true
python3 - "$dir" "$case" <<'PY'
import collections, glob, json, os, sys
d, case = sys.argv[1], sys.argv[2]
n = len(glob.glob(f"{d}/{case}-*.code"))
codes, marked, unch, tot = [], 0, 0, 0
flagged = collections.Counter()
for i in range(1, n + 1):
    codes.append(int(open(f"{d}/{case}-{i}.code").read()))
    p = f"{d}/{case}-{i}.json"
    if not os.path.exists(p):
        continue
    v = json.load(open(p))
    noisy = any(x.startswith("NOISY RUN") for x in v["notes"])
    marked += noisy
    checks = [c for b in v["benchmarks"] for c in b["checks"]
              if c["metric"] in ("p10", "p50", "p95", "p99")]
    if not noisy:
        unch += sum(c["status"] == "unchanged" for c in checks)
        tot += len(checks)
    for b in v["benchmarks"]:
        if b["status"] == "regression":
            flagged[f"{b['name']}{' (marked run)' if noisy else ''}"] += 1
share = f"{100 * unch / tot:.0f}%" if tot else "-"
print(f"{case}: runs {n}  exit0 {codes.count(0)}  exit1 {codes.count(1)}  exit2 {codes.count(2)}"
      f"  marked-noisy {marked}  unchanged-checks-on-unmarked {unch}/{tot} ({share})")
print(f"{case}: regressions by benchmark: {dict(flagged) or 'none'}")
PY
