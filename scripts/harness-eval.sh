#!/usr/bin/env bash
# Evaluates perfgate-bench (the criterion-compatible harness) on examples/criterion-compat,
# for a quiet machine. Sections (SECTIONS picks some; default all):
#   ab       A/A (the same build as both sides) N_AA runs (default 20); heads in which
#            `sum/1000` does 10% and 5% more work, N_HEAD runs each (default 10). Prints per
#            case how many runs flagged anything, flagged sum/1000 as a regression, flagged
#            something else.
#   medians  standalone `cargo bench` medians of the harness against criterion 0.5's median
#            estimates for the same benches, alternating the two ROUNDS times (default 3).
#   instr    instruction counts of the base twice (must be identical), and
#            `ab --metric instructions` against a head with +2% work in sum/1000.
#   build    build time of the bench from a clean target directory, harness vs criterion,
#            and the dependency tree checked for an async runtime or HTTP client.
# Everything goes to $HARNESS_EVAL_DIR (default target/harness-eval). Needs crates.io (for
# criterion) and valgrind (instr). perfgate is built from this checkout (release).
#
# usage: scripts/harness-eval.sh            # everything
#        PERFGATE=target/debug/perfgate AB_FLAGS=--quick N_AA=1 N_HEAD=1 SECTIONS=ab \
#          scripts/harness-eval.sh                                           # smoke
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${HARNESS_EVAL_DIR:-$repo/target/harness-eval}
sections=${SECTIONS:-ab medians instr build}
mkdir -p "$work"
cd "$repo"
# Every variant is built with each function aligned to 64 bytes (EVAL_RUSTFLAGS; empty for
# the default layout), as scripts/ab-eval.sh does: the heads then differ from the base in
# the work of sum/1000, not in where the other functions' code lands in a cache line.
export RUSTFLAGS="${RUSTFLAGS:-} ${EVAL_RUSTFLAGS--C llvm-args=-align-all-functions=6}"
# PERFGATE: a built perfgate to use instead of building this checkout's release binary.
if [ -z "${PERFGATE:-}" ]; then
  RUSTFLAGS= cargo build --release --quiet --bin perfgate
fi
perfgate=${PERFGATE:-$repo/target/release/perfgate}
# AB_FLAGS: extra `perfgate ab` flags (e.g. "--quick" for a smoke run).
read -r -a ab_flags <<<"${AB_FLAGS:-}"

# A copy of the example; $2: extra percent of work in sum/1000; $3: "criterion" to build it
# against criterion 0.5 instead of perfgate-bench. Prints the bench executable's path.
variant() {
  local name=$1 pct=$2 dep=${3:-harness} src="$work/src-$1"
  rm -rf "$src"
  mkdir -p "$src"
  cp -r examples/criterion-compat/benches examples/criterion-compat/src \
    examples/criterion-compat/Cargo.toml "$src/"
  sed -i "s|^const EXTRA_PERCENT: u64 = 0;|const EXTRA_PERCENT: u64 = $pct;|" "$src/benches/compat.rs"
  grep -q "EXTRA_PERCENT: u64 = $pct;" "$src/benches/compat.rs"
  sed -i "s|path = \"../../crates/perfgate-bench\"|path = \"$repo/crates/perfgate-bench\"|" \
    "$src/Cargo.toml"
  if [ "$dep" = criterion ]; then
    sed -i 's|^criterion = .*|criterion = "0.5"|' \
      "$src/Cargo.toml"
  fi
  (cd "$src" && CARGO_TARGET_DIR="$work/target-$dep" cargo bench --no-run --bench compat \
    --message-format=json 2>/dev/null) |
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and "bench" in m["target"]["kind"] and m.get("executable"):
        print(m["executable"])' | tail -1 > "$work/exe-$name"
  cp "$(cat "$work/exe-$name")" "$work/bench-$name"
  echo "$work/bench-$name"
}

