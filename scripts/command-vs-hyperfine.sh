#!/usr/bin/env bash
# perfgate's command benchmarks against hyperfine, in the same sitting, on three CPU-bound
# commands of 20-200 ms (xz -9 of a seeded file, a Python loop, sort of a seeded file).
# Prints, per command, perfgate's P50 and hyperfine's median over all rounds (pooled runs)
# and the median of the per-round ratios, and checks that perfgate's P50/P95 equal numpy's
# type-7 percentiles of perfgate's own samples in every results file.
#
# usage: scripts/command-vs-hyperfine.sh [RUNS] [ROUNDS]   (defaults 5 runs, 20 rounds)
#   PERFGATE=path/to/perfgate to use a prebuilt binary (default: release build).
# Every command gets LC_ALL=C on both sides (hyperfine runs under it).
# Both tools run on the same core (perfgate --pin CORE, hyperfine under taskset) and
# alternate every RUNS runs of one command, so machine drift hits both alike.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
ROUNDS=${2:-20}
if [[ -z "${PERFGATE:-}" ]]; then
  cargo build --release --locked --quiet
  PERFGATE="${CARGO_TARGET_DIR:-target}/release/perfgate"
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
CORE=$(( $(nproc) - 1 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 scripts/seeded-inputs.py "$work"

PYLOOP='sum(i * i for i in range(250000))'
cat > "$work/perfgate.toml" <<TOML
[[bench]]
name = "xz-9"
command = ["xz", "-9", "-c", "-k", "$work/data.txt"]
env = { LC_ALL = "C" }
warmup_runs = 1

[[bench]]
name = "python-loop"
command = ["python3", "-c", "$PYLOOP"]
env = { LC_ALL = "C" }
warmup_runs = 1

[[bench]]
name = "sort"
command = ["sort", "-o", "/dev/null", "$work/lines.txt"]
env = { LC_ALL = "C" }
warmup_runs = 1
TOML

declare -A HF=(
  [xz-9]="xz -9 -c -k $work/data.txt"
  [python-loop]="python3 -c '$PYLOOP'"
  [sort]="sort -o /dev/null $work/lines.txt"
)
# Fine-grained alternation: per round and command, RUNS runs of perfgate then RUNS of
# hyperfine (the order flips every round), so the machine's drift (tens of percent over
# seconds on a shared host) hits both tools alike.
for round in $(seq 1 "$ROUNDS"); do
  for name in xz-9 python-loop sort; do
    pg() {
      "$PERFGATE" run --suite "$work/perfgate.toml" --filter "^$name\$" --samples "$RUNS" \
        --pin "$CORE" --no-compare --out "$work/perfgate-$round-$name.json" >/dev/null 2>&1
    }
    hf() {
      LC_ALL=C taskset -c "$CORE" hyperfine -N --style none --warmup 1 --runs "$RUNS" \
        --export-json "$work/hyperfine-$round-$name.json" -n "$name" "${HF[$name]}" >/dev/null
    }
    if (( round % 2 )); then pg; hf; else hf; pg; fi
  done
done

python3 - "$work" "$ROUNDS" <<'PY'
import json, sys
import numpy as np
work, rounds = sys.argv[1], int(sys.argv[2])
bad = 0
pooled = {}
ratios = {}
for k in range(1, rounds + 1):
    for name in ("xz-9", "python-loop", "sort"):
        b = json.load(open(f"{work}/perfgate-{k}-{name}.json"))["benchmarks"][0]
        h = json.load(open(f"{work}/hyperfine-{k}-{name}.json"))["results"][0]
        if b.get("error"):
            print(f"{name}: perfgate failed: {b['error']}"); bad += 1; continue
        s = np.array(b["samples_ns"])
        p50, p95 = np.percentile(s, [50, 95])
        if not (np.isclose(p50, b["p50_ns"], rtol=1e-12, atol=0) and np.isclose(p95, b["p95_ns"], rtol=1e-12, atol=0)):
            print(f"{name} round {k}: P50/P95 differ from numpy's type-7 percentiles"); bad += 1
        pg, hf = pooled.setdefault(name, ([], []))
        pg.extend(s / 1e6); hf.extend(np.array(h["times"]) * 1e3)
        ratios.setdefault(name, []).append(b["p50_ns"] / 1e6 / (h["median"] * 1e3))
print(f"{'command':<12} {'perfgate P50':>13} {'hyperfine median':>17} {'ratio':>7} {'median of round ratios':>23}")
for name, (pg, hf) in pooled.items():
    a, b = float(np.median(pg)), float(np.median(hf))
    r = float(np.median(ratios[name]))
    flag = '' if abs(a / b - 1) <= 0.03 else '  > 3% apart'
    print(f"{name:<12} {a:>10.2f} ms {b:>14.2f} ms {a/b:>7.3f} {r:>23.3f}{flag}")
print(f"({rounds} rounds x {len(pooled['sort'][0]) // rounds} runs per tool; P50/P95 equal numpy type-7 in every file: {bad == 0})")
sys.exit(1 if bad else 0)
PY
