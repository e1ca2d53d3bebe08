#!/usr/bin/env bash
# perfgate's command benchmarks against hyperfine, in the same sitting, on three CPU-bound
# commands of 20-200 ms (xz -9 of a seeded file, a Python loop, sort of a seeded file).
# Prints, per command and round, perfgate's median / hyperfine's median, and checks that
# perfgate's P50/P95 equal numpy's type-7 percentiles of perfgate's own samples.
#
# usage: scripts/command-vs-hyperfine.sh [RUNS] [ROUNDS]   (defaults 30 runs, 3 rounds)
#   PERFGATE=path/to/perfgate to use a prebuilt binary (default: release build).
# Both tools run on the same core (perfgate --pin CORE, hyperfine under taskset) and
# alternate round by round, so machine drift hits both alike.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-30}
ROUNDS=${2:-3}
if [[ -z "${PERFGATE:-}" ]]; then
  cargo build --release --locked --quiet
  PERFGATE="${CARGO_TARGET_DIR:-target}/release/perfgate"
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
CORE=$(( $(nproc) - 1 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seeded inputs: ~180 KB of text for xz, 200,000 random lines for sort.
python3 - "$work" <<'PY'
import random, sys
r = random.Random(1)
words = [''.join(r.choice('abcdefghij') for _ in range(r.randint(2, 9))) for _ in range(500)]
with open(f"{sys.argv[1]}/data.txt", "w") as f:
    f.write(' '.join(r.choice(words) for _ in range(30000)))
with open(f"{sys.argv[1]}/lines.txt", "w") as f:
    f.write('\n'.join(str(r.random()) for _ in range(200000)) + '\n')
PY

PYLOOP='sum(i * i for i in range(250000))'
cat > "$work/perfgate.toml" <<TOML
[[bench]]
name = "xz-9"
command = ["xz", "-9", "-c", "-k", "$work/data.txt"]
warmup_runs = 1

[[bench]]
name = "python-loop"
command = ["python3", "-c", "$PYLOOP"]
warmup_runs = 1

[[bench]]
name = "sort"
command = ["sort", "-o", "/dev/null", "$work/lines.txt"]
env = { LC_ALL = "C" }
warmup_runs = 1
TOML

for round in $(seq 1 "$ROUNDS"); do
  "$PERFGATE" run --suite "$work/perfgate.toml" --samples "$RUNS" --pin "$CORE" \
    --no-compare --out "$work/perfgate-$round.json" >/dev/null
  LC_ALL=C taskset -c "$CORE" hyperfine -N --style none --warmup 1 --runs "$RUNS" \
    --export-json "$work/hyperfine-$round.json" \
    -n xz-9 "xz -9 -c -k $work/data.txt" \
    -n python-loop "python3 -c '$PYLOOP'" \
    -n sort "sort -o /dev/null $work/lines.txt" >/dev/null
done

python3 - "$work" "$ROUNDS" <<'PY'
import json, sys
import numpy as np
work, rounds = sys.argv[1], int(sys.argv[2])
bad = 0
print(f"{'command':<12} {'round':>5} {'perfgate P50':>13} {'hyperfine median':>17} {'ratio':>7}  P50/P95 == numpy")
ratios = {}
for k in range(1, rounds + 1):
    pg = {b["name"]: b for b in json.load(open(f"{work}/perfgate-{k}.json"))["benchmarks"]}
    hf = {r["command"]: r for r in json.load(open(f"{work}/hyperfine-{k}.json"))["results"]}
    for name, b in pg.items():
        if b.get("error"):
            print(f"{name}: perfgate failed: {b['error']}"); bad += 1; continue
        s = np.array(b["samples_ns"])
        p50, p95 = np.percentile(s, [50, 95])
        same = bool(np.isclose(p50, b["p50_ns"], rtol=1e-12, atol=0) and np.isclose(p95, b["p95_ns"], rtol=1e-12, atol=0))
        bad += not same
        ratio = b["p50_ns"] / (hf[name]["median"] * 1e9)
        ratios.setdefault(name, []).append(ratio)
        print(f"{name:<12} {k:>5} {b['p50_ns']/1e6:>10.2f} ms {hf[name]['median']*1e3:>14.2f} ms {ratio:>7.3f}  {same}")
print()
for name, r in ratios.items():
    m = float(np.median(r))
    print(f"{name:<12} median ratio over {len(r)} rounds: {m:.3f} ({(m-1)*100:+.1f}%){'' if abs(m-1) <= 0.03 else '  > 3% apart'}")
sys.exit(1 if bad else 0)
PY
