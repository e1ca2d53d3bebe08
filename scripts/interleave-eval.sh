#!/usr/bin/env bash
# Does interleaving samples of different benchmarks (randomized rounds) reduce run-to-run
# spread compared to running benchmarks one after the other?
#
# Alternates R runs of each schedule (interleaved, sequential, interleaved, ...) so both see
# the same machine conditions, then prints, per benchmark, the run-to-run coefficient of
# variation of P50 under each schedule.
#
# usage: scripts/interleave-eval.sh [R] [extra perfgate run flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-6}
shift || true
out=${OUT:-target/interleave-eval}
mkdir -p "$out"
cargo build --release --quiet
for i in $(seq 1 "$runs"); do
  for schedule in interleaved sequential; do
    ./target/release/perfgate run --no-compare --schedule "$schedule" --seed "$i" "$@" \
      --out "$out/$schedule-$i.json" >/dev/null
  done
done
python3 - "$out" "$runs" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
p50 = {}
for schedule in ("interleaved", "sequential"):
    for i in range(1, runs + 1):
        for b in json.load(open(f"{out}/{schedule}-{i}.json"))["benchmarks"]:
            if "p50_ns" in b:
                p50.setdefault(b["name"], {}).setdefault(schedule, []).append(b["p50_ns"])
def cv(v):
    return statistics.stdev(v) / statistics.mean(v) * 100
print(f"run-to-run CV of P50 over {runs} runs per schedule")
print(f"{'benchmark':28} {'interleaved':>12} {'sequential':>12}")
rows = []
for name, by in p50.items():
    i, s = cv(by["interleaved"]), cv(by["sequential"])
    rows.append((i, s))
    print(f"{name:28} {i:11.2f}% {s:11.2f}%")
mi = statistics.median(r[0] for r in rows)
ms = statistics.median(r[1] for r in rows)
better = sum(r[0] < r[1] for r in rows)
print(f"{'median':28} {mi:11.2f}% {ms:11.2f}%")
print(f"interleaved has the lower spread on {better} of {len(rows)} benchmarks")
PY