if [[ " $sections " == *" ab "* ]]; then
  base=$(variant base 0)
  for case in base:${N_AA:-20} plus10:${N_HEAD:-10} plus5:${N_HEAD:-10}; do
    name=${case%%:*} runs=${case##*:}
    case $name in plus10) head=$(variant plus10 10) ;; plus5) head=$(variant plus5 5) ;; *) head=$base ;; esac
    flagged=0 target=0 other=0
    for i in $(seq 1 "$runs"); do
      out="$work/verdict-$name-$i.json"
      "$perfgate" ab --base-bin "$base" --head-bin "$head" --seed "$i" --format json "${ab_flags[@]}" \
        --out "$out" --results-out "$work/results-$name-$i.json" >/dev/null \
        2>"$work/stderr-$name-$i.txt" || true
      read -r a t o < <(python3 - "$out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
flag = {b["name"]: b["status"] for b in v["benchmarks"] if b["status"] in ("regression", "improvement")}
t = flag.get("sum/1000") == "regression"
print(int(bool(flag)), int(t), int(bool(set(flag) - {"sum/1000"})))
PY
)
      flagged=$((flagged + a)) target=$((target + t)) other=$((other + o))
    done
    printf 'ab %-7s runs %3d  flagged-anything %3d  sum/1000-regression %3d  other-flagged %3d  (load %s)\n' \
      "$name" "$runs" "$flagged" "$target" "$other" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
fi

if [[ " $sections " == *" medians "* ]]; then
  harness=$(variant base 0)
  criterion=$(variant crit 0 criterion)
  export CRITERION_HOME="$work/criterion-home"
  for r in $(seq 1 "${ROUNDS:-3}"); do
    "$harness" --bench >"$work/harness-$r.txt"
    rm -rf "$CRITERION_HOME"
    "$criterion" --bench --noplot >"$work/criterion-$r.txt" 2>&1
    python3 - "$work/harness-$r.txt" "$CRITERION_HOME" "$r" <<'PY'
import json, pathlib, re, sys
table, home, r = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
unit = {"ns": 1, "µs": 1e3, "ms": 1e6, "s": 1e9}
ours = {}
for line in open(table).read().splitlines()[1:]:
    parts = line.split()
    if len(parts) >= 3 and parts[2] in unit:
        ours[parts[0]] = float(parts[1]) * unit[parts[2]]
crit = {}
for b in home.glob("**/new/benchmark.json"):
    meta = json.load(open(b))
    est = json.load(open(b.parent / "estimates.json"))
    crit[meta["full_id"]] = est["median"]["point_estimate"]
worst = 0.0
for name, p50 in sorted(ours.items()):
    if name in crit:
        d = p50 / crit[name] - 1
        worst = max(worst, abs(d))
        print(f"medians round {r}  {name:<32} harness {p50:10.1f} ns  criterion {crit[name]:10.1f} ns  {d:+.1%}")
print(f"medians round {r}  worst |difference| {worst:.1%} over {len(set(ours) & set(crit))} benches")
PY
  done
fi

if [[ " $sections " == *" instr "* ]]; then
  base=$(variant base 0)
  plus2=$(variant plus2 2)
  for i in 1 2; do
    "$perfgate" run --bench-bin "$base" --metric instructions --no-compare --out "$work/instr-$i.json" >/dev/null
  done
  python3 - "$work/instr-1.json" "$work/instr-2.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
ia = {x["name"]: x.get("instructions_per_iter") for x in a["benchmarks"]}
ib = {x["name"]: x.get("instructions_per_iter") for x in b["benchmarks"]}
same = sum(ia[n] == ib.get(n) for n in ia)
print(f"instr: {same} of {len(ia)} benches identical over two runs")
for n in ia:
    if ia[n] != ib.get(n):
        print(f"instr:   {n}: {ia[n]} vs {ib.get(n)}")
PY
  "$perfgate" ab --base-bin "$base" --head-bin "$plus2" --metric instructions --format json \
    --out "$work/instr-ab.json" >/dev/null 2>"$work/instr-ab.stderr" || true
  python3 - "$work/instr-ab.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
flag = {b["name"]: b["status"] for b in v["benchmarks"] if b["status"] != "unchanged"}
print(f"instr: +2% head: flagged {flag or 'nothing'}")
PY
fi

if [[ " $sections " == *" build "* ]]; then
  for dep in harness criterion; do
    src="$work/build-$dep"
    variant "build-$dep" 0 "$dep" >/dev/null
    rm -rf "$work/clean-$dep"
    start=$(date +%s.%N)
    (cd "$work/src-build-$dep" && CARGO_TARGET_DIR="$work/clean-$dep" cargo bench --no-run --quiet)
    end=$(date +%s.%N)
    printf 'build %-9s from a clean target dir: %.1f s\n' "$dep" "$(echo "$end - $start" | bc -l)"
    (cd "$work/src-build-$dep" && cargo tree -e normal,dev --prefix none 2>/dev/null) |
      grep -E '^(tokio|async-std|smol|hyper|reqwest|ureq|isahc|surf) ' &&
      echo "build $dep: pulls in an async runtime or HTTP client" ||
      echo "build $dep: no async runtime, no HTTP client"
  done
fi
